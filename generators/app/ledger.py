"""ledger, supervise, year-summary, and the record collect makes in the year's ledger (ledger/ beside plan/)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generators.artifact import Artifact
from generators.collect.collection import Collection
from generators.collect.tally import Tally
from generators.errors import FAILED
from generators.formspec import FormsLayout
from generators.guard import Inputs
from generators.layout import Layout, load_layout
from generators.ledger.journal import LedgerBusy, ledger_lock
from generators.ledger.record import Pending, prepare
from generators.ledger.spec import LedgerLayout
from generators.ledger.store import LedgerError, LedgerPaths, load
from generators.ledger.withdraw import Withdrawn
from generators.ledger.year import Year
from generators.ledger.year_summary import YearEnd
from generators.model import Plan
from generators.output import transaction
from generators.periods import Cycle
from generators.plan import load_plan
from generators.views import Views

from .common import Refused, check_period


@contextlib.contextmanager
def recording(
    plan_dir: Path,
    plan: Plan,
    views: Views,
    layout: Layout,
    collection: Collection,
    tally: Tally | None = None,
) -> Iterator[tuple[LedgerPaths, Pending]]:
    """collect's hook, around its write of output/: ledger/ locked (a switch a killed collect left is
    finished first), read whole, checked, and the recording prepared, all before output/ changes
    (LedgerError: nothing written anywhere). The caller commits the Pending after the summary is in."""
    paths = LedgerPaths.beside(plan_dir, plan.meta.year, Cycle(plan.meta.cycle).count)
    try:
        with ledger_lock(paths):
            yield paths, prepare(paths, plan, views, FormsLayout.of(layout), collection, tally)
    except LedgerBusy as err:
        raise Refused(str(err), FAILED) from err


def load_year(plan_dir: Path, templates_dir: Path) -> tuple[Plan, Layout, Year]:
    """The plan, the layout and the year as the ledger holds it (Refused when it holds nothing yet)."""
    plan = load_plan(plan_dir)
    layout = load_layout(templates_dir / "layout.yaml")
    paths = LedgerPaths.beside(plan_dir, plan.meta.year, Cycle(plan.meta.cycle).count)
    try:
        with ledger_lock(paths, create=False):  # a switch a killed collect left is finished first
            ledger = load(paths)
    except LedgerBusy as err:
        raise Refused(str(err), FAILED) from err
    except LedgerError as err:
        raise Refused(str(err)) from err
    if not ledger.entries:
        raise Refused(
            f"台账 {paths.csv} 中还没有记录：请先用 plandocs collect --quarter N 文件夹 收取季度报表"
        )
    views = Views(plan)
    return plan, layout, Year(ledger, plan, views, FormsLayout.of(layout), LedgerLayout.of(layout))


def write(
    out_dir: Path, plan: Plan, artifacts: list[Artifact], kinds: frozenset[str], replaced: Callable
) -> list[str]:
    """The command's own kinds written as one transaction (every other entry is kept); the paths written."""
    with transaction(out_dir, kinds, inputs=Inputs.of(plan.directory)) as tx:
        tx.write(artifacts, plan, replaced=replaced)
    return [str(out_dir / artifact.path) for artifact in artifacts]


@dataclass(frozen=True)
class LedgerOutcome:
    written: list[str]
    year: Year
    quarters_rebuilt: tuple[int, ...]


def ledger_workbook(
    plan_dir: Path, out_dir: Path, templates_dir: Path, rebuild_summaries: bool = False
) -> LedgerOutcome:
    """The year workbook from the ledger; with rebuild_summaries, each recorded quarter's summary and 通报
    made again from the ledger alone."""
    from generators.ledger.workbook import RECORD_KIND, render_workbooks

    plan, layout, year = load_year(plan_dir, templates_dir)
    artifacts, kinds = render_workbooks(year, layout), frozenset({"ledger", RECORD_KIND})
    quarters: tuple[int, ...] = ()
    if rebuild_summaries:
        from generators.collect import COLLECTED_KINDS, summary_artifacts
        from generators.ledger.rebuild import quarter_tally, recorded_quarters

        paths = LedgerPaths.beside(plan_dir, plan.meta.year, Cycle(plan.meta.cycle).count)
        quarters = recorded_quarters(year.ledger)
        for q in quarters:
            try:
                tally = quarter_tally(year.ledger, paths, year.spec, q)
            except LedgerError as err:
                raise Refused(str(err)) from err
            artifacts += summary_artifacts(plan, year.views, layout, tally.collection, tally)
        kinds |= COLLECTED_KINDS
    written = write(
        out_dir,
        plan,
        artifacts,
        kinds,
        lambda e: e["kind"] in ("ledger", RECORD_KIND) or e.get("quarter") in quarters,
    )
    return LedgerOutcome(written, year, quarters)


@dataclass(frozen=True)
class SuperviseOutcome:
    written: list[str]
    year: Year
    quarter: int
    found: list  # one per unit supervised: its lagging/unstarted tasks, or `missing` (未报送)

    @property
    def missing(self) -> int:
        """Units that sent nothing for the quarter (未报送)."""
        return sum(1 for c in self.found if c.missing and not c.sent_back)

    @property
    def returned(self) -> int:
        """Units whose return was refused and not sent again (退回)."""
        return sum(1 for c in self.found if c.sent_back)

    @property
    def units(self) -> list[str]:
        return [c.unit.name for c in self.found]

    @property
    def counts(self) -> str:
        """The units supervised with 退回 and 未报送 apart, as the 督办清单 and the 通报 tell them."""
        return f"{len(self.found)} 个单位（其中报表被退回 {self.returned} 个，未报送 {self.missing} 个）"


def supervise(plan_dir: Path, out_dir: Path, templates_dir: Path, quarter: int) -> SuperviseOutcome:
    """A 督办单 for each unit with lagging or unstarted tasks or no return in `quarter`, and the 督办清单."""
    from generators.render.supervision import render

    plan, layout, year = load_year(plan_dir, templates_dir)
    check_period(Cycle(plan.meta.cycle), quarter)
    if quarter not in year.collected:
        name = Cycle(plan.meta.cycle).name_of(quarter)
        unit = Cycle(plan.meta.cycle).unit
        raise Refused(
            f"台账中还没有{name}的记录：请先收取该{unit}报表（plandocs collect --quarter {quarter} 文件夹）"
        )
    try:
        artifacts, found = render(year, layout, quarter)
    except LedgerError as err:
        raise Refused(str(err)) from err
    written = write(
        out_dir, plan, artifacts, frozenset({"supervision"}), lambda e: e.get("quarter") == quarter
    )
    return SuperviseOutcome(written, year, quarter, list(found))


@dataclass(frozen=True)
class YearSummaryOutcome:
    written: list[str]
    year: Year
    end: YearEnd  # the year's last collected quarter: status counts, lines, never_reported


def year_summary(plan_dir: Path, out_dir: Path, templates_dir: Path) -> YearSummaryOutcome:
    """The year's completion report draft (.docx) and its tables (.xlsx) from the ledger."""
    from generators.render.year_summary import render

    plan, layout, year = load_year(plan_dir, templates_dir)
    artifacts, end = render(year, layout)
    written = write(out_dir, plan, artifacts, frozenset({"year-summary"}), lambda e: True)
    return YearSummaryOutcome(written, year, end)


@dataclass(frozen=True)
class WithdrawOutcome:
    withdrawn: Withdrawn
    written: list[str]  # the quarter's summary and 通报, made again from the ledger


def withdraw(plan_dir: Path, out_dir: Path, templates_dir: Path, unit: str, quarter: int) -> WithdrawOutcome:
    """`unit`'s return of `quarter` withdrawn from the ledger (kept in 记录.csv and 撤回/), the unit 未报送
    for the quarter, and the quarter's summary and 通报 made again from the ledger so they say the same.
    Both written as transactions; the ledger checked before output/ changes."""
    from generators.collect import COLLECTED_KINDS, summary_artifacts
    from generators.ledger.rebuild import quarter_tally
    from generators.ledger.withdraw import withdraw as prepare_withdrawal

    plan = load_plan(plan_dir)
    layout, views = load_layout(templates_dir / "layout.yaml"), Views(plan)
    paths = LedgerPaths.beside(plan_dir, plan.meta.year, Cycle(plan.meta.cycle).count)
    try:
        with transaction(out_dir, COLLECTED_KINDS) as tx, ledger_lock(paths, create=False):
            done, ledger, change = prepare_withdrawal(paths, unit, quarter)
            tally = quarter_tally(ledger, paths, FormsLayout.of(layout), quarter)
            artifacts = summary_artifacts(plan, views, layout, tally.collection, tally)
            tx.write(artifacts, plan, replaced=lambda entry: entry.get("quarter") == quarter)
            change.commit()
    except LedgerBusy as err:
        raise Refused(str(err), FAILED) from err
    except LedgerError as err:
        raise Refused(str(err)) from err
    return WithdrawOutcome(done, [str(out_dir / artifact.path) for artifact in artifacts])
