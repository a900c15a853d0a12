"""`vcio validate` / `vcio clients`: the library report (pipeline.ingest.validate) and the
click commands (pipeline.cli.ingest_commands), run with CliRunner."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli.ingest_commands import COMMANDS, clients, validate
from pipeline.ingest import ProfileError
from pipeline.ingest.validate import ValidationReport, format_report, reason_kind, validate_folder

from .conftest import AS_OF, CASES, FIXTURES, copy_case

ACME, CEDAR, GRANITE = "Acme Dental", "Cedar & Finch LLP", "Granite Ridge Manufacturing"


def put(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.lstrip("\n").encode("utf-8"))
    return path


@pytest.fixture
def clean(tmp_path) -> Path:
    """Every row accepted, every file recognised."""
    return copy_case("ninjaone_devices_ui", tmp_path / "clean")


@pytest.fixture
def messy(tmp_path) -> Path:
    """cw_configurations rejects 3 of 7 rows, the device file 3 of 4 with the same reason
    kind; one unrecognised file; unknown clients."""
    inputs = copy_case("cw_manage_configurations", tmp_path / "messy")
    put(inputs, "other/devices.csv", """
client,hostname,device_type,os,purchase_date
Acme Dental,A-1,desktop,Windows 11,2021-13-01
Acme Dental,A-2,desktop,Windows 11,2021-02-30
Acme Dental,A-3,desktop,Windows 11,2021-00-10
Acme Dentistry Group,A-4,desktop,Windows 11,2021-01-10
""")
    put(inputs, "rmm/partial.csv", "Device Hostname,Site Name,Operating System\nA-1,Acme Dental,W11\n")
    return inputs


def run(command, *args: str):
    """Through the main group, as `vcio validate ...` runs: it maps errors to their exit statuses."""
    from pipeline.cli import main

    return CliRunner().invoke(main, [command.name, *args], catch_exceptions=False)


# --------------------------------------------------------------------------- library


def test_a_clean_folder_validates(clean):
    report = validate_folder(clean, AS_OF)
    assert isinstance(report, ValidationReport) and report.ok
    assert [(f.path, f.format, f.verified, f.rows, f.accepted, f.rejected) for f in report.files] == [
        ("clients.csv", "vcio_clients", "yes", 3, 3, 0),
        ("rmm/NinjaOne Devices.csv", "ninjaone_devices_ui", "no", 3, 3, 0),
    ]
    assert report.unrecognised == [] and report.unknown_clients == []
    assert report.clients == [ACME, CEDAR, GRANITE]
    text = format_report(report)
    assert text.rstrip().endswith("OK: every file was recognised, none rejects more than the threshold and none is stale.")


def test_per_file_counts_top_reasons_and_warnings(messy):
    report = validate_folder(messy, AS_OF)
    files = {f.path: f for f in report.files}
    devices = files["other/devices.csv"]
    assert (devices.rows, devices.accepted, devices.rejected) == (4, 0, 4)
    # the offending values are dropped so that one kind of problem is counted once
    assert devices.top_reasons == [("purchase_date: not a valid date", 3), ("unknown client: Acme Dentistry Group", 1)]
    assert devices.over_threshold and devices.reject_rate == 1.0
    psa = files["psa/cw_configurations.csv"]
    assert (psa.rows, psa.accepted, psa.rejected, psa.format, psa.verified) == (7, 4, 3, "cw_manage_configurations",
                                                                              "partial")
    assert len(psa.top_reasons) == 3 and all(count == 1 for _, count in psa.top_reasons)
    assert psa.warnings == ["client 'Acme Dental, Inc.' matched to roster client 'Acme Dental' by normalised name "
                            "(3 rows): add it to the roster's aliases to confirm"]
    assert psa.over_threshold  # 3/7 > 20%
    [unrecognised] = report.unrecognised
    assert (unrecognised.path, unrecognised.closest_format, unrecognised.missing_columns) == (
        "rmm/partial.csv", "datto_rmm_device_details", ["Security"])
    [unknown] = report.unknown_clients
    assert (unknown.name, unknown.rows, unknown.closest[0]) == ("Acme Dentistry Group", 1, ACME)
    assert not report.ok


def test_only_four_reasons_are_kept_as_three(tmp_path):
    inputs = copy_case("vcio_devices", tmp_path / "in")
    put(inputs, "more.csv", """
client,hostname,device_type,os,purchase_date,patches_missing,last_seen
Acme Dental,A-1,desktop,W,2021-13-01,,
Acme Dental,A-2,desktop,W,2021-13-01,,
Acme Dental,A-3,desktop,W,,x,
Acme Dental,A-4,desktop,W,,,soon
Nobody,A-5,desktop,W,,,
""")
    more = next(f for f in validate_folder(inputs, AS_OF).files if f.path == "more.csv")
    assert more.top_reasons == [("purchase_date: not a valid date", 2), ("last_seen: not a recognised date", 1),
                                ("patches_missing: not a number", 1)]


@pytest.mark.parametrize("threshold, over", [(0.2, True), (3 / 7, False), (0.5, False)])
def test_the_reject_rate_threshold(tmp_path, threshold, over):
    inputs = copy_case("cw_manage_configurations", tmp_path / "in")
    report = validate_folder(inputs, AS_OF, reject_rate_threshold=threshold)
    psa = next(f for f in report.files if f.path == "psa/cw_configurations.csv")
    assert psa.over_threshold is over and report.ok is (not over)


def test_format_overrides_and_their_errors(tmp_path):
    inputs = tmp_path / "in"
    put(inputs, "clients.csv", (FIXTURES / "clients.csv").read_text(encoding="utf-8"))
    put(inputs, "custom/x.csv", "client,hostname,os\nAcme Dental,A-1,Windows 11\n")
    assert not validate_folder(inputs, AS_OF).ok
    assert validate_folder(inputs, AS_OF, format_overrides={"custom/*.csv": "vcio_devices"}).ok
    with pytest.raises(ProfileError):
        validate_folder(inputs, AS_OF, format_overrides={"custom/*.csv": "nope"})


def test_reason_kind():
    assert reason_kind("created: not a valid date: '19/08/2021 13:25:31'") == "created: not a valid date"
    assert reason_kind("unknown client: Acme Dentistry Group") == "unknown client: Acme Dentistry Group"
    assert reason_kind("no hostname or serial: the row identifies nothing") == \
        "no hostname or serial: the row identifies nothing"


def test_format_report_is_a_fixed_width_table(messy):
    text = format_report(validate_folder(messy, AS_OF))
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("File "))
    assert set(lines[header + 1].replace(" ", "")) == {"-"}
    table = [line for line in lines[header + 2:] if line and not line.startswith(" ")]
    table = table[: next(i for i, line in enumerate(table) if line.startswith("Total:"))]
    assert [line.split()[0] for line in table] == ["clients.csv", "other/devices.csv", "psa/cw_configurations.csv"]
    # every column starts at the same place on every row
    starts = [m.start() for m in re.finditer(r"(?<=  )\S", lines[header])][:-1]  # the last, Status, may be empty
    assert len(starts) == 6
    for line in table:
        for start in starts:
            assert line[start - 1] == " " and line[start - 2] == " ", (line, start)
        assert line[starts[-1]:].split()[0].endswith("%"), line  # the Rate column, right-aligned under its header
    assert "OVER THRESHOLD" in text
    assert "    reject x3: purchase_date: not a valid date" in text
    assert "    warning: client 'Acme Dental, Inc.' matched" in text
    assert re.search(r"rmm/partial\.csv\s+datto_rmm_device_details\s+missing Security", text)
    assert re.search(r"Acme Dentistry Group\s+1\s+Acme Dental", text)
    assert text.rstrip().splitlines()[-1] == ("FAILED: 1 unrecognised file(s); 2 file(s) rejecting more than 20% of "
                                              "their rows.")


def test_format_report_for_a_folder_of_every_fixture(tmp_path):
    inputs = tmp_path / "all"
    for case in CASES:
        if case != "vcio_clients":
            copy_case(case, inputs)
    report = validate_folder(inputs, AS_OF, reject_rate_threshold=0.5)
    # Every fixture is recognised and none is over the threshold; the old usage report is stale on purpose.
    assert not report.unrecognised and not report.over_threshold, format_report(report)
    assert [f.path for f in report.stale] == ["m365/cedarfinch.com/ActiveUserDetail.csv"]
    text = format_report(report)
    assert f"Total: {len(report.files)} files, {report.rows} rows, {report.accepted} accepted, {report.rejected} rejected" in text
    assert report.rows == report.accepted + report.rejected
    assert "2 of 2 user names are concealed" in text and "stale data" in text


# --------------------------------------------------------------------------- CLI


def test_commands_are_exported_for_the_main_group():
    assert [c.name for c in COMMANDS] == ["validate", "clients"]


def test_validate_exits_0_when_clean(clean):
    result = run(validate, "--inputs", str(clean), "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.output
    assert "rmm/NinjaOne Devices.csv" in result.output and "ninjaone_devices_ui" in result.output
    assert result.output.rstrip().endswith("OK: every file was recognised, none rejects more than the threshold and none is stale.")


def test_validate_exits_1_on_an_unrecognised_file(clean):
    put(clean, "rmm/partial.csv", "Device Hostname,Site Name,Operating System\nA-1,Acme Dental,W11\n")
    result = run(validate, "--inputs", str(clean), "--as-of", "2026-06-01")
    assert result.exit_code == 1
    assert "rmm/partial.csv" in result.output and "missing Security" in result.output


def test_validate_exits_1_over_the_threshold_and_the_config_can_raise_it(tmp_path):
    inputs = copy_case("cw_manage_configurations", tmp_path / "in")  # 3 of 7 rows rejected
    assert run(validate, "--inputs", str(inputs), "--as-of", "2026-06-01").exit_code == 1
    config = put(tmp_path, "elsewhere/vcio.toml", "[ingest]\nreject_rate_threshold = 0.5\n")
    result = run(validate, "--inputs", str(inputs), "--as-of", "2026-06-01", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert "reject threshold 50%" in result.output
    # vcio.toml inside the inputs folder is found without --config
    put(inputs, "vcio.toml", "[ingest]\nreject_rate_threshold = 0.5\n")
    assert run(validate, "--inputs", str(inputs), "--as-of", "2026-06-01").exit_code == 0


def test_validate_uses_the_configured_format_overrides_and_stale_days(tmp_path):
    inputs = tmp_path / "in"
    put(inputs, "clients.csv", (FIXTURES / "clients.csv").read_text(encoding="utf-8"))
    put(inputs, "custom/x.csv", "client,hostname,os,last_seen\nAcme Dental,A-1,Windows 11,2026-04-01\n")
    put(inputs, "vcio.toml", '[ingest.formats]\n"custom/*.csv" = "vcio_devices"\n\n[thresholds]\nstale_input_days = 90\n')
    result = run(validate, "--inputs", str(inputs), "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.output
    assert "vcio_devices" in result.output and "stale data" not in result.output
    put(inputs, "vcio.toml", '[ingest.formats]\n"custom/*.csv" = "vcio_devices"\n')
    assert "stale data" in run(validate, "--inputs", str(inputs), "--as-of", "2026-06-01").output


@pytest.mark.parametrize("args, config, message", [
    (["--as-of", "2026-13-01"], None, "is not a date like"),
    (["--as-of", "2026-06-01"], "[ingest\nreject_rate_threshold = 0.5\n", "not valid TOML"),
    (["--as-of", "2026-06-01"], "[ingest]\nreject_rate_threshold = 5\n", "must be at most 1"),
    (["--as-of", "2026-06-01"], "[ingest]\nreject_rate_threshold = \"high\"\n", "expected a number"),
    (["--as-of", "2026-06-01"], "[nonsense]\nx = 1\n", "unknown section"),
    (["--as-of", "2026-06-01"], '[ingest.formats]\n"*.csv" = "no_such_profile"\n', "no_such_profile"),
])
def test_validate_usage_errors_exit_2(clean, tmp_path, args, config, message):
    extra = []
    if config is not None:
        extra = ["--config", str(put(tmp_path, "bad.toml", config))]
    result = run(validate, "--inputs", str(clean), *args, *extra)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_validate_usage_errors_for_the_inputs_folder(tmp_path):
    assert run(validate, "--inputs", str(tmp_path / "missing")).exit_code == 2
    assert run(validate).exit_code == 2
    not_a_folder = put(tmp_path, "file.csv", "a,b\n")
    assert run(validate, "--inputs", str(not_a_folder)).exit_code == 2
    assert run(validate, "--inputs", str(tmp_path), "--config", str(tmp_path / "nope.toml")).exit_code == 2


def test_validate_a_broken_user_profile_is_a_usage_error(clean):
    put(clean, "profiles/mine.toml", 'name = "mine"\nentity = "device"\nrequired = ["A"]\n[columns]\nhostnme = "A"\n')
    result = run(validate, "--inputs", str(clean), "--as-of", "2026-06-01")
    assert result.exit_code == 2 and "mine.toml" in result.output


def test_clients_lists_row_counts_and_unknown_names(tmp_path):
    inputs = tmp_path / "all"
    for case in ["cw_manage_configurations", "pax8_subscriptions", "cw_automate_computers", "vcio_decisions",
                 "m365_export_users"]:
        copy_case(case, inputs)
    result = run(clients, "--inputs", str(inputs), "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Roster clients (3):"
    header = lines[1].split()
    assert header == ["Client", "device", "user", "subscription", "decision"]
    rows = {line[:30].strip(): line[30:].split() for line in lines[3:6]}
    # Acme: 3 PSA + 3 Automate devices, 3 users, 2 subscriptions, 1 decision
    assert rows == {ACME: ["6", "3", "2", "1"], CEDAR: ["1", "0", "1", "0"], GRANITE: ["0", "0", "1", "0"]}
    unknown = result.output[result.output.index("Unknown client names"):]
    assert re.search(r"Acme Dentistry Group\s+1\s+Acme Dental", unknown)
    assert re.search(r"Granite Ridge Mfg\s+1\s+Granite Ridge Manufacturing", unknown)


def test_clients_without_a_roster_shows_the_psa_names(tmp_path):
    inputs = copy_case("cw_manage_agreements", tmp_path / "in", roster=False)
    result = run(clients, "--inputs", str(inputs))
    assert result.exit_code == 0, result.output
    assert "no roster (clients.csv) was found" in result.output
    assert re.search(r"Acme Dental, Inc\.\s+2", result.output)
    assert "Unknown client names: none." in result.output


def test_clients_usage_error(tmp_path):
    assert run(clients, "--inputs", str(tmp_path / "missing")).exit_code == 2
