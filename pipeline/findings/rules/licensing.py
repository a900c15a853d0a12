"""Licence rules: renewals of subscriptions and contracts, and licence waste."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from ...model import ClientData, Subscription, User
from ...catalog.skus import product_key
from ..finding import Finding, RuleContext
from .lifecycle import fmt, stale_source

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


def commitment(sub: Subscription, as_of: date) -> str | None:
    """The subscription's committed term ("annual", "2-year", "3-year", or "term" when only its commitment end
    date says so), None when it runs month to month.

    Pax8's billingTerm is how often the client is billed: an annual commitment paid monthly says "Monthly" and
    has a commitmentTerm.endDate, which only annual and multi-year commitments carry. A monthly term's
    commitment end (Partner Center termDuration P1M) is at most a month away and not on a start anniversary.
    """
    if sub.billing_term in COMMITTED_TERMS:
        return sub.billing_term
    end = sub.commitment_end
    if end is None:
        return None
    if sub.billing_term != "monthly" or (end - as_of).days > 31:
        return "term"
    start = sub.start_date
    if start is not None and (end - start).days > 300:
        anniversary = (start.month, start.day)
        if (end.month, end.day) == anniversary or ((end + timedelta(days=1)).month, (end + timedelta(days=1)).day) == anniversary:
            return "term"
    return None


def renewals(client: ClientData, ctx: RuleContext) -> list[Finding]:
    horizon = ctx.as_of + timedelta(days=ctx.settings.thresholds.renewal_horizon_days)
    soon = ctx.as_of + timedelta(days=ctx.settings.thresholds.renewal_soon_days)
    usage = license_usage(client)
    findings = []
    due = [s for s in client.subscriptions
           if s.active and s.renews_on is not None and ctx.as_of <= s.renews_on <= horizon]
    per_product = Counter(product_key(s.product) for s in due)
    for sub in due:
        renews = sub.renews_on
        annual = round(sub.monthly_value * 12, 2) if sub.monthly_value is not None else None
        term = commitment(sub, ctx.as_of)
        committed = term is not None
        entry = usage.get(product_key(sub.product), {})
        unassigned = max(0, entry.get("purchased", 0) - entry.get("assigned", 0)) if entry.get("users") else 0
        blocked = sum(1 for u in entry.get("users", []) if (u.blocked or u.deleted) and not u.is_guest)
        inactive = sum(1 for u in entry.get("users", []) if not (u.blocked or u.deleted) and is_inactive(u, ctx))
        spare = min(unassigned + blocked, sub.quantity)  # a renewal can drop at most its own seats
        possible = min(unassigned + blocked + inactive, sub.quantity)
        # Two subscriptions of one product (seats added later under new commerce) renew on different dates:
        # each keeps its own subject, so its own id.
        subject = sub.product if per_product[product_key(sub.product)] == 1 else f"{sub.product} (renews {renews.isoformat()})"
        if committed:
            billed = f" (billed {sub.billing_term})" if term == "term" and sub.billing_term else ""
            kind = "" if term == "term" else f"{term} "
            title = f"{sub.product}: {sub.quantity} seats, {kind}commitment ends {fmt(renews)}{billed}"
            if spare or possible:
                freed = f" ({unassigned} unassigned, {blocked} on blocked accounts)" if blocked else ""
                maybe = (f", up to {possible} if the {inactive} inactive user{'s' if inactive != 1 else ''}' licences "
                         "are removed too") if possible > spare else ""
                recommendation = (f"Right-size before {fmt(renews)}: {entry['assigned']} of {entry['purchased']} seats "
                                  f"are assigned; {spare} seat{'s' if spare != 1 else ''} can be dropped at renewal for "
                                  f"certain{freed}{maybe}. Under Microsoft's new-commerce terms seats can only be "
                                  "reduced at the commitment end date.")
            else:
                recommendation = (f"Review the seat count before {fmt(renews)}: commitments can only be reduced at "
                                  "renewal, and the term renews automatically.")
        elif sub.commitment_end is None:
            # No commitment: the date is the subscription's scheduled end, not a renewal.
            title = f"{sub.product} ({sub.quantity} seats) is scheduled to end on {fmt(renews)}"
            recommendation = (f"Confirm {sub.product} should end on {fmt(renews)}; if it is still needed, arrange its "
                              "renewal before then.")
        else:
            continue  # month to month: nothing to decide by a date; idle seats are reported as droppable now
        findings.append(Finding(
            client.name, "renewal.subscription", "medium" if renews <= soon else "low", title, subject,
            "subscription", recommendation, sub.sources, due_date=renews, estimated_cost=annual,
            cost_kind="recurring" if annual is not None else None,
            facts={"product": sub.product, "quantity": sub.quantity, "billing_term": sub.billing_term,
                   "renews_on": renews, "seats_droppable": spare, "seats_possible": possible,
                   "seats_blocked": blocked, "seats_inactive": inactive, "committed": committed, "term": term,
                   "monthly": sub.monthly_value}))
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


def is_inactive(user: User, ctx: RuleContext) -> bool:
    """No activity for thresholds.inactive_user_days before the activity report's own date (not the review date:
    an old report invents no inactivity), and not created within that window."""
    if not user.activity_known:
        return False
    cutoff = activity_as_of(user, ctx) - timedelta(days=ctx.settings.thresholds.inactive_user_days)
    return (user.last_activity is None or user.last_activity < cutoff) and not (user.created and user.created > cutoff)


def activity_as_of(user: User, ctx: RuleContext) -> date:
    return min(user.activity_observed, ctx.as_of) if user.activity_observed else ctx.as_of


def _seat_release(user: User, paid: list[str], client: ClientData, ctx: RuleContext) -> str:
    """How the seat a clean-up frees stops costing money: at once on monthly terms, at the commitment end on
    annual or multi-year ones (new-commerce seats cannot be reduced before it)."""
    keys = {product_key(p) for p in paid}
    ends = sorted(s.renews_on for s in client.subscriptions
                  if s.active and product_key(s.product) in keys and commitment(s, ctx.as_of) and s.renews_on
                  and s.renews_on >= ctx.as_of)
    if ends:
        return (f"then drop the seat at the {fmt(ends[0])} commitment end (committed seats cannot be reduced "
                "before it; until then it can go to a new starter)")
    return "then reduce the subscription"


def _user_monthly_cost(user: User, ctx: RuleContext) -> float:
    return sum(ctx.prices.license_monthly(p)[0] for p in user.licenses)


def _waste_severity(annual: float) -> str:
    return "medium" if annual >= 1000 else "low"


def license_waste(client: ClientData, ctx: RuleContext) -> list[Finding]:
    findings = []
    for key, entry in sorted(license_usage(client).items()):
        spare = entry["purchased"] - entry["assigned"]
        if not entry["subscriptions"] or spare <= 0 or not client.users:
            continue  # without a user export nothing is known to be assigned: a data gap, not idle seats
        unit = ctx.prices.license_monthly(entry["product"])[0]
        if unit <= 0:
            continue  # free licences cost nothing idle
        monthly = unit * spare
        annual = round(monthly * 12, 2)
        sources = [s for sub in entry["subscriptions"] for s in sub.sources]
        # Only a commitment holds seats until a date; seats billed month to month can be dropped now.
        renew = min((s.renews_on for s in entry["subscriptions"]
                     if commitment(s, ctx.as_of) and s.renews_on and s.renews_on >= ctx.as_of), default=None)
        monthly_only = not any(commitment(s, ctx.as_of) for s in entry["subscriptions"])
        when = f" at the {fmt(renew)} renewal" if renew else " now (no commitment)" if monthly_only else ""
        findings.append(Finding(
            client.name, "licensing.unassigned_seats", _waste_severity(annual),
            f"{spare} of {entry['purchased']} {entry['product']} seats {'is' if spare == 1 else 'are'} not assigned "
            "to anyone",
            entry["product"], "subscription",
            f"Reduce {entry['product']} by {spare} seat{'' if spare == 1 else 's'}{when}, or assign "
            f"{'it' if spare == 1 else 'them'} to the staff who need {'it' if spare == 1 else 'them'}.",
            sources, due_date=renew, estimated_cost=annual, cost_kind="recurring",
            facts={"product": entry["product"], "purchased": entry["purchased"], "assigned": entry["assigned"],
                   "spare": spare, "monthly": round(monthly, 2), "committed": not monthly_only}))
    inactive_days = ctx.settings.thresholds.inactive_user_days
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
                f"kept), {_seat_release(user, paid, client, ctx)}.", user.sources, estimated_cost=annual,
                cost_kind="recurring", facts={"licenses": paid, "monthly": monthly}))
        elif is_inactive(user, ctx):
            seen = f"last active {fmt(user.last_activity)}" if user.last_activity else "no recorded activity"
            as_of = activity_as_of(user, ctx)
            findings.append(Finding(
                client.name, "licensing.inactive_user", _waste_severity(annual),
                f"{user.upn} holds {products} but has been inactive {inactive_days}+ days as of {fmt(as_of)} ({seen})",
                user.upn, "user",
                f"Confirm with the client whether {user.display_name or user.upn} still needs a licence; if not, "
                f"remove it, {_seat_release(user, paid, client, ctx)}.", user.sources, estimated_cost=annual,
                cost_kind="recurring", facts={"licenses": paid, "monthly": monthly, "last_activity": user.last_activity,
                                              "observed_on": as_of, "time_relative": True,
                                              "stale_source": stale_source(as_of, ctx)}))
    return findings

