"""The sample clients' reviews, built once for the review tests."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

from pipeline.config import find_config, load_settings
from pipeline.findings import evaluate
from pipeline.catalog.lifecycle import LifecycleCatalog
from pipeline.ingest import IngestOptions, ingest_folder
from pipeline.model import build_clients
from pipeline.review import RunFacts, build_review

REPO = Path(__file__).resolve().parents[2]
INPUTS = REPO / "inputs"
AS_OF = date(2026, 11, 20)


@functools.cache
def sample_reviews() -> dict:
    settings = load_settings(find_config(None, INPUTS))
    clients = build_clients(ingest_folder(INPUTS, IngestOptions(as_of=AS_OF)))
    catalog = LifecycleCatalog.load()
    facts = RunFacts("2026-Q4", AS_OF, "test", catalog_snapshot=catalog.snapshot_date.isoformat())
    return {name: build_review(client, evaluate(client, AS_OF, settings, catalog), settings, catalog, facts)
            for name, client in clients.items()}
