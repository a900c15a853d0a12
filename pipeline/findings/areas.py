"""The four areas a client is graded on, in scorecard order, and their names."""

from __future__ import annotations

AREAS = ("lifecycle", "security", "licensing", "continuity")
AREA_LABELS = {"lifecycle": "Lifecycle", "security": "Security", "licensing": "Licensing", "continuity": "Continuity"}
