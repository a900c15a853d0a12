"""What the exports told us, per kind of data: the basis of honest grades.

An area graded from data nobody provided would reassure where nothing was measured, so each area says what
it rests on and what is missing, and an area with nothing to rest on reads "Not assessed", never a colour.
"""

from __future__ import annotations

from ..model import ClientData
from ..wording import Wording
from .model import SourceCoverage

# (kind, label, what to export to provide it)
SOURCES = (
    ("devices", "Device inventory", "a PSA configurations export or an RMM device export"),
    ("endpoint", "Endpoint protection and patching", "an RMM export with antivirus and patch status"),
    ("warranty", "Warranty dates", "warranty dates in the PSA or RMM, or a warranty lookup"),
    ("users", "Microsoft 365 users and licences", "the Microsoft 365 'Export users' list"),
    ("activity", "User activity", "the Microsoft 365 active-user detail report"),
    ("mfa", "MFA registration", "the Entra user registration details export"),
    ("subscriptions", "Subscriptions", "the distributor's subscription export (Pax8 or Partner Center)"),
    ("contracts", "Agreements", "the PSA agreements export"),
    ("backup", "Backups", "a backup report with each server's last successful backup"),
    ("goals", "Business goals", "goals.csv with the client's goals for the next 12-36 months"),
)


def provided(client: ClientData) -> dict[str, bool]:
    """Which kinds of data this client's exports carried."""
    assets = client.assets
    users = client.users
    return {
        "devices": bool(assets),
        "endpoint": any(a.av_status or a.patch_status or a.patches_missing is not None for a in assets),
        "warranty": any(a.warranty_end for a in assets),
        "users": bool(users),
        "activity": any(u.activity_known for u in users),
        "mfa": any(u.mfa_registered is not None for u in users),
        "subscriptions": bool(client.subscriptions),
        "contracts": bool(client.contracts),
        "backup": any(a.last_backup or a.backup_status for a in assets),
        "goals": bool(client.goals),
    }


def source_coverage(client: ClientData, wording: Wording) -> tuple[SourceCoverage, ...]:
    have = provided(client)
    tools = sorted({tool for a in client.assets for tool in a.tools if tool not in {"other", "vcio"}})
    rows = []
    for kind, label, remedy in SOURCES:
        if have[kind]:
            detail = _detail(kind, client, tools, wording)
        elif kind == "activity" and client.concealed_activity_rows:
            # The report was given, but the tenant hides user names in it: say how to fix it, not "add it".
            detail = ("provided, but the tenant hides user names in its usage reports, so activity cannot be "
                      "matched to users: turn off 'Display concealed user, group, and site names in all reports' "
                      "(Microsoft 365 admin center, Settings > Org settings > Reports) and export it again")
        else:
            detail = f"not provided: add {remedy}"
        rows.append(SourceCoverage(kind, wording.spell(label), have[kind], wording.spell(detail)))
    return tuple(rows)


TOOL_NAMES = {"rmm": "RMM", "psa": "PSA", "warranty": "warranty lookup", "m365": "Microsoft 365",
              "distributor": "distributor", "vcio": "vcio file"}


def _detail(kind: str, client: ClientData, tools: list[str], wording: Wording) -> str:
    if kind == "devices":
        by = wording.join([TOOL_NAMES.get(t, t) for t in tools]) or "the exports"
        return f"{wording.count(len(client.assets), 'device')} from {by}"
    if kind == "endpoint":
        count = sum(1 for a in client.assets if a.av_status or a.patch_status or a.patches_missing is not None)
        return f"{wording.count(count, 'device')} reporting"
    if kind == "warranty":
        count = sum(1 for a in client.assets if a.warranty_end)
        return f"{count} of {wording.count(len(client.assets), 'device')}"
    if kind == "users":
        return wording.count(sum(1 for u in client.users if not u.is_guest), "user")
    if kind == "activity":
        return wording.count(sum(1 for u in client.users if u.activity_known), "user") + " covered"
    if kind == "mfa":
        return wording.count(sum(1 for u in client.users if u.mfa_registered is not None), "user") + " covered"
    if kind == "subscriptions":
        return wording.count(len(client.subscriptions), "subscription")
    if kind == "contracts":
        return wording.count(len(client.contracts), "agreement")
    if kind == "backup":
        return wording.count(sum(1 for a in client.assets if a.last_backup or a.backup_status), "device") + " reported"
    if kind == "goals":
        return wording.count(len(client.goals), "goal")
    return ""
