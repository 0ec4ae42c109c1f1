"""CSV, TSV and text files: encoding, separator and decimal mark detected, then read by pandas."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from cutline.models.errors import SpreadsheetError
from cutline.models.importing.grid import Grid, blank_cells
from cutline.models.importing.safety import HEADER_ROOM, Limits
from cutline.models.importing.source import DELIMITERS, CsvOptions

_SAMPLE_CHARS = 1 << 16
_BOMS = (  # longest first: the UTF-32 LE mark starts like the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_SEP_LINE = re.compile(r"^sep=(.)\r?\n")  # Excel's "sep=;" first line
_COMMA_DECIMAL = re.compile(r"^-?\d+,\d+$")
_POINT_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_THOUSANDS_COMMA = re.compile(r"^-?\d{1,3}(,\d{3})+$")


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding used): the given encoding, else the BOM's, else utf-8, else cp1252."""
    if encoding:
        try:
            return _strip_bom(data.decode(encoding)), encoding
        except UnicodeDecodeError as exc:
            raise SpreadsheetError(
                f"The file is not valid {encoding} text (byte {exc.start + 1:,} cannot be read).",
                hint="Choose another encoding: utf-8, cp1252 or utf-16 are the usual ones.",
            ) from exc
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _strip_bom(data.decode(codec)), codec
            except UnicodeDecodeError:
                break
    if _nul_pattern(data):
        codec = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            pass
    for codec in ("utf-8", "cp1252", "latin-1"):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def _nul_pattern(data: bytes) -> bool:
    sample = data[:4096]
    return len(sample) >= 4 and sample.count(0) > 0.3 * len(sample)


@contextlib.contextmanager
def _fields_up_to(chars: int):
    """Let the csv module read fields as long as the text (its default stops at 131,072
    characters, and a longer field would be mistaken for thousands of columns)."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, min(chars + 1, 2**31 - 1)))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def sniff_delimiter(sample: str) -> str:
    """The separator among , ; tab | that splits the sample's lines most consistently."""
    match = _SEP_LINE.match(sample)
    if match and match.group(1) in DELIMITERS:
        return match.group(1)
    sample = _complete_lines(sample)
    best, best_key = ",", (0, 0, 0)
    for rank, delim in enumerate(DELIMITERS):
        try:
            with _fields_up_to(len(sample)):
                counts = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=delim) if r]
        except csv.Error:
            continue
        if not counts:
            continue
        mode, agree = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        key = (agree, mode, -rank)
        if key > best_key:
            best, best_key = delim, key
    return best


def sniff_decimal(sample: str, delimiter: str) -> str:
    """',' after a ';' separator (European Excel); '.' after ','; for tab and |, what the numbers show."""
    if delimiter == ";":
        return ","
    if delimiter == ",":
        return "."
    cells = [c.strip().strip('"') for line in sample.splitlines()[:200] for c in line.split(delimiter)]
    comma = sum(1 for c in cells if _COMMA_DECIMAL.match(c) and not _THOUSANDS_COMMA.match(c))
    point = sum(1 for c in cells if _POINT_DECIMAL.match(c))
    return "," if comma > point else "."


def _complete_lines(sample: str) -> str:
    """The sample without its last, possibly cut, line."""
    if len(sample) < _SAMPLE_CHARS:
        return sample
    cut = sample.rfind("\n")
    return sample[:cut] if cut > 0 else sample


def load_text(path: Path, limits: Limits, encoding: str | None = None) -> tuple[str, str]:
    """The file's text and the encoding used; the file size is checked by the caller."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SpreadsheetError(f"Cannot read {path.name}: {exc.strerror or exc}.") from exc
    text, used = decode(data, encoding)
    if not text.strip():
        raise SpreadsheetError(f"{path.name} holds no text, only blank space.",
                               hint="Choose the file that holds your initiatives.")
    return text, used


def detect_options(text: str, encoding: str, given: CsvOptions | None) -> CsvOptions:
    """Every CSV setting resolved: the user's where given, detected otherwise."""
    given = given or CsvOptions()
    sample = text[:_SAMPLE_CHARS]
    delimiter = given.delimiter or sniff_delimiter(sample)
    decimal = given.decimal or sniff_decimal(sample, delimiter)
    if decimal == delimiter:
        decimal = "." if delimiter == "," else ","
    return CsvOptions(encoding=given.encoding or encoding, delimiter=delimiter, decimal=decimal)


def read_grid(text: str, options: CsvOptions, limits: Limits, name: str) -> Grid:
    """The text's records as a grid of strings (blank cells NaN); row 1 is the first record."""
    delimiter = options.delimiter or ","
    match = _SEP_LINE.match(text)
    if match:
        text = text[match.end():]
    width = _width(text, delimiter)
    if width > limits.max_columns:  # before pandas allocates that many columns
        raise _too_wide(name, width, limits)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, header=None, names=range(width), dtype=str,
            keep_default_na=False, na_values=[""], skip_blank_lines=False, quotechar='"',
            engine="c", index_col=False,
        )
    except (pd.errors.ParserError, ValueError, csv.Error, MemoryError) as exc:
        raise SpreadsheetError(
            f"{name} cannot be read as CSV: {_parser_detail(exc)}.",
            hint="Check the separator and that every opening quote (\") has a closing one.",
        ) from exc
    cells = frame.to_numpy(dtype=object)
    used = ~blank_cells(cells)
    cols = np.flatnonzero(used.any(axis=0))
    if not cols.size:
        raise SpreadsheetError(f"{name} has no values in it.", hint="Choose the file that holds your initiatives.")
    cells = cells[:, : cols[-1] + 1]
    rows = np.flatnonzero(used.any(axis=1))
    cells = cells[: rows[-1] + 1]
    if cells.shape[0] > limits.max_rows + HEADER_ROOM:  # the table's own rows are checked later
        raise too_long(name, cells.shape[0], limits)
    if cells.shape[1] > limits.max_columns:
        raise _too_wide(name, cells.shape[1], limits)
    return Grid(cells=cells, first_row=1, first_col=0)


def _width(text: str, delimiter: str) -> int:
    """The most fields any record has (quotes honoured only when the text has any)."""
    if '"' not in text:
        return max(line.count(delimiter) for line in text.splitlines() or [""]) + 1
    try:
        with _fields_up_to(len(text)):
            return max(map(len, csv.reader(io.StringIO(text), delimiter=delimiter)), default=1) or 1
    except csv.Error:  # pandas reports the same problem with a better message
        return max(line.count(delimiter) for line in text.splitlines() or [""]) + 1


def _parser_detail(exc: BaseException) -> str:
    text = str(exc).strip().rstrip(".")
    text = text.replace("Error tokenizing data. C error: ", "")
    return text[:1].lower() + text[1:] if text else type(exc).__name__


def too_long(name: str, rows: int, limits: Limits) -> SpreadsheetError:
    return SpreadsheetError(
        f"{name} has {rows:,} rows; Cutline reads up to {limits.max_rows:,} below the header "
        f"(and {HEADER_ROOM:,} above it).",
        hint="Keep only the rows with initiatives and save a new file.",
    )


def _too_wide(name: str, cols: int, limits: Limits) -> SpreadsheetError:
    return SpreadsheetError(
        f"{name} has {cols:,} columns; Cutline reads up to {limits.max_columns:,}.",
        hint="Remove the columns you do not need, or check the column separator.",
    )
