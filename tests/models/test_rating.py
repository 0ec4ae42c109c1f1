"""Group rating: a whole round, the reveal's numbers, agreed values, confidence, import."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cutline.models.capacity.allocation import Allocation
from cutline.models.errors import ModelError, SpreadsheetError, WorkshopFileError
from cutline.models.portfolio.portfolio import RATING_FIELDS, Portfolio
from cutline.models.rating.round import RatingRound
from cutline.models.rating.sheet_import import (
    ratings_from_clipboard_text,
    ratings_from_frame,
    read_ratings,
)
from cutline.models.rating.summary import (
    agreed_edits,
    agreed_values,
    confidence_after_disagreement,
    round_half_up,
    select_near_cut_line,
    summarise,
)
from cutline.models.scoring.ranking import Ranking
from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = ("Ann", "Bo", "Cy")
IDS = ("I-1", "I-2", "I-3")
# Hand-picked ratings: (initiative, criterion) -> Ann, Bo, Cy.
GIVEN = {
    ("I-1", "dx"): (7, 8, 6),    # mean 7, range 2 = threshold: agreement
    ("I-1", "risk"): (3, 3, 3),  # range 0
    ("I-2", "dx"): (2, 9, 4),    # mean 5, median 4, range 7: disagreement
    ("I-2", "risk"): (5, 5, 6),  # mean 5.333 -> 5.3
    ("I-3", "dx"): (6, 6, 7),    # mean 6.333 -> 6.3
    ("I-3", "risk"): (1, 5, 4),  # mean 3.333, median 4, range 4: disagreement
}


def new_round() -> RatingRound:
    return RatingRound("r1", ("dx", "risk"), IDS, PEOPLE, created="2025-01-01T09:00:00+00:00")


def rate_all(round_: RatingRound, person: str) -> RatingRound:
    """One participant types every rating, one cell at a time, as in the grid."""
    k = PEOPLE.index(person)
    for (ident, criterion), values in GIVEN.items():
        round_ = round_.with_rating(person, ident, criterion, values[k])
    return round_


def full_round() -> RatingRound:
    round_ = new_round()
    for person in PEOPLE:
        round_ = rate_all(round_, person)
    return round_.revealing()


# -- a whole round ---------------------------------------------------------------------
def test_hidden_entry_and_completeness():
    round_ = rate_all(new_round(), "Ann")
    assert round_.complete_for("Ann") and not round_.complete_for("Bo")
    assert not round_.is_complete()
    assert round_.visible_to("Bo") == {}  # Bo cannot see Ann's ratings before the reveal
    assert len(round_.visible_to("Ann")) == 6
    assert round_.rated_count("Ann") == 6 and round_.cell_count == 6

    round_ = rate_all(round_, "Bo").with_rating("Cy", "I-1", "dx", 6)
    assert round_.missing_for("Cy")[0] == ("I-1", "risk")
    assert set(round_.visible_to("Cy")) == {("Cy", "I-1", "dx")}
    round_ = rate_all(round_, "Cy")
    assert round_.is_complete() and not round_.revealed
    revealed = round_.revealing()
    assert revealed.revealed and len(revealed.visible_to("Cy")) == 18
    assert not round_.revealed  # the old round is untouched (undo keeps it)


def test_clearing_and_changing_a_rating():
    round_ = new_round().with_rating("Ann", "I-1", "dx", 7)
    assert round_.with_rating("Ann", "I-1", "dx", 8).ratings[("Ann", "I-1", "dx")] == 8.0
    assert round_.with_rating("Ann", "I-1", "dx", None).rated_count("Ann") == 0


def test_reveal_statistics_by_hand():
    s = summarise(full_round())
    p = s.pair_index("I-2", "dx")
    assert (s.count[p], s.mean[p], s.median[p], s.min[p], s.max[p], s.range[p]) == (3, 5, 4, 2, 9, 7)
    assert s.std[p] == pytest.approx(math.sqrt(26 / 3))  # population std: divide by n
    q = s.pair_index("I-3", "risk")
    assert s.std[q] == pytest.approx(math.sqrt(78 / 27)) and s.range[q] == 4
    assert s.std[s.pair_index("I-1", "risk")] == 0
    assert s.values[p].tolist() == [2, 9, 4]


def test_disagreements_flagged_and_sorted_first():
    s = summarise(full_round())
    assert s.disagreements() == [("I-2", "dx"), ("I-3", "risk")]
    assert not s.disagree[s.pair_index("I-1", "dx")]  # range 2 is not above the threshold 2
    frame = s.to_frame()
    assert list(zip(frame["initiative"], frame["criterion"], strict=True)) == [
        ("I-2", "dx"), ("I-3", "risk"), ("I-1", "dx"), ("I-2", "risk"), ("I-3", "dx"), ("I-1", "risk"),
    ]
    assert summarise(full_round().with_threshold(1.5)).disagree[s.pair_index("I-1", "dx")]


def test_range_is_compared_without_float_noise():
    round_ = RatingRound("r", ("risk",), ("A",), ("p", "q"),
                         ratings={("p", "A", "risk"): 7.3, ("q", "A", "risk"): 5.3})
    s = summarise(round_)
    assert s.range[0] == 2.0 and not s.disagree[0]


def test_agreed_values_mean_median_and_typed():
    s = summarise(full_round())
    mean = agreed_values(s, "mean")
    assert mean == {("I-1", "dx"): 7.0, ("I-1", "risk"): 3.0, ("I-2", "dx"): 5.0,
                    ("I-2", "risk"): 5.3, ("I-3", "dx"): 6.3, ("I-3", "risk"): 3.3}
    median = agreed_values(s, "median")
    assert median[("I-2", "dx")] == 4.0 and median[("I-3", "risk")] == 4.0
    typed = agreed_values(s, "median", {("I-2", "dx"): 6.5, ("I-1", "risk"): None})
    assert typed[("I-2", "dx")] == 6.5 and ("I-1", "risk") not in typed
    with pytest.raises(ModelError, match="0 to 10"):
        agreed_values(s, "mean", {("I-2", "dx"): 12})
    with pytest.raises(ModelError, match="mean or the median"):
        agreed_values(s, "mode")


def test_unrated_pairs_are_not_agreed():
    round_ = new_round().with_rating("Ann", "I-1", "dx", 4)
    assert agreed_values(summarise(round_)) == {("I-1", "dx"): 4.0}


def test_round_half_up():
    assert round_half_up(np.array([7.25, 6.15, 7.75, 5.0 / 3])).tolist() == [7.3, 6.2, 7.8, 1.7]


def test_confidence_follows_agreement():
    assert confidence_after_disagreement(0.5, 7, 2) == pytest.approx(0.4)
    assert confidence_after_disagreement(0.5, 2, 2) == 0.5       # agreed: unchanged
    assert confidence_after_disagreement(0.11, 7, 2) == 0.1      # never below 0.1
    assert confidence_after_disagreement(0.05, 7, 2) == 0.05     # never raised
    assert math.isnan(confidence_after_disagreement(float("nan"), 7, 2))
    out = confidence_after_disagreement(np.array([1.0, 0.5]), np.array([3.0, 1.0]), 2)
    assert out.tolist() == [0.8, 0.5]
    with pytest.raises(ModelError):
        confidence_after_disagreement(0.5, 7, 2, factor=1.2)


def test_agreed_edits_apply_values_and_lower_confidence():
    portfolio = Portfolio.from_records([
        {"id": "I-1", "confidence": 0.9}, {"id": "I-2", "confidence": 0.5},
        {"id": "I-3", "confidence": 0.11}, {"id": "I-4", "confidence": 0.7},
    ])
    s = summarise(full_round())
    agreed = agreed_values(s, "mean", {("I-2", "dx"): 6.5})
    edits = agreed_edits(s, agreed, portfolio, follow_agreement=True)
    assert edits[(1, "dx")] == 6.5 and edits[(2, "risk")] == 3.3
    assert edits[(1, "confidence")] == pytest.approx(0.4)
    assert edits[(2, "confidence")] == 0.1
    assert (0, "confidence") not in edits  # I-1: the room agreed
    assert (1, "confidence") not in agreed_edits(s, agreed, portfolio)
    applied = portfolio.with_values(edits)
    assert applied.numeric("dx")[:3].tolist() == [7.0, 6.5, 6.3]
    with pytest.raises(ModelError, match="no longer in the portfolio"):
        agreed_edits(s, agreed, Portfolio.from_records([{"id": "I-1"}]))


# -- checks ------------------------------------------------------------------------------
@pytest.mark.parametrize(("args", "message"), [
    (("Ann", "I-1", "dx", 11), "dx is rated 0 to 10, not 11"),
    (("Ann", "I-1", "dx", -1), "0 to 10"),
    (("Ann", "I-1", "dx", "high"), "is not a number"),
    (("Ann", "I-1", "dx", float("inf")), "finite"),
    (("Dee", "I-1", "dx", 5), "not a participant"),
    (("Ann", "I-9", "dx", 5), "not rated in this round"),
    (("Ann", "I-1", "effort", 5), "'effort' is not rated"),
])
def test_with_rating_rejects_bad_input(args, message):
    with pytest.raises(ModelError, match=message):
        new_round().with_rating(*args)


def test_round_rejects_bad_setup():
    with pytest.raises(ModelError, match="'title' cannot be rated"):
        RatingRound("r", ("title",), IDS, PEOPLE)
    with pytest.raises(ModelError, match="named twice"):
        RatingRound("r", ("dx",), IDS, ("Ann", "ann"))
    with pytest.raises(ModelError, match="threshold"):
        RatingRound("r", ("dx",), IDS, PEOPLE, threshold=-1)
    with pytest.raises(ModelError, match="Confidence is a share"):
        RatingRound("r", ("confidence",), IDS, PEOPLE).with_rating("Ann", "I-1", "confidence", 80)


def test_start_gives_an_id_and_a_time():
    a, b = RatingRound.start(["dx"], IDS, PEOPLE), RatingRound.start(["dx"], IDS, PEOPLE)
    assert a.id != b.id and a.created.startswith("20") and not a.is_complete()
    assert not RatingRound.start(["dx"], IDS, ()).is_complete()


# -- plain data --------------------------------------------------------------------------
names = st.text("abcdefgh", min_size=1, max_size=5)


@st.composite
def rounds(draw) -> RatingRound:
    criteria = draw(st.lists(st.sampled_from(RATING_FIELDS), min_size=1, max_size=3, unique=True))
    ids = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    people = draw(st.lists(names, min_size=1, max_size=4, unique_by=str.casefold))
    cells = [(p, i, c) for p in people for i in ids for c in criteria]
    chosen = draw(st.lists(st.sampled_from(cells), unique=True, max_size=len(cells)))
    ratings = {key: draw(st.floats(0, 10)) for key in chosen}
    return RatingRound(draw(names), tuple(criteria), tuple(ids), tuple(people), ratings,
                       threshold=draw(st.floats(0, 10)), revealed=draw(st.booleans()),
                       created=draw(st.sampled_from(["", "2025-03-01T10:00:00+00:00"])))


@given(rounds())
def test_plain_data_round_trip(round_):
    data = json.loads(json.dumps(round_.to_dict()))
    assert RatingRound.from_dict(data) == round_
    assert hash(RatingRound.from_dict(data)) == hash(round_)


@given(rounds())
def test_summary_invariants(round_):
    s = summarise(round_)
    rated = s.count > 0
    assert s.count.sum() == len(round_.ratings)
    assert np.all(s.min[rated] <= s.median[rated]) and np.all(s.median[rated] <= s.max[rated])
    assert np.all(s.std[rated] <= s.range[rated] / 2 + 1e-9)
    assert np.isnan(s.mean[~rated]).all() and not s.disagree[~rated].any()
    assert sorted(s.order.tolist()) == list(range(len(s)))
    flags = s.disagree[s.order]
    assert not np.any(flags[1:] & ~flags[:-1])  # no disagreement after an agreement


def test_damaged_plain_data():
    with pytest.raises(WorkshopFileError, match="cannot be read"):
        RatingRound.from_dict({"id": "r", "criteria": ["dx"]})
    data = full_round().to_dict()
    data["ratings"][0][3] = 42
    with pytest.raises(WorkshopFileError, match="0 to 10"):
        RatingRound.from_dict(data)
    with pytest.raises(WorkshopFileError, match="newer Cutline"):
        RatingRound.from_dict({**data, "version": 99})


# -- choosing near the cut line ------------------------------------------------------------
def ranking_of(order: np.ndarray) -> Ranking:
    n = len(order)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    zeros = np.zeros((n, 0))
    return Ranking((), zeros, zeros, zeros, zeros.astype(bool), np.zeros(n), np.ones(n, np.int64),
                   ("All",), order, rank, np.zeros(n), np.zeros(n), np.zeros(n, bool))


def allocation_with(cut_line: int | None, n: int) -> Allocation:
    funded = np.arange(n) < (cut_line - 1 if cut_line else n)
    return Allocation((), funded, np.zeros(n, np.int64), np.full(n, "", object),
                      np.full(n, -1), cut_line, pd.DataFrame(), pd.DataFrame())


def test_select_near_cut_line():
    order = np.random.default_rng(1).permutation(30)
    ranking = ranking_of(order)
    assert select_near_cut_line(ranking, allocation_with(20, 30)) == order[13:25].tolist()
    assert select_near_cut_line(ranking, allocation_with(3, 30), 4) == order[0:4].tolist()
    assert select_near_cut_line(ranking, allocation_with(30, 30), 6) == order[24:30].tolist()
    assert select_near_cut_line(ranking, allocation_with(None, 30), 5) == order[25:].tolist()
    assert select_near_cut_line(ranking, allocation_with(10, 30), 100) == order.tolist()

@pytest.mark.parametrize("first", ["cutline.models.rating.round", "cutline.models.rating.summary"])
def test_reveal_names_still_import_from_rating(first):
    """The reveal moved to cutline.models.rating.summary; cutline.models.rating.round re-exports it (the documented
    import), whichever of the two modules a fresh interpreter imports first."""
    code = (
        f"import {first}\n"
        "import cutline.models.rating.round as r, cutline.models.rating.summary as s\n"
        "from cutline.models.rating.round import RatingRound, summarise, agreed_values, agreed_edits\n"
        "from cutline.models.rating.round import confidence_after_disagreement, select_near_cut_line\n"
        "names = ['AGREEMENT_METHODS', 'CONFIDENCE_FACTOR', 'CONFIDENCE_FLOOR', 'RoundSummary',\n"
        "         'agreed_edits', 'agreed_values', 'confidence_after_disagreement', 'disagrees',\n"
        "         'round_half_up', 'select_near_cut_line', 'summarise']\n"
        "assert all(getattr(r, n) is getattr(s, n) for n in names)\n"
        "round_ = RatingRound.start(['dx'], ['I-1'], ['Ann']).with_rating('Ann', 'I-1', 'dx', 7)\n"
        "assert agreed_values(summarise(round_)) == {('I-1', 'dx'): 7.0}\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr



# -- import ------------------------------------------------------------------------------
def write_xlsx(path, rows, sheet="Ratings", start_row=1):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Portfolio"
    ws = book.create_sheet(sheet)
    for r, row in enumerate(rows, start=start_row):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    book.save(path)
    return path


LONG_ROWS = [["Initiative ID", "Who", "Criterion", "Score"]] + [
    [ident, person, criterion, values[k]]
    for (ident, criterion), values in GIVEN.items() for k, person in enumerate(PEOPLE)
]


def test_import_long_sheet_gives_the_same_round(tmp_path):
    path = write_xlsx(tmp_path / "filled.xlsx", LONG_ROWS)
    entries = read_ratings(path, round=new_round())
    assert len(entries) == 18 and entries[0] == ("Ann", "I-1", "dx", 7.0)
    imported = new_round().with_ratings(entries).revealing()
    assert imported == full_round()


def test_import_wide_sheet_with_title_column_and_offset_header(tmp_path):
    rows = [["id", "title", "criterion", *PEOPLE]] + [
        [ident, f"Title of {ident}", criterion, *values] for (ident, criterion), values in GIVEN.items()
    ]
    path = write_xlsx(tmp_path / "wide.xlsx", rows, sheet="ratings", start_row=3)
    entries = read_ratings(path, "Ratings", round=new_round())
    assert new_round().with_ratings(entries).revealing() == full_round()


def test_import_wide_sheet_for_one_criterion(tmp_path):
    path = write_xlsx(tmp_path / "dx.xlsx", [["id", "Ann", "Bo"], [101, 7, None], ["I-2", 4.5, 6]])
    assert read_ratings(path, criterion="dx") == [
        ("Ann", "101", "dx", 7.0), ("Ann", "I-2", "dx", 4.5), ("Bo", "I-2", "dx", 6.0)]


def test_import_errors_name_row_and_column(tmp_path):
    rows = [["id", "criterion", *PEOPLE], ["I-1", "dx", 7, 8, 6], ["I-2", "dx", 2, "lots", 4]]
    path = write_xlsx(tmp_path / "bad.xlsx", rows, start_row=2)
    with pytest.raises(SpreadsheetError) as err:
        read_ratings(path)
    loc = err.value.location
    assert (loc.sheet, loc.row, loc.column) == ("Ratings", 4, "Bo") and "'lots' is not a number" in str(err.value)

    rows[1][4] = 12
    path = write_xlsx(tmp_path / "range.xlsx", rows[:2])
    with pytest.raises(SpreadsheetError, match="dx is rated 0 to 10, not 12") as err:
        read_ratings(path)
    assert (err.value.location.row, err.value.location.column) == (2, "Cy")


def test_import_reports_unknown_ids(tmp_path):
    rows = [["id", "criterion", "Ann"], ["I-1", "dx", 7], ["I-8", "dx", 3], ["I-9", "risk", 3]]
    path = write_xlsx(tmp_path / "ids.xlsx", rows)
    with pytest.raises(SpreadsheetError, match="Initiatives I-8, I-9 are not in this rating round") as err:
        read_ratings(path, round=new_round())
    assert (err.value.location.row, err.value.location.column) == (3, "id")


def test_import_file_problems(tmp_path):
    with pytest.raises(SpreadsheetError, match="no sheet called 'Ratings'"):
        read_ratings(write_xlsx(tmp_path / "x.xlsx", LONG_ROWS, sheet="Votes"))
    with pytest.raises(SpreadsheetError, match="does not exist"):
        read_ratings(tmp_path / "missing.xlsx")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(SpreadsheetError, match="cannot be read as a workbook"):
        read_ratings(broken)


def test_import_csv(tmp_path):
    path = tmp_path / "ratings.csv"
    path.write_text("id,participant,criterion,rating\nI-1,Ann,dx,\"7,5\"\nI-1,Bo,dx,8\n", encoding="utf-8")
    assert read_ratings(path) == [("Ann", "I-1", "dx", 7.5), ("Bo", "I-1", "dx", 8.0)]


def test_clipboard_both_layouts():
    wide = "id\tcriterion\tAnn\tBo\tCy\r\nI-2\tdx\t2\t9\t4\r\nI-3\tRisk\t1\t\t4\r\n"
    assert ratings_from_clipboard_text(wide, round=new_round()) == [
        ("Ann", "I-2", "dx", 2.0), ("Bo", "I-2", "dx", 9.0), ("Cy", "I-2", "dx", 4.0),
        ("Ann", "I-3", "risk", 1.0), ("Cy", "I-3", "risk", 4.0)]
    long = "initiative\tname\tvalue\nI-1\tAnn\t7\n\nI-1\tBo\t8\n"
    one = RatingRound("r", ("dx",), IDS, PEOPLE)
    assert ratings_from_clipboard_text(long, round=one) == [("Ann", "I-1", "dx", 7.0),
                                                            ("Bo", "I-1", "dx", 8.0)]


@pytest.mark.parametrize(("text", "message", "row", "column"), [
    ("I-1\t7\nI-2\t8\n", "need a header row", 1, None),
    ("id\tAnn\nI-1\t7\n", "which criterion", 1, None),
    ("id\tcriterion\tAnn\nI-1\tdx\t7\n\tdx\t3\n", "no initiative id", 3, "id"),
    ("id\tcriterion\tAnn\nI-1\tdx\t7\nI-1\tdx\t8\n", "rated I-1 on dx twice", 3, "Ann"),
    ("id\tcriterion\tAnn\nI-1\ttitle\t7\n", "'title' cannot be rated", 2, "criterion"),
    ("id\tcriterion\tDee\nI-1\tdx\t7\n", "Dee is not a participant", 2, "Dee"),
    ("id\tparticipant\trating\nI-1\tAnn\t7\n", "which criterion", 1, None),
    ("id\tscore\tcriterion\nI-1\t7\tdx\n", "no participant column", 1, None),
])
def test_clipboard_errors(text, message, row, column):
    with pytest.raises(SpreadsheetError, match=message) as err:
        ratings_from_clipboard_text(text, round=new_round())
    assert (err.value.location.row, err.value.location.column) == (row, column)


def test_frame_with_confidence_as_percent():
    frame = pd.DataFrame({"id": ["I-1", "I-2"], "criterion": ["confidence"] * 2, "Ann": ["80%", 0.5]})
    assert ratings_from_frame(frame) == [("Ann", "I-1", "confidence", 0.8),
                                         ("Ann", "I-2", "confidence", 0.5)]


@pytest.mark.parametrize(("text", "message"), [
    ("", "the cells are empty"),
    ("id\tcriterion\tAnn\nI-1\tdx\t\n", "every rating cell is blank"),
    ("id\tcriterion\tAnn\nI-1\teffort\tinf\n", "inf is not a finite number"),
    ("id\tcriterion\tAnn\nI-1\tdx\t7%\n", "dx does not take a percent"),
])
def test_clipboard_without_usable_ratings(text, message):
    with pytest.raises(SpreadsheetError, match=message):
        ratings_from_clipboard_text(text)
