"""Undo commands. Workshops are immutable, so a command holds the states before and after.

Undo and redo therefore restore the scores and the allocation exactly: they swap in the very
Workshop object that produced them. Moves of one slider merge into one step (by `merge_key`)
until the gesture ends (the slider is let go): `close()` keeps the next drag a step of its own.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

#: Qt merges only commands with the same id(); the merge key then decides.
MERGEABLE_ID = 1


class WorkshopChange(QUndoCommand):
    """One change to the workshop, described in the PM's words ("Weight of dx 2 → 3")."""

    def __init__(self, document, after, text: str, *, kind: str, old=None, new=None,
                 merge_key: str | None = None, template: str | None = None):
        super().__init__(template.format(old=old, new=new) if template else text)
        self.template = template
        self.document = document
        self.before = document.workshop
        self.after = after
        self.kind = kind
        self.old = old
        self.new = new
        self.merge_key = merge_key
        self.scenario = after.current
        self.open = True  # later changes with the same merge key may still fold in

    def _entry(self, undoing: bool) -> dict:
        summary = ("Undid: " if undoing else "") + self.text()
        old, new = (self.new, self.old) if undoing else (self.old, self.new)
        entry = {"kind": self.kind, "scenario": self.scenario, "summary": summary, "old": old, "new": new}
        if self.template and not undoing:  # a folded slider entry is worded from its first old value
            entry["summary_for"] = lambda first, last: self.template.format(old=first, new=last)
        return entry

    def redo(self) -> None:
        # A closed step (a drag that ended) must not fold the next change's journal entry into it.
        self.document.apply(self.after, self._entry(False), self.merge_key if self.open else None)

    def undo(self) -> None:
        self.document.apply(self.before, self._entry(True))

    def close(self) -> None:
        """End the gesture: nothing more merges into this step."""
        self.open = False

    def id(self) -> int:
        return MERGEABLE_ID if self.merge_key and self.open else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, WorkshopChange) and self.open and other.merge_key == self.merge_key):
            return False
        self.after = other.after
        self.new = other.new
        self.setText(other.text_from(self.old))
        return True

    def text_from(self, old) -> str:
        """This command's text as if it had started from `old` (for merged slider moves)."""
        return self.template.format(old=old, new=self.new) if self.template else self.text()
