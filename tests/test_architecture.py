"""The layers hold: app > views > models, and models imports no Qt (checked by import-linter)."""

import subprocess
import sys
from pathlib import Path

import pytest

# Left out of the fast lane (pytest -m "not slow"): import-linter and child processes.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_models_import_without_qt():
    """Importing every models module in a fresh interpreter loads no Qt module."""
    code = (
        "import pkgutil, importlib, sys, models\n"
        "for m in pkgutil.walk_packages(models.__path__, 'models.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [n for n in sys.modules if n.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pyside_does_not_leak_none():
    """Guard against PySide6 6.12.0 on Python 3.11: void Qt calls dropped a reference to None."""
    from PySide6.QtGui import QPen

    pen = QPen()
    before = sys.getrefcount(None)
    for i in range(1000):
        pen.setWidth(i % 7)
    assert sys.getrefcount(None) >= before - 10


def test_lint_is_clean():
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run([str(ruff), "check", "."], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]
