"""The mapping Cutline proposes for a table: the tracker's own when the export is recognised, names
and synonyms otherwise, and for each field how its cells are read (value maps from the words
found, the effort unit from the header or the words, dates as quarters)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from cutline.models.importing import trackers
from cutline.models.importing.conversions import Conversion, apply_rule, effort_conversion, word_key
from cutline.models.importing.mapping import ColumnMapping, guess_mapping, without_clashes
from cutline.models.importing.scales import SCALES, propose_words, words_in
from cutline.models.importing.table import RawTable
from cutline.models.importing.values import IMPACT_WORDS, text_values
from cutline.models.portfolio.portfolio import NUMERIC_FIELDS

#: Words in an effort header that name its unit ("Effort (days)", "Estimates (d)", "Story points"):
#: a word starting so, or an abbreviation on its own.
_UNIT_HINTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("seconds", ("second",), ("s", "sec", "secs")),
    ("hours", ("hour",), ("h", "hr", "hrs", "mh", "manhours")),
    ("person-days", ("day",), ("d", "pd", "md", "mandays")),
    ("person-weeks", ("week",), ("w", "pw")),
    ("person-months", ("month",), ("pm", "mm")),
    ("points", ("point", "storypoint"), ("sp", "pts")),
)
_TOKENS = re.compile(r"[a-z]+")  # "person-hours" is "person", "hours"

def suggest_mapping(raw: RawTable) -> ColumnMapping:
    """The proposed mapping for a table, conversions included."""
    base = guess_mapping(raw.headers)
    profile = trackers.profile(raw.tracker) if raw.tracker else None
    if profile is None:
        mapping = base
    else:
        fed, conversions = trackers.tracker_fields(raw, profile)
        fields: dict[str, str | None] = {h: None for h in raw.headers}
        taken = set(fed.values())
        for header, name in base.fields.items():
            if name is not None and name not in taken and header not in fed:
                fields[header] = name
                taken.add(name)
        fields.update(fed)
        mapping = ColumnMapping(without_clashes(fields), base.ignored, conversions, profile.key)
    return with_proposed_conversions(raw, mapping)


def with_proposed_conversions(raw: RawTable, mapping: ColumnMapping) -> ColumnMapping:
    """`mapping` with a conversion proposed for each mapped field that has none yet."""
    for name, header in mapping.mapped().items():
        if name in mapping.conversions:
            if name == "effort":
                mapping = mapping.with_conversion(name, _effort_words(raw, header, mapping.conversions[name]))
            continue
        proposed = _tracker_conversion(mapping.tracker, name, header) or propose_conversion(raw, name, header)
        if proposed is not None and name == "effort":
            proposed = _effort_words(raw, header, proposed)
        if proposed is not None:
            mapping = mapping.with_conversion(name, proposed)
    return mapping


def _tracker_conversion(tracker: str, name: str, header: str) -> Conversion | None:
    """How the recognised tracker writes this column, when it is one of its own (Jira's Original
    Estimate is seconds, whatever field it is mapped to)."""
    profile = trackers.profile(tracker) if tracker else None
    if profile is None:
        return None
    key = word_key(header)
    return next((f.conversion for f in profile.feeds if f.field == name and key in f.headers), None)


def with_new_words(raw: RawTable, mapping: ColumnMapping) -> ColumnMapping:
    """A saved mapping read against a new file: every number it has stays; words this file holds
    that its value maps lack get the proposed number (the next export has XL where the first had
    only M and L); fields it has no conversion for are proposed as usual."""
    mapping = with_proposed_conversions(raw, mapping)
    for name, conversion in mapping.conversions.items():
        header = mapping.header_of(name)
        if header is None or name not in NUMERIC_FIELDS or not conversion.words:
            continue
        known = {word_key(w) for w in conversion.words}
        new = [w for w in column_words(raw.frame[header]) if word_key(w) not in known]
        proposed = propose_words(new, name) if new else {}
        if proposed:
            factor = conversion.factor if conversion.unit not in ("", "sizes") else 1.0
            words = dict(conversion.words) | {w: v / factor for w, v in proposed.items()}
            mapping = mapping.with_conversion(name, Conversion(words, conversion.unit, conversion.factor,
                                                               conversion.rule))
    return mapping


def propose_conversion(raw: RawTable, name: str, header: str) -> Conversion | None:
    """How the cells of `header` should be read for field `name`, or None for as written."""
    cells = raw.frame[header]
    if name == "effort":
        return _effort_words(raw, header, effort_conversion(effort_unit(header)))
    if name in NUMERIC_FIELDS:
        found = column_words(cells)
        if name == "impact":  # impact's own words are read without a map
            found = [w for w in found if word_key(w) not in IMPACT_WORDS]
        words = propose_words(found, name)
        return Conversion(words) if words else None
    if name == "quarter":
        texts = text_values(cells)
        changed = apply_rule("quarter_of_date", texts) != texts
        return Conversion(rule="quarter_of_date") if bool(np.any(changed)) else None
    return None


def _effort_words(raw: RawTable, header: str, conversion: Conversion) -> Conversion:
    """An effort conversion that also reads the words the column holds. When most filled cells
    are t-shirt sizes the unit is sizes; otherwise the header's unit stays and the size words are
    read too, their person-weeks divided by the unit's factor (so "M" is still 5 person-weeks)."""
    cells = raw.frame[header]
    words = column_words(cells)
    if not words or conversion.words:
        return conversion
    sizes = propose_words(words, "effort")
    if not sizes:
        return conversion
    texts = text_values(cells)
    filled = int((texts != "").sum())
    keys = {word_key(w) for w in sizes}
    sized = sum(1 for t in texts.tolist() if t and word_key(t) in keys)
    if conversion.unit in ("", "person-weeks", "sizes") and sized * 2 >= filled:
        return effort_conversion("sizes", words=sizes)
    factor = conversion.factor or 1.0
    return Conversion({w: v / factor for w, v in sizes.items()}, conversion.unit or "person-weeks", factor)


def effort_unit(header: str) -> str:
    """The unit an effort header names ("Effort (days)" -> person-days), person-weeks by default."""
    tokens = _TOKENS.findall(word_key(header))
    for unit, prefixes, abbreviations in _UNIT_HINTS:
        if any(t.startswith(prefixes) or t in abbreviations for t in tokens):
            return unit
    return "person-weeks"


def column_words(cells: pd.Series) -> list[str]:
    """The distinct words (text that is not a number) of a column."""
    if pd.api.types.is_numeric_dtype(cells.dtype):
        return []
    return words_in(pd.unique(cells.to_numpy(dtype=object)))


def proposed_value_maps(raw: RawTable, mapping: ColumnMapping) -> dict[str, dict[str, float]]:
    """For extra columns of words from a known scale (Priority, MoSCoW, yes/no …): the value map
    that would let a criterion read them as numbers. A column with words no scale knows gets none."""
    out: dict[str, dict[str, float]] = {}
    for header in mapping.extras():
        words = column_words(raw.frame[header])
        if not words or len(words) > max(len(s) for s in SCALES.values()):
            continue
        proposed = propose_words(words)
        if len(proposed) == len(words):
            out[header] = proposed
    return out
