"""The room under load on loopback: participants rating at once from their own devices.

The room's server, its ledger and a real workshop file run in this process with a Qt event loop,
as in the window; the participants are threads of child processes (so that their own Python
does not compete for this process's GIL), each on one keep-alive connection, joining and then
sending one request per initiative with its ratings on every criterion. Reported: the p95 and
the longest response, the longest stall of the GUI event loop (a 5 ms QTimer probe) and the
ratings lost (those answered "saved" but missing from the workshop file afterwards; must be 0).
Traffic goes to 127.0.0.1 only, and every loop is bounded in count and time.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

CRITERIA = ("risk", "reliability", "security", "dx", "reach", "impact", "effort")
#: The participants are spread over this many processes, so that the clients' own Python (one
#: GIL per process) adds as little as it can to the times they measure.
CLIENT_PROCESSES = 4
#: The whole run stops after this long, whatever happens.
DEADLINE_S = 120.0


def run(size: int) -> dict[str, float]:
    """`size` participants rating 50 initiatives on 7 criteria at once."""
    out = load(participants=size, initiatives=50)
    if out["lost"] or out["failed"]:
        raise AssertionError(f"room load: {out['lost']} ratings lost, {out['failed']} requests failed")
    return {"room_p95": out["p95_ms"], "room_max_stall": out["max_stall_ms"]}


def load(participants: int = 40, initiatives: int = 50, criteria: tuple[str, ...] = CRITERIA,
         think_ms: float = 0.0) -> dict:
    """Run the load once; figures in milliseconds, counts of ratings. `think_ms` is how long each
    participant waits between two requests (0: as fast as the answers come, the worst case)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, QTimer

    from cutline.app.room.server import RoomServer
    from cutline.models.portfolio.portfolio import Portfolio
    from cutline.models.rating.round import RatingRound
    from cutline.models.room.ledger import RoomLedger
    from cutline.models.room.state import Room
    from cutline.models.workshop.document import Workshop
    from cutline.models.workshop.file import WorkshopFile

    QCoreApplication.instance() or QCoreApplication([])
    ids = [f"R-{i}" for i in range(initiatives)]
    with tempfile.TemporaryDirectory() as folder:
        portfolio = Portfolio.from_records([{"id": i, "title": f"Initiative {i}"} for i in ids])
        file = WorkshopFile.create(Path(folder) / "room.cutline", Workshop.new(portfolio))
        base = RatingRound.start(criteria, ids, [])
        room = Room(round_=base)
        ledger = RoomLedger(file.path, room, lambda r, people: {**base.to_dict(), "participants": list(people)})
        server = RoomServer(room, ledger, "127.0.0.1", 0)
        server.start()
        probe, clock, stalls, stalls_at = QTimer(), QElapsedTimer(), [0.0], [0]
        probe.setInterval(5)
        last = [0]

        def tick():
            now = clock.elapsed()
            if now - last[0] - 5 > stalls[0]:
                stalls[0], stalls_at[0] = now - last[0] - 5, now
            last[0] = now

        probe.timeout.connect(tick)
        clock.start()
        probe.start()
        children = [subprocess.Popen(
            [sys.executable, "-m", "benchmarks.bench_room", str(server.port), room.code,
             json.dumps(list(range(k, participants, CLIENT_PROCESSES))), json.dumps(ids),
             json.dumps(list(criteria)), str(think_ms)],
            stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
            for k in range(min(CLIENT_PROCESSES, participants))]
        result: dict = {"latencies_ms": [], "saved": 0, "failed": 0, "seconds": 0.0}

        def read_all():
            for child in children:
                part = json.loads(child.stdout.read() or "{}")
                result["latencies_ms"] += part.get("latencies_ms", [])
                result["saved"] += part.get("saved", 0)
                result["failed"] += part.get("failed", 1)
                result["seconds"] = max(result["seconds"], part.get("seconds", 0.0))

        reader = threading.Thread(target=read_all)
        reader.start()
        loop, started, watch = QEventLoop(), time.monotonic(), QTimer()
        watch.timeout.connect(lambda: (not reader.is_alive() or time.monotonic() - started > DEADLINE_S)
                              and loop.quit())
        watch.start(50)
        loop.exec()  # the window's event loop: it sleeps in Qt until there is something to do
        watch.stop()
        probe.stop()
        if reader.is_alive():
            for child in children:
                child.kill()
            reader.join(5)
        ledger.close()
        server.stop()
        kept = file.round_in_progress() or {}
        file.close()
    latencies = result.get("latencies_ms", [])
    saved = result.get("saved", 0)
    stored = len(kept.get("ratings", []))
    return {
        "participants": participants, "initiatives": initiatives, "criteria": len(criteria),
        "requests": len(latencies), "failed": result.get("failed", -1),
        "p95_ms": round(statistics.quantiles(latencies, n=20)[-1], 1) if len(latencies) > 1 else 0.0,
        "median_ms": round(statistics.median(latencies), 1) if latencies else 0.0,
        "max_ms": round(max(latencies), 1) if latencies else 0.0,
        "max_stall_ms": round(max(stalls[0], 0.0), 1), "stall_at_s": round(stalls_at[0] / 1000, 2), "saved": saved, "stored": stored,
        "lost": max(saved - stored, 0) + (participants * initiatives * len(criteria) - saved),
        "commits": ledger.commits, "longest_write_ms": round(ledger.longest_write_ms, 1), "seconds": round(result.get("seconds", 0.0), 2),
    }


# -- the participants (the child process) ---------------------------------------------------------
def _participant(port: int, code: str, n: int, ids: list, criteria: list, out: dict, lock,
                 think_s: float) -> None:
    # Each participant from an address of its own (127.0.0.2, ...), as phones on a Wi-Fi are,
    # so that the room's per-address limits apply as they would in a meeting room.
    source = (f"127.0.{(n + 2) // 250}.{(n + 2) % 250 or 250}", 0)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=source)
    headers = {"Content-Type": "application/json", "Host": f"127.0.0.1:{port}"}

    def post(path: str, body: dict, token: str = "") -> tuple[int, dict]:
        extra = {"Authorization": f"Bearer {token}"} if token else {}
        conn.request("POST", f"/api/{code}/{path}", json.dumps(body), {**headers, **extra})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")

    times, saved, failed = [], 0, 0
    try:
        status, answer = post("join", {"name": f"Participant {n}"})
        if status != 200:
            raise RuntimeError(answer)
        token = answer["token"]
        for k, ident in enumerate(ids):
            if think_s:
                time.sleep(think_s)
            ratings = [[ident, c, float((n + k + j) % 11)] for j, c in enumerate(criteria)]
            start = time.perf_counter()
            status, answer = post("rate", {"ratings": ratings}, token)
            times.append((time.perf_counter() - start) * 1000.0)
            if status == 200:
                saved += answer["saved"]
            else:
                failed += 1
    except (OSError, RuntimeError, KeyError, ValueError):
        failed += 1
    finally:
        conn.close()
    with lock:
        out["latencies_ms"] += times
        out["saved"] += saved
        out["failed"] += failed


def _clients(argv: list[str]) -> None:
    port, code, numbers = int(argv[0]), argv[1], json.loads(argv[2])
    ids, criteria, think_s = json.loads(argv[3]), json.loads(argv[4]), float(argv[5]) / 1000
    out, lock = {"latencies_ms": [], "saved": 0, "failed": 0}, threading.Lock()
    gate = threading.Barrier(len(numbers))

    def one(n: int) -> None:
        gate.wait(timeout=30)  # everyone starts at once
        _participant(port, code, n, ids, criteria, out, lock, think_s)

    threads = [threading.Thread(target=one, args=(n,)) for n in numbers]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(DEADLINE_S)
    out["seconds"] = time.perf_counter() - start
    print(json.dumps(out))


if __name__ == "__main__":
    if len(sys.argv) > 1:
        _clients(sys.argv[1:])
    else:  # the worst case, then phones at a (still brisk) pace of one answer each quarter second
        print(json.dumps({"at_once": load(), "one_answer_per_250ms": load(think_ms=250)}, indent=2))
