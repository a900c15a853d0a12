"""Builders for findings tests: small ClientData worlds written in a line or two.

Import the helpers with ``from tests.findings.conftest import ...``; the fixtures (``catalog``,
``config``) are picked up by pytest. Every builder fills the fields a rule needs with neutral
values (a healthy, recently bought, monitored device; an active licensed user), so a test only
states what matters to it.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta

import pytest

from pipeline.config import Settings, load_settings, settings_from
from pipeline.findings import evaluate
from pipeline.findings.finding import Finding
from pipeline.catalog.lifecycle import LifecycleCatalog
from pipeline.catalog.os_identity import identify_os
from pipeline.model import Asset, ClientData, Contract, Exclusion, Goal, Subscription, User

AS_OF = date(2026, 11, 20)  # the sample review date: quarter 2026-Q4
CLIENT = "Acme Dental"

# OS captions whose catalog dates the tests read back (never hard-code a catalog date twice).
WIN10 = "Microsoft Windows 10 Pro 22H2"
WIN11_24H2_PRO = "Microsoft Windows 11 Pro 24H2"
WIN11_25H2_PRO = "Microsoft Windows 11 Pro 25H2"
WIN11_NO_EDITION = "Microsoft Windows 11 10.0.26100"
SERVER_2012R2 = "Microsoft Windows Server 2012 R2 Standard"
SERVER_2016 = "Microsoft Windows Server 2016 Standard"
SERVER_2022 = "Microsoft Windows Server 2022 Standard"
UBUNTU_2004 = "Ubuntu 20.04.6 LTS"


@functools.cache
def builtin_catalog() -> LifecycleCatalog:
    return LifecycleCatalog.load()


@functools.cache
def default_config() -> Settings:
    return load_settings(None)


@pytest.fixture
def catalog() -> LifecycleCatalog:
    return builtin_catalog()


@pytest.fixture
def config() -> Settings:
    return default_config()


def eol_of(caption: str) -> date:
    status = builtin_catalog().status(identify_os(caption))
    assert status is not None and status.eol is not None, caption
    return status.eol


def configured(clients: dict | None = None, **overrides) -> Settings:
    """The default settings with dotted overrides, validated as a vcio.toml would be:
    configured(**{"prices.desktop": 999}); per-client sections with clients={"Acme": {"prices": {...}}}."""
    user: dict = {"clients": clients or {}}
    for dotted, value in overrides.items():
        node = user
        *parents, leaf = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return settings_from(user, None)


def asset(name: str = "PC-01", **fields) -> Asset:
    """A healthy desktop bought a year before AS_OF, monitored by the RMM, under warranty for years."""
    values = dict(hostname=name, serial=f"SN-{name}", device_type="desktop", os=None,
                  purchase_date=AS_OF - timedelta(days=365), warranty_end=AS_OF + timedelta(days=3 * 365),
                  last_seen=datetime.combine(AS_OF, time(8, 0)), av_status="running", patch_status="ok",
                  patches_missing=0, tools=["psa", "rmm"], sources=["psa/configs.csv:2"])
    values.update(fields)
    if "provenance" not in fields:
        # The RMM export that reported the device was taken on the review date (or on the day it last saw the device).
        seen = AS_OF if values.get("last_seen") is None else max(values["last_seen"].date(), AS_OF)
        values["provenance"] = {fact: {"source": "rmm/devices.csv:2", "tool": "rmm", "observed": seen}
                                for fact in ("os", "last_seen", "antivirus", "patches", "backup")}
    return Asset(**values)


def user(upn: str = "ann@acme.example", **fields) -> User:
    """An active member with Business Premium, seen yesterday, MFA state unknown (no MFA export)."""
    values = dict(display_name=upn.split("@")[0].title(), licenses=["Microsoft 365 Business Premium"],
                  created=date(2020, 1, 1), last_activity=AS_OF - timedelta(days=1), activity_known=True,
                  sources=["m365/users.csv:2"])
    values.update(fields)
    return User(upn=upn, **values)


def subscription(product: str = "Microsoft 365 Business Premium", quantity: int = 10, **fields) -> Subscription:
    values = dict(billing_term="monthly", price=22.0, status="Active", vendor="Pax8",
                  sources=["pax8/subscriptions.csv:2"])
    values.update(fields)
    return Subscription(product=product, quantity=quantity, **values)


def contract(name: str = "Acme - Managed Services", **fields) -> Contract:
    values = dict(type="Managed Services", start_date=date(2025, 1, 1), end_date=date(2027, 12, 31),
                  monthly_amount=1000.0, sources=["psa/agreements.csv:2"])
    values.update(fields)
    return Contract(name=name, **values)


def goal(text: str, tags: list[str], priority: str = "High", initiative: str | None = None,
         owner: str | None = None) -> Goal:
    return Goal(goal=text, tags=tags, priority=priority, initiative=initiative, owner=owner, source="goals.csv:2")


def exclusion(subject: str, rule: str, until: date | None = None, reason: str = "client accepted the risk") -> Exclusion:
    return Exclusion(subject=subject, rule=rule, reason=reason, until=until, source="exclusions.csv:2")


def client(*, assets=(), users=(), subscriptions=(), contracts=(), goals=(), exclusions=(), name: str = CLIENT,
           **fields) -> ClientData:
    return ClientData(name=name, assets=list(assets), users=list(users), subscriptions=list(subscriptions),
                      contracts=list(contracts), goals=list(goals), exclusions=list(exclusions), **fields)


def run(data: ClientData, as_of: date = AS_OF, config: Settings | None = None):
    """evaluate() with the built-in catalog and (by default) the default configuration."""
    return evaluate(data, as_of, config or default_config(), builtin_catalog())


def found(data: ClientData, rule: str, as_of: date = AS_OF, config: Settings | None = None) -> list[Finding]:
    """The active findings of one rule (full rule name, or its category)."""
    return [f for f in run(data, as_of, config).findings if rule in {f.rule, f.category}]


def one(data: ClientData, rule: str, as_of: date = AS_OF, config: Settings | None = None) -> Finding | None:
    """The single finding of a rule, or None; fails if the rule produced more than one."""
    matches = found(data, rule, as_of, config)
    assert len(matches) <= 1, [f.title for f in matches]
    return matches[0] if matches else None


def make_finding(rule: str, subject: str, severity: str = "medium", *, due: date | None = None,
                 cost: float | None = None, cost_kind: str | None = None, client_name: str = CLIENT,
                 **facts) -> Finding:
    """A finding written by hand, for roll-up tests that should not depend on the rules."""
    return Finding(client_name, rule, severity, f"{rule} on {subject}", subject, "device", "Fix it.", ["x.csv:2"],
                   due_date=due, estimated_cost=cost, cost_kind=cost_kind or ("one_time" if cost else None),
                   facts=facts)
