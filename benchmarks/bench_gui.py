"""The GUI with a real main window offscreen: a weight change until repainted, start-up, memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def _window_for(n: int):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QStandardPaths

    QStandardPaths.setTestModeEnabled(True)
    from cutline.app.display import PictureDisplay
    from cutline.app.document import WorkshopDocument
    from cutline.app.gui import make_application
    from cutline.app.main_window import MainWindow
    from cutline.app.prompts import UnattendedPrompts
    from cutline.app.settings import Settings
    from cutline.models.workshop.document import Workshop

    from benchmarks.common import portfolio_and_scenario

    app = make_application(offscreen=True)
    portfolio, scenario = portfolio_and_scenario(n)
    workshop = Workshop.new(portfolio, capacity=scenario.capacity)
    window = MainWindow(Settings(), prompts=UnattendedPrompts(), display=PictureDisplay())
    window.resize(1600, 1000)
    document = WorkshopDocument(workshop)
    window.set_document(document)
    window.show()
    app.processEvents()
    return app, window


def weight_change_ms(n: int, repeat: int = 5) -> float:
    """Median ms from a weight change until both the table and the value-effort chart have
    received a paint event (the window paints them when the event loop gets to them)."""
    from cutline.app import intents
    from cutline.views.charts.value_effort import ValueEffortChart
    from PySide6.QtCore import QEvent, QObject

    app, window = _window_for(n)
    doc = window.document
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
        intents.set_weight(doc, "dx", 1 + (i % 5))
        doc.wait_idle()
        while painted != watched:
            if time.perf_counter() - start > 30:
                raise RuntimeError("the table or the chart never repainted")
            app.processEvents()
        times.append((time.perf_counter() - start) * 1000.0)
    times = sorted(times[1:])
    return times[len(times) // 2]


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
        out = subprocess.run([sys.executable, "-m", "app", "--screenshot", tmp_png], check=True, env=env,
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
    return {"gui_weight_change": _in_subprocess(code)["ms"]}
