"""Every question the app asks a person, behind one protocol.

The window receives a `Prompts` when it is built (app/lifecycle/start.py): `DialogPrompts` asks through real
Qt dialogs, `UnattendedPrompts` declines everything when nobody is there (a --screenshot), and
`ScriptedPrompts` answers from a queue a test wrote, so a test can trigger any action that asks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


class Prompts(Protocol):
    """Ask a person and get a plain answer back; None (or False) means they cancelled."""

    def yes_no(self, question: str, detail: str = "") -> bool: ...

    def choose(self, question: str, detail: str, choices: list[str]) -> str | None: ...

    def text(self, title: str, label: str, text: str = "") -> str | None: ...

    def number(self, title: str, label: str, value: float, low: float, high: float) -> float | None: ...

    def open_path(self, title: str, folder: str, filters: str) -> Path | None: ...

    def save_path(self, title: str, suggestion: str, filters: str) -> tuple[Path, str] | None:
        """The path and the filter the person chose (to add an extension they left out)."""
        ...

    def directory(self, title: str, folder: str) -> Path | None: ...

    def run_dialog(self, dialog: QDialog) -> int:
        """Show `dialog` modally; its result code (a QDialog.DialogCode value)."""
        ...

    def warn(self, title: str, text: str, detail: str = "") -> None: ...

    def inform(self, title: str, text: str, detail: str = "") -> None: ...

    def about(self, title: str, html: str) -> None: ...

    def reveal(self, folder: Path) -> None:
        """Open `folder` in the file manager (where an export was written)."""
        ...


class DialogPrompts:
    """Real dialogs, parented to `parent` (the main window)."""

    def __init__(self, parent: QWidget | None = None):
        self.parent = parent

    def yes_no(self, question: str, detail: str = "") -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Cutline", question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.parent)
        box.setInformativeText(detail)
        return box.exec() == QMessageBox.StandardButton.Yes

    def choose(self, question: str, detail: str, choices: list[str]) -> str | None:
        box = QMessageBox(QMessageBox.Icon.Question, "Cutline", question, parent=self.parent)
        box.setInformativeText(detail)
        buttons = {box.addButton(c, QMessageBox.ButtonRole.AcceptRole): c for c in choices}
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return buttons.get(box.clickedButton())

    def text(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self.parent, title, label, QLineEdit.EchoMode.Normal, text)
        return value.strip() if ok and value.strip() else None

    def number(self, title: str, label: str, value: float, low: float, high: float) -> float | None:
        chosen, ok = QInputDialog.getDouble(self.parent, title, label, value, low, high, 2)
        return chosen if ok else None

    def open_path(self, title: str, folder: str, filters: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(self.parent, title, folder, filters)
        return Path(path) if path else None

    def save_path(self, title: str, suggestion: str, filters: str) -> tuple[Path, str] | None:
        path, chosen = QFileDialog.getSaveFileName(self.parent, title, suggestion, filters)
        return (Path(path), chosen or "") if path else None

    def directory(self, title: str, folder: str) -> Path | None:
        path = QFileDialog.getExistingDirectory(self.parent, title, folder)
        return Path(path) if path else None

    def run_dialog(self, dialog: QDialog) -> int:
        return dialog.exec()

    def warn(self, title: str, text: str, detail: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self.parent)
        box.setInformativeText(detail)
        box.exec()

    def inform(self, title: str, text: str, detail: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self.parent)
        box.setInformativeText(detail)
        box.exec()

    def about(self, title: str, html: str) -> None:
        QMessageBox.about(self.parent, title, html)

    def reveal(self, folder: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class UnattendedPrompts:
    """Nobody is there to answer (a --screenshot): every question is declined, a dialog is only
    shown (never waited on), and what would be told is left to the status line."""

    def yes_no(self, question: str, detail: str = "") -> bool:
        return False

    def choose(self, question: str, detail: str, choices: list[str]) -> str | None:
        return None

    def text(self, title: str, label: str, text: str = "") -> str | None:
        return None

    def number(self, title: str, label: str, value: float, low: float, high: float) -> float | None:
        return None

    def open_path(self, title: str, folder: str, filters: str) -> Path | None:
        return None

    def save_path(self, title: str, suggestion: str, filters: str) -> tuple[Path, str] | None:
        return None

    def directory(self, title: str, folder: str) -> Path | None:
        return None

    def run_dialog(self, dialog: QDialog) -> int:
        dialog.show()  # in the picture, as a person would see it open
        return QDialog.DialogCode.Rejected.value

    def warn(self, title: str, text: str, detail: str = "") -> None:
        pass

    def inform(self, title: str, text: str, detail: str = "") -> None:
        pass

    def about(self, title: str, html: str) -> None:
        pass

    def reveal(self, folder: Path) -> None:
        pass


@dataclass(frozen=True)
class Question:
    """One question the app asked: its kind (the Prompts method) and its wording."""

    kind: str
    text: str
    detail: str = ""


class UnscriptedQuestion(AssertionError):
    """The app asked a question the test wrote no answer for."""


class ScriptedPrompts:
    """Answers from a queue, in order; records every question and message.

    `script(*answers)` queues answers: a bool for yes_no, a label for choose, a str for text, a
    float for number, a path (str or Path) for the path questions (or (path, filter) for
    save_path), None to cancel any of them.
    `script_dialog(fill)` queues `fill(dialog) -> result code` for the next run_dialog; with none
    queued, run_dialog only shows the dialog (the test then drives it) and returns Rejected.
    """

    def __init__(self, *answers: Any):
        self.answers: deque[Any] = deque(answers)
        self.dialog_answers: deque[Callable[[QDialog], int]] = deque()
        self.asked: list[Question] = []
        self.dialogs: list[QDialog] = []
        self.told: list[Question] = []

    def script(self, *answers: Any) -> ScriptedPrompts:
        self.answers.extend(answers)
        return self

    def script_dialog(self, fill: Callable[[QDialog], int]) -> ScriptedPrompts:
        self.dialog_answers.append(fill)
        return self

    @property
    def questions(self) -> list[str]:
        """The wording of every question asked so far, in order."""
        return [q.text for q in self.asked]

    def _answer(self, kind: str, text: str, detail: str = "") -> Any:
        self.asked.append(Question(kind, text, detail))
        if not self.answers:
            raise UnscriptedQuestion(f"the app asked {kind}({text!r}) and the test scripted no answer; "
                                     f"add one with prompts.script(...)")
        return self.answers.popleft()

    def yes_no(self, question: str, detail: str = "") -> bool:
        return bool(self._answer("yes_no", question, detail))

    def choose(self, question: str, detail: str, choices: list[str]) -> str | None:
        answer = self._answer("choose", question, detail)
        if answer is not None and answer not in choices:
            raise UnscriptedQuestion(f"{answer!r} is not one of the choices of {question!r}: {choices}")
        return answer

    def text(self, title: str, label: str, text: str = "") -> str | None:
        answer = self._answer("text", title, label)
        return None if answer is None else str(answer)

    def number(self, title: str, label: str, value: float, low: float, high: float) -> float | None:
        answer = self._answer("number", title, label)
        return None if answer is None else float(answer)

    def _path(self, kind: str, title: str) -> Path | None:
        answer = self._answer(kind, title)
        return Path(answer) if answer else None

    def open_path(self, title: str, folder: str, filters: str) -> Path | None:
        return self._path("open_path", title)

    def save_path(self, title: str, suggestion: str, filters: str) -> tuple[Path, str] | None:
        """A scripted path, or (path, filter) to say which filter the person chose."""
        answer = self._answer("save_path", title, suggestion)
        path, chosen = answer if isinstance(answer, tuple) else (answer, "")
        return (Path(path), chosen) if path else None

    def directory(self, title: str, folder: str) -> Path | None:
        return self._path("directory", title)

    def run_dialog(self, dialog: QDialog) -> int:
        self.dialogs.append(dialog)
        if self.dialog_answers:
            return int(self.dialog_answers.popleft()(dialog))
        dialog.show()
        return QDialog.DialogCode.Rejected.value

    def warn(self, title: str, text: str, detail: str = "") -> None:
        self.told.append(Question("warn", text, detail))

    def inform(self, title: str, text: str, detail: str = "") -> None:
        self.told.append(Question("inform", text, detail))

    def about(self, title: str, html: str) -> None:
        self.told.append(Question("about", html))

    def reveal(self, folder: Path) -> None:
        self.told.append(Question("reveal", str(folder)))
