"""Large synthetic Jira Cloud "Export Excel CSV (all fields)" files, for import benchmarks.

`write_jira_export(path, rows)` writes a file shaped like tests/fixtures/exports/jira_all_fields.csv
(see the README there for the sources of the layout): exactly 60 columns with Jira's own header
names, multi-valued fields written as repeated columns with the same header (`Component/s` x2,
`Labels` x3, `Watchers` x2, two `Inward` and two `Outward issue link (Blocks)`, `Sprint` x3,
`Comment` x2), dates as `03/Dec/26 9:15 AM`, estimates in seconds, multi-line descriptions with
commas and doubled quotes, RFC 4180 quoting only where needed, and CRLF after each record.

About 10% of rows are blocked by one or two earlier rows (`Inward issue link (Blocks)`), and each
blocker lists the rows it blocks (`Outward issue link (Blocks)`), so the links form no cycle. A few
rows are blocked by an issue that is not in the file, as real filtered exports are.

Every column is drawn with numpy in one pass; the same (rows, seed) always gives the same bytes.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

PROJECT = "PLAT"

#: The 60 header cells, in the order Jira writes them (system fields, then custom fields sorted
#: by name with Sprint among them, then comments).
HEADER: tuple[str, ...] = (
    "Summary", "Issue key", "Issue id", "Issue Type", "Status", "Project key", "Project name",
    "Project type", "Project lead", "Project description", "Project url", "Priority", "Resolution",
    "Assignee", "Reporter", "Creator", "Created", "Updated", "Last Viewed", "Resolved",
    "Fix Version/s", "Component/s", "Component/s", "Due date", "Votes", "Labels", "Labels", "Labels",
    "Description", "Environment", "Watchers", "Watchers", "Original Estimate", "Remaining Estimate",
    "Time Spent", "Work Ratio", "Σ Original Estimate", "Σ Remaining Estimate", "Σ Time Spent",
    "Security Level", "Inward issue link (Blocks)", "Inward issue link (Blocks)",
    "Outward issue link (Blocks)", "Outward issue link (Blocks)", "Outward issue link (Relates)",
    "Attachment", "Custom field (Epic Link)", "Custom field (Rank)", "Sprint", "Sprint", "Sprint",
    "Custom field (Start date)", "Custom field (Story Points)", "Custom field (Team)", "Parent",
    "Parent summary", "Status Category", "Status Category Changed", "Comment", "Comment",
)
assert len(HEADER) == 60

TEAMS = np.array(["Identity", "Data", "Observability", "Developer Tools", "Networking",
                  "Storage", "Compute", "Build & CI"])
COMPONENTS = np.array(["Auth", "IAM", "Warehouse", "Telemetry", "CI/CD", "Tooling", "Edge", "Mesh",
                       "Storage", "Scheduler"])
TYPES = np.array(["Story", "Task", "Bug", "Epic"])
TYPE_SHARE = (0.55, 0.28, 0.12, 0.05)
STATUSES = np.array(["Backlog", "To Do", "In Progress", "In Review", "Done"])
STATUS_SHARE = (0.25, 0.30, 0.2, 0.05, 0.2)
STATUS_CATEGORY = np.array(["To Do", "To Do", "In Progress", "In Progress", "Done"])
PRIORITIES = np.array(["Highest", "High", "Medium", "Low", "Lowest"])
PRIORITY_SHARE = (0.06, 0.27, 0.45, 0.17, 0.05)
PEOPLE = np.array(["Priya Raman", "Tomás Ortega", "Zoë Fischer", "Jürgen Weiß", "Amara Okafor",
                   "Hana Kobayashi", "Luis Moreno", "Sam Whitaker", "Noor Haddad", "Ingrid Larsen",
                   "Dev Patel", "Jordan Alvarez", "Mei Lin", "Olu Adeyemi", "Rafael Costa", ""])
VERBS = np.array(["Migrate", "Automate", "Harden", "Retire", "Instrument", "Upgrade", "Consolidate",
                  "Encrypt", "Self-service", "Scale", "Document", "Load-test"])
OBJECTS = np.array(["certificate renewal", "the API gateway", "preview environments",
                    "database failover", "the build cache", "service-to-service auth", "log shipping",
                    "DNS failover", "the \"legacy\" LDAP bridge", "secrets rotation",
                    "the metrics pipeline", "cluster autoscaling", "egress policies",
                    "schema migrations, backfills and replays"])
SUFFIXES = np.array(["", "", "", " for tier-1 services", " in eu-west", " (phase 2)", ", then delete the old path",
                     " before the freeze"])
LABELS = np.array(["", "security", "tech-debt", "reliability", "cost", "dx", "q1-commit", "k8s",
                   "customer-ask", "compliance", "oncall"])
SPRINTS = np.array([f"{PROJECT} Sprint {n}" for n in range(30, 48)])
POINTS = np.array(["", "1", "2", "3", "5", "8", "13", "0.5"])
POINT_SHARE = (0.18, 0.1, 0.16, 0.2, 0.18, 0.1, 0.06, 0.02)
DESC_FIRST = np.array([
    "Today this is done by hand, about once a week.",
    "Follow-up from the incident review, see the doc linked in the epic.",
    "Customer-visible: two tickets last month, one escalation.",
    "Audit finding; the auditors want evidence by the end of the quarter.",
    "Blocks the migration of the remaining services, as discussed in planning.",
])
DESC_SECOND = np.array([
    "Acceptance: runs unattended, alerts on failure, has a runbook.",
    "Out of scope: the \"old\" clusters, which are retired in Q3.",
    "Open question: who owns it after launch, platform or the product team?",
    "* step one: measure\n* step two: fix the top 3, by cost",
    "",
])
#: Atlassian account ids of PEOPLE (comments name their author by account id).
ACCOUNTS = np.array(["%024x" % (0x5b10ac8d82e05b22cc7d4ef5 + 7919 * i) for i in range(len(PEOPLE))])
MONTHS = np.array(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])


def _jira_dates(minutes: np.ndarray) -> np.ndarray:
    """Minutes since 1970 as Jira's default `dd/MMM/yy h:mm AM` (no zero-padded hour)."""
    stamps = minutes.astype("datetime64[m]")
    days = stamps.astype("datetime64[D]")
    months = stamps.astype("datetime64[M]")
    years = stamps.astype("datetime64[Y]").astype(np.int64) + 1970
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    month = months.astype(np.int64) % 12
    minute_of_day = (stamps - days.astype("datetime64[m]")).astype(np.int64)
    hour, minute = np.divmod(minute_of_day, 60)
    hour12 = np.where(hour % 12 == 0, 12, hour % 12)
    ampm = np.where(hour < 12, " AM", " PM")
    return np.char.add(np.char.add(np.char.add(np.char.add(np.char.add(np.char.add(np.char.add(
        np.char.zfill(day.astype(str), 2), "/"), MONTHS[month]), "/"),
        np.char.zfill((years % 100).astype(str), 2)), " "),
        np.char.add(np.char.add(hour12.astype(str), ":"), np.char.zfill(minute.astype(str), 2))), ampm)


def _pick(rng: np.random.Generator, values: np.ndarray, n: int, p=None) -> np.ndarray:
    return values[rng.choice(len(values), size=n, p=p)]


def _cat(*parts) -> np.ndarray:
    out = parts[0]
    for part in parts[1:]:
        out = np.char.add(out, part)
    return out


def write_jira_export(path: str | Path, rows: int, seed: int = 0) -> Path:
    """Write `rows` issues as a Jira "all fields" CSV export at `path`; returns the path."""
    path = Path(path)
    n = int(rows)
    if n < 0:
        raise ValueError(f"rows must be 0 or more, not {rows}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if n == 0:
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\r\n").writerow(HEADER)
        return path
    rng = np.random.default_rng(seed)
    empty = np.full(n, "", dtype=object)

    numbers = np.arange(1, n + 1) + 100
    keys = np.char.add(f"{PROJECT}-", numbers.astype(str))
    issue_ids = (10000 + numbers * 3 + rng.integers(0, 3, n)).astype(str)
    types = _pick(rng, TYPES, n, TYPE_SHARE)
    status_idx = rng.choice(len(STATUSES), size=n, p=STATUS_SHARE)
    statuses = STATUSES[status_idx]
    done = statuses == "Done"
    summaries = _cat(_pick(rng, VERBS, n), " ", _pick(rng, OBJECTS, n), _pick(rng, SUFFIXES, n))
    teams = _pick(rng, TEAMS, n)
    assignees = _pick(rng, PEOPLE, n)
    reporter_idx = rng.integers(0, len(PEOPLE) - 1, n)
    reporters = PEOPLE[reporter_idx]

    base = np.datetime64("2025-06-02T09:00", "m").astype(np.int64)
    created_m = base + rng.integers(0, 500 * 24 * 60, n)
    updated_m = created_m + rng.integers(60, 90 * 24 * 60, n)
    created = _jira_dates(created_m)
    updated = _jira_dates(updated_m)
    resolved = np.where(done, updated, "")
    viewed = np.where(rng.random(n) < 0.4, _jira_dates(updated_m + rng.integers(5, 600, n)), "")
    due_m = (created_m // (24 * 60) + rng.integers(20, 200, n)) * 24 * 60
    due = np.where(rng.random(n) < 0.6, _jira_dates(due_m), "")
    start = np.where(status_idx >= 2, np.char.partition(_jira_dates(created_m + 7 * 24 * 60), " ")[:, 0], "")

    components = _pick(rng, COMPONENTS, n)
    components2 = np.where(rng.random(n) < 0.3, _pick(rng, COMPONENTS, n), "")
    labels = [_pick(rng, LABELS, n) for _ in range(3)]
    labels[1] = np.where((labels[0] == "") | (labels[1] == labels[0]), "", labels[1])
    labels[2] = np.where((labels[1] == "") | (labels[2] == labels[1]) | (labels[2] == labels[0]), "", labels[2])

    points = _pick(rng, POINTS, n, POINT_SHARE)
    hours = rng.choice([2, 4, 8, 16, 24, 40], size=n)
    has_estimate = rng.random(n) < 0.55
    estimate_s = np.where(has_estimate, hours * 3600, 0)
    spent_s = np.where(done, estimate_s, np.where(status_idx >= 2, estimate_s // 3, 0))
    original = np.where(has_estimate, estimate_s.astype(str), "")
    remaining = np.where(has_estimate, (estimate_s - spent_s).astype(str), "")
    spent = np.where(has_estimate & (spent_s > 0), spent_s.astype(str), "")
    ratio = np.where(has_estimate, np.char.add((100 * spent_s // np.maximum(estimate_s, 1)).astype(str), "%"), "")

    second = _pick(rng, DESC_SECOND, n)
    descriptions = np.where(rng.random(n) < 0.15, "",
                            _cat(_pick(rng, DESC_FIRST, n), np.where(second == "", "", "\n\n"), second))

    sprint_count = np.where(status_idx >= 2, rng.integers(1, 4, n), np.where(rng.random(n) < 0.3, 1, 0))
    sprint_first = rng.integers(0, len(SPRINTS) - 3, n)
    sprints = [np.where(sprint_count > k, SPRINTS[sprint_first + k], "") for k in range(3)]

    # Blocks links: ~10% of rows wait on one or two earlier rows; a few on an issue not in the file.
    inward = [empty.copy(), empty.copy()]
    outward = [empty.copy(), empty.copy()]
    linked = np.flatnonzero(rng.random(n) < 0.10)
    linked = linked[linked > 0]
    blockers = (rng.random(len(linked)) * linked).astype(np.int64)
    inward[0][linked] = keys[blockers]
    two = linked[rng.random(len(linked)) < 0.25]
    if len(two):
        inward[1][two] = keys[(rng.random(len(two)) * two).astype(np.int64)]
    outside = linked[rng.random(len(linked)) < 0.05]
    inward[0][outside] = np.char.add(f"{PROJECT}-", rng.integers(1, 100, len(outside)).astype(str))
    for slot in (0, 1):  # the reverse side, at most two per blocker (Jira adds columns for more)
        targets = np.flatnonzero(inward[slot] != "")
        names = inward[slot][targets]
        inside = np.isin(names, keys)
        for target, name in zip(targets[inside], names[inside]):
            j = int(name[len(PROJECT) + 1:]) - 101
            if outward[0][j] == "":
                outward[0][j] = keys[target]
            elif outward[1][j] == "":
                outward[1][j] = keys[target]
    relates = np.where(rng.random(n) < 0.03, keys[rng.integers(0, n, n)], "")

    epics = np.flatnonzero(types == "Epic")
    if len(epics):
        epic_of = epics[rng.integers(0, len(epics), n)]
        has_epic = (types != "Epic") & (rng.random(n) < 0.7)
    else:
        epic_of = np.zeros(n, dtype=np.int64)
        has_epic = np.zeros(n, dtype=bool)
    epic_link = np.where(has_epic, keys[epic_of], "")
    parent = np.where(has_epic, issue_ids[epic_of], "")
    parent_summary = np.where(has_epic, summaries[epic_of], "")
    order = rng.permutation(n) + 1000
    rank = _cat("0|i", np.char.zfill(np.array([np.base_repr(v, 36).lower() for v in order.tolist()],
                                               dtype=str), 5), ":")

    watchers2 = np.where(rng.random(n) < 0.5, reporters, "")
    comment_mask = rng.random(n) < 0.35
    comments1 = np.where(comment_mask, _cat(updated, ";", ACCOUNTS[reporter_idx],
                                             ";Discussed in planning, keeping it in the quarter."), "")
    comments2 = np.where(comment_mask & (rng.random(n) < 0.3),
                         _cat(updated, ";", ACCOUNTS[reporter_idx], ";Still waiting on the vendor.\n"
                                                                          "They say \"end of month\", again."), "")

    const = lambda value: np.full(n, value, dtype=object)  # noqa: E731
    columns = [
        summaries, keys, issue_ids, types, statuses, const(PROJECT), const("Platform"), const("software"),
        const("Jordan Alvarez"), const("Platform engineering backlog"), empty, _pick(rng, PRIORITIES, n, PRIORITY_SHARE),
        np.where(done, "Done", ""), assignees, reporters, reporters, created, updated, viewed, resolved,
        np.where(rng.random(n) < 0.3, "2027.Q1", ""), components, components2, due, const("0"), *labels,
        descriptions, empty, np.where(assignees == "", reporters, assignees), watchers2, original, remaining,
        spent, ratio, original, remaining, spent, empty, *inward, *outward, relates, empty, epic_link, rank,
        *sprints, start, np.where(types == "Epic", "", points), teams, parent, parent_summary,
        STATUS_CATEGORY[status_idx], np.where(status_idx > 0, updated, ""), comments1, comments2,
    ]
    assert len(columns) == len(HEADER)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(zip(*(column.tolist() for column in columns)))
    return path
