"""The shape holds: layers app > views > models, models imports no Qt (import-linter), no import
circles anywhere, and one installed top-level name, `cutline`."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import grimp
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
        "import pkgutil, importlib, sys, cutline.models as models\n"
        "for m in pkgutil.walk_packages(models.__path__, 'cutline.models.'):\n"
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


def import_cycles(graph) -> list[list[str]]:
    """Every group of modules that import each other in a circle (Tarjan's strongly connected
    components over module-level imports; imports only for type checking do not count)."""
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & graph.modules) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(start: str) -> None:  # iterative, so deep chains cannot hit the recursion limit
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        cycles.append(sorted(group))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                work.append((child, iter(edges[child])))
            elif child in stack:
                low[node] = min(low[node], index[child])

    for module in modules:
        if module not in index:
            visit(module)
    return cycles


def test_no_import_circles():
    graph = grimp.build_graph("cutline.app", "cutline.views", "cutline.models", cache_dir=None,
                              exclude_type_checking_imports=True)
    assert import_cycles(graph) == []


def test_the_cycle_finder_finds_a_circle():
    """The check above is only as good as its finder: a made-up circle of three is reported."""

    class Graph:
        modules = {"a", "b", "c", "d"}

        def find_modules_directly_imported_by(self, m):
            return {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}[m]

    assert import_cycles(Graph()) == [["a", "b", "c"]]


def test_bare_folder_names_are_not_importable_outside_the_repository(tmp_path):
    """Installed, Cutline is `cutline.*` only: `import models` finds nothing of ours."""
    code = ("import importlib.util, cutline.models.scoring.score\n"
            "print([n for n in ('app', 'models', 'views', 'resources') if importlib.util.find_spec(n)])")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.slow
def test_the_wheel_has_one_top_level_name(tmp_path):
    """A built wheel puts everything under `cutline/` (plus its metadata), with the sample inside."""
    source = tmp_path / "source"  # a copy: building writes build/ and *.egg-info beside the sources
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "__pycache__", "build", "*.egg-info", "*.so", ".hypothesis", ".pytest_cache"))
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                             str(tmp_path), str(source)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = tmp_path.glob("cutline-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"cutline", f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.dist-info"}
    assert "cutline/resources/sample_portfolio.xlsx" in names
    assert "cutline/app/cli/main.py" in names and "cutline/models/scoring/score.py" in names
