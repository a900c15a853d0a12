"""The three-year budget carries the devices that reach their replacement age in its later years."""

from __future__ import annotations

from .conftest import sample_reviews


def hardware(review) -> list[float]:
    return next(line.amounts for line in review.budget.lines if line.category == "Hardware")


def test_the_later_years_budget_the_devices_that_age_into_them():
    for name in ("Northwind Logistics", "Cedar & Finch LLP", "Harbor Point Dental"):
        review = sample_reviews()[name]
        assert sum(hardware(review)[4:]) > 0, name  # not $0 of hardware after the first year
        forecast = next(i for i in review.initiatives if i.kind == "refresh_forecast")
        # due more than 12 months after the Nov 20, 2026 review, through the end of the forecast (2029-Q4)
        assert forecast.title.startswith(("Budget the 2027-2029 refresh of ", "Budget the 2028-2029 refresh of "))
        assert forecast.target_quarter >= "2027-Q4" and forecast.last_quarter <= "2029-Q4"
        assert forecast.one_time_cost > 0


def test_a_forecast_is_neither_a_risk_nor_a_lower_grade_nor_a_decision_today():
    for review in sample_reviews().values():
        forecast_ids = {f.finding.finding_id for f in review.findings if f.finding.facts.get("beyond_year")}
        forecast_initiatives = {i.initiative_id for i in review.initiatives if i.kind == "refresh_forecast"}
        assert not forecast_initiatives & {d.initiative_id for d in review.decisions_needed}
        for risk in review.risks:
            assert not forecast_initiatives & set(risk.initiative_ids) or len(risk.initiative_ids) > 1
        assert forecast_ids  # every sample client has devices ageing into 2028-2029
    bluebird = {g.area: g.percent for g in sample_reviews()["Bluebird Creative Studio"].scorecard}
    assert bluebird["lifecycle"] == 77.9  # as before the forecast was added
