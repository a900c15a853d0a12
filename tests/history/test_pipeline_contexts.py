"""The history API fed with real render contexts: the sample inputs analysed at two review dates, the way
the runner's driver will call it (view before, snapshot after, portfolio from the contexts)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from pipeline.history import HistoryStore, decisions_template_csv
from pipeline.render.portfolio import portfolio_deck, portfolio_workbook
from pipeline.review.snapshot import portfolio_row

REPO = Path(__file__).resolve().parents[2]
REVIEWS = (("2026-Q3", date(2026, 8, 20)), ("2026-Q4", date(2026, 11, 20)))


def _reviews(quarter: str, as_of: date, store: HistoryStore) -> dict[str, dict]:
    """Each sample client's review payload, analysed with its history view, as a worker returns it."""
    from pipeline.config import find_config, load_settings
    from pipeline.ingest import IngestOptions, ingest_folder
    from pipeline.model import build_clients
    from pipeline.review import RunFacts
    from pipeline.runner.client_job import ClientJob, review_client

    inputs = REPO / "inputs"
    config = load_settings(find_config(None, inputs))
    clients = build_clients(ingest_folder(inputs, IngestOptions(as_of=as_of)))
    result = {}
    for name, client in clients.items():
        facts = RunFacts(quarter=quarter, as_of=as_of, vcio_version="test")
        job = ClientJob(client, "slug", facts, config, REPO, REPO, (), store.client_view(name, quarter))
        review, _counts = review_client(job)
        result[name] = review.history
    return result


@pytest.fixture(scope="module")
def reviews(tmp_path_factory):
    if not (REPO / "inputs" / "clients.csv").is_file():
        pytest.skip("sample inputs/ not present")
    out = tmp_path_factory.mktemp("history_run")
    store = HistoryStore.open(None, out)
    recorded: dict[str, dict[str, dict]] = {}
    for quarter, as_of in REVIEWS:
        recorded[quarter] = {}
        for name, payload in _reviews(quarter, as_of, store).items():
            # The driver records what the worker sent back (run.py: _record_histories).
            store.record_snapshot(name, quarter, as_of, payload["findings"], payload["grades"], payload["risks"],
                                  payload["initiatives"], payload["budget"], payload["decisions"],
                                  vcio_version="test")
            recorded[quarter][name] = payload
    yield store, recorded, recorded
    store.close()


def test_real_contexts_round_trip_and_diff(reviews):
    store, recorded, _payloads = reviews
    for name, ctx in recorded["2026-Q4"].items():
        before = {f["finding_id"] for f in recorded["2026-Q3"][name]["findings"]}
        now = {f["finding_id"] for f in ctx["findings"]}
        changes = ctx["changes"]
        assert changes["first_review"] is False and changes["previous_quarter"] == "2026-Q3"
        assert {i["finding_id"] for i in changes["new"]} == now - before
        assert {i["finding_id"] for i in changes["open"]} == now & before
        assert {i["finding_id"] for i in changes["resolved"]} == before - now
        assert all(i["quarters_open"] == 2 for i in changes["open"])
        assert [p["quarter"] for p in changes["grade_trend"]] == ["2026-Q3", "2026-Q4"]
        snapshot = store.snapshot(name, "2026-Q4")
        assert set(snapshot.findings) == now
        assert set(snapshot.initiatives) == {i["initiative_id"] for i in ctx["initiatives"]}
        assert snapshot.budget["next_four"] == pytest.approx(ctx["budget"]["next_four_total"])
    for ctx in recorded["2026-Q3"].values():
        assert ctx["changes"]["first_review"] is True


def test_portfolio_and_template_from_real_contexts(reviews):
    from openpyxl import load_workbook
    from pptx import Presentation

    _store, recorded, payloads = reviews
    rows = [portfolio_row(name, payload) for name, payload in payloads["2026-Q4"].items()]
    assert all(r["previous_quarter"] == "2026-Q3" for r in rows)
    book = load_workbook(io.BytesIO(portfolio_workbook(rows, "2026-Q4", "Example MSP")))
    assert book["Portfolio"].max_row == len(rows) + 1
    prs = Presentation(io.BytesIO(portfolio_deck(rows, "2026-Q4", "Example MSP")))
    assert len(prs.slides) == 8
    name, ctx = next(iter(recorded["2026-Q4"].items()))
    template = decisions_template_csv(name, ctx["initiatives"], ctx["findings"]).decode("utf-8-sig").splitlines()
    assert len(template) >= len(ctx["initiatives"]) + 1  # a header, the initiatives, then serious findings none covers
    assert all(i["initiative_id"] in "\n".join(template) for i in ctx["initiatives"])
