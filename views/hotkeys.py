"""The keys a person presses, each written once: the action table binds the window's, the views
bind their own, and every label, tooltip and the shortcuts list reads them from here."""

#: Apply or reveal in the rating panels: shown as Ctrl+Enter, bound to both Return keys.
APPLY = "Ctrl+Enter"
APPLY_BINDINGS = ("Ctrl+Return", "Ctrl+Enter")
PASTE = "Ctrl+V"
UNDO = "Ctrl+Z"
#: Leaves whichever full-window view is on.
LEAVE = "Esc"
COMPARE = "Ctrl+K"
COMPARE_ROOM = "Ctrl+Shift+K"
CHART_FOCUS = "F10"
PRESENTATION = "F11"
