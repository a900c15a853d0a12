"""Appendix row caps shared by the deck and the roadmap."""

from __future__ import annotations


def appendix_limit(ctx: dict, key: str, default: int) -> int:
    """The configured cap (context["limits"][key]), at least 1; the default when missing or malformed."""
    try:
        return max(1, int((ctx.get("limits") or {}).get(key, default)))
    except (TypeError, ValueError):
        return default
