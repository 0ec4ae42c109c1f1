"""An xls workbook opened first in a child process with an address-space limit.

python-calamine trusts an xls file's DIMENSIONS records and reserves memory for the area they
claim when it opens the file: a 5 KB xls that claims four billion rows aborts the process (a Rust
allocation failure cannot be caught). The BIFF records sit inside an OLE2 compound file that
Cutline does not parse itself, so the one safe way to know is to let the reader try where it
cannot take the application down: a child opens the workbook and loads every sheet under a
memory limit; only a file that passed is then read in the application.
"""

from __future__ import annotations

import functools
import os
import pickle
import subprocess
import sys
from pathlib import Path

from cutline.models.errors import SpreadsheetError

#: The address space the child may use: the interpreter and the reader need about 100 MB; a real
#: xls (at most 65,536 rows x 256 columns) needs far less than this.
PROBE_LIMIT_MB = 1536
PROBE_SECONDS = 60

_CHILD = r"""
import pickle, resource, sys
limit = int(sys.argv[2]) << 20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import python_calamine as calamine
try:
    with open(sys.argv[1], "rb") as fh:  # by content: the file's name may end otherwise
        book = calamine.CalamineWorkbook.from_filelike(fh)
    with book:
        shapes = []
        for meta in book.sheets_metadata:
            if meta.typ == calamine.SheetTypeEnum.WorkSheet:
                sheet = book.get_sheet_by_name(meta.name)
                shapes.append((meta.name, sheet.total_height, sheet.total_width))
    result = ("ok", shapes)
except calamine.PasswordError as exc:
    result = ("password", str(exc))
except MemoryError:
    result = ("memory", "")
except BaseException as exc:
    result = ("error", f"{type(exc).__name__}: {exc}"[:300])
sys.stdout.buffer.write(pickle.dumps(result))
"""


def probe_xls(path: Path) -> None:
    """Raise SpreadsheetError unless the xls opens and every sheet loads within the limit.
    Password and damage are left for the ordinary read to report in its own words."""
    stat = path.stat()
    _probe(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _probe(path_text: str, size: int, mtime_ns: int) -> None:
    name = Path(path_text).name
    env = dict(os.environ, RUST_BACKTRACE="0")
    try:
        done = subprocess.run([sys.executable, "-c", _CHILD, path_text, str(PROBE_LIMIT_MB)],
                              capture_output=True, timeout=PROBE_SECONDS, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise SpreadsheetError(f"{name} took more than {PROBE_SECONDS} s to open as an Excel 97-2003 workbook.",
                               hint="Open it in Excel or LibreOffice and save it as .xlsx.") from None
    status = pickle.loads(done.stdout)[0] if done.returncode == 0 and done.stdout else "crashed"
    if status in ("memory", "crashed"):
        raise SpreadsheetError(
            f"{name} claims a sheet far larger than the file holds: opening it would need more than "
            f"{PROBE_LIMIT_MB:,} MB of memory, so it is not read (a damaged or hand-made xls).",
            hint="Open it in Excel or LibreOffice and save it as .xlsx, then import that file.")
