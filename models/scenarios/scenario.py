"""A Scenario: a named ScoringModel, Capacity and overrides of one portfolio."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from cutline.models.capacity.capacity import Capacity
from cutline.models.capacity.planning import Planning
from cutline.models.optimise.constraints import PlanConstraints
from cutline.models.scoring.model import ScoringModel, default_model


@dataclass(frozen=True)
class Overrides:
    """Changes for one scenario only.

    `pins` maps an initiative id to True (pinned in: funded first) or False (pinned out:
    never funded). `inputs` maps (id, field) to a value that replaces the portfolio's.
    """

    pins: tuple[tuple[str, bool], ...] = ()
    inputs: tuple[tuple[str, str, object], ...] = ()

    def pinned(self) -> dict[str, bool]:
        return dict(self.pins)

    def with_pin(self, ident: str, pin: bool | None) -> Overrides:
        pins = {k: v for k, v in self.pins if k != ident}
        if pin is not None:
            pins[ident] = bool(pin)
        return replace(self, pins=tuple(pins.items()))

    def with_input(self, ident: str, name: str, value: object | None) -> Overrides:
        inputs = [(i, f, v) for i, f, v in self.inputs if (i, f) != (ident, name)]
        if value is not None:
            inputs.append((ident, name, value))
        return replace(self, inputs=tuple(inputs))

    def without_initiatives(self, ids) -> Overrides:
        """A copy without the pins and input overrides of the initiatives `ids` (gone after a
        re-import); the same object when none of them is named."""
        gone = set(ids)
        pins = tuple((i, p) for i, p in self.pins if i not in gone)
        inputs = tuple((i, f, v) for i, f, v in self.inputs if i not in gone)
        if len(pins) == len(self.pins) and len(inputs) == len(self.inputs):
            return self
        return Overrides(pins=pins, inputs=inputs)

    def to_dict(self) -> dict:
        return {
            "pins": [[k, v] for k, v in self.pins],
            "inputs": [[i, f, v] for i, f, v in self.inputs],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Overrides:
        return cls(
            pins=tuple((str(k), bool(v)) for k, v in data.get("pins", [])),
            inputs=tuple((str(i), str(f), v) for i, f, v in data.get("inputs", [])),
        )


@dataclass(frozen=True)
class Scenario:
    name: str
    model: ScoringModel = field(default_factory=default_model)
    capacity: Capacity = field(default_factory=Capacity.empty)
    overrides: Overrides = field(default_factory=Overrides)
    #: Spans of quarters, the share limit and hard due dates (docs/capacity.md).
    planning: Planning = field(default_factory=Planning)
    #: Bundles, alternatives and floors for the best plan (models/optimise; the walk ignores them).
    constraints: PlanConstraints = field(default_factory=PlanConstraints)

    def without_initiatives(self, ids) -> Scenario:
        """This scenario without pins and input overrides that name the initiatives `ids`
        (initiatives a re-import no longer has); the same object when none is named."""
        overrides = self.overrides.without_initiatives(ids)
        constraints = self.constraints.without_initiatives(ids)
        if overrides is self.overrides and constraints is self.constraints:
            return self
        return replace(self, overrides=overrides, constraints=constraints)

    def to_dict(self) -> dict:
        data = {
            "name": self.name,
            "model": self.model.to_dict(),
            "capacity": self.capacity.to_dict(),
            "overrides": self.overrides.to_dict(),
            "planning": self.planning.to_dict(),
        }
        if self.constraints:  # written only when set: a scenario without them is stored as before
            data["constraints"] = self.constraints.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Scenario:
        return cls(
            name=str(data["name"]),
            model=ScoringModel.from_dict(data["model"]),
            capacity=Capacity.from_dict(data.get("capacity", {})),
            overrides=Overrides.from_dict(data.get("overrides", {})),
            planning=Planning.from_dict(data.get("planning")),  # absent in files from before it
            constraints=PlanConstraints.from_dict(data.get("constraints")),  # likewise
        )
