"""The handout's scenario comparison: each scenario's funding side by side, then, for every
scenario after the first, what crossed the cut line and what moved most against the first."""

from __future__ import annotations

from cutline.models.words.funding import cut_line_words
from cutline.views.handout_pdf import Body, Page
from cutline.views.handout_sheet import (
    BODY_PT,
    INK,
    LEFT,
    MUTED,
    RIGHT,
    RULE,
    SHADE,
    SMALL_PT,
    Sheet,
)

SECTION = "Scenarios compared"
ROW_H = 17.0
HEADING_H = 24.0
GAP_H = 8.0
INDENT = 14.0

#: (title, share of the width, alignment) of the summary table.
COLUMNS = (("Scenario", 0.22, LEFT), ("Initiatives", 0.09, RIGHT), ("Funded", 0.07, RIGHT),
           ("Person-weeks used", 0.16, RIGHT), ("Cut line", 0.26, LEFT),
           ("Funded overlap with first", 0.20, RIGHT))


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value - round(value)) < 0.05 else f"{value:,.1f}"


def _cells(s) -> tuple[str, ...]:
    used = f"{_number(s.used)} of {_number(s.capacity)}" if s.capacity else "no capacity set"
    words = cut_line_words(s.initiatives, s.funded, s.cut_line, capacity_set=s.capacity > 0)
    return (s.name, f"{s.initiatives:,}", f"{s.funded:,}", used, words, f"{s.overlap:.0%}")


def items(handout) -> list[tuple[str, object]]:
    """The page's content as (kind, what) in reading order, before it is cut into pages."""
    scenarios = handout.scenarios
    out: list[tuple[str, object]] = [("head", None)] + [("row", _cells(s)) for s in scenarios]
    if len(scenarios) < 2:
        out += [("gap", None), ("note", f"Only one scenario, {scenarios[0].name}, is in this handout. "
                                          "To compare, add a scenario (Scenario > New scenario) and export "
                                          "again, or write it with cutline compare … -o handout.pdf.")]
        return out
    first = scenarios[0].name
    for s in scenarios[1:]:
        out += [("gap", None), ("heading", f"{s.name} against {first}")]
        if not s.new_above and not s.dropped_below:
            out.append(("note", "Nothing crossed the cut line: the same initiatives are funded."))
        if s.new_above or s.dropped_below or s.moved:
            out.append(("block", s))
    return out


def block_lists(s) -> list[tuple[str, list[str]]]:
    """The three lists of a scenario's block, side by side: a title with its count, then lines."""
    out = []
    for title, named, more in (("New above the cut line", s.new_above, s.more[0]),
                               ("Dropped below the cut line", s.dropped_below, s.more[1]),
                               ("Moved most, not crossing the line", s.moved, s.more[2])):
        lines = list(named) + ([f"and {more:,} more"] if more else [])
        out.append((f"{title} ({len(named) + more:,})", lines or ["none"]))
    return out


def _height(item) -> float:
    kind, what = item
    if kind == "block":
        return ROW_H * (1 + max(len(lines) for _, lines in block_lists(what))) + 4
    return {"heading": HEADING_H, "gap": GAP_H, "note": ROW_H * 2}.get(kind, ROW_H)


def scenario_pages(sheet: Sheet, handout, body: Body) -> list[Page]:
    pages, chunk, y = [], [], body.top
    for item in items(handout):
        h = _height(item)
        if chunk and y + h > body.bottom and item[0] != "gap":
            carried = [chunk.pop()] if chunk[-1][0] == "heading" else []  # a heading stays with its block
            pages.append(chunk)
            chunk, y = carried, body.top + sum(_height(i) for i in carried)
            if item[0] == "row":
                chunk.append(("head", None))
                y += ROW_H
        chunk.append(item)
        y += h
    pages.append(chunk)
    return [_page(body, chunk) for chunk in pages]


def _page(body: Body, chunk) -> Page:
    def draw(sheet: Sheet) -> None:
        y, shade = body.top, False
        for kind, what in chunk:
            if kind == "head":
                _table_row(sheet, y, body.width, [c[0] for c in COLUMNS], sheet.font(SMALL_PT, bold=True))
                sheet.rule(0, y + ROW_H - 1, body.width, y + ROW_H - 1, INK, 1.0)
            elif kind == "row":
                if shade:
                    sheet.fill(0, y, body.width, ROW_H, SHADE)
                shade = not shade
                _table_row(sheet, y, body.width, what, sheet.font(BODY_PT))
                sheet.rule(0, y + ROW_H, body.width, y + ROW_H, RULE, 0.4)
            elif kind == "heading":
                sheet.text(0, y + 6, body.width, ROW_H, what, sheet.font(BODY_PT + 2, bold=True))
            elif kind == "block":
                _block(sheet, y, body.width, what)
            elif kind == "note":
                font = sheet.font(BODY_PT, italic=True)
                sheet.lines(INDENT, y + 2, body.width - INDENT, sheet.wrapped(what, font, body.width - INDENT, 2),
                            font, colour=MUTED)
            y += _height((kind, what))

    return Page(SECTION, draw)


def _block(sheet: Sheet, y: float, width: float, summary) -> None:
    lists = block_lists(summary)
    column_w = (width - INDENT) / len(lists)
    bold, plain = sheet.font(BODY_PT, bold=True), sheet.font(BODY_PT)
    for i, (title, lines) in enumerate(lists):
        x = INDENT + i * column_w
        sheet.text(x, y, column_w - 10, ROW_H, title, bold)
        for k, line in enumerate(lines):
            sheet.text(x, y + ROW_H * (k + 1), column_w - 10, ROW_H, line, plain,
                       colour=MUTED if line == "none" or line.startswith("and ") else INK)


def _table_row(sheet: Sheet, y: float, width: float, cells, font) -> None:
    x = 0.0
    total = sum(c[1] for c in COLUMNS)
    for (_, share, align), text in zip(COLUMNS, cells, strict=True):
        w = width * share / total
        sheet.text(x + 3, y, w - 6, ROW_H, text, font, align=align)
        x += w
