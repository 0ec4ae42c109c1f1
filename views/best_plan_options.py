"""Before the search: how long the optimiser may take and whether tier 1 comes first."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
)

#: The time limit a PM may set, in seconds (as `cutline optimise --time-limit`).
MIN_SECONDS, MAX_SECONDS = 1.0, 3600.0


class BestPlanOptions(QDialog):
    """Takes the remembered time limit and tiers choice; hands back what the PM set."""

    def __init__(self, time_limit: float, respect_tiers: bool, scenario: str = "", parent=None):
        super().__init__(parent)
        self.setObjectName("bestPlanOptions")
        self.setWindowTitle("Find the best plan")
        intro = QLabel(f"The funded set with the most total score for {scenario or 'this scenario'}, "
                       "within every rule the walk keeps. It is shown beside the walk's plan and never "
                       "replaces it.", wordWrap=True)
        self.seconds = QDoubleSpinBox(objectName="bestPlanSeconds")
        self.seconds.setRange(MIN_SECONDS, MAX_SECONDS)
        self.seconds.setDecimals(0)
        self.seconds.setSuffix(" s")
        self.seconds.setValue(min(MAX_SECONDS, max(MIN_SECONDS, time_limit)))
        self.seconds.setToolTip("The search stops here and says how close to the best possible it got")
        self.tiers = QCheckBox("Respect tiers (tier 1 first, never traded for tier 2)", objectName="bestPlanTiers")
        self.tiers.setChecked(respect_tiers)
        form = QFormLayout()
        form.addRow("Time limit:", self.seconds)
        form.addRow("", self.tiers)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Find it")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def time_limit(self) -> float:
        return float(self.seconds.value())

    def respect_tiers(self) -> bool:
        return self.tiers.isChecked()
