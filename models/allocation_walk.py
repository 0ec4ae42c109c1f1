"""The allocation walk itself, over initiatives already laid out in rank order.

Everything here is plain Python lists, ints and floats indexed by rank position (0 is the
best), because the walk is sequential by nature and list access in order is several times
faster than indexing numpy scalars or jumping around lists in portfolio order. The common
case (an initiative whose prerequisites have all had their turn) is placed inline in the
main loop; `fit` and the depth-first `visit` serve prerequisites that are pulled in.
docs/capacity.md states the rules this implements.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: Slack for comparing sums of person-weeks, so that 0.1 + 0.2 fits in 0.3.
EPS = 1e-9

NO_EFFORT = "no effort estimate"
PINNED_OUT = "pinned out"

UNTOUCHED, ACTIVE, PLACED, REFUSED = 0, 1, 2, 3


@dataclass(frozen=True)
class SlotPlan:
    """Capacity as the walk sees it. A slot is one (team or pool, quarter) row of the table.

    `team_slots[t]` lists (quarter, slot) pairs, earliest first, that team code t may draw on;
    per slot, `shared` is the capacity open to every category (capacity minus all reserves);
    per slot and guarded category (index slot * g_count + g), the reserve and cap amounts.
    """

    team_slots: list[list[tuple[int, int]]]
    max_cap: list[float]        # per team code: its largest quarter's full capacity
    shared: list[float]
    reserve_amount: list[float]
    cap_amount: list[float]
    g_count: int
    larger: list[str]           # per team code: the three refusal reasons naming the team
    left: list[str]
    none: list[str]


@dataclass
class WalkResult:
    """Per rank position: status, quarter, slot, reason, the position that pulled it in, and
    the position of the prerequisite it waits on (its reason is then "", to be named later)."""

    status: list[int]
    quarter: list[int]
    slot: list[int]
    reason: list[str]
    pulled: list[int]
    waits_on: list[int]


def walk(plan: SlotPlan, effort: list[float], bucket: list[int], ptr: list[int], ind: list[int],
         first: Iterable[int] = (), pinned_out: Iterable[int] = ()) -> WalkResult:
    """Place every initiative, by rank position.

    `effort` is NaN for no estimate; `bucket` is team code * (g_count + 1) + guarded-category
    index + 1 (0 for none), which keys the per (team, category) state; `ptr`/`ind`
    list each position's prerequisites as positions (CSR), best ranked first;
    `first` are the pinned-in positions (best first), `pinned_out` those refused outright.
    """
    n = len(effort)
    status, quarter, slot_of, pulled, waits = [UNTOUCHED] * n, [-1] * n, [-1] * n, [-1] * n, [-1] * n
    reason = [""] * n
    team_slots, max_cap = plan.team_slots, plan.max_cap
    larger, left, none = plan.larger, plan.left, plan.none
    shared, g_count = plan.shared.copy(), plan.g_count
    reserve_amount, cap_amount = plan.reserve_amount, plan.cap_amount
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
        reason[x] = none[t] if top <= 0 else larger[t] if e > top + EPS else left[t]
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

    for x in pinned_out:
        status[x], reason[x] = REFUSED, PINNED_OUT
    first = list(first)
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
        # The same placement as fit(x, lo), written out here because this is the hot path.
        b = bucket[x]
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
                    break
                if room > most:
                    most = room
                elif room <= EPS and i == start[b]:
                    start[b] = i + 1
            else:
                bound[b] = most
                b = -1
            if b >= 0:
                continue
        status[x] = REFUSED
        top = max_cap[t]
        reason[x] = none[t] if top <= 0 else larger[t] if e > top + EPS else left[t]
    return WalkResult(status, quarter, slot_of, reason, pulled, waits)
