"""Office packages (the zip of XML parts): checks on a template before a renderer parses it, and the
reproducible dating of the documents vcio writes."""

from __future__ import annotations

import struct
import zipfile
from datetime import date, datetime, time
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


# ----------------------------------------------------------------------------- reproducible packages
def review_time(context: dict) -> datetime:
    """The moment every document of a review is stamped with: midnight (UTC) of its review date (``--as-of``).

    Documents carry it as their created and modified dates and as the date of every zip entry, so the same
    inputs, settings and review date give byte-identical files, whatever the clock or time zone of the run.
    """
    return midnight(date.fromisoformat(context["as_of_iso"]))


def midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def stamp_core_properties(properties, when: datetime) -> None:
    """python-docx's or python-pptx's ``CoreProperties``: created and modified ``when``, revision 1, and no
    date the document was last printed (a template may carry one from its author's printer)."""
    properties.created = properties.modified = when
    properties.revision = 1
    element = properties._element
    for printed in element.findall("{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
                                   "lastPrinted"):
        element.remove(printed)


def reproducible(blob: bytes, context: dict) -> bytes:
    """An Office package (.docx, .pptx, .xlsx) with every zip entry dated the review date (see :func:`review_time`).

    python-docx and python-pptx date entries with the clock, XlsxWriter with 1980-01-01; everything else in
    their output is already a function of the content, so only the dates change. They are rewritten in place
    in the local and central headers (no entry is recompressed): a few microseconds per entry.
    """
    return dated_zip(blob, review_time(context).date())


_LOCAL, _CENTRAL, _END = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"


def dated_zip(blob: bytes, day: date) -> bytes:
    """``blob`` (a zip archive) with every entry's modification time set to midnight of ``day``."""
    stamp = struct.pack("<HH", 0, ((day.year - 1980) << 9) | (day.month << 5) | day.day)  # DOS time, DOS date
    data = bytearray(blob)
    end = data.rfind(_END)
    if end < 0:
        raise ValueError("not a zip archive: no end of central directory")
    entries, size, start = struct.unpack_from("<HII", data, end + 10)
    if start == 0xFFFFFFFF or entries == 0xFFFF:
        raise ValueError("zip64 archives are not supported")  # Office documents of vcio's size never are
    offset = start
    for _ in range(entries):
        if data[offset:offset + 4] != _CENTRAL:
            raise ValueError(f"broken central directory at byte {offset}")
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", data, offset + 28)
        local = struct.unpack_from("<I", data, offset + 42)[0]
        if data[local:local + 4] != _LOCAL:
            raise ValueError(f"broken local header at byte {local}")
        data[offset + 12:offset + 16] = stamp
        data[local + 10:local + 14] = stamp
        offset += 46 + name_length + extra_length + comment_length
    return bytes(data)
