"""Features are declared: found through `window.feature(Cls)`, never by findChild, attributes set
on the window from outside, or module-level registries; every function taking the window says so."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP_FILES = sorted((ROOT / "app").glob("*.py"))
#: Names a module uses for the window it works on.
WINDOW_NAMES = ("window", "w", "win")


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_window(node: ast.expr) -> bool:
    """`window`, `w`, `win` or `self.window`."""
    if isinstance(node, ast.Name):
        return node.id in WINDOW_NAMES
    return (isinstance(node, ast.Attribute) and node.attr == "window"
            and isinstance(node.value, ast.Name) and node.value.id == "self")


def _window_assignments(tree: ast.Module) -> list[int]:
    """Lines that set an attribute on the window: `window.x = …` or `setattr(window, …)`."""
    lines = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Attribute) and isinstance(part.ctx, ast.Store) and _is_window(part.value):
                    lines.append(node.lineno)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr"
                and node.args and _is_window(node.args[0])):
            lines.append(node.lineno)
    return sorted(lines)


def test_the_checks_see_what_they_forbid():
    """The assignment finder catches each form it is meant to (so a pass below means something)."""
    code = ast.parse("window.best_plan = 1\nself.window.job = 2\nsetattr(w, 'x', 3)\n"
                     "w.a, b = 4, 5\nself.job = 6\nwindow.table.x = 7\n")
    assert _window_assignments(code) == [1, 2, 3, 4]


def test_no_feature_is_found_by_find_child():
    # findChildren (all docks, to lay them out) is fine; findChild looks one object up by name.
    found = [f"{p.name}:{n}" for p in APP_FILES
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if "findChild(" in line]
    assert found == []


def test_nothing_outside_the_window_sets_attributes_on_it():
    found = [f"{p.name}:{line}" for p in APP_FILES if p.name != "main_window.py"
             for line in _window_assignments(_tree(p))]
    assert found == []


def test_no_module_level_registries():
    found = [p.name for p in APP_FILES if "WeakKeyDictionary" in p.read_text(encoding="utf-8")]
    assert found == []


def test_every_function_taking_the_window_is_annotated():
    """MainWindow, or the Qt class a generic helper needs (window_snapshot takes any QMainWindow)."""
    missing = []
    for path in APP_FILES:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for arg in node.args.args + node.args.kwonlyargs:
                    if arg.arg == "window" and not (isinstance(arg.annotation, ast.Name) and arg.annotation.id
                                                    in ("MainWindow", "QMainWindow", "QWidget")):
                        missing.append(f"{path.name}:{node.lineno} {node.name}")
    assert missing == []


def test_each_declared_feature_is_made_once_and_handed_out_by_class(qtbot):
    from cutline.app.settings import Settings
    from cutline.app.window.feature_list import FEATURES
    from cutline.app.window.main_window import FeatureNotDeclared, MainWindow

    window = MainWindow(Settings())
    qtbot.addWidget(window)
    assert len(set(FEATURES)) == len(FEATURES)
    for cls in FEATURES:
        feature = window.feature(cls)
        assert type(feature) is cls and window.feature(cls) is feature

    class Undeclared:
        pass

    with pytest.raises(FeatureNotDeclared, match="Undeclared is not a feature"):
        window.feature(Undeclared)


def test_every_declared_view_is_registered_and_only_those(qtbot):
    from cutline.app.settings import Settings
    from cutline.app.window.main_window import MainWindow
    from cutline.app.window.view_registry import ViewNotDeclared

    window = MainWindow(Settings())
    qtbot.addWidget(window)
    assert window.views.missing() == []
    assert {"ranking", "model", "roadmap", "compare-room-4", "best-plan", "join"} <= set(window.views)
    with pytest.raises(ViewNotDeclared):
        window.register_view("nowhere", lambda: None)
