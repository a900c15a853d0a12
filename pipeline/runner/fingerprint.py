"""A client's fingerprint: everything its documents depend on, hashed.

Inputs rows (the merged model, which carries every value and source line), the review
date and quarter, the client's effective configuration, goals, decisions and exclusions
(part of the model), the templates, the lifecycle catalog, the price and SKU data, and
the vcio version. Equal fingerprints mean equal documents.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..config import Settings
from ..model import ClientData
from ..resources import data_path

DATA_DIR = data_path()


@lru_cache(maxsize=16)
def _files_digest(paths: tuple[Path, ...]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.name).encode())
            try:
                digest.update(file.read_bytes())
            except OSError:
                digest.update(b"missing")
    return digest.hexdigest()


def client_fingerprint(client: ClientData, as_of: str, quarter: str, settings: Settings, templates: tuple[Path, ...],
                       lifecycle_dirs: tuple[Path, ...], history_token: str = "") -> str:
    digest = hashlib.sha256()
    for part in (__version__, as_of, quarter, repr(client), history_token,
                 settings.for_client(client.name).fingerprint(),
                 _files_digest(tuple(templates)), _files_digest((DATA_DIR, *lifecycle_dirs))):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()
