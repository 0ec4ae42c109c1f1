"""A workbook assembled in memory: openpyxl for styles, layout and charts, rows as XML."""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

import numpy as np
from cutline.models.export.sheet_xml import Column, Formula, Styles, table_rows, value_xml
from cutline.models.export.styles import BODY, DATE, DATETIME, Look, StyleBook
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

Progress = Callable[[int, int], None]

_SHEET_DATA = re.compile(r"<sheetData\s*/>|<sheetData>(.*?)</sheetData>", re.S)
_DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')
#: A generous estimate of a cell's XML size, and the size past which a sheet needs Zip64.
_BYTES_PER_CELL = 120
_ZIP64_FROM = 1_500_000_000


class Sheet:
    """One worksheet: openpyxl holds its layout (widths, panes, filter, chart), and its
    rows are kept as XML pieces, small rows written at once and tables streamed later."""

    def __init__(self, book: Book, ws: Worksheet):
        self.book = book
        self.ws = ws
        self.next_row = 1
        self.max_column = 1
        self._parts: list[str | tuple[int, Sequence[Column], int, int, Sequence[str] | None]] = []

    @property
    def title(self) -> str:
        return self.ws.title

    def row(
        self,
        values: Sequence[object],
        looks: Look | Sequence[Look | None] = BODY,
        *,
        height: float | None = None,
        first_column: int = 1,
    ) -> int:
        """Write one row of values (None leaves a cell blank) and return its row number."""
        r = self.next_row
        if isinstance(looks, Look):
            looks = [looks] * len(values)
        cells = []
        for j, (value, look) in enumerate(zip(values, looks)):
            if value is None and look is None:
                continue
            look = look or BODY
            if _is_number(value) and look.align is None:
                look = replace(look, align="right", indent=1)  # keep numbers off the next column's text
            style = self.book.styles.id(look)
            ref = f"{get_column_letter(first_column + j)}{r}"
            cells.append(value_xml(ref, value, style, self.book.xml_styles))
        attrs = f' ht="{height}" customHeight="1"' if height else ""
        self._parts.append(f'<row r="{r}"{attrs}>{"".join(cells)}</row>')
        self.max_column = max(self.max_column, first_column + len(values) - 1)
        self.next_row += 1
        return r

    def paragraph(self, text: str, look: Look = BODY, *, columns: int, width: float) -> int:
        """A long text wrapped across the first `columns` columns (about `width` characters
        wide), its row tall enough to show it whole."""
        wrapped = replace(look, wrap=True)
        lines = sum(max(1, math.ceil(len(part) / max(width * 0.95, 1))) for part in text.split("\n"))
        r = self.row([text], wrapped, height=round(lines * look.size * 1.4 + 3, 1))
        if columns > 1:
            self.ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=columns)
        return r

    def print_wide(self, *, columns: int | None = None, header_row: int | None = None,
                   landscape: bool = True) -> None:
        """Print one page wide (landscape unless told), over `columns` columns (all written
        when None), the header row, if any, repeated on every page."""
        from cutline.models.export.printing import set_up_page

        set_up_page(self.ws, last_column=columns or self.max_column, last_row=self.next_row - 1,
                    header_rows=(header_row, header_row) if header_row else None, landscape=landscape)

    def skip(self, rows: int = 1) -> None:
        """Leave blank rows."""
        self.next_row += rows

    def table(self, columns: Sequence[Column], n: int, *, first_column: int = 1,
              heights: np.ndarray | None = None) -> int:
        """Add n rows of columnar data below what is written; returns the first row number.
        `heights` (points, NaN for the default) sets rows that hold wrapped text."""
        first = self.next_row
        columns = [self._spaced(c) if c.kind in ("number", "formula") else c for c in columns]
        attrs = None
        if heights is not None and len(heights):
            h = np.asarray(heights, dtype=np.float64)
            attrs = np.where(np.isfinite(h), np.char.add(np.char.add(' ht="', np.round(np.nan_to_num(h), 1).astype(str)),
                                                        '" customHeight="1"'), "").tolist()
        self._parts.append((first, columns, n, first_column, attrs))
        self.next_row += n
        self.max_column = max(self.max_column, first_column + len(columns) - 1)
        return first

    def _spaced(self, column: Column) -> Column:
        """A number column whose cells keep a little space from the next column's text."""
        styles = self.book.styles

        def spaced(style: int) -> int:
            look = styles.look(style)
            return style if look.align is not None else styles.id(replace(look, align="right", indent=1))

        if isinstance(column.style, (int, np.integer)):
            return replace(column, style=spaced(int(column.style)))
        unique, inverse = np.unique(np.asarray(column.style, dtype=np.int64), return_inverse=True)
        mapped = np.array([spaced(int(u)) for u in unique.tolist()], dtype=np.int64)
        return replace(column, style=mapped[inverse.reshape(-1)])

    @property
    def table_rows(self) -> int:
        return sum(p[2] for p in self._parts if isinstance(p, tuple))

    def rows_xml(self, done: Callable[[int], None]) -> Iterator[str]:
        """Every row of the sheet as XML, in order, calling `done(rows)` as tables stream."""
        for part in self._parts:
            if isinstance(part, str):
                yield part
                continue
            first, columns, n, first_column, attrs = part
            for text, count in table_rows(first, columns, n, self.book.xml_styles, first_column=first_column,
                                          row_attrs=attrs):
                yield text
                done(count)

    @property
    def dimension(self) -> str:
        last = max(self.next_row - 1, 1)
        return f"A1:{get_column_letter(self.max_column)}{last}"


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating, Formula)) and not isinstance(value, bool)


class Book:
    """A workbook being built; `to_bytes` assembles the xlsx file in memory."""

    def __init__(self, *, clean: Callable[[str], str] | None = None) -> None:
        self.workbook = Workbook()
        self.workbook.remove(self.workbook.active)
        self.workbook.properties.creator = "Cutline"
        self.styles = StyleBook(self.workbook)
        self.xml_styles = Styles(quoted=self._quoted, dated=self._dated, clean=clean)
        self.sheets: list[Sheet] = []
        self._quoted_ids: dict[int, int] = {}

    def sheet(self, title: str) -> Sheet:
        sheet = Sheet(self, self.workbook.create_sheet(title))
        self.sheets.append(sheet)
        return sheet

    def _quoted(self, style: int) -> int:
        found = self._quoted_ids.get(style)
        if found is None:
            found = self._quoted_ids[style] = self.styles.variant(style, quote=True)
        return found

    def _dated(self, style: int, timed: bool) -> int:
        return self.styles.variant(style, fmt=DATETIME if timed else DATE)

    def to_bytes(self, progress: Progress | None = None) -> bytes:
        """The xlsx file: openpyxl's package with every sheet's rows put in place."""
        skeleton = io.BytesIO()
        self._register_lazy_styles()
        self.workbook.save(skeleton)
        by_path = {s.ws.path.lstrip("/"): s for s in self.sheets}
        total = sum(s.table_rows for s in self.sheets)
        written = 0

        def done(rows: int) -> None:
            nonlocal written
            written += rows
            if progress is not None:
                progress(written, total)

        out = io.BytesIO()
        with zipfile.ZipFile(skeleton) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                sheet = by_path.get(info.filename)
                if sheet is None:
                    dst.writestr(info.filename, data)
                    continue
                self._write_sheet(dst, info.filename, data.decode("utf-8"), sheet, done)
        if progress is not None and total == 0:
            progress(0, 0)
        return out.getvalue()

    def _register_lazy_styles(self) -> None:
        """Register, before the style table is written, every style a table may ask for."""
        for sheet in self.sheets:
            for part in sheet._parts:
                if isinstance(part, tuple):
                    for column in part[1]:
                        styles = [column.style] if isinstance(column.style, int) else set(column.style.tolist())
                        for style in styles:
                            if column.kind in ("text", "value"):
                                self._quoted(int(style))
                            if column.kind == "value":
                                self._dated(int(style), True)
                                self._dated(int(style), False)

    def _write_sheet(self, dst: zipfile.ZipFile, name: str, xml: str, sheet: Sheet, done) -> None:
        match = _SHEET_DATA.search(xml)
        if match is None:  # openpyxl always writes sheetData; fail loudly if that changes
            raise RuntimeError(f"{name} has no sheetData")
        head = _DIMENSION.sub(f'<dimension ref="{sheet.dimension}"/>', xml[: match.start()], count=1)
        tail = xml[match.end():]
        # Zip64 only when a sheet could pass 2 GiB: some Excel versions warn about it.
        big = sheet.table_rows * max(sheet.max_column, 1) * _BYTES_PER_CELL > _ZIP64_FROM
        with dst.open(name, "w", force_zip64=big) as stream:
            stream.write(head.encode("utf-8"))
            stream.write(b"<sheetData>")
            for piece in sheet.rows_xml(done):
                stream.write(piece.encode("utf-8"))
            stream.write(b"</sheetData>")
            stream.write(tail.encode("utf-8"))
