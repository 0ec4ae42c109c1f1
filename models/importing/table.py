"""The raw table: a sheet's header and cells as read, before they are mapped or validated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from cutline.models.errors import Location
from cutline.models.importing.grid import CellFlag
from cutline.models.importing.report import ImportIssue
from cutline.models.importing.source import CsvOptions, SourceInfo


@dataclass(frozen=True, eq=False)
class RawTable:
    """One sheet's table as read: headers, raw cells, and where each row came from.

    `headers` are unique column keys: the header text, except that a repeated header gets its
    column letter added and a blank one is called "Column D" (both are also in `issues`).
    `frame` has one column per header and one row per non-blank data row, holding the cells as
    the file had them (numbers, text, dates; None or NaN for blank).
    """

    source: SourceInfo
    sheet: str | None
    header_row: int  # 1-based, as the sheet shows it
    headers: tuple[str, ...]
    frame: pd.DataFrame
    source_rows: np.ndarray  # 1-based sheet row of each frame row
    header_texts: tuple[str, ...] = ()  # the header cells as written ("" for a blank one)
    letters: tuple[str, ...] = ()  # column letter of each header
    decimal: str = "."  # how numbers written as text mark decimals
    #: Cells the reader could not get a value for, by (source row, header).
    flagged: Mapping[tuple[int, str], CellFlag] = field(default_factory=dict)
    formulas_checked: bool = False  # whether uncalculated formulas could be looked for
    issues: tuple[ImportIssue, ...] = ()
    csv_options: CsvOptions | None = None
    tracker: str = ""  # the tracker export recognised from the headers ("jira", ...), or ""

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def uncached_formulas(self) -> tuple[tuple[int, str], ...]:
        """(source row, header) of formula cells saved without a calculated value."""
        return tuple(k for k, f in self.flagged.items() if f.kind == "formula")

    @property
    def error_cells(self) -> dict[tuple[int, str], str]:
        """(source row, header) -> the error a cell shows (#DIV/0!, #REF!, ...)."""
        return {k: f.text for k, f in self.flagged.items() if f.kind == "error"}

    def location(self, row: int | None = None, header: str | None = None) -> Location:
        return Location(self.sheet, row, header)

    def letter_of(self, header: str) -> str:
        """The column letter a header sits in."""
        return self.letters[self.headers.index(header)] if self.letters else ""

    def position_of_row(self) -> dict[int, int]:
        """Source row -> frame position."""
        return {int(r): i for i, r in enumerate(self.source_rows)}

    def preview(self, rows: int = 100) -> pd.DataFrame:
        """The first rows for a preview, indexed by source row number."""
        head = self.frame.head(rows).copy()
        head.index = pd.Index(self.source_rows[: len(head)], name="row")
        return head
