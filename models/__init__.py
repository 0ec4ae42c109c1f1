"""Cutline's domain: import, scoring, dependencies, capacity, scenarios, export, the workshop file.

This package imports no Qt. The CLI and the GUI are two clients of it.
"""
