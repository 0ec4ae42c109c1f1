"""Realistic synthetic portfolios of any size, with capacity, written as xlsx or csv.

Every column is drawn with numpy in one pass, so 100,000 initiatives take a fraction of a
second; only writing the file is per row. The same seed always gives the same portfolio.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from cutline.models.portfolio.portfolio import CANONICAL_FIELDS

CATEGORIES = (
    "reliability", "security", "unblocking", "developer-experience", "capability", "tech-debt",
)
CATEGORY_SHARE = (0.16, 0.16, 0.10, 0.16, 0.24, 0.18)
LAYERS = ("infrastructure", "core services", "enabling capabilities")
#: Chance of each layer per category (rows follow CATEGORIES): security work sits low, dx high.
LAYER_SHARE = np.array([
    [0.45, 0.40, 0.15],
    [0.50, 0.30, 0.20],
    [0.30, 0.40, 0.30],
    [0.10, 0.20, 0.70],
    [0.20, 0.40, 0.40],
    [0.40, 0.45, 0.15],
])
DOMAINS = (
    "Identity", "Observability", "Developer Platform", "Data Platform", "Networking",
    "Build & CI", "Storage", "Payments Platform", "Compute", "Messaging", "Search", "Edge",
    "ML Platform", "Mobile Platform", "Billing", "Security Engineering",
)
VERBS = (
    "Automate", "Migrate", "Harden", "Retire", "Self-service", "Scale", "Instrument",
    "Encrypt", "Upgrade", "Consolidate", "Multi-region", "Standardise",
)
OBJECTS = (
    "certificate renewal", "the API gateway", "preview environments", "database failover",
    "CI runners", "secrets delivery", "log retention", "the service catalogue",
    "Kafka topics", "backup restores", "edge rate limits", "build caching",
    "feature flags", "the schema registry", "on-call routing", "cost dashboards",
)
NOTES = (
    "Caused an outage last year.", "Audit finding due this year.", "Asked for by three teams.",
    "Vendor support ends soon.", "Manual today; takes a day each time.",
    "Cuts cloud spend.", "Prerequisite for the platform roadmap.",
)
STATUSES = ("proposed", "committed", "in progress")
STATUS_SHARE = (0.70, 0.20, 0.10)
SPONSORS = ("CTO", "CISO", "VP Engineering", "Head of Data", "Head of Payments", "CFO")
IMPACTS = (0.25, 0.5, 1.0, 2.0, 3.0)
IMPACT_SHARE = (0.10, 0.25, 0.35, 0.20, 0.10)
CONFIDENCES = (0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
CONFIDENCE_SHARE = (0.05, 0.15, 0.15, 0.20, 0.25, 0.15, 0.05)
#: Share of blank cells in the ratings and confidence, as in a half-filled sheet.
BLANK_SHARE = 0.03
#: How many prerequisites an initiative has (0 to 3): most have 2 or 3.
PREREQ_SHARE = (0.10, 0.10, 0.45, 0.35)
EXTRA_COLUMNS = ("Jira key", "Sponsor")


def team_names(teams: int) -> np.ndarray:
    """Team names like "Networking" or, past the first 16, "Networking 2"."""
    names = [
        DOMAINS[k % len(DOMAINS)] + ("" if k < len(DOMAINS) else f" {k // len(DOMAINS) + 1}")
        for k in range(teams)
    ]
    return np.array(names, dtype=object)


def quarter_labels(quarters: int, first_year: int = 2027) -> list[str]:
    """Consecutive quarters "2027-Q1", "2027-Q2", ... spilling into the next years."""
    return [f"{first_year + k // 4}-Q{k % 4 + 1}" for k in range(quarters)]


def synthetic_frame(n: int, *, teams: int = 200, seed: int = 0) -> pd.DataFrame:
    """A portfolio of n initiatives with canonical columns, then "Jira key" and "Sponsor".

    Prerequisites point only at earlier rows, so the dependency graph has no cycle.
    """
    if n < 0 or teams < 1:
        raise ValueError("n must be >= 0 and teams >= 1")
    rng = np.random.default_rng(seed)
    ids = _numbered("INI-", np.arange(1, n + 1), width=max(5, len(str(n))))
    names = team_names(teams)
    team = rng.choice(teams, size=n, p=_team_sizes(rng, teams))
    category = rng.choice(len(CATEGORIES), size=n, p=CATEGORY_SHARE)
    frame = {
        "id": ids,
        "title": _titles(rng, n),
        "team": names[team],
        "category": np.array(CATEGORIES, dtype=object)[category],
        "layer": np.array(LAYERS, dtype=object)[_layers(rng, category)],
        **_numbers(rng, n, category),
        "depends_on": _prerequisites(rng, ids),
        "unblocks": _unblocked_teams(rng, names, n),
        **_plans(rng, n),
        "Jira key": _numbered("PLAT-", rng.integers(1000, 100000, size=n)),
        "Sponsor": rng.choice(np.array(SPONSORS, dtype=object), size=n),
    }
    return pd.DataFrame(frame, columns=list(CANONICAL_FIELDS + EXTRA_COLUMNS))


def _numbered(prefix: str, numbers: np.ndarray, width: int = 5) -> np.ndarray:
    """Labels like "INI-00042" as an object array of str (numbers below 10**width)."""
    # Digits by arithmetic into a byte matrix, read back as fixed-width strings:
    # twice as fast as numpy's string functions, and fine with no rows at all.
    power = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    digits = (np.asarray(numbers, dtype=np.int64)[:, None] // power % 10 + ord("0"))
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    rows = np.empty((len(numbers), len(head) + width), dtype=np.uint8)
    rows[:, : len(head)] = head
    rows[:, len(head):] = digits
    return rows.view(f"S{rows.shape[1]}").ravel().astype(str).astype(object)


def _team_sizes(rng: np.random.Generator, teams: int) -> np.ndarray:
    """Share of initiatives per team: a few big teams, a long tail of small ones."""
    weights = rng.lognormal(0.0, 0.6, size=teams)
    return weights / weights.sum()


def _titles(rng: np.random.Generator, n: int) -> np.ndarray:
    verbs = np.array(VERBS, dtype=object)[rng.integers(len(VERBS), size=n)]
    objects = np.array(OBJECTS, dtype=object)[rng.integers(len(OBJECTS), size=n)]
    return verbs + " " + objects


def _layers(rng: np.random.Generator, category: np.ndarray) -> np.ndarray:
    """A layer per row drawn from its category's layer shares (inverse of the cumulative)."""
    cumulative = np.cumsum(LAYER_SHARE, axis=1)[category]
    return (rng.random(len(category))[:, None] > cumulative[:, :-1]).sum(axis=1)


def _numbers(rng: np.random.Generator, n: int, category: np.ndarray) -> dict[str, np.ndarray]:
    """reach, impact, confidence, effort and the four ratings, with a few blanks."""
    def rating(low: int, high: int, boost_for: str | None = None) -> np.ndarray:
        values = rng.integers(low, high + 1, size=n)
        if boost_for is not None:  # e.g. reliability work rates high on reliability
            values = values + np.where(category == CATEGORIES.index(boost_for), 4, 0)
        return np.minimum(values, 10).astype(np.float64)

    out = {
        "reach": np.clip(np.round(rng.lognormal(5.0, 1.2, size=n)), 1, 100_000),
        "impact": rng.choice(IMPACTS, size=n, p=IMPACT_SHARE),
        "confidence": rng.choice(CONFIDENCES, size=n, p=CONFIDENCE_SHARE),
        "effort": np.clip(np.round(rng.lognormal(1.8, 0.7, size=n) * 2) / 2, 0.5, 26.0),
        "risk": rng.binomial(10, 0.4, size=n).astype(np.float64),
        "reliability": rating(0, 6, "reliability"),
        "security": rating(0, 6, "security"),
        "dx": rating(0, 7, "developer-experience"),
    }
    for name in ("confidence", "risk", "reliability", "security", "dx"):
        out[name][rng.random(n) < BLANK_SHARE] = np.nan
    return out


def _prerequisites(rng: np.random.Generator, ids: np.ndarray) -> np.ndarray:
    """ "INI-00003, INI-00017" per row: up to three distinct ids of earlier rows."""
    n = len(ids)
    row = np.arange(n)
    wanted = np.minimum(rng.choice(len(PREREQ_SHARE), size=n, p=PREREQ_SHARE), row)
    picks = (rng.random((3, n)) * row).astype(np.int64)  # uniform over the earlier rows
    valid = np.arange(3)[:, None] < wanted
    valid[1] &= picks[1] != picks[0]
    valid[2] &= (picks[2] != picks[0]) & (picks[2] != picks[1])
    return _join(ids, picks, valid)


def _unblocked_teams(rng: np.random.Generator, names: np.ndarray, n: int) -> np.ndarray:
    """The teams a quarter of the initiatives say they unblock (one to three)."""
    count = np.where(rng.random(n) < 0.25, rng.integers(1, 4, size=n), 0)
    picks = rng.integers(len(names), size=(3, n))
    valid = np.arange(3)[:, None] < count
    valid[1] &= picks[1] != picks[0]
    valid[2] &= (picks[2] != picks[0]) & (picks[2] != picks[1])
    return _join(names, picks, valid)


def _join(labels: np.ndarray, picks: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Per column of picks, the valid labels joined with ", " ("" when none)."""
    out = np.full(picks.shape[1], "", dtype=object)
    for k in range(picks.shape[0]):
        mask = valid[k]
        label = labels[picks[k, mask]]
        current = out[mask]
        out[mask] = np.where(current == "", label, current + ", " + label)
    return out


def _plans(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """quarter, status and notes: committed work has a quarter, some proposals do too."""
    status = rng.choice(len(STATUSES), size=n, p=STATUS_SHARE)
    quarters = np.array(quarter_labels(4), dtype=object)[rng.integers(4, size=n)]
    planned = (status > 0) | (rng.random(n) < 0.10)
    notes = np.array(NOTES, dtype=object)[rng.integers(len(NOTES), size=n)]
    return {
        "quarter": np.where(planned, quarters, ""),
        "status": np.array(STATUSES, dtype=object)[status],
        "notes": np.where(rng.random(n) < 0.6, notes, ""),
    }


def synthetic_capacity(
    frame: pd.DataFrame, quarters: int = 4, fund_share: float = 0.66
) -> pd.DataFrame:
    """(team, quarter, capacity) funding fund_share of each team's effort, spread evenly."""
    demand = frame.groupby("team", sort=False)["effort"].sum()
    labels = quarter_labels(quarters)
    per_quarter = np.round(demand.to_numpy(np.float64) * fund_share / max(quarters, 1), 1)
    return pd.DataFrame({
        "team": np.repeat(demand.index.to_numpy(dtype=object), quarters),
        "quarter": np.tile(np.array(labels, dtype=object), len(demand)),
        "capacity": np.repeat(per_quarter, quarters),
    })


def write_xlsx(frame: pd.DataFrame, path: str | Path, capacity: pd.DataFrame | None = None) -> Path:
    """Write the portfolio (sheet "Initiatives") and capacity (sheet "Capacity") as xlsx.

    openpyxl's write-only mode streams rows to disk: several times faster than the normal
    mode, and memory stays flat however many rows there are.
    """
    from openpyxl import Workbook  # lazily: only the benchmarks write files

    path = Path(path)
    wb = Workbook(write_only=True)
    for title, table in (("Initiatives", frame), ("Capacity", capacity)):
        if table is None:
            continue
        ws = wb.create_sheet(title)
        ws.append([str(c) for c in table.columns])
        for row in zip(*(_cells(table[c]) for c in table.columns), strict=True):
            ws.append(row)
    wb.save(path)
    return path


def _cells(column: pd.Series) -> list:
    """A column as Python values for a sheet: None for blanks, int for whole numbers."""
    if pd.api.types.is_numeric_dtype(column):
        values = column.to_numpy(dtype=np.float64)
        blank = np.isnan(values)
        whole = np.all(values[~blank] == np.round(values[~blank]))
        cells = (np.where(blank, 0, values).astype(np.int64) if whole else values).astype(object)
    else:
        cells = column.to_numpy(dtype=object).copy()
        blank = pd.isna(cells) | (cells == "")
    cells[blank] = None
    return cells.tolist()


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write the portfolio as UTF-8 csv, blanks as empty fields."""
    path = Path(path)
    frame.to_csv(path, index=False, float_format="%.10g")  # 420, not 420.0
    return path
