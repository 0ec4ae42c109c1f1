"""What an accepted import does: a spreadsheet opens as a new workshop, or replaces the
initiatives of the open one (File ▸ Replace the initiatives of this workshop…).

Opening settles the current workshop first the normal way (a titled one is already saved; an
untitled one with changes is offered for saving), then starts a new untitled workshop named after
the file, with the default model, one scenario and the file's Capacity sheet, or, when it has
none, a capacity proposal to correct in one step.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow

#: Initiatives named one by one before "and N more".
NAMED_GONE = 10


def open_as_new(window: MainWindow, path: Path, portfolio, mapping: dict, capacity=None,
                capacity_failed: bool = False, model=None) -> bool:
    """A new untitled workshop from an accepted import, scored with `model` (the default model when
    None); False when the user kept the current one."""
    from cutline.app.features import capacity_proposal
    from cutline.app.lifecycle import document_factory, saving
    from cutline.app.lifecycle.loading import Loaded
    from cutline.models.capacity.tables import capacity_warnings
    from cutline.models.scoring.model import default_model
    from cutline.models.workshop.document import Workshop

    path = Path(path)
    if window.document is not None and not saving.settle(window):
        window.tell(f"{path.name} was not opened; the current workshop stays open.")
        return False
    workshop = Workshop.new(portfolio, capacity=capacity, model=model or default_model(), mapping=mapping,
                            source=str(path))
    if model is not None:
        workshop = _scorable(window, workshop, path)
    document = document_factory.document_for(Loaded(workshop), keep_file=True, stem=path.stem)
    window.set_document(document)
    saving.remember(window, path)
    count = f"{len(portfolio):,} initiative{'s' if len(portfolio) != 1 else ''}"
    blank = _model_note(workshop)
    if capacity is not None:
        teams = len(capacity.teams)
        warnings = capacity_warnings(portfolio, capacity)
        window.tell(f"Opened {path.name} as a new workshop: {count}, capacity for {teams} "
                    f"team{'s' if teams != 1 else ''} from its Capacity sheet."
                    + (f" {warnings[0]}" if warnings else "") + blank)
        return True
    why = "its Capacity sheet could not be read" if capacity_failed else "it has no Capacity sheet"
    window.tell(f"Opened {path.name} as a new workshop: {count}; {why}. "
                + capacity_proposal.NO_CAPACITY + blank)
    capacity_proposal.offer(window, path.name)
    return True


def _model_note(workshop) -> str:
    """" <criteria with no data> …", so a model that scores everyone 0 is never applied silently."""
    from cutline.models.scoring.coverage import coverage_problem

    found = coverage_problem(workshop.current_scenario().model, workshop.portfolio)
    if found is None:
        return ""
    text, best = found
    return f" {text}" + (" Choose it with File > Use a model template…." if best else "")


def _scorable(window: MainWindow, workshop, path: Path):
    """`workshop`, or the same with the default model when its model cannot score the portfolio
    (a template naming a column the file lacks): opening never fails because of the model."""
    from dataclasses import replace

    from cutline.models.errors import CutlineError
    from cutline.models.scenarios.pipeline import Evaluator
    from cutline.models.scoring.model import default_model

    scenario = workshop.current_scenario()
    try:
        Evaluator(workshop.portfolio).evaluate(scenario)
    except CutlineError as exc:
        window.tell_error(f"The model {scenario.model.name or 'chosen'} cannot score {path.name}: "
                          f"{exc.describe()} The workshop starts with the default model instead.")
        return workshop.with_scenario(replace(scenario, model=default_model()))
    return workshop


def replace_initiatives(window: MainWindow, path: Path, portfolio, mapping: dict, capacity=None):
    """Replace the open workshop's initiatives (one undoable step) and say what that dropped."""
    from cutline.app.document import intents

    path = Path(path)
    result = intents.replace_portfolio(window.document, portfolio, mapping=mapping,
                                       source=str(path), capacity=capacity)
    text = replaced_words(path.name, len(portfolio), result)
    if result.gone or result.dropped:
        window.inform("Initiatives replaced", text)
    else:
        window.tell(text)
    return result


def named_list(items: list[str], limit: int = NAMED_GONE) -> str:
    """"A, B and C"; past `limit`, the first ones "and N more"."""
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit:,} more"
    if len(items) > 1:
        return ", ".join(items[:-1]) + " and " + items[-1]
    return "".join(items)


def replaced_words(name: str, count: int, result) -> str:
    lines = [f"Replaced the initiatives with the {count:,} in {name}"
             + (f" ({result.added:,} new)." if result.added else ".")]
    if result.gone:
        gone = [f"{ident} {title}".strip() for ident, title in result.gone]
        n = len(result.gone)
        lines.append(f"{n:,} initiative{'s are' if n != 1 else ' is'} no longer there: "
                     f"{named_list(gone)}.")
    if result.dropped:
        by_scenario: dict[str, list[str]] = {}
        for scenario, words in result.dropped:
            by_scenario.setdefault(scenario, []).append(words)
        parts = [f"in scenario {s}: {named_list(w)}" for s, w in by_scenario.items()]
        lines.append("Dropped what pointed to them, " + "; ".join(parts) + ".")
    lines.append("Undo brings the previous initiatives back.")
    return "\n".join(lines)
