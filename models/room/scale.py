"""What a participant's phone offers for each criterion of a round: its range, its step, its words."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from cutline.models.portfolio.portfolio import RATING_FIELDS


@dataclass(frozen=True)
class Scale:
    """The values a criterion takes in a round, as the join page shows them.

    `high` is None for a quantity with no upper bound (reach, impact, effort); `words` are the
    model's value map for the criterion's column, if it has one ("Low" = 2, ...).
    """

    criterion: str
    low: float
    high: float | None
    step: float
    hint: str
    words: tuple[tuple[str, float], ...] = ()

    def to_dict(self) -> dict:
        return {"criterion": self.criterion, "low": self.low, "high": self.high, "step": self.step,
                "hint": self.hint, "words": [[w, n] for w, n in self.words]}


def scale_for(criterion: str, words: Mapping[str, float] | None = None) -> Scale:
    """The scale of `criterion` (the ranges of docs/workshop-mode.md), with its words in range."""
    if criterion in RATING_FIELDS:
        low, high, step, hint = 0.0, 10.0, 1.0, "0 to 10"
    elif criterion == "confidence":
        low, high, step, hint = 0.0, 1.0, 0.1, "a share from 0% to 100%"
    else:
        low, high, step, hint = 0.0, None, 1.0, "any number from 0 up"
    kept = []
    for word, number in (words or {}).items():
        number = float(number)
        if math.isfinite(number) and number >= low and (high is None or number <= high):
            kept.append((str(word), number))
    return Scale(criterion, low, high, step, hint, tuple(sorted(kept, key=lambda wn: wn[1])))
