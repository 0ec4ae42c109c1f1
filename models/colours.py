"""The colours that carry meaning, as '#RRGGBB' text: categories, criteria and tiers, light and dark.

One palette per meaning, so a colour never means two things on one screen:

- **categories** are saturated marks: the six known ones keep the Okabe-Ito colours UX.md
  gives them; any other category takes one of six extra colours, chosen by a stable hash of its
  name (`category_key`); `(no category)` is a neutral grey no category uses.
- **criteria** (the explain bar) are pale tints from Paul Tol's "light" scheme, made for filled
  cells carrying dark text, and drawn with an outline; none is near a category colour.
- **tiers** (the value-effort chart) are shades of ink, always with a shape per tier.

Qt-free, so the export and the handout colour categories exactly as the charts do; the GUI
wraps these in views/palette.py. docs/colour.md has the rule and the colour-blindness checks.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache

#: The known categories, by their key, in the order legends list them.
KNOWN_CATEGORIES: dict[str, str] = {
    "reliability": "#0072B2",
    "security": "#D55E00",
    "unblocking": "#009E73",
    "developer-experience": "#56B4E9",
    "capability": "#E69F00",
    "tech-debt": "#CC79A7",
}
#: On the dark background: the Okabe-Ito blue has 2.9:1 contrast there, lifted to 3.3:1.
KNOWN_CATEGORIES_DARK: dict[str, str] = {**KNOWN_CATEGORIES, "reliability": "#207CBD"}
#: What a plan's marks mean, the same in the window, the handout and the workbook. Late and
#: moved-down marks always come with words or arrows beside them, never colour alone.
FUNDED = "#009E73"
UNFUNDED = "#8C8C8C"
CUT_LINE = "#D55E00"
LATE = "#B34700"
ROSE = "#007A55"     # moved up, newly funded
FELL = "#B34700"     # moved down, loses funding
PROBLEM = "#B34700"  # a value that cannot be used, a team over its capacity
#: Series with no meaning of their own (teams, scenarios), in the Okabe-Ito order.
SERIES = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
#: A category left blank.
NO_CATEGORY = "#8C8C8C"
NO_CATEGORY_NAME = "(no category)"
#: Colours for categories outside the known six, most distinct first (see docs/colour.md for
#: how they were chosen); the dark variants are lifted to at least 3.2:1 on the dark background.
EXTRA_CATEGORIES = ("#7B3D66", "#2E5C2D", "#648FFF", "#708E34", "#EE6677", "#785EF0")
EXTRA_CATEGORIES_DARK = ("#A3628C", "#538250", "#648FFF", "#708E34", "#EE6677", "#785EF0")
#: Criteria: Paul Tol's "light" scheme without its three colours near a category (#77AADD, #44BB99,
#: #AAAA00), then two pale tints picked to stay apart from them and from every category colour;
#: the same in both themes (pale fills with dark text read on either).
CRITERIA = ("#EE8866", "#99DDFF", "#EEDD88", "#FFAABB", "#BBCC33", "#DDDDDD", "#D3F8C4", "#D9B7D4")
#: The text on a criterion's segment, and its outline in the light theme.
CRITERION_TEXT = "#111111"
#: Tiers, 1 first: ink, then lighter shades (each tier also has its own marker shape).
TIERS = ("#1A1A1A", "#3E5A74", "#6F7F8F", "#A0ACB8", "#C4CCD4")
TIERS_DARK = ("#F2F2F2", "#A9C4DC", "#8FA0B0", "#6B7A88", "#56616C")

_SEPARATORS = re.compile(r"[\s_\-]+")


@lru_cache(maxsize=4096)
def _key_of_text(text: str) -> str:
    if text.strip() == NO_CATEGORY_NAME:
        return ""
    return _SEPARATORS.sub("-", text.strip().casefold()).strip("-")


def category_key(name: object) -> str:
    """A category's name as compared: case, spaces, hyphens and underscores don't matter
    ("Tech debt", "tech_debt" and "tech-debt" are one category); blank is ""."""
    return _key_of_text("" if name is None else str(name))


def preferred_slot(key: str) -> int:
    """The extra colour an unknown category asks for: a hash of its key that is the same in
    every run and on every machine (Python's own hash() of text changes per process)."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % len(EXTRA_CATEGORIES)


class CategoryColours:
    """Every category of one portfolio with its own colour.

    Known categories have fixed colours. The unknown ones, sorted by key, each take their
    preferred extra colour, or the next one free if a name sorted earlier already took it;
    only with more unknown categories than extra colours do two share one. A name outside
    the portfolio gets a colour no portfolio category has, where one is left.
    """

    def __init__(self, names: Iterable[object] = ()):
        keys = {category_key(n) for n in names}
        unknown = sorted(k for k in keys if k and k not in KNOWN_CATEGORIES)
        self._slots: dict[str, int] = {}
        for key in unknown:
            self._slots[key] = self._free_slot(key)

    def _free_slot(self, key: str) -> int:
        taken = set(self._slots.values())
        first, n = preferred_slot(key), len(EXTRA_CATEGORIES)
        return next(((first + i) % n for i in range(n) if (first + i) % n not in taken), first)

    @property
    def unknown(self) -> dict[str, int]:
        """Each unknown category's key and the extra colour it took."""
        return dict(self._slots)

    def colour(self, name: object, dark: bool = False) -> str:
        """The category's '#RRGGBB' colour in the light (or dark) theme."""
        key = category_key(name)
        if not key:
            return NO_CATEGORY
        if key in KNOWN_CATEGORIES:
            return (KNOWN_CATEGORIES_DARK if dark else KNOWN_CATEGORIES)[key]
        slot = self._slots.get(key)
        if slot is None:
            slot = self._free_slot(key)
        return (EXTRA_CATEGORIES_DARK if dark else EXTRA_CATEGORIES)[slot]


def category_colours(names: Iterable[object], dark: bool = False) -> dict[str, str]:
    """{name: '#RRGGBB'} for every distinct name in `names` (say, a portfolio's category column):
    the one call the export and the handout need."""
    unique = list(dict.fromkeys("" if n is None else str(n) for n in names))
    palette = CategoryColours(unique)
    return {name: palette.colour(name, dark) for name in unique}


def criterion_colour(index: int) -> str:
    """The colour of a scoring model's index-th criterion (the list repeats after eight)."""
    return CRITERIA[index % len(CRITERIA)]


def tier_colour(tier: int, dark: bool = False) -> str:
    """The colour of tier `tier` (1 first); tiers past the fifth share the fifth's."""
    shades = TIERS_DARK if dark else TIERS
    return shades[min(max(tier, 1), len(shades)) - 1]


def text_on(colour: str) -> str:
    """Black or white text, whichever reads better on a fill of `colour`."""
    h = colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "#FFFFFF"


def ordered_categories(categories) -> list[str]:
    """Known categories in palette order, then the others alphabetically, a blank one last."""
    present = {str(c) for c in categories}
    order = {key: i for i, key in enumerate(KNOWN_CATEGORIES)}
    known = sorted((c for c in present if category_key(c) in order), key=lambda c: (order[category_key(c)], c))
    others = sorted(present - set(known), key=lambda c: (not category_key(c), category_key(c), c))
    return known + others
