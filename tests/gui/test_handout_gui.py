"""File > Export handout (PDF)… from the window, the save dialog answered by the test; the pages
are drawn in the background, so the tests wait for the window to say it is done."""

import re

import pytest

from cutline.app.features.handout import HandoutFeature

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow



def _pages(path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", path.read_bytes()))


def test_the_menu_action_writes_the_handout(window, qtbot, tmp_path):
    target = tmp_path / "Workshop handout"  # no suffix typed: .pdf is added
    window.prompts.script(target)
    action = window.actions["export_handout"]
    assert action.text().replace("&", "") == "Export handout (PDF)…"
    action.trigger()
    written = target.with_name("Workshop handout.pdf")
    qtbot.waitUntil(lambda: window.feature(HandoutFeature).last_path == written, timeout=60_000)
    assert written.exists() and _pages(written) >= 4
    asked = window.prompts.asked[-1]
    assert asked.kind == "save_path" and asked.text == "Export the workshop handout as PDF"
    assert asked.detail.endswith("handout.pdf")  # the suggestion
    assert window.feature(HandoutFeature).last_path == written
    assert re.search(r"Exported Workshop handout\.pdf \(\d+ pages\)", window.last_message)


def test_cancelling_the_dialog_writes_nothing(window, tmp_path):
    window.prompts.script(None)
    before = window.last_message
    window.actions["export_handout"].trigger()
    assert window.prompts.questions == ["Export the workshop handout as PDF"]
    assert list(tmp_path.glob("*.pdf")) == [] and window.last_message == before


def test_every_scenario_is_compared_and_the_current_one_printed(window, qtbot, tmp_path):
    from cutline.app.document import intents
    from cutline.app.features import handout as handout_flow

    doc = window.document
    intents.duplicate_scenario(doc, "Second")
    path = tmp_path / "two.pdf"
    assert handout_flow.export_handout(window, path=path) is not None
    qtbot.waitUntil(lambda: window.feature(HandoutFeature).last_path == path, timeout=60_000)
    pages = int(re.search(r"\((\d+) pages\)", window.last_message).group(1))
    assert pages == _pages(path) and doc.workshop.current == "Second"


def test_cancel_while_drawing_writes_nothing(window, qtbot, tmp_path):
    from cutline.app.features import handout as handout_flow

    path = tmp_path / "cancelled.pdf"
    job = handout_flow.export_handout(window, path=path)
    job.cancel()  # before the first page is done: the next progress call stops the drawing
    qtbot.waitUntil(lambda: "cancelled" in (window.last_message or ""), timeout=60_000)
    assert not path.exists() and list(tmp_path.glob("*.pdf")) == []


def test_an_unwritable_place_tells_the_user(window, qtbot, tmp_path):
    from cutline.app.features import handout as handout_flow

    handout_flow.export_handout(window, path=tmp_path / "missing" / "h.pdf")
    qtbot.waitUntil(lambda: "does not exist" in (window.last_message or ""), timeout=60_000)
    assert not (tmp_path / "missing").exists()
