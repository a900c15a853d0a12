"""What vcio remembers between runs of a quarter: the hashes of the documents it wrote
(so a presenter's edits are never overwritten) and each client's input fingerprint
(so `--resume` can skip clients whose inputs did not change)."""

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
    path: Path
    # relative path -> every hash vcio ever wrote there: a file whose hash is not in the set was edited by a person.
    written: dict[str, list[str]] = field(default_factory=dict)
    # client name -> {"fingerprint": ..., "files": {key: relative path}}
    clients: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, quarter_dir: Path) -> "RunState":
        path = quarter_dir / STATE_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        return cls(path, dict(data.get("written", {})), dict(data.get("clients", {})))

    def save(self) -> None:
        data = {"written": self.written, "clients": self.clients}
        atomic_write(self.path, json.dumps(data, indent=1, sort_keys=True, default=str).encode("utf-8"))

    def edited_by_person(self, relative: str, on_disk: Path) -> bool:
        """True when a file exists at this path that vcio did not write."""
        current = file_sha256(on_disk)
        if current is None:
            return False
        return current not in self.written.get(relative, [])

    def remember(self, relative: str, digest: str) -> None:
        hashes = self.written.setdefault(relative, [])
        if digest not in hashes:
            hashes.append(digest)
            del hashes[:-5]  # the recent versions are enough to recognise our own files
