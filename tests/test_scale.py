"""City scale: the letters print file comes in volumes (分册) of the size templates/layout.yaml sets."""

from __future__ import annotations

import dataclasses
import io

import docx

from generators.context import BuildContext
from generators.render import letters


def test_print_file_is_one_file_up_to_the_volume_size(plan, views, layout):
    jobs = [j for j in letters.jobs(BuildContext.of(plan, layout, views)) if j.kind == "letters-print"]
    assert len(views.assignments) <= layout.letters_per_volume
    assert [j.path for j in jobs] == [letters.PRINT_FILE]


def test_print_file_splits_into_volumes_of_the_configured_size(plan, views, layout):
    small = dataclasses.replace(layout, letters_per_volume=20)
    jobs = [j for j in letters.jobs(BuildContext.of(plan, small, views)) if j.kind == "letters-print"]
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


def test_noop_rebuild_lists_no_jobs_but_any_input_change_does(plan_copy, tmp_path, monkeypatch):
    import shutil

    from generators import pipeline
    from generators.layout import TEMPLATES_DIR

    out, templates = tmp_path / "out", tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    pipeline.build(plan_copy, out, templates)
    listed = []
    real_modules = pipeline._modules
    monkeypatch.setattr(pipeline, "_modules", lambda only: listed.append(only) or real_modules(only))
    assert pipeline.build(plan_copy, out, templates).rendered == 0
    assert listed == []  # up to date: not a single job listed
    layout = templates / "layout.yaml"
    layout.write_text(layout.read_text(encoding="utf-8") + "\n# 改动\n", encoding="utf-8")
    result = pipeline.build(plan_copy, out, templates)
    assert listed and result.rendered > 0  # a changed layout profile: listed, and re-rendered
    (out / "letters" / "区应急局.docx").write_bytes(b"edited")
    listed.clear()
    assert pipeline.build(plan_copy, out, templates).report.written == ["letters/区应急局.docx"]
    assert listed
