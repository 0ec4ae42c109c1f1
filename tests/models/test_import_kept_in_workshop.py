"""What an import read stays with the workshop: the mapping with its conversions and the model's
value maps survive a save and a reopen, and read the same numbers again."""

from pathlib import Path

import numpy as np
from cutline.models.importing import ColumnMapping, build_portfolio, read_portfolio, read_raw
from cutline.models.scenarios.pipeline import Evaluator
from cutline.models.scoring.templates import shipped_template
from cutline.models.workshop.document import Workshop
from cutline.models.workshop.file import WorkshopFile

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"


def test_conversions_and_value_maps_survive_the_workshop_file(tmp_path):
    result = read_portfolio(EXPORTS / "azure_devops.csv")
    model = shipped_template("priority_effort").with_value_map("Priority", {"1": 1, "2": 2, "3": 3, "4": 4})
    workshop = Workshop.new(result.portfolio, model=model, mapping=result.mapping.to_dict(), source="ado.csv")
    path = tmp_path / "ado.cutline"
    WorkshopFile.create(path, workshop).close()
    with WorkshopFile.open(path) as again:
        back = again.workshop
    assert back.mapping == result.mapping.to_dict() and back.mapping["tracker"] == "azure_devops"
    mapping = ColumnMapping.from_dict(back.mapping)
    assert mapping == result.mapping
    assert mapping.conversion("risk").words == {"1 - High": 8.0, "2 - Medium": 5.0, "3 - Low": 2.0}
    portfolio, _ = build_portfolio(read_raw(EXPORTS / "azure_devops.csv"), mapping)  # the re-import reads alike
    assert np.array_equal(portfolio.numeric("risk"), result.portfolio.numeric("risk"), equal_nan=True)
    kept = back.current_scenario().model
    assert dict(kept.value_maps.for_column("Priority")) == dict(model.value_maps.for_column("Priority"))
    scores = Evaluator(back.portfolio).evaluate(back.current_scenario()).ranking.score
    assert np.allclose(scores, Evaluator(workshop.portfolio).evaluate(workshop.current_scenario()).ranking.score)
