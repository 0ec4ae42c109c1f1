"""The workshop: the immutable document a session edits, and the SQLite file that keeps every edit."""
