"""The workshop file on disk: connecting with the durability settings, atomic replacement, clear errors."""

from __future__ import annotations

import errno
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cutline.models.errors import WorkshopFileError
from cutline.models.workshop.schema import APPLICATION_ID, SQLITE_MAGIC

#: Files SQLite keeps next to a database; a stale one must never meet a new database.
SIDE_FILES = ("-journal", "-wal", "-shm")


def side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in SIDE_FILES]


def connect(path: Path, *, writable: bool) -> sqlite3.Connection:
    """A connection to an existing file; never creates one. Writable ones commit durably."""
    uri = path.resolve().as_uri() + ("?mode=rw" if writable else "?mode=ro")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=5.0)
    if writable:
        durable(conn)
    return conn


def durable(conn: sqlite3.Connection) -> None:
    """Rollback journal, synced in full: each commit is on disk before it returns, in one file."""
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA fullfsync = ON")  # macOS: flush the drive's cache too, not just the OS's


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; Windows has no directory handles to sync)."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def put_in_place(tmp: Path, path: Path) -> None:
    """Move a finished file over `path` atomically, leaving no stale journal beside it."""
    fsync_file(tmp)
    for side in side_files(path):
        side.unlink(missing_ok=True)
    os.replace(tmp, path)
    fsync_folder(path.parent)


def remove(path: Path) -> None:
    """Delete a workshop file and whatever SQLite kept beside it."""
    for p in (path, *side_files(path)):
        p.unlink(missing_ok=True)


class UnreadableWorkshop(WorkshopFileError):
    """A file that cannot be opened as a workshop.

    `reason` is "missing", "unreadable", "not_a_workshop", "damaged", "changed" (records that
    do not match their checksums: it can be opened read-only with `accept_changes`) or "newer".
    """

    def __init__(self, message: str, *, reason: str, hint: str = ""):
        self.reason = reason
        super().__init__(message, hint=hint)


def not_a_workshop(path: Path, why: str) -> UnreadableWorkshop:
    return UnreadableWorkshop(
        f"“{path.name}” is not a Cutline workshop: {why}.",
        reason="not_a_workshop",
        hint="Open a .cutline file saved by Cutline, or import a spreadsheet instead.",
    )


def damaged(path: Path, detail: object) -> UnreadableWorkshop:
    return UnreadableWorkshop(
        f"“{path.name}” is damaged and cannot be opened ({detail}).",
        reason="damaged",
        hint="Nothing was changed in it. Open a copy saved earlier, or a recovered workshop.",
    )


def too_new(path: Path, version: int) -> UnreadableWorkshop:
    return UnreadableWorkshop(
        f"“{path.name}” was saved by a newer Cutline (workshop schema {version}) that this one cannot read.",
        reason="newer",
        hint="Update Cutline to open it.",
    )


def write_problem(exc: BaseException) -> str:
    """Why a write failed, by SQLite's or the system's reason: "full", "busy", "read_only" or "other"."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if (name.startswith("SQLITE_FULL") or getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT)
            or "disk is full" in text or "no space left" in text):
        return "full"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return "busy"
    if (name.startswith("SQLITE_READONLY") or isinstance(exc, PermissionError)
            or "readonly database" in text or "read-only file system" in text):
        return "read_only"
    return "other"


def could_not_write(path: Path, exc: BaseException) -> WorkshopFileError:
    """A sentence for a failed write, by SQLite's or the system's reason."""
    problem = write_problem(exc)
    if problem == "full":
        why = "the disk is full. Free some space and try again"
    elif problem == "busy":
        why = "another program is using the file. Try again in a moment"
    elif problem == "read_only":
        why = "the file or its folder is read-only. Use Save As to keep a copy elsewhere"
    else:
        why = str(exc) or type(exc).__name__
    return WorkshopFileError(f"Could not save to “{path.name}”: {why}.")


def opens_read_only_because(path: Path, exc: BaseException) -> str:
    """The read-only reason of a workshop that was read but could not be written when opened."""
    problem = write_problem(exc)
    if problem == "full":
        why = "the disk is full, so no edit could be saved. Free some space, then open it again to edit it"
    elif problem == "busy":
        why = "another program is writing to the file. Open it again in a moment to edit it"
    elif problem == "read_only":
        why = "the file or its folder cannot be written to. Use Save As to keep a copy elsewhere"
    else:
        why = f"it could not be written to ({exc or type(exc).__name__}). Use Save As to keep a copy elsewhere"
    return f"“{path.name}” opens read-only: {why}."


def changed_outside(path: Path, where: str) -> UnreadableWorkshop:
    return UnreadableWorkshop(
        f"“{path.name}” was changed outside Cutline ({where}): what it holds is not what Cutline saved.",
        reason="changed",
        hint="Open it read-only to look at it (Save As then keeps what it holds), or open a copy saved earlier.",
    )


def check_header(path: Path) -> None:
    """Refuse, with a clear sentence, anything that is not an SQLite file."""
    if not path.exists():
        raise UnreadableWorkshop(
            f"There is no workshop file at {path}.", reason="missing", hint="Check the name and folder."
        )
    if not path.is_file():
        raise not_a_workshop(path, "it is a folder, not a file")
    try:
        with path.open("rb") as f:
            head = f.read(100)
    except OSError as exc:
        raise UnreadableWorkshop(
            f"“{path.name}” could not be read: {exc.strerror or exc}.", reason="unreadable"
        ) from exc
    if not head:
        raise not_a_workshop(path, "the file is empty")
    if not head.startswith(SQLITE_MAGIC):
        raise not_a_workshop(path, "it is not a database file")
    if len(head) < 100:
        raise damaged(path, "the file is cut short")


def check_application(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version of a workshop file; refuses SQLite files of other programs."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id != APPLICATION_ID:
        raise not_a_workshop(path, "it is a database of another program")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version < 1:
        raise damaged(path, f"its schema version {version} is not valid")
    return int(version)


@contextmanager
def transaction(conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Cursor]:
    """One committed transaction: everything in the block is saved, or nothing is."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise could_not_write(path, exc) from exc
    try:
        yield conn.cursor()
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite rolls back on its own when the statement failed hard
        if isinstance(exc, sqlite3.Error | OSError):
            raise could_not_write(path, exc) from exc
        raise
