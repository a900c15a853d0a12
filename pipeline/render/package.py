"""Checks on a template's package (the zip of XML parts) before a renderer parses it."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import TemplateError

_XML_SUFFIXES = (".xml", ".rels", ".vml")


def refuse_doctype(path: Path, what: str) -> None:
    """Checked once per template file version (path, size, modification time), not once per client."""
    try:
        stat = Path(path).stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns, what)
    except OSError:
        key = None
    if key is not None and key in _CHECKED:
        return
    _refuse_doctype(path, what)
    if key is not None:
        _CHECKED.add(key)


_CHECKED: set[tuple] = set()


def _refuse_doctype(path: Path, what: str) -> None:
    """A template part with a DTD (<!DOCTYPE ...>, entity declarations) is refused.

    Office documents never carry one (ECMA-376 Part 2 forbids DTDs in package parts). The
    libraries already parse without resolving entities, but python-pptx copies the DTD into the
    deck it writes, where another reader might expand it: XXE and entity bombs stop here.
    A file that is not a zip is left to the renderer, which reports it.
    """
    from lxml import etree

    if not zipfile.is_zipfile(path):
        return
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not info.filename.lower().endswith(_XML_SUFFIXES):
                continue
            try:
                root = etree.fromstring(archive.read(info), parser)
            except etree.XMLSyntaxError:
                continue  # malformed parts are the renderer's to report
            if root is None:
                continue
            docinfo = root.getroottree().docinfo
            if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
                raise TemplateError(f"the {what} template {path} has a DTD (<!DOCTYPE ...>) in {info.filename}: Office "
                                    "documents never contain one, so vcio refuses it (it could declare external "
                                    "entities). Save the template again from Word or PowerPoint, or run "
                                    "`vcio templates init DIR`.")
