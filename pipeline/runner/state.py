"""What vcio remembers between runs of a quarter: the hashes of the documents it wrote
(so a presenter's edits are never overwritten) and each client's input fingerprint
(so `--resume` can skip clients whose inputs did not change).

One small file per client folder (``<slug>/.vcio-state.json``), written when that client's
documents are: saving a client costs the same with 10 clients or 10,000.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import atomic_write

STATE_NAME = ".vcio-state.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str | None:
    try:
        return sha256(path.read_bytes())
    except OSError:
        return None


@dataclass
class RunState:
    quarter_dir: Path
    # relative path -> every hash vcio ever wrote there: a file whose hash is not in the set was edited by a person.
    # Change it through remember() (or load()): save_client() finds a client's paths through an index by slug.
    written: dict[str, list[str]] = field(default_factory=dict)
    # client name -> {"fingerprint", "files", "findings", "hashes", "portfolio", "slug"}
    clients: dict[str, dict] = field(default_factory=dict)
    # slug -> the relative paths under it in `written`: saving a client must not scan every client's paths.
    _paths_by_slug: dict[str, set[str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for relative in self.written:
            self._index(relative)

    @classmethod
    def load(cls, quarter_dir: Path) -> "RunState":
        state = cls(quarter_dir)
        for path in sorted(quarter_dir.glob(f"*/{STATE_NAME}")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # unreadable: its client is simply rendered again
            written = data.get("written", {})
            state.written.update(written)
            for relative in written:
                state._index(relative)
            if data.get("name"):
                state.clients[data["name"]] = data.get("client", {})
        return state

    def save_client(self, name: str, slug: str) -> None:
        paths = self._paths_by_slug.get(slug, ())
        data = {"name": name, "client": self.clients.get(name, {}),
                "written": {k: self.written[k] for k in paths if k in self.written}}
        atomic_write(self.quarter_dir / slug / STATE_NAME,
                     json.dumps(data, indent=1, sort_keys=True, default=str).encode("utf-8"))

    def edited_by_person(self, relative: str, on_disk: Path) -> bool:
        """True when a file exists at this path that vcio did not write."""
        current = file_sha256(on_disk)
        if current is None:
            return False
        return current not in self.written.get(relative, [])

    def remember(self, relative: str, digest: str) -> None:
        hashes = self.written.setdefault(relative, [])
        self._index(relative)
        if digest not in hashes:
            hashes.append(digest)
            del hashes[:-5]  # the recent versions are enough to recognise our own files

    def _index(self, relative: str) -> None:
        slug, sep, _rest = relative.partition("/")
        if sep:  # a path outside any client folder belongs to no client's state file
            self._paths_by_slug.setdefault(slug, set()).add(relative)
