"""Device lifecycle rules: operating-system end of support, hardware age, warranty."""

from __future__ import annotations

from datetime import date

from ...config import Settings
from ...model import Asset, ClientData
from ...quarters import Quarter, add_months, add_years
from ..finding import Finding, RuleContext
from ...catalog.os_identity import identify_os

SERVER_LIKE = {"server", "network", "storage"}
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
        if not asset.os:
            continue
        identity = identify_os(asset.os, asset.os_build)
        status = ctx.catalog.status(identity)
        if status is None or status.eol is None:
            continue
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
        recommendation, cost = _eol_remedy(asset, identity, status, ctx)
        if status.feature_update_only:
            remedy = "feature_update"
        elif identity.is_server or asset.device_type == "server":
            remedy = "migrate"
        else:
            remedy = "upgrade_or_replace"
        facts = {"os": label, "eol": eol, "extended_end": status.extended_end, "device_type": asset.device_type,
                 "remedy": remedy, "catalog_source": status.source, "note": status.note,
                 "retired": is_retired(asset)}
        if status.note:
            recommendation += f" ({status.note})"
        findings.append(Finding(client.name, "lifecycle.os_end_of_support", severity, title, subjects[id(asset)], "device",
                                recommendation, asset.sources, due_date=eol, estimated_cost=cost,
                                cost_kind="one_time" if cost else None, facts=facts))
    return findings


def _eol_remedy(asset: Asset, identity, status, ctx: RuleContext) -> tuple[str, float | None]:
    if is_retired(asset):
        # Nothing to buy for a device the register says is out of service, but an unsupported OS on a
        # machine that may still hold data must be confirmed gone.
        return (f"{asset.name} is marked {asset.status} in the asset register: confirm it is disconnected and its "
                "disk wiped, then remove it from the register; if it is still in use, replace or upgrade it.", None)
    if status.feature_update_only:
        return (f"Apply the current Windows 11 feature update to {asset.name}; the device already runs "
                "Windows 11, so the update itself needs no new hardware.", ctx.prices.feature_update)
    if identity.is_server or asset.device_type == "server":
        extended = f" Extended security updates run to {fmt(status.extended_end)} at extra cost." if (
            status.extended_end and status.extended_end > ctx.as_of) else ""
        return (f"Migrate the workloads on {asset.name} to a supported server or cloud service and retire it."
                + extended, ctx.prices.device("server"))
    if identity.product == "windows":
        since = asset.in_service_since
        max_age = ctx.settings.hardware.max_age(asset.device_type) or 5
        old = since is not None and add_years(since, max_age - 1) <= ctx.as_of
        if old or since is None:
            why = "it is near or past its replacement age" if old else "its age is unknown"
            return (f"Replace {asset.name} with a Windows 11 device ({why}), "
                    "or upgrade it if the hardware meets Windows 11 requirements.", ctx.prices.device(asset.device_type))
        return (f"Upgrade {asset.name} to Windows 11 (the device is young enough to keep).", ctx.prices.feature_update)
    return (f"Upgrade {asset.name} to a supported {ctx.catalog.label(identity.product)} release or replace it.",
            ctx.prices.device(asset.device_type))


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
    horizon = add_months(ctx.as_of, 12)
    subjects = device_subjects(client)
    for asset in client.assets:
        if is_retired(asset):
            continue  # out of service: nothing to replace (the warranty rule skips it too)
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
        findings.append(Finding(client.name, "lifecycle.hardware_age", severity, title, subjects[id(asset)], "device",
                                recommendation, asset.sources, due_date=due, estimated_cost=cost, cost_kind="one_time",
                                facts={"in_service_since": since, "device_type": asset.device_type,
                                       "due_quarter": quarter, "plan_quarter": plan, "model": asset.model,
                                       "due_reason": "warranty_end" if by_warranty else "max_age"}))
    return findings


def warranty(client: ClientData, ctx: RuleContext) -> list[Finding]:
    window = ctx.settings.thresholds.warranty_expiring_days
    findings = []
    subjects = device_subjects(client)
    for asset in client.assets:
        end = asset.warranty_end
        if end is None or is_retired(asset):
            continue  # unknown warranty is a data gap, counted by the engine, not a finding
        important = asset.device_type in SERVER_LIKE
        days = (end - ctx.as_of).days
        if days < 0:
            severity = "high" if important else "low"
            title = f"Warranty on {type_word(asset)} {asset.name} expired on {fmt(end)}"
        elif days <= window:
            severity = "medium" if important else "low"
            title = f"Warranty on {type_word(asset)} {asset.name} expires on {fmt(end)}"
        else:
            continue
        if important:
            recommendation = (f"Extend the manufacturer's warranty on {asset.name} or schedule its replacement; "
                              f"a {type_word(asset)} failing out of warranty can mean days of downtime waiting for parts.")
        else:
            recommendation = (f"Extend the warranty only if {asset.name} is to be kept another year; "
                              "otherwise plan its replacement.")
        findings.append(Finding(client.name, "lifecycle.warranty", severity, title, subjects[id(asset)], "device",
                                recommendation, asset.sources, due_date=end,
                                facts={"warranty_end": end, "device_type": asset.device_type, "model": asset.model}))
    return findings
