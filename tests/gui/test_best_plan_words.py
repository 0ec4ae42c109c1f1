"""The best plan's words: how sure, for each status, without a solver."""

from types import SimpleNamespace

from cutline.models.words.best_plan import describe, progress_words, sureness


def _plan(status, gap, adds=("A",), drops=("B",), plan_score=12.0, walk_score=10.0, seconds=3.14, ended_early=False):
    comparison = SimpleNamespace(adds=adds, drops=drops, swaps=("drops B (5 pw, score 10) to fund A (5 pw, score 12)",),
                                 plan_score=plan_score, walk_score=walk_score, plan_person_weeks=5.0,
                                 walk_person_weeks=5.0)
    return SimpleNamespace(status=status, gap=gap, seconds=seconds, comparison=comparison, respect_tiers=False,
                           tier_objectives=(), walk_tier_objectives=(), problems=(), notes=(), ended_early=ended_early)


def test_sureness_in_words():
    assert sureness("optimal", 0.0) == "optimal"
    assert sureness("time limit", 0.004) == "within 0.4% of the best possible"
    assert sureness("time limit", 0.032) == "within 3.2% of the best possible"
    assert sureness("cancelled", 1.0) == "with no proof yet of how close it is to the best possible"


def test_each_status_has_its_headline():
    assert describe(_plan("optimal", 0), "Default").headline == "Best plan for Default: optimal (proven), 3.1 s."
    limited = describe(_plan("time limit", 0.004, seconds=10.02), "Default", 10).headline
    assert limited == "Best plan for Default: within 0.4% of the best possible when the time limit (10 s) ran out, 10.0 s."
    early = describe(_plan("time limit", 0.016, seconds=29.2, ended_early=True), "Default", 120).headline
    assert early == ("Best plan for Default: within 1.6% of the best possible, 29.2 s; the search had nothing more "
                     "to try before the time limit (120 s).")
    assert describe(_plan("cancelled", 0.02), "Default").headline.startswith(
        "Cancelled after 3.1 s: the best plan found so far for Default, within 2.0%")
    same = describe(_plan("cancelled", 1.0, adds=(), drops=(), plan_score=10.0), "Default")
    assert same.headline == "Cancelled after 3.1 s: nothing better than the walk's plan found so far for Default."
    assert "the walk's plan is already the best" in same.figures[-1]
    infeasible = _plan("infeasible", 0)
    infeasible.problems = ("The floor 'x' cannot be met.",)
    words = describe(infeasible, "Default")
    assert not words.has_plan and words.problems == ("The floor 'x' cannot be met.",)


def test_progress_words():
    assert progress_words(1, 2, 100.0, 103.2, 2.06, 10) == (
        "Tier 1 of 2 · score 100.0, within 3.2% of the best possible · 2.1 of 10 s")
    assert progress_words(1, 1, float("nan"), float("nan"), 0.0, 10) == "Searching · 0.0 of 10 s"
