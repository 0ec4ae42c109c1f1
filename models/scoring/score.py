"""Scoring: every initiative's criterion values, contributions, score, tier and rank in one pass.

A `Scorer` keeps everything that does not depend on the weights (the dependency graph, derived
values, each criterion's normalised column, each tier's mask), so moving a weight costs one
matrix product and one sort.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cached_property

import numpy as np
import pandas as pd

from cutline.models.errors import FormulaError, ModelError
from cutline.models.portfolio.dependencies import DependencyGraph, teams_unblocked
from cutline.models.portfolio.portfolio import NUMERIC_FIELDS, TEXT_FIELDS, Portfolio
from cutline.models.scoring.formula import Condition, Expression, parse_condition, parse_expression
from cutline.models.scoring.model import (
    DERIVED_SOURCES,
    DIRECTIONS,
    NORMALISATIONS,
    Criterion,
    ScoringModel,
    ValueMap,
    ValueMaps,
    checked_number,
    checked_weight,
)
from cutline.models.scoring.normalisation import normalise
from cutline.models.scoring.ranking import Ranking
from cutline.models.words.tiers import explain

#: Scores equal to this many decimals tie (and then keep the source order).
TIE_DECIMALS = 9
_TOP = 100 * 10**TIE_DECIMALS  # the highest score, in units of the tie tolerance
_SCORE_BITS = _TOP.bit_length()
REST_TIER = "Everything else"
NO_TIERS = "All initiatives"


def check_criterion(c: Criterion) -> None:
    """Raise ModelError if a criterion's settings cannot be scored, whatever the portfolio."""
    where = f"Criterion {c.name!r}"
    if not c.name or not str(c.name).strip():
        raise ModelError("A criterion has no name; give every criterion a name.")
    if not isinstance(c.weight, int | float) or isinstance(c.weight, bool):
        raise ModelError(f"{where}, key 'weight': the weight must be a number, not {c.weight!r}.")
    checked_weight(c.name, c.weight)
    if c.direction not in DIRECTIONS:
        raise ModelError(f"{where}, key 'direction': use 'benefit' or 'cost', not {c.direction!r}.")
    if c.normalisation not in NORMALISATIONS:
        raise ModelError(
            f"{where}, key 'normalisation': use 'scale', 'minmax' or 'rank', not {c.normalisation!r}."
        )
    for key in ("low", "high"):
        bound = getattr(c, key)
        if isinstance(bound, int | float) and not isinstance(bound, bool):
            checked_number(f"{where}, key {key!r}", bound)
    if c.normalisation == "scale":
        bounds = (c.low, c.high)
        if any(not isinstance(b, int | float) or isinstance(b, bool) or not math.isfinite(b) for b in bounds):
            raise ModelError(f"{where}, keys 'low' and 'high': a scale criterion needs both, as numbers.")
        if not c.low < c.high:  # type: ignore[operator]
            raise ModelError(
                f"{where}, keys 'low' and 'high': low ({c.low}) must be below high ({c.high})."
            )
    if not c.source or not str(c.source).strip():
        raise ModelError(f"{where}, key 'source': name a column, {_SOURCE_NAMES} or 'formula'.")
    if c.source == "formula":
        criterion_formula(c)


def criterion_formula(c: Criterion) -> Expression:
    """The parsed formula of a formula criterion; errors name the criterion."""
    if not c.formula or not c.formula.strip():
        raise ModelError(f"Criterion {c.name!r}, key 'formula': a formula criterion needs a formula.")
    try:
        return parse_expression(c.formula)
    except FormulaError as error:
        raise reworded(error, f"Criterion {c.name!r}, key 'formula': ") from None


def tier_condition(name: str, text: str) -> Condition:
    """The parsed condition of a tier; errors name the tier."""
    try:
        return parse_condition(text)
    except FormulaError as error:
        raise reworded(error, f"Tier {name!r}, key 'condition': ") from None


def reworded(error: FormulaError, prefix: str) -> FormulaError:
    """The same formula error, its message prefixed with where the formula lives."""
    first_line = error.message.split("\n", 1)[0]
    return FormulaError(prefix + first_line, text=error.text, position=error.position)


def check_model(model: ScoringModel) -> None:
    """Raise ModelError for anything in the model that cannot be scored on any portfolio."""
    seen: set[str] = set()
    for c in model.criteria:
        check_criterion(c)
        if c.name in seen:
            raise ModelError(f"Two criteria are called {c.name!r}; give each criterion its own name.")
        seen.add(c.name)
    for t in model.tiers:
        tier_condition(t.name, t.condition)


def rank_order(tier: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Rows best first: by tier, then score high to low, then source row order (stable)."""
    n = len(score)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    # Scores are 0..100, so a score rounded to TIE_DECIMALS is a whole number below 2**37.
    points = np.clip(np.rint(np.asarray(score, dtype=np.float64) * 10**TIE_DECIMALS), 0, _TOP)
    # Scores are finite (weights are bounded); should one not be, it ranks as 0, never as
    # whatever integer a NaN casts to.
    np.nan_to_num(points, copy=False, nan=0.0)
    row_bits = n.bit_length()
    tier = np.asarray(tier, dtype=np.int64)
    if tier.min() >= 0 and int(tier.max()).bit_length() + _SCORE_BITS + row_bits <= 63:
        # Tier, score and row packed in one int64 each: one plain sort of unique keys,
        # about three times faster than a lexsort of the three.
        key = (tier << (_SCORE_BITS + row_bits)) | ((_TOP - points.astype(np.int64)) << row_bits)
        key |= np.arange(n, dtype=np.int64)
        key.sort()
        return key & ((1 << row_bits) - 1)
    return np.lexsort((-points, tier)).astype(np.int64)


#: The value maps a criterion reads through: (resolved column, its map), sorted by column.
MapsKey = tuple[tuple[str, ValueMap], ...]


def _key(c: Criterion, maps: MapsKey = ()) -> tuple:
    """What a criterion's normalised column depends on: everything but its name and weight,
    plus the value maps of the columns it reads."""
    formula = c.formula if c.source == "formula" else None
    return (c.source, formula, c.direction, c.normalisation, c.low, c.high, maps)


def map_words(values: pd.Series | np.ndarray, value_map: Mapping[str, float]) -> np.ndarray:
    """Cells as float64 through a value map: a number stays that number, a word in the map
    becomes its number (case and surrounding spaces ignored), anything else is blank (NaN).

    Vectorised: each distinct word is looked up once."""
    if not isinstance(value_map, ValueMap):
        value_map = ValueMap(value_map)
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values, dtype=object))
    numbers = np.array(  # a copy: pandas may hand out a read-only view
        pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    )
    words = np.isnan(numbers) & series.notna().to_numpy(dtype=bool)
    if words.any():
        codes, uniques = pd.factorize(series[words].astype(str))
        folded = value_map.folded
        looked_up = np.array(
            [folded.get(" ".join(u.split()).casefold(), np.nan) for u in uniques], dtype=np.float64
        )
        numbers[words] = looked_up[codes]
    return numbers


def _value_maps(maps: Mapping | None) -> ValueMaps | None:
    """Value maps as ValueMaps (a plain {column: {word: number}} is accepted too)."""
    return maps if maps is None or isinstance(maps, ValueMaps) else ValueMaps(maps)


#: The derived sources as the messages name them: 'rice', 'teams_unblocked', ...
_SOURCE_NAMES = ", ".join(repr(s) for s in DERIVED_SOURCES)
#: The columns `cost_of_delay` adds, as the WSJF template names them (matched without regard to case).
BUSINESS_VALUE, TIME_CRITICALITY, RISK_REDUCTION = "Business Value", "Time Criticality", "Risk"
#: Derived time criticality: 10 for the earliest due quarter of the portfolio, TIME_CRITICALITY_STEP
#: less for each quarter after it, never below 0 (0 from TIME_CRITICALITY_QUARTERS quarters on).
TIME_CRITICALITY_TOP, TIME_CRITICALITY_QUARTERS = 10.0, 4
TIME_CRITICALITY_STEP = TIME_CRITICALITY_TOP / TIME_CRITICALITY_QUARTERS


def derived_time_criticality(due_texts) -> np.ndarray:
    """Time criticality from due quarters, on Cutline's 0..10 rating scale:
    max(0, 10 - 2.5 * k), k the quarters from the portfolio's earliest due quarter to this one's
    (10, 7.5, 5, 2.5, then 0); 0 for an initiative without a due quarter. The earliest due quarter,
    not the plan's first quarter, is the reference, because scores never depend on capacity."""
    from cutline.models.capacity.planning import due_ordinals

    ordinal = due_ordinals(due_texts)
    out = np.zeros(len(ordinal))
    has = ~np.isnan(ordinal)
    if has.any():
        k = ordinal[has] - ordinal[has].min()
        out[has] = np.maximum(0.0, TIME_CRITICALITY_TOP - TIME_CRITICALITY_STEP * k)
    return out


def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


class Scorer:
    """Scores one portfolio under any number of models, caching what weights do not change."""

    def __init__(self, portfolio: Portfolio):
        self.portfolio = portfolio
        self.n = len(portfolio)
        self._columns: dict[str | tuple[str, ValueMap], np.ndarray] = {}
        self._formula_names: dict[str, frozenset[str]] = {}
        self._raw: dict[tuple, np.ndarray] = {}
        self._normal: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._matrices: dict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._masks: dict[str, np.ndarray] = {}
        self._tier_words: dict[tuple, str] = {}  # (active tiers, row) -> explain_tier's words

    # -- derived values ----------------------------------------------------------------
    @cached_property
    def graph(self) -> DependencyGraph:
        return DependencyGraph.from_portfolio(self.portfolio)

    @cached_property
    def rice(self) -> np.ndarray:
        """reach * impact * confidence / effort; blank when any is blank or effort is 0."""
        p = self.portfolio
        effort = p.numeric("effort")
        with np.errstate(all="ignore"):
            value = p.numeric("reach") * p.numeric("impact") * p.numeric("confidence") / effort
        value[(effort == 0) | ~np.isfinite(value)] = np.nan
        return _readonly(value)

    @cached_property
    def teams_unblocked(self) -> np.ndarray:
        return _readonly(teams_unblocked(self.portfolio, self.graph))

    @cached_property
    def cost_of_delay(self) -> np.ndarray:
        """`cost_of_delay_with` no value maps."""
        return self.cost_of_delay_with(())

    def cost_of_delay_with(self, maps: MapsKey) -> np.ndarray:
        """Business Value + Time Criticality + Risk (risk reduction), as the WSJF template adds
        them, each read through its value map in `maps` (Azure DevOps writes Risk as
        `1 - High`); blank when any of the three is blank. Time Criticality is the column when any
        initiative has one, else `derived_time_criticality` of the due quarters (docs/scoring.md)."""
        key = ("cost_of_delay", maps)
        if key not in self._columns:
            by_column = dict(maps)
            criticality = self._optional_numbers(TIME_CRITICALITY, by_column)
            if np.isnan(criticality).all():
                criticality = derived_time_criticality(self.portfolio.text("quarter"))
            self._columns[key] = _readonly(
                self._optional_numbers(BUSINESS_VALUE, by_column) + criticality
                + self._optional_numbers(RISK_REDUCTION, by_column)
            )
        return self._columns[key]

    def time_criticality_from_due(self, maps: MapsKey = ()) -> bool:
        """True when no initiative has a Time Criticality value (read through `maps`), so
        `cost_of_delay` derives it from the due quarters."""
        return bool(np.isnan(self._optional_numbers(TIME_CRITICALITY, dict(maps))).all())

    def _optional_numbers(self, name: str, maps: Mapping[str, ValueMap]) -> np.ndarray:
        """A column named in a derived value, as numbers (through its map in `maps`, by resolved
        column name); blank for all when there is none."""
        resolved = self.resolve(name)
        if resolved is None or resolved in DERIVED_SOURCES or resolved in TEXT_FIELDS:
            return np.full(self.n, np.nan)
        return np.asarray(self.numbers(resolved, maps.get(resolved)), dtype=np.float64)

    # -- columns -------------------------------------------------------------------------
    def resolve(self, name: str) -> str | None:
        """The column a name in a model means: exact first, then ignoring case; None if none (or
        if the name, ignoring case, could be several: see `alike`)."""
        if name in DERIVED_SOURCES + self.portfolio.columns:
            return name
        folded = self.alike(name)
        return folded[0] if len(folded) == 1 else None

    def alike(self, name: str) -> list[str]:
        """The columns and derived values a name matches ignoring case and surrounding spaces."""
        return [k for k in DERIVED_SOURCES + self.portfolio.columns if k.casefold() == name.strip().casefold()]

    def column(self, name: str, value_map: Mapping[str, float] | None = None) -> np.ndarray:
        """A column by its resolved name: float64 for numbers, text (object) for text.

        With a value map, always float64: numbers stay, mapped words become their number and
        other text is blank (see `map_words`). Derived values and numeric fields hold no words,
        so a map leaves them as they are."""
        if value_map is not None and (name in DERIVED_SOURCES or name in NUMERIC_FIELDS):
            value_map = None
        if value_map is not None and not isinstance(value_map, ValueMap):
            value_map = ValueMap(value_map, column=name)
        key = name if value_map is None else (name, value_map)
        if key not in self._columns:
            if value_map is None:
                self._columns[key] = _readonly(self._read(name))
            else:
                self._columns[key] = _readonly(map_words(self.portfolio.frame[name], value_map))
        return self._columns[key]

    def _read(self, name: str) -> np.ndarray:
        if name == "rice":
            return self.rice
        if name == "teams_unblocked":
            return self.teams_unblocked
        if name == "cost_of_delay":
            return self.cost_of_delay
        if name in NUMERIC_FIELDS:
            return self.portfolio.numeric(name)
        if name in TEXT_FIELDS:
            return self.portfolio.text(name)
        values = self.portfolio.frame[name]
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        blank = values.isna().to_numpy() | (values.astype(str).str.strip() == "").to_numpy()
        if np.all(~np.isnan(numbers) | blank):  # every filled cell is a number
            return numbers
        return np.array(["" if b else str(v).strip() for v, b in zip(values, blank)], dtype=object)

    def numbers(self, name: str, value_map: ValueMap | None = None) -> np.ndarray:
        """A column as numbers; text in an extra column that is not a number counts as blank,
        unless a value map gives its number."""
        if value_map is not None:
            return self.column(name, value_map)
        if name in self.portfolio.extra_columns:
            values = self.portfolio.frame[name]
            return pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        return self.column(name)

    def formula_columns(
        self, formula: Expression | Condition, value_maps: ValueMaps | None = None
    ) -> dict[str, np.ndarray]:
        """The columns a formula names, under the names it uses; unknown names are left out.
        A column with a map in `value_maps` is read through it (as numbers)."""
        value_maps = _value_maps(value_maps)
        out = {}
        for name in formula.columns:
            resolved = self.resolve(name)
            if resolved == "cost_of_delay":
                out[name] = self.cost_of_delay_with(self._component_maps(value_maps))
            elif resolved is not None:
                value_map = value_maps.for_column(resolved) if value_maps else None
                out[name] = self.column(resolved, value_map)
        return out

    def _component_maps(self, value_maps: ValueMaps | None) -> MapsKey:
        """The maps of the columns `cost_of_delay` adds, as (resolved column, map) pairs."""
        found = set()
        for name in (BUSINESS_VALUE, TIME_CRITICALITY, RISK_REDUCTION):
            resolved = self.resolve(name)
            value_map = value_maps.for_column(resolved) if value_maps and resolved else None
            if value_map is not None and resolved not in NUMERIC_FIELDS:
                found.add((resolved, value_map))
        return tuple(sorted(found, key=lambda pair: pair[0]))

    def parsed_columns(self, c: Criterion) -> frozenset[str]:
        """The column names a formula criterion's formula uses, as written (parsed once)."""
        names = self._formula_names.get(c.formula or "")
        if names is None:
            names = self._formula_names[c.formula or ""] = criterion_formula(c).columns
        return names

    def maps_for(self, c: Criterion, value_maps: ValueMaps | None) -> MapsKey:
        """The value maps criterion `c` reads through: (resolved column, map) pairs."""
        if not value_maps:
            return ()
        value_maps = _value_maps(value_maps)
        if c.source == "formula":
            try:
                names = self.parsed_columns(c)
            except ModelError:
                return ()  # raw() reports the error
        else:
            names = frozenset((c.source,))
        found = set()
        for name in names:
            resolved = self.resolve(name)
            if resolved == "cost_of_delay":
                found.update(self._component_maps(value_maps))
            elif resolved is not None and resolved not in DERIVED_SOURCES and resolved not in NUMERIC_FIELDS:
                value_map = value_maps.for_column(resolved)
                if value_map is not None:
                    found.add((resolved, value_map))
        return tuple(sorted(found, key=lambda pair: pair[0]))

    # -- criteria --------------------------------------------------------------------------
    def raw(self, c: Criterion, value_maps: ValueMaps | None = None) -> np.ndarray:
        """A criterion's input value per initiative, NaN when blank; columns with a map in
        `value_maps` (a model's `value_maps`) are read through it."""
        maps = self.maps_for(c, value_maps)
        key = (c.source, c.formula if c.source == "formula" else None, maps)
        if key not in self._raw:
            self._raw[key] = _readonly(self._raw_values(c, maps))
        return self._raw[key]

    def _raw_values(self, c: Criterion, maps: MapsKey) -> np.ndarray:
        if c.source == "formula":
            formula = criterion_formula(c)
            try:
                value = formula.evaluate(self.formula_columns(formula, ValueMaps(maps)), self.n)
            except FormulaError as error:
                raise reworded(error, f"Criterion {c.name!r}, key 'formula': ") from None
        else:
            name = self.resolve(c.source)
            if name is None:
                alike = self.alike(c.source)
                if len(alike) > 1:  # "FOO" with columns Foo and foo: which is meant?
                    raise ModelError(
                        f"Criterion {c.name!r}, key 'source': {c.source!r} could be any of the columns "
                        + ", ".join(repr(k) for k in alike) + ", which differ only in capitals.",
                        hint="Write the column's name exactly as its header is written.",
                    )
                raise ModelError(
                    f"Criterion {c.name!r}, key 'source': there is no column or derived value "
                    f"called {c.source!r}.",
                    hint=f"Use a numeric column, {_SOURCE_NAMES} or 'formula'.",
                )
            if name == "cost_of_delay":
                value = np.array(self.cost_of_delay_with(maps), dtype=np.float64)
                value[~np.isfinite(value)] = np.nan
                return value
            value_map = dict(maps).get(name)
            if name in TEXT_FIELDS and value_map is None:
                raise ModelError(
                    f"Criterion {c.name!r}, key 'source': the column {name!r} holds text; "
                    "a criterion needs numbers.",
                    hint="Give the column a value map to read its words as numbers.",
                )
            value = np.array(self.numbers(name, value_map), dtype=np.float64)
        value[~np.isfinite(value)] = np.nan
        return value

    def criterion_values(
        self, c: Criterion, value_maps: ValueMaps | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(raw, normalised, unrated) columns of one criterion, read through `value_maps`."""
        check_criterion(c)
        key = _key(c, self.maps_for(c, value_maps))
        raw = self.raw(c, value_maps)
        if key not in self._normal:
            n, unrated = normalise(raw, c.normalisation, c.direction, c.low, c.high)
            self._normal[key] = (_readonly(n), _readonly(unrated))
        return (raw, *self._normal[key])

    def normalised(self, model: ScoringModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(raw, normalised, unrated) as (n, k) arrays, one column per criterion."""
        maps = model.value_maps
        key = tuple(_key(c, self.maps_for(c, maps)) for c in model.criteria)  # type: ignore[arg-type]
        if key not in self._matrices:
            columns = [self.criterion_values(c, maps) for c in model.criteria]  # type: ignore[arg-type]
            shape = (self.n, len(columns))
            stacked = tuple(
                _readonly(np.column_stack([col[i] for col in columns]) if columns else np.zeros(shape, dtype))
                for i, dtype in enumerate((np.float64, np.float64, bool))
            )
            self._matrices[key] = stacked  # type: ignore[assignment]
        return self._matrices[key]

    # -- tiers ---------------------------------------------------------------------------
    def tier_mask(self, name: str, condition: str) -> np.ndarray:
        """Which initiatives meet a tier's condition."""
        if condition not in self._masks:
            parsed = tier_condition(name, condition)
            try:
                mask = parsed.evaluate(self.formula_columns(parsed), self.n)
            except FormulaError as error:
                raise reworded(error, f"Tier {name!r}, key 'condition': ") from None
            self._masks[condition] = _readonly(mask)
        return self._masks[condition]

    def tiers(self, model: ScoringModel) -> np.ndarray:
        """Tier number per initiative: the first active tier it meets, else the last."""
        active = model.active_tiers()
        tier = np.full(self.n, len(active) + 1, dtype=np.int64)
        for number in range(len(active), 0, -1):
            t = active[number - 1]
            tier[self.tier_mask(t.name, t.condition)] = number
        return tier

    @staticmethod
    def tier_names(model: ScoringModel) -> tuple[str, ...]:
        """Names of tier 1, 2, ...; the last is everything that meets no tier."""
        active = model.active_tiers()
        return tuple(t.name for t in active) + ((REST_TIER,) if active else (NO_TIERS,))

    # -- the ranking -----------------------------------------------------------------------
    def rank(self, model: ScoringModel) -> Ranking:
        """Score, tier and rank every initiative under the model."""
        check_model(model)
        raw, normal, unrated = self.normalised(model)
        weights = np.array(model.weights, dtype=np.float64)
        total = weights.sum()
        coefficients = 100.0 * weights / total if total > 0 else np.zeros_like(weights)
        contributions = normal * coefficients
        score = contributions.sum(axis=1)
        tier = self.tiers(model)
        order = rank_order(tier, score)
        rank = np.empty(self.n, dtype=np.int64)
        rank[order] = np.arange(1, self.n + 1)
        return Ranking(
            criteria=model.names,
            raw=raw,
            normalised=normal,
            contributions=contributions,
            unrated=unrated,
            score=score,
            tier=tier,
            tier_names=self.tier_names(model),
            order=order,
            rank=rank,
            rice=self.rice,
            teams_unblocked=self.teams_unblocked,
            waits_on_lower=self.graph.waits_on_lower(rank),
        )

    def explain_tier(self, model: ScoringModel, row: int) -> str:
        """Why an initiative is in its tier, in words (kept: weights do not change them)."""
        key = (model.active_tiers(), row)
        words = self._tier_words.get(key)
        if words is None:
            if len(self._tier_words) > 256:
                self._tier_words.clear()
            words = self._tier_words[key] = explain(self, model, row)
        return words


def score(portfolio: Portfolio, model: ScoringModel) -> Ranking:
    """Score and rank a portfolio under a model in one call."""
    return Scorer(portfolio).rank(model)


def explain_tier(portfolio: Portfolio, model: ScoringModel, row: int) -> str:
    """Why initiative `row` is in its tier, in words."""
    return Scorer(portfolio).explain_tier(model, row)
