"""Model entities are slotted and pickle as their field values: nothing lost, nothing shared by accident."""

from __future__ import annotations

import copy
import pickle
from dataclasses import MISSING, fields
from datetime import date, datetime

import pytest

from pipeline.model import Asset, ClientData, Contract, Decision, Exclusion, Goal, Subscription, User

ENTITIES = (Asset, User, Subscription, Contract, Goal, Decision, Exclusion, ClientData)


def client() -> ClientData:
    asset = Asset("PC-1", serial="S1", os="Windows 11", purchase_date=date(2021, 3, 1),
                  last_seen=datetime(2026, 11, 19, 8, 30), patches_missing=3, sources=["rmm.csv:2", "psa.csv:7"],
                  tools=["psa", "rmm"], conflicts=["device_type"])
    user = User("ann@acme.test", display_name="Ann", licenses=["M365 Business Premium"], mfa_registered=None,
                sources=["users.csv:2"])
    return ClientData(
        name="Acme", tier="gold", fiscal_year_start=7, domains=["acme.test"], assets=[asset], users=[user],
        subscriptions=[Subscription("M365 Business Premium", quantity=12, price=22.0, sources=["pax8.csv:3"])],
        contracts=[Contract("Managed services", monthly_amount=1500.0, no_end=True)],
        goals=[Goal("Open a second office", tags=["growth"], source="goals.csv:4")],
        decisions=[Decision("EOL-1A2B3C4D", "declined", decided_on=date(2026, 10, 1), source="decisions.csv:2")],
        exclusions=[Exclusion("PC-9", "lifecycle.*", "lab machine", until=date(2027, 1, 1))],
        merge_conflicts=1, input_rows={"psa.csv": 2, "rmm.csv": 3}, concealed_activity_rows=1)


@pytest.mark.parametrize("cls", ENTITIES, ids=lambda c: c.__name__)
def test_entities_take_no_attributes_besides_their_fields(cls):
    required = [f for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING]
    instance = cls(*["x"] * len(required))
    assert not hasattr(instance, "__dict__")
    with pytest.raises(AttributeError):
        instance.not_a_field = 1


def test_a_client_survives_pickling_field_for_field():
    original = client()
    restored = pickle.loads(pickle.dumps(original, protocol=pickle.HIGHEST_PROTOCOL))
    assert restored == original and type(restored.assets[0]) is Asset
    assert restored.assets[0].in_service_since == date(2021, 3, 1) and restored.assets[0].name == "PC-1"
    assert repr(restored) == repr(original)  # the fingerprint hashes repr(client)


def test_copies_are_independent():
    original = client()
    deep = copy.deepcopy(original)
    deep.assets[0].sources.append("warranty.csv:9")
    assert original.assets[0].sources == ["rmm.csv:2", "psa.csv:7"]
    shallow = copy.copy(original.users[0])
    assert shallow == original.users[0] and shallow is not original.users[0]
