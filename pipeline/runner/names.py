"""Safe, unique, readable folder and file names from client names."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def slugify(name: str, max_length: int = 60) -> str:
    """Lower-case ASCII letters, digits and hyphens; never empty, never a reserved device name."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:max_length].strip("-")
    if not slug:
        # No Latin letters to keep (Arabic, Chinese ...): a short digest keeps the folder stable across runs.
        slug = "client-" + hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    if slug in _WINDOWS_RESERVED:
        slug = f"{slug}-client"
    return slug


def unique_slugs(names: list[str]) -> dict[str, str]:
    """Slug per name, suffixed -2, -3 ... on collision, in the order given."""
    used: set[str] = set()
    result: dict[str, str] = {}
    for name in names:
        base = slugify(name)
        slug, n = base, 1
        while slug in used:
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        result[name] = slug
    return result


def safe_filename(text: str, max_length: int = 100) -> str:
    """Keep the client's spelling (accents, non-Latin scripts) but nothing a file system refuses."""
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", text)).strip().strip(".")
    cleaned = re.sub(r"\s+", " ", cleaned)
    if len(cleaned.encode("utf-8")) > max_length:
        encoded = cleaned.encode("utf-8")[:max_length]
        cleaned = encoded.decode("utf-8", "ignore").rstrip()
    if not cleaned or cleaned.split(".")[0].lower() in _WINDOWS_RESERVED:
        cleaned = f"_{cleaned}"
    return cleaned


def document_name(client: str, kind: str, quarter: str, suffix: str) -> str:
    return f"{safe_filename(client)} - {kind} - {quarter}{suffix}"
