"""A bare WorkshopDocument on a copy of the bundled sample: no window, no dialogs."""

import shutil

import pytest


@pytest.fixture
def sample_file(tmp_path):
    """The sample workshop's file, copied so the bundled one is never written."""
    from cutline.app.lifecycle.document_factory import sample_workshop_path
    from cutline.models.workshop.file import WorkshopFile

    target = tmp_path / "Sample.cutline"
    shutil.copyfile(sample_workshop_path(), target)
    file = WorkshopFile.open(target)
    yield file
    file.close()


@pytest.fixture
def document(qapp, sample_file):
    """A document over the sample that keeps no file: only its state, evaluation and undo."""
    from cutline.app.document.workshop_document import WorkshopDocument

    doc = WorkshopDocument(sample_file.workshop)
    doc.evaluate_now()
    yield doc
    doc.deleteLater()


@pytest.fixture
def filed_document(qapp, sample_file):
    """A document over the sample that writes every change to its file's decision log."""
    from cutline.app.document.workshop_document import WorkshopDocument

    doc = WorkshopDocument(sample_file.workshop, sample_file)
    doc.evaluate_now()
    yield doc
    doc.deleteLater()
