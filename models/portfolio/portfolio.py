"""The Portfolio: one row per initiative in typed columns, plus every extra column kept as it was."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

#: The canonical initiative fields, in the order Cutline shows and writes them.
CANONICAL_FIELDS: tuple[str, ...] = (
    "id", "title", "team", "category", "layer",
    "reach", "impact", "confidence", "effort",
    "risk", "reliability", "security", "dx",
    "depends_on", "unblocks", "quarter", "status", "notes",
)
#: Fields held as float64, NaN when blank.
NUMERIC_FIELDS: tuple[str, ...] = (
    "reach", "impact", "confidence", "effort", "risk", "reliability", "security", "dx",
)
#: Ratings from 0 to 10.
RATING_FIELDS: tuple[str, ...] = ("risk", "reliability", "security", "dx")
#: Fields that hold a list of ids (depends_on) or team names (unblocks), kept as text "A, B".
LIST_FIELDS: tuple[str, ...] = ("depends_on", "unblocks")
#: Fields held as text, "" when blank.
TEXT_FIELDS: tuple[str, ...] = tuple(
    f for f in CANONICAL_FIELDS if f not in NUMERIC_FIELDS
)


def split_list(text: str) -> list[str]:
    """Split a list cell ("I-1, I-2; I-3") into its stripped, non-blank items."""
    if not text:
        return []
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def cell_text(value: object) -> str:
    """A cell as trimmed text: "" for blank (None, NaN, NA); a whole float without ".0" (3.0 is "3",
    so ids like 101 read back as typed)."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def text_array(values: Iterable) -> np.ndarray:
    """Cells as an object array of `cell_text`."""
    return np.array([cell_text(v) for v in values], dtype=object)


@dataclass(frozen=True, eq=False)
class Portfolio:
    """An immutable table of initiatives.

    `frame` holds every canonical field (numeric ones as float64 with NaN for blank,
    text ones as str with "" for blank), then the extra columns of the source in their
    original order and form. Rows keep the source's order, which breaks ties in ranking.
    """

    frame: pd.DataFrame
    extra_columns: tuple[str, ...] = ()
    #: Row number of each initiative in its source sheet (1-based, as the sheet shows it).
    source_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    sheet: str | None = None

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_records(
        cls,
        records: Iterable[Mapping[str, object]],
        *,
        extra_columns: Iterable[str] = (),
        sheet: str | None = None,
    ) -> Portfolio:
        """A portfolio from dicts of field to value; missing fields are blank."""
        records = list(records)
        extra = tuple(extra_columns)
        data = {f: [r.get(f) for r in records] for f in CANONICAL_FIELDS + extra}
        return cls.from_frame(pd.DataFrame(data), extra_columns=extra, sheet=sheet)

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        extra_columns: Iterable[str] = (),
        source_rows: np.ndarray | None = None,
        sheet: str | None = None,
    ) -> Portfolio:
        """Normalise a frame that already has canonical column names into a Portfolio.

        Missing canonical columns are added blank; values are coerced (numbers that do
        not parse become blank, so validate before calling this with user data).
        """
        extra = tuple(c for c in extra_columns if c not in CANONICAL_FIELDS)
        n = len(frame)
        cols: dict[str, object] = {}
        for name in CANONICAL_FIELDS:
            if name in frame.columns:
                col = frame[name]
                if name in NUMERIC_FIELDS:
                    cols[name] = pd.to_numeric(col, errors="coerce").astype("float64").to_numpy()
                else:
                    cols[name] = text_array(col.tolist())
            elif name in NUMERIC_FIELDS:
                cols[name] = np.full(n, np.nan)
            else:
                cols[name] = np.full(n, "", dtype=object)
        for name in extra:
            cols[name] = frame[name].to_numpy(dtype=object) if name in frame.columns else np.full(n, None, dtype=object)
        out = pd.DataFrame(cols, index=pd.RangeIndex(n))
        for name in TEXT_FIELDS:
            out[name] = out[name].astype(object)
        if source_rows is None:
            source_rows = np.arange(2, n + 2, dtype=np.int64)  # header on row 1
        return cls(out, extra, np.asarray(source_rows, dtype=np.int64), sheet)

    # -- reading -----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.frame)

    @property
    def columns(self) -> tuple[str, ...]:
        return CANONICAL_FIELDS + self.extra_columns

    @cached_property
    def ids(self) -> np.ndarray:
        return self.frame["id"].to_numpy(dtype=object)

    @cached_property
    def row_of_id(self) -> dict[str, int]:
        """Row index of each id (the first one, should ids repeat)."""
        out: dict[str, int] = {}
        for i, ident in enumerate(self.ids):
            out.setdefault(ident, i)
        return out

    def numeric(self, name: str) -> np.ndarray:
        """A numeric field as float64, NaN where blank."""
        return self.frame[name].to_numpy(dtype=np.float64)

    def text(self, name: str) -> np.ndarray:
        """A text field as an object array of str."""
        return self.frame[name].to_numpy(dtype=object)

    def value(self, row: int, name: str) -> object:
        return self.frame[name].iat[row]

    # -- changing (returns a new Portfolio) ---------------------------------------------
    def with_values(self, edits: Mapping[tuple[int, str], object]) -> Portfolio:
        """A copy with the given (row, column) cells set. Numeric fields take floats or None."""
        frame = self.frame.copy()
        for (row, name), value in edits.items():
            if name in NUMERIC_FIELDS:
                frame.loc[row, name] = np.nan if value is None or value == "" else float(value)
            elif name in TEXT_FIELDS:
                frame.loc[row, name] = "" if value is None else str(value)
            else:
                frame.loc[row, name] = value
        return Portfolio(frame, self.extra_columns, self.source_rows, self.sheet)

    def equals(self, other: Portfolio) -> bool:
        """Same initiatives, same values, same extra columns."""
        if self.extra_columns != other.extra_columns or len(self) != len(other):
            return False
        return self.frame.equals(other.frame)


def value_problem(criterion: str, value: float) -> str | None:
    """Why `value` cannot be a rating of `criterion`, or None when it can.

    Ratings fields take 0 to 10, confidence a share from 0 to 1 (stored as Cutline stores it),
    and the other numeric fields any number from zero up.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        try:
            value = float(value)  # numpy numbers and Decimal pass; text does not
        except (TypeError, ValueError):
            return f"{value!r} is not a number."
    if not math.isfinite(value):
        return f"{float(value)} is not a finite number."
    if criterion in RATING_FIELDS and not 0 <= value <= 10:
        return f"{criterion} is rated 0 to 10, not {value:g}."
    if criterion == "confidence" and not 0 <= value <= 1:
        return f"Confidence is a share from 0 to 1 (0.8 is 80%), not {value:g}."
    if value < 0:
        return f"{criterion} cannot be negative ({value:g})."
    return None


# -- ids that repeat or differ only by what cannot be seen ------------------------------------
#: Characters that show nothing: format controls (U+200B zero-width space, U+FEFF, U+2060, soft
#: hyphens, bidi marks), other controls, variation selectors, the combining grapheme joiner and
#: the Hangul fillers. Separators (U+00A0 no-break space and the other Zs) read as a space.
_INVISIBLE_EXTRA = frozenset("\u034f\u115f\u1160\u3164\uffa0")
_CONTROL_NAMES = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN"}
_NOT_ASCII_PRINTABLE = re.compile(r"[^\x20-\x7e]|  |^ | $")



def _invisible(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return (
        cat in ("Cf", "Cc", "Co", "Cn") and ch not in "\t\n\r"
        or ch in _INVISIBLE_EXTRA
        or "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef"
    )


def _spacing(ch: str) -> bool:
    return ch in "\t\n\r\x0b\x0c" or unicodedata.category(ch) in ("Zs", "Zl", "Zp")


def _all_plain(texts: list[str]) -> bool:
    """Whether every text is printable ASCII without doubled, leading or trailing spaces (fast)."""
    whole = "".join(texts)
    if not (whole.isascii() and whole.isprintable()) or "  " in whole:
        return False
    joined = "\x1f".join(texts)
    return " \x1f" not in joined and "\x1f " not in joined and joined[:1] != " " and joined[-1:] != " "


def visible_key(text: str) -> str:
    """`text` as it looks: composed (NFC), invisible characters removed, every kind of space
    one plain space, runs of spaces one, none at the ends. Two ids with the same key cannot be
    told apart on screen."""
    if not _NOT_ASCII_PRINTABLE.search(text):
        return text
    text = unicodedata.normalize("NFC", text)
    out = "".join(" " if _spacing(c) else c for c in text if not _invisible(c))
    return " ".join(part for part in out.split(" ") if part)


def show_invisible(text: str) -> str:
    """`text` quoted, with every invisible character or unusual space (and the accents of a
    decomposed text) written by its code point and name, as <U+200B ZERO WIDTH SPACE>."""
    out = []
    decomposed = not unicodedata.is_normalized("NFC", text)
    for c in text:
        if c != " " and (_invisible(c) or _spacing(c) or decomposed and unicodedata.combining(c)):
            out.append(f"<U+{ord(c):04X} {unicodedata.name(c, _CONTROL_NAMES.get(c, 'CONTROL'))}>")
        else:
            out.append(c)
    return "'" + "".join(out) + "'"


def id_problems(ids: Iterable[object]) -> list[str]:
    """Sentences naming the ids that repeat, and the ids that differ only by invisible characters
    (U+200B, U+FEFF, no-break spaces, ...), in the order they first appear; [] when every id is
    its own. Blank ids are left to the caller. Fast when every id is plain ASCII text.
    """
    texts = list(ids)
    if not set(map(type, texts)) <= {str}:
        texts = ["" if v is None else str(v) for v in texts]
    if len(set(texts)) == len(texts) and _all_plain(texts):
        return []
    groups: dict[str, dict[str, int]] = {}  # key -> id as written -> how many times
    for text in texts:
        if text == "":
            continue
        spelled = groups.setdefault(visible_key(text), {})
        spelled[text] = spelled.get(text, 0) + 1
    problems = []
    for spelled in groups.values():
        if len(spelled) == 1:
            (text, count), = spelled.items()
            if count > 1:
                problems.append(f"Id {show_invisible(text)} is used by {count:,} initiatives.")
            continue
        names = [show_invisible(t) + (f" ({c:,} times)" if c > 1 else "") for t, c in spelled.items()]
        listed = ", ".join(names[:-1]) + " and " + names[-1]
        problems.append(
            f"Ids {listed} look the same: they differ only by characters that do not show "
            "(invisible characters, kinds of space, or how an accent is encoded)."
        )
    return problems
