"""One client's work: findings, the client review, and every document, returned as bytes.

Pure with respect to the file system (nothing is written here), so the same function
runs in the driver, in a process pool or on a remote worker; the driver writes files.
"""

from __future__ import annotations

import pickle
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..config import Settings
from ..findings import evaluate
from ..catalog.lifecycle import LifecycleCatalog
from ..model import ClientData
from ..review import ClientReview, RunFacts, build_review
from ..timelimit import time_limit
from ..history import decisions_template_csv
from .clientlog import client_warnings
from .csvout import findings_csv
from .names import document_name


@dataclass
class ClientJob:
    client: ClientData
    slug: str
    facts: RunFacts
    settings: Settings
    roadmap_template: Path
    qbr_template: Path
    lifecycle_dirs: tuple[Path, ...] = ()
    history: object | None = None  # pipeline.history.ClientHistory (or PackedHistory): earlier quarters
    catalog: LifecycleCatalog | None = None  # the catalog itself, where lifecycle_dirs are not on this machine

    def history_view(self) -> object | None:
        return self.history.unpack() if isinstance(self.history, PackedHistory) else self.history


class PackedHistory:
    """A client's history view kept pickled while its job waits: ~4x smaller than the objects (75 kB against
    310 kB for a client with one earlier quarter), and the pool would pickle it to reach the worker anyway.
    Every job of a later-quarter run holds one until the run ends."""

    __slots__ = ("blob",)

    def __init__(self, view: object) -> None:
        self.blob = pickle.dumps(view, protocol=pickle.HIGHEST_PROTOCOL)

    def unpack(self) -> object:
        return pickle.loads(self.blob)  # our own driver's bytes, never input data


@dataclass
class ClientOutput:
    name: str
    slug: str
    status: str  # ok | failed
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # key -> (file name, content)
    counts: dict = field(default_factory=dict)
    error: str | None = None
    traceback: str | None = None
    warnings: list[dict] = field(default_factory=list)  # {"level", "message"}: logged or warned while processing
    payload: dict | None = None  # the review as plain data (ClientReview.history): the snapshot and portfolio row


@lru_cache(maxsize=4)
def catalog_for(dirs: tuple[Path, ...]) -> LifecycleCatalog:
    """Loaded once per process and reused for every client."""
    return LifecycleCatalog.load(dirs)


def review_client(job: ClientJob) -> tuple[ClientReview, dict]:
    """(the client's review, finding counts)."""
    catalog = job.catalog or catalog_for(job.lifecycle_dirs)
    result = evaluate(job.client, job.facts.as_of, job.settings, catalog)
    return build_review(job.client, result, job.settings, catalog, job.facts, job.history_view()), result.counts()


def time_limit_message(limit: int) -> str:
    return (f"this client's documents took longer than {limit} s to build (documents.render_timeout_seconds): "
            "check the templates with `vcio templates check`")


def process_client(job: ClientJob) -> ClientOutput:
    output = ClientOutput(job.client.name, job.slug, "ok")
    limit = job.settings.for_client(job.client.name).documents.render_timeout_seconds
    with client_warnings() as output.warnings:
        try:
            with time_limit(limit, time_limit_message(limit)):
                _build(job, output)
        except Exception as exc:  # one client's failure must never stop the others
            output.status = "failed"
            output.error = f"{type(exc).__name__}: {exc}"
            output.traceback = traceback.format_exc()
            output.files = {}
    return output


def _build(job: ClientJob, output: ClientOutput) -> None:
    """The review and every document of one client, into `output.files`."""
    review, output.counts = review_client(job)
    quarter = job.facts.quarter
    name = job.client.name
    output.files["findings"] = ("findings.csv", findings_csv(review))
    output.files["decisions_template"] = ("decisions_template.csv", decisions_template_csv(
        name, review.initiatives, review.findings))
    from ..render.workbook import render_workbook

    output.files["workbook"] = (document_name(name, "Findings", quarter, ".xlsx"), render_workbook(review))
    from ..render.roadmap import render_roadmap

    pictures = None
    if job.settings.for_client(name).documents.roadmap_charts == "picture":
        from ..render.roadmap_charts import roadmap_pictures
        from ..render.roadmap_context import template_context
        pictures = roadmap_pictures(template_context(review))
    output.files["roadmap"] = (document_name(name, "Roadmap", quarter, ".docx"),
                               render_roadmap(review, job.roadmap_template, pictures))
    from ..render.deck import render_deck

    output.files["qbr"] = (document_name(name, "QBR", quarter, ".pptx"), render_deck(review, job.qbr_template))
    output.payload = review.history
