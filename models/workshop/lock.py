"""Who has a workshop file open: the lock row a window writes, and whether its process still lives.

SQLite's own locks last one transaction; a window keeps a workshop open for hours. The
lock row names the process (pid, host, and on Linux its boot and start time, so that a
recycled pid is not mistaken for it), so a second window can warn instead of writing
over the first one's edits, while a crashed window's row is recognised as stale.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import sqlite3
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

#: Tokens of the workshop files this process has open now (several windows, one process).
_OPEN_HERE: set[str] = set()


@dataclass(frozen=True)
class Holder:
    """The process (and window) that has a workshop open."""

    pid: int
    host: str
    process: str  # boot id and start time of the process, "" where unknown
    opened: str   # ISO time, UTC
    token: str    # one per open WorkshopFile

    def describe(self) -> str:
        """A sentence naming who has the file open."""
        when = self.opened[:16].replace("T", " ")
        where = "on this computer" if self.host == socket.gethostname() else f"on {self.host}"
        return f"Another Cutline window ({where}, process {self.pid}) has had it open since {when} UTC."


def new_holder() -> Holder:
    """A holder for a workshop this process is opening now."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    pid = os.getpid()
    return Holder(pid, socket.gethostname(), process_identity(pid), now, uuid.uuid4().hex)


def opened_here(token: str) -> None:
    _OPEN_HERE.add(token)


def closed_here(token: str) -> None:
    _OPEN_HERE.discard(token)


def process_identity(pid: int) -> str:
    """Boot id and start time of process `pid` on Linux; "" elsewhere or when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""
    fields = stat[stat.rfind(")") + 2:].split()  # the name in brackets may hold spaces
    if fields[0] in ("Z", "X"):  # a zombie has exited; it only waits to be reaped
        return "dead"
    return f"{boot}:{fields[19]}"  # field 22 of stat: start time in clock ticks since boot


def _pid_alive(pid: int) -> bool:
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    except OSError:
        return False
    return True


def _windows_pid_alive(pid: int) -> bool:
    """Whether `pid` runs, without os.kill (which would terminate it on Windows)."""
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    code = ctypes.c_ulong()
    ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
    kernel32.CloseHandle(handle)
    return bool(ok) and code.value == 259  # STILL_ACTIVE


def is_live(holder: Holder) -> bool:
    """Whether `holder` still has the file open (True when that cannot be checked)."""
    if holder.host != socket.gethostname():
        return True  # another computer's process cannot be checked: assume it is there
    if holder.pid == os.getpid():
        return holder.token in _OPEN_HERE
    if not _pid_alive(holder.pid):
        return False
    now = process_identity(holder.pid)
    if now == "dead":
        return False
    return not holder.process or not now or now == holder.process


def read_holder(conn: sqlite3.Connection) -> Holder | None:
    """The lock row of the file, if any (a row that does not read as one names nobody)."""
    row = conn.execute("SELECT pid, host, process, opened, token FROM lock WHERE slot = 1").fetchone()
    if row is None or type(row[0]) is not int or not all(type(v) is str for v in row[1:]):
        return None
    return Holder(*row)


def other_live_holder(conn: sqlite3.Connection, token: str) -> Holder | None:
    """The holder of the file when it is another live window than `token`'s."""
    holder = read_holder(conn)
    if holder is None or holder.token == token or not is_live(holder):
        return None
    return holder


def write_holder(cur: sqlite3.Cursor, holder: Holder) -> None:
    cur.execute(
        "INSERT OR REPLACE INTO lock (slot, pid, host, process, opened, token) VALUES (1, ?, ?, ?, ?, ?)",
        (holder.pid, holder.host, holder.process, holder.opened, holder.token),
    )


def release(cur: sqlite3.Cursor, token: str) -> None:
    cur.execute("DELETE FROM lock WHERE slot = 1 AND token = ?", (token,))
