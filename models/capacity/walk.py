"""The allocation walk itself, over initiatives already laid out in rank order.

The walk is sequential by nature, so it cannot be vectorised. `walk` runs the compiled walk
(models/capacity/_walk.c, built when Cutline is installed) and falls back to `walk_python` when that
module is missing or stale. `walk_python` is the specification the C file follows line by line;
tests run both on random portfolios and require identical results.

`walk_python` uses plain lists, ints and floats indexed by rank position (0 is the best),
because list access in order is several times faster than indexing numpy scalars. Each
initiative is placed by `fit`, over one or more consecutive quarters (a window of at most
`SlotPlan.span` quarters); the depth-first `visit` pulls in prerequisites ranked below it.
docs/capacity.md states the rules this implements.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

try:
    from cutline.models.capacity import _walk as compiled
except ImportError:  # not built (no C compiler at install time): the Python walk serves
    compiled = None


#: Slack for comparing sums of person-weeks, so that 0.1 + 0.2 fits in 0.3.
EPS = 1e-9

UNTOUCHED, ACTIVE, PLACED, REFUSED = 0, 1, 2, 3
#: Why an initiative is refused (WalkResult.reason); 0 for funded or waiting on a prerequisite.
#: LEFT: not enough free from its earliest quarter to the end; SPAN: enough in all, but not
#: within `span` consecutive quarters; DUE_LEFT and DUE_SPAN: the same, by its (hard) due quarter.
NO_REASON, NO_EFFORT, PINNED_OUT, LARGER, LEFT, NO_CAPACITY, SPAN, DUE_LEFT, DUE_SPAN = range(9)


@dataclass(frozen=True)
class SlotPlan:
    """Capacity as the walk sees it. A slot is one (team or pool, quarter) row of the table.

    Team code t draws in quarter q on slot `team_slot[t * quarters + q]` (its own row, else the
    pool; -1 for none). Per slot, `shared` is the capacity open to every category (capacity
    minus all reserves) and `limit` the most one initiative may take of it (the share limit);
    per slot and guarded category (index slot * g_count + g), the reserve and cap amounts.
    `span` is the most quarters one initiative may run over, and `max_cap[t]` the most team t
    could give one initiative in `span` consecutive quarters of an empty plan.
    """

    team_slot: np.ndarray     # int64, teams * quarters
    quarters: int
    max_cap: np.ndarray       # float64, per team
    shared: np.ndarray        # float64, per slot
    limit: np.ndarray         # float64, per slot
    reserve_amount: np.ndarray
    cap_amount: np.ndarray
    g_count: int
    span: int


@dataclass
class WalkResult:
    """Per rank position: status, first and finish quarter, reason code, the position that
    pulled it in, the position of the prerequisite it waits on (-1 where none applies); for a
    refused one, the earliest quarter it could start in (`lo`) and the person-weeks it could
    have had (`have`, for the reason's words); and the person-weeks placed in each quarter of
    its window, `placed[position * span + k]` for quarter start + k."""

    status: np.ndarray   # int8
    start: np.ndarray    # int64
    finish: np.ndarray   # int64
    reason: np.ndarray   # int8
    pulled: np.ndarray
    waits_on: np.ndarray
    lo: np.ndarray       # int64
    have: np.ndarray     # float64
    placed: np.ndarray   # float64, positions * span


@functools.cache
def _source_hash() -> str | None:
    """SHA-256 of models/capacity/_walk.c, or None where only the build is installed."""
    source = Path(__file__).with_name("_walk.c")
    return hashlib.sha256(source.read_bytes()).hexdigest() if source.exists() else None


def compiled_walk_current() -> bool:
    """Whether the compiled walk is built from the source beside it (not a stale build)."""
    if compiled is None:
        return False
    source = _source_hash()
    return source is None or getattr(compiled, "SOURCE_HASH", "") == source


def compiled_walk_available() -> bool:
    """Whether the compiled walk is built and current (CUTLINE_PYTHON_WALK=1 turns it off, to
    measure or debug the Python walk)."""
    return os.environ.get("CUTLINE_PYTHON_WALK") != "1" and compiled_walk_current()


def _empty_result(n: int, span: int) -> WalkResult:
    i64 = lambda: np.empty(n, np.int64)  # noqa: E731
    return WalkResult(np.empty(n, np.int8), i64(), i64(), np.empty(n, np.int8), i64(), i64(), i64(),
                      np.empty(n, np.float64), np.zeros(n * span, np.float64))


def walk(plan: SlotPlan, effort: np.ndarray, bucket: np.ndarray, last: np.ndarray, ptr: np.ndarray,
         ind: np.ndarray, first: np.ndarray, pinned_out: np.ndarray, earliest: np.ndarray | None = None, *,
         use_compiled: bool = True) -> WalkResult:
    """Place every initiative, by rank position.

    `effort` is NaN for no estimate; `bucket` is team code * (g_count + 1) + guarded-category
    index + 1 (0 for none), which keys the per (team, category) state; `last` is the last
    quarter each may finish in (its hard due quarter, -1 for none in the plan, else
    plan.quarters - 1); `ptr`/`ind` list each position's prerequisites as positions (CSR), best
    ranked first; `first` are the pinned-in positions (best first), `pinned_out` those refused.
    `earliest`, when given (one per position, 0 to plan.quarters), is the first quarter each may
    start in, as if a prerequisite finished then ("what if we delay it", models/capacity/delay.py); an
    empty array or None is 0 for all, and costs nothing.
    """
    earliest = _NONE if earliest is None else earliest
    if not (use_compiled and compiled_walk_available()):
        return walk_python(plan, effort, bucket, last, ptr, ind, first, pinned_out, earliest)
    n = len(effort)
    i64 = lambda a: np.ascontiguousarray(a, dtype=np.int64)  # noqa: E731
    f64 = lambda a: np.ascontiguousarray(a, dtype=np.float64)  # noqa: E731
    r = _empty_result(n, plan.span)
    compiled.walk(i64(plan.team_slot), plan.quarters, f64(plan.max_cap), np.array(plan.shared, dtype=np.float64),
                  f64(plan.limit), f64(plan.reserve_amount), f64(plan.cap_amount), plan.g_count, plan.span,
                  f64(effort), i64(bucket), i64(last), i64(ptr), i64(ind), i64(first), i64(pinned_out),
                  i64(earliest), r.status, r.start, r.finish, r.reason, r.pulled, r.waits_on, r.lo, r.have, r.placed)
    return r


#: No earliest quarters: every initiative may start in the plan's first quarter.
_NONE = np.zeros(0, dtype=np.int64)


def _check(plan: SlotPlan, n: int, bucket, last, ptr, ind, first, pinned_out, earliest=_NONE) -> None:
    """Refuse inputs that index outside their tables, as the compiled walk does (in its own
    copies): Python would read a negative index from the end instead."""
    def within(name: str, values, lo: int, hi: int) -> None:
        values = np.asarray(values)
        if values.size and (values.min() < lo or values.max() >= hi):
            raise ValueError(f"{name} indexes outside [{lo}, {hi})")

    teams, q = len(plan.max_cap), plan.quarters
    if plan.span < 1 or q < 0 or len(plan.team_slot) != teams * q or len(plan.limit) != len(plan.shared):
        raise ValueError("the slot plan's sizes do not agree")
    if len(bucket) != n or len(last) != n:
        raise ValueError(f"bucket or last has the wrong length for {n} initiatives")
    p = np.asarray(ptr)
    if len(p) != n + 1 or p[0] != 0 or p[-1] != len(ind) or (np.diff(p) < 0).any():
        raise ValueError(f"ptr is not a CSR index of {n} rows over {len(ind)} items")
    within("team_slot", plan.team_slot, -1, len(plan.shared))
    within("ind", ind, 0, n)
    within("bucket", bucket, 0, teams * (plan.g_count + 1))
    within("last", last, -1, q)
    within("first", first, 0, n)
    within("pinned_out", pinned_out, 0, n)
    if len(earliest) not in (0, n):
        raise ValueError(f"earliest has the wrong length for {n} initiatives")
    within("earliest", earliest, 0, q + 1)


def walk_python(plan: SlotPlan, effort, bucket, last, ptr, ind, first, pinned_out, earliest=_NONE) -> WalkResult:
    """The walk in plain Python: the specification of the compiled one, and its fallback."""
    _check(plan, len(effort), bucket, last, ptr, ind, first, pinned_out, earliest)
    effort, bucket = np.asarray(effort, dtype=float).tolist(), np.asarray(bucket).tolist()
    last, ptr, ind = np.asarray(last).tolist(), np.asarray(ptr).tolist(), np.asarray(ind).tolist()
    tslot, Q, W = np.asarray(plan.team_slot).tolist(), plan.quarters, plan.span
    max_cap = np.asarray(plan.max_cap, dtype=float).tolist()
    shared, g_count = np.asarray(plan.shared, dtype=float).tolist(), plan.g_count
    limit = np.asarray(plan.limit, dtype=float).tolist()
    reserve_amount = np.asarray(plan.reserve_amount, dtype=float).tolist()
    cap_amount = np.asarray(plan.cap_amount, dtype=float).tolist()
    n = len(effort)
    early = np.asarray(earliest).tolist() if len(earliest) else [0] * n  # the first quarter each may use
    status, start, finish = [UNTOUCHED] * n, [-1] * n, [-1] * n
    pulled, waits, lo_of, have = [-1] * n, [-1] * n, [-1] * n, [0.0] * n
    reason = [NO_REASON] * n
    placed = [0.0] * (n * W)
    used = [0.0] * len(reserve_amount)
    # What a (team, category) could still use in a window of quarters only ever shrinks, so
    # the most seen in a failed scan of all its windows bounds it from then on and refuses
    # larger ones without a scan; and a quarter found with no room never needs looking at again.
    g1 = g_count + 1
    bound = [float("inf")] * (len(max_cap) * g1)
    begin = [0] * (len(max_cap) * g1)
    team_of = [b // g1 for b in range(len(bound))]
    guard_of = [b % g1 - 1 for b in range(len(bound))]
    rooms = [0.0] * Q

    def room_in(s: int, g: int) -> float:
        """What one initiative of guarded category g (-1: none) may still take of slot s."""
        if g < 0:
            room = shared[s]
        else:
            j = s * g_count + g
            u, r, c = used[j], reserve_amount[j], cap_amount[j]
            room = (r - u if u < r else 0.0) + shared[s]
            room = c - u if c - u < room else room
        room = limit[s] if limit[s] < room else room
        return room if room > 0.0 else 0.0

    def take(s: int, g: int, amount: float) -> None:
        if g < 0:
            shared[s] -= amount
        else:
            j = s * g_count + g
            u, r = used[j], reserve_amount[j]
            after = u + amount
            shared[s] -= (after - r if after > r else 0.0) - (u - r if u > r else 0.0)
            used[j] = after

    def fill_rooms(base: int, g: int, q0: int, q1: int) -> None:
        """rooms[q] for quarters q0 <= q < q1 of the team whose slots start at `base`."""
        for q in range(q0, q1):
            s = tslot[base + q]
            rooms[q] = room_in(s, g) if s >= 0 else 0.0

    def refuse(x: int, lo: int) -> bool:
        """Refuse x, recording why and, for the reason's words, what it could have had."""
        e, b, hi = effort[x], bucket[x], last[x]
        t, g = team_of[b], guard_of[b]
        status[x], lo_of[x] = REFUSED, lo
        top = max_cap[t]
        if top <= 0:
            reason[x] = NO_CAPACITY
            return False
        if e > top + EPS:
            reason[x], have[x] = LARGER, top
            return False
        q0 = lo if lo > begin[b] else begin[b]
        fill_rooms(t * Q, g, q0, hi + 1)
        total, most = 0.0, 0.0
        for i in range(q0, hi + 1):
            total += rooms[i]
            if rooms[i] > EPS:
                acc = 0.0
                for j in range(i, i + W if i + W <= hi + 1 else hi + 1):
                    acc += rooms[j]
                if acc > most:
                    most = acc
        due = hi < Q - 1
        if e > total + EPS or e <= EPS:
            reason[x], have[x] = (DUE_LEFT if due else LEFT), total
        else:
            reason[x], have[x] = (DUE_SPAN if due else SPAN), most
        return False

    def fit(x: int, lo: int) -> bool:
        """Put x in the earliest window of quarters from `lo` with room for it, filling each
        quarter of the window in turn with what is free for it, finishing by its last quarter."""
        e, b, hi = effort[x], bucket[x], last[x]
        t, g = team_of[b], guard_of[b]
        base = t * Q
        if e <= EPS:  # no effort: the first quarter it may use in which the team has a slot
            for q in range(lo, hi + 1):
                s = tslot[base + q]
                if s >= 0:
                    take(s, g, e)
                    status[x], start[x], finish[x], placed[x * W] = PLACED, q, q, e
                    return True
            return refuse(x, lo)
        if e <= bound[b] + EPS:
            q = begin[b]
            fill_rooms(base, g, q, Q)
            while q < Q and rooms[q] <= EPS:
                q += 1
            begin[b] = q
            most = 0.0
            for i in range(q, Q):
                if rooms[i] <= EPS:
                    continue
                acc = 0.0
                for j in range(i, i + W if i + W <= Q else Q):
                    before = acc
                    acc += rooms[j]
                    if e <= acc + EPS and i >= lo and j <= hi:
                        at = x * W - i
                        for k in range(i, j):
                            s = tslot[base + k]
                            if s >= 0:
                                take(s, g, rooms[k])
                            placed[at + k] = rooms[k]
                        take(tslot[base + j], g, e - before)
                        placed[at + j] = e - before
                        status[x], start[x], finish[x] = PLACED, i, j
                        return True
                if acc > most:
                    most = acc
            bound[b] = most  # every window was seen, even those before `lo` or past `last`
        return refuse(x, lo)

    def visit(w: int) -> None:
        """Place w after pulling in its prerequisites, depth first, without recursion."""
        status[w] = ACTIVE
        stack = [[w, ind[ptr[w]:ptr[w + 1]], 0, early[w]]]
        while stack:
            frame = stack[-1]
            x, ps, i, lo = frame
            blocked, pushed = -1, False
            while i < len(ps):
                p = ps[i]
                state = status[p]
                if state == PLACED:
                    lo = finish[p] if finish[p] > lo else lo
                    i += 1
                    continue
                if state == UNTOUCHED:
                    if effort[p] != effort[p]:
                        status[p], reason[p] = REFUSED, NO_EFFORT
                    elif ptr[p] == ptr[p + 1]:
                        if fit(p, early[p]):
                            pulled[p] = w
                            continue  # seen as placed on the next pass
                    else:
                        frame[2], frame[3] = i, lo
                        status[p] = ACTIVE
                        stack.append([p, ind[ptr[p]:ptr[p + 1]], 0, early[p]])
                        pushed = True
                        break
                blocked = p  # refused, or waiting on one of its own dependants (a cycle)
                break
            if pushed:
                continue
            stack.pop()
            if blocked >= 0:
                status[x], waits[x] = REFUSED, blocked
            elif fit(x, lo) and x != w:
                pulled[x] = w

    for x in np.asarray(pinned_out).tolist():
        status[x], reason[x] = REFUSED, PINNED_OUT
    first = np.asarray(first).tolist()
    for x in (first + list(range(n))) if first else range(n):
        if status[x]:
            continue
        e = effort[x]
        if e != e:
            status[x], reason[x] = REFUSED, NO_EFFORT
            continue
        lo, k, k1 = early[x], ptr[x], ptr[x + 1]
        if k != k1:
            waiting = -1
            for p in ind[k:k1]:
                state = status[p]
                if state == PLACED:
                    lo = finish[p] if finish[p] > lo else lo
                elif state == REFUSED:
                    waiting = p
                    break
                else:
                    waiting = n  # ranked below x and not yet placed: pull it in
                    break
            if waiting == n:
                visit(x)
                continue
            if waiting >= 0:
                status[x], waits[x] = REFUSED, waiting
                continue
        fit(x, lo)
    i64 = lambda a: np.array(a, dtype=np.int64)  # noqa: E731
    return WalkResult(np.array(status, dtype=np.int8), i64(start), i64(finish), np.array(reason, dtype=np.int8),
                      i64(pulled), i64(waits), i64(lo_of), np.array(have, dtype=np.float64),
                      np.array(placed, dtype=np.float64))
