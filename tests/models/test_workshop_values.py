"""Lossless JSON for workshop values: every kind of cell and plain data reads back as it was."""

import datetime as dt
import json
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from cutline.models.errors import WorkshopFileError
from cutline.models.workshop import columns, values
from hypothesis import given
from hypothesis import strategies as st


def _same(a, b) -> bool:
    if isinstance(a, float) and math.isnan(a):
        return type(b) is float and math.isnan(b)
    if isinstance(a, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict):
        return type(b) is dict and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and (a is b or a == b)


CELLS = [
    None, True, False, 0, -7, 2**80, 1.5, -0.0, 1e-300, 1e300, float("nan"), float("inf"), float("-inf"),
    "", "  spaced  ", "Ünïcode ✓ \"quoted\" \\ \n\t", '{"$t": "nat"}',
    pd.Timestamp("2024-02-29 13:45:01.123456789"), pd.Timestamp("2024-10-27 00:30", tz="UTC").tz_convert("Europe/Paris"),
    pd.NaT, pd.NA, pd.Timedelta(days=2, nanoseconds=5),
    dt.datetime(2024, 1, 2, 3, 4, 5), dt.datetime(2024, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    dt.date(1999, 12, 31), dt.time(23, 59, 59, 999999), dt.timedelta(days=-1, seconds=5),
    Decimal("1.10"), np.int64(7), np.float32(0.1), np.bool_(True), np.datetime64("2024-01-01T10:00", "ns"),
    b"\x00\xffbytes", (1, "a", None), [1, [2.5, None]], {"a": 1, "$t": "x"}, {1: "one", (2, 3): "pair"},
]


@pytest.mark.parametrize("value", CELLS, ids=[type(v).__name__ + str(i) for i, v in enumerate(CELLS)])
def test_every_kind_of_value_reads_back_with_its_type(value):
    text = values.dumps(value)
    json.loads(text)  # standard JSON: no NaN or Infinity tokens
    assert "NaN" not in text and "Infinity" not in text
    back = values.loads(text)
    if value is pd.NaT or value is pd.NA:
        assert back is value
    elif isinstance(value, pd.Timestamp):
        assert back == value and str(back.tz) == str(value.tz)
    else:
        assert _same(back, value)


def test_a_value_of_an_unknown_type_is_refused_clearly():
    with pytest.raises(WorkshopFileError, match="cannot be stored in a workshop"):
        values.dumps({"a": object()})


def test_an_unknown_tag_is_reported_as_unreadable():
    with pytest.raises(WorkshopFileError, match="could not be read back"):
        values.loads('{"$t": "timestamp", "v": "not a time"}')


_plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@given(_plain)
def test_plain_data_round_trips(data):
    assert _same(values.loads(values.dumps(data)), data)


SERIES = {
    "float": pd.Series([1.5, np.nan, np.inf, -np.inf, -0.0, 1e-310]),
    "int": pd.Series([0, -(2**63), 2**63 - 1]),
    "uint": pd.Series(np.array([0, 2**64 - 1], dtype=np.uint64)),
    "bool": pd.Series([True, False]),
    "datetime": pd.Series(pd.to_datetime(["2024-01-01 10:00:00.000001", None])),
    "datetime_ns": pd.Series(np.array(["2024-01-01T00:00:00.000000001", "NaT"], dtype="datetime64[ns]")),
    "timedelta": pd.Series(pd.to_timedelta(["1 day", None])),
    "tz": pd.Series(pd.to_datetime(["2024-01-01 10:00", None]).tz_localize("Europe/Paris")),
    "str": pd.Series(["a", None, "ü"], dtype="str"),
    "string": pd.Series(["a", None], dtype="string"),
    "nullable": pd.Series([1, None], dtype="Int64"),
    "category": pd.Series(["x", "y", "x"], dtype="category"),
    "object": pd.Series(np.array([1, "a", None, np.nan, 2.5, True, dt.date(2024, 1, 1)], dtype=object)),
    "empty": pd.Series([], dtype="float64"),
}


@pytest.mark.parametrize("name", SERIES)
def test_a_column_of_each_dtype_reads_back_equal(name):
    col = SERIES[name]
    cells = columns.encode_column(col)
    text = columns.encode_rows([cells], len(col))
    (back_cells,) = columns.decode_rows(text, 1)
    back = columns.decode_column(back_cells, str(col.dtype))
    assert str(back.dtype) == str(col.dtype)
    assert back.equals(col)
    if col.dtype == object:
        assert list(map(type, back)) == list(map(type, col))


def test_a_stored_value_nested_by_hand_is_a_clear_error_not_a_recursion():
    import pytest
    from cutline.models.workshop import values as workshop_values

    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(ValueError, match="nests more than 64 levels"):
        workshop_values.loads(deep)
    quoted = '["' + "[" * 500 + '"]'  # brackets inside a string are text
    assert workshop_values.loads(quoted) == ["[" * 500]
