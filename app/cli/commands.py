"""`cutline rank`, `compare` and `import`: the domain's API driven from a terminal."""

from __future__ import annotations

import json
import math
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

from cutline.app.lifecycle.loading import check_spreadsheet_scenario, load_path, switch_to
from cutline.models.errors import CutlineError
from cutline.models.words.counts import counted

#: 2 added `source`, `mapping` and each initiative's `inputs` (docs/cli.md); nothing was removed.
SCHEMA_VERSION = 3

#: Exit statuses (docs/cli.md): done; the input could not be used; it was read but has no initiatives.
EXIT_OK, EXIT_BAD_INPUT, EXIT_NO_INITIATIVES = 0, 2, 3

#: Import problems named when every row was left out, before "and N more".
NAMED_PROBLEMS = 3


class NoInitiatives(CutlineError):
    """The input was read, but there is nothing to rank: no rows, or every row was left out."""


def _loaded(args, *, scenario: str | None = None, read_only: bool = True):
    model = getattr(args, "model", None)
    loaded = load_path(args.input, sheet=args.sheet, scenario=scenario, read_only=read_only,
                       capacity_path=args.capacity, model_path=None if isinstance(model, list) else model)
    return require_initiatives(loaded, args.input)


def require_initiatives(loaded, source):
    """`loaded`, or NoInitiatives saying why there is nothing to rank (the first problems named)."""
    if len(loaded.workshop.portfolio):
        return loaded
    report, name = loaded.report, Path(source).name
    if report is not None and report.rows_read:
        problems = [issue for issue in report.issues if issue.is_error] or list(report.issues)
        lines = [f"\n  {i.describe()}" for i in problems[:NAMED_PROBLEMS]]
        if len(problems) > NAMED_PROBLEMS:
            lines.append(f"\n  and {len(problems) - NAMED_PROBLEMS:,} more")
        rows = "its only row has" if report.rows_read == 1 else f"all {report.rows_read:,} rows have"
        raise NoInitiatives(f"No initiatives in {name}: {rows} errors, so nothing was imported"
                            + (":" if lines else ".") + "".join(lines)
                            + "\nFix the cells named, or check the column mapping (docs/input.md).")
    raise NoInitiatives(f"No initiatives in {name}: it has no rows to rank.",
                        hint="Choose the sheet or file with your initiatives.")


def _scenario_with(args, workshop, model_path=None):
    """The current scenario, with --model and --capacity applied (they win over a workshop's)."""
    from cutline.models.capacity.tables import read_capacity
    from cutline.models.scoring.templates import model_or_template

    scenario = workshop.current_scenario()
    if model_path is not None:  # checked on the portfolio with the warnings (coverage_warnings)
        scenario = replace(scenario, model=model_or_template(model_path))
    if args.capacity is not None:
        scenario = replace(scenario, capacity=read_capacity(args.capacity))
    return scenario


def model_warnings(model, portfolio, scorer=None) -> list[str]:
    """Criteria with no data (in one line, with the template that fits better), then what checking
    the model on the portfolio warns of; ModelError for what cannot be scored at all."""
    from cutline.models.scoring.coverage import coverage_problem
    from cutline.models.scoring.model_file import validate_model

    out = []
    found = coverage_problem(model, portfolio, scorer)
    if found is not None:
        text, best = found
        out.append(f"{text} Try --model {best}." if best else text)
    return out + validate_model(model, portfolio, scorer, blank_criteria=False)


def coverage_warnings(evaluation, scorer=None, *, strict: bool = False) -> list[str]:
    """Criteria with no data in this portfolio, and the shipped template that fits it best, then
    what checking the model on this portfolio warns of (a tier no initiative meets, words a value
    map does not know, values outside a scale …). `scorer` (of the evaluated portfolio) lends its
    dependency graph and columns. What cannot be scored is raised when `strict` (a model given
    with --model), else said as a warning (a workshop's own model: an older file still opens)."""
    try:
        return model_warnings(evaluation.scenario.model, evaluation.portfolio, scorer)
    except CutlineError as exc:
        if strict:
            raise
        return [exc.describe()]


def evaluation_scorer(evaluator, evaluation):
    """The evaluator's scorer of this evaluation's scenario, when it scored this very portfolio."""
    scorer = evaluator.scorer_for(evaluation.scenario)
    return scorer if scorer.portfolio is evaluation.portfolio else None


# -- rank ------------------------------------------------------------------------------------
def rank(args) -> int:
    from cutline.models.scenarios.pipeline import Evaluator

    check_output(args)  # before the work: a mistaken option is said at once
    columns = export_columns(args)
    draws = {"--draws": args.draws, "--spread": args.spread, "--seed": args.seed}
    if not args.sensitivity and any(v is not None for v in draws.values()):
        given = ", ".join(k for k, v in draws.items() if v is not None)
        raise CutlineError(f"{given} {'sets' if ',' not in given else 'set'} the weight draws of "
                           "--sensitivity, which was not given.", hint="Add --sensitivity, or leave them out.")
    loaded = _loaded(args, scenario=args.scenario)
    scenario = _scenario_with(args, loaded.workshop, args.model)
    evaluator = Evaluator(loaded.workshop.portfolio)
    evaluation = evaluator.evaluate(scenario)
    delay = _delay(args, evaluator, scenario)
    sensitivity = None
    if args.sensitivity:
        from cutline.models.scenarios.sensitivity import sensitivity as run_sensitivity

        sensitivity = run_sensitivity(evaluation.portfolio, scenario,
                                      draws=1000 if args.draws is None else args.draws,
                                      spread=0.25 if args.spread is None else args.spread,
                                      seed=0 if args.seed is None else args.seed)
    if args.output is not None:
        _write_output(args.output, [evaluation], loaded, columns=columns, sensitivity=sensitivity)
    scorer = evaluation_scorer(evaluator, evaluation)  # one graph and one teams-unblocked for every step below
    warnings = list(loaded.warnings) + coverage_warnings(evaluation, scorer, strict=args.model is not None)
    if args.json:
        data = rank_json(evaluation, warnings, sensitivity, mapping=loaded.workshop.mapping, scorer=scorer)
        if delay is not None:
            data["delay"] = delay.to_dict()
        print(dumps(data))
    else:
        for line in warnings:
            print(f"cutline: warning: {line}", file=sys.stderr)
        print(rank_table(evaluation, sensitivity))
        if delay is not None:
            from cutline.models.capacity.delay import delay_lines

            print("")
            print("\n".join(delay_lines(delay)))
    return 0


def _delay(args, evaluator, scenario):
    """--delay ID [--by N]: what breaks if ID starts N quarters later (models/capacity/delay.py), or None."""
    ident, by = getattr(args, "delay", None), getattr(args, "by", None)
    if ident is None:
        if by is not None:
            raise CutlineError("--by needs --delay ID: it says by how many quarters to delay that initiative.",
                               hint="For example: cutline rank plan.xlsx --delay PLT-101 --by 2")
        return None
    from cutline.models.capacity.delay import delay_effects

    return delay_effects(evaluator, scenario, ident.strip(), 1 if by is None else by)


#: What -o writes, by the file's ending: rank writes any of these; compare the workbook or handout.
OUTPUTS = {".xlsx": "the Excel roadmap", ".csv": "the ranked list as CSV", ".pdf": "the PDF handout"}


def check_output(args, endings=tuple(OUTPUTS)) -> None:
    """Refuse, before any work, an -o whose ending says nothing Cutline writes."""
    path = getattr(args, "output", None)
    if path is None or Path(path).suffix.lower() in endings:
        return
    said = "; ".join(f"{e} for {OUTPUTS[e]}" for e in endings)
    hint = ("A comparison is a workbook or a handout; a CSV holds one ranked list (cutline rank -o list.csv)."
            if ".csv" not in endings and Path(path).suffix.lower() == ".csv" else "")
    raise CutlineError(f"-o {Path(path).name}: Cutline writes {said}.", hint=hint or "End the name so.")


def export_columns(args):
    """The Ranked list's columns --columns or --all-columns ask for ("all", keys or None)."""
    columns = "all" if getattr(args, "all_columns", False) else getattr(args, "columns", None)
    if columns is not None and (args.output is None or args.output.suffix.lower() != ".xlsx"):
        raise CutlineError("--columns and --all-columns choose the columns of the workbook that -o OUT.xlsx writes.",
                           hint="Add -o roadmap.xlsx, or leave them out.")
    return columns


def _write_output(path: Path, evaluations, loaded, *, columns=None, sensitivity=None) -> None:
    from cutline.models.export import export_csv, export_roadmap

    if path.suffix.lower() == ".pdf":  # the workshop handout (app/features/handout.py)
        from cutline.app.features.handout import workshop_name, write_handout

        pages = write_handout(path, evaluations, workshop=workshop_name(loaded)).pages
        print(f"wrote {path} ({pages} page{'' if pages == 1 else 's'})", file=sys.stderr)
        return
    decisions = loaded.file.journal() if loaded.file is not None else ()
    if path.suffix.lower() == ".csv":
        result = export_csv(path, evaluations[0])
    else:
        result = export_roadmap(path, evaluations, decisions=decisions, columns=columns, sensitivity=sensitivity)
    for warning in getattr(result, "warnings", ()):
        print(f"cutline: warning: {warning}", file=sys.stderr)
    print(f"wrote {path}", file=sys.stderr)


def dumps(data) -> str:
    """`data` as JSON that any parser reads: never NaN or Infinity (a number that could not be
    computed is null, as a blank is)."""
    try:
        return json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False)
    except ValueError:  # a float that is not finite somewhere: write it as null
        return json.dumps(finite_only(data), ensure_ascii=False, indent=1, allow_nan=False)


def finite_only(value):
    """A copy of plain data (dicts, lists, numbers, text) with every non-finite float as None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite_only(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite_only(v) for v in value]
    return value


def _plain(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def rank_json(evaluation, warnings, sensitivity=None, *, mapping=None, scorer=None) -> dict:
    """The JSON of `cutline rank --json` (documented in docs/cli.md)."""
    from cutline.models.portfolio.inputs import initiative_inputs, mapping_summary, source_kind

    p, r, a = evaluation.portfolio, evaluation.ranking, evaluation.allocation
    inputs = initiative_inputs(p, evaluation.scenario.model, mapping or {}, scorer)
    from cutline.models.words.cut_line import below_reasons

    ids, titles, teams, cats = (p.ids.tolist(), p.text("title").tolist(), p.text("team").tolist(),
                                p.text("category").tolist())
    # Every column as a Python list once: indexing numpy arrays row by row costs more than the rest.
    rank, tier, score = r.rank.tolist(), r.tier.tolist(), r.score.tolist()
    contributions, unrated = r.contributions.tolist(), r.unrated.tolist()
    rice = [_plain(v) for v in r.rice.tolist()]
    unblocked = [_plain(v) for v in r.teams_unblocked.tolist()]
    waits, funded, late = r.waits_on_lower.tolist(), a.funded.tolist(), a.late.tolist()
    quarter, finish, pulled_in = a.quarter.tolist(), a.finish.tolist(), a.pulled_in_by.tolist()
    reasons, due = a.reason.tolist(), a.due_quarter.tolist()
    below = below_reasons(evaluation).tolist()
    names, criteria = a.quarters, r.criteria
    span_at, span_pw = a.span_ptr.tolist(), a.span_pw.tolist()
    span_q = [names[q] for q in a.span_quarter.tolist()]
    entries = []
    for row in r.order.tolist():
        flags = [f"unrated:{c}" for c, u in zip(criteria, unrated[row]) if u]
        if waits[row]:
            flags.append("waits_on_lower_ranked")
        pulled, lo, hi = pulled_in[row], span_at[row], span_at[row + 1]
        entry = {
            "rank": rank[row], "id": ids[row], "title": titles[row], "team": teams[row],
            "category": cats[row], "tier": tier[row], "score": score[row],
            "contributions": dict(zip(criteria, contributions[row])),
            "rice": rice[row], "teams_unblocked": unblocked[row],
            "flags": flags, "funded": funded[row],
            "quarter": names[quarter[row]] if quarter[row] >= 0 else None,
            # schema 3: the quarters it runs over, when it finishes, its due quarter, late or not
            "quarters": [{"quarter": q, "person_weeks": pw} for q, pw in zip(span_q[lo:hi], span_pw[lo:hi])],
            "finish_quarter": names[finish[row]] if finish[row] >= 0 else None,
            "due_quarter": due[row] or None,
            "late": late[row],
            "reason": reasons[row] or None,
            "below_cut_line": below[row] or None,
            "pulled_in_by": ids[pulled] if pulled >= 0 else None,
            "inputs": inputs[row],
        }
        if sensitivity is not None:
            entry["funded_share"] = float(sensitivity.funded_share[row])
            entry["rank_p5"] = _plain(sensitivity.rank_p5[row])
            entry["rank_p95"] = _plain(sensitivity.rank_p95[row])
        entries.append(entry)
    util = a.utilisation
    return {
        "schema_version": SCHEMA_VERSION,
        "scenario": evaluation.scenario.name,
        "source": source_kind(mapping or {}),
        "mapping": mapping_summary(mapping or {}),
        "initiatives": entries,
        "cut_line": a.cut_line,
        "utilisation": [
            {"team": t, "quarter": q, "capacity": float(c), "used": float(u)}
            for t, q, c, u in zip(util["team"], util["quarter"], util["capacity"], util["used"])
        ],
        "warnings": list(warnings),
    }


def _cells(text: str) -> int:
    """How many terminal cells `text` takes: East Asian wide and full-width characters (CJK, most
    emoji) take two, combining marks none."""
    if text.isascii():  # nearly every title: one cell a character, no per-character lookup
        return len(text)
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def fit(text: object, width: int, *, mark: str = "…", cut: bool = True) -> str:
    """`text` padded to `width` terminal cells, or shortened to fit (ending in `mark`) when `cut`,
    so a column stays aligned whatever script a title is written in."""
    text = str(text)
    cells = _cells(text)
    if cut and cells > width:
        room = width - _cells(mark)
        while text and _cells(text) > room:
            text = text[:-1]
        text += mark
        cells = _cells(text)
    return text + " " * max(0, width - cells)


def rank_table(evaluation, sensitivity=None) -> str:
    """The ranked list as an aligned text table, the cut line drawn across it."""
    p, r, a = evaluation.portfolio, evaluation.ranking, evaluation.allocation
    head = f"{'#':>4}  {'Tier':<4}  {'ID':<10}  {'Title':<44}  {'Team':<18}  {'Score':>5}  Quarter / reason"
    lines = [head, "-" * len(head)]
    from cutline.models.words.cut_line import below_reasons
    from cutline.models.words.plans import LATE_MARK, late_words, span_words

    titles, teams, ids = p.text("title"), p.text("team"), p.ids
    below = below_reasons(evaluation)
    spans, lates = span_words(a, arrow="→"), late_words(a)
    for row in r.order.tolist():
        rk = int(r.rank[row])
        if a.cut_line is not None and rk == a.cut_line:
            lines.append(f"{'':-<20} cut line (#{rk}): everything above is funded {'':-<34}")
        where = spans[row] if a.funded[row] else f"({a.reason[row]})"
        if lates[row]:
            where += f" {LATE_MARK} {lates[row]}"
        if below[row]:
            where += f" ↓ {below[row]}"
        extra = ""
        if sensitivity is not None:
            extra = f"  funded in {sensitivity.funded_share[row]:.0%} of draws"
        lines.append(f"{rk:>4}  T{int(r.tier[row]):<3}  {fit(ids[row], 10, cut=False)}  {fit(titles[row], 44)}  "
                     f"{fit(teams[row], 18, mark='')}  {r.score[row]:5.1f}  {where}{extra}")
    from cutline.models.words.funding import evaluation_words

    funded = int(a.funded.sum())
    lines.append("")
    lines.append(f"{len(r)} initiative{'' if len(r) == 1 else 's'}, {funded} funded, {evaluation_words(evaluation)}"
                 f", scenario {evaluation.scenario.name}")
    return "\n".join(lines)


# -- compare ---------------------------------------------------------------------------------
def compare(args) -> int:
    from cutline.models.scenarios.comparison import compare as run_compare
    from cutline.models.scenarios.pipeline import Evaluator
    from cutline.models.scoring.templates import model_or_template

    check_output(args, (".xlsx", ".pdf"))
    columns = export_columns(args)
    loaded = require_initiatives(load_path(args.input, sheet=args.sheet, capacity_path=args.capacity,
                                           read_only=True), args.input)
    workshop = loaded.workshop
    scenarios = []
    if loaded.file is None:
        for name in args.scenario:
            check_spreadsheet_scenario(args.input, name)
    for name in args.scenario:
        scenarios.append(_scenario_with(args, switch_to(workshop, name)))
    for path in args.model:
        model = model_or_template(path)  # a file, or a shipped template's key, as rank takes
        base = _scenario_with(args, workshop)
        scenarios.append(replace(base, name=_unique(model.name or Path(path).stem, path, scenarios),
                                 model=model))
    if not scenarios:
        scenarios = [_scenario_with(args, workshop.switching_to(s.name)) for s in workshop.scenarios]
    if len(scenarios) < 2:
        raise CutlineError("Compare needs at least two scenarios.",
                           hint="Give --model twice, or --scenario twice on a workshop file.")
    evaluator = Evaluator(workshop.portfolio)
    evaluations = [evaluator.evaluate(s) for s in scenarios]
    comparison = run_compare(evaluations)
    warnings = list(loaded.warnings)
    given = len(scenarios) - len(args.model)  # the scenarios after these come from --model
    for k, evaluation in enumerate(evaluations):  # each scenario's model, as rank would warn of it
        said = coverage_warnings(evaluation, evaluation_scorer(evaluator, evaluation), strict=k >= given)
        warnings += [f"Scenario {evaluation.scenario.name!r}: {w}" for w in said]
    for line in dict.fromkeys(warnings):
        print(f"cutline: warning: {line}", file=sys.stderr)
    if args.output is not None:
        _write_output(args.output, evaluations, loaded, columns=columns)
    if args.json:
        print(dumps(compare_json(comparison, evaluations)))
    else:
        print(compare_table(comparison, evaluations))
    return 0


def _unique(name: str, path, existing) -> str:
    names = {s.name for s in existing}
    if name not in names:
        return name
    return Path(path).stem if Path(path).stem not in names else f"{name} ({len(names) + 1})"


def compare_json(comparison, evaluations) -> dict:
    names = list(comparison.names)
    p = evaluations[0].portfolio
    titles = p.text("title")
    order = evaluations[0].ranking.order.tolist()
    initiatives = [{
        "id": comparison.ids[row], "title": titles[row],
        "ranks": {n: int(comparison.rank[i, row]) for i, n in enumerate(names)},
        "scores": {n: float(comparison.score[i, row]) for i, n in enumerate(names)},
        "funded": {n: bool(comparison.funded[i, row]) for i, n in enumerate(names)},
        "changes": {n: comparison.change_label[i, row] for i, n in enumerate(names)},
    } for row in order]
    return {
        "schema_version": SCHEMA_VERSION,
        "scenarios": names,
        "initiatives": initiatives,
        "summary": {
            "kendall_tau": {n: float(comparison.kendall_tau[i]) for i, n in enumerate(names)},
            "funded_overlap": {n: float(comparison.funded_overlap[i]) for i, n in enumerate(names)},
            "funding_changes": list(comparison.funding_changes),
            "cut_line": {n: comparison.cut_line[i] for i, n in enumerate(names)},
        },
    }


def compare_table(comparison, evaluations) -> str:
    names = comparison.names
    p = evaluations[0].portfolio
    titles = p.text("title")
    head = f"{'ID':<10}  {'Title':<40}  " + "  ".join(f"{n[:18]:>18}" for n in names)
    lines = [head, "-" * len(head)]
    for row in evaluations[0].ranking.order.tolist():
        cells = []
        for i in range(len(names)):
            mark = "" if comparison.funded[i, row] else "✗"
            label = comparison.change_label[i, row]
            cells.append(f"{('#' + str(comparison.rank[i, row]) + mark + ' ' + label)[:18]:>18}")
        lines.append(f"{fit(comparison.ids[row], 10, cut=False)}  {fit(titles[row], 40, mark='')}  " + "  ".join(cells))
    lines.append("")
    for i, n in enumerate(names[1:], start=1):
        lines.append(f"{n}: Kendall's tau {comparison.kendall_tau[i]:.3f}, funded overlap "
                     f"{comparison.funded_overlap[i]:.0%}")
    lines.append("Funding changes: " + (", ".join(comparison.funding_changes) or "none"))
    return "\n".join(lines)


# -- import ----------------------------------------------------------------------------------
def import_(args) -> int:
    from cutline.models.workshop.file import WorkshopFile

    out = Path(args.output)
    if out.exists():
        raise CutlineError(f"{out} already exists.", hint="Choose another name, or remove it first.")
    if not out.parent.is_dir():  # before the import: said as the export says it
        raise CutlineError(f"The folder {out.parent} does not exist.", hint="Choose an existing folder.")

    loaded = _loaded(args)
    workshop = loaded.workshop
    # A model that cannot score this portfolio is refused now, not written into a workshop that
    # no command could then rank.
    model = workshop.current_scenario().model
    warnings = list(loaded.warnings) + model_warnings(model, workshop.portfolio)
    for line in warnings:
        print(f"cutline: warning: {line}", file=sys.stderr)
    file = WorkshopFile.create(out, loaded.workshop)
    file.close()
    print(f"wrote {out}: {counted(len(loaded.workshop.portfolio), 'initiative')}", file=sys.stderr)
    return 0
