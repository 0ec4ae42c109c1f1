"""The handout's capacity page: one small chart per team, a bar per quarter with capacity as the
outline and what is used filled in category colours, the numbers written above each bar.

Every team's chart has the same scale, so bars compare across the page.
"""

from __future__ import annotations

import re

from cutline.views.handout_pdf import Body, Page, note_page
from cutline.views.handout_sheet import BODY_PT, CENTRE, INK, LEFT, MUTED, RULE, SMALL_PT, Sheet
from cutline.views.palette import CUT_LINE, category_colour, ordered_categories
from PySide6.QtGui import QColor

SECTION = "Capacity by team: person-weeks used against capacity"
SUMMARY_H = 18.0
LEGEND_H = 32.0
PANEL_MIN_H = 170.0
_CALENDAR = re.compile(r"^(\d{4})-(Q[1-4])$")


def number(value: float) -> str:
    """12 or 12.5: person-weeks as the room says them."""
    return f"{value:,.0f}" if abs(value - round(value)) < 0.05 else f"{value:,.1f}"


def short_quarters(quarters) -> list[str]:
    """"Q1" … when every quarter is in one calendar year (the summary names the year)."""
    found = [_CALENDAR.match(q) for q in quarters]
    if quarters and all(found) and len({m.group(1) for m in found}) == 1:
        return [m.group(2) for m in found]
    return list(quarters)


def capacity_pages(sheet: Sheet, handout, body: Body) -> list[Page]:
    if not handout.capacity_set:
        return [note_page(SECTION, body, [
            "No capacity is set for this scenario, so nothing can be funded until it is.",
            "Set person-weeks per team and quarter with Edit > Capacity and guardrails… in Cutline, or "
            "give a Capacity sheet in the spreadsheet (or cutline rank FILE --capacity CAPACITY.xlsx)."])]
    teams: dict[str, dict[str, object]] = {}
    for entry in handout.capacity:
        teams.setdefault(entry.team, {})[entry.quarter] = entry
    quarters = list(handout.quarters) or list(dict.fromkeys(e.quarter for e in handout.capacity))
    k = max(1, len(quarters))
    cols = 4 if k <= 4 else 3 if k <= 6 else 2
    per_page_rows = max(1, int((body.height - SUMMARY_H - LEGEND_H) // PANEL_MIN_H))
    per_page = cols * per_page_rows
    names = list(teams)
    scale = max([max(e.capacity, e.used) for e in handout.capacity] + [1.0])
    chunks = [names[i:i + per_page] for i in range(0, len(names), per_page)]
    return [_page(handout, body, chunk, teams, quarters, scale, cols, per_page_rows, first=i == 0)
            for i, chunk in enumerate(chunks)]


def summary_words(handout) -> str:
    used = sum(e.used for e in handout.capacity)
    capacity = sum(e.capacity for e in handout.capacity)
    share = f" ({used / capacity:.0%})" if capacity else ""
    over = sum(1 for e in handout.capacity if e.used > e.capacity + 1e-9)
    words = f"{number(used)} of {number(capacity)} person-weeks used{share}"
    if over:
        words += f"; {over} team-quarter{'' if over == 1 else 's'} over capacity"
    found = [_CALENDAR.match(q) for q in handout.quarters]
    if handout.quarters and all(found) and len({m.group(1) for m in found}) == 1:
        words += f"; quarters of {found[0].group(1)}"
    return words


def _page(handout, body: Body, chunk, teams, quarters, scale, cols, rows, *, first: bool) -> Page:
    def draw(sheet: Sheet) -> None:
        y = body.top
        if first:
            sheet.text(0, y, body.width, SUMMARY_H - 4, summary_words(handout), sheet.font(BODY_PT + 1, bold=True))
            y += SUMMARY_H
        panel_w = body.width / cols
        panel_h = (body.bottom - LEGEND_H - y) / rows
        for i, team in enumerate(chunk):
            px, py = (i % cols) * panel_w, y + (i // cols) * panel_h
            _panel(sheet, px + 4, py + 4, panel_w - 12, panel_h - 10, team, teams[team], quarters, scale)
        _legend(sheet, handout, body)

    return Page(SECTION, draw)


def _panel(sheet: Sheet, x, y, w, h, team, entries, quarters, scale) -> None:
    bold, small = sheet.font(BODY_PT + 0.5, bold=True), sheet.font(SMALL_PT)
    used = sum(e.used for e in entries.values())
    capacity = sum(e.capacity for e in entries.values())
    over = [q for q in quarters if q in entries and entries[q].used > entries[q].capacity + 1e-9]
    sheet.text(x, y, w, 14, team, bold)
    words = f"{number(used)} of {number(capacity)} pw used"
    if over:
        words += f"; over in {', '.join(short_quarters(over))}"
    sheet.text(x, y + 14, w, 13, words, small, colour=QColor(CUT_LINE) if over else MUTED)
    top, bottom = y + 30 + 26, y + h - 14   # room for two lines of numbers above, the quarters below
    slot = w / max(1, len(quarters))
    bar_w = min(slot * 0.62, 46.0)
    sheet.rule(x, bottom, x + w, bottom, INK, 0.75)
    for q, (name, label) in enumerate(zip(quarters, short_quarters(quarters), strict=True)):
        cx = x + q * slot + slot / 2
        sheet.text(cx - slot / 2, bottom + 1, slot, 12, label, small, align=CENTRE)
        entry = entries.get(name)
        if entry is None:
            sheet.text(cx - slot / 2, bottom - 14, slot, 12, "—", small, colour=MUTED, align=CENTRE)
            continue
        height = bottom - top
        cap_h = height * entry.capacity / scale
        base = bottom
        for category, pw in reversed(entry.by_category):   # the largest share sits at the bottom
            seg = height * pw / scale
            sheet.fill(cx - bar_w / 2, base - seg, bar_w, seg, category_colour(category))
            base -= seg
        sheet.box(cx - bar_w / 2, bottom - cap_h, bar_w, cap_h, outline=INK, width=1.0)
        is_over = entry.used > entry.capacity + 1e-9
        font = sheet.font(SMALL_PT, bold=is_over)
        label = f"{number(entry.used)}/{number(entry.capacity)}"
        lines = [label] if sheet.text_width(label, font) <= slot - 3 else [number(entry.used), f"of {number(entry.capacity)}"]
        label_y = min(bottom - cap_h, base) - 12 * len(lines) - 1
        for k, line in enumerate(lines):
            sheet.text(cx - slot / 2, label_y + 12 * k, slot, 12, line, font,
                       colour=QColor(CUT_LINE) if is_over else INK, align=CENTRE)


def _legend(sheet: Sheet, handout, body: Body) -> None:
    """What the outline, the fill and the numbers mean, then the categories, on as many lines as
    they need within the legend's room."""
    font = sheet.font(SMALL_PT)
    step = 13.0
    y = body.bottom - LEGEND_H + 6
    sheet.rule(0, y - 3, body.width, y - 3, RULE, 0.5)
    sheet.box(0, y + 1, 10, 10, outline=INK, width=1.0)
    text = "capacity   ·   filled: used, by category   ·   numbers: used / capacity in person-weeks"
    sheet.text(14, y, body.width - 14, 12, text, font, align=LEFT)
    x = 14 + sheet.text_width(text, font) + 24
    categories = ordered_categories(c for e in handout.capacity for c, _ in e.by_category)
    sheet.category_legend(x, y, body.width, body.bottom, categories, font, step)
