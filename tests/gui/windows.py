"""A main window for a test, built the way app/lifecycle/start.py builds one: the test's own settings file,
a throwaway copy of the workshop, questions answered by ScriptedPrompts, and a fixed-size
picture for a screen (nothing really goes full screen)."""

from pathlib import Path


def scripted_window(folder: Path, *, display=None, **options):
    """The window over what `options` (LaunchOptions fields) names; settings live in `folder`."""
    from PySide6.QtCore import QSettings

    from cutline.app.lifecycle.start import LaunchOptions, build_window
    from cutline.app.prompts import ScriptedPrompts
    from cutline.app.settings import Settings
    from cutline.app.window.display import PictureDisplay

    settings = Settings(QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat))
    _, window, _ = build_window(LaunchOptions(**options), settings, prompts=ScriptedPrompts(),
                                display=display or PictureDisplay(), keep_file=False)
    return window
