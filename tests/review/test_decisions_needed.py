"""Decisions needed: one money phrase for every document, a renewal's value stated, the MSP's own work unowned."""

from __future__ import annotations

import pytest

from pipeline.review.build import decision_money
from pipeline.wording import Wording

from .conftest import sample_reviews

W = Wording()


@pytest.mark.parametrize("args, text", [
    ((4000, 12000, 0, 0), "$4,000 in 2027-Q1 of $12,000 in all"),
    ((12000, 12000, 0, 0), "$12,000 in 2027-Q1"),
    ((0, 12000, 0, 0), "$12,000 from a later quarter"),
    ((0, 0, 1344, 0), "Saves $1,344 a year"),
    ((0, 0, 0, 64800), "Renews at $64,800 a year"),
    ((600, 600, 120, 0), "$600 in 2027-Q1, saves $120 a year"),
    ((0, 0, 0, 0), "No one-time cost"),
])
def test_the_decision_money_phrase(args, text):
    assert decision_money(*args, "2027-Q1", W) == text


def test_a_renewal_decision_states_what_it_commits_to_not_no_cost():
    needed = sample_reviews()["Cedar & Finch LLP"].decisions_needed
    renewal = next(d for d in needed if d.title.startswith("Decide on the renewal"))
    assert renewal.annual_value == 64800 and renewal.money == "Renews at $64,800 a year"


def test_the_msps_own_work_has_no_client_owner():
    for review in sample_reviews().values():
        for initiative in review.initiatives:
            if initiative.kind in {"endpoint_security", "disposal"}:
                assert initiative.owner is None, (review.client.name, initiative.title)


def test_a_date_before_this_quarter_ends_comes_before_work_without_one():
    # Harbor Point's managed-services agreement ends Dec 31, 2026, six weeks after the review.
    needed = sample_reviews()["Harbor Point Dental"].decisions_needed
    assert needed[0].title == "Decide on the renewal of Harbor Point - Managed Services by Dec 31, 2026"
    # a date next quarter does not jump ahead of high-severity work
    northwind = [d.severity for d in sample_reviews()["Northwind Logistics"].decisions_needed]
    assert northwind == sorted(northwind, key=["critical", "high", "medium", "low"].index)


def test_critical_decisions_stay_first():
    needed = sample_reviews()["Granite Ridge Manufacturing"].decisions_needed
    assert needed[0].severity == "critical"
