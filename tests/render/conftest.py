"""A realistic plain render context, shaped exactly like pipeline/render/context.py builds it.

``make_context`` builds small or large clients deterministically; a few hostile strings are
planted on purpose: a finding title that looks like a Jinja tag plus XML markup, a device name
that looks like a spreadsheet formula, and a non-ASCII client name.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
HOSTILE_TITLE = "{{ config }} <b>& unsupported 'quoted' server"
FORMULA_HOST = "=HYPERLINK(\"x\")"

QUARTERS = ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4", "2028-Q1", "2028-Q2", "2028-Q3", "2028-Q4",
            "2029-Q1", "2029-Q2", "2029-Q3", "2029-Q4"]
FISCAL = ["FY2027 Q3", "FY2027 Q4", "FY2028 Q1", "FY2028 Q2", "FY2028 Q3", "FY2028 Q4", "FY2029 Q1", "FY2029 Q2",
          "FY2029 Q3", "FY2029 Q4", "FY2030 Q1", "FY2030 Q2"]


def money(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{'-' if v < 0 else ''}${abs(v):,.0f}"


def _finding(i: int, category: str, severity: str, title: str, subject: str, cost: float | None,
             cost_kind: str = "one_time", due: str = "") -> dict:
    labels = {"end_of_life": "End of life", "hardware_age": "Hardware age", "warranty": "Warranty",
              "renewal": "Renewal", "license_waste": "License waste", "security": "Security", "backup": "Backup"}
    return {"finding_id": f"FND-{i:06X}", "rule": f"{category}.rule", "category": category,
            "category_label": labels[category], "severity": severity, "title": title, "subject": subject,
            "subject_kind": "device", "due_date": due, "due_text": due or "-", "estimated_cost": cost,
            "cost_kind": cost_kind if cost is not None else "", "monthly_cost": (cost / 12) if cost_kind == "recurring" and cost else None,
            "cost_text": (money(cost) + ("/yr" if cost_kind == "recurring" else "")) if cost is not None else "-",
            "recommendation": "Replace or upgrade before support ends; plan the migration with the client.",
            "source": "rmm/DeviceDetailsExport.csv"}


def _initiative(rank: int, title: str, phase: str, quarter: str, cost: float, recurring: float, goal: str | None,
                severity: str = "high") -> dict:
    return {"initiative_id": f"INI-{rank:08X}", "rank": rank, "kind": "hardware_refresh", "title": title,
            "severity": severity, "phase": phase, "target_quarter": quarter, "one_time_cost": cost,
            "one_time_text": money(cost) if cost else "-", "annual_recurring": recurring,
            "recurring_text": (f"saves {money(-recurring)}/yr" if recurring < 0 else
                               f"{money(recurring)}/yr" if recurring > 0 else "-"),
            "owner": "Dana Whitfield", "success_metric": f"Done by the end of {quarter}",
            "goal": goal or "No stated business goal: confirm with the client", "has_goal": goal is not None,
            "finding_count": 3, "finding_ids": ["FND-000001"], "subjects": "PC-001, PC-002, PC-003"}


def make_context(devices: int = 14, users: int = 18, extra_findings: int = 0, first_review: bool = True,
                 renewals: bool = True, goals: bool = True, name: str = "Harbor Point Dental, Inc.") -> dict:
    """A plain context; ``extra_findings`` pads the findings list (large clients)."""
    types = ["desktop", "laptop", "server", "network", "desktop", "laptop", "desktop"]
    oses = ["Windows 11 23H2", "Windows 10 22H2", "Windows Server 2016", "SonicOS 7", "Windows 11 24H2",
            "macOS 14", "Windows 11 24H2"]
    support = ["Supported", "Unsupported", "Ends within 12 months", "Unknown", "Supported", "Supported", "Supported"]
    assets = []
    for i in range(devices):
        k = i % len(types)
        host = FORMULA_HOST if i == 1 else f"HPD-{types[k][:2].upper()}-{i:03d}"
        assets.append({"hostname": host, "type": types[k], "os": oses[k], "support": support[k],
                       "eol": "Oct 14, 2025" if support[k] == "Unsupported" else "-", "age": f"{(i % 8) + 0.4:.1f}",
                       "warranty": ["In warranty", "Expired", "Expires within 90 days", "Unknown"][i % 4],
                       "warranty_end": "Mar 03, 2027", "replacement_due": "Jun 30, 2027", "serial": f"SN{i:07d}",
                       "model": "OptiPlex 7090", "last_seen": "Nov 18, 2026", "sources": "datto_rmm, cw_manage"})
    user_rows = [{"upn": f"user{i:03d}@harborpointdental.com", "name": f"User {i:03d}",
                  "licenses": "Microsoft 365 Business Premium" if i % 5 else "Unlicensed",
                  "status": "active" if i % 7 else "blocked", "last_activity": "Nov 02, 2026"} for i in range(users)]
    goal_a = "Open a second clinic by Q3 2027"
    goal_b = "Pass the HIPAA security risk assessment"
    initiatives = [
        _initiative(1, "Migrate off Windows Server 2016 (1 server)", "0-6 months", "2027-Q1", 12000, 0, goal_b, "critical"),
        _initiative(2, "Register MFA for 6 users", "0-6 months", "2027-Q1", 0, 0, goal_b),
        _initiative(3, "Replace or upgrade 4 devices on Windows 10 22H2", "0-6 months", "2027-Q1", 4800, 0, goal_a),
        _initiative(4, "Right-size Microsoft 365 Business Premium before the 2027-03-01 renewal", "0-6 months",
                    "2027-Q1", 0, -1584, None, "medium"),
        _initiative(5, "Replace 5 aging devices", "6-18 months", "2027-Q4", 6400, 0, goal_a, "medium"),
        _initiative(6, "Restore warranty cover on 2 server and network devices", "18-36 months", "2028-Q3",
                    5000, 0, None, "low"),
    ]
    findings = [
        _finding(1, "end_of_life", "critical", HOSTILE_TITLE, "HPD-SE-002", 12000, due="2027-01-12"),
        _finding(2, "security", "high", "Antivirus not running", "HPD-DE-004", None),
        _finding(3, "license_waste", "medium", "4 unassigned Microsoft 365 Business Premium seats",
                 "Microsoft 365 Business Premium", 1056, "recurring"),
        _finding(4, "renewal", "medium", "Microsoft 365 Business Premium renews", "Microsoft 365 Business Premium",
                 6336, "recurring", "2027-03-01"),
        _finding(5, "warranty", "low", "Warranty expired", "HPD-NE-003", 2500, due="2026-08-01"),
        _finding(6, "hardware_age", "medium", "Device older than 5 years", "HPD-DE-000", 1200, due="2027-06-30"),
    ]
    sev = ["critical", "high", "medium", "low"]
    for j in range(extra_findings):
        findings.append(_finding(100 + j, "hardware_age", sev[j % 4],
                                 f"Device older than its replacement age ({j}) with a longer title that wraps",
                                 f"HPD-DE-{j:03d}", 1200, due="2027-06-30"))
    risks = [
        {"risk_id": "RSK-A1B2C3", "title": "Systems without security updates (5)", "category": "End of life",
         "likelihood": 5, "impact": 5, "score": 25, "band": "high",
         "cost_of_inaction": "Unsupported systems receive no security fixes: one unpatched flaw can lead to ransomware, "
                             "data loss and failed compliance checks or cyber-insurance claims.",
         "mitigation": "Migrate off Windows Server 2016 (1 server)", "finding_count": 5,
         "subjects": "HPD-SE-002, HPD-DE-001"},
        {"risk_id": "RSK-D4E5F6", "title": "Accounts without MFA (6)", "category": "Security", "likelihood": 4,
         "impact": 5, "score": 20, "band": "high",
         "cost_of_inaction": "Accounts without MFA are taken over with a single phished password.",
         "mitigation": "Register MFA for 6 users", "finding_count": 6, "subjects": "user001@harborpointdental.com"},
        {"risk_id": "RSK-777777", "title": "Paying for unused licences (4)", "category": "License waste",
         "likelihood": 2, "impact": 2, "score": 4, "band": "low", "cost_of_inaction": "Money spent every month on seats nobody uses.",
         "mitigation": "no initiative yet", "finding_count": 1, "subjects": "Microsoft 365 Business Premium"},
    ]
    rows = {"Hardware": [16800, 0, 0, 6400, 0, 0, 5000, 0, 0, 0, 0, 0],
            "Projects": [0] * 12,
            "Licensing": [1584.0] * 12,
            "Contracts": [4500.0] * 12}
    budget_rows = [{"category": k, "amounts": v, "amounts_text": [money(x) if x else "-" for x in v],
                    "total": round(sum(v), 2), "total_text": money(sum(v))} for k, v in rows.items() if any(v)]
    totals = [round(sum(rows[k][i] for k in rows), 2) for i in range(12)]
    fiscal: dict[str, float] = {}
    for label, total in zip(FISCAL, totals):
        fiscal[label.split()[0]] = fiscal.get(label.split()[0], 0) + total
    goals_list = []
    if goals:
        goals_list = [{"goal": g, "target_date": "Sep 30, 2027", "owner": "Dr. Reyes", "success_metric": "On time",
                       "priority": "high", "tags": "growth", "initiatives": [i for i in initiatives if i["goal"] == g]}
                      for g in (goal_a, goal_b)]
    changes = {"first_review": True, "new": [], "open": [], "resolved": [],
               "summary": "This is the first review: future reviews will show what changed."}
    decisions = {"first_review": True, "accepted": [], "declined": [], "deferred": [], "done": []}
    if not first_review:
        changes = {"first_review": False, "summary": "2 new findings, 1 resolved, 3 still open since 2026-Q3.",
                   "new": [{"finding_id": "FND-000001", "title": HOSTILE_TITLE, "subject": "HPD-SE-002",
                            "severity": "critical"},
                           {"finding_id": "FND-000002", "title": "Antivirus not running", "subject": "HPD-DE-004",
                            "severity": "high"}],
                   "resolved": [{"finding_id": "FND-0000AA", "title": "Backup failing", "subject": "HPD-SE-009",
                                 "severity": "high"}],
                   "open": [{"finding_id": "FND-000005", "title": "Warranty expired", "subject": "HPD-NE-003",
                             "severity": "low"}] * 3}
        decisions = {"first_review": False,
                     "accepted": [{"initiative_id": "INI-1", "title": "Register MFA for 6 users", "decided_on": "2026-08-20"}],
                     "declined": [{"initiative_id": "INI-2", "title": "Replace 5 aging devices", "decided_on": "2026-08-20",
                                   "risk_of_inaction": "Old devices fail more often.", "decided_by": "Dr. Reyes"}],
                     "deferred": [], "done": []}
    coming = []
    if renewals:
        coming = [{"date": "Dec 31, 2026", "date_iso": "2026-12-31", "what": "Managed services agreement ends",
                   "kind": "Renewal", "value_text": "$54,000/yr"},
                  {"date": "Jan 12, 2027", "date_iso": "2027-01-12", "what": "Windows Server 2016 end of support",
                   "kind": "End of life", "value_text": "-"},
                  {"date": "Mar 01, 2027", "date_iso": "2027-03-01", "what": "Microsoft 365 Business Premium renews",
                   "kind": "Renewal", "value_text": "$6,336/yr"}]
    lic_items = [{"title": "4 unassigned Microsoft 365 Business Premium seats", "subject": "Microsoft 365 Business Premium",
                  "annual": 1056, "annual_text": "$1,056", "monthly_text": "$88"},
                 {"title": "Licence on blocked user", "subject": "user007@harborpointdental.com", "annual": 264,
                  "annual_text": "$264", "monthly_text": "$22"}]
    ctx = {
        "client": {"name": name, "vcio": "Dana Whitfield", "tier": "Gold", "fiscal_year_start": 7,
                   "domains": ["harborpointdental.com"]},
        "msp": {"name": "Northwind IT Partners", "contact": "vcio@northwind.example", "logo": ""},
        "quarter": "2026-Q4", "as_of": "Nov 20, 2026", "as_of_iso": "2026-11-20", "currency": "USD",
        "vcio_version": "0.1.0",
        "summary": {"devices": devices, "servers": sum(1 for a in assets if a["type"] == "server"), "users": users,
                    "licensed_users": sum(1 for u in user_rows if u["licenses"] != "Unlicensed"),
                    "findings": len(findings), "critical": 1, "high": 1, "medium": 3, "low": 1,
                    "monthly_subscriptions": "$528"},
        "grades": [
            {"area": "lifecycle", "label": "Lifecycle", "percent": 62.5, "percent_text": "62%", "score": 2,
             "score_text": "2/5", "colour": "amber", "assessed": devices, "affected": 5},
            {"area": "security", "label": "Security", "percent": 41.0, "percent_text": "41%", "score": 1,
             "score_text": "1/5", "colour": "red", "assessed": devices + users, "affected": 9},
            {"area": "licensing", "label": "Licensing", "percent": 84.0, "percent_text": "84%", "score": 4,
             "score_text": "4/5", "colour": "green", "assessed": 24, "affected": 4},
            {"area": "continuity", "label": "Continuity", "percent": None, "percent_text": "n/a", "score": None,
             "score_text": "n/a", "colour": "grey", "assessed": 0, "affected": 0},
        ],
        "risks": risks,
        "initiatives": initiatives,
        "findings": findings,
        "excluded": [{"subject": "HPD-LA-005", "title": "Warranty expired", "rule": "lifecycle.warranty",
                      "reason": "Spare laptop, kept in a drawer"}],
        "data_gaps": [{"label": "devices without a purchase date", "count": 3}],
        "budget": {"quarters": QUARTERS, "fiscal_labels": FISCAL, "rows": budget_rows, "totals": totals,
                   "totals_text": [money(t) for t in totals], "grand_total_text": money(sum(totals)),
                   "next_four_total": round(sum(totals[:4]), 2), "next_four_total_text": money(sum(totals[:4])),
                   "fiscal_years": [{"label": k, "total": v, "total_text": money(v)} for k, v in fiscal.items()],
                   "one_time_total_text": money(sum(rows["Hardware"]) + sum(rows["Projects"])),
                   "recurring_total_text": money(sum(rows["Licensing"]) + sum(rows["Contracts"])),
                   "savings": 1584.0, "savings_text": "$1,584"},
        "method": {"grades": "Each area's score is 100 x (1 - sum of penalties / items assessed).",
                   "risks": "Risk score = likelihood (1-5) x impact (1-5).",
                   "thresholds": [{"name": "eol medium months", "value": "6"},
                                  {"name": "maximum age, desktop", "value": "5 years"}],
                   "catalog_snapshot": "2026-08-01"},
        "data_sources": [{"path": "rmm/DeviceDetailsExport.csv", "profile": "datto_rmm_device_details", "rows": 42,
                          "rejected": 0}],
        "changes": changes,
        "decisions": decisions,
        "coming_up": coming,
        "license_optimisation": {"items": lic_items, "total_annual": 1320, "total_annual_text": "$1,320",
                                 "count": len(lic_items)},
        "findings_by_category": [{"category": "End of life", "count": 1}],
        "current_state": {
            "devices_by_type": [{"label": "Desktops", "count": 6}, {"label": "Laptops", "count": 4},
                                {"label": "Servers", "count": 2}, {"label": "Network", "count": 2}],
            "operating_systems": [{"label": "Windows 11 24H2", "count": 6}, {"label": "Windows 10 22H2", "count": 2}],
            "support_status": [{"label": "Supported", "count": 8}, {"label": "Ends within 12 months", "count": 2},
                               {"label": "Unsupported", "count": 3}, {"label": "Unknown", "count": 1}],
            "age_buckets": [{"label": "< 2 years", "count": 4}, {"label": "2-4 years", "count": 5},
                            {"label": "4-6 years", "count": 3}, {"label": "6+ years", "count": 2}],
            "warranty_status": [{"label": "In warranty", "count": 7}, {"label": "Expires within 90 days", "count": 2},
                                {"label": "Expired", "count": 4}, {"label": "Unknown", "count": 1}],
            "assets": assets,
            "licenses": [{"product": "Microsoft 365 Business Premium", "purchased": 24, "assigned": 20, "spare": 4,
                          "price_text": "$22"},
                         {"product": "Exchange Online (Plan 1)", "purchased": "-", "assigned": 3, "spare": "-",
                          "price_text": "-"}],
            "contracts": [{"name": "Managed services", "type": "Managed", "start": "Jan 01, 2024",
                           "end": "Dec 31, 2026", "monthly_text": "$1,500"}],
            "subscriptions": [{"product": "Microsoft 365 Business Premium", "quantity": 24, "term": "Annual",
                               "renews": "Mar 01, 2027", "monthly_text": "$528"}],
            "users": user_rows,
        },
        "limits": {"deck_appendix_rows": 40, "roadmap_appendix_rows": 500},
    }
    ctx["top_risks"] = risks[:3]
    ctx["headline"] = [f"{devices} devices and {users} users reviewed; {len(findings)} findings, 1 critical and 1 high.",
                       f"Top risk: {risks[0]['title']}.", f"Forecast for the next four quarters: {money(sum(totals[:4]))}.",
                       "License optimisation could save $1,584 a year."]
    ctx["next_90_days"] = [i for i in initiatives if i["phase"] == "0-6 months"][:3]
    ctx["phases"] = [{"phase": p, "initiatives": [i for i in initiatives if i["phase"] == p]}
                     for p in ("0-6 months", "6-18 months", "18-36 months")]
    ctx["goals"] = goals_list
    ctx["unaligned_initiatives"] = [i for i in initiatives if not i["has_goal"]]
    ctx["decisions_needed"] = [{"initiative_id": i["initiative_id"], "title": i["title"],
                                "one_time_cost": i["one_time_cost"], "owner": i["owner"]} for i in ctx["next_90_days"]]
    if not renewals:
        ctx["license_optimisation"] = {"items": [], "total_annual": 0, "total_annual_text": "$0", "count": 0}
    return ctx


@pytest.fixture
def context() -> dict:
    return make_context()


@pytest.fixture
def review_context() -> dict:
    """A second review: changes and decisions filled in."""
    return make_context(first_review=False)


@pytest.fixture
def large_context() -> dict:
    return make_context(devices=230, users=160, extra_findings=300)


@pytest.fixture
def empty_context() -> dict:
    """A client with almost nothing: no goals, no renewals, no licence waste."""
    ctx = make_context(devices=0, users=0, renewals=False, goals=False)
    ctx["findings"] = []
    ctx["risks"] = ctx["top_risks"] = []
    ctx["initiatives"] = ctx["next_90_days"] = ctx["unaligned_initiatives"] = ctx["decisions_needed"] = []
    ctx["phases"] = [{"phase": p["phase"], "initiatives": []} for p in ctx["phases"]]
    ctx["budget"]["rows"] = []
    ctx["budget"]["totals"] = [0.0] * 12
    ctx["budget"]["savings"] = 0
    ctx["current_state"].update(support_status=[], age_buckets=[], warranty_status=[], devices_by_type=[],
                                operating_systems=[], licenses=[], contracts=[], subscriptions=[])
    return ctx


SAMPLE_NAMES = ["Harbor Point Dental", "Granite Ridge Manufacturing", "Bluebird Creative Studio", "Cedar & Finch LLP",
                "Northwind Logistics", "Sunrise Pediatrics"]


@pytest.fixture(scope="session")
def sample_render_contexts() -> dict[str, dict]:
    """The render contexts of the sample clients, analysed from the exports in inputs/ (quarter 2026-Q4)."""
    from tests.conftest import SAMPLE_AS_OF, sample_contexts
    return {name: ctx for name, (_client, ctx) in sample_contexts("2026-Q4", SAMPLE_AS_OF).items()}


@pytest.fixture(params=SAMPLE_NAMES)
def real_context(request, sample_render_contexts) -> dict:
    """One sample client's real render context (a copy: a test may not change the shared one)."""
    assert sorted(sample_render_contexts) == sorted(SAMPLE_NAMES)
    return copy.deepcopy(sample_render_contexts[request.param])
