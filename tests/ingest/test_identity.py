"""Client identity across files: the roster decides, normalised-name guesses are reported,
M365 rows go by their UPN's domain, folders are the fallback, unknown names are rejected
with suggestions, and without a roster the PSA's companies define the clients."""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest import IngestOptions, ingest_folder

from .conftest import AS_OF, FIXTURES, check_accounting

ACME, CEDAR, GRANITE = "Acme Dental", "Cedar & Finch LLP", "Granite Ridge Manufacturing"
M365_HEADER = "Display name,User principal name,Object Id,Block credential,Licenses,When created"


def put(root: Path, relative: str, text: str, encoding: str = "utf-8") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.lstrip("\n").encode(encoding))
    return path


def roster(root: Path, relative: str = "clients.csv") -> None:
    put(root, relative, (FIXTURES / "clients.csv").read_text(encoding="utf-8"))


def ingest(root: Path, **options):
    result = ingest_folder(root, IngestOptions(as_of=AS_OF, **options))
    check_accounting(result)
    return result


def clients_by_line(result, entity: str) -> dict[int, str]:
    return {int(r["_src"].rsplit(":", 1)[1]): r["client"] for r in result.records.get(entity, [])}


def report(result, path: str):
    return next(f for f in result.files if f.path == path)


def test_the_roster_is_read_first_whatever_its_place_in_the_folder(tmp_path):
    put(tmp_path, "aaa/devices.csv", """
client,hostname,device_type,os
Cedar and Finch,CF-01,laptop,Windows 11
AcmeDental,ACME-01,desktop,Windows 11
""")
    roster(tmp_path, "zzz/roster/clients.csv")
    result = ingest(tmp_path)
    assert clients_by_line(result, "device") == {2: CEDAR, 3: ACME}  # an alias, a PSA id
    assert report(result, "aaa/devices.csv").warnings == []
    assert result.clients == [ACME, CEDAR, GRANITE]


def test_exact_spellings_are_silent_and_every_guess_is_reported_with_its_count(tmp_path):
    roster(tmp_path)
    put(tmp_path, "psa/devices.csv", """
client,hostname,device_type,os
ACME DENTAL,A-1,desktop,Windows 11
"Acme Dental, Inc.",A-2,desktop,Windows 11
"Acme Dental, Inc.",A-3,desktop,Windows 11
Acme Dental - Main,A-4,desktop,Windows 11
"Cedar & Finch, LLP",C-1,laptop,Windows 11
Cedar and Finch,C-2,laptop,Windows 11
Granite Ridge Manufacturing Inc.,G-1,server,Windows Server 2022
""")
    result = ingest(tmp_path)
    assert clients_by_line(result, "device") == {2: ACME, 3: ACME, 4: ACME, 5: ACME, 6: CEDAR, 7: CEDAR, 8: GRANITE}
    hint = "add it to the roster's aliases to confirm"
    assert report(result, "psa/devices.csv").warnings == [
        f"client 'Acme Dental - Main' matched to roster client 'Acme Dental' by site suffix removed (1 rows): {hint}",
        f"client 'Acme Dental, Inc.' matched to roster client 'Acme Dental' by normalised name (2 rows): {hint}",
        f"client 'Cedar & Finch, LLP' matched to roster client 'Cedar & Finch LLP' by normalised name (1 rows): {hint}",
        f"client 'Granite Ridge Manufacturing Inc.' matched to roster client 'Granite Ridge Manufacturing' "
        f"by normalised name (1 rows): {hint}",
    ]


def test_m365_rows_resolve_by_upn_domain_including_guests_and_the_onmicrosoft_domain(tmp_path):
    roster(tmp_path)
    put(tmp_path, "exports/users.csv", f"""
{M365_HEADER}
Ann,ann@acmedental.com,1,False,Unlicensed,2024-01-01 00:00:00Z
Guest,bob_partner.com#EXT#@acmedental.onmicrosoft.com,2,False,Unlicensed,2024-01-01 00:00:00Z
Admin,admin@cedarfinchllp.onmicrosoft.com,3,False,Unlicensed,2024-01-01 00:00:00Z
Upper,CAROL@GRANITERIDGEMFG.COM,4,False,Unlicensed,2024-01-01 00:00:00Z
Sub,ops@mail.graniteridgemfg.com,5,False,Unlicensed,2024-01-01 00:00:00Z
Stranger,x@elsewhere.example,6,False,Unlicensed,2024-01-01 00:00:00Z
Guest of a stranger,y_acmedental.com#EXT#@elsewhere.onmicrosoft.com,7,False,Unlicensed,2024-01-01 00:00:00Z
""")
    result = ingest(tmp_path)
    assert clients_by_line(result, "user") == {2: ACME, 3: ACME, 4: CEDAR, 5: GRANITE, 6: GRANITE}
    assert report(result, "exports/users.csv").warnings == []  # domains are roster data, not guesses
    rejects = sorted((r.line, r.column, r.value, r.reason) for r in result.rejects)
    assert rejects == [
        (7, "User principal name", "x@elsewhere.example", "unknown client: elsewhere.example"),
        # the guest's home domain before #EXT# does not count: the tenant's domain does
        (8, "User principal name", "y_acmedental.com#EXT#@elsewhere.onmicrosoft.com",
         "unknown client: elsewhere.onmicrosoft.com"),
    ]
    assert result.unknown_clients == {"elsewhere.example": 1, "elsewhere.onmicrosoft.com": 1}


def test_the_reject_names_the_upn_column_the_file_really_has(tmp_path):
    roster(tmp_path)
    put(tmp_path, "entra/users.csv", """
userPrincipalName,displayName,accountEnabled,userType,createdDateTime
x@elsewhere.example,X,True,Member,8/19/2021 1:25:31 PM
""")
    result = ingest(tmp_path)
    [reject] = result.rejects
    assert (reject.column, reject.value, reject.reason) == ("userPrincipalName", "x@elsewhere.example",
                                                            "unknown client: elsewhere.example")


def test_the_reject_names_the_client_column_the_file_really_has(tmp_path):
    roster(tmp_path)
    # Pax8 export with the external id instead of the company name
    put(tmp_path, "pax8/subs.csv", """
companyExternalId,productName,quantity,billingTerm,partnerCost
AcmeDental,Microsoft 365 Business Premium,5,Monthly,18.48
NoSuchId,Microsoft 365 Business Premium,5,Monthly,18.48
""")
    result = ingest(tmp_path)
    assert clients_by_line(result, "subscription") == {2: ACME}
    [reject] = result.rejects
    assert (reject.line, reject.column, reject.value, reject.reason) == (3, "companyExternalId", "NoSuchId",
                                                                         "unknown client: NoSuchId")


def test_folder_named_after_a_tenant_domain_is_the_fallback_for_m365_files(tmp_path):
    roster(tmp_path)
    put(tmp_path, "m365/cedarfinch.com/users.csv", f"""
{M365_HEADER}
Vanity,v@cedarfinch.law,1,False,Unlicensed,2024-01-01 00:00:00Z
Known,k@acmedental.com,2,False,Unlicensed,2024-01-01 00:00:00Z
""")
    result = ingest(tmp_path)
    # an unlisted domain falls back to the folder; a listed domain keeps its own client
    assert clients_by_line(result, "user") == {2: CEDAR, 3: ACME}
    assert report(result, "m365/cedarfinch.com/users.csv").warnings == []


def test_folder_named_after_a_client_is_the_fallback_for_rows_without_a_client(tmp_path):
    roster(tmp_path)
    put(tmp_path, "Acme Dental, Inc/devices.csv", """
client,hostname,device_type,os
,A-1,desktop,Windows 11
Cedar and Finch,C-1,laptop,Windows 11
""")
    result = ingest(tmp_path)
    assert clients_by_line(result, "device") == {2: ACME, 3: CEDAR}
    warnings = report(result, "Acme Dental, Inc/devices.csv").warnings
    assert warnings == ["client 'Acme Dental, Inc' matched to roster client 'Acme Dental' by folder name "
                        "'Acme Dental, Inc' (1 rows): add it to the roster's aliases to confirm"]


def test_rows_without_any_client_clue_are_rejected(tmp_path):
    roster(tmp_path)
    put(tmp_path, "misc/devices.csv", """
client,hostname,device_type,os
,A-1,desktop,Windows 11
""")
    result = ingest(tmp_path)
    [reject] = result.rejects
    assert (reject.line, reject.column, reject.value, reject.reason) == (2, "client", "", "unknown client: (none)")
    assert result.unknown_clients == {"(none)": 1}


def test_concealed_upns_outside_a_tenant_folder_are_not_taken_for_client_names(tmp_path):
    roster(tmp_path)
    activity = FIXTURES / "m365_active_user_detail_concealed" / "m365" / "cedarfinch.com" / "ActiveUserDetail.csv"
    (tmp_path / "usage").mkdir()
    (tmp_path / "usage" / "ActiveUserDetail.csv").write_bytes(activity.read_bytes())
    result = ingest(tmp_path)
    assert result.unknown_clients == {"(none)": 2}  # not two "clients" named after hashes
    assert {r.reason for r in result.rejects} == {"unknown client: (none)"}
    assert {r.column for r in result.rejects} == {"User Principal Name"}
    assert any("concealed" in w for w in report(result, "usage/ActiveUserDetail.csv").warnings)


def test_unknown_clients_are_rejected_counted_across_files_and_get_suggestions(tmp_path):
    roster(tmp_path)
    put(tmp_path, "a.csv", """
client,hostname,device_type,os
Acme Dentistry Group,A-1,desktop,Windows 11
Acme Dentistry Group,A-2,desktop,Windows 11
Zebra Vet Clinic,Z-1,desktop,Windows 11
""")
    put(tmp_path, "b.csv", """
client,product,quantity,billing_term
Acme Dentistry Group,Microsoft 365 Business Basic,3,monthly
""")
    result = ingest(tmp_path)
    assert result.records.get("device", []) == [] and result.records.get("subscription", []) == []
    assert {(r.file, r.line, r.column, r.value, r.reason) for r in result.rejects} == {
        ("a.csv", 2, "client", "Acme Dentistry Group", "unknown client: Acme Dentistry Group"),
        ("a.csv", 3, "client", "Acme Dentistry Group", "unknown client: Acme Dentistry Group"),
        ("a.csv", 4, "client", "Zebra Vet Clinic", "unknown client: Zebra Vet Clinic"),
        ("b.csv", 2, "client", "Acme Dentistry Group", "unknown client: Acme Dentistry Group"),
    }
    assert result.unknown_clients == {"Acme Dentistry Group": 3, "Zebra Vet Clinic": 1}
    assert result.suggestions["Acme Dentistry Group"][0] == ACME
    assert set(result.suggestions) == {"Acme Dentistry Group", "Zebra Vet Clinic"}
    assert all(name in result.clients for names in result.suggestions.values() for name in names)


def test_without_a_roster_the_psa_companies_define_the_clients(tmp_path):
    # Pax8 ("pax8/") and the RMM export sort around the PSA; the PSA's names still win.
    put(tmp_path, "pax8/subscriptions.csv", """
companyName,productName,quantity,billingTerm,partnerCost
ACME DENTAL,Microsoft 365 Business Premium,16,Monthly,18.48
"Cedar & Finch, LLP",Microsoft 365 Business Premium,75,Annual,18.70
""")
    put(tmp_path, "psa/cw_configurations.csv", """
id,name,type.name,company.identifier,company.name,serialNumber,warrantyExpirationDate
1,ACME-FD-01,Workstation,AcmeDental,"Acme Dental, Inc.",7XK2M93,2024-10-18T00:00:00Z
2,CF-FW01,Firewall,CedarFinch,Cedar and Finch,2CB8ED5678CD,2026-01-15T00:00:00Z
""")
    put(tmp_path, "rmm/DeviceDetailsExport.csv", """
Device Hostname,Site Name,Operating System,Security
ACME-FD-01,Acme Dental, Inc. - Main,Windows 11,Defender: running
CF-LAW-01,Cedar & Finch,Windows 11,Defender: running
""".replace("Acme Dental, Inc. - Main", '"Acme Dental, Inc. - Main"'))
    result = ingest(tmp_path)
    assert result.clients == ["Acme Dental, Inc.", "Cedar and Finch"]
    assert sorted((r["_src"], r["client"]) for r in result.records["subscription"]) == [
        ("pax8/subscriptions.csv:2", "Acme Dental, Inc."), ("pax8/subscriptions.csv:3", "Cedar and Finch")]
    assert sorted((r["_src"], r["client"]) for r in result.records["device"]) == [
        ("psa/cw_configurations.csv:2", "Acme Dental, Inc."), ("psa/cw_configurations.csv:3", "Cedar and Finch"),
        ("rmm/DeviceDetailsExport.csv:2", "Acme Dental, Inc."), ("rmm/DeviceDetailsExport.csv:3", "Cedar and Finch")]
    assert report(result, "psa/cw_configurations.csv").warnings == []
    # the other tools' spellings are guesses, reported like with a roster
    assert len(report(result, "pax8/subscriptions.csv").warnings) == 2
    assert len(report(result, "rmm/DeviceDetailsExport.csv").warnings) == 2
    assert result.unknown_clients == {}


def test_without_a_roster_m365_files_cannot_be_placed(tmp_path):
    """No roster means no tenant domains: M365 rows are rejected, and say which domain is missing."""
    put(tmp_path, "psa/cw_configurations.csv", """
id,name,company.identifier,company.name,serialNumber,warrantyExpirationDate
1,ACME-FD-01,AcmeDental,Acme Dental,7XK2M93,2024-10-18T00:00:00Z
""")
    put(tmp_path, "exports/users.csv", f"""
{M365_HEADER}
Ann,ann@acmedental.com,1,False,Unlicensed,2024-01-01 00:00:00Z
""")
    result = ingest(tmp_path)
    assert result.clients == ["Acme Dental"]
    assert result.unknown_clients == {"acmedental.com": 1}
    assert result.suggestions == {"acmedental.com": [ACME]}
