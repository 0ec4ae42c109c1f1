"""The import report: every error and warning found while reading a sheet, cell by cell."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from cutline.models.errors import Location

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"


@dataclass(frozen=True)
class ImportIssue:
    """One problem in the source: an error keeps its row out of the portfolio (a repeated id, a
    dependency cycle), a warning does not (a cell that cannot be read is a warning: it is left blank)."""

    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    value: object = None
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def describe(self) -> str:
        """One line for a terminal or a tooltip: where, what, and what to do."""
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} {self.hint}" if self.hint else text

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        value = self.value
        if value is not None and not isinstance(value, (str, int, float, bool)):
            value = str(value)
        return {
            "severity": self.severity,
            "message": self.message,
            "sheet": self.location.sheet,
            "row": self.location.row,
            "column": self.location.column,
            "value": value,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class ImportReport:
    """What an import found: issues in source order, how many rows were read and kept, how many
    cells could not be read (kept blank), and notes on what was assumed ("Read as a Jira export.")."""

    issues: tuple[ImportIssue, ...] = ()
    rows_read: int = 0
    rows_imported: int = 0
    source: str = ""
    cells_left_blank: int = 0
    notes: tuple[str, ...] = ()

    @property
    def errors(self) -> tuple[ImportIssue, ...]:
        return tuple(i for i in self.issues if i.is_error)

    @property
    def warnings(self) -> tuple[ImportIssue, ...]:
        return tuple(i for i in self.issues if not i.is_error)

    @property
    def has_errors(self) -> bool:
        return any(i.is_error for i in self.issues)

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - self.rows_imported

    def rows_with_errors(self) -> tuple[int, ...]:
        """Source rows (1-based) that have at least one error, ascending."""
        return tuple(sorted({i.location.row for i in self.issues if i.is_error and i.location.row}))

    def issues_at(self, row: int, column: str | None = None) -> tuple[ImportIssue, ...]:
        """The issues of one source row, or of one cell when `column` is given."""
        return tuple(
            i for i in self.issues
            if i.location.row == row and (column is None or i.location.column == column)
        )

    def summary(self) -> str:
        """One sentence: rows read, rows imported, errors and warnings."""
        n_err = sum(1 for i in self.issues if i.is_error)
        n_warn = len(self.issues) - n_err
        blank = self.cells_left_blank
        cells = f" {blank:,} cell{'s' if blank != 1 else ''} could not be read and {'are' if blank != 1 else 'is'} left blank;" \
            if blank else ""
        return (
            f"Read {self.rows_read:,} rows, imported {self.rows_imported:,};{cells} "
            f"{n_err:,} error{'s' if n_err != 1 else ''}, "
            f"{n_warn:,} warning{'s' if n_warn != 1 else ''}."
        )

    def format_text(self, limit: int | None = 50) -> str:
        """The report as lines of text for a terminal: summary, then issues (errors first)."""
        ordered = sorted(self.issues, key=lambda i: (not i.is_error))
        shown = ordered if limit is None else ordered[:limit]
        lines = [*self.notes, self.summary()]
        lines += [f"{i.severity}: {i.describe()}" for i in shown]
        if len(ordered) > len(shown):
            lines.append(f"... and {len(ordered) - len(shown):,} more.")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        return {
            "source": self.source,
            "rows_read": self.rows_read,
            "rows_imported": self.rows_imported,
            "cells_left_blank": self.cells_left_blank,
            "notes": list(self.notes),
            "issues": [i.to_dict() for i in self.issues],
        }


def sort_issues(issues: Iterable[ImportIssue]) -> tuple[ImportIssue, ...]:
    """Issues in reading order: file-level first, then by row; stable within a row."""
    return tuple(sorted(issues, key=lambda i: (i.location.row or 0)))
