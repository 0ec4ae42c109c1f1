"""What a PM asks of the best plan beyond the walk's rules: bundles, alternatives and floors.

`PlanConstraints` is a scenario's setting (`Scenario.constraints`, stored in the scenario's JSON
in the workshop file; a scenario saved before it existed has none). The optimiser honours them;
the walk does not (docs/capacity.md, "The best plan"), so a scenario's default plan never changes
because a constraint was added.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from cutline.models.errors import CutlineError


class PlanConstraintError(CutlineError):
    """A bundle, set of alternatives or floor that cannot be read."""


def _ids(ids, what: str) -> tuple[str, ...]:
    out = tuple(dict.fromkeys(str(i).strip() for i in ids if str(i).strip()))
    if len(out) < 2:
        raise PlanConstraintError(f"{what} needs at least two initiatives (it names {len(out)}).")
    return out


@dataclass(frozen=True)
class Bundle:
    """Initiatives funded all together or not at all."""

    name: str
    ids: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", str(self.name).strip() or "bundle")
        object.__setattr__(self, "ids", _ids(self.ids, f"Bundle {self.name!r}"))


@dataclass(frozen=True)
class Alternatives:
    """Mutually exclusive initiatives: at most one of them is funded."""

    name: str
    ids: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", str(self.name).strip() or "alternatives")
        object.__setattr__(self, "ids", _ids(self.ids, f"Alternatives {self.name!r}"))


@dataclass(frozen=True)
class Floor:
    """At least `person_weeks` of funded work in `category` (matched without regard to case),
    over the whole plan, or in one quarter when `quarter` is given."""

    category: str
    person_weeks: float
    quarter: str | None = None

    def __post_init__(self) -> None:
        pw = self.person_weeks
        if isinstance(pw, bool) or not isinstance(pw, int | float) or not math.isfinite(pw) or pw < 0:
            raise PlanConstraintError(f"The floor for {self.category!r} must be a number of person-weeks, "
                                f"0 or more (it is {pw!r}).")
        object.__setattr__(self, "category", str(self.category).strip())
        object.__setattr__(self, "person_weeks", float(pw))
        if self.quarter is not None:
            object.__setattr__(self, "quarter", str(self.quarter).strip() or None)

    @property
    def label(self) -> str:
        where = f" in {self.quarter}" if self.quarter else ""
        return f"floor '{self.category}'{where} (at least {self.person_weeks:g} pw)"


@dataclass(frozen=True)
class PlanConstraints:
    """A scenario's bundles, alternatives and floors (empty by default)."""

    bundles: tuple[Bundle, ...] = field(default=())
    alternatives: tuple[Alternatives, ...] = field(default=())
    floors: tuple[Floor, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.bundles or self.alternatives or self.floors)

    def to_dict(self) -> dict:
        return {
            "bundles": [{"name": b.name, "ids": list(b.ids)} for b in self.bundles],
            "alternatives": [{"name": a.name, "ids": list(a.ids)} for a in self.alternatives],
            "floors": [{"category": f.category, "person_weeks": f.person_weeks, "quarter": f.quarter}
                       for f in self.floors],
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> PlanConstraints:
        """From stored JSON; None (a scenario from before constraints existed) is none."""
        data = data or {}
        return cls(
            tuple(Bundle(str(b.get("name", "")), tuple(b.get("ids", ()))) for b in data.get("bundles", [])),
            tuple(Alternatives(str(a.get("name", "")), tuple(a.get("ids", ())))
                  for a in data.get("alternatives", [])),
            tuple(Floor(str(f.get("category", "")), f.get("person_weeks", 0.0), f.get("quarter"))
                  for f in data.get("floors", [])),
        )

    def without_initiatives(self, ids) -> PlanConstraints:
        """A copy without the initiatives `ids` (gone after a re-import); a bundle or a set of
        alternatives left with fewer than two is dropped; the same object when none is named."""
        gone = set(ids)
        if not any(gone & set(g.ids) for g in self.bundles + self.alternatives):
            return self

        def kept(groups, kind):
            out = []
            for g in groups:
                left = tuple(i for i in g.ids if i not in gone)
                if len(left) >= 2:
                    out.append(kind(g.name, left))
            return tuple(out)

        return PlanConstraints(kept(self.bundles, Bundle), kept(self.alternatives, Alternatives), self.floors)
