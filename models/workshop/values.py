"""Lossless JSON for the values a workshop stores: spreadsheet cells and plain data.

Plain JSON already keeps str, int, finite float, bool, None, lists and str-keyed dicts
apart. Everything else (NaN, dates and times, pandas' NaT and NA, numpy scalars,
Decimal, bytes, tuples, dicts with other keys) is written as a tagged object
`{"$t": kind, "v": value}`, so it reads back as the same Python type and value.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from collections.abc import Callable, Mapping
from decimal import Decimal

import numpy as np
import pandas as pd
from cutline.models.errors import WorkshopFileError

TAG = "$t"
#: Types JSON writes and reads back unchanged (float only when finite).
PLAIN = frozenset({str, int, bool, type(None)})

encode_json = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, separators=(",", ":"), check_circular=False
).encode


# -- single values ---------------------------------------------------------------------------
def _float(v: float) -> object:
    if math.isfinite(v):
        return v
    return {TAG: "float", "v": "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")}


def _timestamp(v: pd.Timestamp) -> dict:
    out = {TAG: "timestamp", "v": v.isoformat()}
    if v.tz is not None:
        out["tz"] = str(v.tz)
    return out


def _numpy(v: np.generic) -> dict:
    return {TAG: "np", "d": v.dtype.str, "v": to_plain(v.item() if not isinstance(v, np.datetime64) else str(v))}


def _mapping(v: Mapping) -> dict:
    if all(type(k) is str for k in v) and TAG not in v:
        return {k: to_plain(x) for k, x in v.items()}
    # Keys JSON cannot hold as they are, or a key that looks like our tag: keep the pairs.
    return {TAG: "map", "v": [[to_plain(k), to_plain(x)] for k, x in v.items()]}


# Checked in order; more specific types first (Timestamp is a datetime, bool is an int).
_TAGGERS: tuple[tuple[type, Callable[[object], object]], ...] = (
    (np.generic, _numpy),  # before float: numpy's float64 is a float
    (float, _float),
    (pd.Timestamp, _timestamp),
    (dt.datetime, lambda v: {TAG: "datetime", "v": v.isoformat()}),
    (dt.date, lambda v: {TAG: "date", "v": v.isoformat()}),
    (dt.time, lambda v: {TAG: "time", "v": v.isoformat()}),
    (pd.Timedelta, lambda v: {TAG: "timedelta", "v": int(v.value)}),
    (dt.timedelta, lambda v: {TAG: "pytimedelta", "v": [v.days, v.seconds, v.microseconds]}),
    (Decimal, lambda v: {TAG: "decimal", "v": str(v)}),
    (bytes, lambda v: {TAG: "bytes", "v": base64.b64encode(v).decode("ascii")}),
    (tuple, lambda v: {TAG: "tuple", "v": [to_plain(x) for x in v]}),
    (list, lambda v: [to_plain(x) for x in v]),
    (Mapping, _mapping),
)


def to_plain(value: object) -> object:
    """`value` as data plain JSON can hold, tagged where JSON alone would lose its type."""
    kind = type(value)
    if kind in PLAIN:
        return value
    if value is pd.NaT:
        return {TAG: "nat"}
    if value is pd.NA:
        return {TAG: "na"}
    if isinstance(value, str):  # numpy's str_ and other subclasses
        return str(value)
    for base, tagger in _TAGGERS:
        if isinstance(value, base):
            return tagger(value)
    raise WorkshopFileError(
        f"A value of type {kind.__name__} ({value!r:.60}) cannot be stored in a workshop.",
        hint="Convert it to text or a number first.",
    )


def _untag_timestamp(d: dict) -> pd.Timestamp:
    ts = pd.Timestamp(d["v"])
    if d.get("tz"):
        try:
            return ts.tz_convert(d["tz"])
        except (ValueError, TypeError, KeyError):  # a fixed offset that is not a zone name
            return ts
    return ts


def _untag_numpy(d: dict) -> np.generic:
    return np.array(from_plain(d["v"]), dtype=np.dtype(d["d"]))[()]


_UNTAGGERS: dict[str, Callable[[dict], object]] = {
    "float": lambda d: float(d["v"]),
    "nat": lambda d: pd.NaT,
    "na": lambda d: pd.NA,
    "timestamp": _untag_timestamp,
    "datetime": lambda d: dt.datetime.fromisoformat(d["v"]),
    "date": lambda d: dt.date.fromisoformat(d["v"]),
    "time": lambda d: dt.time.fromisoformat(d["v"]),
    "timedelta": lambda d: pd.Timedelta(int(d["v"]), unit="ns"),
    "pytimedelta": lambda d: dt.timedelta(*d["v"]),
    "decimal": lambda d: Decimal(d["v"]),
    "np": _untag_numpy,
    "bytes": lambda d: base64.b64decode(d["v"]),
    "tuple": lambda d: tuple(from_plain(x) for x in d["v"]),
    "map": lambda d: {from_plain(k): from_plain(x) for k, x in d["v"]},
}


def from_plain(data: object) -> object:
    """The Python value `to_plain` made `data` from."""
    kind = type(data)
    if kind is list:
        return [from_plain(x) for x in data]
    if kind is not dict:
        return data
    tag = data.get(TAG)
    if tag is None:
        return {k: from_plain(x) for k, x in data.items()}
    try:
        return _UNTAGGERS[tag](data)
    except (KeyError, ValueError, TypeError, OverflowError) as exc:
        raise WorkshopFileError(
            f"A stored value of kind {tag!r} could not be read back ({exc}).",
            hint="The workshop file may be damaged or from a newer Cutline.",
        ) from exc


def dumps(value: object) -> str:
    """Compact, standard JSON text of `value`, lossless through `loads`."""
    return encode_json(to_plain(value))


def loads(text: str | None) -> object:
    """The value `dumps` wrote; None for a NULL column."""
    if text is None:
        return None
    if text.count("[") + text.count("{") > _DEPTH and _too_deep(text):  # the counts are C-fast
        raise ValueError(f"a stored value nests more than {_DEPTH} levels deep")
    try:
        return from_plain(json.loads(text))
    except RecursionError:  # deeper than the scan saw (it counts brackets outside strings)
        raise ValueError(f"a stored value nests more than {_DEPTH} levels deep") from None


#: Cutline writes values a few levels deep; a file holding one nested deeper was made by hand.
_DEPTH = 64


def _too_deep(text: str) -> bool:
    """Whether brackets outside strings nest past _DEPTH (json.loads would recurse that deep)."""
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > _DEPTH:
                return True
        elif ch in "]}":
            depth -= 1
    return False
