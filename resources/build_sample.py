"""Build resources/sample_portfolio.xlsx, the platform portfolio Cutline opens on first start.

The data is below as plain Python so that a change to the sample is a readable diff; run
`python resources/build_sample.py` to rewrite the xlsx (byte for byte the same on every run).
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "sample_portfolio.xlsx"

COLUMNS = (
    "id", "title", "team", "category", "layer",
    "reach", "impact", "confidence", "effort",
    "risk", "reliability", "security", "dx",
    "depends_on", "unblocks", "quarter", "status", "notes",
    "Jira key", "Sponsor",
)
QUARTERS = ("2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4")
#: Share of a year's capacity each quarter brings (Q4 loses weeks to holidays and freezes).
QUARTER_WEIGHTS = (1.0, 1.0, 1.05, 0.85)
#: How much of its own demand each team can fund this year: some teams are stretched thinner.
FUNDED_SHARE = {
    "Identity": 0.90, "Observability": 0.70, "Developer Platform": 0.55, "Data Platform": 0.45,
    "Networking": 0.85, "Build & CI": 0.70, "Storage": 0.70, "Payments Platform": 0.50,
}
#: The date the sample claims to be written on, fixed so that every run writes the same bytes.
FIXED_DATE = datetime(2026, 11, 2, 9, 0, 0)
INS, CORE, ENABLE = "infrastructure", "core services", "enabling capabilities"


def initiative(ident, title, category, layer, *, reach, impact, confidence, effort, risk,
               reliability, security, dx, needs="", unblocks="", quarter="", status="proposed",
               jira, notes, sponsor=None):
    """One row of the sample; None is a blank cell, as a PM leaves it."""
    return {
        "id": ident, "title": title, "category": category, "layer": layer,
        "reach": reach, "impact": impact, "confidence": confidence, "effort": effort,
        "risk": risk, "reliability": reliability, "security": security, "dx": dx,
        "depends_on": needs, "unblocks": unblocks, "quarter": quarter, "status": status,
        "notes": notes, "Jira key": jira, "Sponsor": sponsor,
    }


# Reach is engineers, services or databases touched per quarter; effort is person-weeks.
TEAMS = [
    ("Identity", "CISO", [
        initiative("PLT-101", "Rotate root CA and automate cert renewal", "security", INS,
                   reach=420, impact=3, confidence=0.9, effort=8, risk=6, reliability=8,
                   security=10, dx=3, unblocks="Networking, Payments Platform, Storage",
                   quarter="2027-Q1", status="committed", jira="IAM-412",
                   notes="Root CA expires Nov 2027; manual renewals caused two outages last year."),
        initiative("PLT-102", "Workload identity for services (SPIFFE IDs)", "security", CORE,
                   reach=420, impact=2, confidence=0.7, effort=12, risk=5, reliability=5,
                   security=9, dx=5, needs="PLT-101",
                   unblocks="Networking, Data Platform, Payments Platform, Storage, Developer Platform",
                   quarter="2027-Q2", jira="IAM-418",
                   notes="Replaces long-lived service account keys; mesh mTLS needs it."),
        initiative("PLT-103", "SSO for internal tools via OIDC", "security", ENABLE,
                   reach=1800, impact=1, confidence=0.9, effort=4, risk=2, reliability=2,
                   security=7, dx=6, unblocks="Developer Platform, Observability",
                   quarter="2027-Q1", status="committed", jira="IAM-377",
                   notes="Nine internal tools still keep local passwords."),
        initiative("PLT-104", "Short-lived database credentials from the vault", "security", CORE,
                   reach=160, impact=2, confidence="80%", effort=6, risk=4, reliability=4,
                   security=9, dx=4, needs="PLT-102",
                   unblocks="Data Platform, Storage, Payments Platform", jira="IAM-421",
                   notes="Static database passwords were the top finding of the last pen test."),
        initiative("PLT-105", "Self-service API keys with scopes and expiry",
                   "developer-experience", ENABLE,
                   reach=950, impact=1, confidence=0.6, effort=5, risk=3, reliability=1,
                   security=6, dx=8, needs="PLT-103", unblocks="Developer Platform",
                   jira="IAM-430", sponsor="VP Engineering",
                   notes="Keys are issued by ticket today; the median wait is 3 days."),
        initiative("PLT-106", "Retire the legacy LDAP bind service", "tech-debt", INS,
                   reach=60, impact=0.5, confidence=0.8, effort=7, risk=5, reliability=4,
                   security=6, dx=2, needs="PLT-103", jira="IAM-298",
                   notes="Last consumers are the wiki and two build agents."),
        initiative("PLT-107", "Fine-grained authorisation service (policy as code)",
                   "unblocking", CORE,
                   reach=300, impact="high", confidence=0.5, effort=18, risk=7, reliability=3,
                   security=8, dx=6, needs="PLT-102",
                   unblocks="Payments Platform, Data Platform, Developer Platform",
                   jira="IAM-440", sponsor="CTO",
                   notes="Every team re-implements permission checks; one shared OPA service."),
        initiative("PLT-108", "Audit log of admin actions for SOC 2", "security", ENABLE,
                   reach=120, impact=1, confidence=0.9, effort=3, risk=2, reliability=2,
                   security=8, dx=1, needs="PLT-113", unblocks="Payments Platform",
                   quarter="2027-Q1", status="committed", jira="IAM-402",
                   notes="Auditors flagged the missing trail for console changes."),
    ]),
    ("Observability", "VP Engineering", [
        initiative("PLT-111", "Unified OpenTelemetry collector fleet", "capability", INS,
                   reach=380, impact=2, confidence=0.8, effort=10, risk=4, reliability=7,
                   security=2, dx=6,
                   unblocks="Developer Platform, Payments Platform, Data Platform, Networking",
                   quarter="2027-Q1", status="committed", jira="OBS-210",
                   notes="Three agents today; one pipeline cuts cost and closes gaps."),
        initiative("PLT-112", "SLO dashboards and burn-rate alerts for tier-1 services",
                   "reliability", ENABLE,
                   reach=45, impact=2, confidence=0.9, effort=5, risk=2, reliability=9,
                   security=1, dx=5, needs="PLT-111",
                   unblocks="Payments Platform, Networking, Storage",
                   quarter="2027-Q1", status="committed", jira="OBS-214",
                   notes="Customers noticed 4 of the last 7 tier-1 outages before we did."),
        initiative("PLT-113", "Central log retention and search (90 days)", "capability", CORE,
                   reach=380, impact=1, confidence=0.7, effort=9, risk=4, reliability=5,
                   security=6, dx=5, needs="PLT-111", unblocks="Identity, Payments Platform",
                   jira="OBS-188", notes="Needed for audits and incident forensics."),
        initiative("PLT-114", "Distributed tracing across the API gateway", "capability", ENABLE,
                   reach=210, impact=1, confidence=0.6, effort=6, risk=3, reliability=6,
                   security=1, dx=7, needs="PLT-111, PLT-142",
                   unblocks="Payments Platform, Developer Platform", jira="OBS-222",
                   notes="Latency investigations take days without cross-service traces."),
        initiative("PLT-115", "Alert noise reduction and on-call routing", "reliability", ENABLE,
                   reach=140, impact=1, confidence=0.8, effort=4, risk=1, reliability=7,
                   security=0, dx=6, quarter="2027-Q2", jira="OBS-230",
                   notes="40% of pages last quarter were not actionable."),
        initiative("PLT-116", "Metrics cardinality limits and cost guardrails", "tech-debt", INS,
                   reach=380, impact=0.5, confidence=0.7, effort=5, risk=3, reliability=5,
                   security=0, dx=3, needs="PLT-111", jira="OBS-195",
                   notes="The metrics bill grew 60% year on year."),
        initiative("PLT-117", "Synthetic checks for the login and checkout journeys",
                   "reliability", ENABLE,
                   reach=30, impact=1, confidence=0.9, effort=3, risk=1, reliability=8,
                   security=1, dx=2, needs="PLT-112", unblocks="Payments Platform, Identity",
                   quarter="2027-Q2", jira="OBS-233",
                   notes="Catch login and checkout regressions before customers do."),
        initiative("PLT-118", "Continuous profiling in production", "developer-experience",
                   ENABLE,
                   reach=210, impact=0.5, confidence=None, effort=6, risk=3, reliability=4,
                   security=0, dx=7, needs="PLT-111", jira="OBS-240",
                   notes="Confidence not rated yet: waiting on the vendor trial."),
    ]),
    ("Developer Platform", "VP Engineering", [
        initiative("PLT-121", "Self-service ephemeral preview environments",
                   "developer-experience", ENABLE,
                   reach=950, impact=2, confidence=0.7, effort=14, risk=5, reliability=2,
                   security=2, dx=10, needs="PLT-152, PLT-163",
                   unblocks="Payments Platform, Data Platform, Identity", jira="DEVP-501",
                   notes="Shared staging is booked solid; teams wait days to test a branch."),
        initiative("PLT-122", "Golden-path service template with CI, alerts and runbook",
                   "developer-experience", ENABLE,
                   reach=950, impact=1, confidence=0.9, effort=6, risk=2, reliability=5,
                   security=4, dx=9, needs="PLT-112, PLT-151",
                   unblocks="Payments Platform, Data Platform, Networking, Storage",
                   quarter="2027-Q1", status="committed", jira="DEVP-488",
                   notes="A new service takes 3 weeks to reach production readiness."),
        initiative("PLT-123", "Service catalogue with owners and tiers", "capability", ENABLE,
                   reach=950, impact=1, confidence=0.8, effort=8, risk=3, reliability=4,
                   security=3, dx=8, unblocks="Observability, Identity, Networking",
                   quarter="2027-Q1", status="in progress", jira="DEVP-470",
                   notes="Incident commanders cannot find an owner for 30% of services."),
        initiative("PLT-124", "Kubernetes 1.31 upgrade across all clusters", "tech-debt", INS,
                   reach=420, impact=2, confidence=0.8, effort=10, risk=7, reliability=8,
                   security=7, dx=2,
                   unblocks="Networking, Storage, Data Platform, Build & CI, Observability",
                   quarter="2027-Q1", status="committed", jira="DEVP-455", sponsor="CTO",
                   notes="1.28 leaves vendor support in March; the mesh upgrade waits on it."),
        initiative("PLT-125", "Secrets injection for workloads from the vault", "security", CORE,
                   reach=420, impact=1, confidence=0.7, effort=5, risk=4, reliability=3,
                   security=9, dx=6, needs="PLT-102",
                   unblocks="Payments Platform, Data Platform", jira="DEVP-510",
                   sponsor="CISO", notes="Takes secrets out of environment files in repos."),
        initiative("PLT-126", "Autoscaling defaults and right-sizing recommendations",
                   "capability", CORE,
                   reach=420, impact=0.5, confidence=0.6, effort=7, risk=3, reliability=6,
                   security=0, dx=5, needs="PLT-111", jira="DEVP-515",
                   notes="Clusters run at 28% average CPU."),
        initiative("PLT-127", "Search across the developer portal docs",
                   "developer-experience", ENABLE,
                   reach=950, impact=0.5, confidence=0.8, effort=3, risk=1, reliability=0,
                   security=0, dx=7, needs="PLT-123", jira="DEVP-520",
                   notes="Docs are spread over the wiki, READMEs and Slack."),
        initiative("PLT-128", "Deprecate the legacy Capistrano deploy scripts", "tech-debt", INS,
                   reach=35, impact=0.5, confidence=0.9, effort=4, risk=4, reliability=5,
                   security=3, dx=4, needs="PLT-153", unblocks="Payments Platform",
                   jira="DEVP-431",
                   notes="35 services still deploy with an unmaintained Ruby toolchain."),
    ]),
    ("Data Platform", "Head of Data", [
        initiative("PLT-131", "Managed Kafka with a schema registry", "unblocking", CORE,
                   reach=140, impact=2, confidence=0.7, effort=16, risk=6, reliability=6,
                   security=3, dx=6, needs="PLT-124, PLT-162",
                   unblocks="Payments Platform, Observability, Developer Platform",
                   jira="DATA-301",
                   notes="Five teams run their own brokers; two lost data last year."),
        initiative("PLT-132", "Change data capture from Postgres to the lake", "capability",
                   ENABLE,
                   reach=60, impact=1, confidence=0.6, effort=9, risk=5, reliability=3,
                   security=2, dx=5, needs="PLT-131", unblocks="Payments Platform",
                   jira="DATA-312",
                   notes="Replaces nightly dumps; analysts get data an hour old, not a day."),
        initiative("PLT-133", "PII tagging and column-level masking in the warehouse",
                   "security", ENABLE,
                   reach=300, impact=2, confidence=0.8, effort=8, risk=4, reliability=1,
                   security=9, dx=2, needs="PLT-107", unblocks="Payments Platform",
                   quarter="2027-Q2", jira="DATA-290", sponsor="CISO",
                   notes="Closes the GDPR data-minimisation finding."),
        initiative("PLT-134", "Warehouse cost attribution per team", "capability", ENABLE,
                   reach=45, impact=0.5, confidence=0.8, effort=4, risk=1, reliability=0,
                   security=0, dx=3, jira="DATA-320",
                   notes="Finance asks every quarter; today it is a manual estimate."),
        initiative("PLT-135", "Backfill tooling with idempotent jobs", "reliability", CORE,
                   reach=60, impact=1, confidence=0.7, effort=6, risk=3, reliability=7,
                   security=1, dx=5, needs="PLT-132", jira="DATA-325",
                   notes="Backfills are run by hand and double-count events."),
        initiative("PLT-136", "Migrate Airflow 1 DAGs to Airflow 2", "tech-debt", CORE,
                   reach=420, impact=1, confidence=0.9, effort=12, risk=6, reliability=6,
                   security=5, dx=4, unblocks="Payments Platform",
                   quarter="2027-Q1", status="in progress", jira="DATA-270",
                   notes="Airflow 1 is end of life and has open CVEs."),
        initiative("PLT-137", "Data quality checks on tier-1 tables", "reliability", ENABLE,
                   reach=300, impact=1, confidence=0.6, effort=None, risk=2, reliability=7,
                   security=0, dx=4, needs="PLT-136", jira="DATA-331",
                   notes="Not sized yet: depends on how the Airflow migration lands."),
        initiative("PLT-138", "Feature store for the ML teams", "capability", ENABLE,
                   reach=40, impact="medium", confidence=0.4, effort=20, risk=8, reliability=1,
                   security=1, dx=6, needs="PLT-131", jira="DATA-340",
                   notes="Asked for by two ML teams; adoption beyond them is unclear."),
    ]),
    ("Networking", "CTO", [
        initiative("PLT-141", "Multi-region failover for the API gateway", "reliability", INS,
                   reach=420, impact=3, confidence=0.7, effort=20, risk=8, reliability=10,
                   security=3, dx=1, needs="PLT-124, PLT-142",
                   unblocks="Payments Platform, Identity, Developer Platform",
                   quarter="2027-Q2", jira="NET-140",
                   notes="The single-region gateway caused the 4-hour outage in March."),
        initiative("PLT-142", "Move the API gateway to Envoy", "tech-debt", CORE,
                   reach=420, impact=1, confidence=0.8, effort=10, risk=6, reliability=7,
                   security=5, dx=3, unblocks="Observability, Payments Platform",
                   quarter="2027-Q1", status="committed", jira="NET-128",
                   notes="The current gateway is out of vendor support."),
        initiative("PLT-143", "Service mesh mTLS everywhere", "security", INS,
                   reach=420, impact=2, confidence=0.6, effort=14, risk=7, reliability=4,
                   security=10, dx=2, needs="PLT-102, PLT-124",
                   unblocks="Payments Platform, Storage, Data Platform, Identity",
                   jira="NET-151", sponsor="CISO",
                   notes="East-west traffic is plaintext inside the VPC."),
        initiative("PLT-144", "DDoS protection and rate limiting at the edge", "security", INS,
                   reach=420, impact=2, confidence=0.8, effort=6, risk=4, reliability=8,
                   security=9, dx=1, needs="PLT-142", unblocks="Payments Platform, Identity",
                   quarter="2027-Q1", status="committed", jira="NET-133",
                   notes="Two credential-stuffing waves hit login last quarter."),
        initiative("PLT-145", "IPv6 dual stack in the production VPCs", "capability", INS,
                   reach=420, impact=0.25, confidence=0.5, effort=12, risk=6, reliability=2,
                   security=1, dx=1, jira="NET-160",
                   notes="Two VPCs run out of IPv4 addresses within a year."),
        initiative("PLT-146", "Private DNS with split horizon", "tech-debt", CORE,
                   reach=420, impact=0.5, confidence=0.8, effort=4, risk=3, reliability=6,
                   security=4, dx=None, unblocks="Developer Platform", jira="NET-118",
                   notes="Removes hand-edited hosts files; dx not rated yet."),
        initiative("PLT-147", "Egress proxy with allow-lists for third parties", "security", INS,
                   reach=160, impact=1, confidence="70%", effort=7, risk=5, reliability=2,
                   security=8, dx=2, needs="PLT-143", unblocks="Payments Platform",
                   jira="NET-165", sponsor="Head of Payments",
                   notes="PCI requires controlled egress from the cardholder zone."),
        initiative("PLT-148", "Network policy defaults for new namespaces", "security", ENABLE,
                   reach=420, impact=0.5, confidence=0.9, effort=3, risk=2, reliability=3,
                   security=7, dx=3, needs="PLT-124", unblocks="Developer Platform",
                   jira="NET-170", notes="New namespaces start with allow-all today."),
    ]),
    ("Build & CI", "Director of Engineering Productivity", [
        initiative("PLT-151", "Remote build cache for monorepo CI", "developer-experience", INS,
                   reach=950, impact=2, confidence=0.8, effort=8, risk=3, reliability=3,
                   security=0, dx=9, needs="PLT-162",
                   unblocks="Developer Platform, Data Platform, Payments Platform",
                   quarter="2027-Q1", status="committed", jira="CI-880",
                   notes="The median CI run takes 24 minutes; a warm cache would cut it to 9."),
        initiative("PLT-152", "Ephemeral CI runners on Kubernetes", "unblocking", INS,
                   reach=950, impact=1, confidence=0.7, effort=9, risk=5, reliability=5,
                   security=5, dx=7, needs="PLT-124", unblocks="Developer Platform",
                   jira="CI-892", notes="Shared runners leak state between jobs."),
        initiative("PLT-153", "Progressive delivery: canaries with automatic rollback",
                   "reliability", ENABLE,
                   reach=420, impact=2, confidence=0.7, effort=10, risk=5, reliability=9,
                   security=1, dx=6, needs="PLT-112",
                   unblocks="Developer Platform, Payments Platform, Identity",
                   quarter="2027-Q2", jira="CI-901",
                   notes="Half of last year's incidents were bad deploys."),
        initiative("PLT-154", "Signed build artefacts and SBOMs (SLSA level 3)", "security",
                   ENABLE,
                   reach=420, impact=1, confidence=0.8, effort=7, risk=3, reliability=1,
                   security=9, dx=2, needs="PLT-151", unblocks="Payments Platform",
                   jira="CI-910", sponsor="CISO",
                   notes="Customer security questionnaires now ask for SBOMs."),
        initiative("PLT-155", "Flaky test quarantine and reporting", "developer-experience",
                   ENABLE,
                   reach=950, impact=1, confidence=0.9, effort=3, risk=1, reliability=2,
                   security=0, dx=8, quarter="2027-Q1", status="committed", jira="CI-870",
                   notes="12% of CI failures are known-flaky tests."),
        initiative("PLT-156", "Dependency update bot with an auto-merge policy", "security",
                   ENABLE,
                   reach=420, impact=0.5, confidence=0.8, effort=4, risk=3, reliability=2,
                   security=7, dx=6, needs="PLT-155", jira="CI-915",
                   notes="Critical CVE patches take 19 days on average to reach production."),
        initiative("PLT-157", "Migrate off Jenkins to the new CI", "tech-debt", INS,
                   reach=180, impact=1, confidence=0.6, effort=16, risk=7, reliability=5,
                   security=6, dx=6, needs="PLT-152",
                   unblocks="Data Platform, Payments Platform", jira="CI-820",
                   notes="The Jenkins controller is a single point of failure with 300 plugins."),
        initiative("PLT-158", "Test impact analysis: run only the affected tests",
                   "developer-experience", ENABLE,
                   reach=950, impact="high", confidence=0.5, effort=10, risk=4, reliability=0,
                   security=0, dx=9, needs="PLT-151", jira="CI-925",
                   notes="Would halve CI minutes; the monorepo build graph makes it feasible."),
    ]),
    ("Storage", "CTO", [
        initiative("PLT-161", "Automated Postgres failover with Patroni", "reliability", CORE,
                   reach=160, impact=3, confidence=0.8, effort=10, risk=6, reliability=10,
                   security=2, dx=2, needs="PLT-124",
                   unblocks="Payments Platform, Identity, Data Platform",
                   quarter="2027-Q1", status="committed", jira="STOR-220",
                   notes="Manual failover took 47 minutes in the last incident."),
        initiative("PLT-162", "Object storage tiering and lifecycle policies", "capability", INS,
                   reach=300, impact=0.5, confidence=0.8, effort=5, risk=2, reliability=3,
                   security=2, dx=2, unblocks="Data Platform, Build & CI",
                   quarter="2027-Q1", status="committed", jira="STOR-205",
                   notes="Cold data sits on hot storage; the bill doubles every 18 months."),
        initiative("PLT-163", "Copy-on-write database clones for preview environments",
                   "unblocking", ENABLE,
                   reach=950, impact=1, confidence=0.5, effort=8, risk=5, reliability=1,
                   security=2, dx=8, needs="PLT-161", unblocks="Developer Platform",
                   jira="STOR-240",
                   notes="Preview environments need realistic data in seconds, not hours."),
        initiative("PLT-164", "Automated monthly backup restore drills", "reliability", CORE,
                   reach=160, impact=2, confidence=0.9, effort=4, risk=2, reliability=9,
                   security=4, dx=1, unblocks="Payments Platform, Identity",
                   quarter="2027-Q1", status="committed", jira="STOR-212",
                   notes="The ledger database has never been restored end to end."),
        initiative("PLT-165", "Encryption at rest with customer-managed keys", "security", INS,
                   reach=160, impact=1, confidence="85%", effort=9, risk=5, reliability=2,
                   security=9, dx=1, needs="PLT-102", unblocks="Payments Platform",
                   jira="STOR-250", sponsor="Head of Sales",
                   notes="Three enterprise deals require bring-your-own-key."),
        initiative("PLT-166", "Retire the self-managed Cassandra cluster", "tech-debt", CORE,
                   reach=12, impact=1, confidence=0.6, effort=14, risk=7, reliability=6,
                   security=3, dx=3, needs="PLT-131", jira="STOR-180",
                   notes="Only one engineer knows how to operate it."),
        initiative("PLT-167", "Storage quotas and cost dashboards per team", "capability",
                   ENABLE,
                   reach=45, impact=0.25, confidence=0.9, effort=3, risk=None, reliability=1,
                   security=0, dx=3, needs="PLT-111", jira="STOR-260",
                   notes="Risk not assessed yet."),
        initiative("PLT-168", "Postgres 16 upgrade across the fleet", "tech-debt", CORE,
                   reach=160, impact=1, confidence=0.8, effort=8, risk=6, reliability=7,
                   security=6, dx=2, needs="PLT-161",
                   unblocks="Data Platform, Payments Platform", jira="STOR-230",
                   notes="Postgres 12 is out of support; upgrades must follow automated failover."),
    ]),
    ("Payments Platform", "Head of Payments", [
        initiative("PLT-171", "Tokenisation vault on workload identity", "security", CORE,
                   reach=30, impact=3, confidence=0.8, effort=9, risk=6, reliability=4,
                   security=10, dx=2, needs="PLT-125", jira="PAY-610",
                   notes="Shrinks PCI scope from 30 services to 3."),
        initiative("PLT-172", "Idempotency keys for the payment APIs", "reliability", CORE,
                   reach=30, impact=2, confidence=0.9, effort=5, risk=3, reliability=9,
                   security=3, dx=5, quarter="2027-Q1", status="committed", jira="PAY-588",
                   notes="Retries created 212 duplicate charges last quarter."),
        initiative("PLT-173", "Ledger reconciliation pipeline", "capability", ENABLE,
                   reach=25, impact=2, confidence=0.6, effort=12, risk=6, reliability=6,
                   security=4, dx=3, needs="PLT-132", unblocks="Data Platform",
                   jira="PAY-620", sponsor="CFO",
                   notes="Finance reconciles by spreadsheet at every month end."),
        initiative("PLT-174", "Multi-PSP routing with automatic failover", "reliability", CORE,
                   reach=30, impact=3, confidence=0.5, effort=26, risk=8, reliability=9,
                   security=2, dx=2, needs="PLT-141", jira="PAY-630",
                   notes="One PSP outage stopped checkout for 2 hours in May."),
        initiative("PLT-175", "PCI DSS 4.0 controls for the cardholder zone", "security", INS,
                   reach=30, impact=2, confidence=0.9, effort=10, risk=5, reliability=2,
                   security=10, dx=0, needs="PLT-147, PLT-108",
                   quarter="2027-Q2", status="committed", jira="PAY-600", sponsor="CISO",
                   notes="The audit deadline is March 2028."),
        initiative("PLT-176", "Payment events on the shared Kafka", "unblocking", ENABLE,
                   reach=30, impact=1, confidence=0.7, effort=6, risk=4, reliability=4,
                   security=2, dx=5, needs="PLT-131", unblocks="Data Platform, Observability",
                   jira="PAY-640",
                   notes="Four downstream teams poll the payments database today."),
        initiative("PLT-177", "Sandbox environment for partner integrations",
                   "developer-experience", ENABLE,
                   reach=120, impact=1, confidence=0.6, effort=8, risk=3, reliability=1,
                   security=3, dx=8, needs="PLT-121", jira="PAY-650",
                   notes="Partners test against production with real money today."),
        initiative("PLT-178", "Retire the legacy billing cron jobs", "tech-debt", CORE,
                   reach=8, impact=0.5, confidence=0.8, effort=5, risk=5, reliability=5,
                   security=2, dx=3, needs="PLT-136", jira="PAY-560",
                   notes="Cron jobs on one VM bill 8 services; nobody owns the VM."),
    ]),
]


def initiatives() -> list[dict]:
    """Every row of the Initiatives sheet, team filled in, sponsor defaulting to the team's."""
    rows = []
    for team, sponsor, items in TEAMS:
        for item in items:
            rows.append({**item, "team": team, "Sponsor": item["Sponsor"] or sponsor})
    return fit_in_a_quarter(rows)


def fit_in_a_quarter(rows: list[dict]) -> list[dict]:
    """Cap the estimates of prerequisites at what their team can do in one quarter.

    Cutline places an initiative whole in one quarter; a PM splits anything bigger into phases.
    The sample does that for the work others wait on, so its cut line falls where the ranking
    puts it; a few large leaf initiatives stay too big, to show how Cutline reports them.
    """
    needed = {p for r in rows for p in split_ids(r["depends_on"])}
    total_weight = sum(QUARTER_WEIGHTS)
    for team, _, _ in TEAMS:
        team_rows = [r for r in rows if r["team"] == team and r["effort"] is not None]
        demand = sum(r["effort"] for r in team_rows)
        smallest_quarter = demand * FUNDED_SHARE[team] * min(QUARTER_WEIGHTS) / total_weight
        for r in team_rows:
            if r["id"] in needed:
                r["effort"] = min(r["effort"], int(smallest_quarter) - 1)
    return rows


def split_ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def check_dependencies(rows: list[dict]) -> None:
    """Fail loudly on an unknown prerequisite, an unknown team or a cycle."""
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "ids repeat"
    teams = {r["team"] for r in rows}
    needs = {r["id"]: split_ids(r["depends_on"]) for r in rows}
    for ident, prereqs in needs.items():
        unknown = [p for p in prereqs if p not in needs]
        assert not unknown, f"{ident} depends on unknown ids {unknown}"
    for r in rows:
        unknown = [t for t in split_ids(r["unblocks"]) if t not in teams]
        assert not unknown, f"{r['id']} unblocks unknown teams {unknown}"
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(ident: str, path: list[str]) -> None:
        if state.get(ident) == 2:
            return
        assert state.get(ident) != 1, f"dependency cycle: {' -> '.join(path + [ident])}"
        state[ident] = 1
        for p in needs[ident]:
            visit(p, path + [ident])
        state[ident] = 2

    for ident in needs:
        visit(ident, [])


def capacity(rows: list[dict]) -> list[tuple[str, str, int]]:
    """(team, quarter, person-weeks) funding each team's share of its own demand."""
    out = []
    total_weight = sum(QUARTER_WEIGHTS)
    for team, _, _ in TEAMS:
        demand = sum(r["effort"] for r in rows if r["team"] == team and r["effort"] is not None)
        for quarter, weight in zip(QUARTERS, QUARTER_WEIGHTS, strict=True):
            out.append((team, quarter, round(demand * FUNDED_SHARE[team] * weight / total_weight)))
    return out


def write_workbook(rows: list[dict], cap: list[tuple[str, str, int]], path: Path) -> None:
    """Write both sheets, formatted for a PM opening it in Excel."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.xml.functions import tostring

    wb = Workbook()
    wb.properties.creator = "Cutline"
    wb.properties.title = "Platform portfolio 2027 (sample)"
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE4EE")
    header_border = Border(bottom=Side(style="thin", color="7F8C9D"))

    def sheet(ws, header, body, widths):
        ws.append(list(header))
        for cell in ws[1]:
            cell.font, cell.fill, cell.border = header_font, header_fill, header_border
            cell.alignment = Alignment(vertical="center")
        for values in body:
            ws.append(list(values))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = width

    ws = wb.active
    ws.title = "Initiatives"
    widths = [9, 52, 19, 21, 21, 8, 8, 11, 8, 6, 11, 9, 5, 18, 44, 9, 12, 70, 11, 24]
    sheet(ws, COLUMNS, ([r[c] for c in COLUMNS] for r in rows), widths)
    conf_col = COLUMNS.index("confidence") + 1
    for (cell,) in ws.iter_rows(min_row=2, min_col=conf_col, max_col=conf_col):
        if isinstance(cell.value, float):
            cell.number_format = "0%"
    sheet(wb.create_sheet("Capacity"), ("team", "quarter", "capacity"), cap, [22, 10, 10])

    buffer = io.BytesIO()
    wb.save(buffer)  # stamps "modified" with the time of saving
    wb.properties.created = wb.properties.modified = FIXED_DATE
    core = tostring(wb.properties.to_tree())
    path.write_bytes(_reproducible(buffer.getvalue(), {"docProps/core.xml": core}))


def _reproducible(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The same xlsx with fixed dates inside and on every zip entry, so reruns match."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, replace.get(info.filename) or src.read(info.filename))
    return out.getvalue()


def main() -> None:
    rows = initiatives()
    check_dependencies(rows)
    cap = capacity(rows)
    total_effort = sum(r["effort"] for r in rows if r["effort"] is not None)
    funded = sum(c for _, _, c in cap) / total_effort
    assert 0.62 <= funded <= 0.70, f"capacity funds {funded:.0%} of the effort, not about two thirds"
    write_workbook(rows, cap, OUT)
    teams = len(TEAMS)
    print(f"wrote {OUT.name}: {len(rows)} initiatives, {teams} teams, "
          f"effort {total_effort:g} pw, capacity {sum(c for _, _, c in cap)} pw ({funded:.0%})")


if __name__ == "__main__":
    main()
