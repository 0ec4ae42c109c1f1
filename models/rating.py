"""Group rating ("estimation poker for any criterion"): a round of hidden ratings, revealed at once."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from models.allocation import Allocation
from models.errors import Location, ModelError, WorkshopFileError
from models.portfolio import NUMERIC_FIELDS, RATING_FIELDS, Portfolio
from models.ranking import Ranking

#: Version of the plain-data form written by `RatingRound.to_dict`.
ROUND_VERSION = 1
#: The default disagreement threshold: a range of more than 2 rating points is a disagreement.
DEFAULT_THRESHOLD = 2.0

Key = tuple[str, str, str]  # (participant, initiative id, criterion)


def value_problem(criterion: str, value: float) -> str | None:
    """Why `value` cannot be a rating of `criterion`, or None when it can.

    Ratings fields take 0 to 10, confidence a share from 0 to 1 (stored as Cutline stores it),
    and the other numeric fields any number from zero up.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        try:
            value = float(value)  # numpy numbers and Decimal pass; text does not
        except (TypeError, ValueError):
            return f"{value!r} is not a number."
    if not math.isfinite(value):
        return f"{float(value)} is not a finite number."
    if criterion in RATING_FIELDS and not 0 <= value <= 10:
        return f"{criterion} is rated 0 to 10, not {value:g}."
    if criterion == "confidence" and not 0 <= value <= 1:
        return f"Confidence is a share from 0 to 1 (0.8 is 80%), not {value:g}."
    if value < 0:
        return f"{criterion} cannot be negative ({value:g})."
    return None


class Ratings(Mapping[Key, float]):
    """An immutable, hashable table of (participant, initiative id, criterion) to rating."""

    __slots__ = ("_data",)

    def __init__(self, items: Mapping[Key, float] | Iterable[tuple[Key, float]] = ()):
        self._data: dict[Key, float] = dict(items)

    def __getitem__(self, key: Key) -> float:
        return self._data[key]

    def __iter__(self) -> Iterator[Key]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"Ratings({self._data!r})"


def _names(values: Iterable[object], what: str) -> tuple[str, ...]:
    """Stripped, non-blank, distinct names, or a ModelError saying which one is wrong."""
    out = tuple(str(v).strip() for v in values)
    if any(not v for v in out):
        raise ModelError(f"A rating round cannot have a blank {what}.")
    seen: set[str] = set()
    for v in out:
        if v.casefold() in seen:
            raise ModelError(f"{what.capitalize()} {v!r} is named twice in the rating round.")
        seen.add(v.casefold())
    return out


@dataclass(frozen=True)
class RatingRound:
    """Which initiatives and criteria a room rates, who rates, and every rating given so far.

    Immutable: every change returns a new round, so the GUI can keep the old one for undo.
    Before `revealed`, a participant sees only their own ratings (see `visible_to`).
    """

    id: str
    criteria: tuple[str, ...]
    initiatives: tuple[str, ...]
    participants: tuple[str, ...]
    ratings: Ratings = field(default_factory=Ratings)
    threshold: float = DEFAULT_THRESHOLD
    revealed: bool = False
    created: str = ""

    def __post_init__(self) -> None:
        criteria = tuple(str(c).strip() for c in self.criteria)
        unknown = [c for c in criteria if c not in NUMERIC_FIELDS]
        if unknown:
            raise ModelError(
                f"{unknown[0]!r} cannot be rated in a round.",
                hint="Choose from: " + ", ".join(NUMERIC_FIELDS) + ".",
            )
        set_ = object.__setattr__  # frozen: normalise once, here
        set_(self, "criteria", _names(criteria, "criterion"))
        set_(self, "initiatives", _names(self.initiatives, "initiative id"))
        set_(self, "participants", _names(self.participants, "participant"))
        if not isinstance(self.ratings, Ratings):
            set_(self, "ratings", Ratings(self.ratings))
        threshold = float(self.threshold)
        if not math.isfinite(threshold) or threshold < 0:
            raise ModelError(f"The disagreement threshold must be zero or more, not {self.threshold!r}.")
        set_(self, "threshold", threshold)
        set_(self, "revealed", bool(self.revealed))
        for key, value in self.ratings.items():
            self._check(*key, value)

    # -- construction -------------------------------------------------------------------
    @classmethod
    def start(
        cls,
        criteria: Iterable[str],
        initiatives: Iterable[str],
        participants: Iterable[str],
        *,
        threshold: float = DEFAULT_THRESHOLD,
    ) -> RatingRound:
        """A new, empty, hidden round with a fresh id, created now."""
        return cls(
            id=uuid.uuid4().hex[:12],
            criteria=tuple(criteria),
            initiatives=tuple(initiatives),
            participants=tuple(participants),
            threshold=threshold,
            created=datetime.now(UTC).isoformat(timespec="seconds"),
        )

    # -- checking -----------------------------------------------------------------------
    def _check(self, participant: str, ident: str, criterion: str, value: float) -> None:
        if participant not in self.participants:
            raise ModelError(f"{participant!r} is not a participant of this round.",
                             hint="Add them to the participants first.")
        if ident not in self.initiatives:
            raise ModelError(f"Initiative {ident!r} is not rated in this round.",
                             location=Location(column=criterion))
        if criterion not in self.criteria:
            raise ModelError(f"{criterion!r} is not rated in this round.",
                             hint="Rate one of: " + ", ".join(self.criteria) + ".")
        problem = value_problem(criterion, value)
        if problem:
            raise ModelError(problem, location=Location(column=criterion),
                             hint=f"{participant}'s rating of {ident} was not recorded.")

    # -- changes (each returns a new round) ---------------------------------------------
    def with_rating(self, participant: str, ident: str, criterion: str,
                    value: float | None) -> RatingRound:
        """A copy with one rating set; None clears it."""
        return self.with_ratings([(participant, ident, criterion, value)])

    def with_ratings(self, entries: Iterable[tuple[str, str, str, float | None]]) -> RatingRound:
        """A copy with many ratings set at once (one undoable step); None clears one."""
        data = dict(self.ratings)
        for participant, ident, criterion, value in entries:
            key = (participant, ident, criterion)
            if value is None:
                data.pop(key, None)
                continue
            self._check(participant, ident, criterion, value)
            data[key] = float(value)
        return replace(self, ratings=Ratings(data))

    def with_participant(self, name: str) -> RatingRound:
        """A copy with one more participant."""
        return replace(self, participants=self.participants + (name,))

    def with_threshold(self, threshold: float) -> RatingRound:
        """A copy with another disagreement threshold."""
        return replace(self, threshold=threshold)

    def revealing(self) -> RatingRound:
        """A copy whose ratings everyone sees; the room may reveal before everyone has rated."""
        return replace(self, revealed=True)

    # -- reading ------------------------------------------------------------------------
    @property
    def cell_count(self) -> int:
        """How many ratings one participant gives: initiatives times criteria."""
        return len(self.initiatives) * len(self.criteria)

    def rated_count(self, participant: str) -> int:
        """How many ratings `participant` has given so far."""
        return sum(1 for p, _, _ in self.ratings if p == participant)

    def missing_for(self, participant: str) -> list[tuple[str, str]]:
        """(initiative id, criterion) pairs `participant` has not rated yet, in grid order."""
        return [(i, c) for i in self.initiatives for c in self.criteria
                if (participant, i, c) not in self.ratings]

    def complete_for(self, participant: str) -> bool:
        """Whether `participant` has rated every initiative on every criterion."""
        return self.rated_count(participant) == self.cell_count

    def is_complete(self) -> bool:
        """Whether everyone has rated everything (False for a round with nothing to rate)."""
        if not self.participants or not self.cell_count:
            return False
        return len(self.ratings) == self.cell_count * len(self.participants)

    def visible_to(self, participant: str) -> dict[Key, float]:
        """The ratings `participant` may see: their own until the reveal, then everyone's."""
        if self.revealed:
            return dict(self.ratings)
        return {k: v for k, v in self.ratings.items() if k[0] == participant}

    # -- plain data (stored in the workshop file) ---------------------------------------
    def to_dict(self) -> dict:
        """JSON-able plain data; ratings listed in participant, initiative, criterion order."""
        pos = {name: i for i, name in enumerate(self.participants)}
        ini = {name: i for i, name in enumerate(self.initiatives)}
        cri = {name: i for i, name in enumerate(self.criteria)}
        keys = sorted(self.ratings, key=lambda k: (pos[k[0]], ini[k[1]], cri[k[2]]))
        return {
            "version": ROUND_VERSION,
            "id": self.id,
            "criteria": list(self.criteria),
            "initiatives": list(self.initiatives),
            "participants": list(self.participants),
            "ratings": [[p, i, c, self.ratings[(p, i, c)]] for p, i, c in keys],
            "threshold": self.threshold,
            "revealed": self.revealed,
            "created": self.created,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> RatingRound:
        """A round from `to_dict` data; WorkshopFileError if the data is damaged."""
        try:
            version = int(data.get("version", ROUND_VERSION))
            if version > ROUND_VERSION:
                raise WorkshopFileError(
                    f"A rating round was saved by a newer Cutline (round format {version}).",
                    hint="Open the workshop with the newer Cutline.",
                )
            ratings = {(str(p), str(i), str(c)): float(v) for p, i, c, v in data.get("ratings", [])}
            return cls(
                id=str(data["id"]),
                criteria=tuple(str(c) for c in data["criteria"]),
                initiatives=tuple(str(i) for i in data["initiatives"]),
                participants=tuple(str(p) for p in data["participants"]),
                ratings=Ratings(ratings),
                threshold=float(data.get("threshold", DEFAULT_THRESHOLD)),
                revealed=bool(data.get("revealed", False)),
                created=str(data.get("created", "")),
            )
        except WorkshopFileError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, ModelError) as exc:
            detail = exc.message if isinstance(exc, ModelError) else f"{type(exc).__name__}: {exc}"
            raise WorkshopFileError(
                f"A rating round in the workshop file cannot be read ({detail}).",
                hint="The individual ratings of that round are lost; the rest of the workshop is fine.",
            ) from None


# -- the reveal -------------------------------------------------------------------------
def disagrees(spread: np.ndarray | float, threshold: float) -> np.ndarray | bool:
    """Whether a spread (range, max - min) is a disagreement: strictly above the threshold.

    The range is compared to nine decimals, so 7.3 - 5.3 counts as exactly 2.
    """
    out = np.round(np.asarray(spread, dtype=np.float64), 9) > threshold
    return bool(out) if out.ndim == 0 else out


@dataclass(frozen=True, eq=False)
class RoundSummary:
    """The reveal: statistics per (initiative, criterion) pair, as arrays indexed by pair.

    Pairs come in grid order: initiative by initiative, each with its criteria in round order
    (pair p is initiative p // len(criteria), criterion p % len(criteria)). `std` is the
    population standard deviation (the room is the whole population, so divide by n); `range`
    is max - min. Pairs nobody rated have count 0 and NaN statistics. `values` holds every
    rating, one column per participant, NaN where missing. `order` lists pairs as the reveal
    shows them: disagreements first, then by range (largest first), then in grid order.
    """

    round_id: str
    initiatives: tuple[str, ...]
    criteria: tuple[str, ...]
    participants: tuple[str, ...]
    threshold: float
    initiative: np.ndarray  # (pairs,) object str
    criterion: np.ndarray   # (pairs,) object str
    count: np.ndarray       # (pairs,) int64
    mean: np.ndarray        # (pairs,) float64
    median: np.ndarray
    min: np.ndarray
    max: np.ndarray
    range: np.ndarray
    std: np.ndarray
    disagree: np.ndarray    # (pairs,) bool: range > threshold
    values: np.ndarray      # (pairs, participants) float64
    order: np.ndarray       # (pairs,) int64

    def __len__(self) -> int:
        return len(self.count)

    def pair_index(self, ident: str, criterion: str) -> int:
        """The pair number of (initiative id, criterion)."""
        return self.initiatives.index(ident) * len(self.criteria) + self.criteria.index(criterion)

    def disagreements(self) -> list[tuple[str, str]]:
        """The (initiative id, criterion) pairs the room disagreed on, in reveal order."""
        rows = self.order[self.disagree[self.order]]
        return list(zip(self.initiative[rows].tolist(), self.criterion[rows].tolist(), strict=True))

    def to_frame(self) -> pd.DataFrame:
        """The statistics as a table in reveal order (disagreements first)."""
        columns = ("initiative", "criterion", "count", "mean", "median", "min", "max", "range",
                   "std", "disagree")
        frame = pd.DataFrame({c: getattr(self, c)[self.order] for c in columns})
        return frame.reset_index(drop=True)


def summarise(round_: RatingRound) -> RoundSummary:
    """Count, mean, median, min, max, range and std of every rated pair, and the disagreements."""
    ids, crits, people = round_.initiatives, round_.criteria, round_.participants
    k, pairs = len(crits), len(ids) * len(crits)
    keys = pd.DataFrame(list(round_.ratings), columns=["participant", "initiative", "criterion"],
                        dtype=object)
    ratings = np.fromiter(round_.ratings.values(), dtype=np.float64, count=len(round_.ratings))
    pair = (pd.Index(ids, dtype=object).get_indexer(keys["initiative"]) * k
            + pd.Index(crits, dtype=object).get_indexer(keys["criterion"]))
    who = pd.Index(people, dtype=object).get_indexer(keys["participant"])

    grouped = pd.Series(ratings).groupby(pair)
    stats = grouped.agg(["count", "mean", "median", "min", "max"])
    stats["std"] = grouped.std(ddof=0)
    stats = stats.reindex(np.arange(pairs))
    count = stats["count"].fillna(0).to_numpy(dtype=np.int64)
    low, high = stats["min"].to_numpy(np.float64), stats["max"].to_numpy(np.float64)
    spread = np.round(high - low, 9)  # 7.3 - 5.3 is 2.0000000000000004 in floats
    disagree = disagrees(spread, round_.threshold) & (count > 0)

    values = np.full((pairs, len(people)), np.nan)
    values[pair, who] = ratings
    # lexsort sorts by the last key first: disagreement, then range (descending), then grid order.
    order = np.lexsort((np.arange(pairs), -np.nan_to_num(spread, nan=-1.0), ~disagree))
    return RoundSummary(
        round_id=round_.id, initiatives=ids, criteria=crits, participants=people,
        threshold=round_.threshold,
        initiative=np.repeat(np.array(ids, dtype=object), k),
        criterion=np.tile(np.array(crits, dtype=object), len(ids)),
        count=count, mean=stats["mean"].to_numpy(np.float64),
        median=stats["median"].to_numpy(np.float64), min=low, max=high, range=spread,
        std=stats["std"].to_numpy(np.float64), disagree=disagree, values=values,
        order=order.astype(np.int64),
    )


# -- agreeing and applying --------------------------------------------------------------
AGREEMENT_METHODS: tuple[str, ...] = ("mean", "median")


def round_half_up(values: np.ndarray, decimals: int = 1) -> np.ndarray:
    """Round as a PM expects (7.25 -> 7.3), not to even; float noise (6.15 as 6.1499...) ignored."""
    scale = 10.0 ** decimals
    return np.floor(np.round(np.asarray(values, dtype=np.float64) * scale, 6) + 0.5) / scale


def agreed_values(
    summary: RoundSummary,
    method: str = "mean",
    overrides: Mapping[tuple[str, str], float | None] | None = None,
) -> dict[tuple[str, str], float]:
    """The value each rated (initiative id, criterion) pair takes: the room's mean or median
    rounded to one decimal, or the value the facilitator typed after discussion.

    Pairs nobody rated are left out unless typed; a typed None leaves a pair out (not applied).
    """
    if method not in AGREEMENT_METHODS:
        raise ModelError(f"Agree on the mean or the median, not {method!r}.")
    base = round_half_up(summary.mean if method == "mean" else summary.median, 1)
    rated = np.flatnonzero(summary.count > 0)
    out = {(summary.initiative[p], summary.criterion[p]): float(base[p]) for p in rated}
    for (ident, criterion), value in (overrides or {}).items():
        if ident not in summary.initiatives or criterion not in summary.criteria:
            raise ModelError(f"{ident} / {criterion} is not part of this rating round.")
        if value is None:
            out.pop((ident, criterion), None)
            continue
        problem = value_problem(criterion, value)
        if problem:
            raise ModelError(problem, location=Location(column=criterion),
                             hint=f"Type another agreed value for {ident}.")
        out[(ident, criterion)] = float(value)
    return out


#: Confidence follows agreement: a disagreed initiative's confidence is multiplied by this...
CONFIDENCE_FACTOR = 0.8
#: ...but never lowered below this share (and a confidence already below it is left alone).
CONFIDENCE_FLOOR = 0.1


def confidence_after_disagreement(
    current_confidence: float | np.ndarray,
    spread: float | np.ndarray,
    threshold: float,
    *,
    factor: float = CONFIDENCE_FACTOR,
    floor: float = CONFIDENCE_FLOOR,
) -> float | np.ndarray:
    """Confidence after a round: times `factor` where the room disagreed (spread > threshold),
    never below `floor`, never raised; unchanged where it agreed or confidence is blank (NaN).

    Works on one value (returns a float) or on arrays (returns an array).
    """
    if not 0 < factor <= 1 or not 0 <= floor <= 1:
        raise ModelError("Confidence can only be lowered: the factor is above 0 and at most 1, "
                         "the floor between 0 and 1.")
    current = np.asarray(current_confidence, dtype=np.float64)
    lowered = np.minimum(current, np.maximum(current * factor, floor))
    out = np.where(disagrees(spread, threshold), lowered, current)
    return float(out) if out.ndim == 0 else out


def agreed_edits(
    summary: RoundSummary,
    agreed: Mapping[tuple[str, str], float],
    portfolio: Portfolio,
    *,
    follow_agreement: bool = False,
) -> dict[tuple[int, str], float]:
    """The portfolio cells (row, field) to set for the agreed values, ready for
    `Portfolio.with_values` as one undoable step.

    With `follow_agreement`, each initiative the room disagreed on (on any criterion) also gets
    its confidence lowered once by `confidence_after_disagreement`, using its largest range,
    unless confidence itself was rated and agreed in this round.
    """
    rows = portfolio.row_of_id
    gone = sorted({ident for ident, _ in agreed if ident not in rows})
    if gone:
        raise ModelError("These initiatives are no longer in the portfolio: " + ", ".join(gone) + ".",
                         hint="Leave them out of the agreed values.")
    edits = {(rows[ident], criterion): float(v) for (ident, criterion), v in agreed.items()}
    if not follow_agreement:
        return edits
    spread = pd.Series(np.where(summary.disagree, summary.range, np.nan))
    worst = spread.groupby(summary.initiative).max()  # skips NaN: only disagreed pairs count
    worst = worst[worst.notna() & worst.index.isin(list(rows))]
    worst = worst[[(ident, "confidence") not in agreed for ident in worst.index]]
    at = np.array([rows[ident] for ident in worst.index], dtype=np.int64)
    current = portfolio.numeric("confidence")[at]
    new = confidence_after_disagreement(current, worst.to_numpy(), summary.threshold)
    changed = ~np.isnan(current) & (new != current)
    edits.update({(int(r), "confidence"): float(v) for r, v in zip(at[changed], new[changed], strict=True)})
    return edits


# -- choosing what to rate ---------------------------------------------------------------
def select_near_cut_line(ranking: Ranking, allocation: Allocation, count: int = 12) -> list[int]:
    """Rows of the `count` initiatives ranked nearest the cut line, half above and half below
    (best first); when everything is funded, the lowest-ranked ones."""
    order = np.asarray(ranking.order, dtype=np.int64)
    count = min(max(int(count), 0), len(order))
    if allocation.cut_line is None:
        start = len(order) - count
    else:
        first_unfunded = allocation.cut_line - 1  # position in rank order
        start = min(max(first_unfunded - count // 2, 0), len(order) - count)
    return order[start:start + count].tolist()
