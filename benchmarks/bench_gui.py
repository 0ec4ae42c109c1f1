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
    from app.document import WorkshopDocument
    from app.gui import make_application
    from app.main_window import MainWindow
    from app.settings import Settings
    from benchmarks.common import portfolio_and_scenario
    from models.workshop import Workshop

    app = make_application(offscreen=True)
    portfolio, scenario = portfolio_and_scenario(n)
    workshop = Workshop.new(portfolio, capacity=scenario.capacity)
    window = MainWindow(Settings())
    window.setProperty("headless", True)
    window.resize(1600, 1000)
    document = WorkshopDocument(workshop)
    window.set_document(document)
    window.show()
    app.processEvents()
    return app, window


def weight_change_ms(n: int, repeat: int = 5) -> float:
    """Median ms from a weight change until the table and the visible chart have repainted."""
    from app import intents

    app, window = _window_for(n)
    doc = window.document
    times = []
    for i in range(repeat + 1):
        start = time.perf_counter()
        intents.set_weight(doc, "dx", 1 + (i % 5))
        doc.wait_idle()
        app.processEvents()
        window.repaint()
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


def startup_ms(tmp_png: str) -> float:
    """Wall time of `cutline --screenshot` on the sample: start, load, evaluate, paint, save."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "app", "--screenshot", tmp_png], check=True, env=env,
                   capture_output=True, timeout=120)
    return (time.perf_counter() - start) * 1000.0


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
