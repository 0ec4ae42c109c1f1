"""The model panel cannot produce a weight or a scale bound that a model file would refuse."""

from cutline.models.scoring.model import MAX_NUMBER, MAX_WEIGHT, Criterion


def test_weight_and_bound_boxes_stay_within_the_model_limits(qtbot):
    from cutline.views.criterion_row import CriterionRow

    row = CriterionRow(Criterion("dx", "dx", "benefit", "scale", 2, 0, 10))
    qtbot.addWidget(row)
    assert 0 <= row.spin.minimum() and row.spin.maximum() <= MAX_WEIGHT
    for box in (row.low, row.high):
        assert -MAX_NUMBER <= box.minimum() and box.maximum() <= MAX_NUMBER
    row.spin.setValue(1e308)  # a typed or pasted huge number is clamped by the box
    assert row.spin.value() <= MAX_WEIGHT
