"""The workshop file: round trips, one transaction per edit, the journal, Save As, locks and recovery."""

import datetime as dt
import itertools
import re
import socket
import sqlite3
import string
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cutline.models.capacity.capacity import Capacity, Guardrail
from cutline.models.errors import WorkshopFileError
from cutline.models.portfolio.portfolio import (
    CANONICAL_FIELDS,
    NUMERIC_FIELDS,
    TEXT_FIELDS,
    Portfolio,
)
from cutline.models.scenarios.scenario import Overrides, Scenario
from cutline.models.scoring.model import default_model
from cutline.models.workshop.checksums import refresh_table
from cutline.models.workshop.document import Workshop
from cutline.models.workshop.file import JournalEntry, WorkshopFile
from hypothesis import given, settings
from hypothesis import strategies as st

DEAD_PID = 2**31 - 3  # above any pid_max, so no process has it


def _portfolio(n: int = 5) -> Portfolio:
    return Portfolio.from_records(
        [{"id": f"I-{i}", "title": f"Item {i}", "reach": i * 10, "Owner": "Ana", "Cost": i} for i in range(n)],
        extra_columns=["Owner", "Cost"],
    )


def _workshop(n: int = 5) -> Workshop:
    return Workshop.new(_portfolio(n), mapping={"Title": "title"}, source="roadmap.xlsx")


@pytest.fixture
def opened(tmp_path):
    file = WorkshopFile.create(tmp_path / "w.cutline", _workshop())
    yield file
    file.close()


def _statements(file: WorkshopFile) -> list[str]:
    out: list[str] = []
    file._conn.set_trace_callback(out.append)
    return out


# -- round trips -----------------------------------------------------------------------------
_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_number = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**15), 10**15))
_cell = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), _text,
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)).map(pd.Timestamp),
    st.dates(),
)


@st.composite
def _portfolios(draw) -> Portfolio:
    n = draw(st.integers(0, 6))
    names = draw(st.lists(_text.filter(lambda s: s.strip() and s not in CANONICAL_FIELDS), max_size=3, unique=True))
    records = []
    for _ in range(n):
        rec = {f: draw(_text) for f in ("id", "title", "team", "notes")}
        rec.update({f: draw(_number) for f in ("reach", "effort", "security")})
        rec.update({name: draw(_cell) for name in names})
        records.append(rec)
    portfolio = Portfolio.from_records(records, extra_columns=names, sheet=draw(st.none() | _text))
    if names and draw(st.booleans()):  # typed extra columns as well as object ones
        frame = portfolio.frame.copy()
        frame[names[0]] = frame[names[0]].infer_objects()
        portfolio = Portfolio(frame, portfolio.extra_columns, portfolio.source_rows, portfolio.sheet)
    return portfolio


@st.composite
def _workshops(draw) -> Workshop:
    names = draw(st.lists(_text.filter(str.strip), min_size=1, max_size=3, unique=True))
    scenarios = []
    for name in names:
        model = default_model().with_weights({"dx": draw(st.floats(0, 100)), "risk": draw(st.integers(0, 9))})
        capacity = Capacity.from_rows(
            [(draw(st.sampled_from(["core", "", "data"])), "Q1", draw(st.floats(0, 1e6)))],
            [Guardrail("security", reserve=draw(st.floats(0, 1)))],
        )
        overrides = Overrides(pins=(("I-1", draw(st.booleans())),), inputs=(("I-2", "effort", draw(st.floats(0, 50))),))
        scenarios.append(Scenario(name, model, capacity, overrides))
    rounds = draw(st.lists(st.dictionaries(_text, st.integers() | _text | st.lists(st.integers()), max_size=3), max_size=2))
    return Workshop(
        draw(_portfolios()), tuple(scenarios), draw(st.sampled_from(names)),
        draw(st.dictionaries(_text, _text, max_size=3)), draw(_text), tuple(rounds),
    )


_counter = itertools.count()


@settings(max_examples=40)  # each example writes and syncs a file
@given(_workshops())
def test_a_workshop_reads_back_equal(tmp_path, workshop):
    path = tmp_path / f"r{next(_counter)}.cutline"
    WorkshopFile.create(path, workshop).close()
    with WorkshopFile.open(path) as file:
        back = file.workshop
    assert back.equals(workshop)
    p, q = back.portfolio, workshop.portfolio
    assert p.sheet == q.sheet and np.array_equal(p.source_rows, q.source_rows)
    assert [str(t) for t in p.frame.dtypes] == [str(t) for t in q.frame.dtypes]
    for name in q.extra_columns:  # 1, 1.0 and True stay apart
        assert list(map(type, p.frame[name])) == list(map(type, q.frame[name]))


def test_schema_fields_match_the_portfolio():
    from cutline.models.workshop.schema import INITIATIVE_FIELDS

    assert tuple(n for n, _ in INITIATIVE_FIELDS) == CANONICAL_FIELDS
    assert {n for n, k in INITIATIVE_FIELDS if k == "REAL"} == set(NUMERIC_FIELDS)
    assert {n for n, k in INITIATIVE_FIELDS if k == "TEXT"} == set(TEXT_FIELDS)


# -- every edit is one transaction that writes only what changed --------------------------------
def test_a_cell_edit_updates_one_initiative_row_in_one_transaction(opened):
    sql = _statements(opened)
    opened.record(opened.workshop.with_cell(3, "Owner", "Bo"), JournalEntry("cell", "Owner of I-3 Ana → Bo"))
    assert sql[0] == "BEGIN IMMEDIATE" and sql[-1] == "COMMIT"
    touching = [s for s in sql if "initiatives" in s]
    assert len(touching) == 1 and touching[0].startswith("UPDATE initiatives") and touching[0].endswith("position = 3")
    assert not any("scenarios" in s for s in sql)


def test_a_weight_change_updates_one_scenario_row(opened):
    scenario = opened.workshop.current_scenario()
    changed = Scenario(scenario.name, scenario.model.with_weight("security", 4), scenario.capacity)
    sql = _statements(opened)
    opened.record(opened.workshop.with_scenario(changed), JournalEntry("weight", "Weight of security 3 → 4"))
    assert [s.split(" (")[0] for s in sql if "scenarios" in s] == ["REPLACE INTO scenarios VALUES"]
    assert not any("initiatives" in s for s in sql)


def test_an_import_rewrites_the_initiatives(opened):
    sql = _statements(opened)
    opened.record(opened.workshop.with_portfolio(_portfolio(9)), JournalEntry("import", "Imported 9 initiatives"))
    assert "DELETE FROM initiatives" in sql
    assert sum(s.startswith("INSERT INTO initiatives") for s in sql) == 9


def test_edits_of_every_kind_read_back(opened):
    w = opened.workshop
    steps = [
        w.with_cell(0, "title", "Renamed ✓"),
        w.with_cell(0, "title", "Renamed ✓").adding_scenario(Scenario("B")),
    ]
    steps.append(steps[-1].renaming_scenario("B", "Bold").switching_to("Bold"))
    steps.append(steps[-1].removing_scenario("Default").adding_rating_round({"round": 1}))
    steps.append(steps[-1].with_portfolio(_portfolio(2)))
    for i, step in enumerate(steps):
        opened.record(step, JournalEntry("scenario", f"step {i}"))
        with WorkshopFile.open(opened.path, read_only=True) as again:
            assert again.workshop.equals(step)


def test_a_value_that_cannot_be_stored_changes_nothing(opened):
    before = opened.workshop
    bad = before.with_portfolio(
        Portfolio(before.portfolio.frame.assign(Cost=[object()] * 5), before.portfolio.extra_columns)
    )
    with pytest.raises(WorkshopFileError, match="cannot be stored"):
        opened.record(bad, JournalEntry("cell", "bad"))
    assert opened.workshop is before and opened.journal() == []
    with WorkshopFile.open(opened.path, read_only=True) as again:
        assert again.workshop.equals(before)


# -- the journal ---------------------------------------------------------------------------------
def test_the_journal_keeps_entries_in_order_with_times_and_values(opened):
    first = opened.record(opened.workshop, JournalEntry("weight", "Weight of dx 2 → 3", "Default", 2, 3))
    second = opened.record(
        opened.workshop, JournalEntry("override", "Pinned I-1", "Default", None, {"pin": ("I-1", True)})
    )
    note = opened.add_note("  agreed: defer the SSO rewrite to Q3 ")
    assert [e.id for e in opened.journal()] == [first.id, second.id, note.id] == [1, 2, 3]
    assert opened.journal() == [first, second, note]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", first.time)
    assert second.new == {"pin": ("I-1", True)}
    assert (note.kind, note.summary, note.scenario) == ("note", "agreed: defer the SSO rewrite to Q3", "Default")
    with pytest.raises(WorkshopFileError, match="needs some text"):
        opened.add_note("   ")


def test_merging_folds_a_moving_slider_into_one_entry(opened):
    w = opened.workshop
    a = opened.record(w, JournalEntry("weight", "Weight of dx 2 → 3", "Default", 2, 3))
    b = opened.record(w, JournalEntry("weight", "Weight of dx 2 → 5", "Default", 3, 5), merge=True)
    assert (b.id, b.old, b.new, b.summary) == (a.id, 2, 5, "Weight of dx 2 → 5")
    c = opened.record(w, JournalEntry("tier", "Tier off", "Default", True, False), merge=True)
    assert c.id == a.id + 1
    assert [e.summary for e in opened.journal()] == ["Weight of dx 2 → 5", "Tier off"]


# -- Save As, close, read-only ----------------------------------------------------------------------
def test_save_as_copies_everything_and_continues_in_the_new_file(tmp_path, opened):
    opened.add_note("before")
    new = opened.save_as(tmp_path / "named.cutline")
    try:
        assert new.path.name == "named.cutline" and not new.read_only
        assert new.workshop.equals(opened.workshop)
        new.add_note("after")
        assert [e.summary for e in new.journal()] == ["before", "after"]
        with pytest.raises(WorkshopFileError, match="is closed"):
            opened.journal()
        with WorkshopFile.open(opened.path) as old:  # the old file stays, closed cleanly
            assert [e.summary for e in old.journal()] == ["before"]
    finally:
        new.close()


def test_save_as_can_remove_an_untitled_original(tmp_path):
    untitled = WorkshopFile.create_untitled(tmp_path / "data", _workshop())
    assert untitled.path.parent == tmp_path / "data" and untitled.path.suffix == ".cutline"
    named = untitled.save_as(tmp_path / "kept.cutline", remove_old=True)
    named.close()
    assert not untitled.path.exists() and list((tmp_path / "data").iterdir()) == []


def test_close_with_discard_deletes_the_file(tmp_path):
    file = WorkshopFile.create(tmp_path / "gone.cutline", _workshop())
    file.close(discard=True)
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_file_refuses_edits(opened):
    with WorkshopFile.open(opened.path, read_only=True) as viewer:
        assert viewer.read_only and "read-only" in viewer.read_only_reason
        with pytest.raises(WorkshopFileError, match="Save As"):
            viewer.add_note("x")


# -- other windows and recovery -----------------------------------------------------------------------
def test_a_second_window_opens_read_only_and_says_who_has_it(opened):
    with WorkshopFile.open(opened.path) as second:
        assert second.read_only and "open in another Cutline window" in second.read_only_reason
        assert "process" in second.held_by_other()
    assert opened.held_by_other() is None
    opened.close()
    with WorkshopFile.open(opened.path) as third:
        assert not third.read_only


def test_a_stale_lock_from_a_dead_process_is_ignored(tmp_path):
    path = tmp_path / "w.cutline"
    WorkshopFile.create(path, _workshop()).close()
    _set_lock_row(path, DEAD_PID)
    with WorkshopFile.open(path) as file:
        assert not file.read_only and file.held_by_other() is None


def test_a_lock_from_another_computer_is_respected_unless_taken_over(tmp_path):
    path = tmp_path / "w.cutline"
    WorkshopFile.create(path, _workshop()).close()
    _set_lock_row(path, 1234, host="laptop-in-room-4")
    with WorkshopFile.open(path) as file:
        assert file.read_only and "laptop-in-room-4" in file.held_by_other()
    with WorkshopFile.open(path, take_over=True) as file:
        assert not file.read_only
    with pytest.raises(WorkshopFileError, match="cannot be replaced"):
        _set_lock_row(path, 1234, host="laptop-in-room-4")
        WorkshopFile.create(path, _workshop())


def test_recoverable_lists_workshops_left_open_by_a_window_that_is_gone(tmp_path):
    crashed, clean, live = (tmp_path / f"{n}.cutline" for n in ("crashed", "clean", "live"))
    WorkshopFile.create(crashed, _workshop())  # never closed...
    _set_lock_row(crashed, DEAD_PID)  # ...by a process that is gone
    WorkshopFile.create(clean, _workshop()).close()
    window = WorkshopFile.create(live, _workshop())
    (tmp_path / "noise.cutline").write_text("not a workshop")
    (tmp_path / "notes.txt").write_text("ignored")
    try:
        assert WorkshopFile.recoverable(tmp_path) == [crashed]
        with WorkshopFile.open(crashed) as recovered:
            assert recovered.workshop.equals(_workshop())
        assert WorkshopFile.recoverable(tmp_path) == []
    finally:
        window.close()


def _set_lock_row(path: Path, pid: int, host: str | None = None) -> None:
    """Make the file look held by process `pid` (on `host`, or this computer)."""
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT OR REPLACE INTO lock (slot, pid, host, process, opened, token) "
        "VALUES (1, ?, ?, '', '2024-05-02T09:00:00', 'elsewhere')",
        (pid, host or socket.gethostname()),
    )
    conn.execute("""UPDATE meta SET value = 'false' WHERE key = 'clean_close'""")
    refresh_table(conn.cursor(), "meta", "key = 'clean_close'")  # as Cutline would have written it
    conn.commit()
    conn.close()


def test_untitled_names_do_not_clash(tmp_path):
    files = [WorkshopFile.create_untitled(tmp_path, _workshop()) for _ in range(3)]
    assert len({f.path for f in files}) == 3
    assert all(set(f.path.stem) <= set(string.ascii_letters + string.digits + " -") for f in files)
    for f in files:
        f.close()


def test_a_file_dropped_without_closing_counts_as_left_open(tmp_path):
    import gc

    file = WorkshopFile.create(tmp_path / "dropped.cutline", _workshop())
    path = file.path
    assert WorkshopFile.recoverable(tmp_path) == []
    del file
    gc.collect()
    assert WorkshopFile.recoverable(tmp_path) == [path]


def test_a_full_disk_loses_only_the_edit_being_saved(opened):
    before = opened.workshop
    pages = opened._conn.execute("PRAGMA page_count").fetchone()[0]
    opened._conn.execute(f"PRAGMA max_page_count = {pages}")  # as if the disk were full
    with pytest.raises(WorkshopFileError, match="the disk is full"):
        opened.record(before.with_portfolio(_portfolio(2000)), JournalEntry("import", "Imported 2000"))
    assert opened.workshop is before
    opened._conn.execute("PRAGMA max_page_count = 1073741823")
    opened.add_note("still working")
    with WorkshopFile.open(opened.path, read_only=True) as again:
        assert again.workshop.equals(before)
        assert [e.summary for e in again.journal()] == ["still working"]


def test_a_round_in_progress_is_kept_outside_the_workshop_and_survives_reopening(tmp_path):
    path = tmp_path / "w.cutline"
    file = WorkshopFile.create(path, _workshop())
    assert file.round_in_progress() is None
    data = {"id": "r1", "criteria": ["dx"], "initiatives": ["I0"], "participants": ["Ann"],
            "ratings": [["Ann", "I0", "dx", 7.0]], "threshold": 3.0, "revealed": False}
    file.keep_round_in_progress(data)
    journal = file.journal()
    file.close()
    again = WorkshopFile.open(path)
    try:
        assert again.round_in_progress() == data
        assert again.journal() == journal  # not a decision: no journal entry, no undo step
        assert again.workshop.rating_rounds == ()
        again.keep_round_in_progress(None)
        assert again.round_in_progress() is None
    finally:
        again.close()


def test_a_damaged_round_in_progress_is_ignored(opened):
    opened._conn.execute(
        "INSERT OR REPLACE INTO meta (key, value, checksum) VALUES ('round_in_progress', '{not json', 0)"
    )
    opened._conn.commit()
    assert opened.round_in_progress() is None
