"""The palettes as Qt colours, for the current theme: categories, criteria, tiers and funding.

The colours themselves live in models/colours.py (the export uses them too); this module picks
the light or dark variant and remembers the open portfolio's categories, so that every view
(table, charts, legends) gives a category the same colour. docs/colour.md has the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from cutline.models import colours
from cutline.models.colours import CategoryColours, category_key
from cutline.views.theme import current_theme
from PySide6.QtGui import QColor

#: Kept for callers that look up a known category directly; prefer `category_hex`, which
#: also knows the other categories and the dark theme.
CATEGORY_COLOURS: dict[str, str] = dict(colours.KNOWN_CATEGORIES)
OTHER_CATEGORY = colours.NO_CATEGORY
#: Extra colours for charts that need more series than categories (teams, scenarios).
SERIES = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
TIER_ONE = colours.TIERS[0]
FUNDED = "#009E73"
UNFUNDED = "#8C8C8C"
CUT_LINE = "#D55E00"
#: A late initiative's text and marks: always with the word "late" and the mark ⚠ beside it.
LATE = "#B34700"

_open_portfolio = CategoryColours()


@lru_cache(maxsize=8)
def _palette_of(names: frozenset[str]) -> CategoryColours:
    return CategoryColours(names)


def portfolio_categories(names: Iterable[object]) -> CategoryColours:
    """The colours of one portfolio's categories (pass its whole category column)."""
    return _palette_of(frozenset("" if n is None else str(n) for n in set(names)))


def use_categories(names: Iterable[object]) -> None:
    """Make these (the open portfolio's categories) the ones `category_colour` colours by
    default; the window calls it with each new evaluation, before any view draws."""
    global _open_portfolio
    _open_portfolio = portfolio_categories(names)


def _dark() -> bool:
    return current_theme().name == "dark"


def category_hex(category: object, among: CategoryColours | None = None, *, dark: bool | None = None) -> str:
    """A category's '#RRGGBB', among the open portfolio's categories unless `among` says which
    portfolio; in the current theme unless `dark` says (paper, say a handout, is never dark)."""
    return (among or _open_portfolio).colour(category, _dark() if dark is None else dark)


def category_colour(category: object, among: CategoryColours | None = None, *, dark: bool | None = None) -> QColor:
    """The colour of a category: its own for every category, grey for none."""
    return QColor(category_hex(category, among, dark=dark))


def criterion_hex(index: int) -> str:
    """The index-th criterion's colour: a pale tint no category uses."""
    return colours.criterion_colour(index)


def criterion_colour(index: int) -> QColor:
    return QColor(criterion_hex(index))


def tier_hex(tier: int) -> str:
    """The colour of a tier (1 first) in the current theme."""
    return colours.tier_colour(tier, _dark())


def series_colour(index: int) -> QColor:
    return QColor(SERIES[index % len(SERIES)])


def ordered_categories(categories) -> list[str]:
    """Known categories in palette order, then the others alphabetically, a blank one last."""
    present = {str(c) for c in categories}
    order = {key: i for i, key in enumerate(colours.KNOWN_CATEGORIES)}
    known = sorted((c for c in present if category_key(c) in order), key=lambda c: (order[category_key(c)], c))
    others = sorted(present - set(known), key=lambda c: (not category_key(c), category_key(c), c))
    return known + others
