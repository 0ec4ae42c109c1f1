"""The portfolio: the initiatives read from a file, their dependencies and the edits of their cells."""
