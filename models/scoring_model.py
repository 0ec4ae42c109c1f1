"""The ScoringModel: criteria, each with a source, direction, normalisation and weight, plus tiers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

#: Sources computed from the portfolio rather than read from a column.
DERIVED_SOURCES: tuple[str, ...] = ("rice", "teams_unblocked")
DIRECTIONS: tuple[str, ...] = ("benefit", "cost")
NORMALISATIONS: tuple[str, ...] = ("scale", "minmax", "rank")


@dataclass(frozen=True)
class Criterion:
    """One scored criterion.

    `source` is a column name, a derived value (`rice`, `teams_unblocked`) or `formula`,
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

    # -- changes ------------------------------------------------------------------------
    def with_criterion(self, name: str, /, **changes) -> ScoringModel:
        """A copy with criterion `name` changed (weight=..., direction=..., name=...)."""
        crit = tuple(replace(c, **changes) if c.name == name else c for c in self.criteria)
        return replace(self, criteria=crit)

    def with_weight(self, name: str, weight: float) -> ScoringModel:
        return self.with_criterion(name, weight=float(weight))

    def with_weights(self, weights: dict[str, float]) -> ScoringModel:
        crit = tuple(
            replace(c, weight=float(weights[c.name])) if c.name in weights else c
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

    # -- plain data (for the workshop file and JSON) --------------------------------------
    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "tiers_enabled": self.tiers_enabled,
            "criteria": [asdict(c) for c in self.criteria],
            "tiers": [asdict(t) for t in self.tiers],
        }

    @classmethod
    def from_dict(cls, data: dict) -> ScoringModel:
        return cls(
            criteria=tuple(Criterion(**c) for c in data.get("criteria", [])),
            tiers=tuple(Tier(**t) for t in data.get("tiers", [])),
            tiers_enabled=bool(data.get("tiers_enabled", True)),
            name=str(data.get("name", "Default")),
            description=str(data.get("description", "")),
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


