"""`vcio run --pdf`: PDF copies of the roadmap and deck through LibreOffice, and a run that says so and carries
on when LibreOffice is missing or fails."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import INPUTS, run_cli

CLIENT = "Sunrise Pediatrics"
LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


def pdf_run(out: Path, *extra: str, env: dict | None = None) -> tuple[subprocess.CompletedProcess, dict]:
    result = run_cli("run", "--inputs", str(INPUTS), "--out", str(out), "--as-of", "2026-11-20", "--client", CLIENT,
                     "--jobs", "1", "--pdf", *extra, env=env)
    manifest = json.loads((out / "2026-Q4" / "manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in manifest["clients"] if e["name"] == CLIENT)
    return result, entry


def fake_soffice(folder: Path, script: str) -> dict:
    """A PATH holding only a stand-in `soffice` (sh builtins only): the run's PDF step without LibreOffice."""
    folder.mkdir()
    binary = folder / "soffice"
    binary.write_text("#!/bin/sh\n" + script)
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    return {"PATH": str(folder)}


# Answers like LibreOffice: `--outdir DIR FILE` writes DIR/<stem>.pdf.
CONVERTS = ('for last; do :; done\n'
            'while [ "$1" != "--outdir" ]; do shift; done\n'
            'stem=${last##*/}; stem=${stem%.*}\n'
            'printf "%%PDF-1.4 converted %s" "$stem" > "$2/$stem.pdf"\n')


@pytest.mark.slow
def test_without_libreoffice_the_documents_are_written_and_the_run_says_so(tmp_path):
    empty = tmp_path / "no-binaries"
    empty.mkdir()
    result, entry = pdf_run(tmp_path / "out", env={"PATH": str(empty)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert entry["status"] == "ok"
    assert "--pdf needs LibreOffice" in entry["pdf_error"]
    assert "--pdf needs LibreOffice" in result.stderr
    assert {"roadmap", "qbr", "workbook", "findings"} <= set(entry["files"])
    assert not {"roadmap_pdf", "qbr_pdf"} & set(entry["files"])
    client_dir = tmp_path / "out" / "2026-Q4" / "sunrise-pediatrics"
    assert list(client_dir.glob("*.pdf")) == []
    assert all((tmp_path / "out" / "2026-Q4" / entry["files"][key]).is_file() for key in ("roadmap", "qbr"))


@pytest.mark.slow
def test_the_converters_pdf_is_written_beside_each_document_and_listed(tmp_path):
    env = fake_soffice(tmp_path / "bin", CONVERTS)
    result, entry = pdf_run(tmp_path / "out", env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "pdf_error" not in entry
    quarter_dir = tmp_path / "out" / "2026-Q4"
    for key in ("roadmap", "qbr"):
        pdf = quarter_dir / entry["files"][f"{key}_pdf"]
        assert pdf.with_suffix(Path(entry["files"][key]).suffix) == quarter_dir / entry["files"][key]
        assert pdf.read_bytes() == f"%PDF-1.4 converted {Path(entry['files'][key]).stem}".encode()
        assert oct(pdf.stat().st_mode & 0o777) == "0o600"


@pytest.mark.slow
def test_a_failing_converter_fails_only_the_pdfs(tmp_path):
    env = fake_soffice(tmp_path / "bin", 'echo "source file could not be loaded" >&2\nexit 1\n')
    result, entry = pdf_run(tmp_path / "out", env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert entry["status"] == "ok" and {"roadmap", "qbr"} <= set(entry["files"])
    assert "LibreOffice could not convert" in entry["pdf_error"]
    assert "source file could not be loaded" in entry["pdf_error"]
    assert "PDF export failed" in result.stderr
    assert not {"roadmap_pdf", "qbr_pdf"} & set(entry["files"])


@pytest.mark.slow
@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-writer "
                                                "libreoffice-impress)")
def test_libreoffice_writes_pdfs_of_the_roadmap_and_deck(tmp_path):
    result, entry = pdf_run(tmp_path / "out")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "pdf_error" not in entry, entry.get("pdf_error")
    quarter_dir = tmp_path / "out" / "2026-Q4"
    for key in ("roadmap_pdf", "qbr_pdf"):
        pdf = quarter_dir / entry["files"][key]
        assert pdf.read_bytes().startswith(b"%PDF-") and pdf.stat().st_size > 10_000, key
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
            assert CLIENT in text, key


@pytest.mark.slow
def test_a_resumed_client_keeps_its_pdfs_in_the_manifest(tmp_path):
    env = fake_soffice(tmp_path / "bin", CONVERTS)
    first, entry = pdf_run(tmp_path / "out", "--resume", env=env)
    assert first.returncode == 0 and {"roadmap_pdf", "qbr_pdf"} <= set(entry["files"])
    again, entry = pdf_run(tmp_path / "out", "--resume", env=env)
    assert again.returncode == 0 and entry["reason"].startswith("unchanged")
    assert {"roadmap_pdf", "qbr_pdf"} <= set(entry["files"])


@pytest.mark.slow
def test_a_deleted_pdf_makes_resume_render_the_client_again(tmp_path):
    env = fake_soffice(tmp_path / "bin", CONVERTS)
    first, entry = pdf_run(tmp_path / "out", "--resume", env=env)
    assert first.returncode == 0
    (tmp_path / "out" / "2026-Q4" / entry["files"]["qbr_pdf"]).unlink()
    again, entry = pdf_run(tmp_path / "out", "--resume", env=env)
    assert again.returncode == 0 and entry["status"] == "ok" and not entry["reason"].startswith("unchanged")
    assert (tmp_path / "out" / "2026-Q4" / entry["files"]["qbr_pdf"]).is_file()


@pytest.mark.slow
def test_resume_with_pdf_after_a_run_without_it_makes_the_pdfs(tmp_path):
    env = fake_soffice(tmp_path / "bin", CONVERTS)
    first = run_cli("run", "--inputs", str(INPUTS), "--out", str(tmp_path / "out"), "--as-of", "2026-11-20",
                    "--client", CLIENT, "--jobs", "1", env=env)
    assert first.returncode == 0, first.stderr[-2000:]
    again, entry = pdf_run(tmp_path / "out", "--resume", env=env)
    assert again.returncode == 0, again.stderr[-2000:]
    assert entry["status"] == "ok" and not entry["reason"].startswith("unchanged")
    assert "PDF copies asked for and not made by the earlier run" in again.stderr
    assert {"roadmap_pdf", "qbr_pdf"} <= set(entry["files"])
    assert (tmp_path / "out" / "2026-Q4" / entry["files"]["roadmap_pdf"]).is_file()
    third, entry = pdf_run(tmp_path / "out", "--resume", env=env)
    assert third.returncode == 0 and entry["reason"].startswith("unchanged")
