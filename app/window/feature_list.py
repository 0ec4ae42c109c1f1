"""The window's features, declared once: each class is made once per window, in this order.

The order is the order of docks and chart tabs. A feature reaches another only through
`window.feature(OtherFeature)`, so one made later than it can be reached once the window is built
(from a signal or an action), and one made earlier also from its constructor. Each class lists
the `--view` names it registers in `VIEWS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

from cutline.app.features.best_plan import BestPlanFeature
from cutline.app.features.capacity import CapacityFeature
from cutline.app.features.capacity_proposal import CapacityProposalFeature
from cutline.app.features.chart_focus import ChartFocus
from cutline.app.features.comparison_room import RoomMode
from cutline.app.features.export import ExportFeature
from cutline.app.features.handout import HandoutFeature
from cutline.app.features.history import HistoryFeature
from cutline.app.features.import_spreadsheet import ImportFeature
from cutline.app.features.presentation import Presenter
from cutline.app.features.rating import RatingSession
from cutline.app.features.scenarios import ScenarioFeature
from cutline.app.features.scoring import ScoringFeature
from cutline.app.features.sensitivity import SensitivityFeature
from cutline.app.features.workshop_mode import WorkshopModeFeature
from cutline.app.room.flow import RoomFlow
from cutline.app.window.full_window import FullWindow

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow


class Feature(Protocol):
    """What the window needs of a feature class: the views it registers, and a constructor."""

    VIEWS: ClassVar[tuple[str, ...]]

    def __init__(self, window: MainWindow) -> None: ...


FEATURES: tuple[type[Feature], ...] = (
    FullWindow,
    ScoringFeature,
    CapacityFeature,
    RoomMode,
    SensitivityFeature,
    ScenarioFeature,
    BestPlanFeature,
    HistoryFeature,
    RatingSession,
    RoomFlow,
    Presenter,
    WorkshopModeFeature,
    ChartFocus,
    ExportFeature,
    HandoutFeature,
    ImportFeature,
    CapacityProposalFeature,
)


def declared_views() -> tuple[str, ...]:
    """Every view name the features declare, in feature order."""
    return tuple(name for cls in FEATURES for name in cls.VIEWS)
