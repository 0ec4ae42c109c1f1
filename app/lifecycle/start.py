"""The start-up function: builds the application, the document and the window, and wires them."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cutline.app.window.main_window import MainWindow

@dataclass
class LaunchOptions:
    path: Path | None = None
    sheet: str | None = None
    scenario: str | None = None
    screenshot: Path | None = None
    view: str | None = None
    theme: str | None = None          # "light", "dark", or None to follow the system / settings
    size: tuple[int, int] = (1600, 1000)


def make_application(offscreen: bool = False):
    """The QApplication (one per process), set up with names, theme and safe XML parsing."""
    if offscreen:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Cutline")
    app.setOrganizationName("Cutline")
    app.setApplicationDisplayName("Cutline")
    return app


def seconds_since_process_start() -> float:
    """Wall time since this process was started, interpreter start-up included (Linux); elsewhere
    since Cutline's first module was imported."""
    import time

    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        return time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        from cutline.app import IMPORTED_AT

        return time.perf_counter() - IMPORTED_AT


def theme_for(name: str | None, settings):
    from cutline.views.theme import THEMES, system_theme

    name = name or settings.get("view/theme")
    return THEMES[name] if name in THEMES else system_theme()


def build_window(options: LaunchOptions, settings=None, *, prompts=None, display=None,
                 keep_file: bool | None = None):
    """The window showing what `options` names (the sample when nothing is named).

    `prompts` asks the questions (real dialogs by default) and `display` says what the window is
    shown on; a screenshot has nobody to ask and a picture for a screen, unless told otherwise.
    `keep_file` False opens a throwaway copy, as a screenshot does, and a bad FILE is an error.
    """
    from cutline.app.lifecycle import document_factory
    from cutline.app.prompts import UnattendedPrompts
    from cutline.app.settings import Settings
    from cutline.app.window.display import PictureDisplay
    from cutline.app.window.main_window import MainWindow
    from cutline.views.theme import apply_theme

    app = make_application(offscreen=options.screenshot is not None)
    if settings is None and options.screenshot is not None:
        # A screenshot shows the defaults and never touches the user's profile.
        import tempfile

        from PySide6.QtCore import QSettings

        scratch = Path(tempfile.mkdtemp(prefix="cutline-settings-")) / "settings.ini"
        settings = Settings(QSettings(str(scratch), QSettings.Format.IniFormat))
    settings = settings or Settings()
    apply_theme(app, theme_for(options.theme, settings), 11.0 * settings.get("view/zoom"))
    if options.screenshot is not None:
        prompts = prompts if prompts is not None else UnattendedPrompts()
        display = display if display is not None else PictureDisplay()
    window = MainWindow(settings, prompts=prompts, display=display)
    window.resize(*options.size)
    keep_file = options.screenshot is None if keep_file is None else keep_file
    document, messages = document_factory.open_at_start(options, keep_file=keep_file)
    window.set_document(document)
    for message in messages:
        window.tell(message)
    return app, window, messages


def run(options: LaunchOptions) -> int:
    """Launch the GUI (or render a screenshot); returns the process exit code."""
    from cutline.models.errors import CutlineError

    try:
        app, window, messages = build_window(options)
    except CutlineError as exc:
        print(f"cutline: {exc.describe()}", file=sys.stderr)
        return 2
    if options.screenshot is not None:
        return screenshot(app, window, options)
    from cutline.app.lifecycle import crash_guard, session

    crash_guard.install(window)
    session.restore_window(window)
    window.show()
    session.after_show(window, messages)
    return app.exec()


def screenshot(app, window: MainWindow, options: LaunchOptions) -> int:
    """Render the window offscreen with a view in front, save it as PNG."""
    if options.view is not None and options.view not in window.views:
        known = ", ".join(sorted(window.views))
        print(f"cutline: unknown view {options.view!r}. Known views: {known}.", file=sys.stderr)
        return 2
    from PySide6.QtCore import QSize

    window.setFixedSize(QSize(*options.size))  # the size asked for, whatever the panels would like
    window.show()
    if options.view is not None:
        from cutline.app.staging import screenshot as screenshot_staging

        screenshot_staging.show_staged(window, options.view)
    for _ in range(5):
        app.processEvents()
    window.repaint()
    app.processEvents()
    if os.environ.get("CUTLINE_STARTUP_TRACE"):
        print(f"startup: window painted {seconds_since_process_start() * 1000:.0f} ms after the process started",
              file=sys.stderr)
    image = window.grab()
    out = Path(options.screenshot)
    saved = image.save(str(out), "PNG")  # the folder must exist: it is never made here
    if saved:
        print(f"{out} ({image.width()}x{image.height()})")
    else:
        print(f"cutline: could not write the screenshot to {out}.", file=sys.stderr)
    document = window.document
    window.close()
    scratch = Path(window.settings._q.fileName()).parent
    if scratch.name.startswith("cutline-settings-"):
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)
    if document is not None and document.file is not None and document.untitled:
        folder = Path(document.file.path).parent
        document.file.close(discard=True)  # the temporary copy a screenshot opened
        if folder.name.startswith("cutline-"):
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
    return 0 if saved else 2
