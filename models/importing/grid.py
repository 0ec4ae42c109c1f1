"""A sheet's cells as read, before any header is chosen: the common form of every reader."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class CellFlag:
    """A cell whose shown value the reader could not get: a formula never calculated, or an error."""

    kind: str  # "formula" (no cached value) or "error" (#DIV/0!, #REF!, ...)
    text: str  # the formula, or the error code


@dataclass(frozen=True, eq=False)
class Grid:
    """Raw cells of the used area of one sheet, with where that area sits in the sheet."""

    cells: np.ndarray  # 2-D object array; None, NaN or "" for a blank cell
    first_row: int = 1  # sheet row (1-based) of cells[0]
    first_col: int = 0  # sheet column (0-based) of cells[:, 0]
    #: Merged ranges (top, left, bottom, right), inclusive, in `cells` coordinates.
    merged: tuple[tuple[int, int, int, int], ...] = ()
    #: Flagged cells by (sheet row 1-based, sheet column 0-based).
    flagged: Mapping[tuple[int, int], CellFlag] = field(default_factory=dict)
    formulas_checked: bool = False

    @property
    def height(self) -> int:
        return self.cells.shape[0]

    @property
    def width(self) -> int:
        return self.cells.shape[1] if self.cells.ndim == 2 else 0


def blank_cells(values: np.ndarray) -> np.ndarray:
    """True where a cell is blank: None, NaN or "" (any shape; whitespace is judged later)."""
    values = np.asarray(values, dtype=object)
    try:  # element-wise comparisons in C: a NaN is the one value unequal to itself
        return np.equal(values, "") | np.equal(values, None) | np.not_equal(values, values)
    except TypeError:  # pandas' NA refuses comparison; pandas knows every kind of missing
        return np.asarray(pd.isna(values), dtype=bool) | np.equal(values.astype(str), "")


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """The 0-based index of a column letter: A -> 0, AB -> 27."""
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ord(ch) - 64)
    return index - 1
