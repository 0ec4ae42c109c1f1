"""Cell values to field values, a whole column at a time: numbers in their written forms,
confidence, impact words, ratings, text, id lists; with every cell that cannot be used marked."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from cutline.models.importing.conversions import word_key
from cutline.models.importing.report import ERROR, Severity
from cutline.models.portfolio.portfolio import RATING_FIELDS

#: Impact written as a word, and the number it stands for.
IMPACT_WORDS = {"massive": 3.0, "high": 2.0, "medium": 1.0, "low": 0.5, "minimal": 0.25}
_SPACES = r"[\s\u00a0\u202f\u2009']"  # spaces, no-break and thin spaces, apostrophes: digit grouping
_GROUPED = {
    ".": r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$",  # 1,234 or 1,234.5
    ",": r"^[-+]?\d{1,3}(\.\d{3})+(,\d*)?$",  # 1.234 or 1.234,5
}
_KIND_OF_TYPE = {type(None): 0, float: 1, int: 1, str: 2, bool: 4}
_LIST_SEPARATORS = re.compile(r"[ \t]*[,;\r\n]+[ \t,;\r\n]*")
_OTHER_DECIMAL = {".": r"^[-+]?\d*,\d+$", ",": r"^[-+]?\d*\.\d+$"}  # 0,8 where '.' is expected, 0.8 where ','


@dataclass(frozen=True)
class Problem:
    """Cells of one column that share a problem; `message` may name {value}."""

    mask: np.ndarray
    message: str
    hint: str
    severity: Severity = ERROR


@dataclass
class Parsed:
    """A column's field values and the problems found reading it."""

    values: np.ndarray
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Numbers:
    """A column read as numbers: values (NaN where blank or unreadable) and what each cell was."""

    values: np.ndarray
    blank: np.ndarray
    percent: np.ndarray
    unreadable: np.ndarray  # text that is not a number
    dates: np.ndarray  # dates and times where a number belongs
    logical: np.ndarray  # TRUE / FALSE where a number belongs
    text: np.ndarray  # the stripped text of text cells ("" elsewhere), for impact words


def objects(items: list) -> np.ndarray:
    """A 1-D object array of exactly these items (np.array could nest sequences)."""
    return np.fromiter(items, dtype=object, count=len(items))


def label(name: str) -> str:
    """A field as a PM reads it: "depends_on" -> "Depends on", "dx" -> "DX"."""
    return "DX" if name == "dx" else name.replace("_", " ").capitalize()


def read_numbers(series: pd.Series, decimal: str = ".", words: dict[str, float] | None = None) -> Numbers:
    """Numbers from raw cells: real numbers as they are; text such as "1,234", "0,8", "80%" or
    " 12 " parsed with the given decimal mark (and `words`, lower-cased, looked up first);
    dates and TRUE/FALSE set apart."""
    n = len(series)
    none = np.zeros(n, dtype=bool)
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan).copy()
        blank = np.isnan(values)
        return Numbers(values, blank, none, none.copy(), none.copy(), none.copy(), np.full(n, "", dtype=object))
    cells = series.to_numpy(dtype=object)
    kinds = cell_kinds(cells)
    values = np.full(n, np.nan)
    is_num = kinds == 1
    values[is_num] = cells[is_num].astype(np.float64)
    is_text = kinds == 2
    percent = none.copy()
    unreadable = none.copy()
    text = np.full(n, "", dtype=object)
    blank = kinds == 0
    if is_text.any():
        stripped = objects(list(map(str.strip, cells[is_text])))
        parsed, pct, bad = _parse_text(stripped, decimal, words)
        values[is_text] = parsed
        percent[is_text] = pct
        unreadable[is_text] = bad
        text[is_text] = stripped
        blank[is_text] = stripped == ""
    blank |= is_num & np.isnan(values)
    return Numbers(values, blank, percent, unreadable, kinds == 3, kinds == 4, text)


def cell_kinds(cells: np.ndarray) -> np.ndarray:
    """Each cell's kind (see _kind); the common types are told apart without a Python call per cell."""
    if not len(cells):
        return np.zeros(0, dtype=np.int8)
    types = pd.Series(np.frompyfunc(type, 1, 1)(cells), dtype=object)
    kinds = types.map(_KIND_OF_TYPE).fillna(-1).to_numpy(dtype=np.int8)
    rest = np.flatnonzero(kinds < 0)
    if rest.size:
        kinds[rest] = [_kind(v) for v in cells[rest]]
    return kinds


def _kind(value: object) -> int:
    """0 blank, 1 number, 2 text, 3 date or time, 4 TRUE/FALSE."""
    if value is None:
        return 0
    if isinstance(value, bool | np.bool_):
        return 4
    if isinstance(value, int | float | np.integer | np.floating):
        return 1
    if isinstance(value, str):
        return 2
    if isinstance(value, dt.date | dt.time | dt.timedelta | pd.Timestamp):
        return 3
    return 0 if pd.isna(value) else 2


def _parse_text(
    stripped: np.ndarray, decimal: str, words: dict[str, float] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values, written with %, unreadable) for stripped text cells.

    Plain numbers go through one fast pandas conversion; only what it cannot read (grouped
    digits, percents, decimal commas in a '.' sheet, words) takes the slower string path."""
    if decimal == ",":  # "0,8" -> "0.8"; anything with a point may be grouping: the slow path
        fast = objects([t.replace(",", ".") if "." not in t else "?" for t in stripped])
    else:
        fast = stripped
    values = pd.to_numeric(pd.Series(fast, dtype=object), errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan).copy()
    percent = np.zeros(len(stripped), dtype=bool)
    if words:
        found = np.array([words.get(word_key(t), np.nan) for t in stripped], dtype=np.float64)
        is_word = ~np.isnan(found)
        values[is_word] = found[is_word]
    empty = stripped == ""
    todo = np.flatnonzero(np.isnan(values) & ~empty)
    if todo.size:
        values[todo], percent[todo] = _parse_unusual(pd.Series(stripped[todo], dtype="str"), decimal)
    values[~np.isfinite(values)] = np.nan
    return values, percent, np.isnan(values) & ~empty


def _parse_unusual(text: pd.Series, decimal: str) -> tuple[np.ndarray, np.ndarray]:
    """(values, written with %) for numbers written with grouping, spaces, % or the other decimal mark."""
    compact = text.str.replace(_SPACES, "", regex=True)
    percent = compact.str.endswith("%").to_numpy(dtype=bool)
    compact = compact.str.removesuffix("%")
    grouped = compact.str.match(_GROUPED[decimal]).to_numpy(dtype=bool)
    thousands = "," if decimal == "." else "."
    compact = compact.where(~grouped, compact.str.replace(thousands, "", regex=False))
    if decimal == ",":
        compact = compact.str.replace(",", ".", regex=False)
    else:  # a lone decimal comma ("0,8") in a sheet that uses points is still read as 0.8
        lone = compact.str.match(_OTHER_DECIMAL["."]).to_numpy(dtype=bool) & ~grouped
        compact = compact.where(~lone, compact.str.replace(",", ".", regex=False))
    values = pd.to_numeric(compact, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan).copy()
    values[percent] /= 100.0
    return values, percent


def _kind_problems(name: str, nums: Numbers, expect: str = "a number") -> list[Problem]:
    """Problems every number field shares: text, dates and TRUE/FALSE where a number belongs."""
    lab = label(name)
    errors = nums.unreadable & np.array([str(t).startswith("#") for t in nums.text], dtype=bool) \
        if nums.unreadable.any() else nums.unreadable
    out = [
        Problem(errors, f"{lab} shows the spreadsheet error {{value}} instead of a value.",
                "Fix the formula in the source file, or type the value."),
        Problem(nums.unreadable & ~errors, f"{lab} should be {expect}, not {{value}}.",
                "Type a number such as 12, 1,234 or 0.5, or leave the cell blank if it is not known."),
        Problem(nums.dates, f"{lab} holds a date or time ({{value}}) where {expect} belongs.",
                "Type the number, or check that this column is mapped to the right field."),
        Problem(nums.logical, f"{lab} holds TRUE/FALSE where {expect} belongs.",
                "Type the number, or check that this column is mapped to the right field."),
    ]
    return [p for p in out if p.mask.any()]


def parse_number_field(
    name: str, series: pd.Series, decimal: str = ".", words: Mapping[str, float] | None = None
) -> Parsed:
    """A numeric field, with its own rules: confidence, impact, ratings, or a count (reach, effort).
    `words` is a value map (word -> number, any case) looked up before a cell is read as a number."""
    if name == "confidence":
        return _confidence(series, decimal, words)
    if name == "impact":
        return _impact(series, decimal, words)
    nums = read_numbers(series, decimal, words=_lookup(words))
    values = nums.values.copy()
    problems = _kind_problems(name, nums, _expected(words))
    lab = label(name)
    if name in RATING_FIELDS:
        bad = (values < 0) | (values > 10)
        problems.append(Problem(bad, f"{lab} must be between 0 and 10, not {{value}}.",
                                "Ratings go from 0 (none) to 10 (the most)."))
    else:
        bad = values < 0
        problems.append(Problem(bad, f"{lab} cannot be negative ({{value}}).", "Use 0 or a positive number."))
    values[bad] = np.nan
    return Parsed(values, [p for p in problems if p.mask.any()])


def _lookup(words: Mapping[str, float] | None) -> dict[str, float] | None:
    """A value map keyed as cells are looked up (case and spaces do not count)."""
    return {word_key(k): float(v) for k, v in words.items()} if words else None


def _expected(words: Mapping[str, float] | None, base: str = "a number") -> str:
    """What a cell should be, for a message: a number, or one of the value map's words."""
    if not words:
        return base
    shown = list(words)[:8]
    return f"{base} or one of {', '.join(shown)}" + (" …" if len(words) > len(shown) else "")


def _confidence(series: pd.Series, decimal: str, words: Mapping[str, float] | None = None) -> Parsed:
    """Confidence as a fraction: 0 to 1 as it is, "80%" as 0.8, a number above 1 up to 100 as a percent."""
    nums = read_numbers(series, decimal, words=_lookup(words))
    raw = nums.values
    values = np.where(~nums.percent & (raw > 1.0), raw / 100.0, raw)
    problems = _kind_problems("confidence", nums, _expected(words))
    over = values > 1.0 + 1e-9
    negative = values < 0
    problems.append(Problem(over, "Confidence cannot be above 100% ({value}).",
                            "Write it as 0 to 1 (0.8), as a percent (80%), or as a number up to 100."))
    problems.append(Problem(negative, "Confidence cannot be negative ({value}).",
                            "Write it as 0 to 1 (0.8), as a percent (80%), or as a number up to 100."))
    values = np.where(over | negative, np.nan, np.minimum(values, 1.0))
    return Parsed(values, [p for p in problems if p.mask.any()])


def _impact(series: pd.Series, decimal: str, words: Mapping[str, float] | None = None) -> Parsed:
    """Impact as a number, or one of the words massive, high, medium, low, minimal (or the value map's)."""
    table = {**IMPACT_WORDS, **(words or {})}
    nums = read_numbers(series, decimal, words=_lookup(table))
    values = nums.values.copy()
    expect = _expected(words) if words else "a number or massive, high, medium, low, minimal"
    problems = _kind_problems("impact", nums, expect=expect)
    negative = values < 0
    problems.append(Problem(negative, "Impact cannot be negative ({value}).",
                            "Use a number of 0 or more, or one of massive, high, medium, low, minimal."))
    values[negative] = np.nan
    return Parsed(values, [p for p in problems if p.mask.any()])


def text_values(series: pd.Series) -> np.ndarray:
    """Cells as stripped text ("" for blank): whole numbers without ".0", dates as ISO dates."""
    if pd.api.types.is_string_dtype(series.dtype) and not pd.api.types.is_object_dtype(series.dtype):
        cells = series.to_numpy(dtype=object, na_value="")
        return objects(list(map(str.strip, cells)))
    if pd.api.types.is_float_dtype(series.dtype) or pd.api.types.is_integer_dtype(series.dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        out = np.full(len(values), "", dtype=object)
        whole = np.isfinite(values) & (np.mod(values, 1.0) == 0) & (np.abs(values) < 2**53)
        out[whole] = values[whole].astype(np.int64).astype(str).tolist()
        other = ~whole & ~np.isnan(values)
        out[other] = [repr(float(v)) for v in values[other]]
        return out
    return objects([_cell_text(v) for v in series.to_numpy(dtype=object)])


def _cell_text(value: object) -> str:
    kind = _kind(value)
    if kind == 0:
        return ""
    if kind == 4:
        return "TRUE" if value else "FALSE"
    if kind == 1:
        f = float(value)  # type: ignore[arg-type]
        if f != f:  # NaN: a blank cell
            return ""
        return str(int(f)) if f.is_integer() and abs(f) < 2**53 else repr(f)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if kind == 3:
        return value.isoformat()  # type: ignore[union-attr]
    return str(value).strip()


def list_values(series: pd.Series) -> np.ndarray:
    """List cells ("I-1; I-2", one per line) as "I-1, I-2"; blank items dropped."""
    texts = text_values(series)
    if not len(texts):
        return texts
    # One substitution over all cells joined (NUL cannot occur in a cell), not one per cell.
    joined = _LIST_SEPARATORS.sub(", ", "\0".join(texts))
    return objects([t.strip(", \t") for t in joined.split("\0")])
