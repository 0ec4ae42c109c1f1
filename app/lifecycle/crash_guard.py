"""The last resort in the window: an unexpected exception in an event handler is written to a log
in the app's data folder and told to the user in one sentence, never printed as a traceback; the
open workshop is kept (every edit is already saved in its file)."""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow

LOG_NAME = "errors.log"
_MAX_LOG_BYTES = 1 << 20


def log_folder() -> Path:
    from PySide6.QtCore import QStandardPaths

    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def install(window: MainWindow) -> None:
    """Make `window` tell the user about an unexpected exception instead of a traceback on stderr."""
    sys.excepthook = lambda kind, value, tb: report(window, kind, value, tb)


def report(window: MainWindow, kind, value, tb, folder: Path | None = None) -> Path | None:
    """Log the exception and tell the user; returns the log's path (None when it cannot be written)."""
    log = write_log(kind, value, tb, folder or log_folder())
    where = f" The details are in {log}." if log else ""
    try:
        window.tell_error(f"Something went wrong in Cutline ({kind.__name__}: {str(value)[:200]}). "
                          f"Your workshop is kept: every change is saved as you make it.{where}")
    except Exception:  # the window itself is failing: stay silent rather than loop
        pass
    return log


def write_log(kind, value, tb, folder: Path) -> Path | None:
    """Append the traceback to errors.log (restarted when it passes 1 MiB)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / LOG_NAME
        mode = "w" if path.exists() and path.stat().st_size > _MAX_LOG_BYTES else "a"
        with open(path, mode, encoding="utf-8") as fh:
            fh.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')}\n")
            fh.write("".join(traceback.format_exception(kind, value, tb)))
        return path
    except OSError:
        return None
