"""The window's features, declared once: each class is made once per window, in this order.

The order is the order of docks and chart tabs. A feature reaches another only through
`window.feature(OtherFeature)`, so one made later than it can be reached once the window is built
(from a signal or an action), and one made earlier also from its constructor. Each class lists
the `--view` names it registers in `VIEWS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol

from cutline.app.best_plan_flow import BestPlanFeature
from cutline.app.capacity_proposal import CapacityProposalFeature
from cutline.app.chart_focus import ChartFocus
from cutline.app.comparison_room import RoomMode
from cutline.app.export_flow import ExportFeature
from cutline.app.feature_capacity import CapacityFeature
from cutline.app.feature_history import HistoryFeature
from cutline.app.feature_scenarios import ScenarioFeature
from cutline.app.feature_scoring import ScoringFeature
from cutline.app.feature_workshop_mode import WorkshopModeFeature
from cutline.app.full_window import FullWindow
from cutline.app.handout_flow import HandoutFeature
from cutline.app.import_flow import ImportFeature
from cutline.app.presentation import Presenter
from cutline.app.rating_flow import RatingSession
from cutline.app.room_flow import RoomFlow
from cutline.app.sensitivity_flow import SensitivityFeature

if TYPE_CHECKING:
    from cutline.app.main_window import MainWindow


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
