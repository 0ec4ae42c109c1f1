"""The ranked table keeps the selection on the same initiative through sorting, filtering, re-ranking."""

import numpy as np
import pytest

from cutline.app.document import intents

# Left out of the fast lane (pytest -m "not slow"): its tests drive real windows and dialogs.
pytestmark = pytest.mark.slow


def test_selection_follows_the_initiative(window):
    model = window.table_model
    row = int(window.document.evaluation.ranking.order[7])
    window.select_row(row)
    model.sort(model.column_of("title"))
    assert window.selected_row() == row
    titles = [model.index(i, model.column_of("title")).data() for i in range(model.rowCount())]
    assert titles == sorted(titles, key=str.lower)
    team = window.document.workshop.portfolio.text("team")[row]
    model.set_filter(window.document.workshop.portfolio.text("team") == team)
    assert window.selected_row() == row
    assert model.rowCount() == int(np.sum(window.document.workshop.portfolio.text("team") == team))
    model.set_filter(None)
    model.sort(model.column_of("rank"))
    intents.set_weight(window.document, "security", 0)           # re-rank: rows move, selection stays
    assert window.selected_row() == row
    assert model.portfolio_row(0) == int(window.document.evaluation.ranking.order[0])
