"""The GUI with a real main window offscreen: a weight change until repainted, start-up, memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def _window_for(n: int, folder: str | None = None):
    """A main window showing n initiatives; with `folder`, kept in a workshop file there."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QStandardPaths

    QStandardPaths.setTestModeEnabled(True)
    from benchmarks.common import portfolio_and_scenario
    from cutline.app.document.workshop_document import WorkshopDocument
    from cutline.app.lifecycle.start import make_application
    from cutline.app.prompts import UnattendedPrompts
    from cutline.app.settings import Settings
    from cutline.app.window.display import PictureDisplay
    from cutline.app.window.main_window import MainWindow
    from cutline.models.workshop.document import Workshop
    from cutline.models.workshop.file import WorkshopFile

    app = make_application(offscreen=True)
    portfolio, scenario = portfolio_and_scenario(n)
    workshop = Workshop.new(portfolio, capacity=scenario.capacity)
    window = MainWindow(Settings(), prompts=UnattendedPrompts(), display=PictureDisplay())
    window.resize(1600, 1000)
    file = None if folder is None else WorkshopFile.create(os.path.join(folder, "bench.cutline"), workshop)
    document = WorkshopDocument(workshop, file)
    window.set_document(document)
    window.show()
    app.processEvents()
    return app, window


def weight_change_ms(n: int, repeat: int = 5, *, folder: str | None = None, drag: bool = False) -> float:
    """Median ms from a weight change until both the table and the value-effort chart have
    received a paint event (the window paints them when the event loop gets to them).

    With `folder`, the workshop is kept in a file there (each change is committed to it); with
    `drag`, the changes are the ticks of one slider drag, sent by the model panel's slider
    (pressed once, moved, each move sent at once instead of after the panel's 40 ms timer).
    """
    from PySide6.QtCore import QEvent, QObject

    from cutline.app.document import intents
    from cutline.views.charts.value_effort import ValueEffortChart

    app, window = _window_for(n, folder)
    doc = window.document
    row = _criterion_row(window, "dx")
    if drag:
        row.slider.sliderPressed.emit()
    watched = {window.table.viewport(), window.findChild(ValueEffortChart).plot_widget.viewport()}
    painted: set = set()

    class PaintWatch(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and obj in watched:
                painted.add(obj)
            return False

    watch = PaintWatch()
    for widget in watched:
        widget.installEventFilter(watch)
    times = []
    for i in range(repeat + 1):
        app.processEvents()
        painted.clear()
        start = time.perf_counter()
        if drag:
            row.slider.setValue(2 * (1 + (i % 5)))  # steps of 0.5
            row.flush()
        else:
            intents.set_weight(doc, "dx", 1 + (i % 5))
        doc.wait_idle()
        while painted != watched:
            if time.perf_counter() - start > 30:
                raise RuntimeError("the table or the chart never repainted")
            app.processEvents()
        times.append((time.perf_counter() - start) * 1000.0)
    times = sorted(times[1:])
    return times[len(times) // 2]


def _criterion_row(window, name: str):
    from cutline.app.features.scoring import ScoringFeature

    return window.feature(ScoringFeature).panel.rows[name]


def _in_subprocess(code: str) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=900)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def startup_ms(tmp_png: str, repeat: int = 5) -> tuple[float, float]:
    """Medians of `cutline --screenshot` on the sample: from the process starting until the window
    is painted (as Cutline reports it), and the whole process (also saving the PNG and exiting)."""
    import re
    import statistics

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CUTLINE_STARTUP_TRACE="1")
    painted, whole = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "cutline.app", "--screenshot", tmp_png], check=True, env=env,
                             capture_output=True, text=True, timeout=120)
        whole.append((time.perf_counter() - start) * 1000.0)
        painted.append(float(re.search(r"window painted (\d+) ms", out.stderr).group(1)))
    return statistics.median(painted), statistics.median(whole)


def memory_mb(n: int) -> float:
    """Peak resident memory (MB) of a process showing a main window with n initiatives."""
    code = (
        "import json, resource\n"
        "from benchmarks.bench_gui import _window_for\n"
        f"app, window = _window_for({n})\n"
        "window.repaint(); app.processEvents()\n"
        "print(json.dumps({'mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    return _in_subprocess(code)["mb"]


def run(n: int) -> dict[str, float]:
    code = ("import json\nfrom benchmarks.bench_gui import weight_change_ms\n"
            f"print(json.dumps({{'ms': weight_change_ms({n})}}))\n")
    in_file = ("import json, tempfile\nfrom benchmarks.bench_gui import weight_change_ms\n"
               "with tempfile.TemporaryDirectory() as folder:\n"
               f"    print(json.dumps({{'ms': weight_change_ms({n}, 9, folder=folder, drag=True)}}))\n")
    return {"gui_weight_change": _in_subprocess(code)["ms"],
            "gui_weight_drag_in_file": _in_subprocess(in_file)["ms"]}
