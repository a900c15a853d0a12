"""Client text is data, never template code; a hostile template is refused; template XML is parsed
without entities; links in templates are not followed; rendering has a time limit."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document

from pipeline.errors import TemplateError
from pipeline.render.roadmap import render_roadmap
from pipeline.render.deck import render_deck
from pipeline.render.workbook import render_workbook
from tests.conftest import INPUTS, REPO, run_cli
from tests.hostile.conftest import (AS_OF, MARKUP_LIKE, QBR, ROADMAP, TEMPLATE_LIKE, docx_cells, docx_paragraphs,
                                    docx_text, pptx_cells, pptx_paragraphs, review_with, review_with_text, xlsx_cells,
                                    xlsx_column, xlsx_value)

HOSTILE = TEMPLATE_LIKE + MARKUP_LIKE


# ----------------------------------------------------------------------------- client text stays literal
@pytest.mark.parametrize("name", ["{{ config }}", "{% for x in range(10**9) %}", "{{ ''.__class__.__mro__ }}"])
def test_template_like_client_text_survives_literally_in_the_roadmap(base_review, name):
    data = render_roadmap(review_with_text(base_review, name, HOSTILE, HOSTILE), ROADMAP, {})
    cells = docx_cells(data)
    for text in HOSTILE:
        assert text in cells, f"{text!r} did not survive in the roadmap's tables"
        assert text in docx_text(data), f"{text!r} did not survive as a device name in the appendix"
    paragraphs = docx_paragraphs(data)
    assert any(p == name for p in paragraphs), "the client name is on the cover exactly as given"
    assert sum(name in p for p in paragraphs) >= 2, "and in the running header"
    assert "<class" not in docx_text(data) and "Config" not in docx_text(data), "nothing was evaluated"


@pytest.mark.parametrize("name", ["{{ config }}", "{{ ''.__class__.__mro__ }}"])
def test_template_like_client_text_survives_literally_in_the_deck(base_review, name):
    data = render_deck(review_with_text(base_review, name, HOSTILE, HOSTILE), QBR)
    cells = pptx_cells(data)
    for text in HOSTILE:
        assert text in cells, f"{text!r} did not survive in the deck's tables"
    assert f"{name}  \u00b7  2026-Q4" in pptx_paragraphs(data)


def test_template_like_client_text_survives_literally_in_the_workbook():
    data = render_workbook(review_with(HOSTILE, name="{{ config }}"))
    titles = [xlsx_value(c) for c in xlsx_column(data, "Findings", "Title")]
    hosts = [xlsx_value(c) for c in xlsx_column(data, "Devices", "Hostname")]
    assert titles == HOSTILE  # none starts like a formula, so none gains an apostrophe
    assert sorted(hosts) == sorted(HOSTILE)
    assert xlsx_cells(data, "Summary")[0].value == "{{ config }}: findings workbook, 2026-Q4"


def test_docxtpl_escape_sequences_in_client_text_are_not_rewritten(base_review):
    """docxtpl rewrites "{_{" "}_}" "{_%" "%_}" to "{{" "}}" "{%" "%}" in its output: not in client text."""
    text = "{_{ config }_} and {_% raw %_}"
    data = render_roadmap(review_with_text(base_review, text, [text]), ROADMAP, {})
    assert text in docx_cells(data)
    assert "{{ config }}" not in docx_text(data)


# ----------------------------------------------------------------------------- a hostile template is refused
def _docx_template(tmp_path: Path, text: str) -> Path:
    document = Document()
    document.add_paragraph().add_run(text)
    path = tmp_path / "hostile.docx"
    document.save(path)
    return path


SANDBOX_ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{{ '{0.__class__.__mro__}'.format(client.name) }}",
    "{{ self._TemplateReference__context }}",
    "{{ range.__self__ }}",
]


@pytest.mark.parametrize("tag", SANDBOX_ESCAPES)
def test_hostile_roadmap_template_is_refused_by_the_sandbox(tmp_path, base_review, tag):
    with pytest.raises(TemplateError) as info:
        render_roadmap(base_review, _docx_template(tmp_path, tag), {})
    message = str(info.value)
    assert any(word in message for word in ("unsafe", "undefined", "no attribute")), message
    assert "<class" not in message and "<module" not in message and "<function" not in message, "nothing leaked"


def test_hostile_template_runs_no_command(tmp_path, base_review):
    marker = tmp_path / "pwned"
    tag = "{{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}"
    with pytest.raises(TemplateError):
        render_roadmap(base_review, _docx_template(tmp_path, tag), {})
    assert not marker.exists()


@pytest.mark.parametrize("tag", ["{% for x in range(10**9) %}x{% endfor %}", "{{ 1 // 0 }}"])
def test_template_arithmetic_abuse_is_a_template_error(tmp_path, base_review, tag):
    """The sandbox caps range() with an OverflowError: a TemplateError for the MSP, not a crash."""
    with pytest.raises(TemplateError):
        render_roadmap(base_review, _docx_template(tmp_path, tag), {})


@pytest.mark.slow
def test_hostile_template_fails_the_client_through_the_cli(tmp_path):
    from tests.conftest import run_cli

    template = _docx_template(tmp_path, SANDBOX_ESCAPES[0])
    config = tmp_path / "vcio.toml"
    config.write_text(f'[documents]\nroadmap_template = "{template}"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("run", "--inputs", str(INPUTS), "--out", str(out), "--as-of", AS_OF, "--jobs", "1",
                     "--client", "Sunrise Pediatrics", "--config", str(config))
    assert result.returncode == 1, result.stderr[-2000:]
    import json

    manifest = json.loads((out / "2026-Q4" / "manifest.json").read_text())
    entry = next(c for c in manifest["clients"] if c["name"] == "Sunrise Pediatrics")
    assert entry["status"] == "failed" and "TemplateError" in entry["error"] and "unsafe" in entry["error"]
    assert not list((out / "2026-Q4").rglob("*.docx"))


# ----------------------------------------------------------------------------- XML entities and links
class FileWatch:
    """Records every file the process opens whose path contains a marker (an audit hook: it sees
    open() from Python and C extensions using Python's io, and os.open)."""

    installed: list["FileWatch"] = []

    def __init__(self, marker: str):
        self.marker = marker
        self.opened: list[str] = []

    @classmethod
    def hook(cls, event, args):
        if event == "open" and args and cls.installed:
            path = str(args[0])
            for watch in cls.installed:
                if watch.marker in path:
                    watch.opened.append(path)

    def __enter__(self):
        if not getattr(FileWatch, "_hooked", False):
            sys.addaudithook(FileWatch.hook)
            FileWatch._hooked = True
        FileWatch.installed.append(self)
        return self

    def __exit__(self, *exc):
        FileWatch.installed.remove(self)


def _rewrite(src: Path, dst: Path, changes: dict[str, callable], extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename in changes:
                data = changes[item.filename](data)
            zout.writestr(item, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


def _with_dtd(data: bytes, first_text_tag: bytes, dtd: bytes, reference: bytes) -> bytes:
    data = data.replace(b"?>", b"?>" + dtd, 1)
    at = data.index(first_text_tag)
    end = data.index(b">", at) + 1
    return data[:end] + reference + data[end:]


@pytest.fixture
def secret(tmp_path) -> Path:
    folder = tmp_path / "xxe-secret-dir"
    folder.mkdir()
    path = folder / "secret.txt"
    path.write_text("XXE-SECRET-7f3a9c", encoding="utf-8")
    return path


def _dtd(secret: Path) -> bytes:
    return (f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>').encode()


def _all_bytes(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(n) for n in archive.namelist())


@pytest.mark.parametrize("part", ["word/document.xml", "word/header1.xml"])
def test_xxe_in_the_roadmap_template_is_refused_and_never_read(tmp_path, base_review, secret, part):
    template = _rewrite(ROADMAP, tmp_path / "xxe.docx",
                        {part: lambda d: _with_dtd(d, b"<w:t", _dtd(secret), b"&xxe;&lol2;")})
    with FileWatch("xxe-secret-dir") as watch, pytest.raises(TemplateError, match="DTD"):
        render_roadmap(base_review, template, {})
    assert watch.opened == []


def test_xxe_in_the_deck_template_is_refused_and_never_read(tmp_path, base_review, secret):
    part = "ppt/slideLayouts/slideLayout1.xml"
    template = _rewrite(QBR, tmp_path / "xxe.pptx", {part: lambda d: _with_dtd(d, b"<a:t>", _dtd(secret), b"&xxe;")})
    with FileWatch("xxe-secret-dir") as watch, pytest.raises(TemplateError, match="DTD"):
        render_deck(base_review, template)
    assert watch.opened == []


def test_the_template_check_reports_a_dtd(tmp_path, secret):
    from pipeline.render.lint import check_deck, check_roadmap

    docx = _rewrite(ROADMAP, tmp_path / "xxe.docx",
                    {"word/document.xml": lambda d: _with_dtd(d, b"<w:t", _dtd(secret), b"&xxe;")})
    pptx = _rewrite(QBR, tmp_path / "xxe.pptx",
                    {"ppt/slideLayouts/slideLayout1.xml": lambda d: _with_dtd(d, b"<a:t>", _dtd(secret), b"&xxe;")})
    with FileWatch("xxe-secret-dir") as watch:
        assert any("DTD" in p for p in check_roadmap(docx).problems)
        assert any("DTD" in p for p in check_deck(pptx).problems)
    assert watch.opened == []


def test_xxe_in_an_input_workbook_is_never_read(tmp_path, secret):
    """Exports are third-party files: an .xlsx export whose shared strings declare an external entity."""
    from datetime import date

    from openpyxl import Workbook

    from pipeline.ingest import IngestOptions, ingest_folder

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "clients.csv").write_text("name,aliases,domains\nAcme,,\n", encoding="utf-8")
    book = Workbook()
    sheet = book.active
    sheet.append(["client", "hostname", "device_type", "os"])
    sheet.append(["Acme", "PLACEHOLDER-HOST", "desktop", "Windows 11 Pro"])
    book.save(inputs / "plain.xlsx")
    def poison(data: bytes) -> bytes:  # the cell text (inline or shared string) becomes &xxe;&lol2;
        assert b"PLACEHOLDER-HOST" in data
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        return _dtd(secret) + body.replace(b"PLACEHOLDER-HOST", b"&xxe;&lol2;")

    with zipfile.ZipFile(inputs / "plain.xlsx") as archive:
        part = next(n for n in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml")
                    if n in archive.namelist() and b"PLACEHOLDER-HOST" in archive.read(n))
    _rewrite(inputs / "plain.xlsx", inputs / "devices.xlsx", {part: poison})
    (inputs / "plain.xlsx").unlink()
    with FileWatch("xxe-secret-dir") as watch:
        started = time.monotonic()
        result = ingest_folder(inputs, IngestOptions(as_of=date(2026, 11, 20)))
        assert time.monotonic() - started < 30
    assert watch.opened == []
    seen = repr(result.records) + repr(result.rejects) + repr(result.unrecognised)
    assert "XXE-SECRET" not in seen
    assert "devices.xlsx" in [u.path for u in result.unrecognised] + [f.path for f in result.files]
    assert "lollollol" not in seen, "internal entities are not expanded either"


def _block_network(monkeypatch) -> list:
    attempts: list = []

    def refuse(self, address, *args):
        attempts.append(address)
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


EXTERNAL_RELS = ('<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                 'image" Target="file://{linked}" TargetMode="External"/>'
                 '<Relationship Id="rIdX2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                 'hyperlink" Target="http://198.51.100.7/track.png" TargetMode="External"/>')


@pytest.fixture
def linked(tmp_path) -> Path:
    folder = tmp_path / "linked-target-dir"
    folder.mkdir()
    path = folder / "linked.png"
    path.write_bytes(b"LINKED-FILE-CONTENT-91b2")
    return path


def test_external_links_in_the_roadmap_template_are_not_followed(tmp_path, base_review, linked, monkeypatch):
    rels = EXTERNAL_RELS.format(linked=linked).encode()
    attached = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.'
                b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                b'openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="file://'
                + str(linked).encode() + b'" TargetMode="External"/></Relationships>')
    with zipfile.ZipFile(ROADMAP) as archive:
        has_settings_rels = "word/_rels/settings.xml.rels" in archive.namelist()
    template = _rewrite(ROADMAP, tmp_path / "linked.docx",
                        {"word/_rels/document.xml.rels": lambda d: d.replace(b"</Relationships>", rels + b"</Relationships>")},
                        {} if has_settings_rels else {"word/_rels/settings.xml.rels": attached})
    attempts = _block_network(monkeypatch)
    with FileWatch("linked-target-dir") as watch:
        data = render_roadmap(base_review, template, {})
    assert watch.opened == [] and attempts == []
    assert b"LINKED-FILE-CONTENT" not in _all_bytes(data)
    assert base_review.client.name in docx_text(data)


def test_external_links_in_the_deck_template_are_not_followed(tmp_path, base_review, linked, monkeypatch):
    rels = EXTERNAL_RELS.format(linked=linked).encode()
    template = _rewrite(QBR, tmp_path / "linked.pptx", {
        "ppt/slideLayouts/_rels/slideLayout1.xml.rels": lambda d: d.replace(b"</Relationships>", rels + b"</Relationships>"),
        "ppt/slideMasters/_rels/slideMaster1.xml.rels": lambda d: d.replace(b"</Relationships>", rels + b"</Relationships>")})
    attempts = _block_network(monkeypatch)
    with FileWatch("linked-target-dir") as watch:
        data = render_deck(base_review, template)
    assert watch.opened == [] and attempts == []
    assert b"LINKED-FILE-CONTENT" not in _all_bytes(data)


RELS_NS = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
# One external relationship of each kind Word or PowerPoint would fetch on opening, with where it goes.
EXTERNAL_KINDS = {
    "linked picture": ("roadmap", "word/_rels/document.xml.rels", b"image", b"http://198.51.100.7/logo.png"),
    "attached template": ("roadmap", "word/_rels/settings.xml.rels", b"attachedTemplate",
                          b"file://fileserver/templates/Normal.dotm"),
    "remote font": ("roadmap", "word/_rels/fontTable.xml.rels", b"font", b"http://198.51.100.7/font.odttf"),
    "OLE link": ("qbr", "ppt/slideLayouts/_rels/slideLayout1.xml.rels", b"oleObject", b"file:///C:/budget.xlsx"),
    "hyperlink": ("qbr", "ppt/slideMasters/_rels/slideMaster1.xml.rels", b"hyperlink", b"http://198.51.100.7/t"),
}


def _with_external(tmp_path: Path, kind: str) -> Path:
    which, part, rel_type, target = EXTERNAL_KINDS[kind]
    source = ROADMAP if which == "roadmap" else QBR
    element = (b'<Relationship Id="rIdExt9" Type="' + RELS_NS + rel_type + b'" Target="' + target +
               b'" TargetMode="External"/>')
    with zipfile.ZipFile(source) as archive:
        present = part in archive.namelist()
    empty = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.'
             b'openxmlformats.org/package/2006/relationships"></Relationships>')
    add = lambda data: data.replace(b"</Relationships>", element + b"</Relationships>")  # noqa: E731
    return _rewrite(source, tmp_path / f"external{source.suffix}", {part: add} if present else {},
                    {} if present else {part: add(empty)})


@pytest.mark.parametrize("kind", sorted(EXTERNAL_KINDS))
def test_templates_check_refuses_every_external_link(tmp_path, kind):
    template = _with_external(tmp_path, kind)
    result = run_cli("templates", "check", str(template))
    assert result.returncode == 1, result.stdout + result.stderr
    _which, part, rel_type, target = EXTERNAL_KINDS[kind]
    problem = [line for line in result.stdout.splitlines() if line.strip().startswith("problem:")]
    assert len(problem) == 1 and part in problem[0] and rel_type.decode() in problem[0]
    assert target.decode() in problem[0] and "allow_external_links" in problem[0]


@pytest.mark.slow
def test_templates_check_accepts_external_links_when_allowed(tmp_path):
    template = _with_external(tmp_path, "linked picture")
    config = tmp_path / "vcio.toml"
    config.write_text("[documents]\nallow_external_links = true\n")
    result = run_cli("templates", "check", str(template), "--config", str(config))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning: word/_rels/document.xml.rels: image -> http://198.51.100.7/logo.png" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["linked picture", "OLE link"])
def test_a_run_with_an_external_link_in_a_template_exits_2_before_rendering(tmp_path, kind):
    template = _with_external(tmp_path, kind)
    config = tmp_path / "vcio.toml"
    key = "roadmap_template" if template.suffix == ".docx" else "qbr_template"
    config.write_text(f'[documents]\n{key} = "{template}"\n')
    out = tmp_path / "out"
    result = run_cli("run", "--inputs", str(INPUTS), "--out", str(out), "--as-of", AS_OF, "--config",
                            str(config), "--client", "Sunrise Pediatrics")
    assert result.returncode == 2, result.stderr
    assert EXTERNAL_KINDS[kind][3].decode() in result.stderr and "allow_external_links" in result.stderr
    assert not list(out.rglob("*.docx")) and not list(out.rglob("*.pptx"))


# ----------------------------------------------------------------------------- time limit
HANG_BUDGET_S = 60  # with documents.render_timeout_seconds = 5 below, a run that takes this long has no limit
RUNAWAY = {
    # Python-level work: stopped by the per-client time limit (documents.render_timeout_seconds)
    "nested loops": "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}{{ client.name }}",
    # one C-level operation a timer signal cannot interrupt (Jinja even folds it while compiling): the sandbox
    # refuses it (pipeline/render/roadmap.py _sandbox)
    "huge power": "{{ 7 ** 987654321 }}",
    "huge repeat": "{{ 'x' * 10 ** 10 }}",
}


def _run_bounded(args: list[str]) -> tuple[int, str]:
    process = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=HANG_BUDGET_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the CLI and its worker processes
        process.communicate()
        pytest.fail(f"still running after {HANG_BUDGET_S} s: nothing bounded the runaway template")
    return process.returncode, stdout + stderr


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(RUNAWAY))
def test_a_runaway_template_fails_its_clients_and_the_run_ends(tmp_path, kind):
    template = _docx_template(tmp_path, RUNAWAY[kind])
    config = tmp_path / "vcio.toml"
    config.write_text(f'[documents]\nroadmap_template = "{template}"\nrender_timeout_seconds = 5\n', encoding="utf-8")
    out = tmp_path / "out"
    code, output = _run_bounded([sys.executable, "-m", "pipeline.cli", "run", "--inputs", str(INPUTS), "--out",
                                 str(out), "--as-of", AS_OF, "--jobs", "2", "--client", "Sunrise Pediatrics",
                                 "--client", "Bluebird Creative Studio", "--config", str(config), "-q"])
    assert code == 1, output[-2000:]
    import json

    manifest = json.loads((out / "2026-Q4" / "manifest.json").read_text())
    for entry in manifest["clients"]:
        if entry["name"] in {"Sunrise Pediatrics", "Bluebird Creative Studio"}:
            assert entry["status"] == "failed" and entry["error"], entry


@pytest.mark.parametrize("kind", ["huge power", "huge repeat"])
def test_the_template_check_refuses_c_level_arithmetic_quickly(tmp_path, kind):
    """`vcio templates check` compiles the tags to list their variables: that must not run the arithmetic."""
    template = _docx_template(tmp_path, RUNAWAY[kind])
    code, output = _run_bounded([sys.executable, "-m", "pipeline.cli", "templates", "check", str(template)])
    assert code == 1 and "too large for a template" in output, output[-2000:]


def test_ordinary_template_arithmetic_still_works(tmp_path, base_review):
    data = render_roadmap(base_review, _docx_template(
        tmp_path, "{{ 2 ** 10 }} {{ 'ab' * 3 }} {{ 3 * 4 }} {{ 2.5 * 2 }} {{ [0] * 2 }} {{ (-2) ** 3 }}"), {})
    assert "1024 ababab 12 5.0 [0, 0] -8" in docx_text(data)
