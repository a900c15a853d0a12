"""Shared paths of the render tests (documents are rendered from client reviews: tests/review/conftest.py)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
