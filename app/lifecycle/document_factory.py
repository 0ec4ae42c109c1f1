"""Making the WorkshopDocument for what was opened, with its file (untitled ones in the data folder)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from cutline.app.document.workshop_document import WorkshopDocument
from cutline.app.lifecycle.loading import Loaded, load_path
from cutline.models.errors import CutlineError


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


def sample_workshop_path() -> Path:
    from importlib import resources

    return Path(str(resources.files("cutline.resources").joinpath("sample.cutline")))


def load_sample(*, keep_file: bool = True) -> Loaded:
    """A copy of the bundled sample workshop (three scenarios and a short decision log).

    The copy lives with the untitled workshops (or in a temporary folder for a screenshot),
    so the bundled file is never written to.
    """
    import shutil
    import tempfile

    from cutline.models.workshop.file import WorkshopFile

    if keep_file:
        target = untitled_path("Sample")
    else:
        target = Path(tempfile.mkdtemp(prefix="cutline-")) / "Sample.cutline"
    shutil.copyfile(sample_workshop_path(), target)
    file = WorkshopFile.open(target)
    return Loaded(file.workshop, file, [])


def document_for(loaded: Loaded, *, keep_file: bool, stem: str = "Untitled") -> WorkshopDocument:
    """A document over `loaded`; a spreadsheet gets an untitled file when `keep_file`."""
    file = loaded.file
    untitled = file is None
    if file is None and keep_file:
        from cutline.models.workshop.file import WorkshopFile

        file = WorkshopFile.create(untitled_path(stem), loaded.workshop)
    document = WorkshopDocument(loaded.workshop, file)
    document.untitled = untitled or _in_untitled_folder(file)
    if document.untitled:
        document.display_name = stem if stem != "Untitled" or file is None else untitled_stem(file.path)
    return document


def untitled_stem(path) -> str:
    """The name an untitled workshop's file was made from: "Q3 export" for
    "Q3 export 2026-05-02 101500 (2).cutline"."""
    stem = re.sub(r" \d{4}-\d{2}-\d{2} \d{6}( \(\d+\))?$", "", Path(path).stem)
    return stem or "Untitled"


def _in_untitled_folder(file) -> bool:
    if file is None:
        return False
    path = Path(file.path).resolve()
    return path.parent == untitled_folder().resolve() or path.parent.name.startswith("cutline-")


def open_at_start(options, *, keep_file: bool) -> tuple[WorkshopDocument, list[str]]:
    """The document for the command line: FILE, or the sample; a bad FILE falls back to the sample
    in the GUI (with the message) and is an error for a screenshot."""
    messages: list[str] = []
    if options.path is None:
        loaded, stem = load_sample(keep_file=keep_file), "Sample"
    else:
        try:
            loaded = load_path(Path(options.path), sheet=options.sheet, scenario=options.scenario)
            stem = Path(options.path).stem
        except CutlineError as exc:
            if not keep_file:
                raise
            messages.append(f"Could not open {options.path}: {exc.describe()}")
            loaded, stem = load_sample(keep_file=keep_file), "Sample"
    messages += loaded.warnings[:3]
    document = document_for(loaded, keep_file=keep_file, stem=stem)
    # A spreadsheet without a Capacity sheet: the window proposes one once it is shown.
    document.needs_capacity = bool(loaded.file is None and len(loaded.workshop.portfolio) > 0
                               and not len(loaded.workshop.current_scenario().capacity.table))
    return document, messages
