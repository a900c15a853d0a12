"""One tool or tenant failing fails alone, keeps its previous files whole, and says what it kept; licence gaps are
warnings; credentials are checked first and never leak into output, logs, manifests or tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pipeline.pull import PullOptions, run_pull
from pipeline.pull.errors import CredentialError
from pipeline.errors import ExitStatus

from ..conftest import REPO
from .fakes import Reply
from .world import MFA_PATH, SECRETS, TENANT, TOKENS


def test_a_failing_tool_keeps_its_last_good_files_and_the_others_finish(pull, api, workspace):
    assert pull("ninjaone").status == ExitStatus.OK
    folder = workspace[0] / "ninjaone"
    good = (folder / "devices.csv").read_bytes()
    first = json.loads((folder / "pull-manifest.json").read_text())["units"][0]["files"][0]["pulled_at"]
    api.add("GET", "/ninja/v2/devices-detailed", Reply(500, {"error": "down"}))  # down for good this time
    outcome = pull("ninjaone", "pax8")
    assert outcome.status == ExitStatus.CLIENTS_FAILED
    ninja, pax8 = outcome.units
    assert (ninja.status, pax8.status) == ("failed", "ok")
    assert "HTTP 500, still failing after 5 retries" in ninja.error
    assert (folder / "devices.csv").read_bytes() == good  # untouched, not half-written
    assert not [p for p in folder.iterdir() if ".tmp-" in p.name]
    manifest = json.loads((folder / "pull-manifest.json").read_text())
    assert manifest["status"] == "failed"
    assert manifest["units"][0]["kept"] == [{"path": "devices.csv", "pulled_at": first}]
    assert (workspace[0] / "pax8" / "subscriptions.csv").is_file()


def test_a_licence_gap_is_a_warning_and_an_older_file_is_set_aside(pull, api, workspace):
    folder = workspace[0] / "m365" / TENANT
    assert pull("m365").status == ExitStatus.OK and (folder / "mfa_registration.csv").is_file()
    api.add("GET", MFA_PATH, Reply(403, {"error": {"code": "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
                                                   "message": "Neither tenant is B2C or tenant doesn't have premium "
                                                              "license"}}))
    outcome = pull("m365")
    assert outcome.status == ExitStatus.OK
    unit = outcome.units[0]
    assert len(unit.gaps) == 1 and "Microsoft Entra ID P1 or P2" in unit.gaps[0]
    assert not (folder / "mfa_registration.csv").exists()  # an old file would pass for current MFA data
    assert (folder / ".mfa_registration.csv.not-current").is_file()
    assert (folder / "users.csv").is_file()
    manifest = json.loads((workspace[0] / "m365" / "pull-manifest.json").read_text())
    assert manifest["units"][0]["coverage_gaps"] == unit.gaps


def test_missing_credential_is_named_before_any_request(pull, api):
    environ = {k: v for k, v in SECRETS.items() if k != "VCIO_PAX8_CLIENT_SECRET"}
    with pytest.raises(CredentialError, match="pax8: missing credential: set VCIO_PAX8_CLIENT_SECRET"):
        pull("connectwise", "pax8", environ=environ)
    assert api.requests == []


def test_a_credentials_file_others_can_read_is_refused(workspace, clock, tmp_path):
    inputs, config = workspace
    secrets = tmp_path / "credentials.toml"
    secrets.write_text('[pax8]\nclient_id = "pax8-client-1"\nclient_secret = "from-file-S3CRET"\n')
    os.chmod(secrets, 0o640)
    config.write_text(config.read_text().replace("[pull.connectwise]",
                                                  f'[pull]\ncredentials_file = "{secrets}"\n[pull.connectwise]'))
    options = PullOptions(tools=("pax8",), inputs=inputs, config_path=config, timing=clock.timing, environ={})
    with pytest.raises(CredentialError, match=r"readable by group or others \(mode 0640\); run: chmod 600"):
        run_pull(options)
    os.chmod(secrets, 0o600)
    assert run_pull(options).status == ExitStatus.OK


def test_tenant_credentials_in_the_file_override_the_shared_app(workspace, clock, tmp_path, api):
    inputs, config = workspace
    secrets = tmp_path / "credentials.toml"
    secrets.write_text(f'[m365]\nclient_id = "shared-app"\nclient_secret = "shared-S3CRET"\n'
                       f'[m365."{TENANT}"]\nclient_id = "tenant-app"\nclient_secret = "tenant-S3CRET"\n')
    os.chmod(secrets, 0o600)
    config.write_text(f'[pull]\ncredentials_file = "{secrets}"\n' + config.read_text())
    assert run_pull(PullOptions(tools=("m365",), inputs=inputs, config_path=config, timing=clock.timing,
                                environ={})).status == ExitStatus.OK
    body = api.hits("POST", f"/login/{TENANT}/oauth2/v2.0/token")[0].body.decode()
    assert "client_id=tenant-app" in body and "client_secret=tenant-S3CRET" in body


def cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=300, stdin=subprocess.DEVNULL)


def test_no_secret_reaches_output_log_or_manifest_when_things_fail(workspace, api, tmp_path):
    """Vendors that echo what they were sent, a crash inside a connector: the secrets stay out of everything."""
    inputs, config = workspace
    echo = " ".join(SECRETS.values()) + " " + " ".join(TOKENS)
    api.add("POST", "/halo/auth/token", Reply(401, {"error": "invalid_client", "error_description": echo}))
    api.add("GET", "/ninja/v2/devices-detailed", Reply(400, {"message": echo}))
    api.add("GET", "/pax8/v1/subscriptions", Reply(body={"content": "not a list " + echo}))
    api.add("GET", "/graph/v1.0/subscribedSkus", Reply(body=["unexpected", echo]))  # the connector trips over it
    log = tmp_path / "pull.log"
    result = cli("pull", "halopsa", "ninjaone", "pax8", "m365", "connectwise", "--inputs", str(inputs),
                 "--config", str(config), "--log-file", str(log), env=SECRETS)
    assert result.returncode == 1, result.stderr
    assert "connectwise: ok" in result.stdout
    assert result.stdout.count("FAILED") == 4
    # The keys of the tools pulled (the Autotask ones were never loaded, so never sent) and the tokens issued.
    pulled = ("HALOPSA", "NINJAONE", "PAX8", "M365", "CONNECTWISE")
    secrets = [v for k, v in SECRETS.items() if k.split("_")[1] in pulled and "S3CRET" in v] + list(TOKENS)
    assert len(secrets) == 10
    texts = {"stdout": result.stdout, "stderr": result.stderr, "log": log.read_text()}
    for folder in ("halopsa", "ninjaone", "pax8", "m365"):
        texts[folder] = (inputs / folder / "pull-manifest.json").read_text()
    for where, text in texts.items():
        for secret in secrets:
            assert secret not in text, f"{secret} leaked into {where}"
    assert "[redacted]" in result.stderr


def test_dry_run_lists_requests_checks_credentials_and_touches_nothing(workspace, api):
    inputs, config = workspace
    result = cli("pull", "connectwise", "m365", "--inputs", str(inputs), "--config", str(config), "--dry-run",
                 env=SECRETS)
    assert result.returncode == 0, result.stderr
    assert f"GET {api.url}/cw/v4_6_release/apis/3.0/company/configurations (page/pageSize=1000)" in result.stdout
    assert f"m365 {TENANT}: would write to {inputs / 'm365' / TENANT}" in result.stdout
    assert api.requests == [] and not (inputs / "connectwise").exists()
    missing = cli("pull", "pax8", "--inputs", str(inputs), "--config", str(config), "--dry-run",
                  env={k: "" for k in SECRETS})
    assert missing.returncode == 2
    assert "pax8: missing credential: set VCIO_PAX8_CLIENT_ID, VCIO_PAX8_CLIENT_SECRET" in missing.stderr
