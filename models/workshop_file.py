"""The workshop file: a Workshop kept in an SQLite database, every edit committed as it is made.

See docs/workshop-file.md for the schema, the journaling choice and the compatibility promise.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import uuid
import weakref
from dataclasses import replace
from importlib import metadata
from pathlib import Path

from models import workshop_disk as disk
from models import workshop_journal as journal_rows
from models import workshop_lock as lock
from models import workshop_schema as schema
from models import workshop_store as store
from models import workshop_values as values
from models.errors import WorkshopFileError
from models.workshop import Workshop
from models.workshop_disk import UnreadableWorkshop
from models.workshop_journal import JournalEntry

#: The `meta` key of a rating round in progress (docs/workshop-file.md).
ROUND_IN_PROGRESS = "round_in_progress"

__all__ = ["JournalEntry", "UnreadableWorkshop", "WorkshopFile", "WorkshopFileError"]

SUFFIX = ".cutline"


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
        cls, path: str | os.PathLike, *, read_only: bool = False, take_over: bool = False
    ) -> WorkshopFile:
        """Open a workshop file, migrating an older schema; read-only when newer or held elsewhere.

        `take_over` opens it for writing even when another window's lock is on it (after the
        user confirmed that window is gone, e.g. on a computer that crashed).
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
            raise disk.damaged(path, exc) from exc
        try:
            conn, workshop, reason = _load(conn, path, reason)
        except BaseException:
            conn.close()
            raise
        holder = lock.new_holder()
        if not reason:
            try:
                reason = _take_lock(conn, path, holder, take_over)
            except BaseException:
                conn.close()
                raise
        return cls(path, conn, workshop, holder, reason)

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
    def keep_round_in_progress(self, data: dict | None) -> None:
        """Keep the rating round being run (`RatingRound.to_dict()`), or forget it (None).

        Stored as the `meta` key `round_in_progress`, outside the workshop and its undo history,
        so that ratings typed in a room survive a crash before they are applied.
        """
        self._check_writable()
        with disk.transaction(self._conn, self.path) as cur:
            if data is None:
                cur.execute("DELETE FROM meta WHERE key = ?", (ROUND_IN_PROGRESS,))
            else:
                store.set_meta(cur, ROUND_IN_PROGRESS, data)

    def round_in_progress(self) -> dict | None:
        """The rating round kept by `keep_round_in_progress`, as plain data, or None."""
        self._check_open()
        try:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (ROUND_IN_PROGRESS,)).fetchone()
            data = None if row is None else values.loads(row[0])
        except (sqlite3.Error, WorkshopFileError, ValueError):
            return None  # a damaged round is set aside; the workshop itself is unharmed
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
            _copy(self._conn, tmp, holder)
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


def _copy(source: sqlite3.Connection, tmp: Path, holder: lock.Holder) -> None:
    """Copy an open workshop to `tmp` with SQLite's backup API, locked for `holder`."""
    dest = sqlite3.connect(tmp, isolation_level=None)
    try:
        source.backup(dest)
        if dest.execute("PRAGMA user_version").fetchone()[0] <= schema.SCHEMA_VERSION:
            with disk.transaction(dest, tmp) as cur:
                cur.execute("DELETE FROM lock")
                lock.write_holder(cur, holder)
                store.set_meta(cur, "clean_close", False)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()


def _load(conn: sqlite3.Connection, path: Path, reason: str) -> tuple[sqlite3.Connection, Workshop, str]:
    """The workshop in an open file, migrated if older; the connection may become a migrated copy."""
    try:
        version = disk.check_application(conn, path)
        if version > schema.SCHEMA_VERSION:
            return conn, _read_newer(conn, path, version), _newer_reason(path, version)
        if version < schema.SCHEMA_VERSION:
            conn = _migrate(conn, path, version, in_place=not reason)
        workshop = store.read_workshop(conn)
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise disk.damaged(path, "its pages do not check out")
        return conn, workshop, reason
    except disk.UnreadableWorkshop:
        raise
    except WorkshopFileError as exc:  # a stored value or migration that does not read back
        raise disk.damaged(path, exc.message) from exc
    except (sqlite3.Error, KeyError, TypeError, ValueError, IndexError) as exc:
        raise disk.damaged(path, exc) from exc


def _newer_reason(path: Path, version: int) -> str:
    return (
        f"“{path.name}” was saved by a newer Cutline (workshop schema {version}; this one "
        f"writes {schema.SCHEMA_VERSION}), so it opens read-only. Update Cutline to edit it."
    )


def _read_newer(conn: sqlite3.Connection, path: Path, version: int) -> Workshop:
    """Read a newer file with this version's reader, if the newer one says that still works."""
    meta = store.read_meta(conn)
    oldest = int(meta.get("min_reader_version", version))  # type: ignore[arg-type]
    if oldest > schema.SCHEMA_VERSION:
        raise disk.too_new(path, version)
    try:
        return store.read_workshop(conn)
    except (WorkshopFileError, sqlite3.Error, KeyError, TypeError, ValueError, IndexError) as exc:
        raise disk.too_new(path, version) from exc


def _migrate(conn: sqlite3.Connection, path: Path, version: int, *, in_place: bool) -> sqlite3.Connection:
    """Bring an older file to the current schema: in the file in one transaction, or in a copy in memory."""
    if not in_place:
        memory = sqlite3.connect(":memory:", isolation_level=None)
        conn.backup(memory)
        conn.close()
        conn = memory
    with disk.transaction(conn, path) as cur:
        snapshot = schema.migrate(schema.read_snapshot(conn, version))
        schema.write_snapshot(cur, snapshot)
    return conn


def _take_lock(conn: sqlite3.Connection, path: Path, holder: lock.Holder, take_over: bool) -> str:
    """Put `holder`'s lock on the file; the read-only reason instead when another window has it."""
    other = lock.other_live_holder(conn, holder.token)
    if other is not None and not take_over:
        return f"“{path.name}” is open in another Cutline window, so it opens read-only here. {other.describe()}"
    with disk.transaction(conn, path) as cur:
        lock.write_holder(cur, holder)
        store.set_meta(cur, "clean_close", False)
    return ""


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
