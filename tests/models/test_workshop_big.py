"""A big workshop file keeps what it is given: 10,000 initiatives with every canonical field and
five extra columns, created, opened, edited and opened again.

How fast is the benchmarks' job (`python -m benchmarks --only workshop`, at 100,000), not a
timed test's.
"""

import pandas as pd
import pytest

from benchmarks.bench_workshop import big_portfolio
from cutline.models.scenarios.scenario import Scenario
from cutline.models.workshop.document import Workshop
from cutline.models.workshop.file import JournalEntry, WorkshopFile

# Left out of the fast lane (pytest -m "not slow"): a workshop file of 10,000 initiatives.
pytestmark = pytest.mark.slow

N = 10_000


def test_a_big_workshop_opens_as_it_was_made_and_keeps_its_edits(tmp_path):
    portfolio = big_portfolio(N)
    path = tmp_path / "big.cutline"
    WorkshopFile.create(path, Workshop.new(portfolio)).close()
    file = WorkshopFile.open(path)
    try:
        opened = file.workshop.portfolio
        assert opened.extra_columns == portfolio.extra_columns
        for column in opened.columns:
            pd.testing.assert_series_equal(opened.frame[column], portfolio.frame[column], check_dtype=False)
        for i in range(5):
            file.record(file.workshop.with_cell(i * 997, "reach", float(i)), JournalEntry("cell", f"Reach {i}"))
            s = file.workshop.current_scenario()
            changed = file.workshop.with_scenario(Scenario(s.name, s.model.with_weight("dx", i), s.capacity))
            file.record(changed, JournalEntry("weight", f"Weight of dx → {i}"))
    finally:
        file.close()
    again = WorkshopFile.open(path, read_only=True)
    try:
        reach = again.workshop.portfolio.numeric("reach")
        assert list(reach[[0, 997, 3988]]) == [0.0, 1.0, 4.0]
        assert reach[1] == portfolio.numeric("reach")[1]
        assert again.workshop.current_scenario().model.criterion("dx").weight == 4
    finally:
        again.close()
