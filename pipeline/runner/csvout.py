"""CSV outputs (findings.csv, rejects.csv): text that could run as a formula gets a leading apostrophe."""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable, Sequence

from ..render.text import clean_text, neutralise_formula

FINDINGS_COLUMNS = ("finding_id", "client", "category", "severity", "title", "subject", "due_date",
                    "estimated_cost", "recommendation", "source")
REJECTS_COLUMNS = ("file", "line", "column", "value", "reason")


def _cell(value: Any) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return round(value, 2) if isinstance(value, float) else value
    return neutralise_formula(clean_text(str(value)))


def to_csv(columns: Sequence[str], rows: Iterable[dict]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    # UTF-8 with BOM so Excel opens accented names correctly.
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def findings_csv(client: str, findings: list[dict]) -> bytes:
    return to_csv(FINDINGS_COLUMNS, ({**f, "client": client} for f in findings))
