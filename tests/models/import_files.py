"""Writers of the spreadsheet files the import tests read: every format, and hostile ones."""

from __future__ import annotations

import csv
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl

HEADERS = ["ID", "Title", "Owning Team", "Reach (users/quarter)", "Impact", "Confidence %",
           "Effort (person-weeks)", "Depends On"]
ROWS = [
    ["I-1", "Rotate root CA", "Identity", 1200, "high", 0.8, 8, ""],
    ["I-2", "Self-serve DBs", "Data", 400, 1, 0.5, 3.5, "I-1"],
    ["I-3", "Faster CI", "Developer Platform", 2500, "massive", 0.9, 12, "I-1; I-2"],
]

Rows = Sequence[Sequence[object]]


# -- ordinary files -----------------------------------------------------------------------
def write_xlsx(
    path: Path,
    rows: Rows,
    *,
    sheet: str = "Initiatives",
    others: dict[str, Rows] | None = None,
    hidden: Sequence[str] = (),
    merges: Sequence[str] = (),
    formats: dict[str, str] | None = None,
    first: str | None = None,
) -> Path:
    """An xlsx written by openpyxl; `first` puts a sheet of that name before the data sheet."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    for ref in merges:
        ws.merge_cells(ref)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    for name, other in (others or {}).items():
        extra = book.create_sheet(name)
        for row in other:
            extra.append(list(row))
    if first:
        front = book.create_sheet(first, 0)
        front.append(["Read me first"])
    for name in hidden:
        book[name].sheet_state = "hidden"
    book.save(path)
    return path


def write_csv(path: Path, rows: Rows, *, encoding: str = "utf-8", delimiter: str = ",",
              lines: Sequence[str] = ()) -> Path:
    """A CSV file written by the csv module; `lines` go first, as written."""
    with open(path, "w", encoding=encoding, newline="") as fh:
        for line in lines:
            fh.write(line + "\r\n")
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def write_ods(path: Path, sheets: dict[str, Rows], *, hidden: Sequence[str] = ()) -> Path:
    """An OpenDocument spreadsheet written by hand: mimetype, manifest and content.xml."""
    tables = []
    for name, rows in sheets.items():
        style = ' table:style-name="hiddentable"' if name in hidden else ""
        body = "".join("<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
                       for row in rows)
        tables.append(f'<table:table table:name="{escape(name)}"{style}>{body}</table:table>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:automatic-styles><style:style style:name="hiddentable" style:family="table">'
        '<style:table-properties table:display="false"/></style:style></office:automatic-styles>'
        '<office:body><office:spreadsheet>' + "".join(tables) + '</office:spreadsheet></office:body>'
        '</office:document-content>'
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '</manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _ods_cell(value: object) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        raise TypeError("booleans are not needed in these tests")
    if isinstance(value, int | float):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


# -- variants of an xlsx -------------------------------------------------------------------
def rewrite_zip(src: Path, dst: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """A copy of a zip with each member's bytes passed through `change`."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))
    return dst


def as_xlsm(src: Path, dst: Path) -> Path:
    """The workbook declared macro-enabled, as Excel saves an xlsm."""
    def change(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
        return data
    return rewrite_zip(src, dst, change)


_STRICT = (
    (b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
    (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
     b"http://purl.oclc.org/ooxml/officeDocument/relationships"),
    (b"http://schemas.openxmlformats.org/drawingml/2006/main", b"http://purl.oclc.org/ooxml/drawingml/main"),
    (b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
     b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties"),
)


def as_strict(src: Path, dst: Path) -> Path:
    """The workbook with the Strict Open XML namespaces, as Excel's "Strict Open XML" saves it."""
    def change(name: str, data: bytes) -> bytes:
        for old, new in _STRICT:
            data = data.replace(old, new)
        return data.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
    return rewrite_zip(src, dst, change)


def with_sheet_xml(src: Path, dst: Path, change: Callable[[bytes], bytes], member: str = "xl/worksheets/sheet1.xml") -> Path:
    return rewrite_zip(src, dst, lambda name, data: change(data) if name == member else data)


def truncated(src: Path, dst: Path, fraction: float = 0.5) -> Path:
    """The first part of a file, as a broken download leaves it."""
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * fraction)])
    return dst


# -- hostile files -------------------------------------------------------------------------
BILLION_LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)
XXE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
)


def raw_zip(path: Path, members: Sequence[tuple[str, bytes, int, int]]) -> Path:
    """A zip written byte by byte from already-deflated members (name, data, crc, declared size),
    so a test can declare any size without compressing gigabytes."""
    out, central = bytearray(), bytearray()
    for name, data, crc, size in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0)
        out += encoded + data
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), size,
                               len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def _deflated(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


_TYPES = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          b'spreadsheetml.sheet.main+xml"/></Types>')


def deflated_zeros(mib: int) -> tuple[bytes, int]:
    """(raw deflate stream, crc) of `mib` MiB of zeros, built from one compressed MiB repeated:
    a full flush makes each block independent, so copies of it form a valid stream."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(bytes(1 << 20)) + packer.flush(zlib.Z_FULL_FLUSH)
    crc, one = 0, bytes(1 << 20)
    for _ in range(mib):
        crc = zlib.crc32(one, crc)
    return block * mib + packer.flush(), crc


def zip_bomb(path: Path, *, members: int = 20, member_mib: int = 64) -> Path:
    """An xlsx-shaped zip whose members honestly unpack to members x member_mib MiB of zeros
    (20 x 64 MiB = 1.25 GiB by default), each from a few kilobytes."""
    data, crc = deflated_zeros(member_mib)
    parts = [("[Content_Types].xml", _deflated(_TYPES), zlib.crc32(_TYPES), len(_TYPES))]
    parts += [(f"xl/worksheets/sheet{i}.xml", data, crc, member_mib << 20) for i in range(1, members + 1)]
    return raw_zip(path, parts)


def lying_zip_bomb(path: Path, *, mib: int = 256) -> Path:
    """A zip whose shared strings claim to unpack to 1 KiB but unpack to `mib` MiB."""
    data, crc = deflated_zeros(mib)
    parts = [("[Content_Types].xml", _deflated(_TYPES), zlib.crc32(_TYPES), len(_TYPES)),
             ("xl/sharedStrings.xml", data, crc, 1024)]
    return raw_zip(path, parts)


def many_members(path: Path, count: int) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", _TYPES)
        for i in range(count):
            zf.writestr(f"xl/media/image{i}.bin", b"")
    return path


def encrypted_office_file(path: Path) -> Path:
    """What Excel writes for a password-protected workbook: an OLE2 compound file holding
    EncryptionInfo and EncryptedPackage streams (only the header and names matter here)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    names = b"".join(n.encode("utf-16-le").ljust(128, b"\x00")
                     for n in ("Root Entry", "EncryptionInfo", "EncryptedPackage"))
    path.write_bytes(header + names + bytes(1024))
    return path


def ole2_with(path: Path, stream: str) -> Path:
    """An OLE2 compound file naming one stream, e.g. "Workbook" (a broken xls) or "WordDocument"."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    path.write_bytes(header + stream.encode("utf-16-le").ljust(128, b"\x00") + bytes(1024))
    return path


# -- xls, written record by record ------------------------------------------------------------
def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0006))


def _xls_cell(row: int, col: int, value: object) -> bytes:
    if isinstance(value, int | float):
        return _record(0x0203, struct.pack("<HHHd", row, col, 15, float(value)))  # NUMBER
    text = str(value).encode("utf-16-le")
    return _record(0x0204, struct.pack("<HHHHB", row, col, 15, len(text) // 2, 1) + text)  # LABEL


def _boundsheet(offset: int, name: str, hidden: bool) -> bytes:
    text = name.encode("utf-16-le")
    return _record(0x0085, struct.pack("<IBBBB", offset, int(hidden), 0, len(text) // 2, 1) + text)


def xls_stream(sheets: dict[str, Rows], hidden: Sequence[str] = (), password: bool = False) -> bytes:
    """A BIFF8 Workbook stream: globals (BOF, code page, one BOUNDSHEET per sheet, EOF), then
    each sheet's BOF, cells and EOF. `password` adds the FILEPASS record Excel writes."""
    filepass = _record(0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(48))  # RC4 encryption header
    head = _bof(0x0005) + (filepass if password else b"") + _record(0x0042, struct.pack("<H", 1200))
    offset = len(head) + sum(len(_boundsheet(0, n, False)) for n in sheets) + 4
    bodies, entries = b"", b""
    for name, rows in sheets.items():
        cells = b"".join(_xls_cell(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row)
                         if v is not None and v != "")
        entries += _boundsheet(offset + len(bodies), name, name in hidden)
        bodies += _bof(0x0010) + cells + _record(0x000A, b"")
    return head + entries + _record(0x000A, b"") + bodies


def write_xls(path: Path, sheets: dict[str, Rows], *, hidden: Sequence[str] = (), password: bool = False) -> Path:
    """An Excel 97-2003 workbook: the BIFF8 stream inside a minimal OLE2 compound file
    (one FAT sector, one directory sector, the Workbook stream in ordinary sectors)."""
    stream = xls_stream(sheets, hidden, password)
    stream = stream.ljust(max(4096, -(-len(stream) // 512) * 512), b"\x00")
    count = len(stream) // 512
    if count > 126:
        raise ValueError("a test workbook must fit in one FAT sector")
    end, free, fat_sector, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    fat = [fat_sector, end] + [3 + i if i < count - 1 else end for i in range(count)]
    fat += [free] * (128 - len(fat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + bytes(6) + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 0x1000, end, 0, end, 0)
              + struct.pack("<109I", 0, *([free] * 108)))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        text = (name + "\0").encode("utf-16-le") if name else b""
        return (text.ljust(64, b"\x00") + struct.pack("<HBBIII", len(text), kind, 1, none, none, child)
                + bytes(20) + bytes(16) + struct.pack("<II", start, size) + bytes(4))

    directory = (entry("Root Entry", 5, 1, end, 0) + entry("Workbook", 2, none, 2, len(stream))
                 + entry("", 0, none, 0, 0) * 2)
    path.write_bytes(header + struct.pack("<128I", *fat) + directory + stream)
    return path
