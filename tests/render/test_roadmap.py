"""The Word roadmap rendered from the client review: every sample client's document reopened and read.

What a vCIO checks before handing it over: the same money as the review, the worst risks first and named,
honest grades, nothing cut short, no placeholder or internal prompt, plurals and spelling right, and a body
short enough to read.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from pipeline.render.roadmap import render_roadmap
from pipeline.render.roadmap_context import CONTEXT_NAMES, GRADE_FILL, template_context
from pipeline.review.model import Change, Changes, ClientReview, Msp
from tests.render.conftest import TEMPLATES
from tests.review.conftest import sample_reviews

TEMPLATE = TEMPLATES / "roadmap.docx"
NAMES = sorted(sample_reviews())
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FIRST_REVIEW_HEADINGS = ["Executive summary", "Scorecard", "Business goals", "Risks", "Initiatives", "Budget",
                         "Coming up", "Licenses", "Decisions", "Appendix A. Findings by kind",
                         "Appendix B. What each initiative covers", "Appendix C. Data coverage and method"]


@pytest.fixture(scope="module")
def rendered() -> dict[str, tuple[ClientReview, bytes]]:
    return {name: (review, render_roadmap(review, TEMPLATE)) for name, review in sample_reviews().items()}


def document(data: bytes):
    return Document(io.BytesIO(data))


def all_text(data: bytes) -> str:
    """Every paragraph of every part (body with its tables, headers, footers) and the charts' text."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                root = etree.fromstring(archive.read(name))
                for p in root.iter(f"{{{W}}}p", f"{{{A}}}p"):
                    parts.append("".join(t.text or "" for t in p.iter(f"{{{W}}}t", f"{{{A}}}t")))
    return "\n".join(parts)


def headings(doc, level: int = 1) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def table_headed(doc, *first_cells: str):
    for table in doc.tables:
        header = [c.text for c in table.rows[0].cells]
        if header[:len(first_cells)] == list(first_cells):
            return table
    raise AssertionError(f"no table headed {first_cells}")


def rows_of(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def section(doc, heading: str, level: int = 1) -> list[str]:
    """The paragraphs between a heading and the next heading of the same level."""
    out, inside = [], False
    for p in doc.paragraphs:
        if p.style.name == f"Heading {level}":
            inside = p.text == heading
            continue
        if inside:
            out.append(p.text)
    return out


# ----------------------------------------------------------------------------- structure
@pytest.mark.parametrize("name", NAMES)
def test_the_story_comes_first_and_every_part_is_there(rendered, name):
    review, data = rendered[name]
    found = headings(document(data))
    expected = [h for h in FIRST_REVIEW_HEADINGS if h != "Business goals" or review.goals]
    if not review.goals:
        expected.insert(3, "Business goals")  # the section stays, with one sentence
    if not review.current_state.licences:
        expected.remove("Licenses")
    assert found == expected


@pytest.mark.parametrize("name", NAMES)
def test_cover_names_the_client_quarter_and_only_what_is_known_of_who_prepared_it(rendered, name):
    review, data = rendered[name]
    doc = document(data)
    title = next(p for p in doc.paragraphs if p.style.name == "Title")
    assert title.text == review.client.name
    cover = [p.text for p in doc.paragraphs[:20]]
    expected = "Semiannual" if name == "Sunrise Pediatrics" else "Quarterly"  # the roster's cadence
    assert f"{expected} business review \u00b7 {review.quarter}" in cover
    assert review.msp.name is None  # the sample settings name no MSP
    prepared = [line for line in cover if line.startswith("Prepared by")]
    assert prepared == ([f"Prepared by {review.client.vcio}"] if review.client.vcio else [])


def test_cover_with_an_msp_and_without_anyone():
    review = sample_reviews()["Harbor Point Dental"]
    with_msp = replace(review, msp=Msp("Acme IT Partners", "vcio@acme.example", None))
    cover = [p.text for p in document(render_roadmap(with_msp, TEMPLATE)).paragraphs[:20]]
    assert "Prepared by Dana Whitfield, Acme IT Partners" in cover and "vcio@acme.example" in cover
    nobody = replace(review, client=replace(review.client, vcio=None))
    doc = document(render_roadmap(nobody, TEMPLATE))
    assert not [p.text for p in doc.paragraphs if "Prepared by" in p.text]
    footer = doc.sections[0].footer.paragraphs[0].text
    assert footer.startswith(f"{review.quarter} \u00b7 data as of ") and "Page" in footer


# ----------------------------------------------------------------------------- the same numbers as the review
@pytest.mark.parametrize("name", NAMES)
def test_budget_table_shows_the_review_budget(rendered, name):
    review, data = rendered[name]
    w, budget = review.wording, review.budget
    rows = rows_of(table_headed(document(data), "Quarter", "Hardware"))
    fiscal = review.client.fiscal_year_start != 1
    labels = [f"{f} ({q})" if fiscal else q for q, f in zip(budget.quarters, budget.fiscal_labels)]
    assert [r[0] for r in rows] == [*labels[:4], "Next 12 months", *labels[4:], f"All {len(labels)} quarters"]
    totals = [r[5] for r in rows]
    assert totals == [*[w.money(t) for t in budget.totals[:4]], w.money(budget.next_four_total),
                      *[w.money(t) for t in budget.totals[4:]], w.money(budget.horizon_total)]
    hardware = next(line for line in budget.lines if line.category == "Hardware")
    assert rows[0][1] == (w.money(hardware.amounts[0]) if round(hardware.amounts[0]) else "")


@pytest.mark.parametrize("name", NAMES)
def test_quarter_roadmap_and_initiatives_show_each_initiatives_schedule(rendered, name):
    review, data = rendered[name]
    w = review.wording
    doc = document(data)
    grid = table_headed(doc, "Initiative")
    header = [c.text for c in grid.rows[0].cells]
    assert header[1:9] == list(review.budget.quarters[:8])
    body = rows_of(grid)
    assert [r[0] for r in body[:-1]] == [f"{i.rank}. {i.title}" for i in review.initiatives]
    for item, row in zip(review.initiatives, body):
        assert row[1:9] == [w.money(item.spend_in(q)) if item.spend_in(q) else "" for q in review.budget.quarters[:8]]
        assert row[10] == (w.money(item.one_time_cost) if item.one_time_cost else "")
    assert body[-1][0] == "One-time spend"
    assert body[-1][1:9] == [w.money(v) if v else "" for v in review.budget.one_time[:8]]
    assert body[-1][10] == (w.money(review.budget.one_time_total) if review.budget.one_time_total else "")
    text = all_text(data)
    for item in review.initiatives:
        assert f"{item.rank}. {item.title}" in headings(doc, 2)
        assert item.summary in text
        cost = w.money(item.one_time_cost) if item.one_time_cost else "No one-time cost"
        assert f"One-time cost\n{cost}" in "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
        if item.phased:
            assert "; ".join(f"{q}: {w.money(a)}" for q, a in item.schedule if a) in text
        if item.owner:
            assert item.owner in text


@pytest.mark.parametrize("name", NAMES)
def test_summary_money_and_decisions_match_the_review(rendered, name):
    review, data = rendered[name]
    doc = document(data)
    summary = section(doc, "Executive summary")
    for line in review.summary.headline:
        assert line in summary
    if review.decisions_needed:
        decisions = rows_of(table_headed(doc, "Decision", "Why now", "Cost"))
        assert [r[0] for r in decisions] == [d.title for d in review.decisions_needed]
        for row, decision in zip(decisions, review.decisions_needed):
            w = review.wording
            if decision.cost_total:
                assert w.money(decision.cost_total) in row[2]
            elif decision.annual_saving:
                assert row[2] == f"Saves {w.money(decision.annual_saving)} a year"
    budget_line = next(p for p in section(doc, "Budget") if p.startswith("Next 90 days"))
    assert review.wording.money(review.budget.next_90_days_one_time) in budget_line
    assert review.wording.money(review.budget.next_four_total) in budget_line


# ----------------------------------------------------------------------------- the worst first, honestly graded
def test_granite_ridge_critical_servers_are_the_first_risk_of_the_summary(rendered):
    review, data = rendered["Granite Ridge Manufacturing"]
    doc = document(data)
    top = [p.text for p in doc.paragraphs if p.style.name == "List Number"]
    assert top[0].startswith("GRM-ERP01 and GRM-FS01 run Windows Server 2012 R2, without security fixes since")
    risks = rows_of(table_headed(doc, "Severity", "Risk"))
    assert risks[0][0] == "Critical" and "GRM-ERP01 and GRM-FS01" in risks[0][1]
    decisions = rows_of(table_headed(doc, "Decision", "Why now"))
    assert "Windows Server 2012 R2" in decisions[0][0] and decisions[0][1].startswith("Critical")


@pytest.mark.parametrize("name", NAMES)
def test_risk_register_is_worst_first_with_every_mitigation_in_full(rendered, name):
    review, data = rendered[name]
    rows = rows_of(table_headed(document(data), "Severity", "Risk"))
    assert [r[1] for r in rows] == [r.title for r in review.risks]
    assert [r[0] for r in rows] == [r.severity.capitalize() for r in review.risks]
    for row, risk in zip(rows, review.risks):
        assert row[2] == risk.cost_of_inaction
        assert row[3] == ("; ".join(risk.mitigations) or "No action planned: monitored at each review")


@pytest.mark.parametrize("name", NAMES)
def test_scorecard_never_colours_an_area_without_data(rendered, name):
    review, data = rendered[name]
    table = table_headed(document(data), "Area", "Grade")
    for row, grade in zip(table.rows[1:], review.scorecard):
        cells = [c.text for c in row.cells]
        fill = row.cells[1]._tc.xpath("./w:tcPr/w:shd/@w:fill")
        if grade.graded:
            assert cells[1].startswith(f"{grade.colour.capitalize()} {grade.percent:.0f}%")
            assert fill == [GRADE_FILL[grade.colour]]
        else:
            assert cells[1] == "Not assessed" and fill == [GRADE_FILL["grey"]]
            assert cells[-1].startswith("Not checked")
        if grade.status == "partly":
            assert cells[1].endswith(" (partly assessed)")
            assert cells[-1] == f"Not checked: {review.wording.join(list(grade.missing))}"
    coverage = next(p.text for p in document(data).paragraphs if p.text.startswith("Data coverage:"))
    for source in review.coverage:
        if not source.provided and source.kind != "goals":
            assert source.label[1:].lower() in coverage.lower()


# ----------------------------------------------------------------------------- words a client reads
FORBIDDEN = ("\u2026", "...", "to be assigned", "Your MSP", "TBD", "confirm with the client", "Ask:", "#EXT#",
             "{{", "{%", "None", "n/a")
WRONG_PLURALS = re.compile(r"(?<![\d,.])1 (findings|devices|users|initiatives|risks|decisions|PCs|servers|laptops|"
                           r"seats|quarters|points|items|accounts|subscriptions|agreements|records|renewals|"
                           r"changes)\b|\b1 (initiative|decision|risk|finding|device) are\b|\ball 1\b", re.I)


@pytest.mark.parametrize("name", NAMES)
def test_no_truncation_placeholder_prompt_or_guest_address(rendered, name):
    text = all_text(rendered[name][1])
    for word in FORBIDDEN:
        assert word not in text, (word, [line for line in text.splitlines() if word in line][:3])


@pytest.mark.parametrize("name", NAMES)
def test_plurals_are_right(rendered, name):
    text = all_text(rendered[name][1])
    assert not WRONG_PLURALS.findall(text), [m.group(0) for m in WRONG_PLURALS.finditer(text)]


def test_plural_check_catches_a_wrong_plural():
    assert WRONG_PLURALS.search("We found 1 findings") and WRONG_PLURALS.search("1 initiative are ranked")
    assert not WRONG_PLURALS.search("11 findings and 21 devices")


def _review_in(language: str) -> ClientReview:
    from tests.review.conftest import AS_OF, INPUTS
    from pipeline.config import settings_from
    from pipeline.findings import evaluate
    from pipeline.catalog.lifecycle import LifecycleCatalog
    from pipeline.ingest import IngestOptions, ingest_folder
    from pipeline.model import build_clients
    from pipeline.review import RunFacts, build_review

    settings = settings_from({"locale": {"language": language}}, None)
    client = build_clients(ingest_folder(INPUTS, IngestOptions(as_of=AS_OF)))["Harbor Point Dental"]
    catalog = LifecycleCatalog.load()
    return build_review(client, evaluate(client, AS_OF, settings, catalog), settings, catalog,
                        RunFacts("2026-Q4", AS_OF, "test", catalog_snapshot=catalog.snapshot_date.isoformat()))


@pytest.mark.parametrize("language, wrong, right", [("en-GB", r"\blicenses?\b", "Licences"),
                                                    ("en-US", r"\blicences?\b", "Licenses")])
def test_spelling_follows_the_language_in_the_template_text_too(language, wrong, right):
    data = render_roadmap(_review_in(language), TEMPLATE)
    text = all_text(data)
    assert right in headings(document(data))
    assert not re.search(wrong, text, re.I), [line for line in text.splitlines() if re.search(wrong, line, re.I)][:3]
    if language == "en-GB":
        assert "20 Nov 2026" in text and "Nov 20, 2026" not in text


# ----------------------------------------------------------------------------- sections that come and go
def _later_review(review: ClientReview) -> ClientReview:
    new = Change("new", "FND-1", "Windows Server 2012 R2 reached end of support", "GRM-ERP01", "critical", 1)
    low = Change("new", "FND-2", "Reboot pending", "PC-9", "low", 1)
    resolved = Change("resolved", "FND-3", "Antivirus not running", "PC-3", "high", 2)
    still = tuple(Change("open", f"FND-{n}", "Old PC", f"PC-{n}", "medium", 3) for n in range(4, 7))
    changes = Changes(False, "2026-Q3", (new, low), (resolved,), still, ("Replace 4 aging devices",), (),
                      "2 new findings, 1 resolved, 3 still open since 2026-Q3.")
    return replace(review, changes=changes, summary=replace(review.summary, first_review=False))


def test_what_changed_appears_from_the_second_review_on():
    review = sample_reviews()["Granite Ridge Manufacturing"]
    first = document(render_roadmap(review, TEMPLATE))
    assert not [h for h in headings(first) if h.startswith("What changed")]
    assert any("first review" in line for line in review.summary.headline)
    later = document(render_roadmap(_later_review(review), TEMPLATE))
    assert "What changed since 2026-Q3" in headings(later)
    changed = section(later, "What changed since 2026-Q3")
    assert "2 new findings, 1 resolved, 3 still open since 2026-Q3." in changed
    assert "3 findings have been open for three quarters or more." in changed
    assert "Completed: Replace 4 aging devices" in changed
    rows = rows_of(table_headed(later, "Status", "Severity", "Item"))
    assert [r[:3] for r in rows] == [["New", "Critical", "Windows Server 2012 R2 reached end of support"],
                                     ["Resolved", "High", "Antivirus not running"]]  # the low one is counted only
    assert any("all 3 changes are listed in the findings workbook" in line for line in changed)


def test_licences_and_goals_sections_adapt_to_what_exists():
    review = sample_reviews()["Harbor Point Dental"]
    bare = replace(review, goals=(), current_state=replace(review.current_state, licences=()))
    doc = document(render_roadmap(bare, TEMPLATE))
    assert "Licenses" not in headings(doc)
    assert section(doc, "Business goals")[0].startswith("No business goals were recorded for this review")


# ----------------------------------------------------------------------------- the chart
def _charts(data: bytes) -> list:
    doc = document(data)
    found = []
    for ref in doc.part.element.body.iter(f"{{{C}}}chart"):
        found.append(etree.fromstring(doc.part.rels[ref.get(f"{{{R}}}id")].target_part.blob))
    return found


@pytest.mark.parametrize("name", NAMES)
def test_budget_chart_is_native_with_a_total_on_each_column(rendered, name):
    review, data = rendered[name]
    (chart,) = _charts(data)
    series = {ser.find(f"{{{C}}}tx//{{{C}}}v").text: ser for ser in chart.iter(f"{{{C}}}ser")}
    for line in review.budget.lines:
        if any(line.amounts):
            values = [float(v.text) for v in series[line.category].find(f"{{{C}}}val").iter(f"{{{C}}}v")]
            assert values == pytest.approx(list(line.amounts))
    carrier = list(series.values())[-1]
    labels = ["".join(t.text for t in d.iter(f"{{{A}}}t")) for d in carrier.iter(f"{{{C}}}dLbl")]
    assert labels == [review.wording.money_short(t) for t in review.budget.totals]
    assert carrier.find(f"{{{C}}}spPr/{{{A}}}noFill") is not None  # invisible: only its labels show
    deleted = chart.find(f".//{{{C}}}legend/{{{C}}}legendEntry")
    assert deleted.find(f"{{{C}}}idx").get("val") == str(len(series) - 1)
    # the next four quarters in full colour, the later ones paler
    hardware = series["Hardware"]
    assert [int(p.find(f"{{{C}}}idx").get("val")) for p in hardware.iter(f"{{{C}}}dPt")] == list(
        range(4, len(review.budget.quarters)))


def test_pictures_replace_the_native_chart_when_asked():
    from pipeline.render.roadmap_charts import roadmap_pictures

    review = sample_reviews()["Northwind Logistics"]
    pictures = roadmap_pictures(template_context(review))
    assert pictures["budget"][:8] == b"\x89PNG\r\n\x1a\n"
    data = render_roadmap(review, TEMPLATE, pictures)
    assert _charts(data) == []
    assert len(document(data).inline_shapes) == 1


# ----------------------------------------------------------------------------- the sandbox boundary
def _plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or type(value) in (str, int, float, bool)


@pytest.mark.parametrize("name", NAMES)
def test_the_template_sees_plain_data_only(name):
    context = template_context(sample_reviews()[name])
    assert tuple(context) == CONTEXT_NAMES
    assert _plain(context)


def test_a_second_client_never_sees_the_first_clients_data():
    """The compiled template is reused across clients: a second client must not see the first one's data."""
    first, second = sample_reviews()["Northwind Logistics"], sample_reviews()["Bluebird Creative Studio"]
    render_roadmap(first, TEMPLATE)
    text = all_text(render_roadmap(second, TEMPLATE))
    assert "Bluebird Creative Studio" in text and "Northwind" not in text and "NWL-" not in text


# ----------------------------------------------------------------------------- length
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
                    reason="LibreOffice and poppler-utils measure the page count")
def test_northwind_roadmap_is_short(tmp_path, rendered):
    """A 300-device client: about 15 pages (it was 55 when the appendix listed every row)."""
    source = tmp_path / "northwind.docx"
    source.write_bytes(rendered["Northwind Logistics"][1])
    # a profile of its own: another LibreOffice running on the machine must not make the conversion fail
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(source)], check=True, capture_output=True, timeout=300)
    info = subprocess.run(["pdfinfo", str(tmp_path / "northwind.pdf")], check=True, capture_output=True, text=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    assert 8 <= pages <= 17, pages


# ----------------------------------------------------------------------------- templates an MSP edits
def _template_with(tmp_path, text: str) -> Path:
    doc = Document()
    doc.add_paragraph().add_run(text)
    path = tmp_path / "custom.docx"
    doc.save(path)
    return path


def test_a_misspelt_name_is_an_error_naming_it(tmp_path):
    from pipeline.errors import TemplateError

    with pytest.raises(TemplateError, match="clinet"):
        render_roadmap(sample_reviews()["Harbor Point Dental"], _template_with(tmp_path, "{{ clinet.name }}"))


def test_client_text_is_escaped_and_literal_in_a_custom_template(tmp_path):
    review = sample_reviews()["Harbor Point Dental"]
    review = replace(review, client=replace(review.client, name="A <b>&</b> B {{ x }}"))
    doc = document(render_roadmap(review, _template_with(tmp_path, "Client: {{ client.name }}")))
    assert doc.paragraphs[0].text == "Client: A <b>&</b> B {{ x }}"


def test_a_file_that_is_not_a_document_is_a_template_error(tmp_path):
    from pipeline.errors import TemplateError

    bad = tmp_path / "roadmap.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(TemplateError, match="cannot open the roadmap template"):
        render_roadmap(sample_reviews()["Harbor Point Dental"], bad)


def test_template_tags_are_single_runs():
    """docxtpl breaks on tags split across runs: every {{ }} / {% %} opens and closes in one w:t."""
    with zipfile.ZipFile(TEMPLATE) as z:
        parts = [z.read(n).decode("utf-8") for n in z.namelist()
                 if re.match(r"word/(document|header\d*|footer\d*)\.xml$", n)]
    count = 0
    for xml in parts:
        for text in re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml):
            opens = text.count("{{") + text.count("{%")
            closes = text.count("}}") + text.count("%}")
            assert opens == closes, text
            count += opens
        assert "{{" not in re.sub(r"<w:t(?: [^>]*)?>[^<]*</w:t>", "", xml)
    assert count > 100


def test_template_text_is_spelled_the_same_in_both_languages():
    """Words that differ between en-US and en-GB come from the context (words.licences), never the template."""
    from pipeline.wording import _US_SPELLING

    with zipfile.ZipFile(TEMPLATE) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    text = " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)).lower()
    words = set(re.findall(r"[a-z]+", re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", text)))  # text, not tag names
    assert "roadmap" in words and "budget" in words
    assert not words & (set(_US_SPELLING) | set(_US_SPELLING.values())), words & set(_US_SPELLING)


def test_logos_on_the_cover(tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (400, 100), "#1B2A41").save(logo)
    review = sample_reviews()["Harbor Point Dental"]
    branded = replace(review, msp=Msp("Acme IT Partners", None, logo), client=replace(review.client, logo=logo))
    doc = document(render_roadmap(branded, TEMPLATE))
    shapes = doc.inline_shapes
    assert len(shapes) == 3  # the MSP's logo, the client's logo, the budget chart
    assert shapes[0].width <= 60 * 36000 and shapes[1].width <= 50 * 36000


def test_line_breaks_in_client_text_become_word_breaks():
    review = sample_reviews()["Harbor Point Dental"]
    risk = replace(review.risks[0], cost_of_inaction="First step\nSecond step\tafter a tab")
    doc = document(render_roadmap(replace(review, risks=(risk, *review.risks[1:])), TEMPLATE))
    cell = next(c for t in doc.tables for r in t.rows for c in r.cells if "First step" in c.text)
    assert "<w:br/>" in cell._tc.xml and "<w:tab/>" in cell._tc.xml
    assert cell.text == "First step\nSecond step\tafter a tab"


def test_a_client_without_any_data_gets_plain_statements():
    from pipeline.config import settings_from
    from pipeline.findings import evaluate
    from pipeline.catalog.lifecycle import LifecycleCatalog
    from pipeline.model import ClientData
    from pipeline.review import RunFacts, build_review
    from tests.review.conftest import AS_OF

    settings = settings_from({}, None)
    client = ClientData(name="Empty Co")
    catalog = LifecycleCatalog.load()
    review = build_review(client, evaluate(client, AS_OF, settings, catalog), settings, catalog,
                          RunFacts("2026-Q4", AS_OF, "test"))
    data = render_roadmap(review, TEMPLATE)
    text = all_text(data)
    for sentence in ("No decisions are needed at this review.", "No device inventory was provided for this review.",
                     "No business goals were recorded for this review", "No risks were found in the data provided",
                     "No initiatives are needed on the data provided", "Nothing falls due in the next two quarters.",
                     "No findings in the data provided for this review."):
        assert sentence in text, sentence
    assert _charts(data) == [] and "Not assessed" in text
    for word in FORBIDDEN:
        assert word not in text, word


# ----------------------------------------------------------------------------- what Word opens as written
def _office_findings(data: bytes) -> list[str]:
    from pipeline.render import officecheck
    if not officecheck.available():
        pytest.skip("the Office schema validator is not installed (pip install -e '.[test]')")
    return officecheck.findings(data, ".docx")


@pytest.mark.parametrize("name", NAMES)
def test_every_sample_roadmap_is_valid_for_office(rendered, name):
    assert _office_findings(rendered[name][1]) == []


@pytest.mark.slow
def test_a_later_review_with_logos_and_pictures_is_valid_for_office(tmp_path):
    """The parts a first review leaves out (what changed, logos) and the picture charts."""
    from PIL import Image

    from pipeline.render.roadmap_charts import roadmap_pictures

    logo = tmp_path / "logo.png"
    Image.new("RGB", (400, 100), "#1B2A41").save(logo)
    review = _later_review(sample_reviews()["Granite Ridge Manufacturing"])
    review = replace(review, msp=Msp("Acme IT Partners", None, logo), client=replace(review.client, logo=logo))
    assert _office_findings(render_roadmap(review, TEMPLATE)) == []
    assert _office_findings(render_roadmap(review, TEMPLATE, roadmap_pictures(template_context(review)))) == []


def test_the_same_review_gives_the_same_bytes():
    review = sample_reviews()["Cedar & Finch LLP"]
    assert render_roadmap(review, TEMPLATE) == render_roadmap(review, TEMPLATE)


@pytest.mark.parametrize("value, label", [(0, "$0"), (950, "$950"), (1000, "$1k"), (105880, "$105.9k"),
                                          (104280, "$104.3k"), (999949, "$999.9k"), (999950, "$1M"),
                                          (1234567, "$1.2M"), (-2500, "-$2.5k")])
def test_chart_totals_are_short_enough_for_a_narrow_column(value, label):
    from pipeline.wording import Wording

    assert Wording().money_short(value) == label


def test_a_renewal_initiative_states_what_it_renews_at():
    from pipeline.render.roadmap_context import template_context

    review = sample_reviews()["Cedar & Finch LLP"]
    renewal = next(i for i in template_context(review)["initiatives"] if i["title"].startswith("Decide on the renewal"))
    assert {"label": "Renews at", "value": "$64,800 a year"} in renewal["facts"]
    assert next(i for i in review.initiatives if i.kind == "renewals").renews_at == 64800
