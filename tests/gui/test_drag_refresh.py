"""A slider drag in a real window refreshes what it affects: the shares, the scores, one undo
step; not the scenario chooser, and not the value the dragged row already shows."""

from __future__ import annotations

from cutline.app.document import intents


def _drag(window, name: str, steps: list[int]):
    from cutline.app.features.scoring import ScoringFeature

    row = window.feature(ScoringFeature).panel.rows[name]
    row.slider.sliderPressed.emit()
    for step in steps:
        row.slider.setValue(step)
        row.flush()
    row.slider.sliderReleased.emit()
    return row


def test_a_drag_moves_every_share_and_leaves_the_scenario_chooser_alone(window):
    from cutline.app.features.scoring import ScoringFeature

    panel = window.feature(ScoringFeature).panel
    rebuilt = []
    window.scenario_box.model().rowsInserted.connect(lambda *_: rebuilt.append(1))
    before = {name: row.share_label.text() for name, row in panel.rows.items()}
    row = _drag(window, "dx", [6, 8, 10, 12, 14, 16, 18, 20])  # weight 3 to 10
    model = window.document.workshop.current_scenario().model
    assert model.criterion("dx").weight == 10 and row.spin.value() == 10
    total = sum(model.weights)
    for name, other in panel.rows.items():
        weight = model.criterion(name).weight
        assert other.share_label.text() == f"{weight / total * 100:.0f}%"
    assert {name: r.share_label.text() for name, r in panel.rows.items()} != before
    assert panel.total.text().startswith(f"Weights add up to {total:g};")
    assert window.document.undo_stack.count() == 1
    assert rebuilt == []
    intents.duplicate_scenario(window.document, "Bold")
    assert rebuilt and window.scenario_box.currentText() == "Bold"


def test_undo_of_a_drag_puts_the_dragged_row_back(window):
    start = window.document.workshop.current_scenario().model.criterion("dx").weight
    row = _drag(window, "dx", [10, 12])
    window.document.undo_stack.undo()
    assert row.spin.value() == start and row.slider.value() == round(start / 0.5)
