"""Budget voting ("buy a feature"): each participant spends a budget on initiatives priced by effort.

A participant buys whole initiatives at their price (their effort) and cannot spend more than
their budget; the room's result is, for each initiative, how many participants bought it. That
count can become an extra `votes` column of the portfolio, which a model can use as a criterion
(`source = "votes"`). Plain data like the rating round, stored with it in the workshop file.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import numpy as np
from cutline.models.errors import ModelError, WorkshopFileError
from cutline.models.portfolio.portfolio import Portfolio

#: Version of the plain-data form written by `BudgetVote.to_dict`.
VOTE_VERSION = 1
#: The `kind` a stored budget vote carries among the workshop's rating rounds.
KIND = "budget_vote"
#: The default budget is this share of the candidates' total price.
DEFAULT_SHARE = 0.5
#: The extra column the result goes into.
VOTES_COLUMN = "votes"


def prices_of(portfolio: Portfolio, ids: Iterable[str]) -> dict[str, float]:
    """Each initiative's price, its effort; initiatives without a positive effort cannot be bought."""
    rows, effort = portfolio.row_of_id, portfolio.numeric("effort")
    out = {}
    for ident in ids:
        row = rows.get(str(ident))
        price = float(effort[row]) if row is not None else math.nan
        if math.isfinite(price) and price > 0:
            out[str(ident)] = price
    return out


def default_budget(prices: Mapping[str, float]) -> float:
    """About half of what every candidate costs together, rounded to a whole number."""
    total = sum(prices.values())
    return float(max(1, round(total * DEFAULT_SHARE))) if total > 0 else 0.0


@dataclass(frozen=True)
class BudgetResult:
    """One initiative's outcome: its price, who bought it, and the share of the room that did."""

    ident: str
    price: float
    buyers: tuple[str, ...]
    share: float  # buyers / participants, 0 when nobody took part

    @property
    def votes(self) -> int:
        return len(self.buyers)


@dataclass(frozen=True)
class BudgetVote:
    """Which initiatives are on sale at which price, each participant's budget and purchases."""

    id: str
    prices: Mapping[str, float]  # initiative id -> price, in the order offered
    budget: float
    participants: tuple[str, ...] = ()
    purchases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # participant -> ids
    created: str = ""

    def __post_init__(self) -> None:
        budget = float(self.budget)
        if not math.isfinite(budget) or budget <= 0:
            raise ModelError(f"The budget must be more than zero, not {self.budget!r}.")
        if not self.prices:
            raise ModelError("Budget voting needs initiatives with an effort: their effort is their price.")
        object.__setattr__(self, "budget", budget)
        object.__setattr__(self, "prices", {str(k): float(v) for k, v in self.prices.items()})
        object.__setattr__(self, "participants", tuple(self.participants))
        object.__setattr__(self, "purchases", {str(p): tuple(ids) for p, ids in self.purchases.items()})
        for person, ids in self.purchases.items():
            if person not in self.participants:
                raise ModelError(f"{person!r} is not a participant of this vote.")
            problem = self.purchase_problem(ids)
            if problem:
                raise ModelError(problem)

    @classmethod
    def start(cls, prices: Mapping[str, float], budget: float | None = None) -> BudgetVote:
        """A new vote with a fresh id; the budget defaults to half the candidates' total price."""
        return cls(uuid.uuid4().hex[:12], dict(prices),
                   default_budget(prices) if budget is None else budget,
                   created=datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def initiatives(self) -> tuple[str, ...]:
        return tuple(self.prices)

    def purchase_problem(self, ids: Iterable[str]) -> str | None:
        """Why a participant cannot buy `ids`, or None when they can."""
        ids = list(ids)
        unknown = [i for i in ids if i not in self.prices]
        if unknown:
            return f"Initiative {unknown[0]!r} is not on sale in this vote."
        if len(set(ids)) != len(ids):
            return "An initiative can be bought once."
        spent = self.spent(ids)
        if spent > self.budget + 1e-9:
            return f"That costs {spent:g}, more than the budget of {self.budget:g}."
        return None

    def spent(self, ids: Iterable[str]) -> float:
        return float(sum(self.prices[i] for i in ids))

    def with_participant(self, name: str) -> BudgetVote:
        return replace(self, participants=self.participants + (name,))

    def without_participant(self, name: str) -> BudgetVote:
        kept = {p: ids for p, ids in self.purchases.items() if p != name}
        return replace(self, participants=tuple(p for p in self.participants if p != name),
                       purchases=kept)

    def with_purchase(self, participant: str, ids: Iterable[str]) -> BudgetVote:
        """A copy where `participant` has bought exactly `ids` (their earlier choice replaced)."""
        order = {ident: n for n, ident in enumerate(self.prices)}
        chosen = tuple(sorted(set(map(str, ids)), key=lambda i: order.get(i, len(order))))
        return replace(self, purchases={**self.purchases, participant: chosen})

    def results(self) -> list[BudgetResult]:
        """Every initiative on sale, the most bought first; ties keep the order offered."""
        people = max(len(self.participants), 1)
        buyers = {ident: [] for ident in self.prices}
        for person in self.participants:
            for ident in self.purchases.get(person, ()):
                buyers[ident].append(person)
        out = [BudgetResult(i, self.prices[i], tuple(b), len(b) / people if self.participants else 0.0)
               for i, b in buyers.items()]
        return sorted(out, key=lambda r: -r.votes)

    # -- plain data ---------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {"version": VOTE_VERSION, "kind": KIND, "id": self.id,
                "prices": [[i, p] for i, p in self.prices.items()], "budget": self.budget,
                "participants": list(self.participants),
                "purchases": [[p, list(self.purchases[p])] for p in self.participants if p in self.purchases],
                "created": self.created}

    @classmethod
    def from_dict(cls, data: Mapping) -> BudgetVote:
        try:
            if int(data.get("version", VOTE_VERSION)) > VOTE_VERSION:
                raise WorkshopFileError("A budget vote was saved by a newer Cutline.",
                                        hint="Open the workshop with the newer Cutline.")
            return cls(str(data["id"]), {str(i): float(p) for i, p in data["prices"]},
                       float(data["budget"]), tuple(str(p) for p in data.get("participants", [])),
                       {str(p): tuple(str(i) for i in ids) for p, ids in data.get("purchases", [])},
                       str(data.get("created", "")))
        except WorkshopFileError:
            raise
        except (KeyError, TypeError, ValueError, ModelError) as exc:
            raise WorkshopFileError(f"A budget vote in the workshop file cannot be read ({exc}).") from None


def with_votes_column(portfolio: Portfolio, results: Iterable[BudgetResult],
                      column: str = VOTES_COLUMN) -> Portfolio:
    """A copy of `portfolio` with `column` holding each initiative's votes (blank if not on sale)."""
    values = np.full(len(portfolio), None, dtype=object)  # extra columns are kept as objects
    rows = portfolio.row_of_id
    for result in results:
        if result.ident in rows:
            values[rows[result.ident]] = float(result.votes)
    frame = portfolio.frame.copy()
    frame[column] = values
    extra = portfolio.extra_columns if column in portfolio.extra_columns else (
        *portfolio.extra_columns, column)
    return Portfolio(frame, tuple(extra), portfolio.source_rows, portfolio.sheet)
