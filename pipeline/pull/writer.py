"""Pulled tables become CSV files, and each pull leaves a small manifest: written atomically, owner-only."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

MANIFEST_NAME = "pull-manifest.json"  # not a data file: `vcio run` and `vcio validate` never read it


@dataclass
class Table:
    """One entity's rows, as the CSV its ingest profile reads."""

    filename: str
    profile: str
    header: Sequence[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    raw: bytes | None = None  # a vendor CSV kept byte for byte (Microsoft's usage report)

    @property
    def row_count(self) -> int:
        if self.raw is not None:
            return max(0, len([line for line in self.raw.decode("utf-8-sig", "replace").splitlines() if line.strip()]) - 1)
        return len(self.rows)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ";".join(cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def table_bytes(table: Table) -> bytes:
    if table.raw is not None:
        return table.raw
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([cell(row.get(column)) for column in table.header])
    return buffer.getvalue().encode("utf-8")


def write_table(folder: Path, table: Table) -> Path:
    from ..runner.atomic import atomic_write

    path = folder / table.filename
    atomic_write(path, table_bytes(table))
    return path


def read_manifest(folder: Path) -> dict:
    try:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_manifest(folder: Path, manifest: dict) -> Path:
    from ..runner.atomic import atomic_write

    path = folder / MANIFEST_NAME
    atomic_write(path, (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8"))
    return path


def flatten(record: dict, fields: Iterable[str]) -> dict[str, Any]:
    """{"company": {"name": "Acme"}} and "company.name" -> {"company.name": "Acme"}: the dotted names the API
    profiles read."""
    out = {}
    for name in fields:
        node: Any = record
        for part in name.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        out[name] = node
    return out
