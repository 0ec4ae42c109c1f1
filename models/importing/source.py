"""What a source file is: its format, its sheets, and for CSV how its text was read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cutline.models.errors import SpreadsheetError

FORMATS: tuple[str, ...] = ("xlsx", "xlsm", "xls", "ods", "csv")
DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
DECIMAL_MARKS: tuple[str, ...] = (".", ",")
#: How each format is named in messages.
FORMAT_NAMES = {
    "xlsx": "an Excel workbook (xlsx)",
    "xlsm": "a macro-enabled Excel workbook (xlsm)",
    "xls": "an Excel 97-2003 workbook (xls)",
    "ods": "an OpenDocument spreadsheet (ods)",
    "csv": "a CSV text file",
}
#: File name endings expected for each format; others are read by content with a note.
SUFFIXES = {
    "xlsx": (".xlsx", ".xltx"),
    "xlsm": (".xlsm", ".xltm"),
    "xls": (".xls", ".xlt"),
    "ods": (".ods", ".ots"),
    "csv": (".csv", ".tsv", ".txt", ".tab"),
}


@dataclass(frozen=True)
class SheetInfo:
    """One sheet of a workbook, as a sheet picker lists it."""

    name: str
    hidden: bool = False


@dataclass(frozen=True)
class CsvOptions:
    """How to read a CSV file; None means detect it."""

    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None

    def __post_init__(self) -> None:
        if self.delimiter is not None and len(self.delimiter) != 1:
            raise SpreadsheetError(
                f"The column separator must be one character, not {self.delimiter!r}.",
                hint="Choose comma, semicolon, tab or |.",
            )
        if self.decimal is not None and self.decimal not in DECIMAL_MARKS:
            raise SpreadsheetError(
                f"The decimal mark must be '.' or ',', not {self.decimal!r}.",
            )
        if self.decimal is not None and self.decimal == self.delimiter:
            raise SpreadsheetError(
                "The decimal mark and the column separator cannot be the same character.",
                hint="With ',' between columns, use '.' as the decimal mark.",
            )
        if self.encoding is not None:
            import codecs

            try:
                codecs.lookup(self.encoding)
            except LookupError as exc:
                raise SpreadsheetError(
                    f"{self.encoding!r} is not a text encoding Cutline knows.",
                    hint="Try utf-8, cp1252 or utf-16.",
                ) from exc


@dataclass(frozen=True)
class SourceInfo:
    """A source file as detected from its content."""

    path: Path
    format: str
    size: int
    sheets: tuple[SheetInfo, ...] = ()
    default_sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    strict_ooxml: bool = False
    notes: tuple[str, ...] = ()

    @property
    def is_workbook(self) -> bool:
        return self.format != "csv"

    @property
    def sheet_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sheets)

    @property
    def csv_options(self) -> CsvOptions | None:
        """The detected CSV settings, for a dialog to show and let the user change."""
        if self.format != "csv":
            return None
        return CsvOptions(self.encoding, self.delimiter, self.decimal)

    def describe(self) -> str:
        """A short sentence: which format, and for CSV which encoding, separator and decimal mark."""
        text = FORMAT_NAMES[self.format]
        if self.format == "csv":
            sep = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "|"}.get(
                self.delimiter or ",", repr(self.delimiter))
            text += f", {self.encoding}, {sep}-separated, decimal mark '{self.decimal}'"
        return text[0].upper() + text[1:] + "."
