"""Test set-up: headless Qt, a test profile for settings, hypothesis profiles (ci, dev, explore)."""

import os
import sys

# pytest caches its rewritten test modules only where bytecode may be written. With
# PYTHONDONTWRITEBYTECODE set (as on the project's machine) every run rewrote all ~120 modules
# again: about 10 s of CPU per run, a fifth of the fast lane. The caches go to the ignored
# __pycache__ folders.
sys.dont_write_bytecode = False

# Before any Qt import: no screen in CI, and no real user settings touched.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

# Hypothesis profiles (docs/testing.md). No deadline anywhere: on a shared machine a slow
# example is load, not a bug, and the benchmarks measure speed.
_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
# From hypothesis' plain defaults: under CI=true its own defaults are derandomized already.
_PLAIN = settings.get_profile("default")
# ci: the same examples on every run, so a red build is the code's doing; a failure prints the
# blob that replays it (@reproduce_failure).
settings.register_profile("ci", _PLAIN, derandomize=True, deadline=None, max_examples=60,
                          print_blob=True, database=None, suppress_health_check=_QUIET)
# dev: new random examples on each run, failures kept in .hypothesis/ and replayed first.
settings.register_profile("dev", _PLAIN, deadline=None, max_examples=100, print_blob=True,
                          suppress_health_check=_QUIET)
# explore: hunting for new cases, minutes per property (run a few modules, not the suite).
settings.register_profile("explore", _PLAIN, deadline=None, max_examples=2_000, print_blob=True,
                          suppress_health_check=_QUIET)


def _hypothesis_profile() -> str:
    chosen = os.environ.get("HYPOTHESIS_PROFILE", "").strip()
    if chosen:
        return chosen
    return "ci" if os.environ.get("CI", "").strip().lower() in ("true", "1") else "dev"


settings.load_profile(_hypothesis_profile())


@pytest.fixture(scope="session", autouse=True)
def _qt_test_paths():
    """Keep QSettings and QStandardPaths away from the real profile, if Qt is available."""
    try:
        from PySide6.QtCore import QStandardPaths
    except ImportError:  # pragma: no cover - models tests can run without Qt
        yield
        return
    QStandardPaths.setTestModeEnabled(True)
    from PySide6.QtCore import QSettings

    QSettings("Cutline", "Cutline").clear()  # each run starts from the defaults
    yield


@pytest.fixture(autouse=True)
def _delete_what_earlier_tests_closed():
    """Widgets closed at an earlier test's teardown are only marked for deletion (deleteLater):
    delete them now, so that windows do not pile up and every later style or font change (the
    theme, the presentation) does not re-polish thousands of dead widgets."""
    try:
        from PySide6.QtCore import QCoreApplication, QEvent
    except ImportError:  # pragma: no cover - models tests can run without Qt
        yield
        return
    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    yield
