"""pdf: printable PDFs of output/, only what changed, with progress callbacks for the face."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generators.errors import FAILED
from generators.pdf.convert import PdfReport

from .common import Refused


@dataclass(frozen=True)
class PdfOutcome:
    report: PdfReport  # converted, joined, unchanged, removed, failed, seconds

    @property
    def hints(self) -> list[str]:
        """What the office should know about how the PDFs were made (both faces say it)."""
        if not self.report.sheets_without_rule:
            return []
        return [
            f"提示：{self.report.sheets_without_rule} 个表格（.xlsx）由 soffice --convert-to 转换，单元格中的换行"
            "不避头尾（行首可能出现、，。）：未找到可导入 uno 的 python3，或设置了 PLANDOCS_CONVERTER=soffice。"
            "安装 python3-uno（sudo apt-get install python3-uno）后重新运行 plandocs pdf 即可。"
        ]


def pdf(
    plan_dir: Path,
    out_dir: Path,
    templates_dir: Path,
    paths: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    *,
    notify: Callable[[str], None] = lambda line: None,
    on_start: Callable[[int], None] = lambda count: None,
    on_progress: Callable[[str], None] = lambda name: None,
) -> PdfOutcome:
    """Convert what changed (a selection: `paths`, `kinds`; none: everything, after a build). `notify`
    hears the notes said before the conversion starts (output/ rebuilt first, or built from another plan)."""
    from generators.layout import load_layout
    from generators.output import read_manifest
    from generators.pdf import BadSelection, LibreOfficeMissing, convert_outputs, find_soffice
    from generators.pipeline import build as run_build
    from generators.plan import load_plan

    if find_soffice() is None:
        raise Refused(str(LibreOfficeMissing()), FAILED)
    plan = load_plan(plan_dir)
    if paths or kinds:
        if read_manifest(out_dir).get("plan", {}).get("hash") != plan.digest:
            notify(f"注意：{out_dir} 不是由当前计划数据生成的；需要时先运行 plandocs build。")
    else:
        # The build decides what is stale by its own key (plan, templates, code): a template edit
        # alone is seen too. Up to date, it returns at once without rendering anything.
        built = run_build(plan_dir, out_dir, templates_dir)
        if built.report.written or built.report.removed:
            notify(
                f"先更新 {out_dir}：写入 {len(built.report.written)} 个，删除 {len(built.report.removed)} 个文件。"
            )
    try:
        report = convert_outputs(
            out_dir,
            plan,
            paths=paths,
            kinds=kinds,
            on_start=on_start,
            on_progress=on_progress,
            # The print volumes are split as the build split them: by the layout it was built with.
            letters_per_volume=load_layout(templates_dir / "layout.yaml").letters_per_volume,
        )
    except BadSelection as err:
        raise Refused(str(err)) from err
    except LibreOfficeMissing as err:
        raise Refused(str(err), FAILED) from err
    return PdfOutcome(report)
