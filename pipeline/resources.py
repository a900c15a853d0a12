"""The files vcio ships inside its package: templates, data tables, default settings, ingest profiles.

An installed vcio (a wheel, `pip install .`) finds them through importlib.resources; the repository keeps
`templates/` at its top level, and the build maps it into the package as `pipeline.templates`. A source
checkout run without installing (`python -m pipeline` from the repository) finds the same folder directly.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

TEMPLATE_NAMES = ("roadmap.docx", "qbr.pptx")
_SOURCE_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@cache
def templates_dir() -> Path:
    """The folder holding the built-in roadmap.docx and qbr.pptx."""
    try:
        packaged = resources.files("pipeline.templates")
    except ModuleNotFoundError:
        packaged = None
    if packaged is not None:
        for candidate in _filesystem_paths(packaged):
            if (candidate / TEMPLATE_NAMES[0]).is_file():
                return candidate
    return _SOURCE_TEMPLATES


def builtin_template(name: str) -> Path:
    """The built-in template `name` ("roadmap.docx" or "qbr.pptx")."""
    return templates_dir() / name


def data_path(*parts: str) -> Path:
    """A file or folder under the package's data/ folder."""
    return _filesystem_paths(resources.files("pipeline"))[0].joinpath("data", *parts)


def profiles_dir() -> Path:
    return _filesystem_paths(resources.files("pipeline.ingest"))[0] / "profiles"


def _filesystem_paths(traversable) -> list[Path]:
    """pip installs packages as plain folders; a namespace package (a mapped folder in an editable install)
    answers with several."""
    paths = getattr(traversable, "_paths", None)  # importlib's MultiplexedPath
    return [Path(str(p)) for p in paths] if paths else [Path(str(traversable))]
