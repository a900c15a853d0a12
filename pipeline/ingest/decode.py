"""Turn an export file's bytes into a header and rows with their physical line numbers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

DATA_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx"}
_DELIMITERS = (",", ";", "\t", "|")
csv.field_size_limit(16 * 1024 * 1024)


class DecodeError(ValueError):
    """The file cannot be read as a table; the message says why, for a person."""


@dataclass
class Table:
    header: list[str]
    # (physical line where the record starts, 1-based; header is line 1 for a simple file) -> cells
    rows: list[tuple[int, list[str]]]
    encoding: str
    delimiter: str
    warnings: list[str] = field(default_factory=list)


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Return (text, encoding name).  UTF-8 (BOM or not), UTF-16 with BOM, else cp1252.

    A file that is UTF-8 except for some lines (rows pasted from an Excel re-save) is decoded line by
    line, so its UTF-8 names stay intact; the encoding name says "mixed" and the caller warns.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        lines = raw.splitlines(keepends=True)
        if any(_has_multibyte(line) for line in lines):
            # Real UTF-8 text beside lines that are not: decode each line on its own, nothing becomes mojibake.
            decoded, bad = [], 0
            for line in lines:
                try:
                    decoded.append(line.decode("utf-8"))
                except UnicodeDecodeError:
                    decoded.append(line.decode("cp1252", errors="replace"))
                    bad += 1
            return "".join(decoded), f"mixed: {bad} of {len(lines)} lines are not UTF-8 (read as cp1252)"
        # cp1252 leaves five bytes undefined; latin-1 maps every byte, so nothing is lost.
        try:
            return raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            return raw.decode("latin-1"), "latin-1"


def _has_multibyte(line: bytes) -> bool:
    """A line holding real UTF-8 multi-byte characters (not just plain ASCII)."""
    if not any(b >= 0x80 for b in line):
        return False
    try:
        line.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def looks_binary(raw: bytes) -> bool:
    sample = raw[:4096]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in sample


def _is_type_line(line: str) -> bool:
    """``#TYPE System.Management.Automation.PSCustomObject``: written by Windows PowerShell's
    Export-Csv (without -NoTypeInformation) above the header."""
    return line.lstrip("\ufeff").startswith("#TYPE ")


def sniff_delimiter(first_line: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    counts = {d: _count_outside_quotes(first_line, d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _count_outside_quotes(line: str, delimiter: str) -> int:
    n, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            n += 1
    return n


def read_table(path: Path) -> Table:
    """Read a delimited text file or the first sheet of an .xlsx workbook."""
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    raw = path.read_bytes()
    if not raw.strip():
        raise DecodeError("the file is empty")
    if looks_binary(raw):
        raise DecodeError("the file is binary, not a text export (NUL bytes found)")
    text, encoding = decode_bytes(raw)
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip() and not _is_type_line(line)), "")
    delimiter = sniff_delimiter(header_line, path.suffix.lower())
    table = _parse_delimited(text, delimiter, encoding)
    if encoding.startswith("mixed"):
        table.warnings.append(f"mixed encodings: {encoding[7:]}; check the names in this file")
    return table


def _parse_delimited(text: str, delimiter: str, encoding: str) -> Table:
    try:
        return _read_records(text, delimiter, encoding)
    except csv.Error as exc:  # a cell over the field limit: an unclosed quote swallowed the rest of the file
        raise DecodeError(f"the file cannot be read as a table: {exc} (an unclosed quote?)") from None


def _read_records(text: str, delimiter: str, encoding: str) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    warnings: list[str] = []
    previous_end = 0
    for cells in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        if not any(cells) or not "".join(cells).strip():
            continue  # blank line (or only blank cells): not a record, nothing to accept or reject
        if header is None:
            if len(cells) == 1 and _is_type_line(cells[0]):
                continue  # Windows PowerShell's Export-Csv type line above the header: not data
            header = [c.replace("\ufeff", "").strip() for c in cells]
            continue
        rows.append((start, cells))
    if header is None:
        raise DecodeError("the file has no header row")
    if text and text.count('"') % 2 == 1:
        warnings.append("unbalanced quotes: a quoted cell is not closed, the last record may have absorbed the rest of the file")
    return Table(header=header, rows=rows, encoding=encoding, delimiter=delimiter, warnings=warnings)


def _read_xlsx(path: Path) -> Table:
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a corrupt workbook raises many different types
        raise DecodeError(f"the workbook cannot be opened: {exc}") from None
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        # Read-only sheets are parsed lazily: a damaged sheet fails here, not in load_workbook.
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else (v.isoformat() if hasattr(v, "isoformat") else str(v)) for v in values]
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                continue
            rows.append((number, cells))
    except Exception as exc:  # noqa: BLE001 - XML, zip and value errors alike mean "unreadable"
        raise DecodeError(f"the workbook's first sheet cannot be read: {exc}") from None
    finally:
        workbook.close()
    if header is None:
        raise DecodeError("the workbook's first sheet has no header row")
    return Table(header=header, rows=rows, encoding="xlsx", delimiter="")
