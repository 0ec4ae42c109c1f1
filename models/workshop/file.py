"""The workshop file: a Workshop kept in an SQLite database, every edit committed as it is made.

See docs/workshop-file.md for the schema, the journaling choice and the compatibility promise.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import uuid
import weakref
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path

from cutline.models.errors import WorkshopFileError
from cutline.models.portfolio.portfolio import id_problems
from cutline.models.workshop import checksums, disk, lock, schema, store, values
from cutline.models.workshop import journal as journal_rows
from cutline.models.workshop.disk import UnreadableWorkshop
from cutline.models.workshop.document import Workshop
from cutline.models.workshop.journal import JournalEntry

#: The `meta` key of a rating round in progress (docs/workshop-file.md).
ROUND_IN_PROGRESS = "round_in_progress"
#: The `meta` key of a budget vote in progress.
BUDGET_VOTE_IN_PROGRESS = "budget_vote_in_progress"

__all__ = ["JournalEntry", "UnreadableWorkshop", "WorkshopFile", "WorkshopFileError"]

SUFFIX = ".cutline"
#: Reads of a file that another window kept writing to between the read and the lock.
_LOCK_ATTEMPTS = 4
#: Id problems named in a warning, before "and N more".
_NAMED_ID_PROBLEMS = 5


class WorkshopFile:
    """An open workshop file. Use `create` or `open`; `record` saves each edit as it is made."""

    def __init__(
        self, path: Path, conn: sqlite3.Connection, workshop: Workshop,
        holder: lock.Holder, read_only_reason: str = "",
    ):
        self.path = path
        self.read_only_reason = read_only_reason
        self._conn = conn
        self._workshop = workshop
        self._holder = holder
        self._last: JournalEntry | None = None  # the entry a merging edit may fold into
        self._closed = False
        #: Records that did not match their checksums, when opened with `accept_changes`.
        self.changed: list[checksums.Mismatch] = []
        #: What the user should be told about the workshop it holds (ids that repeat, ...).
        self.warnings: list[str] = []
        if not read_only_reason:
            lock.opened_here(holder.token)
            # A window dropped without close() no longer counts as open in this process.
            weakref.finalize(self, lock.closed_here, holder.token)

    # -- making and opening -------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | os.PathLike, workshop: Workshop) -> WorkshopFile:
        """Write `workshop` as a new file at `path` (replacing one there) and keep it open."""
        path = Path(path)
        _refuse_if_held(path)
        holder = lock.new_holder()
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            _build(tmp, workshop, holder)
            disk.put_in_place(tmp, path)
            conn = disk.connect(path, writable=True)
        except (sqlite3.Error, OSError) as exc:
            raise disk.could_not_write(path, exc) from exc
        finally:
            tmp.unlink(missing_ok=True)
        return cls(path, conn, workshop, holder)

    @classmethod
    def create_untitled(cls, folder: str | os.PathLike, workshop: Workshop) -> WorkshopFile:
        """A new untitled workshop in the app's data folder, where recovery looks after a crash."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        stem = "Untitled " + dt.datetime.now().strftime("%Y-%m-%d %H%M%S")
        path, n = folder / f"{stem}{SUFFIX}", 1
        while path.exists():
            n += 1
            path = folder / f"{stem} {n}{SUFFIX}"
        return cls.create(path, workshop)

    @classmethod
    def open(
        cls, path: str | os.PathLike, *, read_only: bool = False, take_over: bool = False,
        accept_changes: bool = False,
    ) -> WorkshopFile:
        """Open a workshop file, migrating an older schema; read-only when newer or held elsewhere.

        `take_over` opens it for writing even when another window's lock is on it (after the
        user confirmed that window is gone, e.g. on a computer that crashed).

        A file whose records do not match their checksums raises UnreadableWorkshop with
        reason "changed" (it was changed outside Cutline); `accept_changes` opens it anyway,
        read-only, saying so in `read_only_reason`. A file that can be read but not written
        (a full disk, a read-only folder, another program writing) opens read-only with the
        reason. `warnings` lists what the user should know about what it holds (ids that
        repeat or differ only by invisible characters).
        """
        path = Path(path)
        disk.check_header(path)
        writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
        reason = "" if writable else f"“{path.name}” or its folder is read-only, so edits cannot be saved to it."
        if writable and read_only:
            reason = f"“{path.name}” was opened read-only."
        try:
            conn = disk.connect(path, writable=writable)
        except sqlite3.Error as exc:
            if not writable:
                raise disk.damaged(path, exc) from exc
            try:  # it may still be read (a full disk, a journal that cannot be written)
                conn = disk.connect(path, writable=False)
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.Error:
                raise disk.damaged(path, exc) from exc
            reason = reason or disk.opens_read_only_because(path, exc)
        holder = lock.new_holder()
        state = None
        try:
            for _ in range(_LOCK_ATTEMPTS):
                state = _load(conn, path, accept_changes=accept_changes)
                if reason or state.reason:
                    reason = state.reason or reason  # a newer schema, changed records: the more telling
                    break
                taken = _take_lock(conn, path, holder, take_over, state)
                if taken is not _STALE:
                    reason = taken
                    break
                state.close_copy()  # another window wrote in between: read it again
            else:
                reason = (f"“{path.name}” kept being changed by another program while it was opened, "
                          "so it opens read-only here.")
        except BaseException:
            if state is not None:
                state.close_copy()
            conn.close()
            raise
        if state.copy is not None:
            if reason:  # an older file opened read-only: read from its migrated copy in memory
                conn.close()
                conn = state.copy
            else:
                state.close_copy()  # it was migrated in the file, in the lock's transaction
        file = cls(path, conn, state.workshop, holder, reason)
        file.changed = state.changed
        file.warnings = _warnings(path, state)
        return file

    # -- state ------------------------------------------------------------------------------------
    @property
    def workshop(self) -> Workshop:
        """The workshop as the file holds it now."""
        return self._workshop

    @property
    def read_only(self) -> bool:
        """True when edits cannot be saved; `read_only_reason` says why."""
        return bool(self.read_only_reason)

    # -- saving edits --------------------------------------------------------------------------
    def record(self, workshop: Workshop, entry: JournalEntry, *, merge: bool = False,
               summary_for=None) -> JournalEntry:
        """Save `workshop` (only what changed) and its journal entry as one committed transaction.

        With `merge`, an entry of the same kind and scenario as the last one this file
        recorded replaces it (a slider still moving) and keeps its old value; `summary_for(old,
        new)`, when given, words the folded entry from that old value ("Weight of dx 3 → 5").
        """
        self._check_writable()
        last = self._last
        foldable = merge and last is not None and (last.kind, last.scenario) == (entry.kind, entry.scenario)
        if foldable and summary_for is not None:
            entry = replace(entry, summary=summary_for(last.old, entry.new))
        with disk.transaction(self._conn, self.path) as cur:
            store.write_changes(cur, self._workshop, workshop)
            stored = journal_rows.merge(cur, last, entry) if foldable else journal_rows.append(cur, entry)
        self._workshop = workshop
        self._last = stored
        return stored

    def add_note(self, text: str) -> JournalEntry:
        """Add a PM's note ("agreed: defer the SSO rewrite to Q3") to the decision log."""
        text = str(text).strip()
        if not text:
            raise WorkshopFileError("A note needs some text.", hint="Type what was agreed.")
        return self.record(self._workshop, JournalEntry("note", text, self._workshop.current))

    # -- a rating round in progress ---------------------------------------------------------------
    def keep_round_in_progress(self, data: dict | None, *, keep_additions: bool = False) -> None:
        """Keep the rating round being run (`RatingRound.to_dict()`), or forget it (None).

        Stored as the `meta` key `round_in_progress`, outside the workshop and its undo history,
        so that ratings typed in a room survive a crash before they are applied. The ratings a
        room sends are kept beside it (`keep_round_additions`); a whole round replaces them,
        unless `keep_additions` (the room rewrites the round when someone joins).
        """
        self._check_writable()
        with disk.transaction(self._conn, self.path) as cur:
            if not keep_additions:
                cur.execute("DELETE FROM meta WHERE key LIKE ?", (ROUND_IN_PROGRESS + ":%",))
            if data is None:
                cur.execute("DELETE FROM meta WHERE key = ?", (ROUND_IN_PROGRESS,))
            else:
                store.set_meta(cur, ROUND_IN_PROGRESS, data)

    def keep_round_additions(self, round_id: str, number: int, ratings: list) -> None:
        """Keep ratings `[[participant, id, criterion, rating or None], ...]` of the round in
        progress in one durable commit, without rewriting the round: the `meta` key
        `round_in_progress:<round id>:<number>`, read back in number order."""
        self._check_writable()
        with disk.transaction(self._conn, self.path) as cur:
            store.set_meta(cur, f"{ROUND_IN_PROGRESS}:{round_id}:{int(number):09d}", ratings)

    def round_in_progress(self) -> dict | None:
        """The rating round kept by `keep_round_in_progress`, with its additions, or None."""
        self._check_open()
        try:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (ROUND_IN_PROGRESS,)).fetchone()
            data = None if row is None else values.loads(row[0])
            if isinstance(data, dict) and "id" in data:
                data = _with_additions(data, self._conn.execute(
                    "SELECT value FROM meta WHERE key LIKE ? ORDER BY key",
                    (f"{ROUND_IN_PROGRESS}:{data['id']}:%",)))
        except (sqlite3.Error, WorkshopFileError, ValueError, TypeError):
            return None  # a damaged round is set aside; the workshop itself is unharmed
        return data if isinstance(data, dict) else None

    def keep_budget_vote_in_progress(self, data: dict | None) -> None:
        """Keep the budget vote being run (`BudgetVote.to_dict()`) as the `meta` key
        `budget_vote_in_progress`, or forget it (None)."""
        self._check_writable()
        with disk.transaction(self._conn, self.path) as cur:
            if data is None:
                cur.execute("DELETE FROM meta WHERE key = ?", (BUDGET_VOTE_IN_PROGRESS,))
            else:
                store.set_meta(cur, BUDGET_VOTE_IN_PROGRESS, data)

    def budget_vote_in_progress(self) -> dict | None:
        self._check_open()
        try:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (BUDGET_VOTE_IN_PROGRESS,)).fetchone()
            data = None if row is None else values.loads(row[0])
        except (sqlite3.Error, WorkshopFileError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def journal(self) -> list[JournalEntry]:
        """Every journal entry, oldest first: the workshop's decision log."""
        self._check_open()
        try:
            return journal_rows.read_all(self._conn)
        except sqlite3.Error as exc:
            raise disk.damaged(self.path, exc) from exc

    def save_as(self, path: str | os.PathLike, *, remove_old: bool = False) -> WorkshopFile:
        """Copy the file to `path` (SQLite's backup API) and continue there; this one is closed.

        `remove_old` deletes this file afterwards (an untitled workshop that now has a name).
        """
        self._check_open()
        target = Path(path)
        if target.resolve() == self.path.resolve():
            return self
        _refuse_if_held(target)
        holder = lock.new_holder()
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            _copy(self._conn, tmp, holder, refresh=bool(self.changed))
            disk.put_in_place(tmp, target)
            if self.read_only:  # keep whatever made this one read-only (a newer schema, say)
                new = WorkshopFile.open(target)
            else:
                new = WorkshopFile(target, disk.connect(target, writable=True), self._workshop, holder)
        except (sqlite3.Error, OSError) as exc:
            raise disk.could_not_write(target, exc) from exc
        finally:
            tmp.unlink(missing_ok=True)
        self.close(discard=remove_old)
        return new

    def close(self, *, discard: bool = False) -> None:
        """Close the file, marking a clean close; `discard` also deletes it (an unkept untitled one)."""
        if self._closed:
            return
        self._closed = True
        try:
            if not self.read_only:
                with disk.transaction(self._conn, self.path) as cur:
                    lock.release(cur, self._holder.token)
                    store.set_meta(cur, "clean_close", True)
        finally:
            lock.closed_here(self._holder.token)
            self._conn.close()
            if discard:
                disk.remove(self.path)

    def held_by_other(self) -> str | None:
        """A sentence naming the other live window that has this file open, or None."""
        self._check_open()
        try:
            other = lock.other_live_holder(self._conn, self._holder.token)
        except sqlite3.Error:
            return None
        return other.describe() if other else None

    @staticmethod
    def recoverable(folder: str | os.PathLike) -> list[Path]:
        """Workshops in `folder` that were not closed cleanly and no live window has open, newest first."""
        found = [p for p in Path(folder).glob(f"*{SUFFIX}") if p.is_file() and _needs_recovery(p)]
        return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)

    def __enter__(self) -> WorkshopFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else ("read-only" if self.read_only else "open")
        return f"<WorkshopFile {str(self.path)!r} {state}>"

    def _check_open(self) -> None:
        if self._closed:
            raise WorkshopFileError(f"“{self.path.name}” is closed.", hint="Open it again.")

    def _check_writable(self) -> None:
        self._check_open()
        if self.read_only:
            raise WorkshopFileError(
                f"Cannot save to “{self.path.name}”: {self.read_only_reason}",
                hint="Use Save As to keep your changes in a new file.",
            )


# -- helpers ---------------------------------------------------------------------------------------
def _app_version() -> str:
    try:
        return "Cutline " + metadata.version("cutline")
    except metadata.PackageNotFoundError:
        return "Cutline"


def _build(tmp: Path, workshop: Workshop, holder: lock.Holder) -> None:
    """Write a complete new workshop file at `tmp`, fast (no journal: it is not in place yet)."""
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        cur = conn.cursor()
        schema.create_tables(cur)
        for key, value in (
            ("schema_version", schema.SCHEMA_VERSION),
            ("min_reader_version", schema.MIN_READER_VERSION),
            ("written_by", _app_version()),
            ("created", journal_rows.now()),
            ("clean_close", False),
        ):
            store.set_meta(cur, key, value)
        store.write_workshop(cur, workshop)
        lock.write_holder(cur, holder)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()


def _copy(source: sqlite3.Connection, tmp: Path, holder: lock.Holder, *, refresh: bool = False) -> None:
    """Copy an open workshop to `tmp` with SQLite's backup API, locked for `holder`.

    `refresh` writes new checksums for what the copy holds: the user chose to keep a file
    that was changed outside Cutline.
    """
    dest = sqlite3.connect(tmp, isolation_level=None)
    try:
        source.backup(dest)
        version = dest.execute("PRAGMA user_version").fetchone()[0]
        if version <= schema.SCHEMA_VERSION:
            with disk.transaction(dest, tmp) as cur:
                if refresh and version >= schema.CHECKSUMS_SINCE:
                    checksums.refresh_all(cur)
                cur.execute("DELETE FROM lock")
                lock.write_holder(cur, holder)
                store.set_meta(cur, "clean_close", False)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()


@dataclass
class _Loaded:
    """What an open read from a file, before it takes the lock."""

    workshop: Workshop
    version: int             # the file's schema version
    data_version: int        # PRAGMA data_version when it was read: changes when another connection writes
    reason: str = ""         # why it must open read-only (a newer schema, changed records)
    copy: sqlite3.Connection | None = None  # an older file migrated in memory
    changed: list = field(default_factory=list)

    def close_copy(self) -> None:
        if self.copy is not None:
            self.copy.close()
            self.copy = None


def _load(conn: sqlite3.Connection, path: Path, *, accept_changes: bool) -> _Loaded:
    """Read and check the whole workshop in one read transaction; writes nothing.

    An older file is migrated into a copy in memory; the file itself is upgraded only once
    this window has its lock (`_take_lock`).
    """
    copy = None
    try:
        conn.execute("BEGIN")  # one consistent read, even while another window writes
        try:
            version = disk.check_application(conn, path)
            data_version = conn.execute("PRAGMA data_version").fetchone()[0]
            if version > schema.SCHEMA_VERSION:
                workshop = _read_newer(conn, path, version)
                return _Loaded(workshop, version, data_version, _newer_reason(path, version))
            source = conn
            if version < schema.SCHEMA_VERSION:
                copy = source = _migrated_copy(conn, path, version)
            found: list[checksums.Mismatch] | None = [] if accept_changes else None
            try:
                workshop = store.read_workshop(source, found)
            except store.ChangedRecords as exc:
                raise disk.changed_outside(path, checksums.describe(exc.found)) from exc
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise disk.damaged(path, "its pages do not check out")
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")
        reason = ""
        if found:
            reason = (f"“{path.name}” was changed outside Cutline ({checksums.describe(found)}), so it "
                      "opens read-only: what it holds is not what Cutline saved. Save As keeps it as it is now.")
        return _Loaded(workshop, version, data_version, reason, copy, found or [])
    except BaseException as exc:
        if copy is not None:
            copy.close()
        if isinstance(exc, disk.UnreadableWorkshop):
            raise
        if isinstance(exc, WorkshopFileError):  # a stored value or migration that does not read back
            raise disk.damaged(path, exc.message) from exc
        if isinstance(exc, sqlite3.Error | KeyError | TypeError | ValueError | IndexError | OverflowError):
            raise disk.damaged(path, exc) from exc
        raise


def _newer_reason(path: Path, version: int) -> str:
    return (
        f"“{path.name}” was saved by a newer Cutline (workshop schema {version}; this one "
        f"writes {schema.SCHEMA_VERSION}), so it opens read-only. Update Cutline to edit it."
    )


def _read_newer(conn: sqlite3.Connection, path: Path, version: int) -> Workshop:
    """Read a newer file with this version's reader, if the newer one says that still works.

    Its checksums are not checked: a newer schema may cover columns this Cutline does not know.
    """
    meta = store.read_meta(conn)
    oldest = int(meta.get("min_reader_version", version))  # type: ignore[arg-type]
    if oldest > schema.SCHEMA_VERSION:
        raise disk.too_new(path, version)
    try:
        return store.read_workshop_unverified(conn)
    except (WorkshopFileError, sqlite3.Error, KeyError, TypeError, ValueError, IndexError) as exc:
        raise disk.too_new(path, version) from exc


def _migrated_copy(conn: sqlite3.Connection, path: Path, version: int) -> sqlite3.Connection:
    """An older file brought to the current schema in a copy in memory (the file is left as it is).

    A file of schema 1 has no checksums; the copy gets them for what it holds. (A later
    migration from a checksummed version must check the file's own checksums first:
    `read_snapshot` leaves them out.)
    """
    memory = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.backup(memory)
        _migrate_in(memory, path, version)
    except BaseException:
        memory.close()
        raise
    return memory


def _migrate_in(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Migrate the file `conn` holds in one transaction of its own."""
    with disk.transaction(conn, path) as cur:
        _migrate_with(cur, conn, version)


def _migrate_with(cur: sqlite3.Cursor, conn: sqlite3.Connection, version: int) -> None:
    snapshot = schema.migrate(schema.read_snapshot(conn, version))
    schema.write_snapshot(cur, snapshot)


#: `_take_lock`'s answer when the file changed after it was read: read it again.
_STALE = object()


def _take_lock(conn: sqlite3.Connection, path: Path, holder: lock.Holder, take_over: bool,
               state: _Loaded) -> object:
    """Check and take the lock in one write transaction: "" when taken, else the read-only reason.

    BEGIN IMMEDIATE makes this the only writer until COMMIT, so of two windows opening the
    file at once the second reads the lock the first wrote. An older file is upgraded in the
    same transaction. A file that cannot be written (a full disk, a read-only file system)
    opens read-only, with the reason. `_STALE` when another window wrote to the file after
    `state` was read.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        return disk.opens_read_only_because(path, exc)
    try:
        other = lock.other_live_holder(conn, holder.token)
        if other is not None and not take_over:
            conn.execute("ROLLBACK")
            return f"“{path.name}” is open in another Cutline window, so it opens read-only here. {other.describe()}"
        if conn.execute("PRAGMA data_version").fetchone()[0] != state.data_version:
            conn.execute("ROLLBACK")
            return _STALE
        cur = conn.cursor()
        if state.version < schema.SCHEMA_VERSION:
            _migrate_with(cur, conn, state.version)
        lock.write_holder(cur, holder)
        store.set_meta(cur, "clean_close", False)
        conn.execute("COMMIT")
        return ""
    except BaseException as exc:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite rolls back on its own when a statement failed hard
        if isinstance(exc, sqlite3.Error | OSError):
            return disk.opens_read_only_because(path, exc)
        raise


def _warnings(path: Path, state: _Loaded) -> list[str]:
    """What to tell the user about the workshop a file holds: ids that repeat or look the same."""
    problems = id_problems(state.workshop.portfolio.ids)
    if not problems:
        return []
    named = " ".join(problems[:_NAMED_ID_PROBLEMS])
    if len(problems) > _NAMED_ID_PROBLEMS:
        named += f" And {len(problems) - _NAMED_ID_PROBLEMS:,} more."
    return [
        f"Some ids in “{path.name}” are not each initiative's own, so pins, overrides and "
        f"dependencies may point at the wrong initiative: {named} Give each initiative its own id."
    ]


def _refuse_if_held(path: Path) -> None:
    """Refuse to replace a workshop another live window has open."""
    if not path.is_file():
        return
    try:
        disk.check_header(path)
        conn = disk.connect(path, writable=False)
        try:
            holder = lock.read_holder(conn) if disk.check_application(conn, path) else None
        finally:
            conn.close()
    except (WorkshopFileError, sqlite3.Error):
        return  # not a workshop we could read: the user chose to replace it
    if holder is not None and lock.is_live(holder):
        raise WorkshopFileError(
            f"“{path.name}” is open in another Cutline window, so it cannot be replaced. {holder.describe()}",
            hint="Close it there first, or choose another name.",
        )


def _needs_recovery(path: Path) -> bool:
    """Whether a workshop was left open by a window that is gone (a damaged one counts too)."""
    try:
        disk.check_header(path)
    except WorkshopFileError:
        return False
    try:
        conn = disk.connect(path, writable=os.access(path, os.W_OK))  # rolls back a hot journal
        try:
            disk.check_application(conn, path)
            clean = store.read_meta(conn).get("clean_close", True)
            holder = lock.read_holder(conn)
        finally:
            conn.close()
    except disk.UnreadableWorkshop as exc:
        return exc.reason == "damaged"
    except (sqlite3.Error, WorkshopFileError, KeyError, TypeError, ValueError):
        return True  # a workshop that does not read back: opening it will say why
    return not clean and not (holder is not None and lock.is_live(holder))


def _with_additions(data: dict, rows) -> dict:
    """A kept round with the ratings kept beside it; those of people no longer in it are left out."""
    people = set(data.get("participants", []))
    ratings = {(p, i, c): v for p, i, c, v in data.get("ratings", [])}
    for (text,) in rows:
        for p, i, c, v in values.loads(text):
            if p not in people:
                continue
            if v is None:
                ratings.pop((p, i, c), None)
            else:
                ratings[(p, i, c)] = v
    return {**data, "ratings": [[p, i, c, v] for (p, i, c), v in ratings.items()]}
