"""Exporting the roadmap: the Excel workbook and the ranked list as CSV."""

from models.export.checks import check_exportable
from models.export.columns import (
    COMPUTED_COLUMNS,
    DEFAULT_KEYS,
    POINTS_PREFIX,
    ROADMAP_HEADER_ROW,
    column_choices,
    is_computed_header,
)
from models.export.csv_export import export_csv
from models.export.roadmap import ExportResult, export_roadmap
from models.export.safety import ExportIssue

__all__ = [
    "COMPUTED_COLUMNS",
    "DEFAULT_KEYS",
    "POINTS_PREFIX",
    "ROADMAP_HEADER_ROW",
    "ExportIssue",
    "ExportResult",
    "check_exportable",
    "column_choices",
    "export_csv",
    "export_roadmap",
    "is_computed_header",
]
