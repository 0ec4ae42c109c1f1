"""File > Export handout (PDF)… from the window, the save dialog answered by the test."""

import re

from PySide6.QtWidgets import QFileDialog


def _pages(path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", path.read_bytes()))


def test_the_menu_action_writes_the_handout(window, tmp_path, monkeypatch):
    target = tmp_path / "Workshop handout"  # no suffix typed: .pdf is added
    asked = []

    def answer(parent, caption, suggestion, filters):
        asked.append((caption, suggestion, filters))
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    action = window.actions["export_handout"]
    assert action.text().replace("&", "") == "Export handout (PDF)…"
    action.trigger()
    written = target.with_name("Workshop handout.pdf")
    assert written.exists() and _pages(written) >= 4
    assert asked and asked[0][1].endswith("handout.pdf") and "*.pdf" in asked[0][2]
    assert window.last_export == written
    assert re.search(r"Exported Workshop handout\.pdf \(\d+ pages\)", window.last_message)


def test_cancelling_the_dialog_writes_nothing(window, tmp_path, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    before = window.last_message
    window.actions["export_handout"].trigger()
    assert list(tmp_path.glob("*.pdf")) == [] and window.last_message == before


def test_every_scenario_is_compared_and_the_current_one_printed(window, tmp_path):
    from app import handout_flow, intents

    doc = window.document
    intents.duplicate_scenario(doc, "Second")
    result = handout_flow.export_handout(window, path=tmp_path / "two.pdf")
    assert result is not None and result.pages == _pages(tmp_path / "two.pdf")
    assert doc.workshop.current == "Second"


def test_an_unwritable_place_tells_the_user(window, tmp_path):
    from app import handout_flow

    assert handout_flow.export_handout(window, path=tmp_path / "missing" / "h.pdf") is None
    assert "does not exist" in window.last_message
