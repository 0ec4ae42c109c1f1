"""Exporting the roadmap: the Excel workbook and the ranked list as CSV."""

from cutline.models.export.checks import check_exportable
from cutline.models.export.columns import (
    COMPUTED_COLUMNS,
    DEFAULT_KEYS,
    POINTS_PREFIX,
    ROADMAP_HEADER_ROW,
    column_choices,
    is_computed_header,
)
from cutline.models.export.csv_export import export_csv
from cutline.models.export.roadmap import ExportResult, export_roadmap
from cutline.models.export.safety import ExportIssue

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
