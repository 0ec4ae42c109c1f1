"""Writing a file whole or not at all: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from cutline.models.errors import ExportError, Location


def write_atomically(path: str | os.PathLike, data: bytes) -> Path:
    """Replace `path` with `data` in one step; on any failure the old file stays as it was."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ExportError(f"{path} is a folder.", location=Location(), hint="Choose a file name to export to.")
    if not folder.is_dir():
        raise ExportError(f"The folder {folder} does not exist.", hint="Choose an existing folder.")
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _export_error(exc, path, folder) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, _mode_for(path))
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise _export_error(exc, path, folder) from None
    _sync_folder(folder)
    return path


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (umask applies)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it (not on Windows)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _export_error(exc: OSError, path: Path, folder: Path) -> ExportError:
    """An OS error as a sentence a PM can act on; the previous file is untouched."""
    untouched = " The previous file, if any, is unchanged."
    if exc.errno == errno.ENOSPC:
        return ExportError(f"There is not enough disk space to write {path.name}.{untouched}",
                           hint="Free some space or choose another folder.")
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        if path.exists():
            return ExportError(
                f"{path.name} could not be replaced: it is open in another program (such as "
                f"Excel) or you may not change it.{untouched}",
                hint="Close the file in Excel, or export under another name.",
            )
        return ExportError(f"Cutline may not write in the folder {folder}.{untouched}",
                           hint="Choose a folder you can write to.")
    return ExportError(f"{path.name} could not be written: {exc.strerror or exc}.{untouched}",
                       hint="Check the folder and try again.")
