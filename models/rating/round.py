"""Group rating ("estimation poker for any criterion"): a round of hidden ratings, revealed at once.

Holds the round itself: `RatingRound` (who rates which initiatives on which criteria, and every
rating given) and its `Ratings` table; every rating passes `value_problem` (models/portfolio/portfolio.py). The
reveal's statistics and what the room agrees on live in `cutline.models.rating.summary`; their public
names are re-exported at the end of this module, so `from cutline.models.rating.round import summarise` works.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from cutline.models.errors import Location, ModelError, WorkshopFileError
from cutline.models.portfolio.portfolio import NUMERIC_FIELDS, RATING_FIELDS, value_problem  # noqa: F401 - value_problem is re-exported

#: Version of the plain-data form written by `RatingRound.to_dict`.
ROUND_VERSION = 1
#: The default disagreement threshold: a range of more than 2 rating points is a disagreement.
DEFAULT_THRESHOLD = 2.0

Key = tuple[str, str, str]  # (participant, initiative id, criterion)


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


# -- re-exports -------------------------------------------------------------------------
# The reveal and agreement moved to cutline.models.rating.summary; these names stay importable from
# here (docs/workshop-mode.md shows `from cutline.models.rating.round import summarise, agreed_edits`).
# At the end of the module so that cutline.models.rating.summary can import from this one.
from cutline.models.rating.summary import (  # noqa: E402, F401
    AGREEMENT_METHODS,
    CONFIDENCE_FACTOR,
    CONFIDENCE_FLOOR,
    RoundSummary,
    agreed_edits,
    agreed_values,
    confidence_after_disagreement,
    disagrees,
    round_half_up,
    select_near_cut_line,
    summarise,
)
