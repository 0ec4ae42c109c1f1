"""Cutline's shell: entry points, wiring, CLI, actions, settings and undo commands."""

__version__ = "0.1.0"
