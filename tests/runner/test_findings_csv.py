"""findings.csv from the review: the ten contract columns first and unchanged, initiative_id and cost_kind
appended; the decisions template reads the review's initiatives and findings or their history records alike."""

from __future__ import annotations

import csv
import io

import pytest

from pipeline.history import decisions_template_csv
from pipeline.runner.csvout import findings_csv
from tests.review.conftest import sample_reviews

NAMES = sorted(sample_reviews())
CONTRACT = ["finding_id", "client", "category", "severity", "title", "subject", "due_date", "estimated_cost",
            "recommendation", "source"]


def rows_of(data: bytes) -> tuple[list[str], list[dict]]:
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header, *rows = list(reader)
    return header, [dict(zip(header, row)) for row in rows]


@pytest.mark.parametrize("name", NAMES)
def test_the_ten_columns_first_then_initiative_and_cost_kind(name):
    review = sample_reviews()[name]
    header, rows = rows_of(findings_csv(review))
    assert header == CONTRACT + ["initiative_id", "cost_kind"]
    assert len(rows) == len(review.findings)
    for row, finding in zip(rows, review.findings):
        assert [row[c] for c in CONTRACT] == [
            finding.finding_id, name, finding.category, finding.severity, finding.title, finding.subject,
            finding.due_date.isoformat() if finding.due_date else "",
            # what the budget carries for it: a device bought once, its cost on one of its findings
            "" if finding.budgeted is None else str(round(finding.budgeted, 2)),
            finding.recommendation, ";".join(finding.sources)]
        assert row["initiative_id"] == finding.initiative_id
        assert row["cost_kind"] in ("one_time", "annual", "")
        assert (row["cost_kind"] == "") == (row["estimated_cost"] == ""), "a cost says its kind"
        assert row["cost_kind"] != "annual" or finding.finding.cost_kind == "recurring"


@pytest.mark.parametrize("name", NAMES)
def test_every_costed_finding_names_the_initiative_that_budgets_it(name):
    review = sample_reviews()[name]
    _header, rows = rows_of(findings_csv(review))
    members = {fid: i.initiative_id for i in review.initiatives for fid in i.finding_ids}
    for row in rows:
        if row["estimated_cost"]:
            assert row["initiative_id"] == members[row["finding_id"]], row["finding_id"]
    assert any(r["cost_kind"] == "one_time" for r in rows)


@pytest.mark.parametrize("name", NAMES)
def test_decisions_template_from_the_review_or_its_payload_is_the_same(name):
    review = sample_reviews()[name]
    typed = decisions_template_csv(name, review.initiatives, review.findings)
    plain = decisions_template_csv(name, review.history["initiatives"], review.history["findings"])
    assert typed == plain
    _header, rows = rows_of(typed)
    ids = [r["item_id"] for r in rows]
    assert ids[:len(review.initiatives)] == [i.initiative_id for i in sorted(review.initiatives, key=lambda i: i.rank)]
    covered = {fid for i in review.initiatives for fid in i.finding_ids}
    # then the findings no initiative covers, except low ones (dates to note, not decisions)
    assert set(ids[len(review.initiatives):]) == {f.finding_id for f in review.findings
                                                  if f.finding_id not in covered and f.severity != "low"}
