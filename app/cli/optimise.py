"""`cutline optimise FILE`: the best plan beside the walk's, in words or as JSON (docs/cli.md)."""

from __future__ import annotations

import sys

from cutline.app.cli.commands import (
    EXIT_OK,
    _loaded,
    _scenario_with,
    coverage_warnings,
    dumps,
    evaluation_scorer,
)
from cutline.models.errors import CutlineError

#: `cutline optimise` exits 4 when the scenario's constraints cannot all hold (docs/cli.md).
EXIT_INFEASIBLE = 4


def add_parser(sub) -> None:
    """The `optimise` subcommand's arguments (called from app/cli/main.py)."""
    from pathlib import Path

    p = sub.add_parser("optimise", help="the plan with the most total score, beside the walk's")
    p.add_argument("input", type=Path, help="a spreadsheet or a workshop file")
    p.add_argument("--model", type=Path, help="a model file (TOML) or a shipped template (as for rank)")
    p.add_argument("--sheet", help="the sheet to import from a workbook")
    p.add_argument("--capacity", type=Path, help="a capacity file (csv or xlsx); default: the workbook's "
                   "Capacity sheet")
    p.add_argument("--scenario", help="the workshop scenario to use (default: its current one)")
    p.add_argument("--time-limit", type=_seconds, default=10.0, metavar="S",
                   help="stop searching after S seconds and report the proven gap (default 10)")
    p.add_argument("--ignore-tiers", action="store_true",
                   help="maximise the total score across tiers (default: tier by tier, tier 1 first)")
    p.add_argument("--adopt", metavar="NAME",
                   help="add the best plan to the workshop file INPUT as a new scenario NAME, whose walk "
                        "funds the plan's initiatives in its quarters (the other scenarios are not changed)")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _seconds(text: str) -> float:
    import argparse

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError("a time limit above 0 and at most 3600 seconds")
    return value


def optimise(args) -> int:
    from cutline.models.optimise import optimise as run
    from cutline.models.scenarios.pipeline import Evaluator

    name = (args.adopt or "").strip() or None
    if args.adopt is not None and name is None:
        raise CutlineError("--adopt needs the name of the new scenario.", hint='For example --adopt "Best plan".')
    loaded = _loaded(args, scenario=args.scenario, read_only=name is None)
    try:
        if name is not None:
            _check_adoptable(args.input, loaded, name)
        scenario = _scenario_with(args, loaded.workshop, args.model)
        evaluator = Evaluator(loaded.workshop.portfolio)
        evaluation = evaluator.evaluate(scenario)
        # Checked before the solving: a --model that cannot score the portfolio stops here.
        warnings = list(loaded.warnings) + coverage_warnings(
            evaluation, evaluation_scorer(evaluator, evaluation), strict=args.model is not None)
        allocator = evaluator.allocator_for(scenario)
        try:
            plan = run(evaluation, time_limit=args.time_limit, respect_tiers=not args.ignore_tiers,
                       allocator=allocator)
        except ImportError as exc:  # the solver is missing from this installation
            raise CutlineError(f"The optimiser needs the HiGHS solver, which is not installed ({exc}).",
                               hint="Install it: python -m pip install highspy") from None
        adopted = None
        if name is not None and plan.status != "infeasible":
            adopted = _adopt(loaded.file, plan, evaluation, name, allocator)
    finally:
        if loaded.file is not None:
            loaded.file.close()
    for line in warnings:
        print(f"cutline: warning: {line}", file=sys.stderr)
    if args.json:
        data = optimise_json(evaluation, plan)
        data["adopted"] = None if adopted is None else {
            "scenario": name, "reproduces": adopted.reproduces, "how": adopted.words}
        print(dumps(data))
    else:
        print(optimise_text(evaluation, plan))
        if adopted is not None:
            print(f"\n{adopted_words(args.input, name, adopted, plan)}")
    return EXIT_INFEASIBLE if plan.status == "infeasible" else EXIT_OK


def _check_adoptable(path, loaded, name: str) -> None:
    """Before any solving: --adopt needs a workshop file this process may write, and a new name."""
    file = loaded.file
    if file is None:
        raise CutlineError(f"--adopt adds a scenario to a workshop file, and {path.name} is a spreadsheet.",
                           hint=f"Make a workshop file first (cutline import {path.name} -o FILE.cutline), "
                                "then run cutline optimise FILE.cutline --adopt NAME.")
    if file.read_only:
        if file.changed:  # changed outside Cutline: the window asks whether to keep the changes
            hint = ("Open it in Cutline, which asks whether to keep those changes, then run this again "
                    "or adopt the plan there (Best plan > Take it as a new scenario).")
        else:
            hint = ("If it is open in Cutline, close it first, or adopt the plan there (Best plan > Take it "
                    "as a new scenario).")
        raise CutlineError(f"The best plan cannot be added to {path.name}: {file.read_only_reason}", hint=hint)
    if name.casefold() in (n.casefold() for n in file.workshop.scenario_names):
        raise CutlineError(f"{path.name} already has a scenario {name!r}.",
                           hint="Choose another name for the new scenario.")


def _adopt(file, plan, evaluation, name: str, allocator):
    """The plan as a new scenario, recorded in the workshop file as one journal entry (the
    file's current scenario stays current)."""
    from cutline.models.optimise.adopt import adopt_as_scenario
    from cutline.models.workshop.journal import JournalEntry

    adopted = adopt_as_scenario(plan, evaluation, name, allocator=allocator)
    workshop = file.workshop
    file.record(workshop.adding_scenario(adopted.scenario),
                JournalEntry("scenario", f"New scenario {name} from the best plan of {evaluation.scenario.name} "
                             "(cutline optimise --adopt)", workshop.current, old=None, new=name))
    return adopted


def adopted_words(path, name: str, adopted, plan) -> str:
    how = (f"its walk funds exactly the best plan's initiatives, in the best plan's quarters, for a total score "
           f"of {float(plan.objective):.1f}" if adopted.reproduces
           else "its walk does not fund exactly the best plan's initiatives")
    return f"Added scenario {name} to {path.name}: {how}. {adopted.words}"


def optimise_json(evaluation, plan) -> dict:
    """The JSON of `cutline optimise --json` (docs/cli.md)."""
    from cutline.app.cli.commands import SCHEMA_VERSION

    p, r, a = evaluation.portfolio, evaluation.ranking, plan.allocation
    walk = evaluation.allocation
    names = a.quarters
    ids, titles, teams = p.ids.tolist(), p.text("title").tolist(), p.text("team").tolist()
    span_at, span_pw, span_q = a.span_ptr.tolist(), a.span_pw.tolist(), [names[q] for q in a.span_quarter.tolist()]
    quarter, finish, late, due = a.quarter.tolist(), a.finish.tolist(), a.late.tolist(), a.due_quarter.tolist()
    funded, walk_funded = a.funded.tolist(), walk.funded.tolist()
    entries = []
    for row in r.order.tolist():
        lo, hi = span_at[row], span_at[row + 1]
        entries.append({
            "rank": int(r.rank[row]), "id": ids[row], "title": titles[row], "team": teams[row],
            "tier": int(r.tier[row]), "score": float(r.score[row]),
            "funded": funded[row], "walk_funded": walk_funded[row],
            "quarter": names[quarter[row]] if quarter[row] >= 0 else None,
            "quarters": [{"quarter": q, "person_weeks": pw} for q, pw in zip(span_q[lo:hi], span_pw[lo:hi])],
            "finish_quarter": names[finish[row]] if finish[row] >= 0 else None,
            "due_quarter": due[row] or None,
            "late": late[row],
        })
    return {
        "schema_version": SCHEMA_VERSION,
        "scenario": evaluation.scenario.name,
        "status": plan.status,
        "gap": plan.gap,
        "seconds": round(plan.seconds, 3),
        "objective": plan.objective,
        "walk_objective": plan.walk_objective,
        "respect_tiers": plan.respect_tiers,
        "tier_objectives": list(plan.tier_objectives),
        "walk_tier_objectives": list(plan.walk_tier_objectives),
        "problems": list(plan.problems),
        "notes": list(plan.notes),
        "comparison": plan.comparison.to_dict(),
        "initiatives": entries,
    }


def optimise_text(evaluation, plan) -> str:
    """The best plan in words: status, gap, time, objective against the walk's, then the swaps
    and the funded list."""
    from cutline.models.words.plans import LATE_MARK, late_words, person_weeks, span_words

    c = plan.comparison
    lines = [f"Best plan for scenario {evaluation.scenario.name}: {_status(plan)}"]
    if plan.status == "infeasible":
        lines += ["The constraints cannot all hold:"] + [f"  - {w}" for w in plan.problems]
        lines.append("The walk's plan stands (cutline rank shows it).")
        return "\n".join(lines)
    lines.append(f"Total score {plan.objective:.1f} (the walk: {plan.walk_objective:.1f}, "
                 f"{_signed(plan.objective - plan.walk_objective)}); person-weeks used "
                 f"{person_weeks(c.plan_person_weeks)} (the walk: {person_weeks(c.walk_person_weeks)})")
    if plan.respect_tiers and len(plan.tier_objectives) > 1:
        tiers = ", ".join(f"tier {k + 1} {v:.1f} (walk {w:.1f})" for k, (v, w) in
                          enumerate(zip(plan.tier_objectives, plan.walk_tier_objectives)))
        lines.append(f"Tier by tier, tier 1 first: {tiers}")
    lines += [f"Note: {n}" for n in plan.notes]
    lines.append("")
    if c.swaps:
        lines.append(f"Against the walk ({len(c.adds)} added, {len(c.drops)} dropped):")
        lines += [f"  - {s}" for s in c.swaps]
    else:
        lines.append("The same initiatives as the walk funds.")
    lines.append("")
    p, r, a = evaluation.portfolio, evaluation.ranking, plan.allocation
    spans, lates = span_words(a, arrow="→"), late_words(a)
    ids, titles, teams = p.ids, p.text("title"), p.text("team")
    walk = evaluation.allocation.funded
    head = f"{'#':>4}  {'ID':<10}  {'Title':<40}  {'Team':<18}  {'Score':>5}  Quarters"
    lines += ["Funded in the best plan:", head, "-" * len(head)]
    for row in r.order[a.funded[r.order]].tolist():
        title = titles[row] if len(titles[row]) <= 40 else titles[row][:39] + "…"
        where = spans[row] + (f" {LATE_MARK} {lates[row]}" if lates[row] else "")
        mark = "" if walk[row] else "  (added)"
        lines.append(f"{int(r.rank[row]):>4}  {ids[row]:<10}  {title:<40}  {teams[row][:18]:<18}  "
                     f"{r.score[row]:5.1f}  {where}{mark}")
    lines.append("")
    lines.append(f"{int(a.funded.sum())} of {len(r)} funded in the best plan, {int(walk.sum())} by the walk.")
    return "\n".join(lines)


def _status(plan) -> str:
    seconds = f"{plan.seconds:.2f} s"
    if plan.status == "optimal":
        return f"optimal (proven), {seconds}"
    if plan.status == "infeasible":
        return f"no plan keeps every constraint, {seconds}"
    gap = f"within {plan.gap:.2%} of the best possible (proven gap)"
    if plan.ended_early:
        return f"stopped after {seconds} with nothing more to try, before the time limit of {plan.time_limit:g} s; {gap}"
    return f"stopped at the {plan.status}, {seconds}; {gap}"


def _signed(value: float) -> str:
    return f"+{value:.1f}" if value >= 0 else f"{value:.1f}"
