"""Cutline's shell: entry points, wiring, CLI, actions, settings and undo commands."""

import time

__version__ = "0.1.0"

#: When Cutline's code started loading (start-up timing where /proc is not available).
IMPORTED_AT = time.perf_counter()
