"""What a workshop file does with bytes changed outside Cutline, values of the wrong type, ids that
repeat or only look alike, and a full disk: it says so, and never reads something else silently."""

from __future__ import annotations

import errno
import importlib.util
import random
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from cutline.models.errors import CutlineError
from cutline.models.portfolio.portfolio import Portfolio, id_problems, visible_key
from cutline.models.workshop import checksums, lock
from cutline.models.workshop.document import Workshop
from cutline.models.workshop.file import JournalEntry, UnreadableWorkshop, WorkshopFile
from cutline.models.workshop.schema import CHECKED_TABLES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "workshops"
SEED = 20240516
OVERWRITES = 240


def _fixtures_module():
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FIXTURE = _fixtures_module()


def _sql(path: Path, *statements: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(path)
    for s in statements:
        conn.execute(s, params) if "?" in s else conn.execute(s)
    conn.commit()
    conn.close()


def _written(tmp_path: Path) -> Path:
    """A current-schema workshop with odd values of every kind and a journal, closed cleanly."""
    path = tmp_path / "w.cutline"
    FIXTURE.write_fixture(path)
    return path


# -- the checksum itself ---------------------------------------------------------------------------
def test_one_row_and_whole_columns_give_the_same_checksums():
    rows = [
        (0, 2, "I-1", "a\x1fb", "", "c\x1ed", "", 1.5, None, -0.0, float("inf"), 0.0, 1e300, 2.0, 3.0,
         "", "", "", "", "", "[]"),
        (1, 3, "I-2", "Ünïcode ✓", "", "", "", float("nan"), 1.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0,
         "", "", "", "", "", '["x"]'),
    ]
    whole = checksums.checksums("initiatives", list(zip(*rows)), 2).tolist()
    assert whole == [checksums.row_checksum("initiatives", r) for r in rows]
    assert all(0 <= c < 2**32 for c in whole)
    # -0.0 reads back from SQLite as 0.0, NaN as NULL: the checksum does not tell them apart.
    assert checksums.row_checksum("rating_rounds", (0, "x")) != checksums.row_checksum("rating_rounds", (1, "x"))
    same = list(rows[1])
    same[7], same[9] = None, -0.0
    assert checksums.row_checksum("initiatives", tuple(same)) == whole[1]


def test_escaping_keeps_texts_apart():
    def meta(key, value):
        return checksums.row_checksum("meta", (key, value))

    assert meta("a\x1f", "b") != meta("a", "\x1fb")
    assert meta("a\x1e", "\x1fb") != meta("a", "\x1e\x1fb")
    journal = [(1, "t", "k", "", "s", None, "null"), (1, "t", "k", "", "s", "\x1e0", "null")]
    assert checksums.row_checksum("journal", journal[0]) != checksums.row_checksum("journal", journal[1])


# -- bytes changed outside Cutline -------------------------------------------------------------------
def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        byte = data[at + i]
        if i == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    raise AssertionError("unreachable")


def record_spans(path: Path) -> dict[str, list[tuple[int, int]]]:
    """Where each record of each checked table lies in the file: (start, end) byte offsets of its
    cell (payload size, rowid and the record's header and body, the part on its own page)."""
    data = path.read_bytes()
    page_size = int.from_bytes(data[16:18], "big") or 65536
    if page_size == 1:
        page_size = 65536
    usable = page_size - data[20]
    conn = sqlite3.connect(path)
    roots = dict(conn.execute("SELECT name, rootpage FROM sqlite_master WHERE type = 'table'"))
    conn.close()
    spans: dict[str, list[tuple[int, int]]] = {}
    for table in CHECKED_TABLES:
        found: list[tuple[int, int]] = []
        pages = [roots[table]]
        while pages:
            page = pages.pop()
            base = (page - 1) * page_size
            head = base + (100 if page == 1 else 0)
            kind, cells = data[head], int.from_bytes(data[head + 3:head + 5], "big")
            pointers = head + (12 if kind == 0x05 else 8)
            offsets = [base + int.from_bytes(data[pointers + 2 * i:pointers + 2 * i + 2], "big") for i in range(cells)]
            if kind == 0x05:  # interior: children to the left of each cell, and the right-most one
                pages += [int.from_bytes(data[o:o + 4], "big") for o in offsets]
                pages.append(int.from_bytes(data[head + 8:head + 12], "big"))
                continue
            assert kind == 0x0D, f"page {page} of {table} is not a table page"
            for cell in offsets:
                size, at = _varint(data, cell)
                _, at = _varint(data, at)
                most = usable - 35
                if size > most:
                    least = (usable - 12) * 32 // 255 - 23
                    local = least + (size - least) % (usable - 4)
                    size = local if local <= most else least
                found.append((cell, at + size))
        spans[table] = found
    return spans


def _state(file: WorkshopFile) -> tuple:
    meta = {k: v for k, v in file._conn.execute("SELECT key, value FROM meta")}
    return file.workshop, file.journal(), meta


def _same(a: tuple, b: tuple) -> bool:
    return a[0].equals(b[0]) and a[1] == b[1] and a[2] == b[2]


@pytest.mark.slow
def test_random_overwrites_inside_records_are_detected_or_change_nothing(tmp_path):
    clean = _written(tmp_path)
    with WorkshopFile.open(clean, read_only=True) as file:
        expected = _state(file)
    spans = record_spans(clean)
    assert all(spans[t] for t in CHECKED_TABLES), {t: len(s) for t, s in spans.items()}
    original = clean.read_bytes()
    rng = random.Random(SEED)
    outcomes: Counter = Counter()
    target = tmp_path / "changed.cutline"
    for trial in range(OVERWRITES):
        table = rng.choice(sorted(spans))
        start, end = rng.choice(spans[table])
        length = rng.randint(1, min(16, end - start))
        at = rng.randint(start, end - length)
        # Half the time printable ASCII, which keeps text valid UTF-8 and often JSON still JSON:
        # the changes only a checksum can see.
        low = 32 if trial % 2 else 0
        new = bytes(rng.randrange(low, 127 if low else 256) for _ in range(length))
        data = bytearray(original)
        data[at:at + length] = new
        target.write_bytes(bytes(data))
        where = f"trial {trial}: {length} bytes at {at} in a {table} record"
        try:
            with WorkshopFile.open(target) as file:
                assert _same(_state(file), expected), f"{where} changed the workshop silently"
                outcomes["unchanged", table] += 1
        except UnreadableWorkshop as exc:
            assert exc.reason in ("changed", "damaged"), where
            outcomes[exc.reason, table] += 1
            if exc.reason == "changed":
                assert "changed outside Cutline (table " in exc.message, where
                target.write_bytes(bytes(data))
                try:  # the user may still look at it, read-only
                    with WorkshopFile.open(target, read_only=True, accept_changes=True) as file:
                        assert file.read_only and "changed outside Cutline" in file.read_only_reason
                except UnreadableWorkshop as again:
                    assert again.reason == "damaged", where
    detected = sum(v for (kind, _), v in outcomes.items() if kind != "unchanged")
    unchanged = sum(v for (kind, _), v in outcomes.items() if kind == "unchanged")
    print(f"\n{OVERWRITES} overwrites: {detected} detected, {unchanged} read unchanged, 0 silent; "
          + ", ".join(f"{k[0]} in {k[1]}: {v}" for k, v in sorted(outcomes.items())))
    assert detected + unchanged == OVERWRITES
    assert detected >= OVERWRITES * 0.9  # nearly every overwrite changes a byte that matters


@pytest.mark.slow
def test_a_record_changed_by_another_program_is_named_and_can_be_opened_read_only(tmp_path):
    path = _written(tmp_path)
    _sql(path, "UPDATE initiatives SET title = 'SSO rewrite\x01' WHERE position = 0")
    before = path.read_bytes()
    for read_only in (False, True):
        with pytest.raises(UnreadableWorkshop) as err:
            WorkshopFile.open(path, read_only=read_only)
        assert err.value.reason == "changed"
        assert "was changed outside Cutline (table initiatives, record 0)" in err.value.message
        assert "read-only" in err.value.hint
    assert path.read_bytes() == before
    with WorkshopFile.open(path, accept_changes=True) as file:
        assert file.read_only and "changed outside Cutline (table initiatives, record 0)" in file.read_only_reason
        assert file.workshop.portfolio.value(0, "title") == "SSO rewrite\x01"
        assert [(m.table, m.record) for m in file.changed] == [("initiatives", 0)]
        kept = file.save_as(tmp_path / "kept.cutline")
    try:  # Save As keeps what it holds, with checksums of its own: an editable workshop
        assert not kept.read_only and kept.workshop.portfolio.value(0, "title") == "SSO rewrite\x01"
        kept.add_note("looked at it")
    finally:
        kept.close()
    with WorkshopFile.open(tmp_path / "kept.cutline") as again:
        assert not again.read_only
    assert path.read_bytes() == before


def test_changes_in_several_tables_are_counted(tmp_path):
    path = _written(tmp_path)
    _sql(path, "UPDATE journal SET summary = 'edited' WHERE id = 2",
         "UPDATE scenarios SET name = 'Renamed' WHERE position = 1",
         "UPDATE meta SET value = '\"elsewhere.xlsx\"' WHERE key = 'source'")
    with pytest.raises(UnreadableWorkshop, match=r"changed outside Cutline \(table meta, record source; "
                                                 r"3 records in all, in journal, meta, scenarios\)"):
        WorkshopFile.open(path)


# -- values of the wrong type ------------------------------------------------------------------------
#: Values no Cutline writes: in a TEXT column only a BLOB stays what it is (SQLite turns a number into
#: text there); in a REAL column, text that is not a number and a BLOB.
WRONG = [
    ("initiatives", "title", b"\x00\x01binary", "position = 1", "binary data (a BLOB) where text belongs"),
    ("initiatives", "reach", "lots", "position = 2", "text where a number belongs"),
    ("initiatives", "extra", b"[1]", "position = 0", "binary data (a BLOB) where text belongs"),
    ("initiatives", "effort", b"\xff\xfe", "position = 0", "binary data (a BLOB) where a number belongs"),
    ("meta", "value", b'"Roadmap"', "key = 'sheet'", "binary data (a BLOB) where text belongs"),
    ("scenarios", "data", b"{}", "position = 0", "binary data (a BLOB) where text belongs"),
    ("rating_rounds", "data", b"{}", "position = 0", "binary data (a BLOB) where text belongs"),
    ("journal", "summary", b"x", "id = 3", "binary data (a BLOB) where text belongs"),
    ("journal", "old", b"1", "id = 2", "binary data (a BLOB) where text belongs"),
]


@pytest.mark.slow
@pytest.mark.parametrize("read_only", [False, True], ids=["open", "read-only-as-it-is"])
@pytest.mark.parametrize(("table", "column", "value", "where", "words"), WRONG,
                         ids=[f"{t}.{c}-{type(v).__name__}" for t, c, v, _, _ in WRONG])
def test_a_value_of_the_wrong_type_is_named_never_a_traceback(tmp_path, table, column, value, where, words,
                                                               read_only):
    path = _written(tmp_path)
    _sql(path, f'UPDATE {table} SET "{column}" = ? WHERE {where}', params=(value,))
    before = path.read_bytes()
    with pytest.raises(UnreadableWorkshop) as err:  # the type is named before any checksum
        WorkshopFile.open(path, read_only=read_only, accept_changes=read_only)
    assert isinstance(err.value, CutlineError) and err.value.reason == "damaged"
    assert f"table {table}, column {column}, record " in err.value.message
    assert words in err.value.message
    assert path.read_bytes() == before


def test_a_number_stored_in_a_text_column_reads_as_its_text():
    """SQLite keeps a TEXT column's numbers as text: nothing of the wrong type reaches Cutline."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.execute("INSERT INTO t VALUES (42), (7.5)")
    assert [type(v) for (v,) in conn.execute("SELECT x FROM t")] == [str, str]


def test_a_blob_in_a_version_1_file_is_named(tmp_path):
    path = tmp_path / "v1.cutline"
    shutil.copyfile(FIXTURES / "v1.cutline", path)
    _sql(path, "UPDATE initiatives SET title = ? WHERE position = 2", params=(b"\x89PNG",))
    before = path.read_bytes()
    with pytest.raises(UnreadableWorkshop, match="table initiatives, column title, record 2 holds binary data"):
        WorkshopFile.open(path)
    assert path.read_bytes() == before


def test_the_cli_path_reports_a_blob_as_a_message(tmp_path):
    from cutline.app.lifecycle.loading import load_path

    path = _written(tmp_path)
    _sql(path, "UPDATE initiatives SET title = ? WHERE position = 1", params=(b"\x00",))
    with pytest.raises(CutlineError, match="column title"):
        load_path(path, read_only=True)


# -- ids ---------------------------------------------------------------------------------------------
def test_id_problems_name_repeats_and_lookalikes():
    assert id_problems(["I-1", "I-2", "I-3"]) == []
    assert id_problems([]) == []
    assert id_problems(["", "", "x"]) == []  # blank ids are the importer's to name
    assert id_problems(["A"] * 5) == ["Id 'A' is used by 5 initiatives."]
    (zw,) = id_problems(["PLT-1", "PLT-1\u200b"])
    assert "'PLT-1' and 'PLT-1<U+200B ZERO WIDTH SPACE>' look the same" in zw
    for lookalike in ("\ufeffPLT-1", "PLT-1\u2060", "PLT\u00ad-1", "PLT-1\u00a0", "P\u200cLT-1", "PLT-1\ufe0f"):
        assert id_problems(["PLT-1", lookalike]), repr(lookalike)
    assert id_problems(["a\u00a0b", "a b"]) and id_problems(["a\u2003b", "a b"])  # Zs spaces read as one
    assert id_problems(["e\u0301", "\u00e9"])  # an accent composed or not
    assert id_problems(["PLT-1", "PLT-2", "PLT 1"]) == []  # these look different
    assert visible_key("PLT-1\u200b") == visible_key("\ufeffPLT-1") == "PLT-1"
    many = id_problems([f"I-{i % 3}" for i in range(30)])
    assert len(many) == 3 and all("used by 10 initiatives" in p for p in many)


def _workshop_with_ids(ids: list[str]) -> Workshop:
    return Workshop.new(Portfolio.from_records([{"id": i, "title": f"T{n}", "reach": n} for n, i in enumerate(ids)]))


@pytest.mark.parametrize("ids", [["PLT-1"] * 4, ["PLT-1", "PLT-1\u200b", "PLT-2"]], ids=["all-same", "zero-width"])
def test_a_workshop_with_ids_that_repeat_or_look_alike_warns_when_opened(tmp_path, ids):
    from cutline.app.lifecycle.loading import load_path

    path = tmp_path / "ids.cutline"
    WorkshopFile.create(path, _workshop_with_ids(ids)).close()
    with WorkshopFile.open(path) as file:
        assert not file.read_only  # editable, so the ids can be fixed
        (warning,) = file.warnings
        assert "PLT-1" in warning and "Give each initiative its own id" in warning
    loaded = load_path(path, read_only=True)
    try:
        assert any("PLT-1" in w for w in loaded.warnings)  # the CLI prints these before ranking
    finally:
        loaded.file.close()
    WorkshopFile.create(path, _workshop_with_ids(["A", "B"])).close()
    with WorkshopFile.open(path) as file:
        assert file.warnings == []


# -- a full disk -------------------------------------------------------------------------------------
def _fail_on(monkeypatch, exc: BaseException) -> None:
    def full(*args, **kwargs):
        raise exc

    monkeypatch.setattr(lock, "write_holder", full)


@pytest.mark.slow
@pytest.mark.parametrize(
    "exc",
    [sqlite3.OperationalError("database or disk is full"), OSError(errno.ENOSPC, "No space left on device")],
    ids=["sqlite-full", "enospc"],
)
def test_a_workshop_on_a_full_disk_opens_read_only_and_says_why(tmp_path, monkeypatch, exc):
    path = _written(tmp_path)
    before = path.read_bytes()
    _fail_on(monkeypatch, exc)
    with WorkshopFile.open(path) as file:
        assert file.read_only and "the disk is full" in file.read_only_reason
        assert file.workshop.equals(FIXTURE.expected_workshop())
        assert len(file.journal()) == len(FIXTURE.EXPECTED_JOURNAL)
    assert path.read_bytes() == before
    assert not path.with_name(path.name + "-journal").exists()


def test_an_older_workshop_on_a_full_disk_opens_read_only_from_its_upgrade_in_memory(tmp_path, monkeypatch):
    path = tmp_path / "v1.cutline"
    shutil.copyfile(FIXTURES / "v1.cutline", path)
    before = path.read_bytes()
    import cutline.models.workshop.file as workshop_file

    migrate = workshop_file._migrate_with

    def full_disk(cur, conn, version):  # the upgrade in the file itself finds the disk full
        if conn.execute("PRAGMA database_list").fetchone()[2]:  # a file, not the copy in memory
            raise sqlite3.OperationalError("database or disk is full")
        return migrate(cur, conn, version)

    monkeypatch.setattr(workshop_file, "_migrate_with", full_disk)
    with WorkshopFile.open(path) as file:
        assert file.read_only and "the disk is full" in file.read_only_reason
        assert file.workshop.equals(FIXTURE.expected_workshop(1))
    assert path.read_bytes() == before


def test_a_busy_or_read_only_file_system_opens_read_only_too(tmp_path, monkeypatch):
    path = _written(tmp_path)
    _fail_on(monkeypatch, sqlite3.OperationalError("attempt to write a readonly database"))
    with WorkshopFile.open(path) as file:
        assert file.read_only and "cannot be written to" in file.read_only_reason
    _fail_on(monkeypatch, sqlite3.OperationalError("disk I/O error"))
    with WorkshopFile.open(path) as file:
        assert file.read_only and "disk I/O error" in file.read_only_reason


def test_an_edit_on_a_full_disk_still_says_so(tmp_path):
    path = _written(tmp_path)
    with WorkshopFile.open(path) as file:
        pages = file._conn.execute("PRAGMA page_count").fetchone()[0]
        file._conn.execute(f"PRAGMA max_page_count = {pages}")
        big = Portfolio.from_records([{"id": f"N-{i}", "title": "x" * 200} for i in range(500)])
        with pytest.raises(CutlineError, match="the disk is full"):
            file.record(file.workshop.with_portfolio(big), JournalEntry("import", "Imported 500"))


# -- the lock ----------------------------------------------------------------------------------------
def test_a_window_that_wrote_between_the_read_and_the_lock_is_read_again(tmp_path, monkeypatch):
    """Another window's last edit lands after this one read the file and before it took the lock."""
    import cutline.models.workshop.file as workshop_file

    path = tmp_path / "w.cutline"
    WorkshopFile.create(path, _workshop_with_ids(["A", "B"])).close()
    take_lock, calls = workshop_file._take_lock, []

    def edit_then_take(conn, *args):
        if not calls:  # the first time: another process commits an edit in between
            other = sqlite3.connect(path, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE initiatives SET reach = 99 WHERE position = 1")
            checksums.refresh_table(other.cursor(), "initiatives", "position = 1")
            other.execute("COMMIT")
            other.close()
        calls.append(1)
        return take_lock(conn, *args)

    monkeypatch.setattr(workshop_file, "_take_lock", edit_then_take)
    with WorkshopFile.open(path) as file:
        assert not file.read_only and len(calls) == 2
        assert file.workshop.portfolio.numeric("reach")[1] == 99  # not the stale read


def test_the_cli_opens_a_changed_workshop_read_only_with_a_warning(tmp_path):
    from cutline.app.lifecycle.loading import load_path

    path = _written(tmp_path)
    _sql(path, "UPDATE initiatives SET effort = 99 WHERE position = 1")
    before = path.read_bytes()
    loaded = load_path(path, read_only=True)
    try:
        assert loaded.file.read_only
        assert any("changed outside Cutline (table initiatives, record 1)" in w for w in loaded.warnings)
        assert loaded.workshop.portfolio.numeric("effort")[1] == 99
    finally:
        loaded.file.close()
    assert path.read_bytes() == before
