"""--resume: whether a client's documents of the last run still stand, and one line saying what is redone."""

from __future__ import annotations

import logging
from pathlib import Path

from .state import RunState, file_sha256

log = logging.getLogger("vcio")


RESUME_NEW = "not rendered in an earlier run of this quarter"


RESUME_CHANGED = "inputs, decisions, goals, settings, templates, catalog, history or vcio version changed"


RESUME_FILES = "a document was edited, moved or deleted"


RESUME_PDF = "PDF copies asked for and not made by the earlier run"


def resume_reason(state: RunState, name: str, fingerprint: str, quarter_dir: Path, wants_pdf: bool = False
                  ) -> str | None:
    """None when the client is unchanged (same fingerprint, every file on disk the one vcio last wrote for
    it, and the PDF copies --pdf asks for among them); else why it must be rendered again. --pdf is not part
    of the fingerprint: a run without it keeps the PDFs an earlier run made."""
    previous = state.clients.get(name)
    if not previous or not previous.get("files"):
        return RESUME_NEW
    if previous.get("fingerprint") != fingerprint:
        return RESUME_CHANGED
    hashes = previous.get("hashes", {})
    if not all(file_sha256(quarter_dir / relative) == hashes.get(relative) for relative in previous["files"].values()):
        return RESUME_FILES
    if wants_pdf and not any(key.endswith("_pdf") for key in previous["files"]):
        return RESUME_PDF
    return None


def log_resume(redo: dict[str, int], unchanged: int) -> None:
    """One line saying what --resume will redo and why; a warning when nothing at all could be skipped,
    because a change shared by every client (configuration, templates, catalog, vcio upgrade) turns a
    few-seconds resume into a full run."""
    reasons = "; ".join(f"{count} {why}" for why, count in sorted(redo.items(), key=lambda kv: -kv[1]))
    total = sum(redo.values())
    if not unchanged and redo.get(RESUME_CHANGED) == total and total > 1:
        log.warning("--resume: all %d clients are rendered again: every fingerprint changed, which usually means "
                    "the configuration, a template, the lifecycle catalog or the vcio version changed since the "
                    "last run", total)
    else:
        log.info("--resume: %d unchanged, %d rendered again (%s)", unchanged, total, reasons)
