"""The word scales PMs and trackers write (priority, impact, confidence, risk, MoSCoW, yes/no,
t-shirt sizes), and the value map Cutline proposes for a column from the words it holds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from cutline.models.importing.conversions import SIZE_WORDS, word_key

_P = MappingProxyType

#: Each scale: its name and its words in order, word -> number. Higher means more of the thing.
SCALES: Mapping[str, Mapping[str, float]] = _P({
    # Jira's default priorities, Linear's, P0-P4 and MoSCoW, as a 0-5 importance.
    "priority": _P({
        "Highest": 5, "High": 4, "Medium": 3, "Low": 2, "Lowest": 1,
        "Urgent": 5, "No priority": 0,
        "P0": 5, "P1": 4, "P2": 3, "P3": 2, "P4": 1,
        "Critical": 5, "Blocker": 5, "Major": 4, "Minor": 2, "Trivial": 1,
    }),
    "moscow": _P({"Must": 4, "Must have": 4, "Should": 3, "Should have": 3, "Could": 2,
                  "Could have": 2, "Won't": 0, "Wont": 0, "Won't have": 0}),
    # RICE's impact scale.
    "impact": _P({"Massive": 3, "High": 2, "Medium": 1, "Low": 0.5, "Minimal": 0.25}),
    # RICE's confidence scale, as a share.
    "confidence": _P({"High": 1.0, "Medium": 0.8, "Low": 0.5}),
    # A rating from 0 to 10 written as words; Azure DevOps writes risk as "1 - High".
    "rating": _P({
        "Very high": 10, "Critical": 10, "High": 8, "Medium": 5, "Moderate": 5, "Low": 2,
        "Very low": 1, "None": 0,
        "1 - High": 8, "2 - Medium": 5, "3 - Low": 2,
    }),
    "yes_no": _P({"Yes": 1, "No": 0, "Y": 1, "N": 0, "True": 1, "False": 0}),
    "sizes": SIZE_WORDS,
})
#: The scale each numeric field is read on, when its cells hold words; others are guessed.
FIELD_SCALE: Mapping[str, str] = _P({
    "impact": "impact", "confidence": "confidence", "effort": "sizes",
    "risk": "rating", "reliability": "rating", "security": "rating", "dx": "rating",
})
_RATING_YES_NO = {"Yes": 10, "No": 0}


def words_in(values: Iterable[object]) -> list[str]:
    """The distinct words of a column (text that is not a number), in first-seen order."""
    seen: dict[str, str] = {}
    for value in values:
        if not isinstance(value, str):
            continue
        text = " ".join(value.split())
        if not text or _is_number(text):
            continue
        seen.setdefault(word_key(text), text)
    return list(seen.values())


def propose_words(words: Iterable[str], field: str | None = None) -> dict[str, float]:
    """A value map for these words: from the field's own scale, or the scale that knows most of
    them; words no scale knows are left out (the import flags them). Keys are written as found."""
    words = list(words)
    if not words:
        return {}
    found = {word_key(w): w for w in words}
    candidates = [FIELD_SCALE[field]] if field in FIELD_SCALE else list(SCALES)
    best: dict[str, float] = {}
    for name in candidates:
        scale = dict(SCALES[name])
        if name == "rating":
            scale.update(_RATING_YES_NO)
        table = {word_key(k): float(v) for k, v in scale.items()}
        hits = {found[k]: table[k] for k in dict.fromkeys(map(word_key, scale)) if k in found}
        if len(hits) > len(best):
            best = hits
    return best


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "").replace(" ", "").rstrip("%"))
    except ValueError:
        return False
    return True
