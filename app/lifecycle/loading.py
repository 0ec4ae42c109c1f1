"""Opening what a user names: a workshop file, or a spreadsheet turned into a new workshop."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from cutline.models.errors import CutlineError

WORKSHOP_SUFFIX = ".cutline"


def sample_path() -> Path:
    """The bundled sample portfolio (an xlsx with a Capacity sheet)."""
    return Path(str(resources.files("cutline.resources").joinpath("sample_portfolio.xlsx")))


def default_model_path() -> Path:
    return Path(str(resources.files("cutline.resources").joinpath("default_model.toml")))


def is_workshop(path: Path) -> bool:
    """A workshop is an SQLite file; the suffix is only a hint, the content decides."""
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


@dataclass
class Loaded:
    """A workshop ready to show, with what the user should be told about it."""

    workshop: object
    file: object = None          # an open WorkshopFile, or None for a spreadsheet not yet saved
    warnings: list[str] = field(default_factory=list)
    report: object = None        # the ImportReport of a spreadsheet


def load_spreadsheet(path: Path, *, sheet: str | None = None, mapping=None, capacity_path=None,
                     model_path=None) -> Loaded:
    """A new workshop from a spreadsheet: its portfolio, its Capacity sheet, the default model.

    Raises CutlineError (SpreadsheetError, CapacityError, ModelError) with a message for the user.
    """
    from cutline.models.capacity.capacity import Capacity
    from cutline.models.capacity.tables import capacity_warnings, read_capacity
    from cutline.models.importing import read_portfolio
    from cutline.models.scoring.model import default_model
    from cutline.models.scoring.templates import model_or_template
    from cutline.models.workshop.document import Workshop

    result = read_portfolio(path, sheet=sheet, mapping=mapping)
    warnings = [issue_text(i) for i in result.report.issues]
    if capacity_path is not None:
        capacity = read_capacity(capacity_path)
    elif "capacity" in {s.lower() for s in sheet_names(result.source)}:
        capacity = read_capacity(path, sheet=_named(result.source, "capacity"))
    else:
        capacity = None
        teams = sorted({t for t in result.portfolio.text("team").tolist() if t})
        whom = (f"for the {len(teams):,} team{'s' if len(teams) != 1 else ''} in the file" if teams
                else "(no initiative names a team: a pool, a row with a blank team, serves them all)")
        warnings.append(f"No Capacity sheet: nothing is funded until capacity is set {whom} "
                        "(Edit > Capacity, or --capacity FILE).")
    model = model_or_template(model_path) if model_path else default_model()
    if capacity is None:
        capacity = Capacity.empty()
    else:  # with no capacity at all, one line says it; a warning per team would repeat it
        warnings += capacity_warnings(result.portfolio, capacity)
    workshop = Workshop.new(result.portfolio, capacity=capacity, model=model,
                            mapping=result.mapping.to_dict(), source=str(path))
    return Loaded(workshop, None, warnings, result.report)


def load_path(path: Path, *, sheet: str | None = None, scenario: str | None = None,
              capacity_path=None, model_path=None, read_only: bool = False) -> Loaded:
    """A workshop file or a spreadsheet; `scenario` picks a workshop's current scenario.

    `read_only` opens a workshop without writing to it at all (the CLI only reads). A workshop
    changed outside Cutline opens read-only as it is, with a warning saying so; the warnings
    also name ids that repeat or differ only by invisible characters.
    """
    path = Path(path)
    if not path.exists():
        raise CutlineError(f"There is no file {str(path)!r}.", hint="Check the name and the folder.")
    if is_workshop(path):
        from cutline.models.workshop.file import UnreadableWorkshop, WorkshopFile

        changed = False
        try:
            file = WorkshopFile.open(path, read_only=read_only)
        except UnreadableWorkshop as exc:
            if exc.reason != "changed":
                raise
            # Changed outside Cutline: open it as it is, read-only, and say so (the GUI's
            # File > Open asks first; see app/window/handlers.py).
            file = WorkshopFile.open(path, read_only=True, accept_changes=True)
            changed = True
        workshop = file.workshop
        warnings = []
        if file.read_only and (changed or not read_only):
            warnings.append(file.read_only_reason)
        warnings += file.warnings
        if scenario:
            workshop = switch_to(workshop, scenario)
        return Loaded(workshop, file, warnings)
    if scenario:  # before the import: nothing would use it
        check_spreadsheet_scenario(path, scenario)
    return load_spreadsheet(path, sheet=sheet, capacity_path=capacity_path, model_path=model_path)


def check_spreadsheet_scenario(path: Path, scenario: str) -> None:
    """A spreadsheet has the one scenario Default: CutlineError for any other name."""
    from cutline.models.workshop.document import DEFAULT_SCENARIO

    if scenario != DEFAULT_SCENARIO:
        raise CutlineError(f"{Path(path).name} is a spreadsheet, so it has one scenario, {DEFAULT_SCENARIO!r}, "
                           f"not {scenario!r}.",
                           hint="--scenario picks one of a workshop file's scenarios (cutline import makes one).")


def switch_to(workshop, scenario: str):
    names = [s.name for s in workshop.scenarios]
    if scenario not in names:
        raise CutlineError(f"The workshop has no scenario {scenario!r}.",
                           hint="Its scenarios are: " + ", ".join(names) + ".")
    return workshop.switching_to(scenario)


def sheet_names(source) -> list[str]:
    return [s.name for s in (getattr(source, "sheets", None) or ())]


def _named(source, lower: str) -> str:
    return next(s for s in sheet_names(source) if s.lower() == lower)


def issue_text(issue) -> str:
    """One import issue as a line: where, what, what to do."""
    describe = getattr(issue, "describe", None)
    return describe() if callable(describe) else str(issue)
