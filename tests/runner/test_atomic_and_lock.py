import errno
import os

import pytest

from pipeline.runner import atomic
from pipeline.runner.atomic import atomic_write, remove_stale_temps
from pipeline.runner.state import RunState, sha256
from pipeline.errors import EnvironmentProblem


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "deck.pptx"
    target.write_bytes(b"old")
    atomic_write(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pptx"]
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)


def test_disk_full_keeps_the_old_file_and_says_so(tmp_path, monkeypatch):
    target = tmp_path / "deck.pptx"
    target.write_bytes(b"old")

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "write", full)
    with pytest.raises(EnvironmentProblem) as info:
        atomic_write(target, b"new")
    assert "disk full" in str(info.value)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.pptx"]


def test_stale_temporary_files_are_removed(tmp_path):
    (tmp_path / "client").mkdir()
    stale = tmp_path / "client" / ".deck.pptx.tmp-12345"
    stale.write_bytes(b"half")
    keep = tmp_path / "client" / "deck.pptx"
    keep.write_bytes(b"whole")
    assert remove_stale_temps(tmp_path) == 1
    assert not stale.exists() and keep.exists()


def test_state_recognises_person_edits(tmp_path):
    state = RunState.load(tmp_path)
    (tmp_path / "acme").mkdir()
    document = tmp_path / "acme" / "a.docx"
    document.write_bytes(b"vcio wrote this")
    state.remember("acme/a.docx", sha256(b"vcio wrote this"))
    state.clients["Acme"] = {"fingerprint": "f1"}
    state.save_client("Acme", "acme")
    again = RunState.load(tmp_path)
    assert again.clients["Acme"]["fingerprint"] == "f1"
    assert not again.edited_by_person("acme/a.docx", document)
    document.write_bytes(b"a presenter changed this")
    assert again.edited_by_person("acme/a.docx", document)
    assert not again.edited_by_person("acme/missing.docx", tmp_path / "acme" / "missing.docx")
