"""The portfolio's extra columns in the workshop file: each cell as JSON, in its column's dtype.

The file records every column's dtype, so a typed column (numbers, dates, text) stores
bare JSON values that decode a whole column at once, and only an object column (mixed
types, as a spreadsheet can hold) tags each unusual value with its type.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from cutline.models.errors import WorkshopFileError
from cutline.models.workshop import values

_NAT = np.iinfo(np.int64).min  # how numpy stores NaT in a datetime64 or timedelta64 array


def _numpy_kind(dtype: object) -> str:
    return dtype.kind if isinstance(dtype, np.dtype) else ""


def _with_blanks(arr: np.ndarray, blank: np.ndarray) -> list:
    out = arr.astype(object)
    out[blank] = None
    return out.tolist()


def encode_column(col: pd.Series) -> list:
    """Plain JSON values for every cell of `col`, in the form its dtype reads back from."""
    kind = _numpy_kind(col.dtype)
    if kind in ("M", "m"):  # dates and durations: their integer ticks, null for NaT
        ticks = col.to_numpy().view(np.int64)
        return _with_blanks(ticks, ticks == _NAT)
    if kind == "f":  # null for NaN; infinities tagged
        arr = col.to_numpy()
        out = _with_blanks(arr, np.isnan(arr))
        for i in np.flatnonzero(np.isinf(arr)):
            out[i] = values.to_plain(float(arr[i]))
        return out
    if kind in ("i", "u", "b"):
        return col.tolist()
    if isinstance(col.dtype, pd.StringDtype):
        return _with_blanks(col.to_numpy(dtype=object), col.isna().to_numpy())
    return plain_column(col.tolist())


def decode_column(cells: Sequence, dtype_name: str) -> pd.Series:
    """The column `encode_column` wrote, in dtype `dtype_name` (object when that cannot be rebuilt)."""
    try:
        dtype = pd.api.types.pandas_dtype(dtype_name)
    except TypeError:
        dtype = np.dtype(object)
    kind = _numpy_kind(dtype)
    try:
        if kind in ("M", "m"):
            ticks = pd.array(list(cells), dtype="Int64").to_numpy(dtype=np.int64, na_value=_NAT)
            return pd.Series(ticks.view(dtype))
        if kind in ("f", "i", "u", "b"):
            return pd.Series(np.array(column_from_plain(cells), dtype=dtype))
        if isinstance(dtype, pd.StringDtype):
            return pd.Series(pd.array(list(cells), dtype=dtype))
    except (TypeError, ValueError, OverflowError) as exc:
        raise WorkshopFileError(f"A column of type {dtype_name} holds values of another type ({exc}).") from exc
    objects = np.fromiter(column_from_plain(cells), dtype=object, count=len(cells))
    if kind == "O":
        return pd.Series(objects, dtype=object)
    try:
        return pd.Series(objects, dtype=object).astype(dtype)
    except (TypeError, ValueError):
        return pd.Series(objects, dtype=object)  # keep every value, if not the exact dtype


def plain_column(cells: Sequence) -> list:
    """Every value of an object column through `to_plain`, skipping the work for plain columns."""
    kinds = set(map(type, cells))
    if kinds <= values.PLAIN:
        return list(cells)
    if kinds <= values.PLAIN | {float} and all(map(math.isfinite, (v for v in cells if type(v) is float))):
        return list(cells)
    return [v if type(v) in values.PLAIN else values.to_plain(v) for v in cells]


def column_from_plain(cells: Sequence) -> list:
    """Every value of a column through `from_plain`, skipping the work when nothing is tagged."""
    kinds = set(map(type, cells))
    if dict not in kinds and list not in kinds:
        return list(cells)
    return [values.from_plain(v) if type(v) in (dict, list) else v for v in cells]


def encode_rows(columns: Sequence[list], n: int) -> list[str]:
    """One JSON array per row from encoded columns."""
    if not columns:
        return ["[]"] * n
    return list(map(values.encode_json, zip(*columns, strict=True)))


def decode_rows(texts: Sequence[str], width: int) -> list[tuple]:
    """The columns of the JSON arrays `encode_rows` wrote, parsed in one go."""
    if width == 0:
        return []
    rows = json.loads("[" + ",".join(texts) + "]")
    if rows and set(map(len, rows)) != {width}:
        raise WorkshopFileError(
            "An initiative has a different number of extra values than the portfolio has extra columns."
        )
    return list(zip(*rows, strict=True)) if rows else [()] * width
