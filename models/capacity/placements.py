"""Placements: initiatives a scenario funds exactly where a plan put them (quarters and
person-weeks), which the walk places first and walks the rest around (docs/capacity.md).

Adopting the best plan as a scenario writes them (models/optimise/adopt.py): the walk places
initiatives one at a time, each as early as it fits, and cannot always find the plan's set.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Placement:
    """One initiative funded in consecutive quarters: (quarter, person-weeks) in order. An
    initiative without effort has one quarter with 0 person-weeks: the quarter it starts in."""

    ident: str
    quarters: tuple[tuple[str, float], ...]

    def to_dict(self) -> dict:
        return {"id": self.ident, "quarters": [[q, pw] for q, pw in self.quarters]}

    @classmethod
    def from_dict(cls, data: dict) -> Placement:
        return cls(str(data["id"]), tuple((str(q), float(pw)) for q, pw in data.get("quarters", [])))


@dataclass(frozen=True)
class Placements:
    """A scenario's placements, one per initiative at most; empty (false) for none."""

    items: tuple[Placement, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def by_id(self) -> dict[str, Placement]:
        return {p.ident: p for p in self.items}

    def without_initiatives(self, ids) -> Placements:
        """A copy without the placements of `ids`; the same object when none of them is named."""
        gone = set(ids)
        kept = tuple(p for p in self.items if p.ident not in gone)
        return self if len(kept) == len(self.items) else Placements(kept)

    def to_dict(self) -> list:
        return [p.to_dict() for p in self.items]

    @classmethod
    def from_dict(cls, data: list | None) -> Placements:
        """From the workshop file's list; None (a file from before placements) is none."""
        return cls(tuple(Placement.from_dict(d) for d in data or []))
