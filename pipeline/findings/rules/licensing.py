"""Licence rules: renewals of subscriptions and contracts, and licence waste."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from ...model import ClientData, User
from ...model.skus import product_key
from ..finding import Finding, RuleContext
from .lifecycle import fmt

COMMITTED_TERMS = {"annual", "2-year", "3-year"}


def license_usage(client: ClientData) -> dict[str, dict]:
    """Per product key: purchased seats, assigned users, display name and the subscriptions behind it."""
    usage: dict[str, dict] = defaultdict(lambda: {"product": "", "purchased": 0, "assigned": 0,
                                                  "subscriptions": [], "users": []})
    for sub in client.subscriptions:
        if not sub.active:
            continue
        entry = usage[product_key(sub.product)]
        entry["product"] = entry["product"] or sub.product
        entry["purchased"] += sub.quantity
        entry["subscriptions"].append(sub)
    for user in client.users:
        for product in user.licenses:
            entry = usage[product_key(product)]
            entry["product"] = entry["product"] or product
            entry["assigned"] += 1
            entry["users"].append(user)
    return dict(usage)


def renewals(client: ClientData, ctx: RuleContext) -> list[Finding]:
    horizon = ctx.as_of + timedelta(days=ctx.threshold("renewal_horizon_days"))
    soon = ctx.as_of + timedelta(days=ctx.threshold("renewal_soon_days"))
    usage = license_usage(client)
    findings = []
    for sub in client.subscriptions:
        renews = sub.renews_on
        if not sub.active or renews is None or not (ctx.as_of <= renews <= horizon):
            continue
        annual = round(sub.monthly_value * 12, 2) if sub.monthly_value is not None else None
        committed = sub.billing_term in COMMITTED_TERMS
        entry = usage.get(product_key(sub.product), {})
        spare = max(0, entry.get("purchased", 0) - entry.get("assigned", 0)) if entry.get("users") else 0
        if committed:
            title = f"{sub.product}: {sub.quantity} seats, {sub.billing_term} commitment ends {fmt(renews)}"
            if spare:
                recommendation = (f"Right-size before {fmt(renews)}: {entry['assigned']} of {entry['purchased']} seats "
                                  f"are assigned, so {spare} seats could be dropped at renewal. Under Microsoft's "
                                  "new-commerce terms seats can only be reduced at the commitment end date.")
            else:
                recommendation = (f"Review the seat count before {fmt(renews)}: commitments can only be reduced at "
                                  "renewal, and the term renews automatically.")
        else:
            title = f"{sub.product} renews on {fmt(renews)}"
            recommendation = f"Confirm {sub.product} is still needed and at what quantity before {fmt(renews)}."
        findings.append(Finding(
            client.name, "renewal.subscription", "medium" if renews <= soon else "low", title, sub.product,
            "subscription", recommendation, sub.sources, due_date=renews, estimated_cost=annual,
            cost_kind="recurring" if annual is not None else None,
            facts={"quantity": sub.quantity, "billing_term": sub.billing_term, "renews_on": renews,
                   "seats_droppable": spare, "committed": committed, "monthly": sub.monthly_value}))
    for contract in client.contracts:
        end = contract.end_date
        if contract.cancelled or contract.no_end or end is None or not (ctx.as_of <= end <= horizon):
            continue
        annual = round(contract.monthly_amount * 12, 2) if contract.monthly_amount is not None else None
        findings.append(Finding(
            client.name, "renewal.contract", "medium" if end <= soon else "low",
            f"Agreement '{contract.name}' ends on {fmt(end)}", contract.name, "contract",
            f"Review the scope and terms of '{contract.name}' with the client and renew before {fmt(end)}.",
            contract.sources, due_date=end, estimated_cost=annual, cost_kind="recurring" if annual is not None else None,
            facts={"type": contract.type, "ends_on": end, "monthly": contract.monthly_amount}))
    return findings


def _user_monthly_cost(user: User, ctx: RuleContext) -> float:
    return sum(ctx.prices.license_monthly(p)[0] for p in user.licenses)


def _waste_severity(annual: float) -> str:
    return "medium" if annual >= 1000 else "low"


def license_waste(client: ClientData, ctx: RuleContext) -> list[Finding]:
    findings = []
    for key, entry in sorted(license_usage(client).items()):
        spare = entry["purchased"] - entry["assigned"]
        if not entry["subscriptions"] or spare <= 0:
            continue
        monthly = ctx.prices.license_monthly(entry["product"])[0] * spare
        annual = round(monthly * 12, 2)
        sources = [s for sub in entry["subscriptions"] for s in sub.sources]
        renew = min((s.renews_on for s in entry["subscriptions"] if s.renews_on and s.renews_on >= ctx.as_of), default=None)
        when = f" at the {fmt(renew)} renewal" if renew else ""
        findings.append(Finding(
            client.name, "licensing.unassigned_seats", _waste_severity(annual),
            f"{spare} of {entry['purchased']} {entry['product']} seats are not assigned to anyone",
            entry["product"], "subscription",
            f"Reduce {entry['product']} by {spare} seats{when}, or assign them to the staff who need them.",
            sources, due_date=renew, estimated_cost=annual, cost_kind="recurring",
            facts={"purchased": entry["purchased"], "assigned": entry["assigned"], "spare": spare,
                   "monthly": round(monthly, 2)}))
    inactive_days = ctx.threshold("inactive_user_days")
    cutoff = ctx.as_of - timedelta(days=inactive_days)
    for user in client.users:
        paid = [p for p in user.licenses if ctx.prices.license_monthly(p)[0] > 0]
        if not paid or user.is_guest:
            continue
        monthly = round(_user_monthly_cost(user, ctx), 2)
        annual = round(monthly * 12, 2)
        products = ", ".join(paid)
        if user.blocked or user.deleted:
            findings.append(Finding(
                client.name, "licensing.blocked_user_licensed", _waste_severity(annual),
                f"Blocked account {user.upn} still holds {products}", user.upn, "user",
                f"Remove the licences from {user.upn} (convert the mailbox to a shared mailbox if its mail must be "
                "kept), then reduce the subscription.", user.sources, estimated_cost=annual, cost_kind="recurring",
                facts={"licenses": paid, "monthly": monthly}))
        elif user.activity_known and (user.last_activity is None or user.last_activity < cutoff) and not (
                user.created and user.created > cutoff):
            seen = f"last active {fmt(user.last_activity)}" if user.last_activity else "no recorded activity"
            findings.append(Finding(
                client.name, "licensing.inactive_user", _waste_severity(annual),
                f"{user.upn} holds {products} but has been inactive {inactive_days}+ days ({seen})", user.upn, "user",
                f"Confirm with the client whether {user.display_name or user.upn} still needs a licence; if not, "
                "remove it and reduce the subscription.", user.sources, estimated_cost=annual, cost_kind="recurring",
                facts={"licenses": paid, "monthly": monthly, "last_activity": user.last_activity}))
    return findings

