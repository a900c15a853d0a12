"""The fast ingest paths give exactly what the plain row-by-row reading gives: the quote-free tokenizer and the
csv module, chunk and block boundaries, the per-column memo, the ISO date shortcut, client resolution per
distinct name, and the field-limit check that runs before any row is mapped."""

from __future__ import annotations

import csv
import io
import random
import shutil
from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.ingest import IngestOptions, IngestResult, ingest_folder, load_profiles
from pipeline.ingest import decode, folder, values
from pipeline.ingest.clients import ClientResolver, Match, resolve_distinct, resolve_in_order
from pipeline.errors import DecodeError
from pipeline.ingest.decode import read_table
from pipeline.ingest.profiles import cell_parser
from pipeline.ingest.values import ColumnParser, Failure, parse_datetime

from .conftest import AS_OF, CASES, FIXTURES, check_accounting, copy_case

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROFILES = {p.name: p for p in load_profiles()}


def canonical(result: IngestResult) -> dict:
    """Everything ingest returns, with each record's key order and value types."""
    def table(rows):
        return [[(key, type(value).__name__, repr(value)) for key, value in row.items()] for row in rows]

    return {"records": {entity: table(rows) for entity, rows in result.records.items()},
            "references": {entity: table(rows) for entity, rows in result.references.items()},
            "rejects": [(r.file, r.line, r.column, r.value, r.reason) for r in result.rejects],
            "files": [(f.as_manifest(), f.verified) for f in result.files],
            "unrecognised": [u.as_manifest() for u in result.unrecognised],
            "clients": result.clients, "unknown": list(result.unknown_clients.items()),
            "suggestions": list(result.suggestions.items())}


def ingest(inputs: Path) -> dict:
    result = ingest_folder(inputs, IngestOptions(as_of=AS_OF))
    check_accounting(result)
    return canonical(result)


def messy_folder(root: Path, roster: bool) -> Path:
    """Exports with every kind of trouble a row can have, big enough to span several chunks when they are small."""
    rng = random.Random(3)
    sites = ["Acme Dental - Main", "Acme Dental", "ACME DENTAL", "Cedar & Finch LLP", " Granite Ridge Manufacturing ",
             "Unknown Co", "", "granite ridge"]
    dates = ["2026-05-{:02d} 10:{:02d}:00 CAT", "2026-05-{:02d}T10:{:02d}:00Z", "2026-05-{:02d} 10:{:02d}:00",
             "5/{}/2026 1:{:02d}:00 PM"]
    bad = ["2026-02-30 10:00:00", "31/31/2020", "", "never", "1760832338", "2026-05-01 10:00:00 PM"]

    def when(i: int) -> str:
        return rng.choice(bad) if rng.random() < 0.05 else rng.choice(dates).format(rng.randint(1, 28), i % 60)

    lines = ["Device Hostname,Site Name,Device Type,Operating System,Last Seen,Security,Enrollment Date,Extra"]
    for i in range(300):
        roll = rng.random()
        if roll < 0.03:
            lines.append(rng.choice(["", "   ", " , ,", "\t"]))
            continue
        cells = [rng.choice([f" H{i} ", "", "", f"h{i}  x"]) if rng.random() < 0.25 else f"H{i}",
                 rng.choice(sites), rng.choice(["Desktop", "Laptop", "Server", ""]),
                 rng.choice(["Windows 11 Pro", "Windows 10 Pro ", "macOS  14", "Ubuntu\u00a022.04", ""]),
                 when(i), rng.choice(["Defender: running", "SentinelOne: not running", "", "off"]), when(i), "x"]
        if roll < 0.06:
            cells.append(rng.choice(["stray", ""]))
        elif roll < 0.08:
            cells = cells[:3]
        lines.append(",".join(cells))
    plain = "\n".join(lines) + "\n"
    quoted = "\r\n".join(line.replace("Windows 11 Pro", '"Windows 11\r\nPro"') for line in lines) + "\r"
    users = ["Display name,User principal name,Block credential,Licenses,Object Id,When created,Department"]
    for i in range(200):
        upn = rng.choice([f"u{i}@acmedental.com", f"u{i}@other.com", f"hash{i}", f"u{i}@mail.acmedental.com", "",
                          f"u{i}@"]) if rng.random() < 0.2 else f"u{i}@acmedental.com"
        users.append(",".join([f"User {i}", upn, rng.choice(["TRUE", "FALSE", "maybe", ""]),
                               rng.choice(["Microsoft 365 Business Basic", "Unlicensed", "", "A+B"]), f"id{i}",
                               when(i), rng.choice(["Sales", "", " Ops "])]))
    files = {"rmm/DeviceDetailsExport.csv": plain.encode(), "rmm/quoted.csv": quoted.encode("utf-8-sig"),
             "m365/acmedental.com/users.csv": ("\r\n".join(users) + "\r\n").encode("utf-8-sig"),
             "m365/cedarfinch.com/users.csv": ("\n".join(users[:40]) + "\n").encode()}
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if roster:
        shutil.copy(FIXTURES / "clients.csv", root / "clients.csv")
    return root


def profile_folder(root: Path) -> Path:
    """User profiles with what no built-in one has: a constant that stands in for an identity field, a
    constant amount of an annual contract, a value map on a date, a reference table with a "_src" column."""
    files = {
        "profiles/fallback_products.toml": 'name = "fallback_products"\nentity = "subscription"\n'
                                           'required = ["Seat product", "Seats"]\n[columns]\nclient = "Client"\n'
                                           'product = "Seat product"\nquantity = "Seats"\n'
                                           'commitment_end = "Ends"\n[constants]\nproduct = "Fallback"\n'
                                           '[values.commitment_end]\n"soon" = "2026-07-01"\n',
        "profiles/yearly.toml": 'name = "yearly"\nentity = "contract"\nrequired = ["Deal", "Yearly"]\n'
                                'amount_period = "annual"\n[columns]\nclient = "Client"\nname = "Deal"\n'
                                'amount = "Yearly"\n[constants]\namount = 1200\n',
        "profiles/skus.toml": 'name = "skus"\nentity = "sku_reference"\nrequired = ["Sku id", "_src"]\n'
                              '[columns]\nsku = "Sku id"\n_src = "_src"\n',
        "seats.csv": "Client,Seat product,Seats,Ends\nAcme Dental,,3,soon\nAcme Dental,Word,x,\nZebra,,1,soon\n"
                     "Acme Dental,Excel,2,2026-02-30\n,,,\nCedar & Finch LLP,Teams,1, soon \n",
        "deals.csv": "Client,Deal,Yearly\nAcme Dental,Support,2400\nAcme Dental,Backup,\nAcme Dental,,12\n",
        "skus.csv": "Sku id,_src\nA,\nB,elsewhere\n,\n",
    }
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    shutil.copy(FIXTURES / "clients.csv", root / "clients.csv")
    return root


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> list[Path]:
    root = tmp_path_factory.mktemp("columnar")
    every = root / "every_fixture"
    for case in CASES:
        if case != "vcio_clients":  # it brings its own roster
            copy_case(case, every)
    return [every, messy_folder(root / "messy", True), messy_folder(root / "messy_no_roster", False),
            profile_folder(root / "profiles")]


def test_the_user_profiles_are_read(folders):
    result = ingest(folders[3])
    assert [f["path"] for f, _ in result["files"]] == ["clients.csv", "deals.csv", "seats.csv", "skus.csv"]
    products = [dict((k, v) for k, _, v in row)["product"] for row in result["records"]["subscription"]]
    assert products == ["'Fallback'", "'Teams'"]
    amounts = [dict((k, v) for k, _, v in row).get("amount") for row in result["records"]["contract"]]
    assert amounts == ["200.0", "100.0"]
    assert [dict((k, v) for k, _, v in row)["_src"] for row in result["references"]["sku_reference"]] == [
        "'skus.csv:2'", "'skus.csv:3'"]  # a "_src" column never replaces the source


# The reading ingest did before it worked in chunks and columns, kept as the oracle: every file read whole
# through io.StringIO and the csv module, every row mapped cell by cell, every client resolved row by row.
def reference_read_table(path: Path) -> decode.Table:
    if path.suffix.lower() == ".xlsx":
        return decode._read_xlsx(path)
    raw = path.read_bytes()
    if not raw.strip():
        raise DecodeError("the file is empty")
    if decode.looks_binary(raw):
        raise DecodeError("the file is binary, not a text export (NUL bytes found)")
    text, encoding = decode.decode_bytes(raw)
    text = text.lstrip("\ufeff")
    header_line = next((line for line in text.splitlines() if line.strip() and not decode._is_type_line(line)), "")
    delimiter = decode.sniff_delimiter(header_line, path.suffix.lower())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    header, rows, previous_end = None, [], 0
    try:
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not "".join(cells).strip():
                continue
            if header is None:
                if not (len(cells) == 1 and decode._is_type_line(cells[0])):
                    header = [c.replace("\ufeff", "").strip() for c in cells]
                continue
            rows.append((start, cells))
    except csv.Error as exc:
        raise DecodeError(f"the file cannot be read as a table: {exc} (an unclosed quote?)") from None
    if header is None:
        raise DecodeError("the file has no header row")
    warnings = ["unbalanced quotes: a quoted cell is not closed, the last record may have absorbed the rest of the file"
                ] if text.count('"') % 2 == 1 else []
    if encoding.startswith("mixed"):
        warnings.append(f"mixed encodings: {encoding[7:]}; check the names in this file")
    return decode.Table(header, encoding, delimiter, warnings, rows=rows)


def reference_map_rows(relative, profile, table, report, rejects, _hints=None) -> list[dict]:
    columns = folder._column_indexes(profile, table.header)
    identity = folder.IDENTITY_FIELDS.get(profile.entity, ())
    width = len(table.header)
    out = []
    for line, cells in table.rows:
        report.rows += 1
        problem = folder._row_shape_problem(cells, width)
        if problem:
            folder._reject(rejects, report, relative, line, "", "|".join(cells)[:200], problem)
            continue
        record, failure = {"_src": f"{relative}:{line}", "_profile": profile.name}, None
        for field_name, (index, column_name) in columns.items():
            raw = cells[index] if index < len(cells) else ""
            try:
                value = cell_parser(profile, field_name)(raw)
            except ValueError as exc:
                failure = (column_name, raw, f"{field_name}: {exc}")
                break
            if value is not None and value != [] and field_name not in record:
                record[field_name] = value
        if failure:
            folder._reject(rejects, report, relative, line, *failure)
            continue
        for key, value in profile.constants.items():
            record.setdefault(key, value)
        if profile.amount_period == "annual" and record.get("amount") is not None:
            record["amount"] = record["amount"] / 12
        if identity and not any(record.get(f) for f in identity):
            names = [columns[f][1] for f in identity if f in columns] or list(identity)
            folder._reject(rejects, report, relative, line, " / ".join(names), "",
                           f"no {' or '.join(identity)}: the row identifies nothing")
            continue
        out.append(record)
    return out


def reference_resolve_clients(relative, profile, rows, report, resolver, rejects, unknown, header=None) -> list:
    if profile.entity not in folder.CLIENT_SCOPED:
        return []
    guesses, failed = Counter(), []
    folder_parts = tuple(PurePosixPath(relative).parts[:-1])
    present = folder._column_indexes(profile, header or [])
    client_column = present["client"][1] if "client" in present else \
        next((alts[0] for f, alts in profile.columns.items() if f == "client"), "client")
    upn_column = present["upn"][1] if "upn" in present else "User principal name"
    for row in rows:
        raw, match = row.get("client"), None
        if profile.client_from == "upn_domain" and row.get("upn"):
            match = resolver.by_upn(row["upn"])
        if match is None and raw:
            match = resolver.by_name(raw)
            if match is None and not resolver.from_roster:
                resolver.add(raw)
                match = Match(raw, False, "first seen")
        if match is None and not raw:
            match = resolver.by_folder(folder_parts)
        if match is None:
            upn = row.get("upn") or ""
            name = raw or (upn.rsplit("@", 1)[-1] if "@" in upn else "") or "(none)"
            unknown[name] += 1
            failed.append(row)
            column = client_column if raw else (upn_column if row.get("upn") else client_column)
            folder._reject(rejects, report, relative, int(row["_src"].rsplit(":", 1)[1]), column,
                           raw or row.get("upn", ""), f"unknown client: {name}")
            continue
        if match.guessed:
            guesses[(raw or "/".join(folder_parts), match.client, match.how)] += 1
        row["client"] = match.client
    for (raw, client, how), count in sorted(guesses.items()):
        report.warnings.append(f"client {raw!r} matched to roster client {client!r} by {how} ({count} rows): "
                               f"add it to the roster's aliases to confirm")
    return failed


def test_ingest_gives_what_reading_row_by_row_gives(folders, monkeypatch):
    fast = [ingest(f) for f in folders]
    monkeypatch.setattr(folder, "read_table", reference_read_table)
    monkeypatch.setattr(folder, "_map_rows", reference_map_rows)
    monkeypatch.setattr(folder, "_resolve_clients", reference_resolve_clients)
    monkeypatch.setattr(folder, "_newest_day", lambda profile, rows: _newest_row_by_row(rows))
    assert [ingest(f) for f in folders] == fast


def tiny_everything(monkeypatch) -> None:
    """Chunks of one row, blocks of one character, a memo that holds one value: every boundary is crossed."""
    monkeypatch.setattr(decode, "CHUNK_ROWS", 1)
    monkeypatch.setattr(decode, "_BLOCK_CHARS", 1)
    monkeypatch.setattr(values, "MEMO_LIMIT", 1)
    monkeypatch.setattr(values, "_DISTINCT_SAMPLE", 1)


def test_the_csv_module_and_the_quote_free_reader_give_the_same_ingest(folders, monkeypatch):
    fast = [ingest(f) for f in folders]
    monkeypatch.setattr(decode, "_split_records", decode._csv_records)  # every file through the csv module
    assert [ingest(f) for f in folders] == fast
    assert fast[1]["rejects"] and fast[1]["records"]["device"]  # the messy folder has both


def test_chunk_block_and_memo_sizes_do_not_change_the_result(folders, monkeypatch):
    expected = [ingest(f) for f in folders]
    tiny_everything(monkeypatch)
    assert [ingest(f) for f in folders] == expected


def test_the_messy_folder_keeps_its_physical_line_numbers(folders):
    result = ingest_folder(folders[1], IngestOptions(as_of=AS_OF))
    plain = (folders[1] / "rmm/DeviceDetailsExport.csv").read_text().split("\n")
    at_line = {}
    for record in result.records["device"]:
        path, line = record["_src"].rsplit(":", 1)
        if path == "rmm/DeviceDetailsExport.csv":
            cells = plain[int(line) - 1].split(",")
            assert values.parse_text(cells[3] if len(cells) > 3 else "") == record.get("os"), record
            at_line[record.get("hostname")] = int(line)
    # The quoted copy has the same rows, with "Windows 11 Pro" cells spread over two lines: each row sits
    # as many lines further down as such cells come before it.
    spread = [0]
    for text in plain:
        spread.append(spread[-1] + ("Windows 11 Pro" in text))
    checked = 0
    for record in result.records["device"]:
        path, line = record["_src"].rsplit(":", 1)
        if path == "rmm/quoted.csv" and record.get("hostname") in at_line:
            plain_line = at_line[record["hostname"]]
            assert int(line) == plain_line + spread[plain_line - 1], record
            checked += 1
    assert checked > 100 and spread[-1] > 10


# Texts without a quote, as the quote-free reader sees them; the csv module is the reference.
plain_cell = st.sampled_from(["#TYPE x", "\ufeff#TYPE y", " "]) | \
    st.text(alphabet=st.sampled_from(list("ab ;,\t|\x00\u00a0é#\ufeff")), max_size=6)
line_end = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def plain_texts(draw) -> str:
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    rows = draw(st.lists(st.lists(plain_cell, max_size=5), max_size=12))
    return delimiter, "".join(delimiter.join(row) + draw(line_end) for row in rows) + draw(st.sampled_from(["", "x"]))


def _flat(header, chunks) -> tuple:
    return header, [(line, cells) for lines, rows in chunks for line, cells in zip(lines, rows)]


@SETTINGS
@given(spec=plain_texts(), chunk=st.integers(1, 4), block=st.integers(1, 8))
def test_the_quote_free_reader_cuts_rows_like_the_csv_module(spec, chunk, block):
    delimiter, text = spec
    original = decode.CHUNK_ROWS, decode._BLOCK_CHARS
    decode.CHUNK_ROWS, decode._BLOCK_CHARS = chunk, block
    try:
        assert _flat(*decode._split_records(text, delimiter)) == _flat(*decode._csv_records(text, delimiter))
    finally:
        decode.CHUNK_ROWS, decode._BLOCK_CHARS = original


any_text = st.text(alphabet=st.sampled_from(list('ab ,"\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029#TYPE')), max_size=40)


@SETTINGS
@given(text=any_text, block=st.integers(1, 8))
def test_physical_lines_are_the_lines_of_a_stringio(text, block):
    original = decode._BLOCK_CHARS
    decode._BLOCK_CHARS = block
    try:
        assert list(decode.physical_lines(text)) == list(io.StringIO(text, newline=""))
    finally:
        decode._BLOCK_CHARS = original


@SETTINGS
@given(text=any_text)
def test_the_header_line_is_found_as_splitlines_would(text):
    expected = next((line for line in text.splitlines() if line.strip() and not decode._is_type_line(line)), "")
    assert decode._header_line(text) == expected


def test_table_rows_stream_once_and_rows_gathers_them(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Name,Value\nx,1\n\n y ,2\n")
    table = read_table(path)
    assert table.rows == [(2, ["x", "1"]), (4, [" y ", "2"])]
    assert [lines for lines, _ in table.chunks()] == [[2, 4]]  # the gathered rows can still be chunked
    streamed = read_table(path)
    assert list(streamed.chunks()) == [([2, 4], [["x", "1"], [" y ", "2"]])]
    with pytest.raises(RuntimeError):
        list(streamed.chunks())


@pytest.mark.parametrize("body", ['"never closed,1\n' + "x,2\n" * 300, "y" * 3000 + ",1\n" + "x,2\n" * 300])
def test_a_cell_over_the_field_limit_is_found_before_any_row_is_mapped(tmp_path, body):
    limit = csv.field_size_limit()
    csv.field_size_limit(1000)
    try:
        path = tmp_path / "a.csv"
        path.write_text("Name,Value\n" + body)
        with pytest.raises(DecodeError) as info:
            read_table(path)
        assert "field larger than field limit" in str(info.value)
        fine = tmp_path / "b.csv"
        fine.write_text("Name,Value\n" + "x,2\n" * 600)  # longer than the limit, every line short
        assert len(read_table(fine).rows) == 600
    finally:
        csv.field_size_limit(limit)


# Column parsing: each distinct value once, the same values as parsing every cell.
KIND_CELLS = {
    "text": ["", " ", "Acme", " Acme ", "a  b", "a\nb", "x\u00a0y", "|", "| a", "a |", "é", "\t"],
    "date": ["", "2026-05-01", "2026-05-01 10:00:00Z", "2026-02-30 10:00:00", "5/1/2026", "never", " 2026-05-01 "],
    "datetime": ["2026-05-01 10:00:00 CAT", "2026-05-01 10:00:00 PM", "2026-05-01T10:00:00+02:00", "x", "",
                 "2026-05-01 10:00:00\n2027-01-01 00:00:00"],
    "bool": ["TRUE", "false", "maybe", "", "1"],
    "list": ["A+B", "Unlicensed", "", "a;b", "x"],
    "int": ["1", "1.5", "", "1,000", "x"],
    "device_type": ["Server", "laptop", "", "thing"],
}


FIELDS = {"text": ("vcio_devices", "hostname"), "date": ("vcio_devices", "purchase_date"),
          "datetime": ("vcio_devices", "last_seen"), "bool": ("m365_export_users", "blocked"),
          "list": ("m365_export_users", "licenses"), "int": ("vcio_devices", "patches_missing"),
          "device_type": ("vcio_devices", "device_type")}


@pytest.mark.slow
@SETTINGS
@given(data=st.data(), kind=st.sampled_from(sorted(KIND_CELLS)), plain=st.booleans(),
       distinct=st.booleans(), memo=st.integers(1, 20))
def test_a_column_parses_to_what_each_cell_parses_to(data, kind, plain, distinct, memo):
    profile_name, field_name = FIELDS[kind]
    parse = cell_parser(PROFILES[profile_name], field_name)
    parser = ColumnParser(field_name, parse, plain and kind == "text", all_distinct=distinct)
    original = values.MEMO_LIMIT
    values.MEMO_LIMIT = memo
    try:
        for _ in range(3):  # the memo carries over from one chunk to the next
            column = data.draw(st.lists(st.sampled_from(KIND_CELLS[kind]) | st.text(max_size=4), max_size=30))
            got, maybe_empty = parser.values(column)
            expected = []
            for raw in column:
                try:
                    value = parse(raw)
                except ValueError as exc:
                    value = f"{field_name}: {exc}"
                expected.append(None if value == [] else value)
            assert [v.reason if isinstance(v, Failure) else v for v in got] == expected
            assert maybe_empty or None not in expected
    finally:
        values.MEMO_LIMIT = original


SHAPES = st.tuples(st.integers(0, 10000), st.integers(0, 13), st.integers(0, 32), st.sampled_from("T "),
                   st.integers(0, 25), st.integers(0, 61), st.integers(0, 61),
                   st.sampled_from(["", "Z", " EST", " AM", " PM", " AMT", " ABCDEF", " A", " est", "  EST", ".5Z"]))


@SETTINGS
@given(shape=SHAPES, dayfirst=st.booleans())
def test_the_iso_shortcut_agrees_with_the_general_date_parser(shape, dayfirst):
    year, month, day, sep, hour, minute, second, suffix = shape
    text = f"{year:04d}-{month:02d}-{day:02d}{sep}{hour:02d}:{minute:02d}:{second:02d}{suffix}"

    def outcome(parse):
        try:
            return parse(text, dayfirst)
        except ValueError as exc:
            return str(exc)

    assert outcome(parse_datetime) == outcome(values._parse_datetime_cached.__wrapped__)


def test_resolving_each_distinct_name_once_matches_resolving_row_by_row():
    roster = ClientResolver.from_roster_rows([
        {"name": "Acme Dental", "aliases": ["Acme"], "domains": ["acmedental.com"]},
        {"name": "Cedar & Finch LLP", "aliases": [], "domains": ["cedarfinch.com"]}])
    rng = random.Random(5)
    names = [None, "Acme Dental", "ACME DENTAL", "Acme Dental - Main", "Cedar and Finch", "Zebra", ""]
    upns = [None, "a@acmedental.com", "b@mail.acmedental.com", "c@other.com", "hash", "d@", "@cedarfinch.com"]
    for by_upn in (True, False):
        for mix in ("names", "upns", "both"):
            rows = [{"client": rng.choice(names) if mix != "upns" else None,
                     "upn": rng.choice(upns) if mix != "names" else None} for _ in range(200)]
            if mix == "upns":
                rows = [r for r in rows if r["upn"] and "@" in r["upn"]]  # the UPN-domain-only shortcut
            keys, outcomes = resolve_distinct(rows, by_upn, roster, ("m365", "acmedental.com"))
            assert [outcomes[k] for k in keys] == resolve_in_order(rows, by_upn, roster, ("m365", "acmedental.com"))
            assert len(outcomes) < len(rows)


def test_a_name_first_seen_without_a_roster_changes_later_rows():
    resolver = ClientResolver(from_roster=False)
    rows = [{"client": None}, {"client": "Acme Dental Inc"}, {"client": None}, {"client": "ACME DENTAL"}]
    found = resolve_in_order(rows, False, resolver, ("exports", "Acme Dental"))
    # The third row has the first one's key, but the name learned in between makes its folder resolve.
    assert [client for client, _, _ in found] == [None, "Acme Dental Inc", "Acme Dental Inc", "Acme Dental Inc"]


def _newest_row_by_row(rows: list[dict]):
    newest = None
    for row in rows:
        for name in folder.FRESHNESS_FIELDS:
            value = row.get(name)
            if value is not None:
                day = value.date() if isinstance(value, datetime) else value
                if newest is None or day > newest:
                    newest = day
    return newest


def test_the_newest_day_is_the_same_through_distinct_values():
    datto = PROFILES["datto_rmm_device_details"]
    activity = PROFILES["m365_active_user_detail"]
    as_text = replace(datto, types={"last_seen": "text"})  # not a date: compared row by row
    cases = [
        (datto, [{"last_seen": v} for v in [None, datetime(2026, 5, 1, 23), datetime(2026, 5, 3, 1), None]]),
        (datto, [{}, {"hostname": "x"}]),
        (activity, [{"report_date": date(2026, 6, 2)}, {"report_date": date(2026, 6, 1)}, {"upn": "a@b"}]),
        (as_text, [{"last_seen": "2026-05-01"}, {"last_seen": "2026-06-01"}, {}]),
    ]
    for profile, rows in cases:
        assert folder._newest_day(profile, rows) == _newest_row_by_row(rows)
    assert folder._newest_day(datto, cases[0][1]) == date(2026, 5, 3)
