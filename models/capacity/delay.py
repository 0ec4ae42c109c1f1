"""What breaks if we delay it: one funded initiative made to start later, the plan left as it is.

`delay_effects` evaluates the scenario as it is, then allocates the same ranking again with the
chosen initiative allowed to start no earlier than `quarters` after the quarter it starts in now
(the allocator's `earliest` per row, as if a prerequisite finished then; every other rule is the
same). It compares the two allocations and returns, as plain data, which other initiatives then
start later, finish later, finish late (late now, on time before), fall out of the funded set, or
move the other way (start earlier, become funded), with their teams. Nothing is stored: the
scenario and the evaluator's caches are what they were. docs/capacity.md ("Delay") has the rule
and a worked example.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import numpy as np

from cutline.models.errors import ModelError
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.pipeline import Evaluator
from cutline.models.scenarios.scenario import Scenario


@dataclass(frozen=True)
class Moved:
    """One initiative before and after the delay. Quarters are names ("2027-Q2"); None when the
    initiative is not funded. `reason` is why it is not funded after the delay ("" when it is)."""

    id: str
    title: str
    team: str
    rank: int
    before_quarter: str | None
    before_finish: str | None
    after_quarter: str | None
    after_finish: str | None
    due_quarter: str
    late_before: bool
    late_after: bool
    reason: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class DelayEffects:
    """The answer to "what breaks if we delay `id` by `quarters`".

    `delayed` is the initiative itself. The lists name the other initiatives, best ranked first;
    one initiative can be in several (it starts later and is now late). `starts_later`: funded
    before and after, first quarter later; `finishes_later`: last quarter later, first quarter
    not; `newly_late`: funded after the delay and late, not late before (or not funded before);
    `unfunded`: funded before, not after. The gains, for a fair picture: `starts_earlier` and
    `newly_funded` (capacity the delayed work no longer uses). `teams` are the teams of the
    initiatives that start or finish later, become late or fall out, sorted.
    """

    id: str
    quarters: int
    scenario: str
    delayed: Moved
    starts_later: tuple[Moved, ...]
    finishes_later: tuple[Moved, ...]
    newly_late: tuple[Moved, ...]
    unfunded: tuple[Moved, ...]
    starts_earlier: tuple[Moved, ...]
    newly_funded: tuple[Moved, ...]
    teams: tuple[str, ...]

    @property
    def breaks_nothing(self) -> bool:
        """True when no other initiative starts or finishes later, becomes late or falls out."""
        return not (self.starts_later or self.finishes_later or self.newly_late or self.unfunded)

    def to_dict(self) -> dict:
        lists = ("starts_later", "finishes_later", "newly_late", "unfunded", "starts_earlier", "newly_funded")
        return {"id": self.id, "quarters": self.quarters, "scenario": self.scenario,
                "delayed": self.delayed.to_dict(),
                **{name: [m.to_dict() for m in getattr(self, name)] for name in lists},
                "teams": list(self.teams), "breaks_nothing": self.breaks_nothing}


def delay_effects(evaluator_or_portfolio: Evaluator | Portfolio, scenario: Scenario, row: int | str,
                  quarters: int = 1) -> DelayEffects:
    """What happens to the plan of `scenario` if the initiative `row` (a portfolio row, or an id)
    starts at least `quarters` quarters later than it does now. Pure: nothing is changed.

    Raises ModelError for an unknown id, a row that is not funded (nothing to delay) or a
    `quarters` below 1.
    """
    evaluator = (evaluator_or_portfolio if isinstance(evaluator_or_portfolio, Evaluator)
                 else Evaluator(evaluator_or_portfolio))
    portfolio = evaluator.portfolio
    row = _row_of(portfolio, row)
    if isinstance(quarters, bool) or not isinstance(quarters, int | np.integer) or quarters < 1:
        raise ModelError(f"A delay must be a whole number of quarters, 1 or more (it is {quarters!r}).",
                         hint="Delay by 1, 2, 3 … quarters.")
    quarters = int(quarters)
    before = evaluator.evaluate(scenario)
    a, ranking = before.allocation, before.ranking
    ident = str(portfolio.ids[row])
    if not a.funded[row]:
        raise ModelError(f"{ident} is not funded in scenario {scenario.name!r}, so there is nothing to delay "
                         f"({a.reason[row]}).", hint="Choose a funded initiative.")
    earliest = np.zeros(len(portfolio), dtype=np.int64)
    # Past the plan's end is past the end, however far: capped so the arithmetic stays in int64.
    earliest[row] = int(a.quarter[row]) + min(quarters, 10_000)
    after = evaluator.allocator_for(scenario).run(ranking.order, evaluator.pins_for(scenario),
                                                  rank=ranking.rank, earliest=earliest,
                                                  placements=scenario.placements or None)

    p = before.portfolio
    ids, titles, teams = p.ids, p.text("title"), p.text("team")
    names = np.array(list(a.quarters) + [None], dtype=object)  # index -1 reads None

    def quarter_names(alloc, index: np.ndarray) -> np.ndarray:
        return names[np.where(alloc.funded, index, -1)]

    b_start, b_finish = quarter_names(a, a.quarter), quarter_names(a, a.finish)
    a_start, a_finish = quarter_names(after, after.quarter), quarter_names(after, after.finish)

    def moved(r: int) -> Moved:
        return Moved(id=str(ids[r]), title=str(titles[r]), team=str(teams[r]), rank=int(ranking.rank[r]),
                     before_quarter=b_start[r], before_finish=b_finish[r],
                     after_quarter=a_start[r], after_finish=a_finish[r],
                     due_quarter=str(a.due_quarter[r]), late_before=bool(a.late[r]), late_after=bool(after.late[r]),
                     reason="" if after.funded[r] else str(after.reason[r]))

    both = a.funded & after.funded
    others = np.ones(len(portfolio), dtype=bool)
    others[row] = False
    masks = {
        "starts_later": both & (after.quarter > a.quarter),
        "finishes_later": both & (after.quarter <= a.quarter) & (after.finish > a.finish),
        "newly_late": after.funded & after.late & ~(a.funded & a.late),
        "unfunded": a.funded & ~after.funded,
        "starts_earlier": both & (after.quarter < a.quarter),
        "newly_funded": ~a.funded & after.funded,
    }
    order = ranking.order
    lists = {name: tuple(moved(int(r)) for r in order[(mask & others)[order]]) for name, mask in masks.items()}
    hurt = tuple(m for name in ("starts_later", "finishes_later", "newly_late", "unfunded") for m in lists[name])
    return DelayEffects(id=ident, quarters=quarters, scenario=scenario.name, delayed=moved(row),
                        teams=tuple(sorted({m.team for m in hurt})), **lists)


def _row_of(portfolio: Portfolio, row: int | str) -> int:
    if isinstance(row, str):
        found = portfolio.row_of_id.get(row)
        if found is None:
            raise ModelError(f"There is no initiative {row!r} in the portfolio.", hint="Use an id the ranked list shows.")
        return int(found)
    if isinstance(row, bool) or not isinstance(row, int | np.integer) or not 0 <= row < len(portfolio):
        raise ModelError(f"There is no row {row!r} in the portfolio of {len(portfolio)} initiatives.")
    return int(row)


def delay_lines(effects: DelayEffects) -> list[str]:
    """The answer in words, one line each, as `cutline rank --delay` prints it."""
    d, n = effects.delayed, effects.quarters
    by = f"{n} quarter{'' if n == 1 else 's'}"
    lines = [f"If {d.id} starts {by} later (scenario {effects.scenario}; the plan itself is not changed):"]
    if d.after_quarter is None:
        lines.append(f"  {d.id} ({_team(d)}) is no longer funded: {d.reason}.")
    else:
        late = f", late (due {d.due_quarter})" if d.late_after else ""
        lines.append(f"  {d.id} ({_team(d)}) starts in {d.after_quarter} instead of {d.before_quarter} "
                     f"and finishes in {d.after_finish}{late}.")
    return lines + _listed(effects, None, "Nothing else starts or finishes later, becomes late or falls out "
                                          "of the funded set.")


#: "needs 6 person-weeks, team Identity has 5 free from 2027-Q4 to the end of the plan"
_NO_ROOM = re.compile(r"needs (?P<need>[\d.,]+) person-weeks, (?:team .+?|the shared pool) has (?P<free>[\d.,]+) free\b.*")


def short_reason(reason: str) -> str:
    """A reason for not funding, short enough for one line of a narrow panel: the capacity
    reason as "needs 6 pw, 5 free" (the line already names the team); others as they are."""
    found = _NO_ROOM.fullmatch(reason)
    return f"needs {found['need']} pw, {found['free']} free" if found else reason


def _sections(effects: DelayEffects, short: bool = False) -> tuple:
    """(title, initiatives, how each moved in words) for every list of `effects`, in order;
    `short` words reasons as `short_reason` does."""
    reason = short_reason if short else str
    return (
        ("Start later", effects.starts_later, lambda m: f"{m.before_quarter} → {m.after_quarter}"),
        ("Finish later", effects.finishes_later, lambda m: f"finishes {m.after_finish} (was {m.before_finish})"),
        ("Finish late", effects.newly_late,
         lambda m: f"due {m.due_quarter}, finishes {m.after_finish}" +
                   (f" (was {m.before_finish})" if m.before_finish else " (was not funded)")),
        ("Fall out of the funded set", effects.unfunded, lambda m: f"was {m.before_quarter}; {reason(m.reason)}"),
        ("Start earlier", effects.starts_earlier, lambda m: f"{m.before_quarter} → {m.after_quarter}"),
        ("Funded now", effects.newly_funded, lambda m: f"starts {m.after_quarter}"),
    )


def slip_lines(effects: DelayEffects, most: int = 5) -> list[str]:
    """The answer in a few short lines for the explain panel: what the delayed initiative does,
    then who starts later, finishes later or late, falls out (at most `most` of each, best ranked
    first), the gains, and the teams affected; "Nothing else moves." when nothing breaks.
    An initiative's line starts with two spaces; a heading ends with a colon."""
    d = effects.delayed
    if d.after_quarter is None:
        lines = [f"{d.id} itself falls out: {d.reason}."]
    else:
        late = f", late (due {d.due_quarter})" if d.late_after else ""
        lines = [f"{d.id} starts {d.after_quarter} (not {d.before_quarter}), finishes {d.after_finish}{late}."]
    return lines + _listed(effects, most, "Nothing else moves.", short=True)


def _listed(effects: DelayEffects, most: int | None, nothing: str, short: bool = False) -> list[str]:
    """Each list of `effects` under its heading (at most `most` lines of each when given), then
    the teams affected, or `nothing` when nothing breaks."""
    lines = []
    for title, moved, words in _sections(effects, short):
        if not moved:
            continue
        lines.append(f"{title} ({len(moved)}):")
        shown = moved if most is None else moved[:most]
        lines += [f"  #{m.rank} {m.id} ({_team(m)}): {words(m)}" for m in shown]
        if len(moved) > len(shown):
            lines.append(f"  … and {len(moved) - len(shown)} more")
    if effects.breaks_nothing:
        lines.append(nothing)
    else:
        lines.append(f"Teams affected: {', '.join(t or '(no team)' for t in effects.teams)}.")
    return lines


def _team(m: Moved) -> str:
    return f"team {m.team}" if m.team else "no team"
