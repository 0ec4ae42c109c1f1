"""The workbook's look: colours, number formats and the cell styles built from them."""

from __future__ import annotations

from dataclasses import dataclass, replace

from cutline.models.colours import KNOWN_CATEGORIES, text_on
from cutline.models.colours import category_colours as shared_category_colours
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

#: Known categories first in this order (models/colours.py gives every category its colour).
CATEGORY_ORDER: tuple[str, ...] = tuple(KNOWN_CATEGORIES)

#: Number formats by what the number is.
SCORE = "0.0"
POINTS = "0.0"
WHOLE = "0"
EFFORT = '0.0 "pw"'
PERSON_WEEKS = '#,##0.0 "pw"'
PERCENT = "0%"
PERCENT_POINT = '0"%"'  # a percentage already on a 0-100 scale
SHARE = "0.0%"
REACH = "#,##0"
RATIO = "0.000"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
GENERAL = "General"

INK = "1F2933"
HEADER_FILL = "2F4858"
TIER1_FILL = "DCE9F5"
INPUT_FILL = "FFF4CC"
GREY = "7F7F7F"
RULE = "BFBFBF"


def category_colours(names) -> dict[str, str]:
    """{category: 'RRGGBB'} for the categories of one workbook: the same colours as the window's
    (docs/colour.md), each category its own, grey for none."""
    return {name: colour.lstrip("#") for name, colour in shared_category_colours(names).items()}


def text_for(fill: str) -> str:
    """Black-ish ink or white, whichever reads better on `fill` ('RRGGBB')."""
    return "FFFFFF" if text_on(fill) == "#FFFFFF" else INK


@dataclass(frozen=True)
class Look:
    """How one cell looks, in the workbook's own terms; turned into a style id by StyleBook."""

    fmt: str = GENERAL
    bold: bool = False
    italic: bool = False
    colour: str = INK
    size: float = 10
    fill: str | None = None
    wrap: bool = False
    align: str | None = None
    indent: int = 0  # with align "left" or "right": space between the text and the cell's edge
    rule_below: str | None = None  # "thin", "medium" or "thick"
    quote: bool = False  # Excel's "quote prefix": the cell stays text when edited
    top: bool = False  # aligned to the top, beside cells that wrap onto several lines


#: Looks that several sheets use.
TITLE = Look(bold=True, size=14)
NOTE = Look(colour=GREY, italic=True)
HEADER = Look(bold=True, colour="FFFFFF", fill=HEADER_FILL, wrap=True, align="center")
SECTION = Look(bold=True, size=11)
BODY = Look()


class StyleBook:
    """Registers looks in a workbook's style table and hands back their style ids."""

    def __init__(self, workbook: Workbook):
        # A detached worksheet: cells made on it register their styles in the workbook
        # without adding anything to any sheet.
        self._sheet = Worksheet(workbook, title="styles")
        self._ids: dict[Look, int] = {}
        self._looks: dict[int, Look] = {}

    def id(self, look: Look) -> int:
        """The style id of a look, registering it the first time."""
        ident = self._ids.get(look)
        if ident is None:
            ident = self._ids[look] = self._register(look)
            self._looks[ident] = look
        return ident

    def look(self, style: int) -> Look:
        """The look registered under a style id."""
        return self._looks[style]

    def variant(self, style: int, **changes) -> int:
        """The id of a registered look with some of its fields changed."""
        return self.id(replace(self._looks[style], **changes))

    def _register(self, look: Look) -> int:
        cell = Cell(self._sheet)
        cell.font = Font(
            name="Calibri", size=look.size, bold=look.bold, italic=look.italic, color=look.colour
        )
        if look.fill:
            cell.fill = PatternFill("solid", start_color=look.fill, end_color=look.fill)
        if look.rule_below:
            colour = "000000" if look.rule_below == "thick" else RULE
            cell.border = Border(bottom=Side(style=look.rule_below, color=colour))
        if look.wrap or look.align or look.top:
            cell.alignment = Alignment(
                wrap_text=look.wrap or None,
                horizontal=look.align,
                vertical="top" if look.wrap or look.top else None,
                indent=look.indent,
            )
        cell.number_format = look.fmt
        if look.quote:
            cell.quotePrefix = True
        return cell.style_id
