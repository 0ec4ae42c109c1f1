"""Making the WorkshopDocument for what was opened, with its file (untitled ones in the data folder)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from app.document import WorkshopDocument
from app.loading import Loaded, load_path, load_spreadsheet, sample_path
from models.errors import CutlineError


def untitled_folder() -> Path:
    """Where untitled workshops live until saved (the app's data folder), offered for recovery."""
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    folder = Path(base or Path.home() / ".cutline") / "untitled"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def untitled_path(stem: str) -> Path:
    stamp = datetime.now().strftime("%Y-%m-%d %H%M%S")
    path = untitled_folder() / f"{stem} {stamp}.cutline"
    n = 2
    while path.exists():
        path = untitled_folder() / f"{stem} {stamp} ({n}).cutline"
        n += 1
    return path


def load_sample() -> Loaded:
    """The bundled sample with three scenarios, so comparison views are never empty."""
    loaded = load_spreadsheet(sample_path())
    workshop = loaded.workshop
    base = workshop.current_scenario()
    model = base.model
    reliability = model.with_weights({"reliability": 5, "security": 5})
    unblock = model.with_weights({"unblocking": 6, "rice": 1})
    lean = base.capacity
    table = lean.table.copy()
    table["capacity"] = (table["capacity"] * 0.8).round(1)
    lean = type(lean)(table, lean.guardrails)
    workshop = workshop.adding_scenario(replace(base, name="Reliability push", model=replace(
        reliability, name="Reliability push",
        description="Reliability and security weighted 5 instead of 3.")))
    workshop = workshop.adding_scenario(replace(base, name="Unblock first, lean quarter", capacity=lean,
                                                model=replace(unblock, name="Unblock first")))
    return Loaded(workshop, None, loaded.warnings, loaded.report)


def document_for(loaded: Loaded, *, keep_file: bool, stem: str = "Untitled") -> WorkshopDocument:
    """A document over `loaded`; a spreadsheet gets an untitled file when `keep_file`."""
    file = loaded.file
    untitled = file is None
    if file is None and keep_file:
        from models.workshop_file import WorkshopFile

        file = WorkshopFile.create(untitled_path(stem), loaded.workshop)
    document = WorkshopDocument(loaded.workshop, file)
    document.untitled = untitled
    return document


def open_at_start(options, *, keep_file: bool) -> tuple[WorkshopDocument, list[str]]:
    """The document for the command line: FILE, or the sample; a bad FILE falls back to the sample
    in the GUI (with the message) and is an error for a screenshot."""
    messages: list[str] = []
    if options.path is None:
        loaded, stem = load_sample(), "Sample"
    else:
        try:
            loaded = load_path(Path(options.path), sheet=options.sheet, scenario=options.scenario)
            stem = Path(options.path).stem
        except CutlineError as exc:
            if not keep_file:
                raise
            messages.append(f"Could not open {options.path}: {exc.describe()}")
            loaded, stem = load_sample(), "Sample"
    messages += loaded.warnings[:3]
    return document_for(loaded, keep_file=keep_file, stem=stem), messages
