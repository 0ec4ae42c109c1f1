"""The decision log: dates carry the year, and what changed wraps instead of being cut."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from cutline.views.history_view import HistoryView, local_time
from PySide6.QtCore import QRect, Qt

LONG = ("Agreed: defer the SSO rewrite to Q3 because Identity has no capacity left before the audit, "
        "and fund the audit log for SOC 2 first; revisit when the platform team's hiring lands")


def _entry(summary: str, kind: str = "note", time: str = "2026-12-04T14:05:00+00:00"):
    return SimpleNamespace(summary=summary, kind=kind, scenario="Default", time=time)


@pytest.fixture
def utc(monkeypatch):
    """Local time is UTC for the test, and the machine's own again after it."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_dates_carry_the_year(utc):
    assert local_time("2026-12-04T14:05:00Z") == "4 Dec 2026 14:05"
    assert local_time("2027-01-15T09:30:00+00:00") == "15 Jan 2027 09:30"
    assert local_time("not a time") == "not a time"


def _wrapped_fits(view: HistoryView, row: int) -> bool:
    table = view.table
    item = table.item(row, 2)
    width = table.columnWidth(2) - 8  # the cell's margins
    needed = table.fontMetrics().boundingRect(QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap),
                                              item.text()).height()
    return table.rowHeight(row) >= needed


def test_the_decision_text_wraps_and_follows_the_column_width(qtbot):
    view = HistoryView()
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    view.set_entries([_entry("Weight of dx 2 → 3", kind="weight"), _entry(LONG)])
    qtbot.wait(10)
    table = view.table
    one_line = table.rowHeight(1)  # newest first: the short change is the second row
    assert table.item(0, 2).text() == f"Note: {LONG}"
    assert table.rowHeight(0) > one_line * 1.5  # two lines or more, not one cut line
    assert _wrapped_fits(view, 0)

    wide = table.rowHeight(0)
    view.resize(600, 500)
    qtbot.waitUntil(lambda: table.rowHeight(0) > wide)  # narrower: more lines, a taller row
    assert _wrapped_fits(view, 0)
    assert table.textElideMode() == Qt.TextElideMode.ElideNone
