"""Validate a finished document against the Office schemas, as Microsoft's Open XML SDK does.

The validator is openxml-audit (MIT, on the package index): a pure-Python port of the Open XML SDK's
validation, shipping the SDK's own schema data (the transitional ECMA-376 schemas plus the Office extension
namespaces, with markup compatibility: ``mc:Ignorable`` and ``mc:AlternateContent`` resolved as Office
resolves them) and a few checks of Word's own on top (``stylesWithEffects.xml`` against ``styles.xml``,
drawing ids across parts). It checks against Microsoft 365. It is part of the ``test`` extra, not a runtime
dependency: :func:`available` says whether it is installed, and ``vcio templates check`` uses it when it is
(otherwise the order check built into :mod:`.ooxml`).

``ALLOWED`` is the list of findings vcio accepts, each with the reason Office accepts it; it is empty, and
a new entry needs the same: the finding's id, the part it may occur in, and why Office opens the file
unchanged.
"""

from __future__ import annotations

import functools
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Allowance:
    finding_id: str       # the validator's id, e.g. "Sch_AttributeValueDataTypeDetailed"
    part: str             # a regular expression for the part name, e.g. r"/charts/chart\d+\.xml$"
    reason: str           # why Word, PowerPoint or Excel open such a file without repair


ALLOWED: tuple[Allowance, ...] = ()


def available() -> bool:
    try:
        import openxml_audit  # noqa: F401
    except ImportError:
        return False
    return True


@functools.cache
def _validator():
    from openxml_audit import FileFormat, OpenXmlValidator
    return OpenXmlValidator(file_format=FileFormat.MICROSOFT_365, max_errors=0)


def findings(document: Path | bytes, suffix: str = ".docx") -> list[str]:
    """Every schema or Office-compatibility finding in ``document`` (a path, or the bytes of a file with
    ``suffix``), minus ``ALLOWED``; each as ``part path: description`` (empty: the document is valid).

    Warnings count as findings too: Word's own checks report as warnings what makes Word repair a file.
    """
    if isinstance(document, bytes):
        with tempfile.TemporaryDirectory(prefix="vcio-check-") as folder:
            path = Path(folder) / f"document{suffix}"
            path.write_bytes(document)
            return findings(path)
    result = _validator().validate(Path(document))
    out = []
    for error in result.errors:
        if any(error.id == allowed.finding_id and re.search(allowed.part, error.part_uri or "")
               for allowed in ALLOWED):
            continue
        where = " ".join(p for p in (error.part_uri, error.path) if p)
        out.append(f"{where}: {error.description}" if where else error.description)
    return out
