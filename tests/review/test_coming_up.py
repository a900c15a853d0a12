"""Coming up: one row per date to plan for, the date in its own column and not repeated in the text."""

from __future__ import annotations

from .conftest import sample_reviews


def test_grouped_dates_do_not_repeat_the_date_column():
    items = sample_reviews()["Granite Ridge Manufacturing"].coming_up
    texts = [item.text for item in items]
    assert "Windows Server 2016 reaches end of support (GRM-DC01)" in texts
    assert "Warranty on GRM-WS-050 ends" in texts
    assert "2 laptop warranties end in Dec 2026" in texts
    for review in sample_reviews().values():
        w = review.wording
        for item in review.coming_up:
            if item.kind in {"Warranty", "End of support"}:
                assert w.day(item.first) not in item.text, item.text


def test_a_semiannual_client_gets_a_semiannual_review_and_its_next_regular_date():
    sunrise = sample_reviews()["Sunrise Pediatrics"]  # cadence semiannual, fiscal year = calendar year
    assert (sunrise.review_name, sunrise.next_review) == ("Semiannual business review", "2027-Q2")
    quarterly = sample_reviews()["Granite Ridge Manufacturing"]
    assert (quarterly.review_name, quarterly.next_review) == ("Quarterly business review", "2027-Q1")
