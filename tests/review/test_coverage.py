"""Coverage says why data is missing: never "add the report" when it was given but could not be used."""

from __future__ import annotations

from pipeline.model.entities import Asset, ClientData
from pipeline.review.grades import _endpoint_gap

from .conftest import sample_reviews


def coverage(client: str, kind: str):
    return next(c for c in sample_reviews()[client].coverage if c.kind == kind)


def grade(client: str, area: str):
    return next(g for g in sample_reviews()[client].scorecard if g.area == area)


def test_an_activity_report_with_hidden_user_names_says_how_to_fix_the_tenant():
    # Bluebird's ActiveUserDetail.csv is in the inputs, with concealed (hashed) user names.
    activity = coverage("Bluebird Creative Studio", "activity")
    assert not activity.provided
    assert activity.detail.startswith("provided, but the tenant hides user names")
    assert "Display concealed user, group, and site names in all reports" in activity.detail
    assert grade("Bluebird Creative Studio", "licensing").missing == (
        "inactive users (user names hidden in the activity report)",)


def test_an_rmm_export_without_antivirus_or_patch_columns_is_not_called_missing():
    assert grade("Bluebird Creative Studio", "security").missing[0] == (
        "endpoint protection and patching (the RMM export has no antivirus or patch status)")
    no_rmm = ClientData(name="PSA only", assets=[Asset("PC-1", tools=["psa"])])
    assert _endpoint_gap(no_rmm) == "endpoint protection and patching (no RMM export)"
