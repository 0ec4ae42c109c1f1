"""Exporting the roadmap: the Excel workbook and the ranked list as CSV."""

from models.export.checks import check_exportable
from models.export.columns import (
    COMPUTED_COLUMNS,
    POINTS_PREFIX,
    ROADMAP_HEADER_ROW,
    is_computed_header,
)
from models.export.csv_export import export_csv
from models.export.roadmap import ExportResult, export_roadmap
from models.export.safety import ExportIssue

__all__ = [
    "COMPUTED_COLUMNS",
    "POINTS_PREFIX",
    "ROADMAP_HEADER_ROW",
    "ExportIssue",
    "ExportResult",
    "check_exportable",
    "export_csv",
    "export_roadmap",
    "is_computed_header",
]
