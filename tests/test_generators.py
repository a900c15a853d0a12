"""The generators of export files (tools/exports.py writes every file for them): the sample generator
reproduces inputs/ byte for byte, and the benchmark's data is deterministic and ingests without a reject.
(The ingest fixtures' generator is checked by tests/ingest/test_formats.py.)"""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path

from tests.conftest import INPUTS, REPO


def load(path: Path, name: str, monkeypatch):
    """A fresh copy of a generator script (each keeps its random generator in a module global)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_sample_generator_writes_the_committed_inputs_byte_for_byte(tmp_path, capsys, monkeypatch):
    samples = load(REPO / "tools" / "make_samples.py", "make_samples_under_test", monkeypatch)
    samples.ROOT, samples.INPUTS = tmp_path, tmp_path / "inputs"
    samples.EXPECTED = tmp_path / "tests" / "samples_expected.json"
    samples.main()
    written, committed = files_under(tmp_path / "inputs"), files_under(INPUTS)
    assert sorted(written) == sorted(committed)
    for name, data in written.items():
        assert data == committed[name], f"inputs/{name} differs from what tools/make_samples.py writes"
    assert samples.EXPECTED.read_bytes() == (REPO / "tests" / "samples_expected.json").read_bytes()


def test_the_benchmark_data_is_deterministic_and_ingests_without_a_reject(tmp_path, capsys, monkeypatch):
    from pipeline.ingest import IngestOptions, ingest_folder

    generate = load(REPO / "bench" / "generate.py", "bench_generate_under_test", monkeypatch)
    for out in ("a", "b"):
        assert generate.main(["--clients", "6", "--seed", "5", "--out", str(tmp_path / out)]) == 0
    first, second = files_under(tmp_path / "a"), files_under(tmp_path / "b")
    first.pop(".generated.json"), second.pop(".generated.json")  # holds the generation time
    assert first == second
    result = ingest_folder(tmp_path / "a", IngestOptions(as_of=date(2026, 11, 20)))
    assert result.unrecognised == []
    assert {f.path for f in result.files} == set(first)
    assert result.rejects == [] and all(f.accepted == f.rows and f.rows > 0 for f in result.files
                                        if f.path != "decisions.csv")
