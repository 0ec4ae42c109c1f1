"""Test set-up: headless Qt, a test profile for settings, deterministic hypothesis."""

import os

# Before any Qt import: no screen in CI, and no real user settings touched.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "cutline",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("cutline")


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
