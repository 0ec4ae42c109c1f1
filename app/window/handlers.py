"""Handlers of the main window's actions. Each takes the window; dialogs ask, the document changes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cutline.app.document import intents
from cutline.app.lifecycle import saving
from cutline.app.lifecycle.saving import WORKSHOPS
from cutline.models.errors import CutlineError

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow

SPREADSHEETS = "Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt)"
MODELS = "Cutline models (*.toml)"


# -- File ------------------------------------------------------------------------------------
def open_file(window: MainWindow) -> None:
    path = window.ask_open_path("Open a workshop or a spreadsheet",
                                f"{WORKSHOPS};;{SPREADSHEETS};;All files (*)")
    if path:
        open_path(window, path)


def open_path(window: MainWindow, path: Path) -> None:
    """Open a workshop, or a spreadsheet as a new workshop through the import dialog.

    Every way of opening comes here: File > Open, the recent files, a file dropped on the window.
    """
    from cutline.app.lifecycle import document_factory
    from cutline.app.lifecycle.loading import is_workshop

    if not is_workshop(path):
        from cutline.app.features import import_spreadsheet as import_flow

        import_flow.start(window, path)
        return
    from cutline.models.workshop.file import UnreadableWorkshop, WorkshopFile

    try:
        file = WorkshopFile.open(path)
    except UnreadableWorkshop as exc:
        if exc.reason != "changed" or not window.ask_yes_no(
                exc.message,
                "Open it read-only to look at it? Nothing in it is changed; Save As keeps a copy of "
                "what it holds now, which you can then edit."):
            if exc.reason != "changed":
                window.tell_error(exc.describe())
            return
        try:
            file = WorkshopFile.open(path, read_only=True, accept_changes=True)
        except CutlineError as again:
            window.tell_error(again.describe())
            return
    except CutlineError as exc:
        window.tell_error(exc.describe())
        return
    holder = file.held_by_other() if not file.read_only else None
    if holder and not window.ask_yes_no(
            f"{path.name} is open in another Cutline window ({holder}).",
            "Open it read-only here instead? Two windows writing one workshop could overwrite "
            "each other's decisions."):
        file.close()
        return
    if holder:
        file.close()
        file = WorkshopFile.open(path, read_only=True)
    from cutline.app.lifecycle.loading import Loaded

    document = document_factory.document_for(Loaded(file.workshop, file), keep_file=True)
    saving.replace_document(window, document)
    if file.read_only:
        window.tell_error(file.read_only_reason or "This workshop is open read-only.")
    for warning in file.warnings:  # ids that repeat or look alike: never ranked without a word
        window.inform("Check the ids", warning)
    saving.remember(window, path)


def import_spreadsheet(window: MainWindow) -> None:
    """A spreadsheet as a new workshop (the current one is closed the normal way)."""
    path = window.ask_open_path("Import a spreadsheet as a new workshop", SPREADSHEETS)
    if path:
        from cutline.app.features import import_spreadsheet as import_flow

        import_flow.start(window, path)


def replace_initiatives(window: MainWindow) -> None:
    """Re-import an updated export into this workshop: its scenarios, models and capacity stay."""
    path = window.ask_open_path("Replace the initiatives of this workshop", SPREADSHEETS)
    if path:
        replace_initiatives_from(window, path)


def replace_initiatives_from(window: MainWindow, path: Path, *, background: bool = True):
    from cutline.app.features import import_spreadsheet as import_flow

    if window.document is None or window.document.read_only:
        window.tell_error("This workshop is open read-only; use Save As before replacing its initiatives.")
        return None
    return import_flow.start(window, Path(path), background=background, replace=True)


def open_sample(window: MainWindow) -> None:
    from cutline.app.lifecycle import document_factory

    saving.replace_document(window, document_factory.document_for(document_factory.load_sample(),
                                                           keep_file=True, stem="Sample"))
    window.tell("This is a copy of the sample; save it under a name to keep your changes.")


def export_roadmap(window: MainWindow) -> None:
    from cutline.app.features import export as export_flow

    export_flow.export_roadmap(window)


def export_csv(window: MainWindow) -> None:
    from cutline.app.features import export as export_flow

    export_flow.export_csv(window)


def load_model(window: MainWindow) -> None:
    path = window.ask_open_path("Load a scoring model", MODELS)
    if not path:
        return
    from cutline.models.scoring.model_file import load_model as read_model

    try:
        model = read_model(path)
    except CutlineError as exc:
        window.tell_error(exc.describe())
        return
    intents.set_model(window.document, model, f"Loaded model {model.name} from {path.name}")


def use_template(window: MainWindow) -> None:
    """Score the current scenario with a shipped template, the one that fits the data marked."""
    from cutline.models.scoring.coverage import best_template, can_score, covered_share
    from cutline.models.scoring.templates import TEMPLATES, shipped_template

    portfolio = window.document.workshop.portfolio
    best = best_template(portfolio) if len(portfolio) else None
    usable = [t for t in TEMPLATES if can_score(shipped_template(t.key), portfolio)]
    labels = {t.title + (" (fits best)" if t.key == best else ""): t for t in usable}
    detail = "\n".join(f"{t.title}: {t.description} {round(100 * covered_share(shipped_template(t.key), portfolio))}% "
                       "of its weight has data here." for t in usable)
    answer = window.ask_choice("Score with which model template?",
                               detail + "\n\nA template is a normal model you can change afterwards; undo "
                               "brings back the model you had.", list(labels))
    if answer is None or answer not in labels:
        return
    chosen = labels[answer]
    intents.set_model(window.document, shipped_template(chosen.key), f"Used model template {chosen.title}")


def save_model(window: MainWindow) -> None:
    chosen = window.ask_save_path("Save the scoring model", saving.folder(window), MODELS)
    if chosen:
        from cutline.models.scoring.model_file import save_model as write_model

        try:
            write_model(window.document.workshop.current_scenario().model, chosen[0])
        except (CutlineError, OSError) as exc:
            window.tell_error(str(exc))


def quit_app(window: MainWindow) -> None:
    window.close()


# -- Edit ------------------------------------------------------------------------------------
def undo(window: MainWindow) -> None:
    window.document.undo_stack.undo()


def redo(window: MainWindow) -> None:
    window.document.undo_stack.redo()


def find(window: MainWindow) -> None:
    window.filter_bar.search.setFocus()
    window.filter_bar.search.selectAll()


def edit_capacity(window: MainWindow) -> None:
    from cutline.app.features import capacity_editor as capacity_flow

    capacity_flow.edit_capacity(window)


def _pin(window: MainWindow, pin: bool | None) -> None:
    row = window.selected_row()
    if row >= 0:
        intents.set_pin(window.document, window.document.workshop.portfolio.ids[row], pin)


def pin_in(window: MainWindow) -> None:
    _pin(window, True)


def pin_out(window: MainWindow) -> None:
    _pin(window, False)


def unpin(window: MainWindow) -> None:
    _pin(window, None)


# -- View ------------------------------------------------------------------------------------
def zoom_in(window: MainWindow) -> None:
    window.set_zoom(window.zoom() * 1.15)


def zoom_out(window: MainWindow) -> None:
    window.set_zoom(window.zoom() / 1.15)


def zoom_reset(window: MainWindow) -> None:
    window.set_zoom(1.0)


def toggle_presentation(window: MainWindow) -> None:
    from cutline.app.features import presentation

    presentation.toggle(window)


def toggle_theme(window: MainWindow) -> None:
    window.set_theme("dark" if window.actions["dark_theme"].isChecked() else "light")


def next_chart(window: MainWindow) -> None:
    if window.charts.count():
        window.charts.setVisible(True)
        window.charts.setCurrentIndex((window.charts.currentIndex() + 1) % window.charts.count())


# -- Scenario --------------------------------------------------------------------------------
def new_scenario(window: MainWindow) -> None:
    doc = window.document
    names = {s.name for s in doc.workshop.scenarios}
    suggestion = f"{doc.workshop.current} (copy)"
    n = 2
    while suggestion in names:
        suggestion = f"{doc.workshop.current} (copy {n})"
        n += 1
    name = window.ask_text("New scenario", "Name of the new scenario (a copy of the current one):",
                           suggestion)
    if name:
        try:
            intents.duplicate_scenario(doc, name)
        except CutlineError as exc:
            window.tell_error(exc.describe())


def rename_scenario(window: MainWindow) -> None:
    doc = window.document
    name = window.ask_text("Rename scenario", "New name:", doc.workshop.current)
    if name and name != doc.workshop.current:
        try:
            intents.rename_scenario(doc, doc.workshop.current, name)
        except CutlineError as exc:
            window.tell_error(exc.describe())


def delete_scenario(window: MainWindow) -> None:
    doc = window.document
    name = doc.workshop.current
    if window.ask_yes_no(f"Delete scenario {name}?", "You can bring it back with Undo."):
        intents.delete_scenario(doc, name)


def _step_scenario(window: MainWindow, step: int) -> None:
    doc = window.document
    names = [s.name for s in doc.workshop.scenarios]
    intents.switch_scenario(doc, names[(names.index(doc.workshop.current) + step) % len(names)])


def next_scenario(window: MainWindow) -> None:
    _step_scenario(window, 1)


def previous_scenario(window: MainWindow) -> None:
    _step_scenario(window, -1)


def show_compare(window: MainWindow) -> None:
    window.show_view("compare") if "compare" in window.views else window.tell("No comparison view.")


def run_sensitivity(window: MainWindow) -> None:
    from cutline.app.features import sensitivity as sensitivity_flow

    sensitivity_flow.run(window)


# -- Workshop --------------------------------------------------------------------------------
def start_rating(window: MainWindow) -> None:
    from cutline.app.features import rating as rating_flow

    rating_flow.start(window)


def add_note(window: MainWindow) -> None:
    text = window.ask_text("Add a note to the decision log", "What was decided?", "")
    if text:
        window.document.add_note(text)


def show_history(window: MainWindow) -> None:
    window.show_view("history")


# -- Help ------------------------------------------------------------------------------------
def show_shortcuts(window: MainWindow) -> None:
    from cutline.views.shortcuts_dialog import ShortcutsDialog

    dialog = ShortcutsDialog(window.shortcut_rows(), window)
    window.show_dialog(dialog)


def about(window: MainWindow) -> None:
    from cutline.app import __version__

    window.prompts.about("About Cutline",
                         f"<h3>Cutline {__version__}</h3><p>Decide what a platform team builds next: "
                      "score, rank and fund initiatives against capacity.</p>")
