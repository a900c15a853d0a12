"""Licence product names: SKU part numbers and report spellings -> the admin center's friendly names."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from ..resources import data_path

SKU_NAMES = data_path("sku_names.csv")
_NOISE = re.compile(r"\((?:nce|new commerce|annual|monthly|[^)]*commit[^)]*|com|[a-z]{2,4} [a-z]{2,4})\)|\b(nce|annual|monthly)\b|[-–]\s*$", re.I)


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    if SKU_NAMES.is_file():
        with SKU_NAMES.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                sku, name = (row.get("sku") or "").strip(), (row.get("product_name") or "").strip()
                if sku and name:
                    table[sku.casefold()] = name
                    table.setdefault(name.casefold(), name)
    return table


@lru_cache(maxsize=8192)
def friendly_product(name: str) -> str:
    """``SPB`` or ``MICROSOFT 365 BUSINESS PREMIUM`` -> ``Microsoft 365 Business Premium``."""
    clean = name.replace("\u00a0", " ").strip()
    return _table().get(clean.casefold(), clean)


@lru_cache(maxsize=8192)
def product_key(name: str) -> str:
    """A key under which a distributor's product and a portal's licence name compare equal."""
    text = friendly_product(name)
    text = _NOISE.sub(" ", text)
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
