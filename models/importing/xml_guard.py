"""The pre-load safety pass over a workbook's XML, done with a real streaming parser (expat).

Every XML part is inflated in pieces and fed to expat as it comes, so memory stays small whatever
the part holds. The pass sees the XML as the readers (python-calamine, openpyxl) will, and refuses
before they allocate anything:

- any document type or entity declaration, wherever it is (billion laughs, XXE);
- XML that is not well-formed, or not in an encoding expat knows;
- one stretch of more than `Limits.max_text_bytes` without a tag (a cell's text, or blank space),
  one tag, comment or CDATA section as long, and one shared string as long: the readers would hold
  each whole in memory;
- in a worksheet, cells past the row, column or cell caps, by every cell reference the reader
  honours (any attribute order, quotes, spaces, case or namespace prefix; cells without a
  reference placed as the reader places them) and by the number of cells;
- in shared strings, a `uniqueCount` or a number of strings past `Limits.max_shared_strings`
  (the reader reserves room for `uniqueCount` strings before reading one);
- in an OpenDocument `content.xml`, every table's area with `number-rows-repeated` and
  `number-columns-repeated` expanded (the reader reads every table at once).

An ordinary worksheet (UTF-8, every cell written `<c r="A1" ...>`) has its cells measured with
numpy over the inflated bytes after expat has checked it (cell_refs.py); any other form of cell
tag is measured by expat callbacks, which are exact and slower.
"""

from __future__ import annotations

import abc
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

import numpy as np

from cutline.models.errors import SpreadsheetError
from cutline.models.importing.cell_refs import measure_slice
from cutline.models.importing.safety import (
    HEADER_ROOM,
    Limits,
    check_zip_directory,
    corrupt_error,
    inflate_member,
    open_zip,
)

#: A worksheet up to this size is kept in memory after its check, for the formula scan.
_KEEP_BYTES = 256 << 20
#: The fast measure of an ordinary worksheet works on slices of about this size.
_SLICE = 4 << 20
_FEED = 1 << 20
_LT = 0x3C  # "<"

_XML_DECL = re.compile(rb'^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["\']([A-Za-z0-9._-]+)["\']')
_REF = re.compile(r"([A-Za-z]+)([0-9]+)")
_DIGITS = re.compile(r"\s*\+?([0-9]{1,30})\s*")
# After expat has found a sheet well-formed, a cell tag that starts `<c r="` has the reference
# the reader uses (the first attribute, matched by its exact name; no second one can follow).
_ORDINARY_REF = rb'<c r="([A-Za-z]{1,3})([0-9]{1,7})"'
# The same tags, each with how it ends (quoted values, which may hold "/" and ">", read whole).
_TAGS = re.compile(_ORDINARY_REF + rb'(?:[^>"\'/]|/(?!>)|"[^"]*"|\'[^\']*\')*(/?)>')


@dataclass(frozen=True)
class Extent:
    """The area a reader will allocate for a sheet: last row and column (1-based) and cells."""

    rows: int = 0
    columns: int = 0
    cells: int = 0  # cells with content, each counted as often as it is written


def sheet_caps(limits: Limits) -> tuple[int, int, int]:
    """(rows, columns, cells) a sheet may span: the table's caps plus room above the table."""
    return (limits.max_rows + HEADER_ROOM, limits.max_columns,
            limits.max_cells + HEADER_ROOM * limits.max_columns)


def extent_error(name: str, sheet: str, rows: int, cols: int, cells: int, limits: Limits) -> SpreadsheetError | None:
    """The error for a sheet past a cap, or None; `cells` counts the cells written."""
    max_rows, max_cols, max_cells = sheet_caps(limits)
    problem = ""
    if rows > max_rows:
        problem = f"spans {rows:,} rows (Cutline reads up to {max_rows:,})"
    elif cols > max_cols:
        problem = f"spans {cols:,} columns (Cutline reads up to {max_cols:,})"
    elif rows * cols > max_cells:
        problem = f"spans {rows:,} rows by {cols:,} columns (Cutline reads up to {max_cells:,} cells)"
    elif cells > max_cells:
        problem = f"holds {cells:,} cells (Cutline reads up to {max_cells:,})"
    if not problem:
        return None
    return SpreadsheetError(
        f"Sheet {sheet!r} of {name} {problem}.",
        hint="Delete the unused rows and columns (or values far from the table), or copy the table to a new file.",
    )


def _too_much_text(member: str, archive: str, limits: Limits, what: str = "text or blank space") -> SpreadsheetError:
    return SpreadsheetError(
        f"Part {member} of {archive} holds more than {limits.max_text_bytes / 2**20:,.0f} MiB of {what} "
        "in one place, far more than any cell holds; Cutline refuses it to keep your computer responsive.",
        hint="If the file is genuine, open it in Excel or LibreOffice, shorten the longest cells and save it again.",
    )


def doctype_error(member: str, archive: str) -> SpreadsheetError:
    return SpreadsheetError(
        f"{archive} contains an XML document type declaration in {member}; spreadsheets never "
        "need one, and it is how entity-expansion and external-entity attacks work, so "
        "Cutline refuses the file.",
        hint="If the file is genuine, open it in Excel or LibreOffice and save it again.",
    )


# -- the stream ----------------------------------------------------------------------------------
class XmlStream:
    """One XML part fed to expat in pieces, with the checks every part gets."""

    def __init__(self, member: str, archive: str, limits: Limits, handler: _Handler | None = None) -> None:
        self.member, self.archive, self.limits = member, archive, limits
        parser = expat.ParserCreate()
        parser.ordered_attributes = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._doctype
        parser.StartCdataSectionHandler = self._cdata_start
        parser.EndCdataSectionHandler = self._cdata_end
        if handler is not None:
            handler.bind(self, parser)
        self.parser = parser
        self.handler = handler
        self.fed = 0
        self.last_lt = 0
        self.cdata_at = -1

    def _doctype(self, *args: object) -> None:
        raise doctype_error(self.member, self.archive)

    def _cdata_start(self) -> None:
        self.cdata_at = self.parser.CurrentByteIndex

    def _cdata_end(self) -> None:
        if self.parser.CurrentByteIndex - self.cdata_at > self.limits.max_text_bytes:
            raise _too_much_text(self.member, self.archive, self.limits)
        self.cdata_at = -1

    def feed(self, chunk: bytes) -> None:
        cap = self.limits.max_text_bytes
        for start in range(0, len(chunk), _FEED):
            piece = chunk[start: start + _FEED]
            # The longest run between two "<": text or blank space the reader would buffer whole.
            lt = np.flatnonzero(np.frombuffer(piece, np.uint8) == _LT)
            if lt.size:
                worst = max(int(lt[0]) + self.fed - self.last_lt,
                            int(np.diff(lt).max()) if lt.size > 1 else 0)
                self.last_lt = self.fed + int(lt[-1])
            else:
                worst = self.fed + len(piece) - self.last_lt
            if worst > cap:
                raise _too_much_text(self.member, self.archive, self.limits)
            self._parse(piece, False)
            self.fed += len(piece)
            # What expat holds unfinished: one tag, comment or instruction still being read.
            if self.fed - self.parser.CurrentByteIndex > cap or (
                    self.cdata_at >= 0 and self.fed - self.cdata_at > cap):
                raise _too_much_text(self.member, self.archive, self.limits)

    def close(self) -> None:
        if self.fed - self.last_lt > self.limits.max_text_bytes:
            raise _too_much_text(self.member, self.archive, self.limits)
        self._parse(b"", True)
        if self.handler is not None:
            self.handler.finish()

    def _parse(self, data: bytes, final: bool) -> None:
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError as exc:
            detail = expat.ErrorString(exc.code) if exc.code else "not XML"
            raise corrupt_error(
                self.archive, f"part {self.member} is not well-formed XML: {detail}, "
                f"line {exc.lineno:,}, column {exc.offset:,}") from exc
        except RecursionError as exc:  # pragma: no cover - expat does not recurse into Python
            raise corrupt_error(self.archive, f"part {self.member} nests too deeply") from exc


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _attr(attrs: list[str], local: str) -> list[str]:
    """Values of the attributes with this local name (any prefix), in order."""
    return [attrs[i + 1] for i in range(0, len(attrs), 2) if _local(attrs[i]) == local]


def _count(value: str, what: str, stream: XmlStream) -> int:
    """A count attribute as the reader parses it: digits only, or the part is damaged."""
    m = _DIGITS.fullmatch(value)
    if m is None:
        raise corrupt_error(stream.archive, f"part {stream.member} has {what}={value[:40]!r}, which is not a number")
    return int(m.group(1))


class _Handler(abc.ABC):
    """Element callbacks for one kind of part (each kind says what `start` does)."""

    stream: XmlStream
    parser: expat.XMLParserType

    def bind(self, stream: XmlStream, parser) -> None:
        self.stream, self.parser = stream, parser
        parser.StartElementHandler = self.start
        if hasattr(self, "end"):
            parser.EndElementHandler = self.end

    @abc.abstractmethod
    def start(self, name: str, attrs: list[str]) -> None:
        """An element begins."""

    def finish(self) -> None:  # noqa: B027 - most parts have nothing to check at the end
        """The part has ended; a handler with a total to check does it here."""


class SheetHandler(_Handler):
    """A worksheet, cell by cell, placed as python-calamine places them.

    A cell with a reference is where the reference says (letters in either case, any attribute
    order or quotes, any prefix on the element); one without takes the next column of the
    current row, and a row without a number the next row. A cell counts when it holds anything
    but a formula (a `<v>`, an `<is>`, anything else); a cell with only a style does not.
    """

    def __init__(self, name: str, sheet: str, limits: Limits) -> None:
        self.name, self.sheet, self.limits = name, sheet, limits
        self.row, self.col = 0, 0  # 0-based, the next cell's place for cells without a reference
        self.last_row = self.last_col = self.cells = 0
        self.cell: list[tuple[int, int]] | None = None  # the open cell's places (1-based)
        self.used = False
        self.depth = 0
        self.cell_depth = -1
        self.dimension = ""
        self.caps = sheet_caps(limits)

    def _place(self, ref: str) -> tuple[int, int]:
        m = _REF.fullmatch(ref.strip())
        if m is None:
            raise corrupt_error(self.stream.archive, f"a cell of {self.stream.member} has the reference {ref[:40]!r}")
        col = 0
        for ch in m.group(1).upper():
            col = col * 26 + ord(ch) - 64
        return int(m.group(2)[:30]), col

    def start(self, name: str, attrs: list[str]) -> None:
        self.depth += 1
        local = _local(name)
        if self.cell is not None and self.depth > self.cell_depth:
            if local != "f" and self.depth == self.cell_depth + 1:
                self.used = True
            return
        if local == "c":
            places = []
            exact = None
            for i in range(0, len(attrs), 2):
                key = attrs[i]
                if key == "r":
                    exact = self._place(attrs[i + 1])
                elif _local(key) == "r":
                    places.append(self._place(attrs[i + 1]))
            if exact is None:
                exact = (self.row + 1, self.col + 1)
            places.append(exact)
            self.col = exact[1]
            self.cell, self.used, self.cell_depth = places, False, self.depth
        elif local == "row":
            refs = [v for k, v in zip(attrs[::2], attrs[1::2]) if k == "r"]
            if refs:
                m = _DIGITS.fullmatch(refs[0])
                if m is None:
                    raise corrupt_error(self.stream.archive, f"a row of {self.stream.member} is numbered {refs[0][:40]!r}")
                self.row = int(m.group(1)) - 1
            self.col = 0
        elif local == "dimension":
            self.dimension = next(iter(_attr(attrs, "ref")), "")

    def end(self, name: str) -> None:
        if self.cell is not None and self.depth == self.cell_depth:
            if self.used:
                self._count(self.cell)
            self.cell = None
        elif self.cell is None and _local(name) == "row":
            self.row += 1
            self.col = 0
        self.depth -= 1

    def _count(self, places: list[tuple[int, int]]) -> None:
        for row, col in places:
            self.last_row = max(self.last_row, row)
            self.last_col = max(self.last_col, col)
        self.cells += 1
        if self.last_row > self.caps[0] or self.last_col > self.caps[1] or self.cells > self.caps[2] or (
                self.last_row * self.last_col > self.caps[2]):
            raise self.error()

    def error(self) -> SpreadsheetError:
        err = extent_error(self.name, self.sheet, self.last_row, self.last_col, self.cells, self.limits)
        assert err is not None
        return err

    @property
    def extent(self) -> Extent:
        return Extent(self.last_row, self.last_col, self.cells)


class SharedStringsHandler(_Handler):
    """Shared strings: the count the reader reserves room for, the strings, the longest one."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.strings = 0
        self.string_at = -1

    def start(self, name: str, attrs: list[str]) -> None:
        local = _local(name)
        if local == "si":
            at = self.parser.CurrentByteIndex
            self._close_string(at)
            self.string_at = at
            self.strings += 1
            if self.strings > self.limits.max_shared_strings:
                raise self._too_many(self.strings)
        elif local == "sst":
            for key in ("uniqueCount", "count"):
                for value in _attr(attrs, key):
                    m = _DIGITS.fullmatch(value)
                    if m is not None and key == "uniqueCount" and int(m.group(1)) > self.limits.max_shared_strings:
                        raise self._too_many(int(m.group(1)), declared=True)

    def _close_string(self, at: int) -> None:
        if self.string_at >= 0 and at - self.string_at > self.limits.max_text_bytes:
            raise _too_much_text(self.stream.member, self.stream.archive, self.limits, "text in one string")

    def end(self, name: str) -> None:
        if _local(name) == "sst":
            self._close_string(self.parser.CurrentByteIndex)
            self.string_at = -1

    def finish(self) -> None:
        self._close_string(self.stream.fed)

    def _too_many(self, count: int, declared: bool = False) -> SpreadsheetError:
        says = "declare" if declared else "hold"
        return SpreadsheetError(
            f"The shared strings of {self.stream.archive} {says} {count:,} different texts; Cutline reads "
            f"up to {self.limits.max_shared_strings:,} and refuses the file to keep your computer responsive.",
            hint="If the file is genuine, keep only the sheet with your initiatives and save it as a new file.",
        )


_ODS_VALUE_ATTRS = frozenset({"value-type", "value", "date-value", "time-value", "boolean-value",
                              "string-value", "formula"})


class OdsContentHandler(_Handler):
    """An OpenDocument content.xml: each table's area with its repeated rows and columns expanded.

    A row or cell with content counts as often as it is repeated; empty rows and cells count only
    when something follows them, as in the reader. Every table counts, since the reader reads them
    all when it opens the file."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name, self.limits = name, limits
        self.caps = sheet_caps(limits)
        self.tables: list[dict] = []
        self.total = 0
        self.depth = 0
        self.cell_depth = -1

    def _state(self) -> dict | None:
        return self.tables[-1] if self.tables else None

    def start(self, name: str, attrs: list[str]) -> None:
        self.depth += 1
        local = _local(name)
        t = self._state()
        if t is not None and self.cell_depth >= 0 and self.depth > self.cell_depth:
            t["cell_used"] = True
            return
        if local == "table":
            label = next(iter(_attr(attrs, "name")), f"table {len(self.tables) + 1}")
            self.tables.append({"name": label, "row": 0, "last_row": 0, "last_col": 0, "repeat": 1,
                                "col": 0, "row_last": 0, "cell_repeat": 1, "cell_used": False})
        elif t is None:
            return
        elif local == "table-row":
            t["repeat"] = self._repeat(attrs, "number-rows-repeated")
            t["col"], t["row_last"] = 0, 0
        elif local in ("table-cell", "covered-table-cell"):
            t["cell_repeat"] = self._repeat(attrs, "number-columns-repeated")
            t["cell_used"] = any(_local(k) in _ODS_VALUE_ATTRS for k in attrs[::2])
            self.cell_depth = self.depth

    def _repeat(self, attrs: list[str], key: str) -> int:
        values = _attr(attrs, key)
        return max([_count(v, key, self.stream) for v in values] or [1])

    def end(self, name: str) -> None:
        t = self._state()
        if t is not None:
            if self.cell_depth >= 0 and self.depth == self.cell_depth:
                if t["cell_used"]:
                    t["row_last"] = t["col"] + t["cell_repeat"]
                    self._check(t, t["last_row"], max(t["last_col"], t["row_last"]))
                t["col"] += t["cell_repeat"]
                self.cell_depth = -1
            elif self.cell_depth < 0:
                local = _local(name)
                if local == "table-row":
                    if t["row_last"]:
                        t["last_row"] = t["row"] + t["repeat"]
                        t["last_col"] = max(t["last_col"], t["row_last"])
                        self._check(t, t["last_row"], t["last_col"])
                    t["row"] += t["repeat"]
                elif local == "table":
                    self.total += t["last_row"] * t["last_col"]
                    self.tables.pop()
                    if self.total > self.caps[2]:
                        raise SpreadsheetError(
                            f"The sheets of {self.name} together span {self.total:,} cells; Cutline reads up to "
                            f"{self.caps[2]:,} (an OpenDocument file is read all at once).",
                            hint="Keep only the sheet with your initiatives and save it as a new file.")
        self.depth -= 1

    def _check(self, t: dict, rows: int, cols: int) -> None:
        err = extent_error(self.name, t["name"], rows, cols, 0, self.limits)
        if err is not None:
            raise err


# -- the parts of a package ----------------------------------------------------------------------
def _is_xml_name(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _handler_for(name: str, archive: str, limits: Limits) -> _Handler | None:
    base = posixpath.basename(name).lower()
    if base == "sharedstrings.xml":
        return SharedStringsHandler(limits)
    if name == "content.xml":
        return OdsContentHandler(archive, limits)
    return None


def verify_package(
    path: Path,
    limits: Limits,
    keep: Callable[[str], bool] = lambda name: False,
    later: Callable[[str], bool] = lambda name: False,
) -> dict[str, bytes]:
    """Check a zip workbook's parts by inflating them under the caps; return the kept ones.

    Every XML part is parsed as it is inflated (see the module's notes). Nothing is kept in memory
    but what `keep` asks for. Parts for which `later` is true (worksheets) are only size-checked
    from the directory here: `scan_worksheet` checks one fully when it is the sheet being read.
    """
    zf = open_zip(path)
    with zf, open(path, "rb") as fh:
        check_zip_directory(zf, path.name, limits)
        budget = [limits.max_uncompressed_bytes]
        kept: dict[str, bytes] = {}
        for info in zf.infolist():
            if info.is_dir() or later(info.filename):
                continue
            wanted = keep(info.filename)
            parts: list[bytes] = []
            stream: XmlStream | None = None
            first = True
            for chunk in inflate_member(fh, info, path.name, limits, budget):
                if first:
                    first = False
                    if _is_xml_name(info.filename) or chunk.lstrip()[:1] == b"<" or chunk[:2] in (b"\xff\xfe", b"\xfe\xff"):
                        stream = XmlStream(info.filename, path.name, limits,
                                           _handler_for(info.filename, path.name, limits))
                if stream is not None:
                    stream.feed(chunk)
                if wanted:
                    parts.append(chunk)
            if stream is not None:
                stream.close()
            if wanted:
                kept[info.filename] = b"".join(parts)
        return kept


def _chunks(path: Path, member: str, limits: Limits) -> Iterable[bytes]:
    zf = open_zip(path)
    with zf, open(path, "rb") as fh:
        try:
            info = zf.getinfo(member)
        except KeyError as exc:
            raise corrupt_error(path.name, f"part {member} is missing") from exc
        yield from inflate_member(fh, info, path.name, limits, [limits.max_uncompressed_bytes])


def _declared_size(path: Path, member: str) -> int:
    with open_zip(path) as zf:
        try:
            return zf.getinfo(member).file_size
        except KeyError:
            return 0


def scan_worksheet(path: Path, member: str, sheet: str, limits: Limits) -> tuple[Extent, bytes | None]:
    """Check one worksheet part before the reader loads it; (its extent, its bytes when small).

    Refuses the sheet the moment a cap is crossed. The bytes are returned for a part up to
    256 MiB so that the formula scan need not inflate it again."""
    keep = _declared_size(path, member) <= _KEEP_BYTES
    if not keep:  # large: measured by callbacks in the one pass, nothing kept
        handler = SheetHandler(path.name, sheet, limits)
        stream = XmlStream(member, path.name, limits, handler)
        for chunk in _chunks(path, member, limits):
            stream.feed(chunk)
        stream.close()
        return handler.extent, None
    stream = XmlStream(member, path.name, limits)
    parts = []
    for chunk in _chunks(path, member, limits):
        stream.feed(chunk)
        parts.append(chunk)
    stream.close()
    data = b"".join(parts)
    del parts
    extent = _ordinary_extent(data, path.name, sheet, limits)
    if extent is None:
        handler = SheetHandler(path.name, sheet, limits)
        stream = XmlStream(member, path.name, limits, handler)
        for start in range(0, len(data), _FEED):
            stream.feed(data[start: start + _FEED])
        stream.close()
        extent = handler.extent
    return extent, data


def _utf8(data: bytes) -> bool:
    """True when expat reads these bytes as UTF-8 (a UTF-8 mark, or no other encoding declared)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4].count(0):
        return False
    m = _XML_DECL.match(data[:512])
    return m is None or m.group(1).lower() in (b"utf-8", b"utf8", b"us-ascii", b"ascii")


def _ordinary_extent(data: bytes, name: str, sheet: str, limits: Limits) -> Extent | None:
    """The extent of a well-formed UTF-8 sheet whose every cell tag starts `<c r="A1"`, measured
    slice by slice with numpy (models/importing/cell_refs.py); None for any other sheet.

    Every place a cell element could start is looked for (`<c` then a blank, `/` or `>`, with or
    without a prefix). Every cell counts, style-only ones too, unless that puts the sheet past a
    cap: then only the cells that are not self-closing count (a formula-only cell too: more,
    never fewer than the reader keeps)."""
    if not _utf8(data):
        return None
    slices = []
    lo = 0
    while lo < len(data):
        hi = data.find(b"<", lo + _SLICE) if lo + _SLICE < len(data) else -1
        hi = len(data) if hi < 0 else hi
        measured = measure_slice(data, lo, hi)
        if measured is None:  # not ordinary: measured by callbacks instead
            return None
        slices.append((lo, hi, measured))
        lo = hi
    last_row = last_col = cells = 0
    for lo, hi, (count, row, col) in slices:
        if not count:
            continue
        if extent_error(name, sheet, max(row, last_row), max(col, last_col), cells + count, limits) is not None:
            used = [(c, r) for c, r, end in _TAGS.findall(data, lo, hi) if not end]
            count = len(used)
            row = max((int(r) for _, r in used), default=0)
            col = max((_column_number(c) for c in {c for c, _ in used}), default=0)
            del used
        last_row, last_col, cells = max(row, last_row), max(col, last_col), cells + count
        err = extent_error(name, sheet, last_row, last_col, cells, limits)
        if err is not None:
            raise err
    return Extent(last_row, last_col, cells)


def _column_number(letters: bytes) -> int:
    col = 0
    for ch in letters.upper():
        col = col * 26 + ch - 64
    return col


def scan_all_sheets(path: Path, sheet: str, limits: Limits) -> None:
    """When the sheet's part cannot be told, check every XML part as a worksheet."""
    with open_zip(path) as zf:
        names = [i.filename for i in zf.infolist() if not i.is_dir() and i.filename.lower().endswith(".xml")]
    for member in names:
        handler = SheetHandler(path.name, sheet, limits)
        stream = XmlStream(member, path.name, limits, handler)
        for chunk in _chunks(path, member, limits):
            stream.feed(chunk)
        stream.close()



def read_member(path: Path, member: str, limits: Limits) -> bytes:
    """One part inflated under the caps, after `scan_worksheet` has checked it."""
    return b"".join(_chunks(path, member, limits))
