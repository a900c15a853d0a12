"""The run's two templates: the configured ones or the built-in ones, refused once, before any client, when they
cannot be opened or link outside themselves."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..config import Settings
from ..errors import EnvironmentProblem, UsageError
from ..resources import builtin_template


def templates_for(settings: Settings) -> tuple[Path, Path]:
    roadmap = settings.documents.roadmap_template or builtin_template("roadmap.docx")
    qbr = settings.documents.qbr_template or builtin_template("qbr.pptx")
    for path in (roadmap, qbr):
        if not path.is_file():
            raise EnvironmentProblem(f"template not found: {path} (set [documents] in vcio.toml or run "
                                     "`vcio templates init DIR`)")
        if not zipfile.is_zipfile(path):
            raise EnvironmentProblem(f"template {path} is not a Word/PowerPoint file (not a zip archive): "
                                     "save it again from Word or PowerPoint, or run `vcio templates init DIR`")
    _open_templates(roadmap, qbr)
    _refuse_external_links(settings, roadmap, qbr)
    return roadmap, qbr


def _refuse_external_links(settings: Settings, *templates: Path) -> None:
    """Checked before anything is rendered: a linked picture or template would make every client's Word or
    PowerPoint call an outside address on opening."""
    from ..render.lint import external_link_problems

    if settings.documents.allow_external_links:
        return
    problems = [f"{path}: {problem}" for path in templates for problem in external_link_problems(path)]
    if problems:
        raise UsageError("a template links outside itself: " + "; ".join(problems[:5]) +
                         (f"; and {len(problems) - 5} more" if len(problems) > 5 else ""))


def _open_templates(roadmap: Path, qbr: Path) -> None:
    """A zip that is not a Word or PowerPoint package fails the run once, not every client."""
    from docx import Document
    from pptx import Presentation

    for path, opener, what in ((roadmap, Document, "Word"), (qbr, Presentation, "PowerPoint")):
        try:
            opener(str(path))
        except Exception as exc:  # python-docx/python-pptx raise many types for a damaged package
            raise EnvironmentProblem(f"template {path} cannot be opened as a {what} file ({type(exc).__name__}: "
                                     f"{exc}): save it again from {what}, or run `vcio templates init DIR`") from None
