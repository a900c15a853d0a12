"""Device lifecycle rules: operating-system end of support, hardware age, warranty, retired devices."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ...config import Settings
from ...model import SERVER_LIKE, Asset, ClientData
from ...quarters import Quarter, add_months, add_years
from ..finding import Finding, RuleContext
from ...catalog.os_identity import identify_os

RETIRED_STATUSES = {"inactive", "retired", "disposed", "decommissioned"}
_TYPE_WORDS = {"desktop": "desktop", "laptop": "laptop", "server": "server", "network": "network device",
               "storage": "storage device", "virtual": "virtual machine", "mobile": "mobile device",
               "printer": "printer", "other": "device"}


def type_word(asset: Asset) -> str:
    return _TYPE_WORDS.get(asset.device_type, "device")


def fmt(day: date) -> str:
    return day.strftime("%b %d, %Y").replace(" 0", " ")


def is_retired(asset: Asset) -> bool:
    """The asset register says the device is out of service (e.g. a ConnectWise configuration marked Inactive)."""
    return (asset.status or "").strip().lower() in RETIRED_STATUSES


def observed(asset: Asset, fact: str, as_of: date) -> date:
    """The date a time-relative fact is measured at: when the tool observed it (its export's date), never after
    the review date; the review date when the export's date is unknown."""
    seen = asset.observed_on(fact)
    return min(seen, as_of) if seen else as_of


def stale_source(observed_on: date, ctx: RuleContext) -> bool:
    """The export behind a time-relative finding is older than thresholds.stale_input_days: the finding says what
    was true then, and "What changed" never reports it as new."""
    return observed_on < ctx.as_of - timedelta(days=ctx.settings.thresholds.stale_input_days)


def days_unseen(asset: Asset, as_of: date) -> int | None:
    """Days between the device's last check-in and the date its tool reported it."""
    if asset.last_seen is None:
        return None
    return (observed(asset, "last_seen", as_of) - asset.last_seen.date()).days


def presumed_retired(asset: Asset, ctx: RuleContext) -> bool:
    """Out of service by the register, or seen by no tool for longer than thresholds.retired_after_days."""
    unseen = days_unseen(asset, ctx.as_of)
    return is_retired(asset) or (unseen is not None and unseen > ctx.settings.thresholds.retired_after_days)


_FIREWALL_WORDS = re.compile(r"fortigate|fortios|sonicwall|sonicos|watchguard|fireware|firebox|sophos|\bxgs?\b|"
                             r"meraki\s*mx|\bmx\d|pan-os|palo alto|\bpa-\d|firepower|\basa\b|firewall", re.I)


def is_firewall(asset: Asset) -> bool:
    """A network security appliance, whose support comes with its security-services subscription."""
    return asset.device_type == "network" and bool(_FIREWALL_WORDS.search(" ".join(
        filter(None, (asset.model, asset.os, asset.hostname, asset.manufacturer)))))


def is_line_of_business(asset: Asset, settings: Settings) -> bool:
    """Imaging, lab, X-ray and similar devices whose OS is tied to a vendor's application: a role column says so,
    or hardware.line_of_business_pattern matches the hostname or model."""
    if asset.role:
        return True
    pattern = settings.hardware.line_of_business_pattern
    return bool(pattern) and any(re.search(pattern, text) for text in (asset.hostname, asset.model) if text)


def device_subjects(client: ClientData) -> dict[int, str]:
    """The subject (and so the finding id) of each device: its name, plus the serial when two devices share it."""
    counts: dict[str, int] = {}
    for asset in client.assets:
        counts[asset.name.casefold()] = counts.get(asset.name.casefold(), 0) + 1
    return {id(asset): (f"{asset.name} ({asset.serial})" if counts[asset.name.casefold()] > 1 and asset.serial
                        and asset.serial != asset.name else asset.name)
            for asset in client.assets}


def os_end_of_support(client: ClientData, ctx: RuleContext) -> list[Finding]:
    medium = ctx.settings.thresholds.eol_medium_months
    low = ctx.settings.thresholds.eol_low_months
    findings = []
    subjects = device_subjects(client)
    for asset in client.assets:
        if not asset.os or presumed_retired(asset, ctx):
            continue  # a retired device gets "confirm disposal", not a remedy
        identity = identify_os(asset.os, asset.os_build)
        status = ctx.catalog.status(identity)
        if status is None or status.eol is None:
            continue
        newer = ctx.catalog.newer_release(identity) if status.feature_update_only else None
        if status.feature_update_only and newer is None:
            continue  # the newest release the catalog knows is supported: its next update is routine service
        eol = status.eol
        past = eol < ctx.as_of  # support runs through the end date itself (its last patch day)
        if past:
            severity = "critical" if asset.device_type == "server" or identity.is_server else "high"
        elif eol <= add_months(ctx.as_of, medium):
            severity = "medium"
        elif eol <= add_months(ctx.as_of, low):
            severity = "low"
        else:
            continue
        label = status.release_label or identity.label
        verb = "reached end of support on" if past else "reaches end of support on"
        title = f"{label} {verb} {fmt(eol)}"
        recommendation, cost, remedy = _eol_remedy(asset, identity, status, newer, ctx)
        facts = {"os": label, "eol": eol, "extended_end": status.extended_end, "device_type": asset.device_type,
                 "remedy": remedy, "catalog_source": status.source, "note": status.note, "past": past,
                 "replaces_device": remedy in {"migrate", "replace"}, "os_source": asset.provenance.get("os")}
        if status.note:
            recommendation += f" ({status.note})"
        findings.append(Finding(client.name, "lifecycle.os_end_of_support", severity, title, subjects[id(asset)], "device",
                                recommendation, asset.sources, due_date=eol, estimated_cost=cost,
                                cost_kind="one_time" if cost else None, facts=facts))
    return findings


# Windows 11 supports 8th-generation Intel and Zen+ AMD processors and later, sold from 2018: an older PC cannot run it.
WINDOWS_11_HARDWARE_FROM = date(2018, 7, 1)


def _eol_remedy(asset: Asset, identity, status, newer, ctx: RuleContext) -> tuple[str, float | None, str]:
    """(recommendation, one-time cost, remedy) for a device whose OS is at or near its end of support."""
    name = asset.name
    if is_line_of_business(asset, ctx.settings):
        what = f" {asset.role}" if asset.role else ""
        return (f"Isolate {name} on its own network segment (no internet or e-mail, only the connections its{what} "
                "application needs) and plan the upgrade with the application's vendor, who decides which "
                "operating system it supports.", None, "isolate")
    if status.feature_update_only:
        target = newer.get("label") or newer.get("name")
        return (f"Apply the {target} feature update to {name}; the device already runs Windows 11, so the update "
                "needs no new hardware.", ctx.prices.feature_update, "feature_update")
    if identity.is_server or asset.device_type == "server":
        extended = f" Extended security updates run to {fmt(status.extended_end)} at extra cost." if (
            status.extended_end and status.extended_end >= ctx.as_of) else ""  # runs through its last day
        return (f"Migrate the workloads on {name} to a supported server or cloud service and retire it." + extended,
                ctx.prices.device("server"), "migrate")
    if identity.product == "windows" and identity.edition in {"ltsc", "iot-ltsc"}:
        return (f"Move {name} to Windows 11 Enterprise LTSC 2024 (supported to Oct 9, 2029; IoT Enterprise LTSC 2024 "
                "to Oct 10, 2034), the long-term channel it is licensed for, if its hardware meets Windows 11's "
                "requirements; otherwise replace it with an LTSC 2024 device.", ctx.prices.feature_update, "ltsc_upgrade")
    if identity.product == "windows":
        since = asset.in_service_since
        max_age = ctx.settings.hardware.max_age(asset.device_type) or 5
        old = since is not None and add_years(since, max_age - 1) <= ctx.as_of
        legacy = not (identity.cycle or "").startswith("10-")
        too_old_for_11 = legacy or since is None or since < WINDOWS_11_HARDWARE_FROM
        if not old and not too_old_for_11:
            return (f"Upgrade {name} to Windows 11 (the device is young enough to keep).", ctx.prices.feature_update,
                    "upgrade")
        why = ("its hardware predates Windows 11's requirements" if since is not None and since < WINDOWS_11_HARDWARE_FROM
               else "it is near or past its replacement age" if old
               else "its age is unknown, so its hardware may not meet Windows 11's requirements" if since is None
               else "its operating system cannot be upgraded in place")
        bridge = ""
        if status.extended_end and status.extended_end >= ctx.as_of:  # through its last day, like support
            bridge = (f" Until it is replaced, Extended Security Updates keep it patched (about "
                      f"${ctx.prices.configured.windows10_esu_first_year:,.0f} per device for the first year, doubling "
                      f"each year, to {fmt(status.extended_end)} at most).")
        return (f"Replace {name} with a Windows 11 device ({why})." + bridge, ctx.prices.device(asset.device_type),
                "replace")
    return (f"Upgrade {name} to a supported {ctx.catalog.label(identity.product)} release or replace it.",
            ctx.prices.device(asset.device_type), "upgrade_or_replace")


def replacement_due(asset: Asset, settings: Settings) -> date | None:
    """The date a device is due for replacement: max age, or warranty end for servers (configurable)."""
    since = asset.in_service_since
    max_age = settings.hardware.max_age(asset.device_type)
    due = add_years(since, max_age) if since and max_age else None
    if (asset.device_type in SERVER_LIKE and asset.warranty_end
            and settings.hardware.replace_servers_at_warranty_end):
        due = min(due, asset.warranty_end) if due else asset.warranty_end
    return due


def hardware_age(client: ClientData, ctx: RuleContext) -> list[Finding]:
    findings = []
    # Replacements are planned over the whole budget forecast (12 quarters by default), so the roadmap's later
    # years carry the devices that age into them, not $0 of hardware.
    horizon = Quarter.of(ctx.as_of).next(ctx.settings.budget.quarters).end
    subjects = device_subjects(client)
    for asset in client.assets:
        if presumed_retired(asset, ctx):
            continue  # out of service: nothing to replace, only a disposal to confirm
        due = replacement_due(asset, ctx.settings)
        if due is None or due > horizon:
            continue
        since = asset.in_service_since
        age = f"{(ctx.as_of - since).days / 365.25:.1f} years old" if since else "age unknown"
        quarter = Quarter.of(max(due, ctx.as_of)).label
        # The forecast starts next quarter, so that is the earliest quarter a replacement can be budgeted in.
        plan = max(Quarter.of(due), Quarter.of(ctx.as_of).next()).label
        by_warranty = (asset.device_type in SERVER_LIKE and asset.warranty_end == due
                       and ctx.settings.hardware.replace_servers_at_warranty_end)
        what = f"{type_word(asset).capitalize()} {asset.name}"
        if due < ctx.as_of:  # the due date itself is still "due", as a warranty still covers its end date
            severity = "high" if asset.device_type in SERVER_LIKE else "medium"
            reason = f": its warranty ended on {fmt(due)}" if by_warranty else ""
            title = f"{what} is past its replacement date{reason} ({age})"
            recommendation = f"Replace the {type_word(asset)} as soon as possible; budgeted in {plan}."
        else:
            severity = "low"
            reason = f" when its warranty ends on {fmt(due)}" if by_warranty else ""
            title = f"{what} is due for replacement in {quarter}{reason} ({age})"
            recommendation = f"Budget a replacement {type_word(asset)} in {plan}."
        cost = ctx.prices.device(asset.device_type)
        beyond_year = due > add_months(ctx.as_of, 12)
        findings.append(Finding(client.name, "lifecycle.hardware_age", severity, title, subjects[id(asset)], "device",
                                recommendation, asset.sources, due_date=due, estimated_cost=cost, cost_kind="one_time",
                                facts={"in_service_since": since, "device_type": asset.device_type,
                                       "due_quarter": quarter, "plan_quarter": plan, "model": asset.model,
                                       "due_reason": "warranty_end" if by_warranty else "max_age",
                                       # a replacement due more than 12 months ahead is the later years'
                                       # forecast: it settles nothing that is done now
                                       "replaces_device": not beyond_year, "beyond_year": beyond_year,
                                       "warranty_end": asset.warranty_end}))
    return findings


def warranty(client: ClientData, ctx: RuleContext) -> list[Finding]:
    """Lapsed or lapsing warranties. A server, network or storage device younger than its replacement age gets
    "extend warranty or support" with a price (a firewall: renew its security services); one due for replacement
    gets the replacement only (the engine drops a warranty finding for a device being replaced)."""
    window = ctx.settings.thresholds.warranty_expiring_days
    findings = []
    subjects = device_subjects(client)
    for asset in client.assets:
        end = asset.warranty_end
        if end is None or presumed_retired(asset, ctx):
            continue  # unknown warranty is a data gap, counted by the engine, not a finding
        important = asset.device_type in SERVER_LIKE
        days = (end - ctx.as_of).days
        if days > window:
            continue
        lapsed = days < 0
        word = "expired on" if lapsed else "expires on"
        cost = None
        if important and is_firewall(asset):
            severity = "high" if lapsed else "medium"
            title = f"Support and security services on firewall {asset.name} {'ended' if lapsed else 'end'} on {fmt(end)}"
            recommendation = (f"Renew the security-services subscription of {asset.name} for a year: it carries the "
                              "hardware support, firmware fixes and threat signatures the firewall needs to keep "
                              "protecting the network.")
            cost = ctx.prices.configured.firewall_security_services
        elif important:
            severity = "high" if lapsed else "medium"
            title = f"Warranty on {type_word(asset)} {asset.name} {word} {fmt(end)}"
            recommendation = (f"Extend the manufacturer's warranty on {asset.name} for a year, or buy third-party "
                              f"hardware support: a {type_word(asset)} failing out of warranty can mean days of "
                              "downtime waiting for parts.")
            cost = ctx.prices.configured.warranty_extension(asset.device_type)
        else:
            severity = "low"
            title = f"Warranty on {type_word(asset)} {asset.name} {word} {fmt(end)}"
            recommendation = (f"Extend the warranty only if {asset.name} is to be kept another year; "
                              "otherwise plan its replacement.")
        findings.append(Finding(client.name, "lifecycle.warranty", severity, title, subjects[id(asset)], "device",
                                recommendation, asset.sources, due_date=end, estimated_cost=cost,
                                cost_kind="one_time" if cost else None,
                                facts={"warranty_end": end, "device_type": asset.device_type, "model": asset.model,
                                       "remedy": "renew_security_services" if cost and is_firewall(asset)
                                       else "extend_warranty" if cost else None,
                                       "warranty_source": asset.provenance.get("warranty")}))
    return findings


def confirm_disposal(client: ClientData, ctx: RuleContext) -> list[Finding]:
    """Devices the register marks retired, or that no tool has seen for longer than thresholds.retired_after_days:
    no replacement to budget, only a disposal to confirm (disk wiped, removed from the register and monitoring)."""
    findings = []
    subjects = device_subjects(client)
    for asset in client.assets:
        if not presumed_retired(asset, ctx):
            continue
        unseen = days_unseen(asset, ctx.as_of)
        if is_retired(asset):
            title = f"{asset.name} is marked {asset.status} in the asset register: confirm its disposal"
            recent = unseen is not None and unseen <= ctx.settings.thresholds.agent_offline_days
            extra = (f" The RMM still saw it on {fmt(asset.last_seen.date())}: if it is in use, correct the register "
                     "instead.") if recent else ""
        else:
            as_of = observed(asset, "last_seen", ctx.as_of)
            title = (f"{type_word(asset).capitalize()} {asset.name} has not been seen by any tool since "
                     f"{fmt(asset.last_seen.date())} ({unseen} days as of {fmt(as_of)}): confirm its disposal")
            extra = " If it is still in use, bring it back under management."
        identity = identify_os(asset.os, asset.os_build) if asset.os else None
        status = ctx.catalog.status(identity) if identity else None
        unsupported = bool(status and status.eol and status.eol < ctx.as_of)
        holds_data = asset.device_type in {"server", "storage"} or unsupported
        recommendation = (f"Confirm {asset.name} is disconnected and its disk wiped or destroyed (keep the "
                          "certificate), then remove it from the asset register and the RMM." + extra)
        findings.append(Finding(client.name, "lifecycle.confirm_disposal", "medium" if holds_data else "low", title,
                                subjects[id(asset)], "device", recommendation, asset.sources,
                                facts={"device_type": asset.device_type, "status": asset.status,
                                       "last_seen": asset.last_seen.date() if asset.last_seen else None,
                                       "unsupported_os": unsupported, "retired": True}))
    return findings
