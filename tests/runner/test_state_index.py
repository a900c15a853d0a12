"""A client's state file holds exactly its own paths, however the state was filled."""

from __future__ import annotations

import json

from pipeline.runner.state import STATE_NAME, RunState, sha256


def _saved_paths(quarter_dir, slug: str) -> set[str]:
    return set(json.loads((quarter_dir / slug / STATE_NAME).read_text())["written"])


def test_each_client_file_holds_only_that_clients_paths(tmp_path):
    state = RunState.load(tmp_path)
    for slug in ("acme", "acme-dental", "acme-2"):
        (tmp_path / slug).mkdir()
        for name in ("roadmap.docx", "qbr.pptx"):
            state.remember(f"{slug}/{name}", sha256(f"{slug} {name}".encode()))
    state.remember("portfolio.xlsx", sha256(b"not a client's"))
    for name, slug in (("Acme", "acme"), ("Acme Dental", "acme-dental"), ("Acme 2", "acme-2")):
        state.clients[name] = {"fingerprint": slug}
        state.save_client(name, slug)
    assert _saved_paths(tmp_path, "acme") == {"acme/roadmap.docx", "acme/qbr.pptx"}
    assert _saved_paths(tmp_path, "acme-dental") == {"acme-dental/roadmap.docx", "acme-dental/qbr.pptx"}

    again = RunState.load(tmp_path)
    assert again.written == {k: v for k, v in state.written.items() if "/" in k}
    again.remember("acme/qbr.pptx", sha256(b"second version"))
    again.remember("acme/findings.csv", sha256(b"new file"))
    again.save_client("Acme", "acme")
    saved = json.loads((tmp_path / "acme" / STATE_NAME).read_text())["written"]
    assert set(saved) == {"acme/roadmap.docx", "acme/qbr.pptx", "acme/findings.csv"}
    assert saved["acme/qbr.pptx"] == [sha256(b"acme qbr.pptx"), sha256(b"second version")]
    assert _saved_paths(tmp_path, "acme-dental") == {"acme-dental/roadmap.docx", "acme-dental/qbr.pptx"}


def test_a_state_built_with_written_paths_saves_them(tmp_path):
    (tmp_path / "acme").mkdir()
    state = RunState(tmp_path, written={"acme/a.docx": ["1"], "beta/b.docx": ["2"]})
    state.save_client("Acme", "acme")
    assert _saved_paths(tmp_path, "acme") == {"acme/a.docx"}


def test_a_client_with_nothing_written_saves_an_empty_list(tmp_path):
    (tmp_path / "new").mkdir()
    state = RunState.load(tmp_path)
    state.clients["New"] = {"fingerprint": "f"}
    state.save_client("New", "new")
    data = json.loads((tmp_path / "new" / STATE_NAME).read_text())
    assert data == {"name": "New", "client": {"fingerprint": "f"}, "written": {}}


class _NoScan(dict):
    """A `written` that fails when walked whole: a save that scanned every client was O(n) per client."""

    def items(self):
        raise AssertionError("scanned every client's paths")

    def __iter__(self):
        raise AssertionError("scanned every client's paths")

    def keys(self):
        raise AssertionError("scanned every client's paths")


def test_saving_one_client_does_not_walk_every_clients_paths(tmp_path):
    state = RunState.load(tmp_path)
    for i in range(50):
        (tmp_path / f"c{i}").mkdir()
        state.remember(f"c{i}/roadmap.docx", sha256(str(i).encode()))
    state.written = _NoScan(state.written)
    state.remember("c7/qbr.pptx", sha256(b"qbr"))
    state.save_client("C7", "c7")
    assert _saved_paths(tmp_path, "c7") == {"c7/roadmap.docx", "c7/qbr.pptx"}
