"""The ScoringModel: criteria, each with a source, direction, normalisation and weight, plus tiers."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace

from cutline.models.errors import ModelError

#: Sources computed from the portfolio rather than read from a column.
DERIVED_SOURCES: tuple[str, ...] = ("rice", "teams_unblocked", "cost_of_delay")
DIRECTIONS: tuple[str, ...] = ("benefit", "cost")
NORMALISATIONS: tuple[str, ...] = ("scale", "minmax", "rank")
#: The largest weight (docs/model-file.md#limits): with at most this much per criterion, 100 *
#: weight / total weight is always a finite number, so every score is.
MAX_WEIGHT = 1e6
#: The largest size of a scale's low and high and of a value map's numbers, either side of 0.
MAX_NUMBER = 1e12


def checked_weight(name: str, weight: object) -> float:
    """A criterion's weight as a float, or ModelError naming the criterion: 0..MAX_WEIGHT."""
    where = f"Criterion {name!r}, key 'weight'"
    if isinstance(weight, bool) or not isinstance(weight, numbers.Real):  # numpy numbers are Real
        raise ModelError(f"{where}: the weight must be a number, not {weight!r}.")
    try:
        value = float(weight)
    except OverflowError:
        value = math.inf
    if math.isnan(value):
        raise ModelError(f"{where}: the weight must be a number, not {weight!r}.")
    if value < 0:
        raise ModelError(f"{where}: the weight must be 0 or more, not {value}.")
    if value > MAX_WEIGHT:
        raise ModelError(f"{where}: the weight must be at most {MAX_WEIGHT:,.0f}, not {value:g}.")
    return value


def checked_number(where: str, number: float) -> None:
    """ModelError unless `number` is finite and within MAX_NUMBER of 0."""
    try:
        finite = math.isfinite(number)
    except OverflowError:  # a whole number too large for a float
        finite = False
    if not finite:
        shown = str(number) if len(str(number)) <= 24 else str(number)[:20] + "…"
        raise ModelError(f"{where}: the number must be finite, not {shown}.")
    if abs(number) > MAX_NUMBER:
        raise ModelError(
            f"{where}: the number must be between -{MAX_NUMBER:,.0f} and {MAX_NUMBER:,.0f}, not {number:g}."
        )


def word_key(text: str) -> str:
    """How value-map words are compared: casefolded, surrounding spaces dropped, runs of spaces
    inside as one ("  No   priority " and "no priority" are one word)."""
    return " ".join(str(text).split()).casefold()


class _Frozen(Mapping):
    """An immutable, hashable mapping; equal to any mapping with the same items."""

    __slots__ = ("_data", "_hash")
    _data: dict

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self) -> Iterator:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._data!r})"

    def __reduce__(self):
        return (type(self), (dict(self._data),))


def _pairs(items: Mapping | Iterable[tuple]) -> Iterable[tuple]:
    return items.items() if isinstance(items, Mapping) else items


class ValueMap(_Frozen):
    """Words of one column and the number each stands for, such as {"High": 4, "Low": 2}.

    Keys are kept as written; a cell matches a key when both are equal after `word_key`
    (case and surrounding spaces ignored). Every number is finite. Immutable and hashable.
    """

    __slots__ = ("_folded",)

    def __init__(self, items: Mapping[str, float] | Iterable[tuple[str, float]] = (), *,
                 column: str = ""):
        where = f"Value map {column!r}" if column else "A value map"
        data: dict[str, float] = {}
        folded: dict[str, float] = {}
        first: dict[str, str] = {}
        for word, number in _pairs(items):
            if not isinstance(word, str) or not word.strip():
                raise ModelError(f"{where}: every word must be non-empty text, not {word!r}.")
            if isinstance(number, bool) or not isinstance(number, int | float):
                try:
                    number = float(number)  # numpy numbers and Decimal pass; text does not
                except (TypeError, ValueError):
                    raise ModelError(
                        f"{where}, key {word!r}: expected a number, not {number!r}."
                    ) from None
            checked_number(f"{where}, key {word!r}", number)
            key = word_key(word)
            if key in first and first[key] != word:
                raise ModelError(
                    f"{where}, keys {first[key]!r} and {word!r}: they are the same word "
                    "(case and spaces are ignored); keep one."
                )
            first[key] = word
            data[word] = float(number)
            folded[key] = float(number)
        self._data = data
        self._folded = folded
        self._hash = None

    @property
    def folded(self) -> Mapping[str, float]:
        """word_key(word) -> number, what cells are looked up in."""
        return self._folded

    def number(self, word: str) -> float | None:
        """The number a cell's word stands for, or None when the map does not have it."""
        return self._folded.get(word_key(word))


class ValueMaps(_Frozen):
    """Column name -> ValueMap. Column names are kept as written and found as columns are
    (exactly first, then ignoring case). Immutable and hashable."""

    __slots__ = ()

    def __init__(self, items: Mapping[str, Mapping[str, float]] | Iterable[tuple] = ()):
        data: dict[str, ValueMap] = {}
        seen: dict[str, str] = {}
        for column, mapping in _pairs(items):
            if not isinstance(column, str) or not column.strip():
                raise ModelError(f"A value map needs a column name, not {column!r}.")
            key = column.strip().casefold()
            if key in seen and seen[key] != column:
                raise ModelError(
                    f"Value maps {seen[key]!r} and {column!r} are for the same column "
                    "(case is ignored); keep one."
                )
            seen[key] = column
            data[column] = mapping if isinstance(mapping, ValueMap) else ValueMap(mapping, column=column)
        self._data = data
        self._hash = None

    def key_for(self, column: str) -> str | None:
        """The key of the map for `column`: exactly first, then ignoring case; None if none."""
        if column in self._data:
            return column
        folded = column.strip().casefold()
        found = [k for k in self._data if k.strip().casefold() == folded]
        return found[0] if len(found) == 1 else None

    def for_column(self, column: str) -> ValueMap | None:
        """The value map for a column, or None."""
        key = self.key_for(column)
        return None if key is None else self._data[key]

    def with_map(self, column: str, mapping: Mapping[str, float]) -> ValueMaps:
        """A copy with the map for `column` set (replacing one for the same column)."""
        old = self.key_for(column)
        items = [(k, v) for k, v in self._data.items() if k != old]
        return ValueMaps([*items, (column, ValueMap(mapping, column=column))])

    def without(self, column: str) -> ValueMaps:
        """A copy without the map for `column` (unchanged when there is none)."""
        old = self.key_for(column)
        return self if old is None else ValueMaps((k, v) for k, v in self._data.items() if k != old)

    def to_plain(self) -> dict[str, dict[str, float]]:
        return {column: dict(m) for column, m in self._data.items()}


@dataclass(frozen=True)
class Criterion:
    """One scored criterion.

    `source` is a column name, a derived value (`rice`, `teams_unblocked`, `cost_of_delay`) or `formula`,
    in which case `formula` holds the expression over columns.
    """

    name: str
    source: str
    direction: str = "benefit"
    normalisation: str = "minmax"
    weight: float = 1.0
    low: float | None = None
    high: float | None = None
    formula: str | None = None


@dataclass(frozen=True)
class Tier:
    """A condition over columns; initiatives meeting it rank above all later tiers."""

    name: str
    condition: str
    enabled: bool = True


@dataclass(frozen=True)
class ScoringModel:
    """Criteria and tiers. Immutable: every change returns a new model."""

    criteria: tuple[Criterion, ...]
    tiers: tuple[Tier, ...] = ()
    tiers_enabled: bool = True
    name: str = "Default"
    description: str = ""
    #: Column name -> {word: number}: how the words of a column read as numbers (see ValueMaps).
    value_maps: Mapping[str, Mapping[str, float]] = field(default_factory=ValueMaps)

    def __post_init__(self) -> None:
        if not isinstance(self.value_maps, ValueMaps):
            object.__setattr__(self, "value_maps", ValueMaps(self.value_maps))

    # -- lookups ------------------------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.criteria)

    @property
    def weights(self) -> tuple[float, ...]:
        return tuple(c.weight for c in self.criteria)

    def criterion(self, name: str) -> Criterion:
        for c in self.criteria:
            if c.name == name:
                return c
        raise KeyError(name)

    def active_tiers(self) -> tuple[Tier, ...]:
        return tuple(t for t in self.tiers if t.enabled) if self.tiers_enabled else ()

    def value_map(self, column: str) -> ValueMap | None:
        """The value map for a column (matched exactly, then ignoring case), or None."""
        return self.value_maps.for_column(column)  # type: ignore[attr-defined]

    # -- changes ------------------------------------------------------------------------
    def with_criterion(self, name: str, /, **changes) -> ScoringModel:
        """A copy with criterion `name` changed (weight=..., direction=..., name=...)."""
        crit = tuple(replace(c, **changes) if c.name == name else c for c in self.criteria)
        return replace(self, criteria=crit)

    def with_weight(self, name: str, weight: float) -> ScoringModel:
        """A copy with one weight changed; ModelError naming the criterion for a weight that is
        not a number from 0 to MAX_WEIGHT."""
        return self.with_criterion(name, weight=checked_weight(name, weight))

    def with_weights(self, weights: dict[str, float]) -> ScoringModel:
        crit = tuple(
            replace(c, weight=checked_weight(c.name, weights[c.name])) if c.name in weights else c
            for c in self.criteria
        )
        return replace(self, criteria=crit)

    def adding(self, criterion: Criterion, index: int | None = None) -> ScoringModel:
        crit = list(self.criteria)
        crit.insert(len(crit) if index is None else index, criterion)
        return replace(self, criteria=tuple(crit))

    def removing(self, name: str) -> ScoringModel:
        return replace(self, criteria=tuple(c for c in self.criteria if c.name != name))

    def with_tier(self, name: str, /, **changes) -> ScoringModel:
        tiers = tuple(replace(t, **changes) if t.name == name else t for t in self.tiers)
        return replace(self, tiers=tiers)

    def with_value_map(self, column: str, mapping: Mapping[str, float]) -> ScoringModel:
        """A copy that reads the words of `column` through `mapping` (word -> number);
        replaces the column's map if it has one. ModelError for an empty word, a word twice
        (ignoring case and spaces) or a number that is not finite."""
        return replace(self, value_maps=self.value_maps.with_map(column, mapping))  # type: ignore[attr-defined]

    def without_value_map(self, column: str) -> ScoringModel:
        """A copy without the value map of `column` (the same model when it has none)."""
        return replace(self, value_maps=self.value_maps.without(column))  # type: ignore[attr-defined]

    # -- plain data (for the workshop file and JSON) --------------------------------------
    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "tiers_enabled": self.tiers_enabled,
            "criteria": [asdict(c) for c in self.criteria],
            "tiers": [asdict(t) for t in self.tiers],
            "value_maps": self.value_maps.to_plain(),  # type: ignore[attr-defined]
        }

    @classmethod
    def from_dict(cls, data: dict) -> ScoringModel:
        return cls(
            criteria=tuple(Criterion(**c) for c in data.get("criteria", [])),
            tiers=tuple(Tier(**t) for t in data.get("tiers", [])),
            tiers_enabled=bool(data.get("tiers_enabled", True)),
            name=str(data.get("name", "Default")),
            description=str(data.get("description", "")),
            value_maps=ValueMaps(data.get("value_maps") or {}),
        )


def default_model() -> ScoringModel:
    """The platform default: reliability and security first, then unblocking, then dx."""
    return ScoringModel(
        criteria=(
            Criterion("reliability", "reliability", "benefit", "scale", 3, 0, 10),
            Criterion("security", "security", "benefit", "scale", 3, 0, 10),
            Criterion("unblocking", "teams_unblocked", "benefit", "minmax", 3),
            Criterion("dx", "dx", "benefit", "scale", 2, 0, 10),
            Criterion("rice", "rice", "benefit", "minmax", 2),
            Criterion("effort", "effort", "cost", "minmax", 1),
            Criterion("risk", "risk", "cost", "scale", 1, 0, 10),
        ),
        tiers=(
            Tier(
                "Reliability and security first",
                "category in ('reliability', 'security') or reliability >= 8 or security >= 8",
            ),
        ),
        name="Default",
        description="Reliability and security first, then unblocking, then developer experience.",
    )


