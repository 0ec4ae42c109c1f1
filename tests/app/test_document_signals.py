"""The document on its own (no window): one drag is one undo step and one journal entry, undo
restores the exact workshop, each change emits its own signal, and a drag that ended survives
a kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QElapsedTimer

from cutline.app.document import intents
from cutline.app.document.journal_writer import PAUSE_MS
from cutline.app.document.workshop_document import WorkshopDocument
from cutline.app.lifecycle.loading import load_spreadsheet, sample_path
from cutline.models.capacity.capacity import Capacity
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.workshop.file import WorkshopFile

ROOT = Path(__file__).resolve().parents[2]
SIGNALS = ("modelChanged", "capacityChanged", "planChanged", "scenariosChanged",
           "portfolioChanged", "portfolioReplaced", "ratingsChanged", "fileStateChanged")


@pytest.fixture(scope="module")
def sample():
    return load_spreadsheet(sample_path()).workshop


@pytest.fixture
def doc(qapp, tmp_path, sample):
    file = WorkshopFile.create(tmp_path / "w.cutline", sample)
    document = WorkshopDocument(sample, file)
    yield document
    document.file.close()


def _weight(doc, name="dx") -> float:
    return doc.workshop.current_scenario().model.criterion(name).weight


def _weights(doc) -> list[dict]:
    return [{"summary": e.summary, "old": e.old, "new": e.new} for e in doc.journal() if e.kind == "weight"]


def _drag(doc, values, name="dx") -> None:
    doc.begin_gesture()
    for value in values:
        intents.set_weight(doc, name, value)
    doc.end_gesture()


def test_a_drag_of_ten_ticks_is_one_step_and_one_entry_from_first_old_to_last_new(doc):
    first = _weight(doc)
    ticks = [first + 0.5 * i for i in range(1, 11)]
    _drag(doc, ticks)
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == f"Weight of dx {first:g} → {ticks[-1]:g}"
    assert _weights(doc) == [{"summary": f"Weight of dx {first:g} → {ticks[-1]:g}",
                              "old": first, "new": ticks[-1]}]


def test_two_drags_are_two_steps_and_two_entries(doc):
    first = _weight(doc)
    _drag(doc, [first + 1, first + 2])
    _drag(doc, [first + 3, first + 4])
    assert doc.undo_stack.count() == 2
    assert [e["summary"] for e in _weights(doc)] == [
        f"Weight of dx {first:g} → {first + 2:g}", f"Weight of dx {first + 2:g} → {first + 4:g}"]


def test_weights_set_outside_a_drag_still_merge_into_one_step_and_entry(doc):
    first = _weight(doc)
    for value in (first + 1, first + 2, first + 3):
        intents.set_weight(doc, "dx", value)
    assert doc.undo_stack.count() == 1
    assert [(e["old"], e["new"]) for e in _weights(doc)] == [(first, first + 3)]


def test_undo_and_redo_restore_the_exact_workshop_and_are_logged(doc):
    start = doc.workshop
    first = _weight(doc)
    _drag(doc, [first + 1, first + 2, first + 3])
    dragged = doc.workshop
    doc.undo_stack.undo()
    assert doc.workshop is start
    doc.undo_stack.redo()
    assert doc.workshop is dragged
    summaries = [e["summary"] for e in _weights(doc)]
    step = f"Weight of dx {first:g} → {first + 3:g}"
    assert summaries == [step, f"Undid: {step}", step]
    assert [(e["old"], e["new"]) for e in _weights(doc)][1] == (first + 3, first)


def test_a_drag_after_a_save_point_is_its_own_entry(doc):
    first = _weight(doc)
    intents.set_weight(doc, "dx", first + 1)
    doc.undo_stack.setClean()  # Qt does not merge into the step the file was saved at
    intents.set_weight(doc, "dx", first + 2)
    assert doc.undo_stack.count() == 2
    assert [(e["old"], e["new"]) for e in _weights(doc)] == [(first, first + 1), (first + 1, first + 2)]


class Heard:
    """Which of the document's signals fired."""

    def __init__(self, doc):
        self.names: list[str] = []
        for name in SIGNALS:
            getattr(doc, name).connect(lambda *_, n=name: self.names.append(n))

    def take(self) -> set[str]:
        names, self.names = set(self.names), []
        return names


def _scenario_change(doc, **parts):
    return doc.workshop.with_scenario(replace(doc.workshop.current_scenario(), **parts))


def test_each_change_emits_its_own_signal_and_no_other(doc):
    heard = Heard(doc)
    intents.set_weight(doc, "dx", _weight(doc) + 1)
    assert heard.take() == {"modelChanged", "fileStateChanged"}  # and no longer clean
    doc.end_gesture()
    intents.set_weight(doc, "dx", _weight(doc) + 1)
    assert heard.take() == {"modelChanged"}
    intents.set_capacity(doc, Capacity.from_rows([("Platform", "2026-Q1", 10)]), "Capacity")
    assert heard.take() == {"capacityChanged"}
    intents.set_pin(doc, doc.workshop.portfolio.ids[0], True)
    assert heard.take() == {"planChanged"}
    intents.set_cell(doc, 0, "title", "Renamed initiative")
    assert heard.take() == {"portfolioChanged"}
    intents.rename_scenario(doc, doc.workshop.current, "Base")
    assert heard.take() == {"scenariosChanged"}
    intents.duplicate_scenario(doc, "Bold")  # added and switched to: the shown scenario is new
    assert heard.take() == {"scenariosChanged", "modelChanged", "capacityChanged", "planChanged"}
    doc.change(doc.workshop.adding_rating_round({"id": "r1"}), "Round", kind="rating")
    assert heard.take() == {"ratingsChanged"}
    frame = doc.workshop.portfolio.frame.iloc[:5].reset_index(drop=True)
    smaller = Portfolio.from_frame(frame)
    doc.change(doc.workshop.with_portfolio(smaller), "Imported 5", kind="import")
    assert heard.take() == {"portfolioChanged", "portfolioReplaced"}
    doc.undo_stack.setClean()
    assert heard.take() == {"fileStateChanged"}
    doc.undo_stack.undo()  # the import again: clean no more
    assert heard.take() == {"portfolioChanged", "portfolioReplaced", "fileStateChanged"}


def test_a_scenario_chooser_hears_nothing_of_a_weight(doc):
    changes = []
    doc.scenariosChanged.connect(changes.append)
    _drag(doc, [_weight(doc) + 1, _weight(doc) + 2])
    doc.undo_stack.undo()
    assert changes == []


def _on_disk(doc) -> WorkshopFile:
    return WorkshopFile.open(doc.path, read_only=True)


def test_a_drag_reaches_the_file_when_it_ends_or_pauses(doc, qapp):
    first = _weight(doc)
    doc.begin_gesture()
    intents.set_weight(doc, "dx", first + 1)
    with _on_disk(doc) as disk:  # still moving: not committed tick by tick
        assert disk.workshop.current_scenario().model.criterion("dx").weight == first
    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < PAUSE_MS * 3:  # the hand rests: the drag is committed as it stands
        QCoreApplication.processEvents()
    with _on_disk(doc) as disk:
        assert disk.workshop.current_scenario().model.criterion("dx").weight == first + 1
    intents.set_weight(doc, "dx", first + 2)
    doc.end_gesture()
    with _on_disk(doc) as disk:
        assert disk.workshop.current_scenario().model.criterion("dx").weight == first + 2
        assert [(e.old, e.new) for e in disk.journal() if e.kind == "weight"] == [(first, first + 2)]


KILLED_DRAGGER = textwrap.dedent("""
    import os, signal, sys
    from PySide6.QtCore import QCoreApplication
    from cutline.app.document import intents
    from cutline.app.document.workshop_document import WorkshopDocument
    from cutline.app.lifecycle.loading import load_spreadsheet, sample_path
    from cutline.models.workshop.file import WorkshopFile
    app = QCoreApplication([])
    workshop = load_spreadsheet(sample_path()).workshop
    doc = WorkshopDocument(workshop, WorkshopFile.create(sys.argv[1], workshop))
    doc.begin_gesture()
    for value in (3, 4, 5, 6, 7):
        intents.set_weight(doc, "dx", value)
    doc.end_gesture()
    intents.set_weight(doc, "risk", 4)  # outside a drag: committed before set_weight returns
    print("acknowledged", flush=True)
    doc.begin_gesture()
    intents.set_weight(doc, "dx", 9)  # the drag in flight, which a kill may lose
    os.kill(os.getpid(), signal.SIGKILL)
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_every_acknowledged_edit_survives_a_kill(tmp_path):
    path = tmp_path / "killed.cutline"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", KILLED_DRAGGER, str(path)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == -9 and "acknowledged" in result.stdout, result.stderr
    with WorkshopFile.open(path, read_only=True) as file:
        model = file.workshop.current_scenario().model
        assert model.criterion("dx").weight == 7 and model.criterion("risk").weight == 4
        weights = [(e.summary, e.old, e.new) for e in file.journal() if e.kind == "weight"]
        assert weights[0][0].startswith("Weight of dx ") and weights[0][2] == 7
        assert len(weights) == 2 and weights[1][1:] == (1, 4)
