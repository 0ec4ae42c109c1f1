"""Page set-up shared by every sheet: one page wide, the header repeated, type that stays readable.

Excel and LibreOffice shrink a sheet to fit its width; `fit_scale` estimates how much, so a
test (and a writer choosing widths) can check that type stays at 9 pt or more on paper.
"""

from __future__ import annotations

import math

import numpy as np
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

#: US Letter landscape, the narrower of Letter and A4, so a sheet that fits it fits both.
PAGE_WIDTH_IN, PAGE_HEIGHT_IN = 11.0, 8.5
MARGIN_IN = 0.4
#: The width units a column is set in, as points on paper at 100% (Calibri 11: 7 px a unit, 5 px padding).
_PX_PER_UNIT, _PX_PADDING, _PT_PER_PX = 7.0, 5.0, 0.75
#: The least a sheet may be shrunk to fit its width: 10 pt type prints at 9 pt.
READABLE_SCALE = 0.9
#: Points of line height per point of font size, the padding of a row, and Excel's tallest row.
LINE_HEIGHT, ROW_PADDING, MAX_ROW_HEIGHT = 1.32, 3.0, 409.0


def set_up_page(
    ws: Worksheet,
    *,
    last_column: int,
    last_row: int,
    header_rows: tuple[int, int] | None = None,
    landscape: bool = True,
    fit_height: int = 0,
) -> None:
    """Landscape (or portrait), the print area A1 to the last cell, one page wide (and
    `fit_height` pages tall, 0 for as many as needed), the header rows on every page."""
    setup = ws.page_setup
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = fit_height
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=MARGIN_IN, right=MARGIN_IN, top=0.5, bottom=0.5, header=0.25, footer=0.25)
    ws.print_options.horizontalCentered = True
    ws.print_area = f"A1:{get_column_letter(max(last_column, 1))}{max(last_row, 1)}"
    if header_rows is not None:
        ws.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"
    ws.oddFooter.center.text = "&A · page &P of &N"
    ws.oddFooter.center.size = 9


def printed_width_pt(widths) -> float:
    """The width on paper, at 100%, of columns of these widths (Excel's units)."""
    return float(sum(w * _PX_PER_UNIT + _PX_PADDING for w in widths) * _PT_PER_PX)


def page_width_pt(landscape: bool = True) -> float:
    """The printable width of a page, in points."""
    return ((PAGE_WIDTH_IN if landscape else PAGE_HEIGHT_IN) - 2 * MARGIN_IN) * 72


def fit_scale(ws: Worksheet, *, landscape: bool | None = None) -> float:
    """How much printing one page wide shrinks the sheet: 1.0 when it fits as it is."""
    if landscape is None:
        landscape = ws.page_setup.orientation == "landscape"
    printable = page_width_pt(landscape)
    widths = [ws.column_dimensions[get_column_letter(j)].width or 8.43
              for j in range(1, _print_last_column(ws) + 1)
              if not ws.column_dimensions[get_column_letter(j)].hidden]
    return min(1.0, printable / max(printed_width_pt(widths), 1.0))


def _print_last_column(ws: Worksheet) -> int:
    from openpyxl.utils.cell import range_boundaries

    area = ws.print_area
    if not area:
        return ws.max_column
    ref = area[0] if isinstance(area, (list, tuple)) else str(area).split(",")[0]
    return range_boundaries(ref.split("!")[-1].replace("$", ""))[2]


def chars_per_line(width: float, size: float = 10) -> float:
    """About how many characters of `size`-point text a column of `width` units holds on a line."""
    return max((width - 1.0) * 12.5 / size, 1.0)


def wrapped_lines(texts, width: float, size: float = 10) -> np.ndarray:
    """(n,) int: the lines each text takes wrapped in a column of `width` (a generous estimate:
    words do not break, so a line holds a little less than its width). Non-text counts one line."""
    per_line = chars_per_line(width, size) * 0.95
    texts = [t if isinstance(t, str) else "" for t in texts]
    lengths = np.fromiter(map(len, texts), dtype=np.float64, count=len(texts))
    out = np.maximum(np.ceil(lengths / per_line), 1).astype(np.int64)
    for i, text in enumerate(texts):
        if "\n" in text:  # few texts hold line breaks: count each part
            out[i] = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    return out


def row_height(lines: int, size: float = 10) -> float:
    """The height in points of a row showing `lines` lines of `size`-point text."""
    return min(round(lines * size * LINE_HEIGHT + ROW_PADDING, 1), MAX_ROW_HEIGHT)


def fitted_height(values, looks, widths) -> float | None:
    """The height of a row whose wrapped cells show whole (LibreOffice does not grow a row on
    opening, so wrapped text would run into the next row); None when nothing wraps onto a second line.
    `looks` are cutline.models.export.styles.Look (or None); bold type counts a tenth wider."""
    lines = 1
    for value, look, width in zip(values, looks, widths):
        if look is not None and look.wrap and isinstance(value, str):
            room = width / 1.1 if look.bold else width
            lines = max(lines, int(wrapped_lines([value], room, look.size)[0]))
    return row_height(lines) if lines > 1 else None
