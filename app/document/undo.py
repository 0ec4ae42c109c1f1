"""Undo commands. Workshops are immutable, so a command holds the states before and after.

Undo and redo therefore restore the scores and the allocation exactly: they swap in the very
Workshop object that produced them. Moves of one slider merge into one step (by `merge_key`)
until the gesture ends (the slider is let go): `close()` keeps the next drag a step of its own.
A step is one journal entry too: the command words it, and a move that folds into the step
replaces the step's entry ("Weight of dx 2 → 5", from the drag's first old value).
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand, QUndoStack

from cutline.models.workshop.journal import JournalEntry

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
        #: The step of the same gesture this change will fold into once pushed, if any.
        self._folds_into = open_step(document.undo_stack, merge_key)

    def journal_entry(self, *, undoing: bool = False) -> JournalEntry:
        """This step as the decision log words it; undoing, the step taken back."""
        if undoing:
            return JournalEntry(self.kind, "Undid: " + self.text(), self.scenario, self.new, self.old)
        first = self.old if self._folds_into is None else self._folds_into.old
        return JournalEntry(self.kind, self.text_from(first), self.scenario, first, self.new)

    def redo(self) -> None:
        folding, entry = self._folds_into is not None, self.journal_entry()
        self._folds_into = None  # a redo after an undo is an entry of its own
        self.document.apply(self.after, entry, replaces_last=folding,
                            moving=self.open and self.merge_key is not None)

    def undo(self) -> None:
        self.document.apply(self.before, self.journal_entry(undoing=True))

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


def open_step(stack: QUndoStack, merge_key: str | None) -> WorkshopChange | None:
    """The step a change with `merge_key` pushed now would merge into, as QUndoStack.push
    decides it: the open top step with that key, unless the stack is clean there (just saved)."""
    index = stack.index()
    if merge_key is None or index == 0:
        return None
    top = stack.command(index - 1)
    clean = stack.cleanIndex()
    if clean > index:  # push drops the steps above, and the clean state with them
        clean = -1
    if not isinstance(top, WorkshopChange) or not top.open or top.merge_key != merge_key or clean == index:
        return None
    return top
