"""Tracker exports recognised by their header rows: Jira (Excel CSV, all or current fields, and the
Plans export), Linear, Azure DevOps and GitHub Projects. Each profile says which columns feed
which field and how their cells are read; see docs/input.md for the sources of these headers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from cutline.models.importing.conversions import Conversion, effort_conversion, word_key
from cutline.models.importing.table import RawTable
from cutline.models.importing.values import text_values
from cutline.models.portfolio.portfolio import NUMERIC_FIELDS

_QUARTER = Conversion(rule="quarter_of_date")


@dataclass(frozen=True)
class Feed:
    """A field and the headers that may feed it, best first (the first with any value wins;
    for a list field every one present feeds it), with how its cells are read."""

    field: str
    headers: tuple[str, ...]
    conversion: Conversion | None = None
    all_of: bool = False


@dataclass(frozen=True)
class TrackerProfile:
    """One tracker's export: how to recognise it, and what its columns mean."""

    key: str
    name: str  # as the report says it: "Read as a Jira export"
    recognise: Callable[[frozenset[str]], bool]
    feeds: tuple[Feed, ...]
    merge_repeated: bool = True  # repeated headers are one field holding a list

    def describe(self) -> str:
        return f"Read as {self.name}."


def _has(*names: str) -> Callable[[frozenset[str]], bool]:
    return lambda headers: all(n in headers for n in names)


def _any(*names: str) -> Callable[[frozenset[str]], bool]:
    return lambda headers: any(n in headers for n in names)


def _both(a: Callable, b: Callable) -> Callable[[frozenset[str]], bool]:
    return lambda headers: a(headers) and b(headers)


_STORY_POINTS = effort_conversion("points")

PROFILES: tuple[TrackerProfile, ...] = (
    TrackerProfile(
        "jira_plans", "a Jira Plans export",
        _both(_any("work item key", "issue key"), _any("estimates (d)", "estimates (h)", "hierarchy")),
        (
            Feed("id", ("work item key", "issue key")),
            Feed("title", ("title", "summary")),
            Feed("team", ("team", "custom field (team)")),
            Feed("category", ("work item type", "issue type", "hierarchy")),
            Feed("effort", ("estimates (d)",), effort_conversion("person-days")),
            Feed("effort", ("estimates (h)",), effort_conversion("hours")),
            Feed("effort", ("story points", "estimate (story points)", "estimates (sp)"), _STORY_POINTS),
            Feed("depends_on", ("dependencies", "inward issue link (blocks)", "blocked by"), all_of=True),
            Feed("blocks", ("outward issue link (blocks)", "blocks"), all_of=True),
            Feed("quarter", ("due date", "target end"), _QUARTER),
            Feed("status", ("status",)),
            Feed("notes", ("description",)),
        ),
    ),
    TrackerProfile(
        "jira", "a Jira export",
        _has("issue key", "summary"),
        (
            Feed("id", ("issue key",)),
            Feed("title", ("summary",)),
            Feed("team", ("custom field (team)", "team", "custom field (team name)")),
            Feed("team", ("component/s",), Conversion(rule="first_item")),  # an issue's first component
            Feed("category", ("issue type",)),
            Feed("effort", ("custom field (story points)", "custom field (story point estimate)",
                            "story points", "story point estimate"), _STORY_POINTS),
            Feed("effort", ("original estimate",), effort_conversion("seconds")),
            Feed("depends_on", ("inward issue link (blocks)",), all_of=True),
            Feed("blocks", ("outward issue link (blocks)",), all_of=True),
            Feed("quarter", ("due date", "custom field (target end)"), _QUARTER),
            Feed("status", ("status",)),
            Feed("notes", ("description",)),
        ),
    ),
    TrackerProfile(
        "linear", "a Linear export",
        _both(_has("id", "title", "team"), _any("cycle number", "cycle name", "triaged", "sla status",
                                                "project milestone", "parent issue")),
        (
            Feed("id", ("id",)),
            Feed("title", ("title",)),
            Feed("team", ("team",)),
            Feed("effort", ("estimate",), _STORY_POINTS),
            Feed("depends_on", ("blocked by",), all_of=True),
            Feed("quarter", ("due date",), _QUARTER),
            Feed("status", ("status",)),
            Feed("notes", ("description",)),
        ),
    ),
    TrackerProfile(
        "azure_devops", "an Azure DevOps export",
        _both(_has("id", "work item type"), _any("title", "title 1")),
        (
            Feed("id", ("id",)),
            Feed("title", ("title",)),
            Feed("team", ("area path",), Conversion(rule="last_segment")),
            Feed("category", ("work item type",)),
            Feed("effort", ("effort", "story points", "size"), _STORY_POINTS),
            Feed("risk", ("risk",)),
            Feed("quarter", ("target date", "due date"), _QUARTER),
            Feed("status", ("state",)),
            Feed("notes", ("description",)),
        ),
    ),
    TrackerProfile(
        "github_projects", "a GitHub Projects export",
        # GitHub's export has no id column: a sheet with one is a PM's own, whatever else it has.
        # It holds the view's visible columns only, so any one of GitHub's own fields will do.
        _both(_both(_has("title", "url"), lambda h: "id" not in h),
              _any("linked pull requests", "repository", "reviewers", "assignees", "sub-issues progress",
                   "parent issue", "milestone", "labels", "iteration", "size", "estimate", "start date",
                   "target date")),
        (
            Feed("id", ("url",), Conversion(rule="issue_ref")),
            Feed("title", ("title",)),
            Feed("team", ("team",)),
            Feed("team", ("repository",), Conversion(rule="last_segment")),  # acme/platform -> platform
            Feed("effort", ("size",), effort_conversion("sizes")),
            Feed("effort", ("estimate",), _STORY_POINTS),
            Feed("quarter", ("target date", "due date"), _QUARTER),
            Feed("status", ("status",)),
        ),
    ),
)
_BY_KEY = {p.key: p for p in PROFILES}


def profile(key: str) -> TrackerProfile | None:
    return _BY_KEY.get(key)


def recognise(header_texts: tuple[str, ...] | list[str]) -> TrackerProfile | None:
    """The tracker whose export has these headers, or None (a Cutline export, which keeps a
    tracker's columns as extra columns, is never one)."""
    from cutline.models.importing.mapping import looks_like_export

    if looks_like_export([h for h in header_texts if h]):
        return None
    headers = frozenset(word_key(h) for h in header_texts if h)
    for p in PROFILES:
        if p.recognise(headers):
            return p
    return None


def adapt(raw: RawTable) -> RawTable:
    """A recognised export made readable: repeated columns merged into one list column, and an
    Azure DevOps tree query's Title 1, Title 2 … read as one title (the deepest filled)."""
    p = recognise(raw.header_texts or raw.headers)
    if p is None:
        return raw
    numbers = {h for f in p.feeds if f.field in NUMERIC_FIELDS for h in f.headers}
    raw = merge_repeated(raw, first_only=numbers) if p.merge_repeated else raw
    if p.key == "azure_devops":
        raw = _tree_titles(raw)
    return replace(raw, tracker=p.key)


def merge_repeated(raw: RawTable, first_only: set[str] | frozenset[str] = frozenset()) -> RawTable:
    """Columns with the same header become one column of that name holding the list of their
    non-blank cells ("a, b"); the warnings about the repeated names go. A header in `first_only`
    (matched as word_key makes it: a number field, such as story points) keeps its first
    non-blank cell instead, since "5, 3" is no number."""
    texts = raw.header_texts or raw.headers
    groups: dict[str, list[str]] = {}
    for key, text in zip(raw.headers, texts):
        groups.setdefault(text, []).append(key)
    repeated = {text: keys for text, keys in groups.items() if len(keys) > 1 and text}
    if not repeated:
        return raw
    frame = raw.frame
    columns: dict[str, object] = {}
    dropped: set[str] = set()
    for text, keys in repeated.items():
        parts = [text_values(frame[k]) for k in keys]
        columns[keys[0]] = _first_filled(parts) if word_key(text) in first_only else _joined(parts)
        dropped.update(keys[1:])
    new = frame.drop(columns=list(dropped)).copy()
    for key, values in columns.items():
        new[key] = values
    rename = {keys[0]: text for text, keys in repeated.items() if keys[0] != text}
    new = new.rename(columns=rename)
    keep = [i for i, k in enumerate(raw.headers) if k not in dropped]
    headers = tuple(rename.get(raw.headers[i], raw.headers[i]) for i in keep)
    flagged = {(r, rename.get(h, h)): f for (r, h), f in raw.flagged.items() if h not in dropped}
    issues = tuple(i for i in raw.issues if i.location.column not in dropped)
    return replace(
        raw, headers=headers, frame=new[list(headers)],
        header_texts=tuple(texts[i] for i in keep) if raw.header_texts else (),
        letters=tuple(raw.letters[i] for i in keep) if raw.letters else (),
        flagged=flagged, issues=issues,
    )


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """Cell texts of several columns joined with ", ", blanks left out."""
    out = parts[0].copy()
    for part in parts[1:]:
        both = (out != "") & (part != "")
        out = np.where(out == "", part, out)
        if both.any():
            out[both] = out[both] + ", " + part[both]
    return out


def _first_filled(parts: list[np.ndarray]) -> np.ndarray:
    """Per row, the first non-blank cell of several columns."""
    out = parts[0].copy()
    for part in parts[1:]:
        out = np.where(out == "", part, out)
    return out


def _tree_titles(raw: RawTable) -> RawTable:
    """Title 1, Title 2, … of a tree query as one Title column: the deepest title on each row."""
    levels = sorted((h for h in raw.headers if word_key(h).startswith("title ") and word_key(h)[6:].isdigit()),
                    key=lambda h: int(word_key(h)[6:]))
    if not levels or any(word_key(h) == "title" for h in raw.headers):
        return raw
    title = np.full(len(raw.frame), "", dtype=object)
    for h in levels:
        texts = text_values(raw.frame[h])
        title = np.where(texts != "", texts, title)
    at = raw.headers.index(levels[0])
    frame = raw.frame.copy()
    frame.insert(at, "Title", pd.Series(title, dtype=object))
    return replace(
        raw, frame=frame, headers=raw.headers[:at] + ("Title",) + raw.headers[at:],
        header_texts=(raw.header_texts[:at] + ("Title",) + raw.header_texts[at:]) if raw.header_texts else (),
        letters=(raw.letters[:at] + (raw.letters[at],) + raw.letters[at:]) if raw.letters else (),
    )


def tracker_fields(raw: RawTable, p: TrackerProfile) -> tuple[dict[str, str | None], dict[str, Conversion]]:
    """The profile's mapping for this table: header -> field, and field -> conversion. For a
    field with alternatives the first header with any value wins (then the first present)."""
    by_key: dict[str, str] = {}
    for h in raw.headers:
        by_key.setdefault(word_key(h), h)
    fields: dict[str, str | None] = {}
    conversions: dict[str, Conversion] = {}
    for name in dict.fromkeys(f.field for f in p.feeds):
        feeds = [f for f in p.feeds if f.field == name]
        candidates = [(by_key[n], f) for f in feeds for n in f.headers if n in by_key and by_key[n] not in fields]
        if not candidates:
            continue
        if feeds[0].all_of:
            chosen = candidates
        else:
            filled = [c for c in candidates if _has_values(raw.frame[c[0]])]
            chosen = (filled or candidates)[:1]
        for header, _ in chosen:
            fields[header] = name
        if chosen[0][1].conversion is not None:
            conversions[name] = chosen[0][1].conversion
    return fields, conversions


def _has_values(cells: pd.Series) -> bool:
    return bool((text_values(cells) != "").any())


def tracker_names() -> Mapping[str, str]:
    """Key -> name of every tracker recognised, for docs and the dialog."""
    return {p.key: p.name for p in PROFILES}
