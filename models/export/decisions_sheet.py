"""The Decisions sheet: the workshop's decision log, oldest first."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from cutline.models.export import styles as st
from cutline.models.export.book import Sheet
from cutline.models.export.model_sheet import fitted_height

HEADERS = ("Time", "Kind", "Scenario", "Summary", "Old", "New")
#: Widths that print one page wide with type at 9 pt or more (models/export/printing.py).
_WIDTHS = (16, 12, 16, 50, 24, 24)


def write_decisions(sheet: Sheet, decisions: Iterable) -> None:
    """Fill the Decisions sheet from log entries (objects with time, kind, scenario,
    summary, old and new)."""
    entries = list(decisions)
    sheet.row(["Decisions"], st.TITLE, height=22)
    if not entries:
        sheet.row(["No decisions were logged in this workshop."], st.NOTE)
        sheet.print_wide(columns=len(HEADERS))
        return
    sheet.row(["What the workshop changed and decided, oldest first; times are local."], st.NOTE)
    sheet.skip()
    header = sheet.row(list(HEADERS), st.HEADER, height=30)
    wrap = st.Look(wrap=True)
    looks = [st.Look(fmt=st.DATETIME, wrap=True, align="left"), wrap, wrap, wrap, wrap, wrap]
    for entry in entries:
        values = [decision_time(getattr(entry, "time", None)), _text(getattr(entry, "kind", "")),
                  _text(getattr(entry, "scenario", "")), _text(getattr(entry, "summary", "")),
                  plain_value(getattr(entry, "old", None)), plain_value(getattr(entry, "new", None))]
        sheet.row(values, looks, height=fitted_height(values, looks, _WIDTHS))
    sheet.print_wide(columns=len(HEADERS), header_row=header)
    ws = sheet.ws
    ws.freeze_panes = f"A{header + 1}"
    ws.auto_filter.ref = f"A{header}:F{header + len(entries)}"
    for letter, width in zip("ABCDEF", _WIDTHS):
        ws.column_dimensions[letter].width = width


def decision_time(value: object) -> object:
    """An ISO time as a local date-time Excel can sort; other text as it is."""
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        try:
            parsed = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return _text(value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone().replace(tzinfo=None)
    return parsed


def plain_value(value: object) -> object:
    """A logged value as a cell holds it: numbers and text as they are, the rest as JSON."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def _text(value: object) -> str:
    return "" if value is None else str(value)
