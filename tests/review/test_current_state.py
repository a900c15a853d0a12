"""The current-state counts: a device on the newest Windows feature release is supported, not "ending soon"."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from pipeline.review.state import support_label

from .conftest import sample_reviews

AS_OF = date(2026, 11, 20)


def status(eol: date | None, feature_update_only: bool = True, maintained: bool = True):
    return SimpleNamespace(eol=eol, feature_update_only=feature_update_only, maintained=maintained,
                           newer_than_catalog=False)


def test_the_newest_release_is_supported_though_its_end_date_is_within_a_year():
    assert support_label(status(date(2027, 10, 12)), AS_OF, on_newest_release=True) == "Supported"
    assert support_label(status(date(2027, 10, 12)), AS_OF, on_newest_release=False) == "Ends within 12 months"


def test_support_runs_through_the_end_date_itself_as_in_the_findings():
    assert support_label(status(AS_OF), AS_OF) == "Ends within 12 months"
    assert support_label(status(date(2026, 11, 19)), AS_OF) == "Unsupported"
    assert support_label(status(date(2026, 11, 19)), AS_OF, on_newest_release=True) == "Unsupported"


def test_cedar_and_finch_shows_its_25h2_pcs_as_supported():
    state = sample_reviews()["Cedar & Finch LLP"].current_state
    on_25h2 = [d for d in state.devices if d.os.startswith("Windows 11 25H2")]
    assert len(on_25h2) == 28
    assert {d.support for d in on_25h2} == {"Supported"}
    counts = {c.label: c.count for c in state.support_status}
    assert counts["Supported"] == 29 and counts["Unsupported"] == 8
