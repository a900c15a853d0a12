"""Device lifecycle rules: operating-system end of support, hardware age, warranty."""

from __future__ import annotations

from datetime import date

from ...config import Config
from ...model import Asset, ClientData
from ...quarters import Quarter, add_months, add_years
from ..finding import Finding, RuleContext
from ..lifecycle import identify_os

SERVER_LIKE = {"server", "network", "storage"}
_TYPE_WORDS = {"desktop": "desktop", "laptop": "laptop", "server": "server", "network": "network device",
               "storage": "storage device", "virtual": "virtual machine", "mobile": "mobile device",
               "printer": "printer", "other": "device"}


def type_word(asset: Asset) -> str:
    return _TYPE_WORDS.get(asset.device_type, "device")


def fmt(day: date) -> str:
    return day.strftime("%b %d, %Y").replace(" 0", " ")


def os_end_of_support(client: ClientData, ctx: RuleContext) -> list[Finding]:
    medium = ctx.threshold("eol_medium_months")
    low = ctx.threshold("eol_low_months")
    findings = []
    for asset in client.assets:
        if not asset.os:
            continue
        identity = identify_os(asset.os, asset.os_build)
        status = ctx.catalog.status(identity)
        if status is None or status.eol is None:
            continue
        eol = status.eol
        past = eol <= ctx.as_of
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
        facts = {"os": label, "eol": eol, "extended_end": status.extended_end, "device_type": asset.device_type,
                 "remedy": "feature_update" if status.feature_update_only else ("migrate" if identity.is_server else "upgrade_or_replace"),
                 "catalog_source": status.source, "note": status.note}
        if status.note:
            recommendation += f" ({status.note})"
        findings.append(Finding(client.name, "lifecycle.os_end_of_support", severity, title, asset.name, "device",
                                recommendation, asset.sources, due_date=eol, estimated_cost=cost,
                                cost_kind="one_time" if cost else None, facts=facts))
    return findings


def _eol_remedy(asset: Asset, identity, status, ctx: RuleContext) -> tuple[str, float | None]:
    if status.feature_update_only:
        return (f"Apply the current Windows 11 feature update to {asset.name}; the hardware already runs "
                "Windows 11, so no replacement is needed.", ctx.prices.feature_update)
    if identity.is_server or asset.device_type == "server":
        extended = f" Extended security updates run to {fmt(status.extended_end)} at extra cost." if (
            status.extended_end and status.extended_end > ctx.as_of) else ""
        return (f"Migrate the workloads on {asset.name} to a supported server or cloud service and retire it."
                + extended, ctx.prices.device("server"))
    if identity.product == "windows":
        since = asset.in_service_since
        max_age = float(ctx.config.get(f"hardware.max_age_years.{asset.device_type}", 5))
        old = since is not None and add_years(since, max_age - 1) <= ctx.as_of
        if old or since is None:
            return (f"Replace {asset.name} with a Windows 11 device (it is near or past its replacement age), "
                    "or upgrade it if the hardware meets Windows 11 requirements.", ctx.prices.device(asset.device_type))
        return (f"Upgrade {asset.name} to Windows 11 (the device is young enough to keep).", ctx.prices.feature_update)
    return (f"Upgrade {asset.name} to a supported {identity.label.split()[0]} release or replace it.",
            ctx.prices.device(asset.device_type))


def replacement_due(asset: Asset, config: Config) -> date | None:
    """The date a device is due for replacement: max age, or warranty end for servers (configurable)."""
    since = asset.in_service_since
    max_age = config.get(f"hardware.max_age_years.{asset.device_type}")
    due = add_years(since, float(max_age)) if since and max_age else None
    if (asset.device_type in SERVER_LIKE and asset.warranty_end
            and config.get("hardware.replace_servers_at_warranty_end", True)):
        due = min(due, asset.warranty_end) if due else asset.warranty_end
    return due


def hardware_age(client: ClientData, ctx: RuleContext) -> list[Finding]:
    findings = []
    horizon = add_months(ctx.as_of, 12)
    for asset in client.assets:
        due = replacement_due(asset, ctx.config)
        if due is None or due > horizon:
            continue
        since = asset.in_service_since
        age = f"{(ctx.as_of - since).days / 365.25:.1f} years old" if since else "age unknown"
        quarter = Quarter.of(max(due, ctx.as_of)).label
        if due <= ctx.as_of:
            severity = "high" if asset.device_type in SERVER_LIKE else "medium"
            title = f"{type_word(asset).capitalize()} {asset.name} is past its replacement date ({age})"
        else:
            severity = "low"
            title = f"{type_word(asset).capitalize()} {asset.name} is due for replacement in {quarter} ({age})"
        cost = ctx.prices.device(asset.device_type)
        recommendation = f"Budget a replacement {type_word(asset)} in {quarter}."
        findings.append(Finding(client.name, "lifecycle.hardware_age", severity, title, asset.name, "device",
                                recommendation, asset.sources, due_date=due, estimated_cost=cost, cost_kind="one_time",
                                facts={"in_service_since": since, "device_type": asset.device_type,
                                       "due_quarter": quarter, "model": asset.model}))
    return findings


def warranty(client: ClientData, ctx: RuleContext) -> list[Finding]:
    window = ctx.threshold("warranty_expiring_days")
    findings = []
    for asset in client.assets:
        end = asset.warranty_end
        if end is None or (asset.status or "").lower() in {"inactive", "retired", "disposed"}:
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
                              "an unsupported server failure means days of downtime waiting for parts.")
        else:
            recommendation = (f"Extend the warranty only if {asset.name} is to be kept another year; "
                              "otherwise plan its replacement.")
        findings.append(Finding(client.name, "lifecycle.warranty", severity, title, asset.name, "device",
                                recommendation, asset.sources, due_date=end,
                                facts={"warranty_end": end, "device_type": asset.device_type, "model": asset.model}))
    return findings
