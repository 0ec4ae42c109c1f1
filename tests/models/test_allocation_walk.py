"""The compiled allocation walk: built, current, identical to the Python walk, and safe with bad input."""

from __future__ import annotations

import shutil
from unittest import mock

import numpy as np
import pytest
from cutline.models.capacity import walk as allocation_walk
from cutline.models.capacity.allocate import Allocator
from cutline.models.capacity.capacity import Capacity, Guardrail
from cutline.models.capacity.planning import Planning
from cutline.models.portfolio.portfolio import Portfolio
from hypothesis import given, settings

from tests.models.test_allocate import cases

needs_compiled = pytest.mark.skipif(not allocation_walk.compiled_walk_available(),
                                    reason="the compiled walk is not built")


def test_the_compiled_walk_is_built_and_current_where_a_compiler_exists():
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("no C compiler: Cutline runs the Python walk")
    assert allocation_walk.compiled is not None, "models/capacity/_walk.c was not built: run bash .ci/install"
    assert allocation_walk.compiled_walk_current(), "the build is older than models/capacity/_walk.c: run bash .ci/install"


def both(portfolio: Portfolio, capacity: Capacity, order, pins=None, planning=None, earliest=None):
    """The allocation by the compiled walk and by the Python walk."""
    allocator = Allocator(portfolio, capacity, planning=planning)
    fast = allocator.run(np.asarray(order), pins, earliest=earliest)
    with mock.patch.object(allocation_walk, "compiled", None):
        slow = allocator.run(np.asarray(order), pins, earliest=earliest)
    return fast, slow


def assert_same(fast, slow):
    assert fast.funded.tolist() == slow.funded.tolist()
    assert fast.quarter.tolist() == slow.quarter.tolist()
    assert fast.reason.tolist() == slow.reason.tolist()
    assert fast.pulled_in_by.tolist() == slow.pulled_in_by.tolist()
    assert fast.cut_line == slow.cut_line
    assert np.array_equal(fast.utilisation.used.to_numpy(), slow.utilisation.used.to_numpy())
    # spans: the same quarters and, to the bit, the same person-weeks in each
    assert fast.finish.tolist() == slow.finish.tolist()
    assert fast.span_ptr.tolist() == slow.span_ptr.tolist()
    assert fast.span_quarter.tolist() == slow.span_quarter.tolist()
    assert fast.span_pw.tobytes() == slow.span_pw.tobytes()
    assert fast.late.tolist() == slow.late.tolist()
    assert fast.used_by_category.equals(slow.used_by_category)


@needs_compiled
@settings(max_examples=300)
@given(cases(max_n=30))
def test_compiled_and_python_walks_agree(case):
    p, capacity, order, pins, planning = case
    assert_same(*both(p, capacity, order, pins, planning))


def large_case(n: int, seed: int):
    """A random portfolio with chains, cycles, blanks, pools, guardrails and due quarters, in a
    random order, with random planning rules (spans, share limits, hard due dates)."""
    rng = np.random.default_rng(seed)
    names = [f"T{k}" for k in range(40)]  # many small teams: much of their work spans quarters
    teams = np.array(names + ["D", ""])[rng.integers(0, 42, n)]
    effort = rng.choice([np.nan, 0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 26.0, 0.1, 0.2], n)
    category = np.array(["rel", "cap", "dx", ""])[rng.integers(0, 4, n)]
    due = np.array(["", "", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2024-Q4", "2026-Q1"])[rng.integers(0, 8, n)]
    deps = [", ".join(f"I{d}" for d in rng.integers(0, n, rng.integers(0, 4))) for _ in range(n)]
    records = [dict(id=f"I{i}", team=teams[i], effort=effort[i], category=category[i], depends_on=deps[i],
                    quarter=due[i]) for i in range(n)]
    rows = [(t, q, float(rng.choice([0, 5, 7.3, 12, 20, 30])))
            for q in ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4") for t in names[:36] + ["*"]
            if rng.random() < 0.9]  # D, no team and T36 to T39 draw on the pool
    capacity = Capacity.from_rows(rows, (Guardrail("rel", 0.2, 0.6), Guardrail("cap", 0.0, 0.3)))
    pins = {f"I{i}": bool(rng.integers(0, 2)) for i in rng.integers(0, n, 20)}
    planning = Planning(int(rng.integers(1, 6)), float(rng.choice([1.0, 0.7, 0.35])), bool(rng.integers(0, 2)))
    return Portfolio.from_records(records), capacity, rng.permutation(n), pins, planning


@needs_compiled
@pytest.mark.parametrize("seed", range(1, 9))
def test_compiled_and_python_walks_agree_on_large_portfolios(seed):
    fast, slow = both(*large_case(3000, seed))
    assert fast.funded.any() and not fast.funded.all()
    assert_same(fast, slow)


@needs_compiled
@pytest.mark.parametrize("seed", range(1, 5))
def test_compiled_and_python_walks_agree_with_earliest_quarters(seed):
    p, capacity, order, pins, planning = large_case(3000, seed)
    earliest = np.random.default_rng(seed).integers(0, 6, len(p))  # 4 and 5: after the plan's end
    fast, slow = both(p, capacity, order, pins, planning, earliest=earliest)
    assert_same(fast, slow)
    started = fast.funded & (fast.quarter >= 0)
    assert (fast.quarter[started] >= np.minimum(earliest[started], 4)).all()
    assert not fast.funded[earliest >= 4].any()


@needs_compiled
def test_the_large_cases_span_quarters_and_are_late():
    spans = late = due_refused = 0
    for seed in range(1, 9):
        p, capacity, order, pins, planning = large_case(3000, seed)
        a = Allocator(p, capacity, planning=planning).run(order, pins)
        spans += int((a.span_length > 1).sum())
        late += int(a.late.sum())
        due_refused += sum(r.startswith("cannot finish by") for r in a.reason.tolist())
    assert spans > 100 and late > 100 and due_refused > 100


@needs_compiled
def test_the_compiled_walk_refuses_bad_arrays_instead_of_crashing():
    p, capacity, order, _, planning = large_case(50, 4)
    allocator = Allocator(p, capacity, planning=planning)
    plan, n = allocator._plan, len(p)
    good = dict(effort=np.ones(n), bucket=np.zeros(n, np.int64), last=np.full(n, plan.quarters - 1),
                ptr=np.zeros(n + 1, np.int64), ind=np.zeros(0, np.int64), first=np.zeros(0, np.int64),
                pinned_out=np.zeros(0, np.int64))
    allocation_walk.walk(plan, **good)  # the baseline runs
    bad = [dict(bucket=np.full(n, 10**6, np.int64)),           # outside the team table
           dict(ptr=np.r_[np.zeros(n, np.int64), 1]),         # ptr does not end at len(ind)
           dict(ind=np.array([n + 5]), ptr=np.r_[0, np.ones(n, np.int64)]),  # an unknown position
           dict(first=np.array([-1], np.int64)),
           dict(last=np.full(n, plan.quarters)),               # past the plan
           dict(effort=np.ones(n - 1))]
    for change in bad:
        with pytest.raises(ValueError):
            allocation_walk.walk(plan, **{**good, **change})
    with pytest.raises(TypeError):
        allocation_walk.compiled.walk(np.zeros(1, np.int32), 1, *([np.zeros(1)] * 5), 0, 1, *([np.zeros(1)] * 17))


ADVERSARIAL = r"""
import numpy as np
from cutline.models.capacity import _walk

def base(n=3, span=2):
    i64 = lambda *a: np.array(a, np.int64)
    return dict(team_slot=i64(0, 1), quarters=2, max_cap=np.array([10.0]), shared=np.array([5.0, 5.0]),
                limit=np.array([5.0, 5.0]), reserve=np.zeros(0), cap=np.zeros(0), g_count=0, span=span,
                effort=np.full(n, 6.0), bucket=np.zeros(n, np.int64), last=np.ones(n, np.int64),
                ptr=np.zeros(n + 1, np.int64), ind=np.zeros(0, np.int64), first=np.zeros(0, np.int64),
                pinned_out=np.zeros(0, np.int64), earliest=np.zeros(0, np.int64), status=np.empty(n, np.int8), start=np.empty(n, np.int64),
                finish=np.empty(n, np.int64), reason=np.empty(n, np.int8), pulled=np.empty(n, np.int64),
                waits=np.empty(n, np.int64), lo=np.empty(n, np.int64), have=np.empty(n),
                placed=np.empty(n * span))

cases = []
d = base(); d["first"] = d["pulled"] = np.arange(3, dtype=np.int64); cases.append(d)  # an output aliasing an index
d = base(); d["ptr"] = np.array([0, 1, 2, 3]); d["ind"] = d["waits"] = np.array([1, 2, 0]); cases.append(d)
d = base(); d["bucket"] = d["start"]; d["bucket"][:] = 0; cases.append(d)
d = base(); d["last"] = d["finish"]; d["last"][:] = 1; cases.append(d)  # an output aliasing `last`
d = base(); d["team_slot"] = d["lo"][:2]; d["team_slot"][:] = 0; cases.append(d)
d = base(); d["earliest"] = d["start"]; d["earliest"][:] = 1; cases.append(d)  # an output aliasing `earliest`
d = base(); d["earliest"] = np.array([0, 3, 1]); cases.append(d)  # past the plan's end
d = base(); d["earliest"] = np.array([0, 1]); cases.append(d)  # the wrong length
d = base(); d.update(g_count=2**60, max_cap=np.full(16, 5.0), team_slot=np.ones(32, np.int64),
                     shared=np.full(16, 5.0), limit=np.full(16, 5.0), bucket=np.ones(3, np.int64))
cases.append(d)  # sizes that overflow
d = base(); d.update(span=2**62, placed=np.empty(6)); cases.append(d)
d = base(); d.update(quarters=2**62); cases.append(d)
for d in cases:
    try:
        _walk.walk(*d.values())
    except ValueError:
        pass
print("survived")
"""


@needs_compiled
def test_the_compiled_walk_survives_aliased_and_oversized_arguments():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", ADVERSARIAL], capture_output=True, text=True, cwd=root, timeout=60)
    assert out.returncode == 0 and "survived" in out.stdout, out.stderr[-2000:]


@pytest.mark.parametrize("use_compiled", [True, False])
def test_both_walks_refuse_indexes_outside_their_tables(use_compiled):
    p, capacity, _, _, planning = large_case(20, 5)
    plan, n = Allocator(p, capacity, planning=planning)._plan, len(p)
    good = dict(effort=np.ones(n), bucket=np.zeros(n, np.int64), last=np.full(n, plan.quarters - 1),
                ptr=np.zeros(n + 1, np.int64), ind=np.zeros(0, np.int64), first=np.zeros(0, np.int64),
                pinned_out=np.zeros(0, np.int64))
    for change in (dict(first=np.array([-1])), dict(bucket=np.full(n, -2)), dict(pinned_out=np.array([n])),
                   dict(last=np.full(n, -2)), dict(earliest=np.full(n, -1)), dict(earliest=np.full(n, plan.quarters + 1)),
                   dict(earliest=np.zeros(n - 1, np.int64))):
        with pytest.raises(ValueError):
            allocation_walk.walk(plan, **{**good, **change}, use_compiled=use_compiled)
