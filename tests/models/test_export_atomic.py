"""A failed export leaves the previous file as it was and says why in a sentence."""

from __future__ import annotations

import errno
import os
import stat

import pytest
from cutline.models.errors import ExportError
from cutline.models.export import atomic, export_csv, export_roadmap
from cutline.models.export.atomic import write_atomically

from tests.models import test_export_cases as case

OLD = b"the previous roadmap"


@pytest.fixture
def previous(tmp_path):
    path = tmp_path / "roadmap.xlsx"
    path.write_bytes(OLD)
    return path


def leftovers(folder) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_a_file_open_elsewhere_stays_as_it_was(previous, monkeypatch):
    def locked(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", locked)
    with pytest.raises(ExportError) as caught:
        export_roadmap(previous, [case.evaluation()])
    assert "open in another program" in str(caught.value) and "Close the file" in str(caught.value)
    assert previous.read_bytes() == OLD
    assert leftovers(previous.parent) == []


def test_a_full_disk_stays_as_it_was(previous, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(ExportError, match="not enough disk space"):
        export_csv(previous.with_suffix(".csv"), case.evaluation())
    with pytest.raises(ExportError, match="not enough disk space"):
        export_roadmap(previous, [case.evaluation()])
    assert previous.read_bytes() == OLD
    assert leftovers(previous.parent) == []


def test_a_folder_that_refuses_writing(tmp_path, monkeypatch):
    def refused(**kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refused)
    with pytest.raises(ExportError, match="may not write in the folder"):
        export_roadmap(tmp_path / "new.xlsx", [case.evaluation()])


def test_cancelling_through_progress_writes_nothing(previous):
    class Cancelled(Exception):
        pass

    def progress(done, total):
        raise Cancelled

    with pytest.raises(Cancelled):
        export_roadmap(previous, [case.evaluation()], progress=progress)
    assert previous.read_bytes() == OLD


def test_progress_runs_up_to_the_total(tmp_path):
    seen = []
    export_roadmap(tmp_path / "r.xlsx", [case.evaluation(), case.evaluation("B")], progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_paths_that_cannot_work(tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        write_atomically(tmp_path / "missing" / "r.xlsx", b"x")
    with pytest.raises(ExportError, match="is a folder"):
        write_atomically(tmp_path, b"x")
    with pytest.raises(ExportError, match=r"does not end in \.xlsx"):
        export_roadmap(tmp_path / "r.xls", [case.evaluation()])
    with pytest.raises(ExportError, match="no scenario"):
        export_roadmap(tmp_path / "r.xlsx", [])
    with pytest.raises(ExportError, match="Scenario number 3"):
        export_roadmap(tmp_path / "r.xlsx", [case.evaluation()], current=2)


def test_replacing_keeps_the_file_permissions(previous):
    os.chmod(previous, 0o640)
    export_roadmap(previous, [case.evaluation()])
    assert stat.S_IMODE(previous.stat().st_mode) == 0o640
    assert previous.read_bytes()[:2] == b"PK"
    assert leftovers(previous.parent) == []
