"""Model files: a ScoringModel saved as TOML with `schema_version = 2` (see docs/model-file.md).

Version 2 added `[value_maps."<column>"]` tables; version 1 files (no value maps) still load.

Limits (docs/model-file.md#limits): a file is at most MAX_FILE_BYTES, and its values nest at most
MAX_TOML_NESTING deep. The nesting is checked on the raw text before `tomllib` sees it (its
parser recurses, and a value nested 5,000 arrays deep would end in RecursionError), and again on
the parsed tables (dotted keys such as `a.b.c...` nest without brackets).
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from pathlib import Path

import numpy as np

from cutline.models.errors import FormulaError, ModelError
from cutline.models.portfolio.portfolio import Portfolio
from cutline.models.scoring.model import (
    Criterion,
    ScoringModel,
    Tier,
    ValueMaps,
    checked_number,
    word_key,
)
from cutline.models.scoring.score import Scorer, check_model, reworded

#: The version this Cutline writes; it reads every version from 1 up to this one.
SCHEMA_VERSION = 2
#: The first version that has `value_maps`.
VALUE_MAPS_VERSION = 2
#: The model Cutline ships with; it loads to `scoring_model.default_model()`.
DEFAULT_MODEL_FILE = Path(__file__).resolve().parents[2] / "resources" / "default_model.toml"
#: The largest model file read, in bytes (the shipped ones are a few KB).
MAX_FILE_BYTES = 1_048_576
#: The deepest nesting of arrays, inline tables and tables in a model file (its own need 3).
MAX_TOML_NESTING = 32

_TOP_KEYS = {"schema_version": int, "name": str, "description": str, "tiers_enabled": bool,
             "criteria": list, "tiers": list, "value_maps": dict}
_CRITERION_KEYS = {"name": str, "source": str, "direction": str, "normalisation": str,
                   "weight": float, "low": float, "high": float, "formula": str}
_TIER_KEYS = {"name": str, "condition": str, "enabled": bool}
_TYPE_NAMES = {int: "a whole number", str: "text in quotes", bool: "true or false",
               list: "a list of tables", float: "a number",
               dict: 'a table of columns, each written [value_maps."<column>"]'}


# -- limits ------------------------------------------------------------------------------
#: What the bracket scan skips: strings (multi-line first) and comments, so that a bracket inside
#: a string or a comment never counts.
_NOT_BRACKETS = re.compile(
    r'''"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|#[^\n]*''',
    re.DOTALL,
)
_BRACKET = re.compile(r"[\[\]{}]")


def _check_size(size: int, prefix: str) -> None:
    """Refuse more than MAX_FILE_BYTES; `size` may be a lower bound (what was read)."""
    if size > MAX_FILE_BYTES:
        megabytes = size / 1_048_576
        shown = f"{megabytes:,.1f} MB" if megabytes >= 1.05 else "over 1 MB"
        raise ModelError(
            f"{prefix}the file is {shown}; a model file can be at most {MAX_FILE_BYTES // 1_048_576} MB.",
            hint="A model file holds criteria, tiers and value maps: a few KB.",
        )


def _too_deep(depth: str, prefix: str) -> ModelError:
    return ModelError(
        f"{prefix}the file nests values {depth} deep (lists, inline tables or tables inside one "
        f"another); the limit is {MAX_TOML_NESTING}."
    )


def _check_text_nesting(text: str, prefix: str) -> None:
    """Refuse text whose brackets nest past MAX_TOML_NESTING, before tomllib parses it."""
    if "[" not in text and "{" not in text:
        return
    brackets = "".join(_BRACKET.findall(_NOT_BRACKETS.sub("", text)))
    if len(brackets) <= MAX_TOML_NESTING:
        return
    steps = np.frombuffer(brackets.encode("ascii"), dtype=np.uint8)
    depth = np.cumsum(np.where((steps == ord("[")) | (steps == ord("{")), 1, -1))
    deepest = int(depth.max())
    if deepest > MAX_TOML_NESTING:
        raise _too_deep(f"{deepest:,}", prefix)


def _check_data_nesting(data: dict, prefix: str) -> None:
    """Refuse parsed data that nests past MAX_TOML_NESTING (dotted keys nest without brackets)."""
    stack: list[tuple[object, int]] = [(data, 0)]  # the top-level table itself is depth 0
    while stack:
        value, depth = stack.pop()
        if depth > MAX_TOML_NESTING:
            raise _too_deep(f"more than {MAX_TOML_NESTING}", prefix)
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def _shown(value: object) -> str:
    """A value for a message: numbers and short text as written, a list or table by its kind."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# -- reading -----------------------------------------------------------------------------
def _checked(table: dict, keys: dict[str, type], where: str) -> dict:
    """The table's values, each checked against its expected type; unknown keys refused."""
    for key, value in table.items():
        if key not in keys:
            raise ModelError(f"{where}: unknown key {key!r}; the keys are {', '.join(keys)}.")
        wanted = keys[key]
        ok = (
            isinstance(value, int | float) and not isinstance(value, bool)
            if wanted is float
            else isinstance(value, wanted) and (wanted is bool or not isinstance(value, bool))
        )
        if not ok:
            raise ModelError(f"{where}, key {key!r}: expected {_TYPE_NAMES[wanted]}, not {_shown(value)}.")
        if wanted is float and not _finite(value):
            raise ModelError(f"{where}, key {key!r}: the number must be finite, not {_shown(value)}.")
    return {k: float(v) if keys[k] is float else v for k, v in table.items()}


def _finite(number: int | float) -> bool:
    """Whether a number is finite as a float (a whole number too large for one is not)."""
    try:
        return math.isfinite(float(number))
    except OverflowError:
        return False


def _tables(data: dict, key: str, prefix: str) -> list[dict]:
    tables = data.get(key, [])
    for i, table in enumerate(tables):
        if not isinstance(table, dict):
            raise ModelError(f"{prefix}{key} entry {i + 1} is not a table; write it as [[{key}]].")
    return tables


def _criterion(table: dict, index: int, prefix: str) -> Criterion:
    where = f"{prefix}criterion {_shown(table.get('name', index))}"
    values = _checked(table, _CRITERION_KEYS, where)
    for required in ("name", "source"):
        if required not in values:
            raise ModelError(f"{where}: the key {required!r} is missing.")
    return Criterion(**values)


def _tier(table: dict, index: int, prefix: str) -> Tier:
    where = f"{prefix}tier {_shown(table.get('name', index))}"
    values = _checked(table, _TIER_KEYS, where)
    for required in ("name", "condition"):
        if required not in values:
            raise ModelError(f"{where}: the key {required!r} is missing.")
    return Tier(**values)


def _value_maps(data: dict, version: int, prefix: str) -> ValueMaps:
    """The `[value_maps."<column>"]` tables, every word and number checked."""
    tables = data.get("value_maps", {})
    if tables and version < VALUE_MAPS_VERSION:
        raise ModelError(
            f"{prefix}value_maps need schema_version {VALUE_MAPS_VERSION} or later; "
            f"this file says schema_version {version}.",
            hint=f"Write schema_version = {VALUE_MAPS_VERSION} at the top of the file.",
        )
    seen: dict[str, str] = {}
    for column, table in tables.items():
        where = f"{prefix}value map {column!r}"
        if not column.strip():
            raise ModelError(f"{prefix}a value map has an empty column name; name the column.")
        if column.strip().casefold() in seen:
            raise ModelError(
                f"{where}: there is already a value map for column {seen[column.strip().casefold()]!r} "
                "(column names are matched without regard to case); keep one."
            )
        seen[column.strip().casefold()] = column
        if not isinstance(table, dict):
            raise ModelError(
                f"{where} is not a table of words; write it as [value_maps.{_key(column)}] "
                "with one `word = number` a line."
            )
        words: dict[str, str] = {}
        for word, number in table.items():
            if not word.strip():
                raise ModelError(f"{where}: a word is empty; every key must be a word such as \"High\".")
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise ModelError(f"{where}, key {word!r}: expected a number, not {_shown(number)}.")
            checked_number(f"{where}, key {word!r}", number)
            folded = word_key(word)
            if folded in words:
                raise ModelError(
                    f"{where}, keys {words[folded]!r} and {word!r}: they are the same word "
                    "(case and spaces are ignored); keep one."
                )
            words[folded] = word
    return ValueMaps(tables)


def _schema_version(data: dict, prefix: str) -> int:
    version = data.get("schema_version")
    if version is None:
        raise ModelError(f"{prefix}this is not a Cutline model file: it has no schema_version.")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ModelError(f"{prefix}schema_version must be a whole number from 1 up, such as 2, not {_shown(version)}.")
    if version > SCHEMA_VERSION:
        raise ModelError(
            f"{prefix}this model file was written by a newer version of Cutline "
            f"(schema_version {version}); this version reads schema_version {SCHEMA_VERSION}.",
            hint="Update Cutline to open it, or save the model again from the newer version "
            "as an older schema.",
        )
    return version


def model_from_toml(text: str, *, source: str = "") -> ScoringModel:
    """A model from the text of a model file; `source` (a file name) prefixes error messages."""
    prefix = f"{source}: " if source else ""
    _check_size(len(text) if len(text) > MAX_FILE_BYTES else len(text.encode("utf-8", "surrogatepass")), prefix)
    _check_text_nesting(text, prefix)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ModelError(f"{prefix}this is not a valid TOML file: {error}.") from None
    except RecursionError:  # not reached after the nesting check; never a traceback all the same
        raise _too_deep(f"more than {MAX_TOML_NESTING}", prefix) from None
    _check_data_nesting(data, prefix)
    version = _schema_version(data, prefix)
    top = _checked(data, _TOP_KEYS, f"{prefix}the model")
    value_maps = _value_maps(data, version, prefix)
    criteria = tuple(
        _criterion(t, i + 1, prefix) for i, t in enumerate(_tables(data, "criteria", prefix))
    )
    tiers = tuple(_tier(t, i + 1, prefix) for i, t in enumerate(_tables(data, "tiers", prefix)))
    try:
        model = ScoringModel(
            criteria=criteria,
            tiers=tiers,
            tiers_enabled=top.get("tiers_enabled", True),
            name=top.get("name", "Default"),
            description=top.get("description", ""),
            value_maps=value_maps,
        )
        check_model(model)
    except FormulaError as error:
        raise reworded(error, prefix) from None
    except ModelError as error:
        raise ModelError(prefix + error.message, hint=error.hint) from None
    return model


def load_model(path: str | Path) -> ScoringModel:
    """Read a model file; every problem is a ModelError naming the file, criterion and key."""
    path = Path(path)
    try:
        with path.open("rb") as file:  # at most one byte past the limit, even from /dev/zero
            data = file.read(MAX_FILE_BYTES + 1)
            size = max(len(data), os.fstat(file.fileno()).st_size)
        _check_size(size if len(data) > MAX_FILE_BYTES else len(data), f"{path.name}: ")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(data) > 1 and b"\x00" in data[:2]):
            raise ModelError(f"{path.name}: this text is UTF-16; a model file is UTF-8.",
                             hint="Save it again as UTF-8 (in Notepad: Save as, Encoding UTF-8).")
        text = data.decode("utf-8-sig")  # Notepad's UTF-8 starts with a byte-order mark: skipped
    except FileNotFoundError:
        raise ModelError(f"There is no model file at {path}.") from None
    except UnicodeDecodeError:
        raise ModelError(f"{path.name}: this is not a text file (it is not UTF-8).") from None
    except OSError as error:
        raise ModelError(f"{path.name}: the file could not be read ({error.strerror}).") from None
    return model_from_toml(text, source=path.name)


# -- writing -----------------------------------------------------------------------------
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _number(value: float) -> str:
    value = float(value)
    if math.isfinite(value) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)  # also "inf", "-inf" and "nan", which TOML reads


_BARE_KEY = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _key(text: str) -> str:
    """A TOML key: bare when it is letters, digits, _ and - only, else in quotes."""
    return text if text and set(text) <= _BARE_KEY else _string(text)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    return _string(str(value))


def model_to_toml(model: ScoringModel) -> str:
    """The model as the text of a model file (schema_version 2)."""
    lines = [
        "# A Cutline scoring model. See docs/model-file.md for every key.",
        f"schema_version = {SCHEMA_VERSION}",
        f"name = {_string(model.name)}",
        f"description = {_string(model.description)}",
        f"tiers_enabled = {_value(model.tiers_enabled)}",
    ]
    for c in model.criteria:
        lines += ["", "[[criteria]]"]
        for key in _CRITERION_KEYS:
            value = getattr(c, key)
            if value is not None:
                lines.append(f"{key} = {_value(value)}")
    for t in model.tiers:
        lines += ["", "[[tiers]]"]
        lines += [f"{key} = {_value(getattr(t, key))}" for key in _TIER_KEYS]
    for column, value_map in model.value_maps.items():
        lines += ["", f"[value_maps.{_key(column)}]"]
        lines += [f"{_key(word)} = {_number(number)}" for word, number in value_map.items()]
    return "\n".join(lines) + "\n"


def save_model(model: ScoringModel, path: str | Path) -> None:
    """Write a model file; the model is checked first so a saved file always loads."""
    check_model(model)
    path = Path(path)
    try:
        path.write_text(model_to_toml(model), encoding="utf-8")
    except OSError as error:
        raise ModelError(f"{path.name}: the model could not be saved ({error.strerror}).") from None


# -- checking against a portfolio ------------------------------------------------------------
def validate_model(model: ScoringModel, portfolio: Portfolio, scorer: Scorer | None = None, *,
                   blank_criteria: bool = True) -> list[str]:
    """Raise ModelError for what cannot be scored on this portfolio; return warnings for the rest.
    `scorer` (of this portfolio) lends its columns; `blank_criteria` False leaves out "no
    initiative has a value" (for a caller that says which criteria have no data its own way)."""
    check_model(model)
    scorer = scorer if scorer is not None and scorer.portfolio is portfolio else Scorer(portfolio)
    warnings: list[str] = []
    maps = model.value_maps
    for c in model.criteria:
        raw = scorer.raw(c, maps)  # raises for an unknown source, a text column, a bad formula
        where = f"Criterion {c.name!r}"
        if c.formula and c.source != "formula":
            warnings.append(f"{where}: the formula is ignored because the source is {c.source!r}.")
        valued = ~np.isnan(raw)
        if blank_criteria and len(raw) and not valued.any():
            warnings.append(f"{where}: no initiative has a value, so it adds nothing to any score.")
        resolved = scorer.resolve(c.source)
        if c.source != "formula" and (resolved in portfolio.extra_columns or maps.for_column(resolved or "")):
            filled = scorer.column(resolved)  # type: ignore[arg-type]
            if filled.dtype == object:
                bad = int(((filled != "") & ~valued).sum())
                if bad and not valued.any() and not maps.for_column(resolved):  # type: ignore[arg-type]
                    raise ModelError(  # every cell a word: as for a text field, not a row of zeros
                        f"Criterion {c.name!r}, key 'source': the column {resolved!r} holds text; "
                        "a criterion needs numbers.",
                        hint="Give the column a value map to read its words as numbers.")
                if bad and maps.for_column(resolved):  # type: ignore[arg-type]
                    words = sorted(set(filled[(filled != "") & ~valued]))
                    shown = ", ".join(repr(w) for w in words[:5]) + (", ..." if len(words) > 5 else "")
                    warnings.append(
                        f"{where}: {bad} value(s) in column {resolved!r} are not numbers and not in "
                        f"its value map, so they count as blank: {shown}."
                    )
                elif bad:
                    warnings.append(
                        f"{where}: {bad} value(s) in column {resolved!r} are not numbers and count as blank."
                    )
        if c.normalisation == "scale":
            outside = int(((raw < c.low) | (raw > c.high)).sum())
            if outside:
                warnings.append(
                    f"{where}: {outside} value(s) lie outside {_number(c.low)}..{_number(c.high)} "
                    "and count as the nearest end."
                )
    for column, value_map in maps.items():
        if scorer.resolve(column) is None:
            warnings.append(f"Value map {column!r}: there is no column called {column!r}, so it is not used.")
        numeric = [w for w in value_map if _is_number(w)]
        if numeric:
            warnings.append(
                f"Value map {column!r}: {', '.join(repr(w) for w in numeric)} never apply, because "
                "a cell that holds a number keeps its number."
            )
    for t in model.active_tiers():
        if len(portfolio) and not scorer.tier_mask(t.name, t.condition).any():
            warnings.append(f"Tier {t.name!r}: no initiative meets its condition.")
    if model.criteria and sum(model.weights) == 0:
        warnings.append("Every weight is 0, so every initiative scores 0 and ranks by tier and row.")
    return warnings


def _is_number(text: str) -> bool:
    try:
        return not math.isnan(float(text))
    except ValueError:
        return False
