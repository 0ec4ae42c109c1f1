"""The app's settings as one typed table of (key, type, default) over QSettings.

Nothing is created at import time; tests redirect storage with QStandardPaths' test mode.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: object


SETTINGS: dict[str, Setting] = {s.key: s for s in (
    Setting("window/geometry", bytes, b""),
    Setting("window/state", bytes, b""),
    Setting("recent/files", list, []),
    Setting("recent/folder", str, ""),
    Setting("view/zoom", float, 1.0),
    Setting("view/presentation_zoom", float, 0.0),  # 0: not chosen yet, fit the screen
    Setting("view/theme", str, "system"),
    Setting("import/mappings", dict, {}),
    Setting("export/live_formulas", bool, False),
    Setting("export/columns", dict, {}),  # the Ranked list's columns, per workshop (its path)
    Setting("workshop/keep_untitled", bool, True),
    Setting("best_plan/time_limit", float, 10.0),  # seconds the optimiser may search
    Setting("best_plan/respect_tiers", bool, True),
)}
MAX_RECENT = 10


class Settings:
    """Typed access to QSettings; unknown keys are an error, so a typo cannot go unnoticed."""

    def __init__(self, qsettings: QSettings | None = None):
        self._q = qsettings or QSettings("Cutline", "Cutline")

    def get(self, key: str):
        spec = SETTINGS[key]
        value = self._q.value(key, None)
        if value is None:
            return spec.default
        try:
            if spec.type is bool:
                return value in (True, "true", "1", 1)
            if spec.type is bytes:
                return bytes(value)
            if spec.type is list:
                return list(value) if isinstance(value, (list, tuple)) else [value]
            if spec.type is dict:
                return dict(value)
            return spec.type(value)
        except (TypeError, ValueError):
            return spec.default

    def set(self, key: str, value) -> None:
        SETTINGS[key]  # noqa: B018 - raises KeyError for an unknown key
        self._q.setValue(key, value)

    def add_recent(self, path: str) -> list[str]:
        recent = [p for p in self.get("recent/files") if p != path]
        recent.insert(0, path)
        recent = recent[:MAX_RECENT]
        self.set("recent/files", recent)
        return recent

    def sync(self) -> None:
        self._q.sync()
