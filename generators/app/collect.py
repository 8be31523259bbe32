"""collect: the returned quarterly forms in a folder read and checked, the quarter's summary and 通报
written, the accepted returns recorded in the year's ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generators.collect import COLLECTED_KINDS, cells, summary_artifacts
from generators.collect import collect as run_collect
from generators.collect.collection import Collection
from generators.collect.tally import Tally
from generators.errors import FAILED
from generators.formspec import FormsLayout
from generators.guard import Inputs, refuse_protected
from generators.layout import Layout, load_layout
from generators.ledger.carry import carried
from generators.ledger.rebuild import quarter_tally
from generators.ledger.record import Recorded
from generators.ledger.store import LedgerError, LedgerPaths
from generators.model import Plan
from generators.output import transaction
from generators.periods import Cycle
from generators.plan import load_plan
from generators.views import Views

from .common import Refused, check_period
from .ledger import recording


@dataclass
class CollectOutcome:
    collection: Collection  # every file's verdict; 已报 / 退回 / 未报送 by name, the reasons
    written: list[str] = field(default_factory=list)  # output/ paths of the summary and 通报
    empty: str | None = None  # no unit's return in the folder: why nothing was written (exit 1)
    # the quarter as the summary and 通报 count it: this folder's returns with what the ledger held before
    # (units recorded from an earlier batch stay 已报); None when it is the collection alone (no_ledger)
    counted: Collection | None = None
    ledger: LedgerPaths | None = None
    recorded: Recorded | None = None  # what the ledger took (None with no_ledger or when it refused)
    ledger_error: str | None = None  # the ledger refused (exit 2); the message says what was written
    carried: int = 0  # 一表通: accepted rows whose status and progress are the unit's last ones, unchanged
    changed: int = 0  # accepted rows the unit wrote anew (or reported for the first time)

    @property
    def period(self) -> Collection:
        """The quarter as the summary, the 通报, supervise and the 督办清单 count it (`counted`), or this
        folder alone when nothing was recorded; the faces show these counts, never the batch's."""
        return self.counted or self.collection

    @property
    def earlier(self) -> list[str]:
        """Units counted 已报 from what the ledger held before this folder's returns."""
        return [u for u in self.period.reports if u not in self.collection.reports]


def counts(collection: Collection, period_name: str) -> str:
    """已报 / 退回 / 未报送: three disjoint counts adding up to 应报, as the summary and the 通报 count them."""
    return (
        f"{period_name}：应报 {collection.expected} 个单位，已报 {len(collection.reports)} 个，"
        f"退回 {len(collection.returned)} 个，未报送 {len(collection.not_reported)} 个。"
    )


def collect(
    plan_dir: Path,
    out_dir: Path,
    templates_dir: Path,
    quarter: int,
    folder: Path,
    no_ledger: bool = False,
) -> CollectOutcome:
    if not folder.is_dir():
        raise Refused(f"{folder}：找不到回收报表所在的文件夹")
    inputs = Inputs(plan=plan_dir, templates=templates_dir, returns=folder)
    refuse_protected(out_dir, "output", inputs)  # before any return is read: said first and alone
    if folder.resolve().is_relative_to(out_dir.resolve()):
        # output/forms/… holds the blank forms plandocs sent out: summarising them would send back every unit
        raise Refused(
            f"{folder}：在输出目录 {out_dir} 之内，是生成的文件，不是各单位交回的报表；"
            "请把交回的报表放在输出目录以外的文件夹中再汇总"
        )
    plan = load_plan(plan_dir)
    check_period(Cycle(plan.meta.cycle), quarter)
    layout, views = load_layout(templates_dir / "layout.yaml"), Views(plan)
    # never the blank forms plandocs wrote (output/forms/), the ledger's archive, the plan or the templates,
    # when the folder holds them (`collect --quarter 1 .` in the project root)
    ledger_root = LedgerPaths.beside(plan_dir, plan.meta.year, Cycle(plan.meta.cycle).count).root
    exclude = (out_dir, ledger_root, plan_dir, templates_dir)
    collection = run_collect(plan, views, layout, quarter, folder, exclude=exclude)
    outcome = CollectOutcome(collection)
    if not collection.has_returns:
        outcome.empty = _empty(folder, out_dir, plan, layout, collection)
        return outcome
    tally = Tally(views, FormsLayout.of(layout), collection)  # one tally: summary, 通报 and ledger
    outcome.carried, outcome.changed = _carried_rows(plan, views, layout, collection)
    artifacts = summary_artifacts(plan, views, layout, collection, tally)
    with transaction(
        out_dir, COLLECTED_KINDS, inputs=inputs
    ) as tx:  # this quarter's summary replaced, others kept
        if no_ledger:
            tx.write(artifacts, plan, replaced=lambda entry: entry.get("quarter") == quarter)
        else:
            # the ledger is read and checked, and the recording prepared, before output/ changes; then the
            # summary and the ledger are switched in, each as one transaction (a kill between the two
            # leaves the ledger as it was: collecting the folder again records it)
            try:
                with recording(plan_dir, plan, views, layout, collection, tally) as (paths, pending):
                    # the quarter as the ledger will hold it: a later batch folder's summary and 通报 count
                    # the units recorded from earlier folders as 已报, not 未报送 (the cells ledger
                    # --rebuild-summaries draws)
                    counted = quarter_tally(pending.ledger, paths, FormsLayout.of(layout), quarter)
                    artifacts = summary_artifacts(plan, views, layout, counted.collection, counted)
                    outcome.counted = counted.collection
                    tx.write(artifacts, plan, replaced=lambda entry: entry.get("quarter") == quarter)
                    try:
                        pending.commit()
                    except LedgerError as err:
                        outcome.ledger_error = f"{err}；汇总已写入，台账未改动，请处理后重新运行 collect"
                    else:
                        outcome.ledger, outcome.recorded = paths, pending.recorded
            except LedgerError as err:
                if outcome.ledger_error is None:
                    outcome.ledger_error = f"{err}；汇总和台账均未改动，请处理后重新运行 collect"
                    return outcome
    outcome.written = [str(out_dir / artifact.path) for artifact in artifacts]
    return outcome


def _carried_rows(plan: Plan, views: Views, layout: Layout, collection: Collection) -> tuple[int, int]:
    """一表通: of the accepted rows, how many carry the unit's last status and progress unchanged (the form
    came prefilled with them) and how many the unit wrote anew."""
    before = carried(plan, views, layout)  # the ledger before this period's returns are recorded
    kept = len(before.unchanged(collection))
    return kept, sum(len(v.rows) for v in collection.reports.values()) - kept


def _empty(folder: Path, out_dir: Path, plan: Plan, layout: Layout, collection: Collection) -> str:
    """A folder with no unit's return in it (empty, the wrong folder): an existing summary is kept."""
    files = len(collection.verdicts)
    what = "是空的" if not files else f"的 {files} 个文件中没有任何单位交回的报表"
    spec = FormsLayout.of(layout)
    names = spec.names(plan, collection.quarter)
    paths = (spec.summary.path.format(**names), spec.summary.report_path.format(**names))
    kept = [p for p in paths if (out_dir / p).is_file()]
    tail = f"已有的汇总表和通报保持不变：{'、'.join(kept)}" if kept else "未生成汇总表和通报"
    return f"{cells.shown(str(folder))} {what}，{tail}。请确认报表所在的文件夹后重新运行。"


EMPTY_EXIT = FAILED
