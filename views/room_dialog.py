"""Opening a round to the room: which address participants join at, what they do, who rates what.

Takes plain data (the machine's addresses, the round's criteria, the budget vote's prices) and
hands back a `RoomOptions`; the window starts the room with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cutline.models.room.state import BUDGET, RATING, Role
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
)

#: Roles offered when the host ticks "Only some people rate some criteria".
ROLE_ROWS = 3
DEFAULT_ROLES = (("Engineer", None), ("Product", ("effort",)))  # (name, criteria left out)


@dataclass(frozen=True)
class RoomOptions:
    kind: str                   # RATING or BUDGET
    host: str                   # the address the room listens on
    roles: tuple[Role, ...]     # empty: everyone rates every criterion
    idle_minutes: int
    budget: float


class RoomDialog(QDialog):
    """Options for opening the round to the participants' own devices."""

    def __init__(self, addresses: list[tuple[str, str]], criteria: tuple[str, ...], *,
                 budget: float = 0.0, on_sale: int = 0, parent=None):
        super().__init__(parent)
        self.setObjectName("roomDialog")
        self.setWindowTitle("Open the round to the room")
        self.criteria = criteria
        self.address = QComboBox(objectName="roomAddress")
        for label, host in addresses:
            self.address.addItem(label, host)
        self.rating = QRadioButton("&Rating round: everyone rates the chosen criteria", objectName="kindRating")
        self.budget_kind = QRadioButton("&Budget vote: everyone buys initiatives priced by their effort",
                                        objectName="kindBudget")
        self.rating.setChecked(True)
        kinds = QButtonGroup(self)
        kinds.addButton(self.rating)
        kinds.addButton(self.budget_kind)
        self.budget = QDoubleSpinBox(objectName="roomBudget")
        self.budget.setRange(1, 1e9)
        self.budget.setDecimals(0)
        self.budget.setValue(max(budget, 1))
        self.budget.setSuffix(" per participant")
        self.budget_note = QLabel(f"{on_sale} initiatives with an effort are on sale; the budget is about "
                                  "half of what they cost together." if on_sale else
                                  "None of the chosen initiatives has an effort, so none can be bought.",
                                  wordWrap=True)
        self.budget_kind.setEnabled(on_sale > 0)
        self.limit_roles = QCheckBox("Only &some people rate some criteria", objectName="limitRoles")
        self.roles = QGroupBox("Roles participants choose when they join", objectName="roleBox")
        self.role_names: list[QLineEdit] = []
        self.role_ticks: list[dict[str, QCheckBox]] = []
        self._role_grid()
        self.idle = QSpinBox(objectName="roomIdle")
        self.idle.setRange(5, 240)
        self.idle.setValue(30)
        self.idle.setSuffix(" minutes")
        warning = QLabel("Anyone on this network who sees the code can join. Choose the meeting room's "
                         "network, not a public Wi-Fi; \"This computer only\" lets nobody else in.",
                         wordWrap=True)
        warning.setProperty("role", "muted")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Open to the room")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Participants join at", self.address)
        form.addRow("Close when idle for", self.idle)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rating)
        layout.addWidget(self.limit_roles)
        layout.addWidget(self.roles)
        layout.addWidget(self.budget_kind)
        layout.addWidget(self.budget)
        layout.addWidget(self.budget_note)
        layout.addLayout(form)
        layout.addWidget(warning)
        layout.addWidget(buttons)
        for widget in (self.rating, self.budget_kind, self.limit_roles):
            widget.toggled.connect(self._enable)
        self._enable()

    def _role_grid(self) -> None:
        grid = QGridLayout(self.roles)
        for c, name in enumerate(self.criteria):
            grid.addWidget(QLabel(name), 0, c + 1)
        for r in range(ROLE_ROWS):
            default = DEFAULT_ROLES[r] if r < len(DEFAULT_ROLES) else ("", ())
            name = QLineEdit(default[0], objectName=f"roleName{r}", placeholderText="Role")
            grid.addWidget(name, r + 1, 0)
            ticks = {}
            for c, criterion in enumerate(self.criteria):
                box = QCheckBox(objectName=f"role{r}_{criterion}")
                box.setChecked(bool(default[0]) and criterion not in (default[1] or ()))
                box.setAccessibleName(f"Role {r + 1} rates {criterion}")
                grid.addWidget(box, r + 1, c + 1)
                ticks[criterion] = box
            self.role_names.append(name)
            self.role_ticks.append(ticks)

    def _enable(self) -> None:
        rating = self.rating.isChecked()
        self.limit_roles.setEnabled(rating)
        self.roles.setVisible(rating and self.limit_roles.isChecked())
        self.budget.setEnabled(not rating)

    def chosen_roles(self) -> tuple[Role, ...]:
        """The roles with a name and at least one criterion, when the host limits who rates what."""
        if not (self.rating.isChecked() and self.limit_roles.isChecked()):
            return ()
        out, seen = [], set()
        for name, ticks in zip(self.role_names, self.role_ticks):
            text = " ".join(name.text().split())[:40]
            criteria = tuple(c for c in self.criteria if ticks[c].isChecked())
            if text and criteria and text.casefold() not in seen:
                seen.add(text.casefold())
                out.append(Role(text, criteria))
        return tuple(out)

    def options(self) -> RoomOptions:
        return RoomOptions(RATING if self.rating.isChecked() else BUDGET, str(self.address.currentData()),
                           self.chosen_roles(), self.idle.value(), float(self.budget.value()))
