"""Apple model identifiers ("MacBookPro18,3", "Mac15,3") to a marketing name and a device type.

Since 2022 Apple names every Mac "MacNN,N", so the identifier an RMM reports no longer says whether it is a laptop:
a small table (data/apple_models.csv, from Apple's "Identify your Mac model" support pages) tells. Identifiers not
in the table fall back to their prefix (MacBook* laptops; iMac*, Macmini*, MacPro* desktops) or stay unknown.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from ..resources import data_path

_IDENTIFIER = re.compile(r"\b((?:MacBookPro|MacBookAir|MacBook|iMacPro|iMac|Macmini|MacPro|Mac)\d{1,2},\d{1,2})\b")
_PREFIX_TYPES = (("MacBook", "laptop"), ("iMac", "desktop"), ("Macmini", "desktop"), ("MacPro", "desktop"))


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, str]]:
    with data_path("apple_models.csv").open(encoding="utf-8", newline="") as handle:
        return {row["identifier"].casefold(): (row["name"], row["device_type"]) for row in csv.DictReader(handle)}


@lru_cache(maxsize=4096)
def apple_model(model: str | None) -> tuple[str, str] | None:
    """(marketing name, device type) for a model text holding an Apple identifier; None when it holds none or the
    identifier is neither in the table nor typed by its prefix."""
    if not model:
        return None
    match = _IDENTIFIER.search(model.replace(" ", ""))
    if not match:
        return None
    identifier = match.group(1)
    known = _table().get(identifier.casefold())
    if known:
        return known
    kind = next((kind for prefix, kind in _PREFIX_TYPES if identifier.startswith(prefix)), None)
    return (identifier, kind) if kind else None
