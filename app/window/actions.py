"""Every action of the main window, declared in one table and enabled in one function.

A handler is "module:function" taking the window; modules are imported when first triggered,
so start-up does not pay for dialogs nobody opened.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from cutline.views import hotkeys

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow

Std = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    menu: str
    handler: str
    shortcut: object = None          # QKeySequence.StandardKey, a string, or a tuple of them
    when: str = "always"             # see enabled()
    checkable: bool = False
    tip: str = ""
    button: str = ""                 # the toolbar's short label, when the menu's text is long


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("open", "&Open…", "File", "cutline.app.window.handlers:open_file", Std.Open,
               tip="Open a workshop or a spreadsheet"),
    ActionSpec("import", "&Import spreadsheet…", "File", "cutline.app.window.handlers:import_spreadsheet", "Ctrl+I",
               tip="Start a new workshop from a spreadsheet", button="Import"),
    ActionSpec("open_sample", "Open the &sample portfolio", "File", "cutline.app.window.handlers:open_sample"),
    ActionSpec("replace_initiatives", "Re&place the initiatives of this workshop…", "File",
               "cutline.app.window.handlers:replace_initiatives", when="writable",
               tip="Re-import an updated export: scenarios, models and capacity stay"),
    ActionSpec("save", "&Save", "File", "cutline.app.lifecycle.saving:save", Std.Save, "writable"),
    ActionSpec("save_as", "Save &As…", "File", "cutline.app.lifecycle.saving:save_as", Std.SaveAs),
    ActionSpec("export", "&Export roadmap…", "File", "cutline.app.window.handlers:export_roadmap", "Ctrl+E",
               button="Export"),
    ActionSpec("export_csv", "Export ranked list as &CSV…", "File", "cutline.app.window.handlers:export_csv"),
    ActionSpec("export_handout", "Export &handout (PDF)…", "File", "cutline.app.features.handout:export_handout",
               tip="The ranked list, roadmap, capacity and scenarios as a printable PDF"),
    ActionSpec("load_model", "&Load model…", "File", "cutline.app.window.handlers:load_model", when="writable"),
    ActionSpec("use_template", "Use a model &template…", "File", "cutline.app.window.handlers:use_template",
               when="writable", tip="Score with a shipped model: platform default, RICE, WSJF, "
                                    "priority and effort, weighted scoring"),
    ActionSpec("save_model", "Save &model…", "File", "cutline.app.window.handlers:save_model"),
    ActionSpec("quit", "&Quit", "File", "cutline.app.window.handlers:quit_app", Std.Quit),
    ActionSpec("undo", "&Undo", "Edit", "cutline.app.window.handlers:undo", Std.Undo, "undo"),
    ActionSpec("redo", "&Redo", "Edit", "cutline.app.window.handlers:redo", Std.Redo, "redo"),
    ActionSpec("find", "&Find initiative", "Edit", "cutline.app.window.handlers:find", Std.Find),
    ActionSpec("capacity", "&Capacity and guardrails…", "Edit", "cutline.app.window.handlers:edit_capacity",
               "Ctrl+Shift+C", "writable"),
    ActionSpec("pin_in", "Pin &in (fund first)", "Edit", "cutline.app.window.handlers:pin_in", "Ctrl+Shift+I",
               "selection_writable"),
    ActionSpec("pin_out", "Pin &out (never fund)", "Edit", "cutline.app.window.handlers:pin_out", "Ctrl+Shift+O",
               "selection_writable"),
    ActionSpec("unpin", "&Unpin", "Edit", "cutline.app.window.handlers:unpin", "Ctrl+Shift+U", "selection_writable"),
    ActionSpec("zoom_in", "Zoom &in", "View", "cutline.app.window.handlers:zoom_in", ("Ctrl+=", Std.ZoomIn)),
    ActionSpec("zoom_out", "Zoom &out", "View", "cutline.app.window.handlers:zoom_out", Std.ZoomOut),
    ActionSpec("zoom_reset", "&Actual size", "View", "cutline.app.window.handlers:zoom_reset", "Ctrl+0"),
    ActionSpec("presentation", "&Presentation", "View", "cutline.app.window.handlers:toggle_presentation",
               hotkeys.PRESENTATION, checkable=True, tip="Full screen, large type, editing panels hidden"),
    ActionSpec("chart_focus", "C&hart in full window", "View", "cutline.app.features.chart_focus:toggle", hotkeys.CHART_FOCUS,
               checkable=True, tip=f"The chart shown below the list in the whole window; {hotkeys.LEAVE} returns"),
    ActionSpec("dark_theme", "&Dark theme", "View", "cutline.app.window.handlers:toggle_theme", checkable=True),
    ActionSpec("next_view", "Next &chart", "View", "cutline.app.window.handlers:next_chart", Std.NextChild),
    ActionSpec("compare_room", "&Comparison in full window", "View", "cutline.app.features.comparison_room:toggle",
               hotkeys.COMPARE_ROOM, checkable=True,
               tip=f"Scenarios side by side in the whole window; {hotkeys.LEAVE} returns"),
    ActionSpec("new_scenario", "&New scenario (duplicate current)…", "Scenario",
               "cutline.app.window.handlers:new_scenario", "Ctrl+Shift+N", "writable", button="New scenario"),
    ActionSpec("rename_scenario", "&Rename scenario…", "Scenario", "cutline.app.window.handlers:rename_scenario",
               when="writable"),
    ActionSpec("delete_scenario", "&Delete scenario", "Scenario", "cutline.app.window.handlers:delete_scenario",
               when="multi_scenario"),
    ActionSpec("next_scenario", "Ne&xt scenario", "Scenario", "cutline.app.window.handlers:next_scenario",
               "Ctrl+PgDown", "multi_scenario"),
    ActionSpec("previous_scenario", "Pre&vious scenario", "Scenario",
               "cutline.app.window.handlers:previous_scenario", "Ctrl+PgUp", "multi_scenario"),
    ActionSpec("compare", "&Compare scenarios", "Scenario", "cutline.app.features.comparison_room:toggle", hotkeys.COMPARE,
               checkable=True, tip=f"Scenarios side by side in the whole window; {hotkeys.LEAVE} or {hotkeys.COMPARE} returns",
               button="Compare"),
    ActionSpec("sensitivity", "How &sure is the ranking?", "Scenario",
               "cutline.app.window.handlers:run_sensitivity", "Ctrl+Shift+R"),
    ActionSpec("best_plan", "Find the &best plan…", "Scenario", "cutline.app.features.best_plan:find_best_plan",
               tip="The funded set with the most total score within capacity, beside the walk's plan"),
    ActionSpec("plan_constraints", "Plan &constraints…", "Scenario", "cutline.app.features.plan_constraints:edit_constraints",
               when="writable", tip="Bundles, alternatives and floors the best plan must keep"),
    ActionSpec("rate", "&Rate initiatives together…", "Workshop", "cutline.app.window.handlers:start_rating",
               "Ctrl+R", "writable"),
    ActionSpec("add_note", "Add a &note to the decision log…", "Workshop", "cutline.app.window.handlers:add_note",
               "Ctrl+Shift+L", "writable"),
    ActionSpec("history", "Decision &log", "Workshop", "cutline.app.window.handlers:show_history", "Ctrl+L"),
    ActionSpec("shortcuts", "&Keyboard shortcuts", "Help", "cutline.app.window.handlers:show_shortcuts",
               Std.HelpContents),
    ActionSpec("about", "&About Cutline", "Help", "cutline.app.window.handlers:about"),
)
MENUS = ("File", "Edit", "View", "Scenario", "Workshop", "Help")


def _sequences(shortcut) -> list[QKeySequence]:
    if shortcut is None:
        return []
    items = shortcut if isinstance(shortcut, tuple) else (shortcut,)
    out: list[QKeySequence] = []
    for item in items:
        if isinstance(item, Std):
            out.extend(QKeySequence.keyBindings(item))
        else:
            out.append(QKeySequence(item))
    return out


def build_actions(window: MainWindow) -> dict[str, QAction]:
    """One QAction per spec, parented to the window and triggering its handler."""
    actions: dict[str, QAction] = {}
    for spec in SPECS:
        action = QAction(spec.text, window)
        action.setObjectName(f"action_{spec.name}")
        action.setShortcuts(_sequences(spec.shortcut))
        action.setCheckable(spec.checkable)
        if spec.button:  # a short toolbar button keeps 1366 px wide screens free of overflow
            action.setIconText(spec.button)
            action.setToolTip(spec.tip or spec.text.replace("&", "").rstrip("…"))
        if spec.tip:
            action.setStatusTip(spec.tip)
            action.setToolTip(spec.tip)
        action.triggered.connect(lambda checked=False, s=spec: run_handler(window, s))
        actions[spec.name] = action
    return actions


def run_handler(window: MainWindow, spec: ActionSpec) -> None:
    module, function = spec.handler.split(":")
    getattr(importlib.import_module(module), function)(window)


def enabled(window: MainWindow, spec: ActionSpec) -> bool:
    """Whether an action can run now: the one place that decides."""
    doc = window.document
    writable = doc is not None and not doc.read_only
    if spec.when == "always":
        return True
    if spec.when == "writable":
        return writable
    if spec.when == "undo":
        return doc is not None and doc.undo_stack.canUndo()
    if spec.when == "redo":
        return doc is not None and doc.undo_stack.canRedo()
    if spec.when == "multi_scenario":
        return writable and len(doc.workshop.scenarios) > 1
    if spec.when == "selection_writable":
        return writable and window.selected_row() >= 0
    raise ValueError(f"unknown enabling rule {spec.when!r}")


def update_enabled(window: MainWindow) -> None:
    import shiboken6

    doc = window.document
    if not shiboken6.isValid(window) or (doc is not None and not shiboken6.isValid(doc.undo_stack)):
        return  # torn down while a signal was queued
    for spec in SPECS:
        window.actions[spec.name].setEnabled(enabled(window, spec))
    doc = window.document
    if doc is not None:
        _name_step(window.actions["undo"], "Undo", doc.undo_stack.undoText())
        _name_step(window.actions["redo"], "Redo", doc.undo_stack.redoText())


def update_steps(window: MainWindow) -> None:
    """After an undo step is pushed, merged, undone or redone: only Undo and Redo depend on it."""
    import shiboken6

    doc = window.document
    if not shiboken6.isValid(window) or doc is None or not shiboken6.isValid(doc.undo_stack):
        return  # torn down while a signal was queued
    for spec in SPECS:
        if spec.when in ("undo", "redo"):
            window.actions[spec.name].setEnabled(enabled(window, spec))
    _name_step(window.actions["undo"], "Undo", doc.undo_stack.undoText())
    _name_step(window.actions["redo"], "Redo", doc.undo_stack.redoText())


def _name_step(action: QAction, verb: str, step: str) -> None:
    """The Edit menu and the tooltip name the step ("Undo weight of dx 2 → 3"); the toolbar
    button stays the short verb, so a long step never widens the toolbar."""
    action.setText(f"&{verb} {step}" if step else f"&{verb}")
    action.setIconText(verb)
    action.setToolTip(f"{verb} {step}" if step else verb)
