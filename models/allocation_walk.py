"""The allocation walk itself, over initiatives already laid out in rank order.

The walk is sequential by nature, so it cannot be vectorised. `walk` runs the compiled walk
(models/_walk.c, built when Cutline is installed) and falls back to `walk_python` when that
module is missing or stale. `walk_python` is the specification the C file follows line by line;
tests run both on random portfolios and require identical results.

`walk_python` uses plain lists, ints and floats indexed by rank position (0 is the best),
because list access in order is several times faster than indexing numpy scalars. Each
initiative is placed by `fit`; the depth-first `visit` pulls in prerequisites ranked below it.
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
    from models import _walk as compiled
except ImportError:  # not built (no C compiler at install time): the Python walk serves
    compiled = None


#: Slack for comparing sums of person-weeks, so that 0.1 + 0.2 fits in 0.3.
EPS = 1e-9

UNTOUCHED, ACTIVE, PLACED, REFUSED = 0, 1, 2, 3
#: Why an initiative is refused (WalkResult.reason); 0 for funded or waiting on a prerequisite.
NO_REASON, NO_EFFORT, PINNED_OUT, LARGER, LEFT, NO_CAPACITY = 0, 1, 2, 3, 4, 5


@dataclass(frozen=True)
class SlotPlan:
    """Capacity as the walk sees it. A slot is one (team or pool, quarter) row of the table.

    Team code t may draw on the slots team_slot[team_ptr[t]:team_ptr[t + 1]], in quarters
    team_quarter[...] (earliest first); `max_cap[t]` is its largest quarter's full capacity.
    Per slot, `shared` is the capacity open to every category (capacity minus all reserves);
    per slot and guarded category (index slot * g_count + g), the reserve and cap amounts.
    """

    team_ptr: np.ndarray      # int64, teams + 1
    team_quarter: np.ndarray  # int64
    team_slot: np.ndarray     # int64
    max_cap: np.ndarray       # float64, per team
    shared: np.ndarray        # float64, per slot
    reserve_amount: np.ndarray
    cap_amount: np.ndarray
    g_count: int


@dataclass
class WalkResult:
    """Per rank position: status, quarter, slot, reason code, the position that pulled it in,
    and the position of the prerequisite it waits on (-1 where none applies)."""

    status: np.ndarray   # int8
    quarter: np.ndarray  # int64
    slot: np.ndarray
    reason: np.ndarray   # int8
    pulled: np.ndarray
    waits_on: np.ndarray


@functools.cache
def _source_hash() -> str | None:
    """SHA-256 of models/_walk.c, or None where only the build is installed."""
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


def walk(plan: SlotPlan, effort: np.ndarray, bucket: np.ndarray, ptr: np.ndarray, ind: np.ndarray,
         first: np.ndarray, pinned_out: np.ndarray, *, use_compiled: bool = True) -> WalkResult:
    """Place every initiative, by rank position.

    `effort` is NaN for no estimate; `bucket` is team code * (g_count + 1) + guarded-category
    index + 1 (0 for none), which keys the per (team, category) state; `ptr`/`ind`
    list each position's prerequisites as positions (CSR), best ranked first;
    `first` are the pinned-in positions (best first), `pinned_out` those refused outright.
    """
    if not (use_compiled and compiled_walk_available()):
        return walk_python(plan, effort, bucket, ptr, ind, first, pinned_out)
    n = len(effort)
    i64 = lambda a: np.ascontiguousarray(a, dtype=np.int64)  # noqa: E731
    f64 = lambda a: np.ascontiguousarray(a, dtype=np.float64)  # noqa: E731
    result = WalkResult(np.empty(n, np.int8), np.empty(n, np.int64), np.empty(n, np.int64),
                        np.empty(n, np.int8), np.empty(n, np.int64), np.empty(n, np.int64))
    compiled.walk(i64(plan.team_ptr), i64(plan.team_quarter), i64(plan.team_slot), f64(plan.max_cap),
                  np.array(plan.shared, dtype=np.float64), f64(plan.reserve_amount), f64(plan.cap_amount),
                  plan.g_count, f64(effort), i64(bucket), i64(ptr), i64(ind), i64(first), i64(pinned_out),
                  result.status, result.quarter, result.slot, result.reason, result.pulled,
                  result.waits_on)
    return result


def _check(plan: SlotPlan, n: int, bucket, ptr, ind, first, pinned_out) -> None:
    """Refuse inputs that index outside their tables, as the compiled walk does (in its own
    copies): Python would read a negative index from the end instead."""
    def within(name: str, values, hi: int) -> None:
        values = np.asarray(values)
        if values.size and (values.min() < 0 or values.max() >= hi):
            raise ValueError(f"{name} indexes outside [0, {hi})")

    def csr(name: str, p, rows: int, length: int) -> None:
        p = np.asarray(p)
        if len(p) != rows + 1 or p[0] != 0 or p[-1] != length or (np.diff(p) < 0).any():
            raise ValueError(f"{name} is not a CSR index of {rows} rows over {length} items")

    teams = len(plan.max_cap)
    if len(bucket) != n:
        raise ValueError(f"bucket has {len(bucket)} entries for {n} initiatives")
    csr("team_ptr", plan.team_ptr, teams, len(plan.team_slot))
    within("team_slot", plan.team_slot, len(plan.shared))
    csr("ptr", ptr, n, len(ind))
    within("ind", ind, n)
    within("bucket", bucket, teams * (plan.g_count + 1))
    within("first", first, n)
    within("pinned_out", pinned_out, n)


def walk_python(plan: SlotPlan, effort, bucket, ptr, ind, first, pinned_out) -> WalkResult:
    """The walk in plain Python: the specification of the compiled one, and its fallback."""
    _check(plan, len(effort), bucket, ptr, ind, first, pinned_out)
    effort, bucket = np.asarray(effort, dtype=float).tolist(), np.asarray(bucket).tolist()
    ptr, ind = np.asarray(ptr).tolist(), np.asarray(ind).tolist()
    tptr = np.asarray(plan.team_ptr).tolist()
    pairs_q, pairs_s = np.asarray(plan.team_quarter).tolist(), np.asarray(plan.team_slot).tolist()
    team_slots = [list(zip(pairs_q[a:b], pairs_s[a:b])) for a, b in zip(tptr, tptr[1:])]
    max_cap = np.asarray(plan.max_cap, dtype=float).tolist()
    shared, g_count = np.asarray(plan.shared, dtype=float).tolist(), plan.g_count
    reserve_amount = np.asarray(plan.reserve_amount, dtype=float).tolist()
    cap_amount = np.asarray(plan.cap_amount, dtype=float).tolist()
    n = len(effort)
    status, quarter, slot_of, pulled, waits = [UNTOUCHED] * n, [-1] * n, [-1] * n, [-1] * n, [-1] * n
    reason = [NO_REASON] * n
    used = [0.0] * len(reserve_amount)
    # What a (team, category) could still use in one quarter only ever shrinks, so the most
    # seen in a failed scan of all its quarters bounds it from then on and refuses larger
    # ones without a scan; and a quarter found with no room never needs looking at again.
    g1 = g_count + 1
    bound = [float("inf")] * (len(team_slots) * g1)
    start = [0] * (len(team_slots) * g1)
    team_of = [b // g1 for b in range(len(bound))]
    guard_of = [b % g1 - 1 for b in range(len(bound))]

    def fit(x: int, lo: int) -> bool:
        """Put x in the earliest quarter from `lo` with room within the guardrails."""
        e, b = effort[x], bucket[x]
        t, g = team_of[b], guard_of[b]
        if e <= bound[b] + EPS:
            pairs, most = team_slots[t], 0.0
            for i in range(start[b] if e > EPS else 0, len(pairs)):
                q, s = pairs[i]
                if g < 0:
                    room = shared[s]
                else:
                    j = s * g_count + g
                    u, r, c = used[j], reserve_amount[j], cap_amount[j]
                    room = (r - u if u < r else 0.0) + shared[s]
                    room = c - u if c - u < room else room
                if e <= room + EPS and q >= lo:
                    if g < 0:
                        shared[s] = room - e
                    else:
                        after = u + e
                        shared[s] -= (after - r if after > r else 0.0) - (u - r if u > r else 0.0)
                        used[j] = after
                    status[x], quarter[x], slot_of[x] = PLACED, q, s
                    return True
                if room > most:
                    most = room
                elif room <= EPS and i == start[b]:
                    start[b] = i + 1
            bound[b] = most  # every quarter's room was seen, even those before `lo`
        status[x] = REFUSED
        top = max_cap[t]
        reason[x] = NO_CAPACITY if top <= 0 else LARGER if e > top + EPS else LEFT
        return False

    def visit(w: int) -> None:
        """Place w after pulling in its prerequisites, depth first, without recursion."""
        status[w] = ACTIVE
        stack = [[w, ind[ptr[w]:ptr[w + 1]], 0, 0]]
        while stack:
            frame = stack[-1]
            x, ps, i, lo = frame
            blocked, pushed = -1, False
            while i < len(ps):
                p = ps[i]
                state = status[p]
                if state == PLACED:
                    lo = quarter[p] if quarter[p] > lo else lo
                    i += 1
                    continue
                if state == UNTOUCHED:
                    if effort[p] != effort[p]:
                        status[p], reason[p] = REFUSED, NO_EFFORT
                    elif ptr[p] == ptr[p + 1]:
                        if fit(p, 0):
                            pulled[p] = w
                            continue  # seen as placed on the next pass
                    else:
                        frame[2], frame[3] = i, lo
                        status[p] = ACTIVE
                        stack.append([p, ind[ptr[p]:ptr[p + 1]], 0, 0])
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
        lo, k, k1 = 0, ptr[x], ptr[x + 1]
        if k != k1:
            waiting = -1
            for p in ind[k:k1]:
                state = status[p]
                if state == PLACED:
                    lo = quarter[p] if quarter[p] > lo else lo
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
    return WalkResult(np.array(status, dtype=np.int8), np.array(quarter, dtype=np.int64),
                      np.array(slot_of, dtype=np.int64), np.array(reason, dtype=np.int8),
                      np.array(pulled, dtype=np.int64), np.array(waits, dtype=np.int64))
