"""vcio never reads its own outputs found below --inputs: skipped by where they are (the --out folder, a folder
holding a vcio manifest or history store), never by file name."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.ingest import IngestOptions, ingest_folder

from ..conftest import run_cli
from .conftest import AS_OF, FIXTURES, check_accounting

DATTO = ("Device Hostname,Site Name,Operating System,Security,Last Seen\n"
         "A-1,Acme Dental,Windows 11,Defender: running,2026-05-30 10:00:00 CAT\n")
TEMPLATE = ("client,item_id,decision,decided_on,decided_by,note,revisit_quarter\n"
            "Acme Dental,EOL-0001,,,,,\nAcme Dental,WAR-0002,,,,,\n")
FILLED = ("client,item_id,decision,decided_on,decided_by,note,revisit_quarter\n"
          "Acme Dental,EOL-0001,accepted,2026-05-20,Dana,,\n")
MANIFEST = {"schema": 1, "vcio_version": "0.1.0", "quarter": "2026-Q2", "as_of": "2026-05-20", "status": "ok",
            "inputs": [], "unrecognised_inputs": [], "clients": []}


def put(root: Path, relative: str, data: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def working_folder(root: Path) -> Path:
    """A folder laid out as `vcio init` makes it, after one run: outputs with a manifest and a history store."""
    put(root, "vcio.toml", "")
    put(root, "inputs/clients.csv", (FIXTURES / "clients.csv").read_bytes())
    put(root, "inputs/rmm/DeviceDetailsExport.csv", DATTO)
    put(root, "outputs/history.sqlite", b"SQLite format 3\x00" + b"\x00" * 100)
    put(root, "outputs/2026-Q2/manifest.json", json.dumps(MANIFEST))
    put(root, "outputs/2026-Q2/rejects.csv", "file,line,column,value,reason\n")
    put(root, "outputs/2026-Q2/acme-dental/decisions_template.csv", TEMPLATE)
    put(root, "outputs/2026-Q2/acme-dental/findings.csv", "finding_id,client\nEOL-0001,Acme Dental\n")
    return root


def ingest(root: Path, **options):
    result = ingest_folder(root, IngestOptions(as_of=AS_OF, **options))
    check_accounting(result)
    return result


def test_a_working_folders_root_reads_the_inputs_and_not_the_outputs_with_one_warning(tmp_path):
    root = working_folder(tmp_path / "work")
    result = ingest(root)
    assert [f.path for f in result.files] == ["inputs/clients.csv", "inputs/rmm/DeviceDetailsExport.csv"]
    assert "decision" not in result.records
    assert result.unrecognised == []
    assert result.skipped_outputs == ["outputs"]
    assert len(result.warnings) == 1
    assert "looks like a working folder's root" in result.warnings[0] and str(root / "inputs") in result.warnings[0]


def test_a_quarter_folder_is_known_by_its_manifest_alone(tmp_path):
    """PostgreSQL history: no history.sqlite in the output root, the quarter's manifest still marks it."""
    root = working_folder(tmp_path / "work")
    (root / "outputs" / "history.sqlite").unlink()
    result = ingest(root)
    assert result.skipped_outputs == ["outputs/2026-Q2"]
    assert "decision" not in result.records


def test_a_filled_in_decisions_template_copied_into_the_inputs_is_read(tmp_path):
    root = working_folder(tmp_path / "work")
    put(root, "inputs/decisions_template.csv", FILLED)
    result = ingest(root / "inputs")
    assert [d["item_id"] for d in result.records["decision"]] == ["EOL-0001"]
    assert result.skipped_outputs == [] and result.warnings == []


def test_the_out_folder_inside_the_inputs_is_skipped_before_it_has_a_manifest(tmp_path):
    inputs = tmp_path / "inputs"
    put(inputs, "clients.csv", (FIXTURES / "clients.csv").read_bytes())
    put(inputs, "rmm/DeviceDetailsExport.csv", DATTO)
    put(inputs, "out/2026-Q2/acme-dental/decisions_template.csv", TEMPLATE)
    result = ingest(inputs, out=inputs / "out")
    assert [f.path for f in result.files] == ["clients.csv", "rmm/DeviceDetailsExport.csv"]
    assert result.skipped_outputs == ["out"]
    # Without --out the same folder is read: it has nothing that marks it as vcio's.
    assert "decision" in ingest(inputs).records


def test_a_manifest_that_is_not_vcios_marks_nothing(tmp_path):
    inputs = tmp_path / "inputs"
    put(inputs, "clients.csv", (FIXTURES / "clients.csv").read_bytes())
    put(inputs, "rmm/DeviceDetailsExport.csv", DATTO)
    put(inputs, "rmm/manifest.json", json.dumps({"tool": "datto-rmm", "files": []}))
    put(inputs, "rmm/history.sqlite", b"not a database")
    result = ingest(inputs)
    assert "rmm/DeviceDetailsExport.csv" in [f.path for f in result.files]
    assert result.skipped_outputs == []


def test_inputs_pointing_at_an_output_folder_reads_nothing_and_says_so(tmp_path):
    root = working_folder(tmp_path / "work")
    result = ingest(root / "outputs" / "2026-Q2")
    assert result.files == [] and result.skipped_outputs == ["."]
    assert "is one of vcio's output folders" in result.warnings[0]


def test_validate_names_the_skipped_folders_and_the_warning(tmp_path):
    root = working_folder(tmp_path / "work")
    result = run_cli("validate", "--inputs", str(root), "--as-of", "2026-06-01")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Not read (vcio's own output folders): outputs/" in result.stdout
    assert "looks like a working folder's root" in result.stdout
