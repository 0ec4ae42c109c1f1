"""Cutline's widgets, Qt item models over the domain's arrays, and pyqtgraph charts.

Views show state and emit intent; they never compute scores or touch files.
"""
