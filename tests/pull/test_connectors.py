"""Each connector against a fake shaped like its vendor's documentation: the CSV it writes (exact rows), how it
pages, how it authenticates, and that its file is read by the profile it was written for."""

from __future__ import annotations

import base64
import csv
import io
import json
import stat

from pipeline.ingest import IngestOptions, ingest_folder
from pipeline.errors import ExitStatus

from .world import ACME, CW_ROOT, GRANITE, MFA_PATH, REPORT, REPORT_PATH, SECRETS, TENANT, TOKENS

from datetime import date


def rows(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_connectwise_configurations_and_agreements_with_additions(pull, api, workspace, monkeypatch):
    monkeypatch.setattr("pipeline.pull.connectwise.PAGE_SIZE", 2)  # three configurations: two pages
    outcome = pull("connectwise")
    assert outcome.status == ExitStatus.OK
    folder = workspace[0] / "connectwise"
    configurations = rows(folder / "configurations.csv")
    assert [r["name"] for r in configurations] == ["ACME-SRV-01", "ACME-WS-01", "GR-FW-01"]
    assert configurations[0] == {
        "id": "11", "name": "ACME-SRV-01", "type.name": "Server", "status.name": "Active",
        "company.identifier": "AcmeDental", "company.name": ACME, "serialNumber": "JX9K2M3",
        "modelNumber": "PowerEdge T340", "purchaseDate": "2019-03-01T00:00:00Z",
        "installationDate": "2019-03-15T00:00:00Z", "warrantyExpirationDate": "2025-03-01T00:00:00Z",
        "osType": "Windows Server 2019 Standard", "osInfo": "17763", "manufacturer.name": "Dell",
        "vendor.name": "Dell", "activeFlag": "True"}
    assert configurations[2]["company.name"] == GRANITE  # the reference had no name: joined from the companies
    assert [r.query["page"] for r in api.hits("GET", f"{CW_ROOT}/company/configurations")] == [["1"], ["2"]]
    agreements = rows(folder / "agreements.csv")
    assert agreements == [{
        "id": "501", "name": "Acme Dental - Managed Services", "type.name": "Managed Services",
        "company.identifier": "AcmeDental", "company.name": ACME, "startDate": "2025-01-01T00:00:00Z",
        "endDate": "2026-12-31T00:00:00Z", "noEndingDateFlag": "False", "cancelledFlag": "False",
        "billAmount": "1450", "agreementStatus": "Active", "additionsCount": "2",
        "additionsBillableExtPrice": "220"}]
    request = api.hits("GET", f"{CW_ROOT}/company/companies")[0]
    expected = base64.b64encode(b"yourmsp+cwpub-Q7Z1:cwpriv-S3CRET-8842").decode()
    assert request.headers["authorization"] == f"Basic {expected}"
    assert request.headers["clientid"] == "cwclient-5d1f"
    result = ingest_folder(workspace[0], IngestOptions(as_of=date(2026, 11, 20)))
    formats = {f.path: (f.format, f.accepted, f.rejected) for f in result.files}
    assert formats["connectwise/configurations.csv"] == ("cw_manage_configurations", 3, 0)
    assert formats["connectwise/agreements.csv"] == ("cw_manage_agreements", 1, 0)


def test_autotask_follows_next_page_urls_and_names_companies(pull, api, workspace):
    assert pull("autotask").status == ExitStatus.OK
    folder = workspace[0] / "autotask"
    items = rows(folder / "configuration_items.csv")
    assert [(r["referenceTitle"], r["companyID"], r["companyName"]) for r in items] == [
        ("GR-SRV-01", "29684", GRANITE), ("GR-WS-07", "29684", GRANITE)]
    assert rows(folder / "contracts.csv") == [{
        "id": "88", "companyID": "29684", "companyName": GRANITE, "contractName": "Granite Ridge - Managed Services",
        "contractType": "7", "startDate": "2025-07-01T00:00:00", "endDate": "2027-06-30T00:00:00", "status": "1"}]
    query = api.hits("POST", "/at/atservicesrest/v1.0/ConfigurationItems/query")[0]
    assert query.json() == {"filter": [{"op": "gte", "field": "id", "value": 0}], "MaxRecords": 500}
    assert (query.headers["apiintegrationcode"], query.headers["username"], query.headers["secret"]) == (
        "ATCODE-S3CRET-77", "api@yourmsp.example", "atsecret-S3CRET-1193")
    assert len(api.hits("GET", "/at/atservicesrest/v1.0/ConfigurationItems/query/next")) == 1
    result = ingest_folder(workspace[0], IngestOptions(as_of=date(2026, 11, 20)))
    devices = [r for r in result.records["device"] if r["_src"].startswith("autotask/")]
    assert {(d["hostname"], d["client"]) for d in devices} == {("GR-SRV-01", GRANITE), ("GR-WS-07", GRANITE)}
    assert [r["client"] for r in result.records["contract"]] == [GRANITE]


def test_halopsa_pages_assets_and_fills_client_names(pull, api, workspace, monkeypatch):
    monkeypatch.setattr("pipeline.pull.halopsa.PAGE_SIZE", 1)
    assert pull("halopsa").status == ExitStatus.OK
    assets = rows(workspace[0] / "halopsa" / "assets.csv")
    assert [(a["key_field"], a["client_name"], a["assettype_name"], a["warranty_end"]) for a in assets] == [
        ("ACME-NAS-01", ACME, "NAS", "2027-05-01T00:00:00"), ("ACME-PRN-01", ACME, "Printer", "")]
    assert [r.query["page_no"] for r in api.hits("GET", "/halo/api/Asset")] == [["1"], ["2"]]
    token = api.hits("POST", "/halo/auth/token")[0].body.decode()
    assert "grant_type=client_credentials" in token and "scope=read%3Acustomers+read%3Aassets" in token
    assert api.hits("GET", "/halo/api/Asset")[0].headers["authorization"] == f"Bearer {TOKENS[0]}"


def test_ninjaone_devices_with_os_and_system_details(pull, api, workspace, monkeypatch):
    monkeypatch.setattr("pipeline.pull.ninjaone.PAGE_SIZE", 1)
    assert pull("ninjaone").status == ExitStatus.OK
    devices = rows(workspace[0] / "ninjaone" / "devices.csv")
    assert devices[0] == {
        "id": "416", "systemName": "GR-SRV-01", "dnsName": "gr-srv-01.graniteridge.local", "displayName": "",
        "nodeClass": "WINDOWS_SERVER", "organizationId": "2", "organizationName": GRANITE, "offline": "False",
        "lastContact": "1795420800.5", "created": "1727654400", "os.name": "Windows Server 2022 Standard",
        "os.buildNumber": "20348", "os.releaseId": "21H2", "os.manufacturer": "Microsoft Corporation",
        "system.manufacturer": "Dell Inc.", "system.model": "PowerEdge R650", "system.serialNumber": "HX2Y7K3",
        "system.biosSerialNumber": "HX2Y7K3"}
    assert [r.query.get("after") for r in api.hits("GET", "/ninja/v2/devices-detailed")] == [None, ["416"], ["418"]]
    assert "scope=monitoring" in api.hits("POST", "/ninja/ws/oauth/token")[0].body.decode()


def test_datto_rmm_devices_with_audit_and_the_documented_rate_limit(pull, api, workspace):
    assert pull("datto-rmm").status == ExitStatus.OK
    devices = rows(workspace[0] / "datto-rmm" / "devices.csv")
    assert [(d["hostname"], d["bios.serialNumber"], d["systemInfo.model"], d["antivirus.antivirusStatus"])
            for d in devices] == [("ACME-WS-01", "5CG1234XYZ", "HP EliteDesk 800 G6", "RunningAndUpToDate"),
                                  ("ACME-SRV-01", "JX9K2M3", "PowerEdge T340", "NotDetected")]
    token = api.hits("POST", "/datto/auth/oauth/token")[0]
    assert token.headers["authorization"] == "Basic " + base64.b64encode(b"public-client:public").decode()
    assert "grant_type=password" in token.body.decode()
    manifest = json.loads((workspace[0] / "datto-rmm" / "pull-manifest.json").read_text())
    assert manifest["units"][0]["warnings"] == ["1 deleted devices left out"]
    assert manifest["units"][0]["counts"] == {"sites": 2, "devices": 3, "device audits": 2}


def test_pax8_subscriptions_joined_with_products_and_commitments(pull, api, workspace):
    assert pull("pax8").status == ExitStatus.OK
    subscriptions = rows(workspace[0] / "pax8" / "subscriptions.csv")
    assert subscriptions[0] == {
        "id": "s-1", "companyId": "c-acme", "companyName": ACME, "companyExternalId": "AcmeDental",
        "productId": "p-bp", "productName": "Microsoft 365 Business Premium", "vendorName": "Microsoft",
        "quantity": "12", "billingTerm": "Monthly", "commitmentTerm.term": "1-Year",
        "commitmentTerm.endDate": "2026-11-30T00:00:00Z", "startDate": "2025-12-01T00:00:00Z", "endDate": "",
        "price": "22", "partnerCost": "19.8", "currencyCode": "USD", "status": "Active"}
    assert api.hits("GET", "/pax8/v1/products/p-bp") and api.hits("GET", "/pax8/v1/products/p-basic")
    assert json.loads(api.hits("POST", "/pax8/v1/token")[0].body) == {
        "client_id": "pax8-client-1", "client_secret": "pax8secret-S3CRET-5523", "audience": "https://api.pax8.com",
        "grant_type": "client_credentials"}
    result = ingest_folder(workspace[0], IngestOptions(as_of=date(2026, 11, 20)))
    subs = sorted(result.records["subscription"], key=lambda s: s["client"])
    assert [(s["client"], s["product"], s["commitment_end"], s["partner_cost"]) for s in subs] == [
        (ACME, "Microsoft 365 Business Premium", date(2026, 11, 30), 19.8),
        (GRANITE, "Microsoft 365 Business Basic", date(2027, 2, 28), 5.4)]


def test_m365_tenant_users_licences_report_and_mfa(pull, api, workspace):
    assert pull("m365").status == ExitStatus.OK
    folder = workspace[0] / "m365" / TENANT
    users = rows(folder / "users.csv")
    assert users == [
        {"Display name": "Dana Whitfield", "User principal name": "dana@acmedental.com", "Object Id": "u-1",
         "Block credential": "False", "Licenses": "Microsoft 365 Business Premium",
         "When created": "2022-03-18T19:49:35Z", "Department": "Front desk", "Title": "Office manager"},
        {"Display name": "Lee Former", "User principal name": "lee@acmedental.com", "Object Id": "u-2",
         "Block credential": "True", "Licenses": "Microsoft 365 Business Premium",
         "When created": "2021-01-04T09:00:00Z", "Department": "", "Title": ""},
        {"Display name": "Scanner", "User principal name": "scanner@acmedental.com", "Object Id": "u-3",
         "Block credential": "False", "Licenses": "Unlicensed", "When created": "2023-05-02T10:00:00Z",
         "Department": "", "Title": ""}]
    assert (folder / "active_user_detail.csv").read_bytes() == REPORT  # the report kept byte for byte
    download = api.hits("GET", "/download/report.csv")[0]
    assert "authorization" not in download.headers  # the redirect target never sees our token
    assert api.hits("GET", REPORT_PATH)[0].headers["authorization"] == f"Bearer {TOKENS[4]}"
    assert [r["methodsRegistered"] for r in rows(folder / "mfa_registration.csv")] == [
        "microsoftAuthenticatorPush;mobilePhone", ""]
    token = api.hits("POST", f"/login/{TENANT}/oauth2/v2.0/token")[0].body.decode()
    assert f"scope={api.url.replace(':', '%3A').replace('/', '%2F')}%2Fgraph%2F.default" in token
    result = ingest_folder(workspace[0], IngestOptions(as_of=date(2026, 11, 20)))
    formats = {f.path: (f.format, f.accepted, f.rejected) for f in result.files}
    assert formats == {
        "clients.csv": ("vcio_clients", 2, 0),
        f"m365/{TENANT}/users.csv": ("m365_export_users", 3, 0),
        f"m365/{TENANT}/active_user_detail.csv": ("m365_active_user_detail", 2, 0),
        f"m365/{TENANT}/mfa_registration.csv": ("m365_mfa_registration", 2, 0),
        f"m365/{TENANT}/subscribed_skus.csv": ("m365_subscribed_skus", 1, 0)}
    assert {u["client"] for u in result.records["user"]} == {ACME}


def test_files_and_manifest_are_owner_only_and_say_what_was_pulled(pull, workspace):
    assert pull("pax8").status == ExitStatus.OK
    folder = workspace[0] / "pax8"
    for path in (folder / "subscriptions.csv", folder / "pull-manifest.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    manifest = json.loads((folder / "pull-manifest.json").read_text())
    assert (manifest["schema"], manifest["tool"], manifest["api_version"], manifest["status"]) == (1, "pax8", "v1", "ok")
    unit = manifest["units"][0]
    assert [(f["path"], f["profile"], f["rows"]) for f in unit["files"]] == [
        ("subscriptions.csv", "pax8_subscriptions", 2)]
    assert unit["counts"] == {"companies": 2, "subscriptions": 2, "products looked up": 2}
    assert unit["files"][0]["pulled_at"].endswith("+00:00")
    assert not [p for p in folder.iterdir() if ".tmp-" in p.name]
