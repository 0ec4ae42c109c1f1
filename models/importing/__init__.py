"""Spreadsheet import: any sheet a PM brings (xlsx, xlsm, xls, ods, csv), mapped and validated.

The steps, for a dialog: `inspect_source` -> `read_raw` -> `suggest_mapping` -> `build_portfolio`.
In one call, for the CLI: `read_portfolio`. Fatal problems raise SpreadsheetError; problems in
cells are in the ImportReport. No Qt here.
"""

from cutline.models.importing.build import build_portfolio
from cutline.models.importing.conversions import Conversion, effort_conversion
from cutline.models.importing.grid import CellFlag
from cutline.models.importing.mapping import (
    COMPUTED_HEADERS,
    POINTS_PREFIX,
    SYNONYMS,
    ColumnMapping,
    field_for_header,
    guess_mapping,
    headers_key,
    is_computed_header,
    normalise_header,
)
from cutline.models.importing.reader import ImportResult, inspect_source, read_portfolio, read_raw
from cutline.models.importing.report import ERROR, WARNING, ImportIssue, ImportReport
from cutline.models.importing.safety import Limits, verify_xml_safety
from cutline.models.importing.source import CsvOptions, SheetInfo, SourceInfo
from cutline.models.importing.suggest import suggest_mapping
from cutline.models.importing.table import RawTable
from cutline.models.importing.values import IMPACT_WORDS

__all__ = [
    "COMPUTED_HEADERS", "ERROR", "IMPACT_WORDS", "POINTS_PREFIX", "SYNONYMS", "WARNING",
    "CellFlag", "ColumnMapping", "Conversion", "CsvOptions", "ImportIssue", "ImportReport", "ImportResult",
    "Limits", "RawTable", "SheetInfo", "SourceInfo",
    "build_portfolio", "effort_conversion", "field_for_header", "guess_mapping", "headers_key", "inspect_source",
    "is_computed_header", "normalise_header", "read_portfolio", "read_raw", "suggest_mapping",
    "verify_xml_safety",
]
