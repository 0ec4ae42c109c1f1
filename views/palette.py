"""One palette for categories, tiers and funding, used by the table, the charts and the export.

Okabe-Ito colours stay distinct for colour-blind viewers and on a washed-out projector; every
colour is paired with a label or a shape wherever it carries meaning.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

CATEGORY_COLOURS: dict[str, str] = {
    "reliability": "#0072B2",
    "security": "#D55E00",
    "unblocking": "#009E73",
    "developer-experience": "#56B4E9",
    "capability": "#E69F00",
    "tech-debt": "#CC79A7",
}
OTHER_CATEGORY = "#8C8C8C"
#: Extra colours for charts that need more series than categories (teams, scenarios).
SERIES = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
TIER_ONE = "#0072B2"
FUNDED = "#009E73"
UNFUNDED = "#8C8C8C"
CUT_LINE = "#D55E00"
#: A late initiative's text and marks: always with the word "late" and the mark ⚠ beside it.
LATE = "#B34700"


def category_colour(category: str) -> QColor:
    """The colour of a category; any category not in the palette is neutral grey."""
    return QColor(CATEGORY_COLOURS.get(str(category).strip().lower(), OTHER_CATEGORY))


def series_colour(index: int) -> QColor:
    return QColor(SERIES[index % len(SERIES)])


def ordered_categories(categories) -> list[str]:
    """Known categories in palette order, then the others alphabetically."""
    present = {str(c) for c in categories}
    known = [c for c in CATEGORY_COLOURS if c in present]
    return known + sorted(present - set(known))
