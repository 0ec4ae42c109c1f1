"""Safe reading: size caps, zip bomb and hostile XML checks before any library inflates a file."""

from __future__ import annotations

import os
import struct
import sys
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cutline.models.errors import SpreadsheetError

_CHUNK = 1 << 20  # inflate 1 MiB at a time, so memory stays flat whatever a member claims
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, 22 bytes, name and extra lengths


#: Rows a sheet may hold above its table (titles, notes, the header row) besides `Limits.max_rows`.
HEADER_ROOM = 1_000


@dataclass(frozen=True)
class Limits:
    """Caps far above any real portfolio; past them a file is refused with a clear message."""

    max_file_bytes: int = 1 << 30  # 1 GiB on disk
    max_uncompressed_bytes: int = 1 << 30  # 1 GiB inflated, all members of a workbook together
    max_zip_members: int = 10_000
    max_rows: int = 1_000_000  # rows of the table below its header
    max_columns: int = 1_000
    max_cells: int = 30_000_000  # rows x columns of the sheet's used area
    max_shared_strings: int = 10_000_000  # different texts in an xlsx's shared strings
    max_text_bytes: int = 1 << 20  # one cell's text, or any stretch of XML between two tags


def verify_xml_safety() -> None:
    """Raise unless XML is parsed safely: defusedxml installed and openpyxl set to use it."""
    try:
        import defusedxml.ElementTree  # noqa: F401
    except ImportError as exc:
        raise SpreadsheetError(
            "The defusedxml package is not installed, so spreadsheets cannot be read safely.",
            hint="Reinstall Cutline with its dependencies (pip install cutline).",
        ) from exc
    # openpyxl decides once, at its import, whether to use defusedxml; this env var turns it off.
    if os.environ.get("OPENPYXL_DEFUSEDXML", "True") != "True":
        raise SpreadsheetError(
            "OPENPYXL_DEFUSEDXML is set to turn off safe XML parsing.",
            hint="Unset the OPENPYXL_DEFUSEDXML environment variable and start Cutline again.",
        )
    openpyxl_xml = sys.modules.get("openpyxl.xml")
    if openpyxl_xml is not None and not getattr(openpyxl_xml, "DEFUSEDXML", False):
        raise SpreadsheetError(
            "openpyxl was loaded without defusedxml, so it does not parse XML safely.",
            hint="Reinstall Cutline with its dependencies and start it again.",
        )


def check_file_size(path: Path, limits: Limits) -> int:
    """The file's size in bytes; refuse an empty file or one past the size cap."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SpreadsheetError(f"Cannot open {path.name}: {exc.strerror or exc}.",
                               hint="Check the file exists and you may read it.") from exc
    if size == 0:
        raise SpreadsheetError(f"{path.name} is empty (0 bytes).",
                               hint="Choose the file that holds your initiatives.")
    if size > limits.max_file_bytes:
        raise SpreadsheetError(
            f"{path.name} is {size / 2**20:,.0f} MiB, more than Cutline reads "
            f"({limits.max_file_bytes / 2**20:,.0f} MiB).",
            hint="Keep only the sheet with your initiatives and save it as a new file.",
        )
    return size


def open_zip(path: Path) -> zipfile.ZipFile:
    """The file as a zip archive, or a SpreadsheetError saying it is cut short or damaged."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise SpreadsheetError(
            f"{path.name} is damaged or was cut short (its zip directory is unreadable).",
            hint="Copy or download the file again, or open it in Excel or LibreOffice and save it.",
        ) from exc


def check_zip_directory(zf: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Refuse a zip by its directory alone: too many members, too large inflated, or encrypted."""
    infos = zf.infolist()
    names = [i.filename.replace("\\", "/").casefold() for i in infos]
    if len(set(names)) != len(names):  # two parts of one name: readers may pick different ones
        raise corrupt_error(name, "two of its parts have the same name")
    if len(infos) > limits.max_zip_members:
        raise SpreadsheetError(
            f"{name} holds {len(infos):,} files inside; a spreadsheet holds far fewer "
            f"(Cutline stops at {limits.max_zip_members:,}).",
            hint="The file may be hostile or damaged; open it in Excel or LibreOffice and save a copy.",
        )
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed_bytes:
        raise zip_bomb_error(name, limits)
    if any(i.flag_bits & 0x1 for i in infos):
        raise password_error(name)
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SpreadsheetError(
                f"{name} uses a compression method spreadsheets do not use ({info.compress_type}).",
                hint="Open it in Excel or LibreOffice and save it again.",
            )


def zip_bomb_error(name: str, limits: Limits) -> SpreadsheetError:
    return SpreadsheetError(
        f"{name} would unpack to more than {limits.max_uncompressed_bytes / 2**30:,.1f} GiB, "
        "far more than any portfolio; Cutline refuses it to keep your computer responsive.",
        hint="If the file is genuine, keep only the sheet with your initiatives and save it as a new file.",
    )


def password_error(name: str) -> SpreadsheetError:
    return SpreadsheetError(
        f"{name} is protected with a password, so Cutline cannot read it.",
        hint="Open it in Excel or LibreOffice, remove the password (or save an unprotected copy), then import that.",
    )


def corrupt_error(name: str, detail: str = "") -> SpreadsheetError:
    extra = f" ({detail})" if detail else ""
    return SpreadsheetError(
        f"{name} is damaged or incomplete{extra}.",
        hint="Copy or download the file again, or open it in Excel or LibreOffice and save it.",
    )


def inflate_member(
    fh, info: zipfile.ZipInfo, archive: str, limits: Limits, budget: list[int]
) -> Iterator[bytes]:
    """Inflate one member in chunks, refusing output past its declared size or the shared budget.

    Reads the raw stream itself: a member that lies about its size is caught here, before any
    library trusts it. `budget` is a one-item list of the bytes still allowed across members.
    """
    try:
        fh.seek(info.header_offset)
        magic, name_len, extra_len = _LOCAL_HEADER.unpack(fh.read(_LOCAL_HEADER.size).ljust(30, b"\0"))
        if magic != b"PK\x03\x04":
            raise corrupt_error(archive, f"part {info.filename} is missing")
        fh.seek(info.header_offset + _LOCAL_HEADER.size + name_len + extra_len)
    except (OSError, ValueError, OverflowError) as exc:  # an offset before the start of the file
        raise corrupt_error(archive, f"part {info.filename} is missing") from exc
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    remaining, produced, crc = info.compress_size, 0, 0
    while True:
        if inflater is not None and inflater.unconsumed_tail:
            raw = inflater.unconsumed_tail
        elif remaining > 0:
            raw = fh.read(min(_CHUNK, remaining))
            if not raw:
                raise corrupt_error(archive, "the file was cut short")
            remaining -= len(raw)
        elif inflater is None or inflater.eof:
            break
        else:
            raw = b""  # input used up: drain what the inflater still holds
        try:
            out = inflater.decompress(raw, _CHUNK) if inflater is not None else raw
        except zlib.error as exc:
            raise corrupt_error(archive, f"part {info.filename} cannot be unpacked") from exc
        if not out and not raw:
            break
        produced += len(out)
        if produced > info.file_size:
            raise SpreadsheetError(
                f"Part {info.filename} of {archive} unpacks to more than the size it declares, "
                "which only a damaged or hostile file does; Cutline refuses it.",
                hint="If the file is genuine, open it in Excel or LibreOffice and save it again.",
            )
        if produced > budget[0]:
            raise zip_bomb_error(archive, limits)
        crc = zlib.crc32(out, crc)
        if out:
            yield out
    budget[0] -= produced
    if produced != info.file_size or crc != info.CRC:
        raise corrupt_error(archive, f"part {info.filename} does not match its checksum")
