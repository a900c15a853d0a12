"""`vcio profiles suggest` and `list`, and the closest-format hint that never crosses kinds of record."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pipeline.ingest import IngestOptions, ingest_folder
from pipeline.ingest.profiles import load_profiles
from pipeline.ingest.suggest import closest_format, guess_entity, suggest_profile

from ..conftest import run_cli
from .conftest import AS_OF, FIXTURES, check_accounting

# A real Pax8 API dump's fields (DOMAIN.md section 4): no product name, no partner cost.
PAX8_DUMP = ("id,companyId,productId,quantity,status,price,billingTerm,startDate,endDate,commitmentTermMonths,"
             "commitmentEndDate\n"
             "9f1c,3b7e-11,prod-9,12,Active,22.00,Annual,2025-03-01,,12,2026-02-28\n"
             "9f1d,3b7e-12,prod-7,3,Active,6.00,Monthly,2024-11-15,,,\n")
GRID = ("System Name,Customer,Operating System,Service Tag,Last Check-in,Warranty Expires,Kind\n"
        "ACME-WS-01,Acme Dental,Windows 11 Pro 23H2,5CG1234XYZ,21/05/2026 10:00,30/06/2027,Laptop\n"
        "ACME-SRV-01,Acme Dental,Windows Server 2019 Standard,CZ2938ABC,20/05/2026 11:00,01/02/2026,Server\n")


@pytest.fixture(scope="module")
def profiles():
    return load_profiles()


def put(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def inputs_with(tmp_path: Path, relative: str, text: str) -> tuple[Path, Path]:
    inputs = tmp_path / "inputs"
    put(inputs, "clients.csv", (FIXTURES / "clients.csv").read_text(encoding="utf-8"))
    return inputs, put(inputs, relative, text)


def test_a_pax8_api_dump_is_hinted_at_pax8_not_at_a_psa_contract(tmp_path, profiles):
    header = PAX8_DUMP.splitlines()[0].split(",")
    assert guess_entity(header, profiles) == "subscription"
    near, missing = closest_format(header, profiles)
    assert near.name == "pax8_subscriptions" and missing == ["productName", "partnerCost"]
    inputs, _ = inputs_with(tmp_path, "pax8/subscriptions.csv", PAX8_DUMP)
    result = ingest_folder(inputs, IngestOptions(as_of=AS_OF))
    assert [(u.path, u.closest_format) for u in result.unrecognised] == [("pax8/subscriptions.csv",
                                                                          "pax8_subscriptions")]


@pytest.mark.parametrize("header, entity", [
    (["Agreement Name", "Company", "Start Date", "End Date", "Monthly Amount"], "contract"),
    (["Computer", "Organization", "OS", "Last Seen"], "device"),
    (["Email Address", "Display Name", "Licenses", "Blocked"], "user"),
    (["Serial", "Warranty End Date", "Warranty Status"], "warranty"),
])
def test_the_kind_of_record_comes_from_the_fields_only_it_has(header, entity, profiles):
    assert guess_entity(header, profiles) == entity
    near, _ = closest_format(header, profiles)
    assert near is None or near.entity == entity


def test_a_header_of_no_known_kind_gets_no_hint(profiles):
    assert guess_entity(["Asset", "Owner", "Room"], profiles) is None
    assert closest_format(["Asset", "Owner", "Room", "startDate", "endDate"], profiles) == (None, [])


def test_a_grid_export_is_mapped_by_header_synonyms_and_values(tmp_path, profiles):
    _, path = inputs_with(tmp_path, "rmm/grid.csv", GRID)
    suggestion = suggest_profile(path, profiles)
    assert suggestion.entity == "device" and suggestion.usable and suggestion.missing == []
    got = {g.field: (g.column, g.confidence) for g in suggestion.mapping}
    assert got == {"client": ("Customer", "high"), "hostname": ("System Name", "high"),
                   "serial": ("Service Tag", "high"), "os": ("Operating System", "high"),
                   "warranty_end": ("Warranty Expires", "high"), "last_seen": ("Last Check-in", "high")}
    assert suggestion.unmapped_columns == [("Kind", "text")]
    assert suggestion.dayfirst is True


def test_a_column_whose_values_contradict_its_header_is_low_confidence(tmp_path, profiles):
    _, path = inputs_with(tmp_path, "rmm/odd.csv", "Device Name,Company,Last Seen\nPC-1,Acme Dental,yesterday\n"
                                                   "PC-2,Acme Dental,last week\n")
    guesses = {g.field: g for g in suggest_profile(path, profiles).mapping}
    assert guesses["last_seen"].confidence == "low" and "only 0% of the sample parse as dates" in guesses[
        "last_seen"].why


def test_user_principal_names_are_found_by_their_values_alone(tmp_path, profiles):
    _, path = inputs_with(tmp_path, "m365/people.csv", "Who,Licenses\nann@acmedental.com,Microsoft 365 Business "
                                                       "Premium\nbob@acmedental.com,Unlicensed\n")
    guesses = {g.field: g for g in suggest_profile(path, profiles, entity="user").mapping}
    assert guesses["upn"].column == "Who" and guesses["upn"].confidence == "low"


@pytest.mark.slow
def test_written_profile_is_used_by_validate_and_the_rows_parse(tmp_path):
    inputs, path = inputs_with(tmp_path, "rmm/grid.csv", GRID)
    before = run_cli("validate", "--inputs", str(inputs), "--as-of", "2026-06-01")
    assert before.returncode == 1 and "vcio profiles suggest" in before.stdout
    written = run_cli("profiles", "suggest", str(path), "--write")
    assert written.returncode == 0, written.stdout + written.stderr
    profile = inputs / "profiles" / "local_grid.toml"
    assert f"Saved {profile}" in written.stdout
    text = profile.read_text(encoding="utf-8")
    assert 'verified = "no"' in text and "dayfirst = true" in text and 'hostname = "System Name"' in text
    after = run_cli("validate", "--inputs", str(inputs), "--as-of", "2026-06-01")
    assert after.returncode == 0, after.stdout
    assert "rmm/grid.csv  local_grid" in after.stdout
    result = ingest_folder(inputs, IngestOptions(as_of=AS_OF))
    check_accounting(result)
    devices = {d["hostname"]: d for d in result.records["device"]}
    assert devices["ACME-WS-01"]["warranty_end"] == date(2027, 6, 30)
    assert devices["ACME-SRV-01"]["serial"] == "CZ2938ABC" and devices["ACME-SRV-01"]["client"] == "Acme Dental"
    again = run_cli("profiles", "suggest", str(path), "--write")
    assert again.returncode == 0 and "recognised already as local_grid" in again.stdout
    forced = run_cli("profiles", "suggest", str(path), "--write", "--name", "local_grid", "--entity", "device")
    assert forced.returncode == 2 and "exists already" in forced.stderr
    assert profile.read_text(encoding="utf-8") == text


def test_a_file_without_its_identity_column_is_refused_then_mapped_by_hand(tmp_path):
    inputs, path = inputs_with(tmp_path, "pax8/subscriptions.csv", PAX8_DUMP)
    refused = run_cli("profiles", "suggest", str(path), "--write")
    assert refused.returncode == 1
    assert "no column for product" in refused.stdout and "`vcio pull pax8` writes that file" in refused.stdout
    assert not (inputs / "profiles").exists()
    mapped = run_cli("profiles", "suggest", str(path), "--map", "product=productId", "--json")
    assert mapped.returncode == 0, mapped.stderr
    data = json.loads(mapped.stdout)
    assert data["entity"] == "subscription" and data["usable"] is True
    assert {"field": "product", "column": "productId", "confidence": "high", "why": "chosen with --map"} in \
        data["mapping"]
    wrong = run_cli("profiles", "suggest", str(path), "--map", "product=Nope")
    assert wrong.returncode == 2 and "no column 'Nope'" in wrong.stderr


def test_profiles_list_shows_every_profile_with_tool_entity_and_verification(tmp_path):
    listed = run_cli("profiles", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    data = {p["name"]: p for p in json.loads(listed.stdout)}
    assert set(data) == {p.name for p in load_profiles()}
    pax8 = data["pax8_subscriptions"]
    assert (pax8["tool"], pax8["entity"], pax8["verified"]) == ("Pax8", "subscription", "partial")
    assert pax8["required"] == ["productName", "quantity", "billingTerm", "partnerCost"] and pax8["builtin"]
    assert data["ninjaone_devices_ui"]["verified"] == "no"
    inputs, path = inputs_with(tmp_path, "rmm/grid.csv", GRID)
    assert run_cli("profiles", "suggest", str(path), "--write").returncode == 0
    text = run_cli("profiles", "list", "--inputs", str(inputs))
    assert "local_grid *" in text.stdout and "* from the inputs folder's profiles/" in text.stdout
    row = next(line for line in text.stdout.splitlines() if line.startswith("pswarranty "))
    assert "PSWarranty" in row and "warranty" in row and "yes" in row and "Serial, Warranty Product name" in row


# The MFA-disabled users file of GetMFAStatus.ps1 is as much a user list (department, sign-in status, licence
# status) as an MFA report: without its own profile, either reading is fair.
AMBIGUOUS = {"MFA_Disabled_User_Report_Jun-01-2026.csv"}


def test_without_its_own_profile_every_fixture_is_hinted_at_its_own_kind_or_at_nothing(profiles):
    from pipeline.ingest.decode import read_table
    from pipeline.ingest.profiles import detect
    from pipeline.ingest.suggest import DATA_ENTITIES

    checked = 0
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix.lower() not in {".csv", ".txt"} or path.name in AMBIGUOUS:
            continue
        header = read_table(path).header
        own = detect(header, profiles)
        if own is None or own.entity not in DATA_ENTITIES:
            continue
        others = [p for p in profiles if p.name != own.name]
        near, _ = closest_format(header, others)
        assert guess_entity(header, others) == own.entity, path.name
        assert near is None or near.entity == own.entity, (path.name, near.name)
        checked += 1
    assert checked >= 28
