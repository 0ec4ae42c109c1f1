"""The window's ask and tell methods: the only place that opens message boxes and input dialogs.

Tests replace these methods (or set `answers`) so no test ever waits on a real dialog.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox


class Prompts:
    """Mixed into the main window."""

    #: Canned answers for headless use: a list consumed in order by ask_* when not empty.
    answers: list | None = None

    def _canned(self):
        if self.answers:
            return True, self.answers.pop(0)
        if self.property("headless"):
            return True, None
        return False, None

    def ask_yes_no(self, question: str, detail: str = "") -> bool:
        canned, answer = self._canned()
        if canned:
            return bool(answer)
        box = QMessageBox(QMessageBox.Icon.Question, "Cutline", question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setInformativeText(detail)
        return box.exec() == QMessageBox.StandardButton.Yes

    def ask_choice(self, question: str, detail: str, choices: list[str]) -> str | None:
        """One of `choices` (button labels), or None when cancelled."""
        canned, answer = self._canned()
        if canned:
            return answer
        box = QMessageBox(QMessageBox.Icon.Question, "Cutline", question, parent=self)
        box.setInformativeText(detail)
        buttons = {box.addButton(c, QMessageBox.ButtonRole.AcceptRole): c for c in choices}
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return buttons.get(box.clickedButton())

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        canned, answer = self._canned()
        if canned:
            return answer
        value, ok = QInputDialog.getText(self, title, label, QLineEdit.EchoMode.Normal, text)
        return value.strip() if ok and value.strip() else None

    def show_dialog(self, dialog) -> int:
        """Run a dialog modally, or just show it when headless (tests drive it themselves)."""
        if self.property("headless") or self.answers is not None:
            dialog.show()
            return 0
        return dialog.exec()

    def tell_error(self, text: str) -> None:
        """Show a problem; a message box only when a person is looking."""
        self.status.flash(text)
        self.last_message = text
        if self.isVisible() and not self.property("headless") and self.answers is None:
            QMessageBox.warning(self, "Cutline", text)

    def inform(self, title: str, text: str) -> None:
        """Something the user must read (what an import dropped): a message box when a person is
        looking, else the status line."""
        self.status.flash(text.replace("\n", " "))
        self.last_message = text
        if self.isVisible() and not self.property("headless") and self.answers is None:
            box = QMessageBox(QMessageBox.Icon.Information, title, text.split("\n", 1)[0], parent=self)
            box.setInformativeText(text.split("\n", 1)[1] if "\n" in text else "")
            box.exec()

    def tell(self, text: str) -> None:
        self.last_message = text
        self.status.flash(text)
