"""Security and backup rules: endpoint protection, patching, stale agents, MFA, server backups."""

from __future__ import annotations

from datetime import datetime, timedelta

from ...model import ClientData
from ..finding import Finding, RuleContext
from .lifecycle import (days_unseen, device_subjects, fmt, is_retired, observed, presumed_retired, stale_source,
                        type_word)


def endpoint_protection(client: ClientData, ctx: RuleContext) -> list[Finding]:
    findings = []
    missing_limit = ctx.settings.thresholds.missing_patches
    offline_days = ctx.settings.thresholds.agent_offline_days
    subjects = device_subjects(client)
    for asset in client.assets:
        if presumed_retired(asset, ctx):
            continue  # out of service: "confirm disposal" says what to do
        subject = subjects[id(asset)]
        server = asset.device_type == "server"
        what = f"{type_word(asset)} {asset.name}"
        if asset.av_status in {"not_running", "not_detected"}:
            state = "is not running" if asset.av_status == "not_running" else "was not detected"
            findings.append(Finding(
                client.name, "security.av_not_running", "critical" if server else "high",
                f"Antivirus/EDR {state} on {what}", subject, "device",
                f"Restore endpoint protection on {asset.name} today and investigate why it stopped.",
                asset.sources, due_date=ctx.as_of, facts={"av_product": asset.av_product, "state": asset.av_status}))
        if asset.patch_status == "install_error":
            findings.append(Finding(
                client.name, "security.patch_failed", "high" if server else "medium",
                f"Patches are failing to install on {what}", subject, "device",
                f"Investigate the failed updates on {asset.name} and bring it to fully patched.", asset.sources,
                due_date=ctx.as_of, facts={"patches_missing": asset.patches_missing}))
        elif asset.patch_status == "no_policy":
            pending = f" ({asset.patches_not_approved} patches waiting for approval)" if asset.patches_not_approved else ""
            findings.append(Finding(
                client.name, "security.no_patch_policy", "high" if server else "medium",
                f"{what[0].upper()}{what[1:]} is under no patch policy{pending}", subject, "device",
                f"Put {asset.name} under the RMM's patch policy (with a maintenance window if it runs line-of-business "
                "software) so security updates are approved and installed.", asset.sources, due_date=ctx.as_of,
                facts={"patches_not_approved": asset.patches_not_approved}))
        elif asset.patch_status == "reboot_required":
            findings.append(Finding(
                client.name, "security.reboot_pending", "medium" if server else "low",
                f"{what[0].upper()}{what[1:]} needs a reboot to finish installing updates", subject, "device",
                f"Schedule a reboot of {asset.name} in the next maintenance window.", asset.sources, due_date=ctx.as_of,
                facts={}))
        if asset.patches_missing is not None and asset.patches_missing >= missing_limit:
            findings.append(Finding(
                client.name, "security.patches_missing", "high" if server else "medium",
                f"{asset.patches_missing} approved patches are pending on {what}", subject, "device",
                f"Investigate why {asset.name} is not installing approved patches.", asset.sources, due_date=ctx.as_of,
                facts={"patches_missing": asset.patches_missing}))
        unseen = days_unseen(asset, ctx.as_of)
        if unseen is not None and unseen > offline_days and "rmm" in asset.tools:
            # Measured at the date the RMM reported it, not the review date: an old export invents no outage.
            seen_on = observed(asset, "last_seen", ctx.as_of)
            findings.append(Finding(
                client.name, "security.agent_offline", "medium",
                f"{what[0].upper()}{what[1:]} has not checked in since {fmt(asset.last_seen.date())} "
                f"({unseen} days as of {fmt(seen_on)})", subject,
                "device", f"Find out whether {asset.name} is retired (then remove it from monitoring and the asset "
                "register) or offline and unmanaged (then bring it back under management).", asset.sources,
                due_date=ctx.as_of, facts={"last_seen": asset.last_seen.date(), "observed_on": seen_on,
                                           "time_relative": True, "stale_source": stale_source(seen_on, ctx)}))
    return findings


def mfa(client: ClientData, ctx: RuleContext) -> list[Finding]:
    findings = []
    for user in client.users:
        if user.mfa_registered is not False or user.blocked or user.is_guest:
            continue
        if not user.licenses and not user.is_admin:
            continue  # unlicensed members (shared mailboxes, rooms) cannot sign in; an admin role can, licence or not
        findings.append(Finding(
            client.name, "security.mfa_not_registered", "critical" if user.is_admin else "high",
            f"{'Administrator' if user.is_admin else 'User'} {user.upn} has no MFA method registered", user.upn, "user",
            f"Have {user.display_name or user.upn} register an authenticator app, then enforce MFA with "
            "Conditional Access or security defaults.", user.sources, due_date=ctx.as_of,
            facts={"is_admin": user.is_admin}))
    return findings


def backup(client: ClientData, ctx: RuleContext) -> list[Finding]:
    """Only where the exports carry backup data: no data is a data gap, not a finding."""
    if not any(a.last_backup or a.backup_status for a in client.assets):
        return []
    findings = []
    subjects = device_subjects(client)
    for asset in client.assets:
        if asset.device_type != "server" or presumed_retired(asset, ctx):
            continue
        seen_on = observed(asset, "backup", ctx.as_of)
        limit = datetime.combine(seen_on - timedelta(days=ctx.settings.thresholds.backup_max_age_days), datetime.min.time())
        if asset.last_backup is None:
            title, state = f"Server {asset.name} has no backup record", None
        elif asset.last_backup < limit:
            title, state = f"Server {asset.name} has not had a successful backup since {fmt(asset.last_backup.date())}", asset.last_backup.date()
        else:
            continue
        findings.append(Finding(
            client.name, "backup.server_unprotected", "high", title, subjects[id(asset)], "device",
            f"Confirm {asset.name} is in the backup schedule and run a test restore.", asset.sources,
            due_date=ctx.as_of, facts={"last_backup": state, "observed_on": seen_on, "time_relative": True,
                             "stale_source": stale_source(seen_on, ctx)}))
    return findings
