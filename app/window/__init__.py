"""The main window: its actions and their handlers, the declared features, prompts and full-window views."""
