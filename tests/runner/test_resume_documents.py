"""--resume renders a client again when one of its documents is no longer the file vcio wrote: edited, moved
or deleted (the fingerprint alone would call it unchanged)."""

from __future__ import annotations

import logging
import shutil
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from pipeline.runner.run import RunOptions, run
from tests.conftest import INPUTS

CLIENT = "Sunrise Pediatrics"
OTHER = "Bluebird Creative Studio"
AS_OF = date(2026, 11, 20)


def run_clients(out: Path, *, resume: bool = False):
    outcome = run(RunOptions(inputs=INPUTS, out=out, as_of=AS_OF, clients=(CLIENT, OTHER), jobs=1, resume=resume,
                             progress=False))
    assert int(outcome.status) == 0
    return {entry["name"]: entry for entry in outcome.manifest["clients"]}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> Path:
    """The output folder of one complete run of two clients; each test works on a copy of it."""
    out = tmp_path_factory.mktemp("resume") / "out"
    run_clients(out)
    return out


@pytest.fixture
def out(first_run, tmp_path) -> Path:
    copy = tmp_path / "out"
    shutil.copytree(first_run, copy)
    return copy


def roadmap_of(out: Path) -> Path:
    slug_dir = out / "2026-Q4" / "sunrise-pediatrics"
    (path,) = slug_dir.glob("* - Roadmap - 2026-Q4.docx")
    return path


def test_untouched_documents_are_skipped(out):
    entries = run_clients(out, resume=True)
    assert entries[CLIENT]["reason"] == "unchanged since the last run (--resume)"
    assert entries[OTHER]["reason"] == "unchanged since the last run (--resume)"


def test_an_edited_roadmap_renders_the_client_again_and_keeps_the_edit(out, caplog):
    roadmap = roadmap_of(out)
    document = Document(str(roadmap))
    document.add_paragraph("Notes the vCIO added before the meeting")
    document.save(str(roadmap))
    edited = roadmap.read_bytes()

    with caplog.at_level(logging.INFO):
        entries = run_clients(out, resume=True)
    assert entries[CLIENT]["status"] == "ok" and not entries[CLIENT]["reason"].startswith("unchanged")
    assert entries[OTHER]["reason"].startswith("unchanged")
    assert roadmap.read_bytes() == edited, "the presenter's file is kept"
    update = roadmap.with_name(roadmap.stem + " (vcio update).docx")
    assert entries[CLIENT]["edited_kept"]["roadmap"] == f"sunrise-pediatrics/{roadmap.name}"
    assert entries[CLIENT]["files"]["roadmap"] == f"sunrise-pediatrics/{update.name}"
    assert "Sunrise Pediatrics" in "\n".join(p.text for p in Document(str(update)).paragraphs)
    assert "--resume: 1 unchanged, 1 rendered again (1 a document was edited, moved or deleted)" in caplog.text


def test_a_moved_roadmap_is_written_again_where_it_belongs(out, caplog):
    roadmap = roadmap_of(out)
    moved = out / "2026-Q4" / "Sunrise roadmap for the meeting.docx"
    roadmap.rename(moved)

    with caplog.at_level(logging.INFO):
        entries = run_clients(out, resume=True)
    assert entries[CLIENT]["status"] == "ok" and not entries[CLIENT]["reason"].startswith("unchanged")
    assert roadmap.is_file() and moved.is_file()
    assert "Sunrise Pediatrics" in "\n".join(p.text for p in Document(str(roadmap)).paragraphs)
    assert "1 a document was edited, moved or deleted" in caplog.text


def test_a_deleted_deck_is_written_again(out, caplog):
    (deck,) = (out / "2026-Q4" / "sunrise-pediatrics").glob("* - QBR - 2026-Q4.pptx")
    deck.unlink()

    with caplog.at_level(logging.INFO):
        entries = run_clients(out, resume=True)
    assert entries[CLIENT]["status"] == "ok" and not entries[CLIENT]["reason"].startswith("unchanged")
    assert entries[OTHER]["reason"].startswith("unchanged")
    assert deck.is_file() and deck.stat().st_size > 10_000
    assert "1 a document was edited, moved or deleted" in caplog.text
