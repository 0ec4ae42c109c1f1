"""Capacity per team and quarter in person-weeks, and guardrails per category."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: The team name of a row that is a pool shared by every team without a row of its own.
POOL = ""


@dataclass(frozen=True)
class Guardrail:
    """A category's reserve (share of each team-quarter only it may use, used first) and
    cap (the most of each team-quarter it may use). Shares are fractions 0..1."""

    category: str
    reserve: float = 0.0
    cap: float | None = None


@dataclass(frozen=True, eq=False)
class Capacity:
    """A table of (team, quarter, capacity) plus guardrails.

    `table` has columns `team` (str; POOL for a pool row), `quarter` (str) and
    `capacity` (float64 person-weeks). Quarters keep the order the table first names them.
    """

    table: pd.DataFrame
    guardrails: tuple[Guardrail, ...] = ()

    @property
    def quarters(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.table["quarter"].tolist()))

    @property
    def teams(self) -> tuple[str, ...]:
        return tuple(t for t in dict.fromkeys(self.table["team"].tolist()) if t != POOL)

    @classmethod
    def from_rows(cls, rows, guardrails=()) -> Capacity:
        """From (team, quarter, capacity) tuples; team "" or "*" is a pool."""
        rows = [(POOL if str(t).strip() in ("", "*") else str(t).strip(), str(q).strip(), float(c)) for t, q, c in rows]
        table = pd.DataFrame(rows, columns=["team", "quarter", "capacity"])
        table["team"] = table["team"].astype(object)
        table["quarter"] = table["quarter"].astype(object)
        table["capacity"] = table["capacity"].astype("float64")
        return cls(table, tuple(guardrails))

    @classmethod
    def empty(cls) -> Capacity:
        return cls.from_rows([])

    def to_dict(self) -> dict:
        return {
            "rows": [[t, q, float(c)] for t, q, c in self.table[["team", "quarter", "capacity"]].itertuples(index=False)],
            "guardrails": [
                {"category": g.category, "reserve": g.reserve, "cap": g.cap} for g in self.guardrails
            ],
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Capacity) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def from_dict(cls, data: dict) -> Capacity:
        return cls.from_rows(
            [tuple(r) for r in data.get("rows", [])],
            tuple(Guardrail(**g) for g in data.get("guardrails", [])),
        )
