"""Turn an export file's bytes into a header and rows with their physical line numbers."""

from __future__ import annotations

import codecs
import csv
import io
import re
from itertools import chain, compress, repeat
from operator import itemgetter, not_
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import DecodeError

DATA_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx"}
_DELIMITERS = (",", ";", "\t", "|")
csv.field_size_limit(16 * 1024 * 1024)
# Rows handed to the mapper at a time: big enough to amortise per-chunk work, small enough that a
# million-row file never exists as lists of cells all at once.
CHUNK_ROWS = 10_000
# The line breaks str.splitlines knows besides \r and \n; io.StringIO(newline="") ignores them.
_OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_ANY_BREAK = re.compile("\r\n|[\n\r" + _OTHER_BREAKS + "]")
_LINE_END = re.compile("\r\n|[\n\r]")
_BLOCK_CHARS = 1 << 22

Chunk = tuple[list[int], list[list[str]]]  # (physical start line of each row, the rows' cells)



class Table:
    """A file's header and its data rows.  Rows are parsed lazily, chunk by chunk, so a big file's cells
    never all exist at once; ``rows`` gathers them all for callers that want a list."""

    def __init__(self, header: list[str], encoding: str, delimiter: str, warnings: list[str] | None = None,
                 rows: list[tuple[int, list[str]]] | None = None, chunks: Iterator[Chunk] | None = None):
        self.header = header
        self.encoding = encoding
        self.delimiter = delimiter
        self.warnings = warnings if warnings is not None else []
        self._rows = rows
        self._chunks = chunks

    def chunks(self) -> Iterator[Chunk]:
        """(start lines, cells) of the data rows, in file order; blank rows are left out.  Streams once."""
        if self._rows is not None:
            for at in range(0, len(self._rows), CHUNK_ROWS):
                part = self._rows[at:at + CHUNK_ROWS]
                yield [line for line, _ in part], [cells for _, cells in part]
            return
        source, self._chunks = self._chunks, None
        if source is None:
            raise RuntimeError("the rows of this table were already read")
        yield from source

    @property
    def rows(self) -> list[tuple[int, list[str]]]:
        if self._rows is None:
            self._rows = [row for lines, cells in self.chunks() for row in zip(lines, cells)]
        return self._rows


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Return (text, encoding name).  UTF-8 (BOM or not), UTF-16 with BOM, else cp1252.

    A file that is UTF-8 except for some lines (rows pasted from an Excel re-save) is decoded line by
    line, so its UTF-8 names stay intact; the encoding name says "mixed" and the caller warns.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        # Decoding through a memoryview skips a copy of the whole file that raw[3:] would make.
        return codecs.utf_8_decode(memoryview(raw)[3:], "replace", True)[0], "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    bomless = bomless_utf16(raw)
    if bomless:
        return raw.decode(bomless, errors="replace"), bomless
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


def bomless_utf16(raw: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" for UTF-16 text without a byte order mark (PowerShell and some exporters
    write it), else None. Its tell: a NUL beside nearly every character of a header's Latin letters, always
    on the same side of each pair, and the sample decodes cleanly."""
    sample = raw[:4096]
    sample = sample[:len(sample) - len(sample) % 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= len(odd) * 0.3 and even.count(0) == 0:
        encoding = "utf-16-le"
    elif even.count(0) >= len(even) * 0.3 and odd.count(0) == 0:
        encoding = "utf-16-be"
    else:
        return None
    try:
        codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=False)
    except UnicodeDecodeError:
        return None
    return encoding


def looks_binary(raw: bytes) -> bool:
    sample = raw[:4096]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or bomless_utf16(raw):
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
    if '"' not in line:
        return line.count(delimiter)
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
    if not raw or raw.isspace():  # what raw.strip() tests, without copying the file
        raise DecodeError("the file is empty")
    if looks_binary(raw):
        raise DecodeError("the file is binary, not a text export (NUL bytes found)")
    text, encoding = decode_bytes(raw)
    del raw
    text = text.lstrip("\ufeff")
    delimiter = sniff_delimiter(_header_line(text), path.suffix.lower())
    table = _parse_delimited(text, delimiter, encoding)
    if encoding.startswith("mixed"):
        table.warnings.append(f"mixed encodings: {encoding[7:]}; check the names in this file")
    return table


def _header_line(text: str) -> str:
    """The first line (as str.splitlines cuts them) that is neither blank nor a #TYPE line, found without
    splitting the whole file."""
    start = 0
    for found in _ANY_BREAK.finditer(text):
        line = text[start:found.start()]
        if line.strip() and not _is_type_line(line):
            return line
        start = found.end()
    line = text[start:]
    return line if line.strip() and not _is_type_line(line) else ""


def physical_lines(text: str) -> Iterable[str]:
    """The lines ``io.StringIO(text, newline="")`` yields (cut at \\r, \\n, \\r\\n, ends kept), without the
    four-bytes-per-character copy StringIO makes of the whole text."""
    if _has_other_breaks(text):  # splitlines would cut there too: let StringIO do it
        return io.StringIO(text, newline="")
    return chain.from_iterable(_blocks(text, 0, True))


def _has_other_breaks(text: str) -> bool:
    return any(ch in text for ch in _OTHER_BREAKS)


def _blocks(text: str, start: int, keepends: bool) -> Iterator[list[str]]:
    """The lines of text[start:], a few megabytes at a time."""
    # Cut right after a \n: that always ends a line, whether it is \n alone or the end of \r\n.
    size = len(text)
    while start < size:
        end = text.find("\n", start + _BLOCK_CHARS)
        end = size if end < 0 else end + 1
        yield text[start:end].splitlines(keepends)
        start = end


def _parse_delimited(text: str, delimiter: str, encoding: str) -> Table:
    try:
        if not _fields_fit(text):
            for _ in csv.reader(physical_lines(text), delimiter=delimiter, strict=False):
                pass  # only a full read tells whether a cell overflows; better now than halfway through ingest
        return _read_records(text, delimiter, encoding)
    except csv.Error as exc:  # a cell over the field limit: an unclosed quote swallowed the rest of the file
        raise DecodeError(f"the file cannot be read as a table: {exc} (an unclosed quote?)") from None


def _fields_fit(text: str) -> bool:
    """True when no cell can exceed the csv field limit, the one error the reader can raise: the text is
    shorter than the limit, or it has no quotes and a \\n in every half-limit stretch (so no line, hence no
    cell, reaches the limit)."""
    limit = csv.field_size_limit()
    if len(text) <= limit:
        return True
    if '"' in text:
        return False
    half = limit // 2
    return all(text.find("\n", start, start + half) >= 0 for start in range(0, len(text) - half + 1, half))


def _read_records(text: str, delimiter: str, encoding: str) -> Table:
    # Without a quote, the csv module cuts every line at each delimiter and nothing else: str.split does
    # the same several times faster, and every record is one line.
    if '"' not in text and not _has_other_breaks(text):
        header, chunks = _split_records(text, delimiter)
    else:
        header, chunks = _csv_records(text, delimiter)
    if header is None:
        raise DecodeError("the file has no header row")
    warnings = []
    if text.count('"') % 2 == 1:
        warnings.append("unbalanced quotes: a quoted cell is not closed, the last record may have absorbed the rest of the file")
    return Table(header=header, encoding=encoding, delimiter=delimiter, warnings=warnings, chunks=chunks)


def _is_header(cells: list[str]) -> bool:
    """Not blank (a blank line is no record) and not Windows PowerShell's Export-Csv type line."""
    return bool("".join(cells).strip()) and not (len(cells) == 1 and _is_type_line(cells[0]))


def _header_cells(cells: list[str]) -> list[str]:
    return [c.replace("\ufeff", "").strip() for c in cells]


def _csv_records(text: str, delimiter: str) -> tuple[list[str] | None, Iterator[Chunk]]:
    reader = csv.reader(physical_lines(text), delimiter=delimiter, strict=False)
    for cells in reader:
        if _is_header(cells):
            return _header_cells(cells), _csv_chunks(reader, reader.line_num)
    return None, iter(())


def _csv_chunks(reader, previous_end: int) -> Iterator[Chunk]:
    lines: list[int] = []
    rows: list[list[str]] = []
    for cells in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        # Most rows start with a filled cell; only the others need the full blank test.
        if not (cells and cells[0] and not cells[0].isspace()) and not "".join(cells).strip():
            continue  # blank line (or only blank cells): not a record, nothing to accept or reject
        lines.append(start)
        rows.append(cells)
        if len(rows) == CHUNK_ROWS:
            yield lines, rows
            lines, rows = [], []
    if rows:
        yield lines, rows


def _split_records(text: str, delimiter: str) -> tuple[list[str] | None, Iterator[Chunk]]:
    """Header and rows of a text without quotes (nor line breaks other than \\r and \\n)."""
    start = number = 0
    while start < len(text):
        found = _LINE_END.search(text, start)
        end, following = (found.start(), found.end()) if found else (len(text), len(text))
        number += 1
        cells = text[start:end].split(delimiter)
        start = following
        if _is_header(cells):
            return _header_cells(cells), _split_chunks(text, start, number, delimiter)
    return None, iter(())


def _split_chunks(text: str, start: int, number: int, delimiter: str) -> Iterator[Chunk]:
    for lines in _blocks(text, start, False):
        for at in range(0, len(lines), CHUNK_ROWS):
            part = lines[at:at + CHUNK_ROWS]
            rows = list(map(str.split, part, repeat(delimiter)))
            numbers = list(range(number + 1, number + 1 + len(part)))
            number += len(part)
            # Only a row whose first cell is blank can be blank: test those in full.
            suspects = list(compress(range(len(rows)), map(not_, map(str.strip, map(itemgetter(0), rows)))))
            blank = [i for i in suspects if not "".join(rows[i]).strip()]
            if blank:
                blank_set = set(blank)
                keep = [i not in blank_set for i in range(len(rows))]
                rows, numbers = list(compress(rows, keep)), list(compress(numbers, keep))
            if rows:
                yield numbers, rows


def _read_xlsx(path: Path) -> Table:
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a corrupt workbook raises many different types
        raise DecodeError(f"the workbook cannot be opened: {exc}") from None
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    numbers_seen: set[int] = set()
    repeated: list[int] = []
    try:
        # Read-only sheets are parsed lazily: a damaged sheet fails here, not in load_workbook.
        sheet = workbook.worksheets[0]
        for number, values in _sheet_rows(sheet):
            if number in numbers_seen:
                repeated.append(number)
            numbers_seen.add(number)
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
    warnings = []
    if repeated:
        warnings.append(f"{len(repeated)} rows of the sheet repeat a row number used before them (first: row "
                        f"{repeated[0]}): every row is read, and line numbers in rejects.csv may name two rows; "
                        "open and save the file in Excel to renumber them")
    return Table(header=header, encoding="xlsx", delimiter="", warnings=warnings, rows=rows)


def _sheet_rows(sheet) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of every row element of a read-only sheet, in file order.

    ``iter_rows`` drops a row whose number repeats an earlier one (some exporters write them) and stops at
    the sheet's declared dimension; its parser does neither, so rows come from it where this openpyxl has it.
    """
    try:
        from openpyxl.worksheet._reader import WorkSheetParser

        book = sheet.parent
        open_source, make_row, strings = sheet._get_source, sheet._get_row, sheet._shared_strings
        options = {"data_only": book.data_only, "epoch": book.epoch, "date_formats": book._date_formats,
                   "timedelta_formats": book._timedelta_formats}
    except (ImportError, AttributeError):  # another openpyxl: its public reader, rows numbered in order
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
        return
    with open_source() as source:
        for number, cells in WorkSheetParser(source, strings, **options).parse():
            yield number, make_row(cells, 1, None, values_only=True)
