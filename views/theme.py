"""Light and dark themes with large type: one QPalette and one style sheet per theme."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    base: str
    alternate: str
    text: str
    muted: str
    highlight: str
    highlight_text: str
    grid: str
    tier_one_fill: str
    unfunded_text: str


LIGHT = Theme("light", "#F4F5F7", "#FFFFFF", "#F0F3F7", "#111111", "#4A4A4A",
              "#0A5CA8", "#FFFFFF", "#D0D4DA", "#E3EEF8", "#5A5A5A")
DARK = Theme("dark", "#1E1F22", "#26282B", "#2D3034", "#F2F2F2", "#C4C4C4",
             "#3D8FD8", "#FFFFFF", "#44484E", "#1F3347", "#A8A8A8")
THEMES = {"light": LIGHT, "dark": DARK}


def system_theme() -> Theme:
    """The theme that follows the system's colour scheme (light when unknown)."""
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hints is not None else Qt.ColorScheme.Unknown
    return DARK if scheme == Qt.ColorScheme.Dark else LIGHT


def apply_theme(app: QApplication, theme: Theme, point_size: float = 11.0) -> None:
    """Set the palette, the base font size and the style sheet of the whole application."""
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: theme.window,
        QPalette.ColorRole.Base: theme.base,
        QPalette.ColorRole.AlternateBase: theme.alternate,
        QPalette.ColorRole.Text: theme.text,
        QPalette.ColorRole.WindowText: theme.text,
        QPalette.ColorRole.ButtonText: theme.text,
        QPalette.ColorRole.Button: theme.window,
        QPalette.ColorRole.Highlight: theme.highlight,
        QPalette.ColorRole.HighlightedText: theme.highlight_text,
        QPalette.ColorRole.ToolTipBase: theme.base,
        QPalette.ColorRole.ToolTipText: theme.text,
        QPalette.ColorRole.PlaceholderText: theme.muted,
    }
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    app.setPalette(pal)
    font = QFont(app.font())
    font.setPointSizeF(point_size)
    app.setFont(font)
    app.setProperty("cutline_theme", theme.name)
    sheet = style_sheet(theme)
    if app.styleSheet() != sheet:  # re-polishing every widget is slow: only when it changed
        app.setStyleSheet(sheet)


def current_theme(app: QApplication | None = None) -> Theme:
    app = app or QApplication.instance()
    name = app.property("cutline_theme") if app is not None else None
    return THEMES.get(name or "light", LIGHT)


def _icon(name: str) -> str:
    """The path of a shipped SVG icon, as a style sheet's url() wants it."""
    from importlib.resources import files

    return str(files("cutline.resources") / "icons" / name).replace("\\", "/")


def style_sheet(theme: Theme) -> str:
    # Fusion draws a check box from the palette, which in dark leaves the box a shade off the
    # background (invisible when unchecked): the indicators get a border and fill of their own.
    check = _icon("check.svg")
    return f"""
    QCheckBox::indicator, QGroupBox::indicator, QAbstractItemView::indicator {{
        width: 0.95em; height: 0.95em; border: 2px solid {theme.muted}; border-radius: 3px;
        background: {theme.base}; }}
    QCheckBox::indicator:hover, QGroupBox::indicator:hover {{ border-color: {theme.highlight}; }}
    QCheckBox::indicator:checked, QGroupBox::indicator:checked, QAbstractItemView::indicator:checked {{
        background: {theme.highlight}; border-color: {theme.highlight}; image: url({check}); }}
    QCheckBox::indicator:disabled, QGroupBox::indicator:disabled {{ border-color: {theme.grid}; }}
    QCheckBox::indicator:checked:disabled {{ background: {theme.grid}; }}
    QToolBar {{ spacing: 6px; padding: 4px; border: none; }}
    QToolButton {{ padding: 4px 8px; }}
    QHeaderView::section {{ padding: 4px 6px; font-weight: 600; border: none;
        border-bottom: 2px solid {theme.grid}; background: {theme.window}; color: {theme.text}; }}
    QTableView {{ gridline-color: {theme.grid}; }}
    QStatusBar {{ font-weight: 600; }}
    QDockWidget::title {{ padding: 6px; font-weight: 600; }}
    QLabel[role="heading"] {{ font-weight: 700; font-size: 120%; }}
    QLabel[role="muted"] {{ color: {theme.muted}; }}
    """
