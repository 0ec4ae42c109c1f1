"""The words for where a scenario's funding stands, shared by the status line, the presentation
heading, the comparison lists and the `cutline rank` summary (no Qt here: the CLI imports it).

An empty portfolio is never "everything funded", and a scenario without capacity says so plainly.
"""

from __future__ import annotations


def has_capacity(capacity) -> bool:
    """Whether a Capacity has any person-weeks at all."""
    table = capacity.table
    return bool(len(table)) and float(table["capacity"].sum()) > 0


def cut_line_words(initiatives: int, funded: int, cut_line: int | None, *,
                   capacity_set: bool = True, below: int = 0) -> str:
    """"cut line at #38" (with "3 funded below it" when some are), "everything funded", "nothing
    to fund" (no initiatives), or "nothing can be funded until capacity is set"."""
    if initiatives == 0:
        return "nothing to fund"
    if funded == 0 and not capacity_set:
        return "nothing can be funded until capacity is set"
    if cut_line is None:
        return "everything funded"
    return f"cut line at #{cut_line}" + (f", {below:,} funded below it" if below else "")


def evaluation_words(evaluation) -> str:
    """cut_line_words for one scenario's Evaluation."""
    from cutline.models.words.cut_line import funded_below

    allocation = evaluation.allocation
    below = int(funded_below(evaluation.ranking, allocation).sum())
    return cut_line_words(len(evaluation.ranking), int(allocation.funded.sum()), allocation.cut_line,
                          capacity_set=has_capacity(evaluation.scenario.capacity), below=below)
