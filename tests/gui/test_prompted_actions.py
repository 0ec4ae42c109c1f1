"""Each action that asks for a file, triggered from the window with the path scripted: what the
person would see happen (a file written, a workshop or model loaded, initiatives replaced)."""

from pathlib import Path

import pandas as pd
from PySide6.QtWidgets import QPushButton

from cutline.app.features.export import ExportFeature
from cutline.app.features.import_spreadsheet import ImportFeature
from cutline.app.lifecycle.loading import sample_path
from cutline.models.scoring.coverage import can_score
from cutline.models.scoring.model_file import load_model
from cutline.models.scoring.templates import TEMPLATES, shipped_template

WAIT = 60_000


def _initiatives(path: Path, drop: int = 0) -> Path:
    """The sample's initiatives as a workbook, without the first `drop` of them."""
    frame = pd.read_excel(sample_path(), sheet_name="Initiatives", engine="calamine")
    with pd.ExcelWriter(path) as writer:
        frame.iloc[drop:].to_excel(writer, sheet_name="Initiatives", index=False)
    return path


def _accept_import(window, qtbot) -> None:
    qtbot.waitUntil(lambda: window.feature(ImportFeature).dialog is not None, timeout=WAIT)
    window.feature(ImportFeature).dialog.accept_button.click()


def test_open_loads_the_workshop_chosen(window, tmp_path):
    saved = tmp_path / "Planning.cutline"
    window.prompts.script(saved)
    window.actions["save_as"].trigger()
    assert saved.exists()
    window.actions["open_sample"].trigger()
    assert window.document.path != saved
    window.prompts.script(saved)
    window.actions["open"].trigger()
    assert window.document.path == saved and not window.document.untitled
    assert window.prompts.questions[-1] == "Open a workshop or a spreadsheet"


def test_open_cancelled_keeps_the_workshop(window):
    before = window.document
    window.prompts.script(None)
    window.actions["open"].trigger()
    assert window.document is before


def test_import_opens_the_spreadsheet_chosen_as_a_new_workshop(window, qtbot, tmp_path):
    before = window.document
    window.feature(ImportFeature).session = None  # wait for the new import's dialog
    window.prompts.script(_initiatives(tmp_path / "Q3.xlsx", drop=5))
    window.actions["import"].trigger()
    _accept_import(window, qtbot)
    assert window.document is not before
    assert len(window.document.workshop.portfolio) == len(before.workshop.portfolio) - 5
    assert window.prompts.asked[0].text == "Import a spreadsheet as a new workshop"


def test_replace_initiatives_replaces_them_in_the_same_workshop(window, qtbot, tmp_path):
    doc = window.document
    count = len(doc.workshop.portfolio)
    window.feature(ImportFeature).session = None  # wait for the new import's dialog
    window.prompts.script(_initiatives(tmp_path / "update.xlsx", drop=3))
    window.actions["replace_initiatives"].trigger()
    _accept_import(window, qtbot)
    assert window.document is doc
    qtbot.waitUntil(lambda: len(doc.workshop.portfolio) == count - 3, timeout=WAIT)


def test_save_as_writes_the_workshop_where_chosen(window, tmp_path):
    window.prompts.script(tmp_path / "Kept")  # no suffix typed: .cutline is added
    window.actions["save_as"].trigger()
    assert (tmp_path / "Kept.cutline").exists()
    assert window.document.path == tmp_path / "Kept.cutline"


def test_save_model_then_load_model_round_trips_the_model(window, tmp_path):
    doc = window.document
    path = tmp_path / "model.toml"
    window.prompts.script(path)
    window.actions["save_model"].trigger()
    saved = load_model(path)
    assert saved == doc.workshop.current_scenario().model

    window.prompts.script(None)  # the template question: cancelled
    window.actions["use_template"].trigger()
    assert doc.workshop.current_scenario().model == saved
    portfolio = doc.workshop.portfolio
    other = next(t for t in TEMPLATES
                 if shipped_template(t.key) != saved and can_score(shipped_template(t.key), portfolio))
    window.prompts.script(_template_choices(window, other))
    window.actions["use_template"].trigger()
    assert doc.workshop.current_scenario().model == shipped_template(other.key)

    window.prompts.script(path)
    window.actions["load_model"].trigger()
    assert doc.workshop.current_scenario().model == saved
    assert doc.undo_stack.undoText().startswith("Loaded model")


def _template_choices(window, template) -> str:
    """The button label of `template` in the "Score with which model template?" question."""
    from cutline.models.scoring.coverage import best_template

    best = best_template(window.document.workshop.portfolio)
    return template.title + (" (fits best)" if template.key == best else "")


def test_export_csv_writes_the_ranked_list(window, qtbot, tmp_path):
    path = tmp_path / "ranked.csv"
    window.prompts.script(path)
    window.actions["export_csv"].trigger()
    qtbot.waitUntil(lambda: window.feature(ExportFeature).last_path == path, timeout=WAIT)
    frame = pd.read_csv(path)
    assert len(frame) == len(window.document.workshop.portfolio)
    assert window.prompts.told[-1].kind == "reveal" and window.prompts.told[-1].text == str(tmp_path)


def test_export_roadmap_writes_the_workbook_chosen_with_choose(window, qtbot, tmp_path):
    path = tmp_path / "roadmap.xlsx"

    def choose_then_export(dialog) -> int:
        browse = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Choose…")
        browse.click()                                   # asks where: the scripted path
        assert dialog.path == path
        return dialog.DialogCode.Accepted

    window.prompts.script(path)
    window.prompts.script_dialog(choose_then_export)
    window.actions["export"].trigger()
    qtbot.waitUntil(lambda: window.feature(ExportFeature).last_path == path, timeout=WAIT)
    assert path.stat().st_size > 0
    assert window.prompts.questions == ["Export the roadmap"]


def test_a_chart_s_save_as_png_writes_the_image(window, tmp_path):
    from cutline.app.features.scoring import ScoringFeature

    window.show_view("matrix")
    chart = window.feature(ScoringFeature).chart
    save = next(a for a in chart.plot_widget.actions() if a.text() == "Save as PNG…")
    window.prompts.script(tmp_path / "matrix.png")
    save.trigger()
    assert (tmp_path / "matrix.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert window.prompts.questions == ["Save chart as PNG"]


def test_about_is_told_not_asked(window):
    window.actions["about"].trigger()
    assert window.prompts.asked == [] and "Cutline" in window.prompts.told[-1].text
