"""The explain panel shows a converted input with its cell as written (a size, story points, a word)."""

from pathlib import Path

from cutline.models.importing import read_portfolio
from cutline.models.portfolio.inputs import written_columns
from cutline.models.scenarios.pipeline import Evaluator
from cutline.models.words.initiative_facts import facts_for
from cutline.models.workshop.document import Workshop

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"


def test_effort_and_risk_show_what_the_sheet_said():
    result = read_portfolio(EXPORTS / "pm_sheet_words.xlsx")
    workshop = Workshop.new(result.portfolio, mapping=result.mapping.to_dict(), source="pm.xlsx")
    evaluation = Evaluator(workshop.portfolio).evaluate(workshop.current_scenario())
    written = written_columns(workshop.mapping, evaluation.portfolio)
    # The target quarters were dates, read as their quarters: their cells are kept as written too.
    assert written == {"effort": "T-shirt size", "confidence": "Confidence", "risk": "Risk",
                       "quarter": "Target quarter (as written)"}
    facts = facts_for(evaluation, 0, written=written)  # SSO for all internal tools: L, risk Medium
    lines = {line.name: line.raw for line in facts.lines}
    assert lines["effort"] == "10 pw (written: L)"
    assert lines["risk"] == "5 (written: Medium)"
