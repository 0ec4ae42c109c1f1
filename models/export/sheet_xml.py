"""Worksheet rows as SpreadsheetML text, written column by column.

openpyxl builds an XML element per cell (about 7 microseconds a cell here, 19 with a
style), which would take a minute for a 100,000-row roadmap; formatting the same cells
as strings takes well under a microsecond each. Text is always written as an inline
string, so no text can become a formula.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from cutline.models.export.safety import RISKY_FIRST
from openpyxl.utils import get_column_letter

#: Excel's own escape for characters in text (`_x000D_`); a literal one must be escaped too.
_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_EPOCH = dt.datetime(1899, 12, 30)


def escape(text: str) -> str:
    """Text made safe inside an XML element, keeping carriage returns and `_x0000_` literal."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub(r"_x005F_\1", text)
    return text


def text_xml(ref: str, text: str, style: int) -> str:
    """One text cell (an inline string), or a styled blank for empty text."""
    if not text:
        return f'<c r="{ref}" s="{style}"/>'
    space = ' xml:space="preserve"' if text[0] in " \t\n\r" or text[-1] in " \t\n\r" else ""
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def number_xml(ref: str, value: float, style: int) -> str:
    """One number cell, or a styled blank for NaN and infinities."""
    if value - value != 0:  # NaN or infinite
        return f'<c r="{ref}" s="{style}"/>'
    text = repr(value)
    if text.endswith(".0"):  # whole numbers read back as whole numbers
        text = text[:-2]
    return f'<c r="{ref}" s="{style}"><v>{text}</v></c>'


@dataclass(frozen=True)
class Styles:
    """The style ids a column needs besides its own: text that must stay text, and dates."""

    quoted: Callable[[int], int]
    dated: Callable[[int, bool], int]  # (style, has a time of day) -> style with a date format
    #: Applied to every text before writing when the user chose to replace what Excel cannot hold.
    clean: Callable[[str], str] | None = None


@dataclass(frozen=True)
class Formula:
    """A formula (without "=") and the value Cutline computed for it."""

    text: str
    cached: float = math.nan


def value_xml(ref: str, value: object, style: int, styles: Styles) -> str:
    """One cell of any value an extra column or a log can hold, typed as Excel types it."""
    if value is None or value is np.nan:
        return f'<c r="{ref}" s="{style}"/>'
    if isinstance(value, Formula):
        return formula_xml(ref, value.text, value.cached, style)
    if isinstance(value, (bool, np.bool_)):
        return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, np.integer)):
        return f'<c r="{ref}" s="{style}"><v>{int(value)}</v></c>'
    if isinstance(value, (float, np.floating)):
        return number_xml(ref, float(value), style)
    if isinstance(value, str):
        if styles.clean is not None:
            value = styles.clean(value)
        if value.startswith(RISKY_FIRST):
            style = styles.quoted(style)
        return text_xml(ref, value, style)
    serial = excel_serial(value)
    if serial is not None:
        timed = isinstance(value, dt.datetime) and value.time() != dt.time()
        return number_xml(ref, serial, styles.dated(style, timed))
    if _is_missing(value):
        return f'<c r="{ref}" s="{style}"/>'
    return text_xml(ref, str(value), style)


def _is_missing(value: object) -> bool:
    try:
        return bool(value != value)  # NaN, NaT, pd.NA
    except (TypeError, ValueError):
        return False


def excel_serial(value: object) -> float | None:
    """A date or date-time as Excel's serial day number, None for anything else."""
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        value = value.astype("datetime64[us]").item()
    if isinstance(value, dt.datetime):
        if value != value:  # pandas NaT is a datetime
            return None
        if value.tzinfo is not None:
            value = value.astimezone().replace(tzinfo=None)
        delta = value.replace(tzinfo=None) - _EPOCH
        return delta.days + delta.seconds / 86_400 + delta.microseconds / 86_400e6
    if isinstance(value, dt.date):
        return float((value - _EPOCH.date()).days)
    return None


@dataclass
class Column:
    """One column of a table: its values in row order and the style of each cell.

    `kind` is "number" (floats, NaN blank), "text" (str, "" blank), "value" (anything,
    typed per cell) or "formula" (`values` holds formulas without "=", `cached` the
    value Cutline computed, shown until the spreadsheet recalculates).
    """

    values: Sequence | np.ndarray
    style: int | np.ndarray
    kind: str = "number"
    cached: np.ndarray | None = None

    def cells(self, letter: str, rows: range, start: int, stop: int, styles: Styles) -> list[str]:
        """The cells of rows [start, stop) as XML strings."""
        if isinstance(self.style, (int, np.integer)):
            style_list = [int(self.style)] * (stop - start)
        else:
            style_list = self.style[start:stop].tolist()
        if self.kind == "number":
            return number_cells(letter, rows, self.values[start:stop], style_list)
        values = self.values[start:stop]
        values = values.tolist() if isinstance(values, np.ndarray) else list(values)
        if self.kind == "text":
            return text_cells(letter, rows, values, style_list, styles)
        if self.kind == "formula":
            cached = self.cached[start:stop] if self.cached is not None else np.full(len(values), np.nan)
            return formula_cells(letter, rows, values, cached, style_list)
        return [value_xml(f"{letter}{r}", v, s, styles) for r, v, s in zip(rows, values, style_list)]


def formula_cells(letter: str, rows: range, formulas: list[str], cached, style_list: list[int]) -> list[str]:
    """Formula cells, each with the value Cutline computed as its cached result."""
    escaped = escape("\x00".join(formulas)).split("\x00")
    if len(escaped) != len(formulas):
        escaped = [escape(f) for f in formulas]
    values = [f"<v>{v!r}</v>" if v - v == 0 else "" for v in np.asarray(cached, dtype=np.float64).tolist()]
    return [
        f'<c r="{letter}{r}" s="{s}"><f>{f}</f>{v}</c>'
        for r, f, v, s in zip(rows, escaped, values, style_list)
    ]


def number_cells(letter: str, rows: range, values, style_list: list[int]) -> list[str]:
    """Number cells: whole numbers as integers, others exactly (repr), blanks for NaN."""
    arr = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(arr)
    whole = finite & (np.abs(arr) < 1e15)
    whole[whole] = arr[whole] == np.round(arr[whole])
    texts = np.full(len(arr), "", dtype=object)
    texts[whole] = arr[whole].astype(np.int64).astype(str)
    fraction = finite & ~whole
    texts[fraction] = [repr(v) for v in arr[fraction].tolist()]
    return [
        f'<c r="{letter}{r}" s="{s}"><v>{t}</v></c>' if t else f'<c r="{letter}{r}" s="{s}"/>'
        for r, t, s in zip(rows, texts.tolist(), style_list)
    ]


_RISKY = frozenset(RISKY_FIRST)
_SPACE = frozenset(" \t\n\r")
_PRESERVE = ' xml:space="preserve"'


def text_cells(letter: str, rows: range, values: list[str], style_list: list[int], styles: Styles) -> list[str]:
    """Text cells: inline strings, text that looks like a formula with the quote-prefix style."""
    if styles.clean is not None:
        values = [styles.clean(v) for v in values]
    # Escape the whole chunk at once; NUL cannot be in a written text (checked or replaced).
    escaped = escape("\x00".join(values)).split("\x00")
    if len(escaped) != len(values):
        escaped = [escape(v) for v in values]
    quoted = styles.quoted
    return [
        f'<c r="{letter}{r}" s="{quoted(s) if v[0] in _RISKY else s}" t="inlineStr"><is>'
        f'<t{_PRESERVE if v[0] in _SPACE or v[-1] in _SPACE else ""}>{e}</t></is></c>'
        if v else f'<c r="{letter}{r}" s="{s}"/>'
        for r, v, e, s in zip(rows, values, escaped, style_list)
    ]


def formula_xml(ref: str, formula: str, cached: float, style: int) -> str:
    """A formula cell with the value Cutline computed as its cached result."""
    value = f"<v>{cached!r}</v>" if cached - cached == 0 else ""
    return f'<c r="{ref}" s="{style}"><f>{escape(formula)}</f>{value}</c>'


def table_rows(
    first_row: int,
    columns: Sequence[Column],
    n: int,
    styles: Styles,
    *,
    first_column: int = 1,
    chunk: int = 2_000,
    row_attrs: Sequence[str] | None = None,
) -> Iterator[tuple[str, int]]:
    """The table's rows as XML, a chunk at a time, with how many rows each chunk holds;
    `row_attrs` adds each row's own attributes (its height)."""
    letters = [get_column_letter(first_column + j) for j in range(len(columns))]
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        rows = range(first_row + start, first_row + stop)
        cols = [c.cells(letter, rows, start, stop, styles) for c, letter in zip(columns, letters)]
        if row_attrs is None:
            text = "".join(f'<row r="{r}">{"".join(cells)}</row>' for r, *cells in zip(rows, *cols))
        else:
            text = "".join(f'<row r="{r}"{a}>{"".join(cells)}</row>'
                           for r, a, *cells in zip(rows, row_attrs[start:stop], *cols))
        yield text, stop - start
