"""The frozen naive baseline of `make bench`: every document made the plain way, one after another.

FROZEN: this loop is the yardstick every release is measured against (speedup_vs_naive, build_vs_naive).
Do not optimise it, and do not change what it does when the build changes: a faster or slower baseline
would make one release's ratio meaningless against another's. It follows the renderers' jobs (so new
documents are in it) but makes each one with a fresh DocxTemplate (load, render with a strict
autoescaping environment, save) or the renderer's own openpyxl workbook saved with wb.save().
"""

from __future__ import annotations

from pathlib import Path


def naive(plan_dir: Path, out: Path) -> int:
    """Make every artifact with plain docxtpl / openpyxl calls, one after another; return the count."""
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from generators.context import BuildContext
    from generators.layout import load_layout
    from generators.pipeline import _modules
    from generators.plan import load_plan
    from generators.render import annex_xlsx, forms, matrix
    from generators.views import Views

    plan = load_plan(plan_dir)
    views, layout = Views(plan), load_layout()
    workbooks = {  # the renderers' own openpyxl code, per xlsx kind
        "annex-xlsx": lambda job: annex_xlsx.build(job.inputs["context"], layout, plan),
        "matrix": lambda job: matrix.workbook(plan, views, layout),
        "form": lambda job: forms.build_form(plan, views, layout, job.quarter, views.assignments[job.unit]),
    }
    count = 0
    for _, module in _modules(None):
        for job in module.jobs(BuildContext.of(plan, layout, views)):
            target = out / f"{count:05d}{Path(job.path).suffix}"
            if job.kind in workbooks:
                workbooks[job.kind](job).save(target)
            elif isinstance(job.inputs, dict) and "context" in job.inputs:
                document = DocxTemplate(job.templates[0])
                document.render(
                    job.inputs["context"], SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
                )
                document.save(target)
            else:  # a document whose context is not plain data (修改对照表): its own renderer
                target.write_bytes(job.make())
            count += 1
    return count
