"""The scheduling files `vcio init` writes: filled in for the folder, valid for systemd, and a cron line that
pulls, validates, then runs, skipping the run only on a usage or configuration error."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.deploy import Deployment, configured_pull_tools, render, repository_copies
from pipeline.scaffold import scaffold

from .conftest import REPO

STUB = """#!/bin/sh
# Stands in for vcio: records its command and exits as the test says for that command.
echo "$1" >> "$(dirname "$0")/calls"
case "$1" in
  pull) exit "${PULL_EXIT:-0}" ;;
  validate) exit "${VALIDATE_EXIT:-0}" ;;
  run) exit 0 ;;
esac
"""


def stub_vcio(folder: Path) -> Path:
    path = folder / "bin" / "vcio"
    path.parent.mkdir(parents=True)
    path.write_text(STUB)
    path.chmod(0o755)
    return path


def active_cron_line(crontab: str) -> str:
    lines = [line for line in crontab.splitlines() if line and not line.startswith("#") and "=" not in line.split()[0]]
    assert len(lines) == 1, lines
    return lines[0]


def test_init_writes_the_files_for_its_folder_with_absolute_paths(tmp_path):
    work = tmp_path / "work"
    results = dict((path.relative_to(work).as_posix(), what) for path, what in scaffold(work, mail="ops@msp.example"))
    for name in ("crontab", "vcio.service", "vcio.timer", "vcio-failure@.service", "README.md"):
        assert results[f"deploy/{name}"] == "created"
    service = (work / "deploy" / "vcio.service").read_text()
    assert f"WorkingDirectory={work}" in service
    assert f"ReadWritePaths={work}/inputs {work}/outputs /var/log/vcio" in service
    documentation = re.search(r"^Documentation=file://(.+)$", service, re.M)[1]
    assert Path(documentation).is_file() and Path(documentation) == work / "deploy" / "README.md"
    for line in ("Wants=network-online.target", "After=network-online.target", "OnFailure=vcio-failure@%n.service",
                 "ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes",
                 "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6", f"EnvironmentFile=-{work}/pull.env"):
        assert line in service.splitlines()
    assert "SuccessExitStatus" not in service
    crontab = (work / "deploy" / "crontab").read_text()
    assert "MAILTO=ops@msp.example" in crontab
    assert f"cd {work} && " in active_cron_line(crontab)
    assert "ops@msp.example" in (work / "deploy" / "vcio-failure@.service").read_text()
    # A fresh vcio.toml sets up no pull: the pull lines are there, commented, with instructions.
    assert " pull " not in active_cron_line(crontab)
    assert "#ExecStartPre=-" in service and "pull TOOL..." in service
    # Run again: every file is kept, none rewritten.
    (work / "deploy" / "crontab").write_text("# mine\n")
    again = dict((path.relative_to(work).as_posix(), what) for path, what in scaffold(work))
    assert again["deploy/crontab"] == "kept" and (work / "deploy" / "crontab").read_text() == "# mine\n"


def test_the_pull_lists_the_tools_set_up_in_vcio_toml(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "vcio.toml").write_text('[pull.ninjaone]\nbase_url = "https://eu.ninjarmm.com"\n'
                                    '[pull.m365]\ntenants = ["acmedental.com"]\n'
                                    '[pull.pax8]\nbase_url = "https://api.pax8.com/v1"\n')  # the default: not set up
    assert configured_pull_tools(work / "vcio.toml") == ("ninjaone", "m365")
    credentials = work / "credentials.toml"
    credentials.write_text('[autotask]\nusername = "x"\n')
    credentials.chmod(0o600)
    (work / "vcio.toml").write_text('[pull]\ncredentials_file = "credentials.toml"\n')
    assert configured_pull_tools(work / "vcio.toml") == ("autotask",)
    credentials.chmod(0o644)  # a file `vcio pull` would refuse sets up nothing
    assert configured_pull_tools(work / "vcio.toml") == ()
    (work / "vcio.toml").write_text('[pull.datto_rmm]\nbase_url = "https://merlot-api.centrastage.net"\n')
    scaffold(work)
    line = active_cron_line((work / "deploy" / "crontab").read_text())
    assert " pull datto-rmm --inputs inputs -q --log-file /var/log/vcio/pull.log; " in line
    service = (work / "deploy" / "vcio.service").read_text()
    assert re.search(r"^ExecStartPre=-\S+ pull datto-rmm --inputs \S+/inputs -q", service, re.M)


@pytest.mark.parametrize("pull_exit, validate_exit, expected", [
    (0, 0, ["pull", "validate", "run"]),
    (1, 0, ["pull", "validate", "run"]),   # a failed tool keeps its last files: the quarter goes on
    (0, 1, ["pull", "validate", "run"]),   # a stray file or a stale export: mailed, not a reason to stop
    (0, 2, ["pull", "validate"]),          # a usage or configuration error: the run would fail the same way
    (2, 70, ["pull", "validate"]),
])
def test_the_cron_line_pulls_validates_then_runs_unless_validate_says_2_or_more(tmp_path, pull_exit, validate_exit,
                                                                                   expected):
    vcio = stub_vcio(tmp_path)
    (tmp_path / "work").mkdir()
    deployment = Deployment(folder=tmp_path / "work", vcio=(str(vcio),), tools=("ninjaone", "pax8"))
    line = active_cron_line(render(deployment)["crontab"])
    command = line.split(None, 5)[5]  # after the five schedule fields
    subprocess.run(["/bin/sh", "-c", command], check=False, env={"PULL_EXIT": str(pull_exit),
                                                                 "VALIDATE_EXIT": str(validate_exit), "PATH": "/usr/bin:/bin"})
    assert (tmp_path / "bin" / "calls").read_text().split() == expected


@pytest.mark.parametrize("validate_exit, starts", [(0, True), (1, True), (2, False), (3, False)])
def test_the_services_validate_step_stops_the_unit_only_on_2_or_more(tmp_path, validate_exit, starts):
    vcio = stub_vcio(tmp_path)
    service = render(Deployment(folder=tmp_path, vcio=(str(vcio),)))["vcio.service"]
    quoted = re.search(r'^ExecStartPre=/bin/sh -c "(.+)"$', service, re.M)[1]
    script = quoted.replace("$$", "$").replace("%%", "%")
    result = subprocess.run(["/bin/sh", "-c", script], env={"VALIDATE_EXIT": str(validate_exit), "PATH": "/usr/bin:/bin"})
    assert (result.returncode == 0) is starts


def test_the_repositorys_deploy_folder_is_what_init_writes_for_srv_vcio():
    for name, text in repository_copies().items():
        assert (REPO / "deploy" / name).read_text(encoding="utf-8") == text, (
            f"deploy/{name} is out of date: python -m pipeline.deploy deploy")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path):
    work = tmp_path / "work"
    scaffold(work)
    units = [work / "deploy" / name for name in ("vcio.service", "vcio.timer", "vcio-failure@.service")]
    result = subprocess.run(["systemd-analyze", "verify", *map(str, units)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "vcio.service" not in result.stderr  # no warning about the service either
    # verify reads what it is given: a unit with a bad setting fails it (the check can fail)
    broken = work / "deploy" / "vcio.service"
    broken.write_text(broken.read_text().replace("ProtectSystem=strict", "ProtectSystem=bogus")
                      .replace("ExecStart=", "ExecStart=no-such-vcio "))
    assert subprocess.run(["systemd-analyze", "verify", str(broken)], capture_output=True).returncode != 0

