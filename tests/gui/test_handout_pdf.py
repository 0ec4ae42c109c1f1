"""views/handout_pdf.py: the handout drawn to PDF bytes, its pages counted and its words read back."""

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import replace

import pytest

from cutline.app.lifecycle.loading import load_path, sample_path
from cutline.models.capacity.capacity import Capacity
from cutline.models.export.handout import handout_data
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.pipeline import Evaluator
from cutline.models.scenarios.scenario import Scenario

LONG_TITLE = "Consolidate " + "every legacy message queue and the brokers behind them " * 6
LONG_WORD = "Supercalifragilistic" * 6


def page_count(data: bytes) -> int:
    """Pages of a PDF without a PDF library: Qt writes each page as an uncompressed /Type /Page."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))


def pdf_text(data: bytes, tmp_path) -> str | None:
    """The PDF's words through pdftotext (poppler-utils), or None where it is not installed."""
    if shutil.which("pdftotext") is None:
        return None
    path = tmp_path / "read.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def sample():
    workshop = load_path(sample_path(), read_only=True).workshop
    return Evaluator(workshop.portfolio), workshop.current_scenario()


@pytest.mark.slow
def test_a4_is_the_default_landscape_page(qapp, sample):
    from cutline.views.handout_pdf import handout_pdf

    evaluator, scenario = sample
    data, _ = handout_pdf(handout_data([evaluator.evaluate(scenario)], workshop="w"))
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(842, 595)}


@pytest.mark.slow
def test_the_sample_prints_every_part_with_header_and_page_numbers(qapp, sample, tmp_path):
    from cutline.views.handout_pdf import handout_pdf

    evaluator, scenario = sample
    h = handout_data([evaluator.evaluate(scenario)], workshop="Q3 planning", today=dt.date(2027, 1, 15))
    data, pages = handout_pdf(h, page_size="A4")
    assert data.startswith(b"%PDF") and page_count(data) == pages >= 4
    text = pdf_text(data, tmp_path)
    if text is None:
        pytest.skip("pdftotext is not installed: the words were not read back")
    for words in ("Ranked initiatives and the cut line", "Roadmap: funded work by quarter",
                  "Capacity by team", "Scenarios compared", "cut line (#", "PLT-101"):
        assert words in text
    assert text.count("Q3 planning") >= pages and text.count("2027-01-15") >= pages
    assert text.count("Scenario: Default") == pages and f"page {pages} of {pages}" in text
    assert all(f"page {n} of {pages}" in text for n in range(1, pages + 1))


@pytest.mark.slow
def test_letter_pages_are_landscape_letter(qapp, sample):
    from cutline.views.handout_pdf import handout_pdf

    evaluator, scenario = sample
    data, _ = handout_pdf(handout_data([evaluator.evaluate(scenario)], workshop="w"), page_size="Letter")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert boxes and {(round(float(w)), round(float(h))) for w, h in boxes} == {(792, 612)}


def test_long_titles_wrap_then_end_with_an_ellipsis_inside_their_column(qapp):
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QPainter, QPdfWriter

    from cutline.views.handout_sheet import BODY_PT, Sheet

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    painter = QPainter(writer)
    try:
        sheet = Sheet(painter, writer, 800, 500)
        font = sheet.font(BODY_PT)
        for text in (LONG_TITLE, LONG_WORD, "developer-experience"):
            lines = sheet.wrapped(text, font, 100, max_lines=2)
            assert 1 <= len(lines) <= 2
            assert all(sheet.text_width(line, font) <= 100.5 for line in lines)
        assert sheet.wrapped(LONG_TITLE, font, 100)[-1].endswith("…")
        assert sheet.wrapped("developer-experience", font, 100) == ["developer-", "experience"]
    finally:
        painter.end()


@pytest.mark.slow
def test_long_titles_render_without_running_over(qapp, sample, tmp_path):
    from cutline.views.handout_pdf import handout_pdf

    evaluator, scenario = sample
    portfolio = evaluator.evaluate(scenario).portfolio
    frame = portfolio.frame.copy()
    frame.loc[0, "title"], frame.loc[1, "title"], frame.loc[2, "team"] = LONG_TITLE, LONG_WORD, LONG_WORD
    long = Portfolio.from_frame(frame, extra_columns=portfolio.extra_columns)
    data, pages = handout_pdf(handout_data([Evaluator(long).evaluate(scenario)], workshop="w"))
    assert page_count(data) == pages
    text = pdf_text(data, tmp_path)
    if text is not None:
        assert "Consolidate every legacy" in text and "…" in text
        assert "brokers behind them brokers behind them brokers behind them" not in text


@pytest.mark.slow
def test_no_capacity_and_no_initiatives_print_words_not_blank_pages(qapp, sample, tmp_path):
    from cutline.views.handout_pdf import handout_pdf

    evaluator, scenario = sample
    none = handout_data([evaluator.evaluate(replace(scenario, capacity=Capacity.empty()))], workshop="w")
    data, pages = handout_pdf(none)
    assert page_count(data) == pages
    empty = handout_data([Evaluator(Portfolio.from_records([])).evaluate(Scenario("Default"))], workshop="w")
    data_empty, pages_empty = handout_pdf(empty)
    assert pages_empty == page_count(data_empty) == 4  # one page of words per part
    text, text_empty = pdf_text(data, tmp_path), pdf_text(data_empty, tmp_path)
    if text is None:
        pytest.skip("pdftotext is not installed: the words were not read back")
    assert "nothing can be funded until capacity is set" in text and "No capacity is set" in text
    assert "no initiatives, so there is nothing to rank" in text_empty
