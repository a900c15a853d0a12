"""Every sample client's review tells one story: each costed finding in exactly one initiative, one set of
numbers, no contradictory advice, honest grades, the worst first."""

from __future__ import annotations

from collections import defaultdict

import pytest

from pipeline.review.build import top_risk_count

from .conftest import sample_reviews

NAMES = sorted(sample_reviews())


@pytest.mark.parametrize("name", NAMES)
def test_every_costed_finding_is_in_exactly_one_initiative(name):
    review = sample_reviews()[name]
    owners = defaultdict(list)
    for initiative in review.initiatives:
        for fid in initiative.finding_ids:
            owners[fid].append(initiative.initiative_id)
    for finding in review.findings:
        if finding.estimated_cost:
            assert len(owners[finding.finding_id]) == 1, (finding.title, owners[finding.finding_id])
            assert finding.initiative_id == owners[finding.finding_id][0]


@pytest.mark.parametrize("name", NAMES)
def test_the_budget_is_the_sum_of_the_initiatives(name):
    review = sample_reviews()[name]
    budget = review.budget
    horizon = set(budget.quarters)
    planned = sum(amount for i in review.initiatives for q, amount in i.schedule if q in horizon)
    assert budget.one_time_total == pytest.approx(planned)
    next_quarter = budget.quarters[0]
    assert budget.next_90_days_one_time == pytest.approx(sum(i.spend_in(next_quarter) for i in review.initiatives))
    for index, total in enumerate(budget.totals):
        assert total == pytest.approx(sum(line.amounts[index] for line in budget.lines))
    assert budget.next_four_total == pytest.approx(sum(budget.totals[:4]))
    for initiative in review.initiatives:
        assert initiative.one_time_cost == pytest.approx(sum(a for _, a in initiative.schedule))
        assert initiative.one_time_cost == pytest.approx(sum(item.one_time for item in initiative.items))


@pytest.mark.parametrize("name", NAMES)
def test_a_decision_shows_the_same_money_as_its_initiative(name):
    review = sample_reviews()[name]
    for decision in review.decisions_needed:
        initiative = review.initiative(decision.initiative_id)
        assert decision.cost_total == initiative.one_time_cost
        assert decision.cost_next_quarter == pytest.approx(initiative.spend_in(review.next_quarter))
        assert decision.annual_saving == initiative.annual_saving


REPLACING = {"server_migration", "windows_replacement", "hardware_refresh"}


@pytest.mark.parametrize("name", NAMES)
def test_no_device_is_replaced_and_also_updated_or_extended_in_the_same_quarter(name):
    review = sample_reviews()[name]
    plans = defaultdict(list)
    for initiative in review.initiatives:
        for item in initiative.items:
            if item.kind == "device":
                plans[item.subject.casefold()].append((initiative.kind, item.quarter))
    for device, entries in plans.items():
        replaced = [q for kind, q in entries if kind in REPLACING]
        assert len(replaced) <= 1, (device, entries)
        for kind, quarter in entries:
            if replaced and kind == "warranty_support":
                pytest.fail(f"{device} is replaced and has its warranty extended: {entries}")
            if replaced and kind == "os_update":
                assert quarter < replaced[0], (device, entries)


@pytest.mark.parametrize("name", NAMES)
def test_no_colour_on_an_area_that_was_not_assessed(name):
    for grade in sample_reviews()[name].scorecard:
        if grade.status == "not_assessed":
            assert grade.colour == "grey" and grade.percent is None
        else:
            assert grade.colour in {"green", "amber", "red"} and grade.percent is not None


def test_continuity_is_not_assessed_without_backup_data():
    for review in sample_reviews().values():
        continuity = next(g for g in review.scorecard if g.area == "continuity")
        assert continuity.status == "not_assessed" and "backups" in " ".join(continuity.missing)


def test_security_is_not_assessed_without_an_rmm_or_mfa_export():
    bluebird = sample_reviews()["Bluebird Creative Studio"]
    security = next(g for g in bluebird.scorecard if g.area == "security")
    assert security.status == "not_assessed" and security.colour == "grey"


def test_the_critical_server_leads_the_top_risks_and_the_decisions():
    granite = sample_reviews()["Granite Ridge Manufacturing"]
    first = granite.risks[0]
    assert first.severity == "critical"
    assert "GRM-ERP01" in first.title and "GRM-FS01" in first.title and "Windows Server 2012 R2" in first.title
    assert "Oct 10, 2023" in first.title
    assert granite.decisions_needed[0].initiative_id in first.initiative_ids
    assert "GRM-ERP01" in granite.summary.top_risks[0]


@pytest.mark.parametrize("name", NAMES)
def test_every_critical_item_is_in_the_top_risks_and_the_decisions(name):
    review = sample_reviews()[name]
    top = review.risks[:top_risk_count(review.risks)]
    decided = {d.initiative_id for d in review.decisions_needed}
    for finding in review.findings:
        if finding.severity != "critical":
            continue
        assert any(finding.subject in r.subjects for r in top), finding.title
        assert finding.initiative_id in decided, finding.title


@pytest.mark.parametrize("name", NAMES)
def test_a_client_gets_a_handful_of_initiatives(name):
    review = sample_reviews()[name]
    assert 1 <= len(review.initiatives) <= 12
    assert len({i.title for i in review.initiatives}) == len(review.initiatives)
    for initiative in review.initiatives:
        assert "\u2026" not in initiative.title and "..." not in initiative.title


@pytest.mark.parametrize("name", NAMES)
def test_the_findings_add_up_to_the_budget(name):
    """A device replaced for its age and its operating system is bought once, in the budget and in the findings."""
    review = sample_reviews()[name]
    one_time = sum(f.budgeted or 0 for f in review.findings if f.cost_kind == "one_time")
    assert one_time == pytest.approx(review.budget.one_time_total)
    savings = sum(f.budgeted or 0 for f in review.findings if f.category == "license_waste")
    assert savings == pytest.approx(review.budget.annual_savings)
    groups = sum(g.one_time for g in review.finding_groups)
    assert groups == pytest.approx(review.budget.one_time_total)
