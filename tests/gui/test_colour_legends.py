"""The charts draw every category, criterion and tier in its own palette, their legends show the
colours drawn, and the capacity chart's not-funded bars are proportional."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from cutline.models import colours
from cutline.models.capacity.capacity import Capacity
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.pipeline import evaluate
from cutline.models.scenarios.scenario import Scenario
from cutline.models.scoring.model import default_model
from cutline.views import palette
from cutline.views.charts.capacity_bars import NO_CAPACITY_LABEL, PAD, CapacityBarsChart
from cutline.views.charts.category_shares import CategorySharesChart
from cutline.views.charts.contributions import ContributionsChart
from cutline.views.charts.value_effort import ValueEffortChart
from cutline.views.theme import DARK, LIGHT, apply_theme
from tests.gui import scoring_fixtures as fx
from tests.gui.closing import answer_closing, close_discarding

#: The fixture's categories, renamed the way tracker exports name theirs.
RENAMED = {"capability": "customer", "developer-experience": "devex", "security": ""}


def tracker_like_evaluation():
    rows = [dict(zip(fx.FIELDS, row)) for row in fx.ROWS]
    for row in rows:
        row["category"] = RENAMED.get(row["category"], row["category"])
    capacity = Capacity.from_rows([("", "2025-Q1", 30), ("", "2025-Q2", 25)])
    return evaluate(Portfolio.from_records(rows), Scenario("Default", capacity=capacity))


def waiting_evaluation(efforts: dict[str, float]):
    """One team per entry with 1 pw of capacity and one initiative of that effort (not funded)."""
    rows = [{"id": f"W-{i}", "title": f"Waits {team}", "team": team, "category": "reliability",
             "effort": effort, "reliability": 5} for i, (team, effort) in enumerate(efforts.items())]
    capacity = Capacity.from_rows([(team, "2025-Q1", 1) for team in efforts])
    return evaluate(Portfolio.from_records(rows), Scenario("Default", capacity=capacity))


@pytest.fixture
def dark_theme(qapp):
    apply_theme(QApplication.instance(), DARK)
    yield
    apply_theme(QApplication.instance(), LIGHT)


def _hex(brush) -> str:
    colour = brush.color() if hasattr(brush, "color") else QColor(brush)
    return colour.name().upper()


def capacity_chart(qtbot, evaluation) -> CapacityBarsChart:
    chart = CapacityBarsChart()
    qtbot.addWidget(chart)
    chart.resize(900, 500)
    chart.set_evaluation(evaluation)
    return chart


@pytest.mark.slow
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_capacity_bars_and_their_legend_share_one_colour_per_category(qtbot, theme, request):
    if theme == "dark":
        request.getfixturevalue("dark_theme")
    ev = tracker_like_evaluation()
    chart = capacity_chart(qtbot, ev)
    chart.apply_look()
    legend = dict(chart.key._entries)
    drawn = {c: _hex(chart.stacks[c].opts["brush"]) for c in chart.grid.categories}
    assert len(drawn) >= 4 and "(no category)" in legend
    for category, colour in drawn.items():
        assert legend[category or "(no category)"].colour == colour
    assert len(set(drawn.values())) == len(drawn)
    expected = colours.category_colours(ev.portfolio.text("category"), dark=theme == "dark")
    assert drawn == {c: expected[c] for c in drawn}


def test_category_shares_bars_match_their_legend_and_the_capacity_chart(qtbot):
    ev = tracker_like_evaluation()
    shares = CategorySharesChart()
    qtbot.addWidget(shares)
    shares.set_evaluation(ev)
    legend = dict(shares.key._entries)
    brushes = [_hex(b) for b in shares.bars.opts["brushes"]]
    assert [legend[n].colour for n in shares.names[:-1]] == brushes
    assert len(set(brushes)) == len(brushes) == len(shares.categories)
    bars = capacity_chart(qtbot, ev)
    for category in bars.grid.categories:
        assert brushes[shares.categories.index(category)] == _hex(bars.stacks[category].opts["brush"])


def test_the_window_palette_agrees_with_the_charts_for_the_open_portfolio():
    ev = tracker_like_evaluation()
    palette.use_categories(ev.portfolio.text("category"))
    try:
        among = palette.portfolio_categories(ev.portfolio.text("category"))
        for name in ("customer", "devex", "", "security"):
            assert palette.category_hex(name) == palette.category_hex(name, among)
        assert palette.category_hex("reliability", dark=True) == colours.KNOWN_CATEGORIES_DARK["reliability"]
        assert palette.category_hex("reliability", dark=False) == colours.KNOWN_CATEGORIES["reliability"]
    finally:
        palette.use_categories(())


def test_criteria_never_take_a_category_colour_and_legend_matches_bars(qtbot):
    ev = tracker_like_evaluation()
    chart = ContributionsChart()
    qtbot.addWidget(chart)
    names = [c.name for c in default_model().criteria] + ["extra criterion"]
    chart.set_contributions(names, np.ones(len(names)))
    drawn = [_hex(bar.opts["brush"]) for bar in chart._bars]
    legend = [_hex(sample.item.opts["brush"]) for sample, _label in chart.legend.items]
    assert legend == drawn == [colours.criterion_colour(i) for i in range(len(names))]
    on_screen = set(colours.category_colours(ev.portfolio.text("category")).values())
    on_screen |= set(colours.category_colours(ev.portfolio.text("category"), dark=True).values())
    assert not on_screen & set(drawn)


def test_not_funded_bars_are_proportional_and_fit_their_column(qtbot):
    chart = capacity_chart(qtbot, waiting_evaluation({"Small": 17, "Large": 56, "Mid": 30}))
    grid = chart.grid
    small, large = grid.teams.index("Small"), grid.teams.index("Large")
    assert grid.not_funded[small] == 17 and grid.not_funded[large] == 56
    widths = chart.waiting.widths
    assert widths[large] / widths[small] == pytest.approx(56 / 17)
    assert widths.max() <= 1 - 2 * PAD
    drawn = dict(zip(chart.waiting.bars.opts["y"].tolist(), chart.waiting.bars.opts["width"].tolist()))
    assert drawn[large] / drawn[small] == pytest.approx(56 / 17)
    labels = [label.textItem.toPlainText() for label in chart.waiting.labels if label.isVisible()]
    assert sorted(labels) == ["17 pw", "30 pw", "56 pw"]
    ends = [label.pos().x() for label in chart.waiting.labels]
    starts = len(grid.quarters) + PAD
    assert all(end > starts + w for end, w in zip(ends, widths))  # each number past its bar


def test_no_capacity_at_all_says_so_instead_of_an_empty_axis(qtbot):
    portfolio = fx.portfolio()
    chart = capacity_chart(qtbot, evaluate(portfolio, Scenario("Default", capacity=Capacity.empty())))
    assert not chart.has_capacity
    assert chart.plot.getAxis("bottom").labelText == NO_CAPACITY_LABEL
    assert chart.waiting.widths.max() <= 1 - 2 * PAD
    with_capacity = capacity_chart(qtbot, fx.evaluation())
    assert with_capacity.has_capacity and with_capacity.plot.getAxis("bottom").labelText != NO_CAPACITY_LABEL


@pytest.mark.slow
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_value_effort_tiers_are_in_ink_and_the_legend_shows_what_is_drawn(qtbot, theme, request):
    if theme == "dark":
        request.getfixturevalue("dark_theme")
    chart = ValueEffortChart()
    qtbot.addWidget(chart)
    chart.show()
    chart.set_evaluation(fx.evaluation())
    shades = colours.TIERS_DARK if theme == "dark" else colours.TIERS
    for (tier, funded), item in chart.items.items():
        sample = chart._samples[(tier, funded)]
        assert _hex(sample.opts["brush"]) == _hex(item.opts["brush"])
        assert sample.opts["pen"].color() == item.opts["pen"].color()
        assert _hex(item.opts["brush"] if funded else item.opts["pen"]) == shades[tier - 1]
    categories = set(colours.KNOWN_CATEGORIES.values()) | set(colours.EXTRA_CATEGORIES)
    assert not categories & {_hex(i.opts["brush"]) for i in chart.items.values()}


@pytest.mark.slow
def test_in_the_window_the_table_chips_the_charts_and_the_legends_agree(qtbot, tmp_path):
    """A spreadsheet whose categories a tracker would write (customer, devex, blank), opened whole."""
    import openpyxl
    from PySide6.QtCore import QSettings, Qt

    from cutline.app.features.capacity import CapacityFeature
    from tests.gui.windows import scripted_window

    book = openpyxl.load_workbook(Path(__file__).resolve().parents[2] / "resources" / "sample_portfolio.xlsx")
    sheet = book["Initiatives"]
    column = [c.value for c in sheet[1]].index("category")
    for i, row in enumerate(sheet.iter_rows(min_row=2)):
        row[column].value = {"capability": "customer", "developer-experience": "devex"}.get(
            row[column].value, None if i % 9 == 0 else row[column].value)
    book.save(tmp_path / "tracker_like.xlsx")
    QSettings("Cutline", "Cutline").clear()
    win = scripted_window(tmp_path, path=tmp_path / "tracker_like.xlsx")
    qtbot.addWidget(win, before_close_func=answer_closing)
    win.show()
    try:
        model = win.table_model
        category = next(i for i in range(model.columnCount()) if model._columns[i].key == "category")
        chips = {}
        for r in range(model.rowCount()):
            index = model.index(r, category)
            chips[str(model.data(index, Qt.ItemDataRole.DisplayRole) or "")] = model.data(
                index, Qt.ItemDataRole.DecorationRole).name().upper()
        assert {"customer", "devex", "security"} <= set(chips)
        win.show_view("capacity")
        bars = win.feature(CapacityFeature).charts["capacity"]
        for name in bars.grid.categories:
            assert _hex(bars.stacks[name].opts["brush"]) == chips[name]
        for view in ("capacity", "shares", "roadmap"):
            win.show_view(view)
            entries = dict(win.feature(CapacityFeature).charts[view].key._entries)
            for name, colour in chips.items():
                if (name or "(no category)") in entries:
                    assert entries[name or "(no category)"].colour == colour, (view, name)
        assert len(set(chips.values())) == len(chips)
    finally:
        close_discarding(win)
