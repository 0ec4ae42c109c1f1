"""Normalisations that turn a criterion's raw values into 0..1, blank giving 0 and "unrated"."""

from __future__ import annotations

import numpy as np


def scale(raw: np.ndarray, low: float, high: float) -> np.ndarray:
    """(x - low) / (high - low), clipped to 0..1; NaN stays NaN."""
    with np.errstate(invalid="ignore", over="ignore"):
        return np.clip((raw - low) / (high - low), 0.0, 1.0)


def minmax(raw: np.ndarray) -> np.ndarray:
    """(x - min) / (max - min) over the rows with a value; 0 for all when max == min."""
    valued = ~np.isnan(raw)
    out = np.full(raw.shape, np.nan)
    if not valued.any():
        return out
    values = raw[valued]
    low, high = values.min(), values.max()
    with np.errstate(over="ignore"):
        span = high - low
    if not np.isfinite(span):  # values beyond ±9e307 each side: the same fractions from halves
        values, low, span = values / 2, low / 2, high / 2 - low / 2
    out[valued] = (values - low) / span if span > 0 else 0.0
    return out


def percentile(raw: np.ndarray) -> np.ndarray:
    """(average rank among the rows with a value - 1) / (count - 1); 0 when only one has a value.

    Tied values share the average of the ranks they span, so equal inputs score equally.
    """
    valued = np.flatnonzero(~np.isnan(raw))
    out = np.full(raw.shape, np.nan)
    count = valued.size
    if count == 0:
        return out
    if count == 1:
        out[valued] = 0.0
        return out
    values = raw[valued]
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], count]  # exclusive
    average = (starts + 1 + ends) / 2.0  # mean of the 1-based ranks starts+1 .. ends
    ranks = np.empty(count)
    ranks[order] = np.repeat(average, ends - starts)
    out[valued] = (ranks - 1.0) / (count - 1.0)
    return out


def normalise(
    raw: np.ndarray,
    normalisation: str,
    direction: str,
    low: float | None = None,
    high: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Normalised values (0..1, cost flipped, blank -> 0) and the unrated mask."""
    unrated = np.isnan(raw)
    if normalisation == "scale":
        n = scale(raw, float(low), float(high))  # type: ignore[arg-type]
    elif normalisation == "minmax":
        n = minmax(raw)
    else:
        n = percentile(raw)
    if direction == "cost":
        n = 1.0 - n
    n[unrated] = 0.0  # no credit for being unrated, whatever the direction
    return n, unrated
