"""How far apart colours look, to people with and without a colour-vision deficiency.

Colour-blindness is simulated with the matrices of Machado, Oliveira and Fernandes (2009) at
full severity, applied to linear RGB; distances are CIEDE2000 ΔE in CIELAB (D65). The numbers in
docs/colour.md come from `python -m cutline.models.colour_vision`, and tests/models/test_colours.py
checks the palette against them.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np

#: Full-severity simulation matrices (Machado et al. 2009), on linear RGB.
CVD_MATRICES: dict[str, np.ndarray] = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
VISIONS = ("normal", *CVD_MATRICES)
_SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                         [0.2126729, 0.7151522, 0.0721750],
                         [0.0193339, 0.1191920, 0.9503041]])
_WHITE = np.array([0.95047, 1.0, 1.08883])


def linear_rgb(hex_colour: str) -> np.ndarray:
    """'#RRGGBB' as linear-light RGB in 0..1."""
    h = hex_colour.lstrip("#")
    srgb = np.array([int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def seen(hex_colour: str, vision: str = "normal") -> np.ndarray:
    """The colour's linear RGB as someone with `vision` sees it (clipped to the screen's gamut)."""
    rgb = linear_rgb(hex_colour)
    if vision != "normal":
        rgb = np.clip(CVD_MATRICES[vision] @ rgb, 0.0, 1.0)
    return rgb


def lab(rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of a linear RGB colour."""
    xyz = (_SRGB_TO_XYZ @ rgb) / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """CIEDE2000 colour difference (about 2 is just noticeable; 10 or more reads as another colour)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360
    h2p = math.degrees(math.atan2(b2, a2p)) % 360
    dlp, dcp = l2 - l1, c2p - c1p
    dhp = 0.0
    if c1p * c2p:
        dhp = h2p - h1p
        dhp -= 360 if dhp > 180 else 0
        dhp += 360 if dhp < -180 else 0
    dhp_big = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    lp_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    hp_bar = h1p + h2p
    if c1p * c2p:
        hp_bar = (h1p + h2p + 360) / 2 if abs(h1p - h2p) > 180 else (h1p + h2p) / 2
    t = (1 - 0.17 * math.cos(math.radians(hp_bar - 30)) + 0.24 * math.cos(math.radians(2 * hp_bar))
         + 0.32 * math.cos(math.radians(3 * hp_bar + 6)) - 0.20 * math.cos(math.radians(4 * hp_bar - 63)))
    d_theta = 30 * math.exp(-(((hp_bar - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_bar ** 7 / (cp_bar ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (lp_bar - 50) ** 2 / math.sqrt(20 + (lp_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dlp / s_l) ** 2 + (dcp / s_c) ** 2 + (dhp_big / s_h) ** 2
                     + r_t * (dcp / s_c) * (dhp_big / s_h))


def distance(colour1: str, colour2: str, vision: str = "normal") -> float:
    """ΔE2000 between two '#RRGGBB' colours as someone with `vision` sees them."""
    return delta_e(lab(seen(colour1, vision)), lab(seen(colour2, vision)))


def closest_pair(colours: dict[str, str], vision: str = "normal") -> tuple[float, str, str]:
    """(ΔE, name, name) of the two named colours that look most alike to `vision`."""
    pairs = ((distance(colours[a], colours[b], vision), a, b) for a, b in combinations(colours, 2))
    return min(pairs, default=(math.inf, "", ""))


def contrast_ratio(colour1: str, colour2: str) -> float:
    """WCAG contrast ratio of two colours (3 is the floor for shapes and large text)."""
    def luminance(c: str) -> float:
        return float(np.array([0.2126, 0.7152, 0.0722]) @ linear_rgb(c))
    hi, lo = sorted((luminance(colour1), luminance(colour2)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def palette_report() -> str:
    """The figures docs/colour.md quotes: closest pairs per vision, contrast on the backgrounds."""
    from cutline.models import colours as c

    lines = []
    for theme, known, extra in (("light", c.KNOWN_CATEGORIES, c.EXTRA_CATEGORIES),
                                ("dark", c.KNOWN_CATEGORIES_DARK, c.EXTRA_CATEGORIES_DARK)):
        every = {**known, c.NO_CATEGORY_NAME: c.NO_CATEGORY, **{f"extra {i + 1}": x for i, x in enumerate(extra)}}
        fixed = {k: every[k] for k in [*known, c.NO_CATEGORY_NAME]}
        for vision in VISIONS:
            d, a, b = closest_pair(every, vision)
            k, ka, kb = closest_pair(fixed, vision)
            lines.append(f"{theme:5} {vision:12} all categories {d:5.1f} ({a} / {b}); "
                         f"known + grey {k:5.1f} ({ka} / {kb})")
        background = "#FFFFFF" if theme == "light" else "#26282B"
        worst = min((contrast_ratio(x, background), name) for name, x in every.items())
        lines.append(f"{theme:5} lowest contrast on {background}: {worst[0]:.2f}:1 ({worst[1]})")
    cats = [*c.KNOWN_CATEGORIES.values(), *c.KNOWN_CATEGORIES_DARK.values(), c.NO_CATEGORY,
            *c.EXTRA_CATEGORIES, *c.EXTRA_CATEGORIES_DARK]
    for criterion in c.CRITERIA:
        near = min((distance(criterion, x), x) for x in cats)
        cvd = min(distance(criterion, x, v) for x in cats for v in VISIONS)
        lines.append(f"criterion {criterion}: nearest category {near[1]} at {near[0]:.1f} "
                     f"(normal vision), {cvd:.1f} under any simulated vision")
    for vision in VISIONS:
        d, a, b = closest_pair({x: x for x in c.CRITERIA}, vision)
        lines.append(f"criteria among themselves, {vision}: {d:.1f} ({a} / {b})")
    return "\n".join(lines)


if __name__ == "__main__":
    print(palette_report())
