"""CSV outputs (findings.csv, rejects.csv): text that could run as a formula gets a leading apostrophe.

findings.csv is a contract (README "Outputs"): columns may be appended, never removed or reordered.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from ..render.text import clean_text, neutralise_formula

if TYPE_CHECKING:
    from ..review.model import ClientReview

FINDINGS_COLUMNS = ("finding_id", "client", "category", "severity", "title", "subject", "due_date",
                    "estimated_cost", "recommendation", "source",
                    "initiative_id", "cost_kind")  # appended: the initiative covering it; one_time or annual
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


def findings_csv(review: ClientReview) -> bytes:
    """One row per finding of the review, in the review's order (most severe first)."""
    client = review.client.name
    return to_csv(FINDINGS_COLUMNS, (
        {"finding_id": f.finding_id, "client": client, "category": f.category, "severity": f.severity,
         "title": f.title, "subject": f.subject, "due_date": f.due_date.isoformat() if f.due_date else "",
         "estimated_cost": f.budgeted, "recommendation": f.recommendation, "source": ";".join(f.sources),
         "initiative_id": f.initiative_id, "cost_kind": f.cost_kind} for f in review.findings))
