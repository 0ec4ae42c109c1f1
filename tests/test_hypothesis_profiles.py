"""The hypothesis profile follows HYPOTHESIS_PROFILE, else CI (docs/testing.md)."""

import pytest
from hypothesis import settings

from tests.conftest import _hypothesis_profile


@pytest.mark.parametrize(("profile", "ci", "chosen"), [
    ("", "", "dev"),
    ("", "true", "ci"),
    ("", "false", "dev"),
    ("explore", "true", "explore"),
    ("ci", "", "ci"),
])
def test_the_profile_is_chosen_by_its_variable_then_by_ci(monkeypatch, profile, ci, chosen):
    monkeypatch.setenv("HYPOTHESIS_PROFILE", profile)
    monkeypatch.setenv("CI", ci)
    assert _hypothesis_profile() == chosen


def test_ci_replays_the_same_examples_and_the_others_explore_more():
    ci, dev, explore = (settings.get_profile(n) for n in ("ci", "dev", "explore"))
    assert (ci.derandomize, ci.deadline, ci.print_blob, ci.max_examples) == (True, None, True, 60)
    assert not dev.derandomize and not explore.derandomize
    assert ci.max_examples < dev.max_examples < explore.max_examples
