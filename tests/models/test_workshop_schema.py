"""Schema versions: fixtures of every version open, migrations chain, newer files open read-only,
and anything that is not a sound workshop is refused with a clear sentence and left untouched."""

import importlib.util
import os
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest
from cutline.models.workshop import schema
from cutline.models.workshop.file import UnreadableWorkshop, WorkshopFile
from cutline.models.workshop.schema import SCHEMA_VERSION, Snapshot, Table, migrate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "workshops"


def _fixtures_module():
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FIXTURE = _fixtures_module()


def _copy(version: int, tmp_path: Path) -> Path:
    target = tmp_path / f"v{version}.cutline"
    shutil.copyfile(FIXTURES / f"v{version}.cutline", target)
    return target


def _sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for s in statements:
        conn.execute(s)
    conn.commit()
    conn.close()


def _user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


# -- fixtures of every version ------------------------------------------------------------------
def test_there_is_a_fixture_for_every_schema_version():
    assert sorted(p.name for p in FIXTURES.glob("v*.cutline")) == [
        f"v{v}.cutline" for v in range(1, SCHEMA_VERSION + 1)
    ]


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_every_fixture_opens_as_the_expected_workshop(tmp_path, version):
    before = (FIXTURES / f"v{version}.cutline").read_bytes()
    path = _copy(version, tmp_path)
    with WorkshopFile.open(path) as file:
        assert not file.read_only
        assert file.workshop.equals(FIXTURE.expected_workshop(version))
        assert file.workshop.portfolio.sheet == "Roadmap"
        journal = [(e.kind, e.scenario, e.summary, e.old, e.new, e.time) for e in file.journal()]
        assert journal == list(FIXTURE.EXPECTED_JOURNAL)
    assert _user_version(path) == SCHEMA_VERSION
    assert (FIXTURES / f"v{version}.cutline").read_bytes() == before


# -- the migration chain ---------------------------------------------------------------------------
def _add_meta(snapshot: Snapshot) -> Snapshot:
    meta = snapshot.tables["meta"]
    rows = meta.rows + (("migrated_from", str(snapshot.version)),)
    return replace(snapshot, tables={**snapshot.tables, "meta": Table(meta.columns, rows)})


def _rename_table(snapshot: Snapshot) -> Snapshot:
    tables = dict(snapshot.tables)
    tables["decisions"] = tables.pop("journal")
    return replace(snapshot, tables=tables)


def _snapshot() -> Snapshot:
    tables = {"meta": Table(("key", "value"), (("source", '"a.xlsx"'),)), "journal": Table(("id",), ((1,),))}
    return Snapshot(1, MappingProxyType(tables))


def test_the_chain_applies_each_step_in_order_and_leaves_its_input_alone():
    start = _snapshot()
    end = migrate(start, target=3, steps={1: _add_meta, 2: _rename_table})
    assert end.version == 3
    assert end.tables["meta"].rows == (("source", '"a.xlsx"'), ("migrated_from", "1"))
    assert set(end.tables) == {"meta", "decisions"}
    assert start.tables["meta"].rows == (("source", '"a.xlsx"'),) and "journal" in start.tables


def test_the_chain_refuses_a_gap_and_going_back():
    with pytest.raises(Exception, match="can no longer be opened"):
        migrate(_snapshot(), target=3, steps={1: _add_meta})
    with pytest.raises(Exception, match="cannot be migrated back"):
        migrate(replace(_snapshot(), version=4), target=3, steps={})


def test_the_released_chain_reaches_the_current_version():
    assert set(schema.MIGRATIONS) == set(range(1, SCHEMA_VERSION))
    assert migrate(replace(_snapshot(), version=SCHEMA_VERSION)).version == SCHEMA_VERSION


@pytest.fixture
def version_next(monkeypatch):
    """A test-only next schema: the current one plus a meta row, reached by one more pure step."""
    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(schema, "MIGRATIONS", MappingProxyType({**schema.MIGRATIONS, SCHEMA_VERSION: _add_meta}))


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_an_older_file_is_migrated_in_place_in_one_go(tmp_path, version_next, version):
    path = _copy(version, tmp_path)
    with WorkshopFile.open(path) as file:
        assert not file.read_only and file.workshop.equals(FIXTURE.expected_workshop(version))
        assert len(file.journal()) == len(FIXTURE.EXPECTED_JOURNAL)
        file.add_note("after the upgrade")
    assert _user_version(path) == SCHEMA_VERSION + 1
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'migrated_from'").fetchone() == (str(SCHEMA_VERSION),)
    conn.close()
    with WorkshopFile.open(path) as again:  # every record of the upgraded file checks out
        assert again.workshop.equals(FIXTURE.expected_workshop(version)) and not again.read_only


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_an_older_file_opened_read_only_is_migrated_in_memory_only(tmp_path, version_next, version):
    path = _copy(version, tmp_path)
    before = path.read_bytes()
    with WorkshopFile.open(path, read_only=True) as file:
        assert file.workshop.equals(FIXTURE.expected_workshop(version))
    assert path.read_bytes() == before and _user_version(path) == version


def test_a_version_1_file_gets_a_checksum_on_every_record_when_it_is_upgraded(tmp_path):
    from cutline.models.workshop.checksums import check_table
    from cutline.models.workshop.schema import CHECKED_TABLES

    path = _copy(1, tmp_path)
    with WorkshopFile.open(path) as file:
        assert not file.read_only
    conn = sqlite3.connect(path)
    try:
        for table in CHECKED_TABLES:
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
            assert check_table(conn, table) == [], table
        columns = {row[1] for row in conn.execute("PRAGMA table_info(initiatives)")}
        assert "checksum" in columns
    finally:
        conn.close()
    _sql(path, "UPDATE initiatives SET title = 'Changed' WHERE position = 1")
    with pytest.raises(UnreadableWorkshop, match=r"changed outside Cutline \(table initiatives, record 1\)"):
        WorkshopFile.open(path)


def test_the_checked_columns_are_the_tables_columns(tmp_path):
    from cutline.models.workshop.schema import CHECKED_TABLES, TABLES

    conn = sqlite3.connect(":memory:")
    schema.create_tables(conn.cursor())
    for table in TABLES:
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        if table in CHECKED_TABLES:
            assert columns == [name for name, _ in CHECKED_TABLES[table]] + ["checksum"], table
        else:
            assert table == "lock" and "checksum" not in columns


# -- newer files ---------------------------------------------------------------------------------------
def test_a_file_from_a_newer_cutline_opens_read_only_and_says_so(tmp_path):
    path = _copy(1, tmp_path)
    newer = SCHEMA_VERSION + 1
    _sql(path, f"PRAGMA user_version = {newer}", "CREATE TABLE future (x)")
    before = path.read_bytes()
    with WorkshopFile.open(path) as file:
        assert file.read_only
        assert "newer Cutline" in file.read_only_reason and "read-only" in file.read_only_reason
        assert file.workshop.equals(FIXTURE.expected_workshop(1))
        with pytest.raises(Exception, match="Save As"):
            file.add_note("no")
    assert path.read_bytes() == before


def test_a_newer_file_this_cutline_cannot_read_is_refused(tmp_path):
    path = _copy(1, tmp_path)
    _sql(
        path, f"PRAGMA user_version = {SCHEMA_VERSION + 1}",
        f"UPDATE meta SET value = '{SCHEMA_VERSION + 1}' WHERE key = 'min_reader_version'",
    )
    with pytest.raises(UnreadableWorkshop, match="newer Cutline") as err:
        WorkshopFile.open(path)
    assert err.value.reason == "newer"


# -- files that are not sound workshops ------------------------------------------------------------------
def _other_database(path: Path) -> None:
    _sql(path, "CREATE TABLE invoices (id INTEGER, total REAL)", "INSERT INTO invoices VALUES (1, 9.5)")


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _scribble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[8192:8192 + 600] = bytes(range(256)) * 2 + bytes(88)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("make", "reason", "words"),
    [
        (lambda p: p.write_bytes(os.urandom(3000)), "not_a_workshop", "not a database file"),
        (lambda p: p.write_text("id,title\nI-1,SSO\n"), "not_a_workshop", "not a database file"),
        (lambda p: p.write_bytes(b""), "not_a_workshop", "the file is empty"),
        (_other_database, "not_a_workshop", "a database of another program"),
        (lambda p: p.mkdir(), "not_a_workshop", "a folder"),
        (lambda p: None, "missing", "There is no workshop file"),
    ],
    ids=["random-bytes", "text", "empty", "other-sqlite", "folder", "missing"],
)
def test_a_file_that_is_not_a_workshop_is_refused_clearly(tmp_path, make, reason, words):
    path = tmp_path / "odd.cutline"
    make(path)
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(UnreadableWorkshop, match=words) as err:
        WorkshopFile.open(path)
    assert err.value.reason == reason
    assert (path.read_bytes() if path.is_file() else None) == before


@pytest.mark.parametrize(
    "damage",
    [
        _truncate,
        lambda p: p.write_bytes(p.read_bytes()[:100]),
        _scribble,
        lambda p: _sql(p, "DELETE FROM meta WHERE key = 'columns'"),
        lambda p: _sql(p, "DELETE FROM initiatives WHERE position = 1"),
        lambda p: _sql(p, "UPDATE scenarios SET data = '{not json' WHERE position = 0"),
        lambda p: _sql(p, "UPDATE initiatives SET extra = '[1]' WHERE position = 0"),
        lambda p: _sql(p, "UPDATE meta SET value = '\"Nope\"' WHERE key = 'current_scenario'"),
        lambda p: _sql(p, "DROP TABLE scenarios"),
        lambda p: _sql(p, "PRAGMA user_version = 0"),
    ],
    ids=[
        "truncated", "header-only", "scribbled-page", "meta-missing", "row-missing", "bad-json",
        "short-extra", "unknown-current", "table-missing", "no-version",
    ],
)
def test_a_damaged_workshop_is_refused_clearly_and_left_as_it_was(tmp_path, damage):
    path = _copy(1, tmp_path)
    damage(path)
    before = path.read_bytes()
    with pytest.raises(UnreadableWorkshop, match="is damaged and cannot be opened") as err:
        WorkshopFile.open(path)
    assert err.value.reason == "damaged" and "Nothing was changed" in str(err.value)
    assert path.read_bytes() == before
