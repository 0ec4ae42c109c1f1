"""Where a criterion's value comes from, in words: one entry per derived source, read by the
model panel, the criterion dialog, the coverage report and the exported Model sheet."""

from __future__ import annotations

from dataclasses import dataclass

from cutline.models.scoring.model import DERIVED_SOURCES


@dataclass(frozen=True)
class SourceWords:
    name: str      # as the dialog offers it: "RICE"
    panel: str     # after "derived:" in the model panel: "RICE", "teams unblocked"
    reads: str     # what it is computed from, for the coverage report
    formula: str   # how it is computed, for the exported Model sheet


DERIVED: dict[str, SourceWords] = {
    "rice": SourceWords("RICE", "RICE", "RICE from reach, impact, confidence and effort",
                        "RICE = reach × impact × confidence ÷ effort"),
    "teams_unblocked": SourceWords("Teams unblocked", "teams unblocked", "teams unblocked from dependencies",
                                   "teams unblocked: how many teams the unblocks column names"),
    "cost_of_delay": SourceWords(
        "Cost of delay", "cost of delay",
        "cost of delay, Business Value + Time Criticality (or, without that column, from the due "
        "quarter) + Risk",
        "cost of delay = Business Value + Time Criticality + Risk (Time Criticality from the due "
        "quarter when the file has none)"),
}
assert set(DERIVED) == set(DERIVED_SOURCES), "every derived source needs its words here"


def short_words(source: str, formula: str | None = None) -> str:
    """One line for the model panel: "derived: RICE", "formula: …", "column: Story points"."""
    if source == "formula":
        return f"formula: {formula or ''}"
    if source in DERIVED:
        return f"derived: {DERIVED[source].panel}"
    return f"column: {source}"


def reads_words(source: str) -> str | None:
    """What a derived source is computed from ("derived: RICE from reach, …"), None for a column."""
    return f"derived: {DERIVED[source].reads}" if source in DERIVED else None


def formula_words(source: str) -> str:
    """How the value is computed, or "the X column"."""
    return DERIVED[source].formula if source in DERIVED else f"the {source} column"


def choice_words(source: str) -> str:
    """How the criterion dialog offers a derived source: "RICE (derived)"."""
    return f"{DERIVED[source].name} (derived)" if source in DERIVED else source
