"""What one slider drag costs on the GUI thread, and what it sets off: a file-backed window at
10,000 initiatives, 30 ticks sent by the model panel's slider between its press and release.

`python -m benchmarks.bench_drag` prints, as JSON, the median and shortest time of a tick's
synchronous part (until the panel's send returns: the journal write, the document's signals and
their listeners, the evaluation; painting comes after), its CPU time, and how often the drag
committed to SQLite, refreshed the actions, re-fed the model panel and rebuilt the scenario
chooser, with the time each took in all. Counting wraps those functions in this process only.
"""

from __future__ import annotations

import contextlib
import json
import statistics
import sys
import tempfile
import time

TICKS = 30


def _counted(counts: dict, spent: dict, name: str, fn):
    def wrapped(*args, **kwargs):
        counts[name] += 1
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] += (time.perf_counter() - start) * 1000.0
    return wrapped


def _counted_transaction(counts: dict, spent: dict, transaction):
    @contextlib.contextmanager
    def wrapped(*args, **kwargs):
        counts["commits"] += 1
        start = time.perf_counter()
        with transaction(*args, **kwargs) as cur:
            yield cur
        spent["commits"] += (time.perf_counter() - start) * 1000.0
    return wrapped


def drag(n: int = 10_000) -> dict:
    from benchmarks.bench_gui import _window_for
    from cutline.app.features.scoring import ScoringFeature
    from cutline.app.window import actions, main_window
    from cutline.models.workshop import disk as workshop_disk
    from cutline.views.model_panel import ModelPanel

    names = ("commits", "update_enabled", "show_model", "scenario_chooser")
    counts, spent = dict.fromkeys(names, 0), dict.fromkeys(names, 0.0)
    workshop_disk.transaction = _counted_transaction(counts, spent, workshop_disk.transaction)
    actions.update_enabled = _counted(counts, spent, "update_enabled", actions.update_enabled)
    ModelPanel.show_model = _counted(counts, spent, "show_model", ModelPanel.show_model)
    window_class = main_window.MainWindow
    window_class._show_scenarios = _counted(counts, spent, "scenario_chooser", window_class._show_scenarios)
    with tempfile.TemporaryDirectory() as folder:
        app, window = _window_for(n, folder)
        row = window.feature(ScoringFeature).panel.rows["dx"]
        counts.update(dict.fromkeys(names, 0))
        spent.update(dict.fromkeys(names, 0.0))
        wall, cpu = [], []
        row.slider.sliderPressed.emit()
        for i in range(TICKS):
            app.processEvents()
            start, start_cpu = time.perf_counter(), time.thread_time()
            row.slider.setValue(2 * (1 + (i % 5)))  # weights 1 to 5 in steps of 0.5
            row.flush()
            cpu.append((time.thread_time() - start_cpu) * 1000.0)
            wall.append((time.perf_counter() - start) * 1000.0)
        row.slider.sliderReleased.emit()
        app.processEvents()
        doc = window.document
        entries = [e for e in doc.journal() if e.kind == "weight"]
        return {
            "ticks": TICKS, "tick_ms_median": round(statistics.median(wall), 1),
            "tick_ms_min": round(min(wall), 1), "tick_cpu_ms_median": round(statistics.median(cpu), 1),
            **{f"{k}_count": v for k, v in counts.items()},
            **{f"{k}_ms_total": round(v, 1) for k, v in spent.items()},
            "undo_steps": doc.undo_stack.count(), "journal_entries": len(entries),
        }


if __name__ == "__main__":
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(json.dumps(drag(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)))
