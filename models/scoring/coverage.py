"""How well a model fits a portfolio: which criteria have data, and which template fits best.

Cheap enough for an import dialog on 10,000 rows: one `Scorer` per portfolio reads each
column and derived value once (vectorised) and is shared by every model asked about.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from cutline.models.errors import ModelError
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scoring.model import Criterion, ScoringModel
from cutline.models.scoring.score import BUSINESS_VALUE, RISK_REDUCTION, TIME_CRITICALITY, Scorer
from cutline.models.scoring.templates import DEFAULT_TEMPLATE, TEMPLATES, shipped_template, template
from cutline.models.words.sources import reads_words


@dataclass(frozen=True)
class CriterionCoverage:
    """One criterion of a model against one portfolio."""

    name: str
    #: Where its values come from, in words: "column 'Priority' through a value map".
    source: str
    #: How many initiatives have a value (not blank) for it.
    valued: int
    #: How many initiatives the portfolio has.
    total: int
    #: No initiative has a value (also when its column is missing or cannot be read).
    blank_for_all: bool
    #: The criterion's weight in the model.
    weight: float
    #: The values are not all the same, so the criterion can tell initiatives apart.
    varies: bool
    #: Why the criterion cannot be read on this portfolio ("" when it can).
    problem: str = ""


def _ordered(names: Iterable[str], text: str) -> list[str]:
    return sorted(names, key=lambda name: (text.find(name), name))


def _cost_of_delay_parts(name: str, scorer: Scorer, maps) -> list[str]:
    """A formula's name as the columns it reads: `cost_of_delay` is the three it adds."""
    if scorer.resolve(name) != "cost_of_delay":
        return [name]
    criticality = "the due quarter" if scorer.time_criticality_from_due(maps) else TIME_CRITICALITY
    return [BUSINESS_VALUE, criticality, RISK_REDUCTION]


def describe_source(c: Criterion, model: ScoringModel, scorer: Scorer) -> str:
    """A criterion's source in words, for a dialog or the explain view."""
    derived = reads_words(c.source)
    if derived is not None:
        return derived
    if c.source == "formula":
        try:
            names = _ordered(scorer.parsed_columns(c), c.formula or "")
        except ModelError:
            return f"formula {c.formula!r}"
        maps = scorer.maps_for(c, model.value_maps)
        names = [part for name in names for part in _cost_of_delay_parts(name, scorer, maps)]
        mapped = [
            name for name in names
            if (resolved := scorer.resolve(name)) is not None
            and any(column == resolved for column, _ in scorer.maps_for(c, model.value_maps))
        ]
        words = f"formula over {', '.join(names)}" if names else "formula of numbers only"
        if mapped:
            words += f" ({', '.join(mapped)} through a value map)"
        return words
    resolved = scorer.resolve(c.source)
    words = f"column {resolved or c.source!r}"
    if resolved is not None and scorer.maps_for(c, model.value_maps):
        words += " through a value map"
    return words


def criterion_coverage(
    model: ScoringModel, portfolio: Portfolio, scorer: Scorer | None = None
) -> list[CriterionCoverage]:
    """Each criterion of `model` on `portfolio`: its source in words and how many initiatives
    have a value. A criterion that cannot be read (a missing column, a text column without a
    value map, a formula naming a missing column) is blank for all, with the reason in
    `problem`; nothing raises. Pass a `scorer` of this portfolio to share its columns."""
    scorer = scorer if scorer is not None else Scorer(portfolio)
    n = scorer.n
    out = []
    for c in model.criteria:
        problem = ""
        try:
            raw = scorer.raw(c, model.value_maps)  # type: ignore[arg-type]
        except ModelError as error:
            raw, problem = None, error.message.split("\n", 1)[0]
        if raw is None:
            valued, varies = 0, False
        else:
            has = ~np.isnan(raw)
            valued = int(has.sum())
            varies = valued > 1 and bool(np.nanmax(raw) > np.nanmin(raw))
        out.append(CriterionCoverage(
            name=c.name,
            source=describe_source(c, model, scorer),
            valued=valued,
            total=n,
            blank_for_all=valued == 0,
            weight=float(c.weight),
            varies=varies,
            problem=problem,
        ))
    return out


def fits(model: ScoringModel, portfolio: Portfolio, scorer: Scorer | None = None) -> bool:
    """Whether every criterion with a weight above 0 has a value for at least one initiative
    (and the model has such a criterion)."""
    weighted = [c for c in criterion_coverage(model, portfolio, scorer) if c.weight > 0]
    return bool(weighted) and not any(c.blank_for_all for c in weighted)


def can_score(model: ScoringModel, portfolio: Portfolio, scorer: Scorer | None = None) -> bool:
    """Whether every criterion of `model` can be read on `portfolio` (no missing column)."""
    return not any(c.problem for c in criterion_coverage(model, portfolio, scorer))


def covered_share(model: ScoringModel, portfolio: Portfolio, scorer: Scorer | None = None) -> float:
    """The share (0..1) of the model's weight that has data: each criterion counts its weight
    times the share of initiatives that have a value, and only when its values vary (a
    criterion equal for everyone, such as teams unblocked with no dependencies, cannot order
    anything). 0 for an empty portfolio or a model whose weights are all 0."""
    coverage = criterion_coverage(model, portfolio, scorer)
    total = sum(c.weight for c in coverage)
    if total <= 0 or len(portfolio) == 0:
        return 0.0
    covered = sum(c.weight * c.valued / c.total for c in coverage if c.varies)
    return covered / total


def best_template(portfolio: Portfolio, scorer: Scorer | None = None) -> str:
    """The key of the shipped template whose weight is best covered by the portfolio's data
    (`covered_share`); a tie goes to the platform default, else to the earlier template. A
    template that cannot score this portfolio (a criterion names a column it does not have) is
    never proposed."""
    scorer = scorer if scorer is not None else Scorer(portfolio)
    shares = {t.key: covered_share(shipped_template(t.key), portfolio, scorer) for t in TEMPLATES
              if can_score(shipped_template(t.key), portfolio, scorer)}
    if not shares:
        return DEFAULT_TEMPLATE
    best = max(shares.values())
    tied = [key for key, share in shares.items() if share >= best - 1e-9]
    return DEFAULT_TEMPLATE if DEFAULT_TEMPLATE in tied else tied[0]


def coverage_problem(
    model: ScoringModel, portfolio: Portfolio, scorer: Scorer | None = None
) -> tuple[str, str | None] | None:
    """(a sentence naming the criteria with no data, the key of a shipped template that fits
    better or None), or None when every criterion has data."""
    scorer = scorer if scorer is not None else Scorer(portfolio)
    coverage = criterion_coverage(model, portfolio, scorer)
    blank = [c.name for c in coverage if c.blank_for_all]
    if not blank or not len(portfolio):
        return None
    if len(blank) == len(coverage):
        text = "Every criterion of the model is blank for every initiative, so every score is 0."
    else:
        verb = "it scores" if len(blank) == 1 else "they score"
        text = f"{', '.join(blank)}: no data in this file, so {verb} 0 for everyone."
    best = best_template(portfolio, scorer)
    if covered_share(shipped_template(best), portfolio, scorer) <= covered_share(model, portfolio, scorer) + 1e-9:
        return text, None
    return f"{text} The template {template(best).title!r} fits this file better.", best
