"""Errors a user can hit, each with where it happened and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where in a source a problem is: sheet, spreadsheet row number (1-based, as the
    spreadsheet shows it) and column header. Any part may be unknown."""

    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)


class CutlineError(Exception):
    """Base of every error a user can hit. `str()` is a message a PM can act on."""

    def __init__(self, message: str, *, location: Location | None = None, hint: str = ""):
        self.message = message
        self.location = location or Location()
        self.hint = hint
        super().__init__(self.describe())

    def describe(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" {self.hint}"
        return text


class SpreadsheetError(CutlineError):
    """A file could not be read as a spreadsheet."""


class NoDataRows(SpreadsheetError):
    """The sheet was read, but holds a header and no rows of data: no initiatives, not a damaged file."""


class ColumnMappingError(CutlineError):
    """Columns could not be mapped to initiative fields."""


class DependencyCycleError(CutlineError):
    """Initiatives depend on each other in a cycle."""

    def __init__(self, cycle: list[str], **kwargs):
        self.cycle = list(cycle)
        super().__init__(
            "Dependencies form a cycle: " + " -> ".join(cycle) + ".",
            hint="Remove one of these dependencies so the work can be ordered.",
            **kwargs,
        )


class ModelError(CutlineError):
    """A scoring model is invalid: bad formula, unknown source, negative weight."""


class FormulaError(ModelError):
    """A formula or condition could not be parsed or evaluated."""

    def __init__(self, message: str, *, text: str = "", position: int | None = None, **kwargs):
        self.text = text
        self.position = position
        if text and position is not None:
            shown, at = _excerpt(text, position)
            message = message + f"\n  {shown}\n  {' ' * at}^"
        super().__init__(message, **kwargs)


#: The most characters of a formula shown above the pointer; a longer one is cut around it.
EXCERPT = 100


def _excerpt(text: str, position: int) -> tuple[str, int]:
    """The part of `text` shown above a pointer at `position`, and where the pointer goes in it."""
    flat = "".join(" " if ch in "\n\r\t" else ch for ch in text)  # one line, same positions
    if len(flat) <= EXCERPT:
        return flat, position
    start = max(0, min(position - EXCERPT // 2, len(flat) - EXCERPT))
    end = start + EXCERPT
    head = "…" if start > 0 else ""
    tail = "…" if end < len(flat) else ""
    return head + flat[start:end] + tail, position - start + len(head)


class CapacityError(CutlineError):
    """A capacity table or its guardrails are invalid."""


class WorkshopFileError(CutlineError):
    """A workshop file could not be opened or written."""


class ExportError(CutlineError):
    """A roadmap could not be exported."""
