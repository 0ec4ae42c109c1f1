"""The Workshop: the document a workshop edits (portfolio, scenarios, rating rounds), immutable."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from cutline.models.capacity.capacity import Capacity
from cutline.models.errors import Location, ModelError
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scenarios.scenario import Scenario
from cutline.models.scoring.model import ScoringModel, default_model

#: The name of the scenario every new workshop starts with.
DEFAULT_SCENARIO = "Default"


@dataclass(frozen=True, eq=False)
class Workshop:
    """Everything a workshop decides on, as one immutable value.

    Every change returns a new Workshop, so an undo step can keep the old one and a
    workshop file can compare the two to write only what changed. `mapping` (the column
    mapping used at import) and `rating_rounds` are plain JSON-able data: treat them as
    read-only.
    """

    portfolio: Portfolio
    scenarios: tuple[Scenario, ...]
    current: str
    mapping: dict = field(default_factory=dict)
    source: str = ""
    rating_rounds: tuple[dict, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "scenarios", tuple(self.scenarios))
        object.__setattr__(self, "rating_rounds", tuple(self.rating_rounds))
        if not self.scenarios:
            raise ModelError("A workshop needs at least one scenario.")
        _check_unique(s.name for s in self.scenarios)
        if self.current not in self.scenario_names:
            raise ModelError(
                f"The current scenario {self.current!r} is not one of the workshop's scenarios.",
                hint="Switch to one of: " + ", ".join(repr(n) for n in self.scenario_names) + ".",
            )

    @classmethod
    def new(
        cls,
        portfolio: Portfolio,
        *,
        capacity: Capacity | None = None,
        model: ScoringModel | None = None,
        mapping: Mapping | None = None,
        source: str = "",
    ) -> Workshop:
        """A workshop over a freshly imported portfolio, with one "Default" scenario."""
        scenario = Scenario(
            DEFAULT_SCENARIO,
            model if model is not None else default_model(),
            capacity if capacity is not None else Capacity.empty(),
        )
        return cls(portfolio, (scenario,), DEFAULT_SCENARIO, dict(mapping or {}), str(source))

    # -- reading ------------------------------------------------------------------------
    @property
    def scenario_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.scenarios)

    def scenario(self, name: str) -> Scenario:
        """The scenario called `name`."""
        return self.scenarios[self._index(name)]

    def current_scenario(self) -> Scenario:
        """The scenario the workshop is looking at now."""
        return self.scenario(self.current)

    def equals(self, other: Workshop) -> bool:
        """Same portfolio, mapping, source, scenarios, current scenario and rating rounds."""
        return (
            self.portfolio.equals(other.portfolio)
            and self.scenarios == other.scenarios
            and self.current == other.current
            and self.mapping == other.mapping
            and self.source == other.source
            and self.rating_rounds == other.rating_rounds
        )

    # -- changing the portfolio -----------------------------------------------------------
    def with_portfolio(self, portfolio: Portfolio) -> Workshop:
        """A copy over another portfolio (an import that replaces the initiatives)."""
        return replace(self, portfolio=portfolio)

    def with_cell(self, row: int, field: str, value: object) -> Workshop:
        """A copy with one cell of the portfolio set."""
        if field not in self.portfolio.columns:
            raise ModelError(
                f"The portfolio has no column {field!r}.",
                location=Location(column=field),
            )
        if not 0 <= row < len(self.portfolio):
            raise ModelError(
                f"There is no initiative in row {row + 1}; the portfolio has {len(self.portfolio)}.",
                location=Location(column=field),
            )
        try:
            portfolio = self.portfolio.with_values({(row, field): value})
        except (TypeError, ValueError) as exc:
            raise ModelError(
                f"{value!r} does not fit column {field!r}: {exc}",
                location=Location(column=field),
                hint="Enter a value of the same kind as the rest of the column.",
            ) from exc
        return replace(self, portfolio=portfolio)

    # -- changing scenarios -----------------------------------------------------------------
    def with_scenario(self, scenario: Scenario) -> Workshop:
        """A copy with the scenario of the same name replaced (a weight, tier, capacity change)."""
        i = self._index(scenario.name)
        return replace(self, scenarios=self.scenarios[:i] + (scenario,) + self.scenarios[i + 1:])

    def adding_scenario(self, scenario: Scenario, index: int | None = None) -> Workshop:
        """A copy with a new scenario, at the end or at `index`."""
        _check_name(scenario.name, self.scenario_names)
        scenarios = list(self.scenarios)
        scenarios.insert(len(scenarios) if index is None else index, scenario)
        return replace(self, scenarios=tuple(scenarios))

    def renaming_scenario(self, old: str, new: str) -> Workshop:
        """A copy with scenario `old` called `new`; the current scenario follows the rename."""
        i = self._index(old)
        if new != old:
            _check_name(new, self.scenario_names)
        scenarios = self.scenarios[:i] + (replace(self.scenarios[i], name=new),) + self.scenarios[i + 1:]
        current = new if self.current == old else self.current
        return replace(self, scenarios=scenarios, current=current)

    def removing_scenario(self, name: str) -> Workshop:
        """A copy without scenario `name`; the last scenario cannot be removed."""
        i = self._index(name)
        if len(self.scenarios) == 1:
            raise ModelError(
                f"{name!r} is the workshop's only scenario, so it cannot be deleted.",
                hint="Add another scenario first.",
            )
        scenarios = self.scenarios[:i] + self.scenarios[i + 1:]
        # Removing the current scenario moves to its neighbour, as a tab bar would.
        current = self.current if self.current != name else scenarios[min(i, len(scenarios) - 1)].name
        return replace(self, scenarios=scenarios, current=current)

    def switching_to(self, name: str) -> Workshop:
        """A copy whose current scenario is `name`."""
        self._index(name)
        return replace(self, current=name)

    # -- group rating -----------------------------------------------------------------------
    def adding_rating_round(self, data: Mapping) -> Workshop:
        """A copy with one more round of group ratings (plain JSON-able data)."""
        return replace(self, rating_rounds=self.rating_rounds + (copy.deepcopy(dict(data)),))

    def _index(self, name: str) -> int:
        for i, s in enumerate(self.scenarios):
            if s.name == name:
                return i
        raise ModelError(
            f"There is no scenario called {name!r}.",
            hint="Choose one of: " + ", ".join(repr(n) for n in self.scenario_names) + ".",
        )


def _check_name(name: str, taken: Iterable[str]) -> None:
    """Refuse a blank scenario name or one already in use."""
    if not isinstance(name, str) or not name.strip():
        raise ModelError("A scenario needs a name.", hint="Type a name for the scenario.")
    if name in set(taken):
        raise ModelError(
            f"A scenario called {name!r} already exists.",
            hint="Choose another name for the new scenario.",
        )


def _check_unique(names: Iterable[str]) -> None:
    seen: set[str] = set()
    for name in names:
        _check_name(name, seen)
        seen.add(name)
