"""The room: a round opened to the participants' own phones and laptops, as plain, thread-safe state.

The room's web server (app/room/server.py) reads and checks here, from its own thread; the
window records here, on its thread, once a change is durably in the workshop file. Everything a
participant sends is checked against the round: only its initiatives and criteria, only the
criteria their role may rate, values within the criterion's scale, purchases within the budget.
Secrets come from `secrets` and are compared with `hmac.compare_digest`.
"""

from __future__ import annotations

import hmac
import math
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from cutline.models.portfolio.portfolio import value_problem
from cutline.models.rating.budget_vote import BudgetVote
from cutline.models.rating.round import RatingRound
from cutline.models.room.scale import Scale, scale_for

#: The join code's letters: no 0/O or 1/I/L to misread. 8 of them are 40 random bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
#: Longest participant name, and most ratings in one request (a phone sends one at a time).
NAME_LIMIT = 40
ENTRY_LIMIT = 100
#: Most people in one room, and joined from one address: far more than a workshop, few enough
#: that a device joining over and over can neither fill the room for everyone else nor the
#: host's screen and the workshop file without end.
PARTICIPANT_LIMIT = 500
ADDRESS_PARTICIPANTS = 50
#: A name is shown on the host's screens (some of Qt's labels take markup) and goes into the
#: workshop's exports (spreadsheets read a leading = + - @ as a formula): neither is allowed.
NAME_MARKUP = frozenset("<>")
FORMULA_START = tuple("=+-@")
#: Numbers above this are typing mistakes, even for an unbounded quantity such as reach.
VALUE_LIMIT = 1e9
#: An idle room (no request from anyone) closes after this long.
DEFAULT_IDLE_SECONDS = 30 * 60
#: Everyone may rate every criterion unless the host names roles.
EVERYONE = "Everyone"
RATING, BUDGET = "rating", "budget"


class RoomRefused(Exception):
    """A request the room does not take: `status` is the HTTP status, `message` words for the page."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Role:
    """A kind of participant and the criteria they rate ("Engineer": effort, risk)."""

    name: str
    criteria: tuple[str, ...]


@dataclass
class Participant:
    """Someone who joined from their own device; `token` proves it on every later request."""

    pid: str
    name: str
    role: str
    criteria: tuple[str, ...]
    secret: str = field(repr=False)
    address: str = field(default="", repr=False)  # where they joined from (app/room_server.address_key)

    @property
    def token(self) -> str:
        return f"{self.pid}.{self.secret}"


def name_key(name: str) -> str:
    """What two names are compared by: "ann", "ANN" and a full-width "Ａｎｎ" are one name."""
    return unicodedata.normalize("NFKC", name).casefold()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def readable_code(code: str) -> str:
    """The code as shown on screen: two groups of four, K7PQ-4XMA."""
    return f"{code[:4]}-{code[4:]}"


def normal_code(text: object) -> str:
    """What a participant typed as the code, upper case, without spaces and dashes."""
    return "".join(ch for ch in str(text).upper() if ch.isalnum())[: CODE_LENGTH * 2]


class TokenBuckets:
    """Requests per key and second: `rate` a second on average, `burst` at once. Bounded in size."""

    def __init__(self, rate: float, burst: float, clock: Callable[[], float], keys: int = 2048):
        self.rate, self.burst, self.clock, self.keys = rate, burst, clock, keys
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, key: str) -> bool:
        now = self.clock()
        level, then = self._buckets.pop(key, (self.burst, now))
        level = min(self.burst, level + (now - then) * self.rate)
        if len(self._buckets) >= self.keys:  # forget the oldest key
            self._buckets.pop(next(iter(self._buckets)))
        if level < 1:
            self._buckets[key] = (level, now)
            return False
        self._buckets[key] = (level - 1, now)
        return True


class Room:
    """One open round: who joined, what they rated or bought, and the checks on what they send."""

    def __init__(
        self, *, round_: RatingRound | None = None, vote: BudgetVote | None = None,
        titles: Mapping[str, str] | None = None, words: Mapping[str, Mapping[str, float]] | None = None,
        roles: Sequence[Role] = (), idle_seconds: float = DEFAULT_IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ):
        if (round_ is None) == (vote is None):
            raise ValueError("a room runs either a rating round or a budget vote")
        self.kind = RATING if round_ is not None else BUDGET
        self.round_id = round_.id if round_ is not None else vote.id
        self.criteria: tuple[str, ...] = round_.criteria if round_ is not None else ()
        self.initiatives: tuple[str, ...] = round_.initiatives if round_ is not None else vote.initiatives
        self.titles = {i: str((titles or {}).get(i, "")) for i in self.initiatives}
        self.scales: dict[str, Scale] = {c: scale_for(c, (words or {}).get(c)) for c in self.criteria}
        self.roles = tuple(roles) or (Role(EVERYONE, self.criteria),)
        self.vote = vote
        self.idle_seconds = float(idle_seconds)
        self.clock = clock
        self.code = new_code()
        self.state = "open"
        self._lock = threading.RLock()
        self._people: dict[str, Participant] = {}  # pid -> participant
        self._known = set(round_.participants if round_ is not None else ())  # names taken
        self._ratings: dict[tuple[str, str, str], float] = dict(round_.ratings) if round_ else {}
        self._last = clock()
        self.per_participant = TokenBuckets(30, 60, clock)
        self.per_address = TokenBuckets(5, 20, clock)
        # answers from one address, whatever token they carry: joining again and again gives a
        # device more tokens, not more writes to the workshop file
        self.per_address_writes = TokenBuckets(20, 60, clock)
        self._initiative_set, self._criteria_set = set(self.initiatives), set(self.criteria)

    # -- secrets --------------------------------------------------------------------------------
    def code_matches(self, code: object) -> bool:
        return hmac.compare_digest(normal_code(code).encode(), self.code.encode())

    def participant_for(self, token: object) -> Participant:
        """The participant holding `token`, or RoomRefused(401)."""
        pid, _, secret = str(token or "").partition(".")
        with self._lock:
            person = self._people.get(pid)
        if person is None or not hmac.compare_digest(secret.encode(), person.secret.encode()):
            raise RoomRefused(401, "This device is not in the round (any more). Join again with the code.")
        return person

    def touch(self) -> None:
        self._last = self.clock()

    def idle_for(self) -> float:
        return self.clock() - self._last

    def is_idle(self) -> bool:
        return self.idle_for() >= self.idle_seconds

    def require_open(self) -> None:
        if self.state != "open":
            raise RoomRefused(409, "The round is closed: the host has stopped taking ratings.")

    # -- joining --------------------------------------------------------------------------------
    def check_join(self, name: object, role: object, address: str = "") -> tuple[str, Role]:
        """The stripped name and the role of someone joining (from `address`, if known), or
        RoomRefused(400, 409 or 429)."""
        self.require_open()
        if not isinstance(name, str) or not name.strip():
            raise RoomRefused(400, "Type your name to join.")
        name = " ".join(name.split())
        if len(name) > NAME_LIMIT:
            raise RoomRefused(400, f"A name has at most {NAME_LIMIT} letters.")
        if not name.isprintable() or NAME_MARKUP & set(name) or name.startswith(FORMULA_START):
            raise RoomRefused(400, "A name cannot hold < or > or invisible characters, "
                                   "nor start with = + - or @.")
        chosen = next((r for r in self.roles if r.name == role), None)
        if chosen is None:
            if len(self.roles) > 1 or role not in (None, "", self.roles[0].name):
                raise RoomRefused(400, "Choose one of the roles the host offers.")
            chosen = self.roles[0]
        with self._lock:
            if name_key(name) in {name_key(n) for n in self._known}:
                raise RoomRefused(409, f"Someone called {name} has joined already; add an initial.")
            if len(self._people) >= PARTICIPANT_LIMIT:
                raise RoomRefused(409, f"The room is full: {PARTICIPANT_LIMIT} people have joined.")
            if address and self.joined_from(address) >= ADDRESS_PARTICIPANTS:
                raise RoomRefused(429, "Too many people have joined from this device.")
        return name, chosen

    def joined_from(self, address: str) -> int:
        with self._lock:
            return sum(1 for p in self._people.values() if p.address == address)

    def add_participant(self, name: str, role: Role, address: str = "") -> Participant:
        """Let `name` in (checked again: two people may have asked for one name at once)."""
        name, role = self.check_join(name, role.name, address)
        with self._lock:
            pid = secrets.token_hex(4)
            while pid in self._people:
                pid = secrets.token_hex(4)
            person = Participant(pid, name, role.name, role.criteria, secrets.token_urlsafe(24), address)
            self._people[pid] = person
            self._known.add(name)
            if self.vote is not None:
                self.vote = self.vote.with_participant(name)
            return person

    def remove_participant(self, name: str) -> None:
        """Send `name` out of the room: their token stops working and their ratings are dropped."""
        with self._lock:
            for pid, person in list(self._people.items()):
                if person.name == name:
                    del self._people[pid]
            self._known.discard(name)
            self._ratings = {k: v for k, v in self._ratings.items() if k[0] != name}
            if self.vote is not None and name in self.vote.participants:
                self.vote = self.vote.without_participant(name)

    @property
    def participants(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(p.name for p in self._people.values())

    # -- ratings --------------------------------------------------------------------------------
    def check_ratings(self, person: Participant, entries: object) -> list[tuple[str, str, str, float | None]]:
        """Entries `[[initiative id, criterion, value or null], ...]` as round entries, or RoomRefused(400)."""
        self.require_open()
        if self.kind != RATING:
            raise RoomRefused(400, "This round is a budget vote: buy initiatives instead of rating them.")
        if not isinstance(entries, list) or not 0 < len(entries) <= ENTRY_LIMIT:
            raise RoomRefused(400, f"Send between 1 and {ENTRY_LIMIT} ratings at a time.")
        out, seen = [], set()
        for entry in entries:
            if not (isinstance(entry, list) and len(entry) == 3):
                raise RoomRefused(400, "A rating is [initiative, criterion, value].")
            ident, criterion, value = entry
            if not isinstance(ident, str) or ident not in self._initiative_set:
                raise RoomRefused(400, "That initiative is not rated in this round.")
            if not isinstance(criterion, str) or criterion not in self._criteria_set:
                raise RoomRefused(400, "That criterion is not rated in this round.")
            if (ident, criterion) in seen:  # one rating per cell: a request writes at most the round
                raise RoomRefused(400, "Each initiative and criterion is rated once in a request.")
            seen.add((ident, criterion))
            if criterion not in person.criteria:
                raise RoomRefused(403, f"As {person.role} you do not rate {criterion} in this round.")
            if value is not None:
                problem = self._value_problem(criterion, value)
                if problem:
                    raise RoomRefused(400, problem)
                value = float(value)
            out.append((person.name, ident, criterion, value))
        return out

    @staticmethod
    def _value_problem(criterion: str, value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"A rating of {criterion} is a number."
        if isinstance(value, int) and abs(value) > VALUE_LIMIT:  # JSON integers may have 400 digits
            return f"That number is too large for a rating of {criterion}."
        if not math.isfinite(value):
            return f"A rating of {criterion} is a number."
        if abs(value) > VALUE_LIMIT:
            return f"{value:g} is too large for a rating of {criterion}."
        return value_problem(criterion, value)

    def record_ratings(self, entries: Iterable[tuple[str, str, str, float | None]]) -> None:
        """Keep ratings already written to the workshop file (those of removed people are skipped)."""
        with self._lock:
            for name, ident, criterion, value in entries:
                if name not in self._known:
                    continue
                if value is None:
                    self._ratings.pop((name, ident, criterion), None)
                else:
                    self._ratings[(name, ident, criterion)] = value

    def ratings(self) -> dict[tuple[str, str, str], float]:
        with self._lock:
            return dict(self._ratings)

    # -- budget ---------------------------------------------------------------------------------
    def check_purchase(self, person: Participant, ids: object) -> tuple[str, ...]:
        """The initiatives `person` buys, or RoomRefused(400) when they cannot."""
        self.require_open()
        if self.vote is None:
            raise RoomRefused(400, "This round rates initiatives; there is nothing to buy.")
        if not isinstance(ids, list) or len(ids) > len(self.initiatives) or not all(isinstance(i, str) for i in ids):
            raise RoomRefused(400, "Send the list of initiatives you buy.")
        problem = self.vote.purchase_problem(ids)
        if problem:
            raise RoomRefused(400, problem)
        return tuple(ids)

    def record_purchase(self, name: str, ids: Sequence[str]) -> None:
        with self._lock:
            if self.vote is not None and name in self.vote.participants:
                self.vote = self.vote.with_purchase(name, ids)

    # -- reading --------------------------------------------------------------------------------
    def progress(self) -> list[tuple[str, str, int, int]]:
        """(name, role, done, of) for everyone who joined, in joining order."""
        with self._lock:
            people = list(self._people.values())
            done: dict[str, int] = {}
            for name, _, _ in self._ratings:
                done[name] = done.get(name, 0) + 1
            bought = self.vote.purchases if self.vote is not None else {}
        out = []
        for p in people:
            if self.kind == RATING:
                out.append((p.name, p.role, done.get(p.name, 0), len(p.criteria) * len(self.initiatives)))
            else:
                out.append((p.name, p.role, len(bought.get(p.name, ())), 0))
        return out

    def join_info(self) -> dict:
        """What the join page shows before anyone joins: the round's kind and the roles offered."""
        return {"kind": self.kind, "state": self.state,
                "roles": [{"name": r.name, "criteria": list(r.criteria)} for r in self.roles]
                if len(self.roles) > 1 else []}

    def page_for(self, person: Participant) -> dict:
        """Everything `person`'s page shows: the round, their scales, and only their own answers."""
        with self._lock:
            own = {}
            for (name, ident, criterion), value in self._ratings.items():
                if name == person.name:
                    own.setdefault(ident, {})[criterion] = value
            vote = self.vote
        page = {"kind": self.kind, "state": self.state, "name": person.name, "role": person.role,
                "initiatives": [{"id": i, "title": self.titles[i]} for i in self.initiatives]}
        if self.kind == RATING:
            page["criteria"] = [self.scales[c].to_dict() for c in self.criteria if c in person.criteria]
            page["ratings"] = own
        else:
            page["budget"] = vote.budget
            page["prices"] = {i: p for i, p in vote.prices.items()}
            page["bought"] = list(vote.purchases.get(person.name, ()))
        return page

    def rating_round(self, base: RatingRound) -> RatingRound:
        """`base` with everyone who joined as its participants and every rating they gave."""
        with self._lock:
            joined = [p.name for p in self._people.values() if p.name not in base.participants]
            ratings = dict(self._ratings)
        return RatingRound(base.id, base.criteria, base.initiatives, base.participants + tuple(joined),
                           ratings, base.threshold, base.revealed, base.created)
