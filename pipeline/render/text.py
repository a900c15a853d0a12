"""Make every string safe for XML documents before it reaches a renderer."""

from __future__ import annotations

import re
from typing import Any

# XML 1.0 forbids C0 controls except tab/newline/CR, lone surrogates, and U+FFFE/U+FFFF.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    return _INVALID_XML.sub("", value)


def clean(value: Any) -> Any:
    """Recursively strip characters XML cannot hold from every string of a plain context."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value
