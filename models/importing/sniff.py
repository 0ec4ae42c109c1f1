"""Format detection from a file's content, never from its name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cutline.models.errors import SpreadsheetError
from cutline.models.importing.safety import Limits, password_error
from cutline.models.importing.source import FORMAT_NAMES, SUFFIXES
from cutline.models.importing.xml_guard import verify_package

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_HEAD = 1 << 16
#: Files people mistake for spreadsheets, by their first bytes, and what they are.
_OTHER_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"{\\rtf", "a rich-text (RTF) document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
)


@dataclass(frozen=True)
class Detected:
    """A file's format, the small zip parts read to tell it, and notes for the user."""

    format: str
    parts: Mapping[str, bytes] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def detect_format(path: Path, limits: Limits) -> Detected:
    """The file's format from its bytes; raise SpreadsheetError for anything Cutline cannot read."""
    with open(path, "rb") as fh:
        head = fh.read(_HEAD)
    if head.startswith(_ZIP):
        detected = _zip_format(path, limits)
    elif head.startswith(_OLE2):
        detected = Detected(_ole2_format(path))
    else:
        detected = Detected(_text_format(path, head))
    note = extension_note(path, detected.format)
    return Detected(detected.format, detected.parts, detected.notes + ((note,) if note else ()))


def extension_note(path: Path, fmt: str) -> str:
    """A note when the file's name says one format and its content another."""
    suffix = path.suffix.lower()
    if suffix in SUFFIXES[fmt] or (fmt == "csv" and suffix == ""):
        return ""
    return f"{path.name} is named '{suffix or 'without an ending'}' but holds {FORMAT_NAMES[fmt]}; it was read as such."


def _keep_part(name: str) -> bool:
    """Small parts that tell a zip's format and list its sheets."""
    return name in ("[Content_Types].xml", "_rels/.rels", "mimetype", "META-INF/manifest.xml") or (
        name.endswith(("workbook.xml", "workbook.xml.rels")) and name.count("/") <= 2
    )


def _is_worksheet(name: str) -> bool:
    """An xlsx worksheet part: checked in full only when it is the sheet being read."""
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _zip_format(path: Path, limits: Limits) -> Detected:
    parts = verify_package(path, limits, keep=_keep_part, later=_is_worksheet)
    mimetype = parts.get("mimetype", b"").strip()
    if mimetype:
        if mimetype == _ODS_MIME or mimetype.startswith(_ODS_MIME + b"-template"):
            if b"encryption-data" in parts.get("META-INF/manifest.xml", b""):
                raise password_error(path.name)
            return Detected("ods", parts)
        kind = mimetype.decode("ascii", "replace").rsplit(".", 1)[-1]
        raise _not_a_spreadsheet(path, f"an OpenDocument {kind} file")
    types = parts.get("[Content_Types].xml", b"")
    if b"spreadsheetml" in types or b"ms-excel.sheet" in types:
        if b".binary." in types or b"sheet.binary" in types:
            raise SpreadsheetError(
                f"{path.name} is an Excel binary workbook (xlsb), which Cutline does not read.",
                hint="Open it in Excel and save it as an Excel workbook (.xlsx).",
            )
        fmt = "xlsm" if b"macroEnabled" in types else "xlsx"
        return Detected(fmt, parts)
    if b"wordprocessingml" in types:
        raise _not_a_spreadsheet(path, "a Word document")
    if b"presentationml" in types:
        raise _not_a_spreadsheet(path, "a PowerPoint presentation")
    raise _not_a_spreadsheet(path, "a zip archive without a spreadsheet inside")


def _ole2_format(path: Path) -> str:
    """xls, or a password-protected Office file (which is an OLE2 container around the real one)."""
    with open(path, "rb") as fh:
        data = fh.read()
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        raise password_error(path.name)
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    if "WordDocument".encode("utf-16-le") in data:
        raise _not_a_spreadsheet(path, "a Word 97-2003 document")
    raise _not_a_spreadsheet(path, "an Office file without a workbook inside")


def _text_format(path: Path, head: bytes) -> str:
    """csv, unless the bytes show a known non-spreadsheet or binary file."""
    for magic, what in _OTHER_MAGIC:
        if head.startswith(magic):
            raise _not_a_spreadsheet(path, what)
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(head):
        return "csv"
    if b"\x00" in head:
        raise _not_a_spreadsheet(path, "a binary file of a kind Cutline does not know")
    start = head[:2048].lstrip().lower()
    if start.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")):
        raise SpreadsheetError(
            f"{path.name} is a web page (HTML), not a spreadsheet, even if it opens in Excel.",
            hint="Open it in Excel or LibreOffice and save it as .xlsx or .csv, or export CSV from the source.",
        )
    if start.startswith(b"<?xml"):
        what = "an OpenDocument flat XML file" if b"opendocument" in head else (
            "an Excel 2003 XML spreadsheet" if b"office:spreadsheet" in head else "an XML file")
        raise SpreadsheetError(
            f"{path.name} is {what}, which Cutline does not read.",
            hint="Open it in Excel or LibreOffice and save it as .xlsx, .ods or .csv.",
        )
    return "csv"


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 text without a byte-order mark: every other byte is zero."""
    sample = head[:4096]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return (odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even)) or (
        even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd)
    )


def _not_a_spreadsheet(path: Path, what: str) -> SpreadsheetError:
    return SpreadsheetError(
        f"{path.name} is {what}, not a spreadsheet.",
        hint="Choose an xlsx, xlsm, xls, ods or csv file with your initiatives.",
    )
