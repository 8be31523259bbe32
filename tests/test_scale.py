"""City scale: the letters print file comes in volumes (分册) of the size templates/layout.yaml sets."""

from __future__ import annotations

import dataclasses
import io

import docx

from generators.render import letters


def test_print_file_is_one_file_up_to_the_volume_size(plan, views, layout):
    jobs = [j for j in letters.jobs(plan, views, layout) if j.kind == "letters-print"]
    assert len(views.assignments) <= layout.letters_per_volume
    assert [j.path for j in jobs] == [letters.PRINT_FILE]


def test_print_file_splits_into_volumes_of_the_configured_size(plan, views, layout):
    small = dataclasses.replace(layout, letters_per_volume=20)
    jobs = [j for j in letters.jobs(plan, views, small) if j.kind == "letters-print"]
    units = list(views.assignments)
    assert len(units) > 40  # so that the last volume is a partial one
    assert [j.path for j in jobs] == [f"分工函合订打印本（第{n}册）.docx" for n in (1, 2, 3)]
    in_volumes = [[letter["addressee"] for letter in j.inputs["context"]["letters"]] for j in jobs]
    assert [len(v) for v in in_volumes] == [20, 20, len(units) - 40]
    assert sum(in_volumes, []) == [views.assignments[u].unit.full_name for u in units]
    # each volume is its own document, every one of its letters in it
    last = docx.Document(io.BytesIO(jobs[-1].make()))
    text = "\n".join(p.text for p in last.paragraphs)
    assert all(name in text for name in in_volumes[-1])
    assert in_volumes[0][0] not in text
