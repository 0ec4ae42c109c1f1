"""The Roadmap sheet: the funded plan on one landscape page, lanes (teams or layers) × quarters.

It is the handout: each cell names the funded initiatives (id and title) that run in that lane
in that quarter; work spanning quarters appears in each quarter it runs, marked with its span.
What does not fit the page is counted ("+ 3 more"), never shrunk to unreadable type: the
Ranked list sheet holds everything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd
from cutline.models.export import styles as st
from cutline.models.export.book import Sheet
from cutline.models.export.printing import chars_per_line, row_height, set_up_page, wrapped_lines
from cutline.models.words.plans import span_text
from openpyxl.utils import get_column_letter

SHEET = "Roadmap"
HEADER_ROW = 3
#: Lines of initiatives one page holds at 10 pt (landscape, with the title and the header).
PAGE_LINES = 40
#: The most lanes drawn; the smallest others share one lane.
MAX_LANES = 14
LANE_WIDTH = 18.0
#: The quarters' share of a page's width, in Excel's units (the page holds about 150 at 90%).
QUARTERS_WIDTH = 128.0
SIZE = 10


def write_roadmap_page(sheet: Sheet, evaluation, *, today: dt.date, lanes: str | None = None) -> None:
    """Fill the one-page Roadmap; `lanes` is "team" or "layer" (the default picks team unless
    there are more teams than fit and the layers do)."""
    portfolio, allocation = evaluation.portfolio, evaluation.allocation
    quarters = list(allocation.quarters)
    funded = np.flatnonzero(np.asarray(allocation.funded, dtype=bool))
    by = lanes or _lane_field(portfolio, funded)
    title = f"Roadmap: {evaluation.scenario.name}"
    sheet.row([title], st.TITLE, height=22)
    n = len(portfolio)
    lane_word = "Layer" if by == "layer" else "Team"
    sheet.row([f"Funded work only: {len(funded):,} of {n:,} initiatives, by {lane_word.lower()} and quarter · "
               f"exported {today.isoformat()} · every initiative is on the Ranked list sheet"], st.NOTE)
    if not quarters or not len(funded):
        sheet.row(["Nothing is funded: set capacity for the teams to see a roadmap."
                   if not quarters else "Nothing is funded in this scenario."], st.NOTE)
        _page(sheet, len(quarters))
        return
    header = replace(st.HEADER, size=11)
    sheet.row([lane_word, *quarters], header, height=20)
    width = QUARTERS_WIDTH / len(quarters)
    cells = _cells(evaluation, funded, by, quarters)
    names = _lane_order(cells, evaluation, by)
    if len(names) < len(cells):
        sheet.row([f"The {len(names)} {lane_word.lower()}s with the most work are shown; the other "
                   f"{len(cells) - len(names):,} are on the Ranked list sheet."], st.NOTE)
    texts, heights = _lane_texts(cells, names, len(quarters), width)
    lane_look = st.Look(bold=True, size=SIZE + 1, top=True, wrap=True, rule_below="thin")
    cell_look = st.Look(size=SIZE, wrap=True, top=True, rule_below="thin")
    for lane, row, lines in zip(names, texts, heights):
        sheet.row([lane or f"(no {lane_word.lower()})", *row], [lane_look] + [cell_look] * len(quarters),
                  height=row_height(lines, SIZE))
    ws = sheet.ws
    ws.column_dimensions["A"].width = LANE_WIDTH
    for j in range(len(quarters)):
        ws.column_dimensions[get_column_letter(j + 2)].width = width
    _page(sheet, len(quarters))


def _lane_texts(cells: dict, names: list[str], quarters: int, width: float) -> tuple[list[list[str]], list[int]]:
    """Each lane's cell texts and its height in lines. Whole titles wrap where the page holds
    them; the lanes that would take the most room get one line per initiative (titles cut with
    "…"), and past a page's share per lane the rest are counted ("+ 3 more")."""
    room = chars_per_line(width, SIZE) * 0.92
    budget = max(2, PAGE_LINES // max(len(names), 1))

    def whole(lane: str) -> tuple[list[str], int]:
        items = [cells[lane].get(q, []) for q in range(quarters)]
        if any(None in i for i in items):  # more than a page in one cell: never whole
            return [], 10 * PAGE_LINES
        texts = [[text + span for text, span in i] for i in items]
        return ["\n".join(t) for t in texts], max(int(wrapped_lines(t, width, SIZE).sum()) if t else 1
                                                  for t in texts)

    def short(lane: str) -> tuple[list[str], int]:
        texts = [_cell_text([_fit(*item, room) if item else "" for item in cells[lane].get(q, [])], budget)
                 for q in range(quarters)]
        return texts, max(t.count("\n") + 1 for t in texts)

    lanes = {lane: whole(lane) for lane in names}
    shorter = {lane: short(lane) for lane in names}
    while sum(h for _, h in lanes.values()) > PAGE_LINES:
        saving = {lane: lanes[lane][1] - shorter[lane][1] for lane in names if lanes[lane] is not shorter[lane]}
        if not saving:
            break
        lane = max(saving, key=lambda n: (saving[n], -names.index(n)))
        lanes[lane] = shorter[lane]
    return [lanes[n][0] for n in names], [lanes[n][1] for n in names]


def _page(sheet: Sheet, quarters: int) -> None:
    sheet.ws.freeze_panes = f"B{HEADER_ROW + 1}"
    set_up_page(sheet.ws, last_column=1 + max(quarters, 1), last_row=sheet.next_row - 1,
                header_rows=(HEADER_ROW, HEADER_ROW), fit_height=1)


def _lane_field(portfolio, funded: np.ndarray) -> str:
    """Teams, unless more teams than fit a page have funded work and fewer layers do."""
    teams = set(portfolio.text("team")[funded].tolist())
    layers = set(portfolio.text("layer")[funded].tolist()) - {""}
    return "layer" if len(teams) > MAX_LANES and 1 < len(layers) <= MAX_LANES else "team"


def _cells(evaluation, funded: np.ndarray, by: str, quarters: list[str]) -> dict:
    """{lane: {quarter index: [(initiative, span), ...]}} in rank order: ("PLT-101 Rotate root
    CA", " (Q1→Q3)"), the span blank when it runs in one quarter. A cell keeps at most a page
    of initiatives, then None for each one more (counted, never shown)."""
    portfolio, allocation, ranking = evaluation.portfolio, evaluation.allocation, evaluation.ranking
    first = np.asarray(allocation.quarter, dtype=np.int64)[funded]
    finish = np.maximum(np.asarray(allocation.finish, dtype=np.int64)[funded], first)
    # One entry per (initiative, quarter it runs in), as numpy arrays: 100,000 funded rows are many.
    runs = finish - first + 1
    rows = np.repeat(funded, runs)
    quarter = np.repeat(first, runs) + (np.arange(runs.sum()) - np.repeat(np.cumsum(runs) - runs, runs))
    lane_codes, lane_names = pd.factorize(pd.Series(portfolio.text(by)[rows], dtype=object))
    table = pd.DataFrame({"lane": lane_codes, "quarter": quarter, "rank": np.asarray(ranking.rank)[rows],
                          "row": rows}).sort_values(["lane", "quarter", "rank"], kind="stable")
    table["n"] = table.groupby(["lane", "quarter"]).cumcount()
    ids, titles = portfolio.ids, portfolio.text("title")
    all_first = np.asarray(allocation.quarter, dtype=np.int64)
    all_finish = np.asarray(allocation.finish, dtype=np.int64)
    cells: dict[str, dict[int, list]] = {}
    for lane, q, row, n in zip(table["lane"].tolist(), table["quarter"].tolist(), table["row"].tolist(),
                               table["n"].tolist()):
        items = cells.setdefault(str(lane_names[lane]), {}).setdefault(q, [])
        if n >= PAGE_LINES:
            items.append(None)
            continue
        lo, hi = int(all_first[row]), max(int(all_finish[row]), int(all_first[row]))
        span = f" ({_short_span(quarters[lo], quarters[hi])})" if hi > lo else ""
        items.append((f"{ids[row]} {titles[row]}".strip(), span))
    return cells


def _short_span(first: str, finish: str) -> str:
    """"Q1→Q3" within a year ("2026-Q4→2027-Q2" across years), as the column headers name the year."""
    text = span_text(first, finish, "→")
    head, _, tail = text.partition("→")
    if "-" in head and "-" not in tail:
        head = head.split("-", 1)[1]
    return f"{head}→{tail}"


def _fit(text: str, span: str, room: float) -> str:
    """One line: the id and title, cut with "…" where needed, then the span."""
    room = max(int(room) - len(span), 8)
    return (text if len(text) <= room else text[: room - 1].rstrip() + "…") + span


def _lane_order(cells: dict, evaluation, by: str) -> list[str]:
    """Lanes in the capacity table's team order (then by name); past MAX_LANES the lanes
    with the least work are left to the Ranked list."""
    order = list(evaluation.scenario.capacity.teams) if by == "team" else []
    position = {name: i for i, name in enumerate(order)}
    names = sorted(cells, key=lambda n: (position.get(n, len(order)), n.casefold()))
    if len(names) > MAX_LANES:
        work = {n: sum(len(v) for v in cells[n].values()) for n in names}
        keep = set(sorted(names, key=lambda n: -work[n])[:MAX_LANES])
        names = [n for n in names if n in keep]
    return names


def _cell_text(lines: list[str], budget: int) -> str:
    if len(lines) <= budget:
        return "\n".join(lines)
    return "\n".join(lines[: budget - 1] + [f"+ {len(lines) - budget + 1} more (see the Ranked list)"])
