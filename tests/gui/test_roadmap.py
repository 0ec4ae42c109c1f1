"""The roadmap: titled boxes across the quarters they run in, the selection's chain routed in the
gaps (never across a box), lanes that scroll rather than squash, and PNG and SVG export."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QImage

from cutline.models.portfolio.dependencies import DependencyGraph
from cutline.models.roadmap.plan import plan_roadmap
from cutline.models.roadmap.routes import chain_edges
from cutline.views.charts.roadmap_lanes import RoadmapChart
from tests.gui.closing import close_discarding
from tests.gui.test_roadmap_case import chain_case


@pytest.fixture
def roadmap(qtbot):
    chart = RoadmapChart()
    qtbot.addWidget(chart)
    chart.resize(1000, 700)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_evaluation(chain_case())
    return chart


def box(chart, ident: str) -> int:
    return chart.layout_.box_of_row(int(chart.evaluation.portfolio.row_of_id[ident]))


def test_boxes_carry_their_id_and_title(roadmap):
    titles = roadmap.evaluation.portfolio.text("title")
    for b, row in enumerate(roadmap.layout_.rows.tolist()):
        text = roadmap.picture.texts[b]
        assert text.mark_id == str(roadmap.evaluation.portfolio.ids[row])
        shown = f"{text.first} {text.second}".strip()
        assert shown.rstrip("…") and str(titles[row]).startswith(shown.rstrip("…"))
    # A short title fits whole; the long one is wrapped, and elided only on its second line.
    assert roadmap.picture.texts[box(roadmap, "D")].text == "D Rotate TLS certificates"
    long = roadmap.picture.texts[box(roadmap, "A")]
    assert long.first and long.second


def test_spans_cover_their_first_to_finish_quarter(roadmap):
    lay, alloc = roadmap.layout_, roadmap.evaluation.allocation
    assert lay.spanning.sum() == 2  # A runs 2027-Q1 → Q2, B 2027-Q2 → Q3
    for b, row in enumerate(lay.rows.tolist()):
        first, finish = int(alloc.quarter[row]), max(int(alloc.finish[row]), int(alloc.quarter[row]))
        assert lay.x0[b] == first and lay.x0[b] + lay.width[b] == finish + 1
        rect = roadmap.picture.box_rect(b)
        assert roadmap.picture.x(first) < rect.left() < rect.right() < roadmap.picture.x(finish + 1)
    a = roadmap.picture.box_rect(box(roadmap, "A"))
    assert a.width() > 1.8 * roadmap.picture.quarter_px


def test_the_chain_is_what_it_waits_on_and_what_waits_on_it():
    # A→B→C, D→E elsewhere, F waits on C's prerequisite B too; selecting B draws A–B, B–C and B–F.
    a, b, c, d, e, f = range(6)
    start = np.array([a, b, d, b, f])
    end = np.array([b, c, e, f, c])  # ... and F→C: C waits on F as well
    edges = chain_edges(start, end, b)
    assert sorted(zip(start[edges].tolist(), end[edges].tolist())) == [(a, b), (b, c), (b, f), (f, c)]
    assert chain_edges(start[:2], end[:2], b).tolist() == [0, 1]   # A→B→C: both
    assert chain_edges(start[:3], end[:3], d).tolist() == [2]      # D's chain is D→E alone
    assert chain_edges(start, end, -1).tolist() == []


def test_only_the_selection_s_chain_is_drawn(roadmap):
    assert roadmap.picture.routes == []  # nothing drawn with no selection
    rows = roadmap.evaluation.portfolio.row_of_id
    roadmap.set_selected(int(rows["B"]))
    drawn = {(roadmap.layout_.rows[a], roadmap.layout_.rows[b]) for a, b, _ in roadmap.picture.routes}
    assert drawn == {(rows["A"], rows["B"]), (rows["B"], rows["C"])}
    roadmap.set_selected(int(rows["E"]))  # no dependencies: nothing drawn, nothing dimmed
    assert roadmap.picture.routes == [] and not len(roadmap.picture.in_chain)


def test_a_huge_chain_draws_the_selection_s_own_dependencies_only(roadmap):
    from cutline.models.roadmap.routes import chain_routes

    plan = roadmap.layout_
    c = box(roadmap, "C")
    routes, whole = chain_routes(plan, c)
    assert whole == len(routes) == 2                    # A→B and B→C
    routes, whole = chain_routes(plan, c, most=1)
    assert whole == 2 and [(a, b) for a, b, _ in routes] == [(box(roadmap, "B"), c)]


def test_lines_take_the_short_way_between_their_boxes(roadmap):
    roadmap.set_selected(int(roadmap.evaluation.portfolio.row_of_id["B"]))
    lay = roadmap.layout_
    for a, b, bends in roadmap.picture.routes:
        mids = sorted((lay.y[a], lay.y[b]))
        low = mids[0] - (0.5 if mids[0] == mids[1] else 0.0)  # one row: over the top of it
        assert all(low <= y <= mids[1] for _, y in bends)   # never out past either box
        assert len(bends) <= 4                             # at most three turns


def _crosses(p: QPointF, q: QPointF, rect: QRectF) -> bool:
    """Whether the horizontal or vertical segment p–q passes through the inside of `rect`."""
    inside = rect.adjusted(0.5, 0.5, -0.5, -0.5)
    if p.y() == q.y():
        lo, hi = sorted((p.x(), q.x()))
        return inside.top() < p.y() < inside.bottom() and lo < inside.right() and hi > inside.left()
    assert p.x() == q.x(), "every segment is horizontal or vertical"
    lo, hi = sorted((p.y(), q.y()))
    return inside.left() < p.x() < inside.right() and lo < inside.bottom() and hi > inside.top()


@pytest.mark.slow
@pytest.mark.parametrize("width", [700, 1000, 1600])
def test_no_line_crosses_a_box_and_every_line_ends_at_its_boxes(roadmap, width):
    roadmap.resize(width, 600)
    roadmap.set_lanes("team")
    picture = roadmap.picture
    rects = [picture.box_rect(b) for b in range(len(roadmap.layout_.rows))]
    drawn = 0
    for row in roadmap.layout_.rows.tolist():
        roadmap.set_selected(row)
        for (a, b, _), points in zip(roadmap.picture.routes, roadmap.picture.segments()):
            assert points[0].x() == pytest.approx(rects[a].right())
            assert points[-1].x() == pytest.approx(rects[b].left())  # the arrowhead's tip
            for p, q in zip(points, points[1:]):
                assert not any(_crosses(p, q, r) for r in rects), (a, b, p, q)
            drawn += 1
    assert drawn > 0


def test_lanes_by_team_and_by_layer(roadmap):
    assert roadmap.layout_.lanes == ("infrastructure", "core services", "enabling capabilities")
    roadmap.lanes_box.setCurrentIndex(roadmap.lanes_box.findData("team"))
    assert roadmap.layout_.lanes == ("Core", "Edge")


def test_without_a_layer_column_the_lanes_are_the_dependency_depth():
    ev = chain_case(layers=False)
    plan = plan_roadmap(ev, "layer", 1, DependencyGraph.from_portfolio(ev.portfolio))
    assert plan.lanes == ("Waits on nothing", "Waits on 1 step", "Waits on 2 steps")
    lane_of = {str(ev.portfolio.ids[r]): plan.lanes[plan.lane[b]] for b, r in enumerate(plan.rows.tolist())}
    assert lane_of["A"] == lane_of["D"] == "Waits on nothing" and lane_of["C"] == "Waits on 2 steps"


def test_many_lanes_scroll_rather_than_squash(roadmap):
    roadmap.resize(700, 380)
    roadmap.set_lanes("layer")
    picture = roadmap.picture
    assert picture.row_px >= 2 * picture.line_h + 2 * picture.inset_y  # two lines of title per box
    assert roadmap.canvas.height() >= picture.height
    assert roadmap.scroll.verticalScrollBar().maximum() > 0


def test_clicking_a_box_selects_it(roadmap, qtbot):
    centre = roadmap.box_of(int(roadmap.evaluation.portfolio.row_of_id["C"]))
    with qtbot.waitSignal(roadmap.initiativeClicked) as clicked:
        qtbot.mouseClick(roadmap.canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(centre[0]), int(centre[1])))
    assert clicked.args == [int(roadmap.evaluation.portfolio.row_of_id["C"])]
    assert roadmap.picture.selected == box(roadmap, "C") and roadmap.has_chain()
    assert roadmap.hover_at(*centre).startswith("C Self-serve event subscriptions\nEdge")


@pytest.mark.slow
def test_png_and_svg_export_write_valid_files(roadmap, tmp_path):
    roadmap.set_selected(int(roadmap.evaluation.portfolio.row_of_id["B"]))
    png = roadmap.export_png(tmp_path / "roadmap.png", scale=2)
    image = QImage(str(png))
    assert not image.isNull() and image.width() == 2 * int(roadmap.picture.width)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = roadmap.export_chosen(tmp_path / "roadmap", "SVG image (*.svg)")  # no suffix typed
    assert svg == tmp_path / "roadmap.svg"
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    assert "What ships when?" in svg.read_text(encoding="utf-8")
    assert roadmap.export_chosen(tmp_path / "plain", "") == tmp_path / "plain.png"


def test_the_save_button_asks_for_an_export(roadmap, qtbot):
    with qtbot.waitSignal(roadmap.exportAsked) as asked:
        roadmap.save_button.click()
    assert asked.args == [1]


def test_nothing_funded_says_how_to_fund(qtbot):
    from dataclasses import replace

    ev = chain_case()
    none = replace(ev.allocation, funded=np.zeros(len(ev.portfolio), dtype=bool))
    chart = RoadmapChart()
    qtbot.addWidget(chart)
    chart.set_evaluation(type(ev)(ev.scenario, ev.portfolio, ev.ranking, none))
    assert chart.picture is None and "capacity" in chart.empty_text
    assert chart.note.text().startswith("0 funded")


@pytest.mark.slow
def test_in_the_window_a_click_selects_the_table_s_row_and_a_screenshot_shows_a_chain(qapp, qtbot, tmp_path):
    from cutline.app.features.capacity import CapacityFeature
    from cutline.app.staging import screenshot as screenshot_staging
    from tests.gui.windows import scripted_window

    window = scripted_window(tmp_path, size=(1366, 768))
    try:
        window.show()
        screenshot_staging.show_staged(window, "roadmap")  # the first initiative with a chain is selected
        chart = window.feature(CapacityFeature).charts["roadmap"]
        assert chart.has_chain() and window.selected_row() == chart.selected
        p = window.document.evaluation.portfolio
        row = int(p.row_of_id["PLT-143"])
        x, y = chart.box_of(row)
        chart.scroll.ensureVisible(int(x), int(y))
        qtbot.mouseClick(chart.canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(x), int(y)))
        assert window.selected_row() == row == chart.selected
        assert chart.picture.selected == chart.layout_.box_of_row(row)
    finally:
        close_discarding(window)


def test_in_the_window_the_save_button_writes_the_image_where_the_person_says(window, tmp_path):
    from cutline.app.features.capacity import CapacityFeature

    window.show_view("roadmap")
    chart = window.feature(CapacityFeature).charts["roadmap"]
    window.prompts.script((tmp_path / "lanes", "SVG image (*.svg)"))
    chart.save_button.click()
    written = tmp_path / "lanes.svg"
    assert ET.parse(written).getroot().tag.endswith("svg")
    assert window.prompts.questions == ["Save roadmap as image"]
    window.prompts.script(None)  # cancelled: nothing more written
    chart.save_button.click()
    assert sorted(tmp_path.iterdir()) == [written]


def test_in_the_window_a_failed_save_says_so_in_words(window, tmp_path):
    from cutline.app.features.capacity import CapacityFeature

    window.show_view("roadmap")
    chart = window.feature(CapacityFeature).charts["roadmap"]
    window.prompts.script(tmp_path / "missing" / "r.png")
    chart.save_button.click()
    assert "could not write the image" in window.last_message
    assert [t.text for t in window.prompts.told if t.kind == "warn"] == [window.last_message]
