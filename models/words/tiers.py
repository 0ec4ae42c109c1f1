"""Why an initiative is in its tier, in words a PM can read out in a workshop."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from cutline.models.scoring.formula import Condition, parse_condition
from cutline.models.scoring.model import ScoringModel
from cutline.models.words.conditions import condition_in_words

if TYPE_CHECKING:
    from cutline.models.scoring.score import Scorer


def _value_text(value: object) -> str:
    if isinstance(value, str):
        return f"{value!r}" if value else "blank"
    number = float(value)  # type: ignore[arg-type]
    if math.isnan(number):
        return "blank"
    return f"{number:g}"


def _values(scorer: Scorer, condition: Condition, row: int) -> str:
    """The row's values of the columns a condition uses, in the order the condition names them."""
    names = sorted(condition.columns, key=lambda name: (condition.text.find(name), name))
    parts = []
    for name in names:
        resolved = scorer.resolve(name)
        if resolved is not None:
            parts.append(f"{name} is {_value_text(scorer.column(resolved)[row])}")
    return ", ".join(parts)


def _met(scorer: Scorer, condition: Condition, row: int) -> list[str]:
    """The alternatives of a condition that this row meets, each in words with its values."""
    reasons = []
    for part in condition.disjuncts():
        if part.evaluate(scorer.formula_columns(part), scorer.n)[row]:
            values = _values(scorer, part, row)
            words = condition_in_words(part.text)
            reasons.append(f"{words} ({values})" if values else words)
    return reasons


def explain(scorer: Scorer, model: ScoringModel, row: int) -> str:
    """A sentence or two: the tier, the alternatives met, or the tiers missed and why."""
    active = model.active_tiers()
    if not active:
        return "Tiers are off: every initiative is in one tier and ranks by score alone."
    number = int(scorer.tiers(model)[row])
    names = scorer.tier_names(model)
    missed = [
        f"tier {i + 1}, {t.name} ({_values(scorer, parse_condition(t.condition), row) or t.condition})"
        for i, t in enumerate(active[: number - 1])
    ]
    if number <= len(active):
        reasons = _met(scorer, parse_condition(active[number - 1].condition), row)
        # The alternatives of a condition are "or": one is enough, and the others met are said after.
        text = f"Tier {number}, {names[number - 1]}, because {reasons[0]}."
        if len(reasons) > 1:
            text += " It also meets: " + "; ".join(reasons[1:]) + "."
        if missed:
            text += " It does not meet " + "; ".join(missed) + "."
        return text
    return f"Tier {number}, {names[-1]}: it does not meet " + "; nor ".join(missed) + "."
