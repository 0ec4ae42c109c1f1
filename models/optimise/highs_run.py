"""One HiGHS model of the best plan, solved stage by stage, with warm starts, a time limit,
cancel and progress. The only module that imports the solver."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass

import numpy as np
from cutline.models.optimise.formulation import Layout, Rows

#: Proven gaps at or below this count as optimal (HiGHS's mip_rel_gap).
OPTIMAL_GAP = 1e-6


@dataclass(frozen=True)
class Progress:
    """What the solver has so far, for a progress bar: the stage (a tier, 1-based, of
    `stages`), the best objective found and the bound on it, and the seconds spent."""

    stage: int
    stages: int
    best: float
    bound: float
    seconds: float


@dataclass
class StageResult:
    values: np.ndarray | None
    objective: float
    bound: float
    status: str   # "optimal", "time limit", "cancelled", "infeasible"


class HighsModel:
    """The programme loaded once into HiGHS; each stage sets an objective and solves."""

    def __init__(self, layout: Layout, rows: Rows, *, threads: int = 1):
        import highspy

        self._hs = highspy
        h = self.h = _new_highs(highspy)
        h.silent()
        h.setOptionValue("mip_rel_gap", OPTIMAL_GAP)
        h.setOptionValue("threads", threads)
        # Probing in presolve took seconds on 1,000 initiatives with prerequisites for little gain.
        h.setOptionValue("presolve_rule_off", 1 << 15)
        h.setOptionValue("mip_heuristic_effort", 0.2)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = layout.columns, len(rows)
        lp.col_cost_ = np.zeros(layout.columns)
        lp.col_lower_ = np.array(layout.col_lo, dtype=float)
        lp.col_upper_ = np.array(layout.col_hi, dtype=float)
        lp.row_lower_ = np.array(rows.lo, dtype=float)
        lp.row_upper_ = np.array(rows.hi, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = layout.columns, len(rows)
        lp.a_matrix_.start_ = np.array(rows.start, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(rows.cols, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(rows.vals, dtype=float)
        lp.integrality_ = [highspy.HighsVarType.kInteger if k else highspy.HighsVarType.kContinuous
                           for k in layout.integer]
        lp.sense_ = highspy.ObjSense.kMaximize
        h.passModel(lp)
        self.columns = layout.columns
        self._listening = False
        self._stage = (1, 1)
        self._started = 0.0
        self._cancel = self._progress = None
        self._last_report = 0.0

    def add_at_least(self, cols: np.ndarray, vals: np.ndarray, lo: float) -> None:
        """A row sum(vals * cols) >= lo (a higher tier's achieved score, kept)."""
        self.h.addRow(lo, self._hs.kHighsInf, len(cols), np.asarray(cols, dtype=np.int32),
                      np.asarray(vals, dtype=float))

    def solve(self, cost: np.ndarray, *, seconds: float, start: np.ndarray | None, stage=(1, 1),
              cancel=None, progress=None, started: float | None = None) -> StageResult:
        h, hs = self.h, self._hs
        h.changeColsCost(self.columns, np.arange(self.columns, dtype=np.int32), np.asarray(cost, dtype=float))
        h.setOptionValue("time_limit", max(float(seconds), 0.01))
        self._stage, self._cancel, self._progress = stage, cancel, progress
        self._started = started if started is not None else time.perf_counter()
        if (cancel is not None or progress is not None) and not self._listening:
            h.cbMipInterrupt.subscribe(self._on_interrupt)
            h.cbMipImprovingSolution.subscribe(self._on_improved)
            if cancel is not None:  # a linear relaxation of 10,000 initiatives takes seconds
                h.cbSimplexInterrupt.subscribe(self._on_lp_interrupt)
                h.cbIpmInterrupt.subscribe(self._on_lp_interrupt)
            self._listening = True
        if start is not None:
            solution = hs.HighsSolution()
            solution.col_value = np.asarray(start, dtype=float)
            solution.value_valid = True
            h.setSolution(solution)
        h.run()
        model_status = h.getModelStatus()
        info = h.getInfo()
        ms = hs.HighsModelStatus
        if model_status == ms.kInfeasible:
            return StageResult(None, float("-inf"), float("-inf"), "infeasible")
        have = info.primal_solution_status == hs.SolutionStatus.kSolutionStatusFeasible
        values = np.array(h.getSolution().col_value) if have else None
        objective = float(info.objective_function_value) if have else float("-inf")
        bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else float("inf")
        if model_status == ms.kOptimal:
            status = "optimal"
            bound = min(bound, objective) if np.isfinite(objective) and bound < objective + 1e-9 else bound
        elif model_status == ms.kInterrupt:
            status = "cancelled"
        else:
            status = "time limit"
        return StageResult(values, objective, bound, status)

    # -- callbacks (on the solver's thread) -----------------------------------------------
    def _on_interrupt(self, event) -> None:
        if self._cancel is not None and self._cancel():
            event.interrupt()
        now = time.perf_counter()
        if self._progress is not None and now - self._last_report > 0.25:
            self._report(event, now)

    def _on_lp_interrupt(self, event) -> None:
        if self._cancel is not None and self._cancel():
            event.interrupt()

    def _on_improved(self, event) -> None:
        if self._progress is not None:
            self._report(event, time.perf_counter())

    def _report(self, event, now: float) -> None:
        self._last_report = now
        out = event.data_out
        stage, stages = self._stage
        try:
            self._progress(Progress(stage, stages, float(out.mip_primal_bound), float(out.mip_dual_bound),
                                    now - self._started))
        except Exception:  # a progress display must never stop the solver
            pass


_BANNER_SHOWN = False


def _new_highs(highspy):
    """A Highs object; the first one of a process prints a banner to the C stdout, which would
    corrupt `cutline optimise --json`, so it goes to /dev/null."""
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        return highspy.Highs()
    _BANNER_SHOWN = True
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:
        return highspy.Highs()
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
