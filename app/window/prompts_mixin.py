"""The window's ask and tell methods: every question goes to the `Prompts` the window was given
(app/prompts.py), so the window never opens a message box or a file dialog itself."""

from __future__ import annotations

from pathlib import Path

from cutline.app.prompts import Prompts


class AskAndTell:
    """Mixed into the main window, which sets `prompts` when it is built."""

    prompts: Prompts

    def ask_yes_no(self, question: str, detail: str = "") -> bool:
        return self.prompts.yes_no(question, detail)

    def ask_choice(self, question: str, detail: str, choices: list[str]) -> str | None:
        """One of `choices` (button labels), or None when cancelled."""
        return self.prompts.choose(question, detail, choices)

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        return self.prompts.text(title, label, text)

    def ask_open_path(self, title: str, filters: str, folder: str | None = None) -> Path | None:
        """A file to read, starting in `folder` (the last folder used when None)."""
        return self.prompts.open_path(title, folder or self._last_folder(), filters)

    def ask_save_path(self, title: str, suggestion: str | Path, filters: str) -> tuple[Path, str] | None:
        """A file to write and the filter chosen, or None when cancelled."""
        return self.prompts.save_path(title, str(suggestion), filters)

    def show_dialog(self, dialog) -> int:
        """Run a dialog modally (scripted prompts let the test drive it instead)."""
        return self.prompts.run_dialog(dialog)

    def tell_error(self, text: str) -> None:
        """Show a problem; a message box only when the window is on screen."""
        self.status.flash(text)
        self.last_message = text
        if self.isVisible():
            self.prompts.warn("Cutline", text)

    def inform(self, title: str, text: str) -> None:
        """Something the user must read (what an import dropped): a message box when the window is
        on screen, and the status line."""
        self.status.flash(text.replace("\n", " "))
        self.last_message = text
        if self.isVisible():
            first, _, rest = text.partition("\n")
            self.prompts.inform(title, first, rest)

    def tell(self, text: str) -> None:
        self.last_message = text
        self.status.flash(text)

    def _last_folder(self) -> str:
        return self.settings.get("recent/folder") or str(Path.home())
