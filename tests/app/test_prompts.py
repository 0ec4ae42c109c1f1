"""The three ways the app's questions are answered: real dialogs, nobody there, a test's script."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog

from cutline.app.prompts import (
    DialogPrompts,
    ScriptedPrompts,
    UnattendedPrompts,
    UnscriptedQuestion,
)

ROOT = Path(__file__).resolve().parents[2]


def test_scripted_answers_come_in_order_and_every_question_is_recorded():
    prompts = ScriptedPrompts(True, "Discard").script("Q3", "/tmp/x.cutline", None)
    assert prompts.yes_no("Recover it?") is True
    assert prompts.choose("Keep this workshop?", "", ["Save…", "Discard"]) == "Discard"
    assert prompts.text("New scenario", "Name:") == "Q3"
    assert prompts.open_path("Open", "/", "*") == Path("/tmp/x.cutline")
    assert prompts.save_path("Save as", "a.cutline", "*") is None  # None cancels
    assert [(q.kind, q.text) for q in prompts.asked] == [
        ("yes_no", "Recover it?"), ("choose", "Keep this workshop?"), ("text", "New scenario"),
        ("open_path", "Open"), ("save_path", "Save as")]


def test_an_unscripted_question_fails_with_its_wording():
    prompts = ScriptedPrompts()
    with pytest.raises(UnscriptedQuestion, match="Delete scenario Q3"):
        prompts.yes_no("Delete scenario Q3?")
    assert prompts.questions == ["Delete scenario Q3?"]


def test_a_scripted_choice_must_be_one_of_the_buttons():
    with pytest.raises(UnscriptedQuestion, match="not one of the choices"):
        ScriptedPrompts("Maybe").choose("Keep?", "", ["Save…", "Discard"])


def test_a_save_path_can_say_which_filter_was_chosen():
    prompts = ScriptedPrompts(("/tmp/r", "SVG image (*.svg)"))
    assert prompts.save_path("Save roadmap", "r.png", "PNG;;SVG") == (Path("/tmp/r"), "SVG image (*.svg)")


def test_a_dialog_is_filled_by_the_script_or_left_shown_for_the_test(qtbot):
    prompts = ScriptedPrompts().script_dialog(lambda d: d.DialogCode.Accepted)
    first, second = QDialog(), QDialog()
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    assert prompts.run_dialog(first) == QDialog.DialogCode.Accepted and not first.isVisible()
    assert prompts.run_dialog(second) == QDialog.DialogCode.Rejected and second.isVisible()
    assert prompts.dialogs == [first, second]


def test_nobody_there_declines_everything_and_never_waits(qtbot):
    prompts = UnattendedPrompts()
    dialog = QDialog()
    qtbot.addWidget(dialog)
    assert prompts.yes_no("Recover it?") is False
    assert prompts.choose("Keep?", "", ["Discard"]) is None
    assert prompts.save_path("Save as", "a", "*") is None
    assert prompts.run_dialog(dialog) == QDialog.DialogCode.Rejected and dialog.isVisible()


def test_real_dialogs_hand_back_a_path_and_the_filter(qtbot, monkeypatch):
    asked = []

    def save_dialog(parent, title, suggestion, filters):
        asked.append((title, suggestion, filters))
        return "/tmp/roadmap", "SVG image (*.svg)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a: ("", "")))
    prompts = DialogPrompts()
    assert prompts.save_path("Save roadmap", "What ships when.png", "PNG;;SVG") == (
        Path("/tmp/roadmap"), "SVG image (*.svg)")
    assert asked == [("Save roadmap", "What ships when.png", "PNG;;SVG")]
    assert prompts.open_path("Open", "/tmp", "*") is None  # cancelled


def test_only_app_prompts_opens_dialogs_and_no_code_asks_who_is_looking():
    """Every message box and file dialog goes through app/prompts.py; no test flag is read."""
    offenders = []
    for path in sorted([*ROOT.glob("app/**/*.py"), *ROOT.glob("views/**/*.py")]):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        if name != "app/prompts.py" and any(w in text for w in ("QFileDialog", "QMessageBox", "QInputDialog")):
            offenders.append(name)
        if name != "app/prompts.py" and ('"headless"' in text or ".answers" in text):
            offenders.append(name)
    assert offenders == []
