"""Two clients (Acme Dental, Granite Ridge Manufacturing) as each vendor's API would show them: the JSON shapes,
field names and paging schemes follow the documentation named in docs/FORMATS.md."""

from __future__ import annotations

from pathlib import Path

from .fakes import FakeAPI, Reply, Request

SECRETS = {
    "VCIO_CONNECTWISE_COMPANY_ID": "yourmsp", "VCIO_CONNECTWISE_PUBLIC_KEY": "cwpub-Q7Z1",
    "VCIO_CONNECTWISE_PRIVATE_KEY": "cwpriv-S3CRET-8842", "VCIO_CONNECTWISE_CLIENT_ID": "cwclient-5d1f",
    "VCIO_AUTOTASK_USERNAME": "api@yourmsp.example", "VCIO_AUTOTASK_SECRET": "atsecret-S3CRET-1193",
    "VCIO_AUTOTASK_INTEGRATION_CODE": "ATCODE-S3CRET-77",
    "VCIO_HALOPSA_CLIENT_ID": "halo-client-1", "VCIO_HALOPSA_CLIENT_SECRET": "halosecret-S3CRET-2210",
    "VCIO_NINJAONE_CLIENT_ID": "ninja-client-1", "VCIO_NINJAONE_CLIENT_SECRET": "ninjasecret-S3CRET-3301",
    "VCIO_DATTO_RMM_API_KEY": "datto-key-1", "VCIO_DATTO_RMM_API_SECRET": "dattosecret-S3CRET-4412",
    "VCIO_PAX8_CLIENT_ID": "pax8-client-1", "VCIO_PAX8_CLIENT_SECRET": "pax8secret-S3CRET-5523",
    "VCIO_M365_CLIENT_ID": "m365-app-1", "VCIO_M365_CLIENT_SECRET": "m365secret-S3CRET-6634",
}
TOKENS = ("halo-token-S3CRET", "ninja-token-S3CRET", "datto-token-S3CRET", "pax8-token-S3CRET", "graph-token-S3CRET")
ACME, GRANITE = "Acme Dental", "Granite Ridge Manufacturing"
TENANT = "acmedental.com"

ROSTER = ("name,aliases,domains,psa_id,tier,vcio,fiscal_year_start,cadence\r\n"
          f"{ACME},,{TENANT},,gold,Sam,1,quarterly\r\n{GRANITE},,graniteridge.com,,silver,Sam,1,quarterly\r\n")


def config(api: FakeAPI) -> str:
    return f"""
[pull.connectwise]
base_url = "{api.url}/cw"
[pull.autotask]
base_url = "{api.url}/at/atservicesrest"
[pull.halopsa]
base_url = "{api.url}/halo"
[pull.ninjaone]
base_url = "{api.url}/ninja"
[pull.datto_rmm]
base_url = "{api.url}/datto"
[pull.pax8]
base_url = "{api.url}/pax8/v1"
token_url = "{api.url}/pax8/v1/token"
[pull.m365]
tenants = ["{TENANT}"]
authority = "{api.url}/login"
graph_url = "{api.url}/graph"
"""


def write_workspace(root: Path, api: FakeAPI) -> tuple[Path, Path]:
    """(inputs folder with a roster, vcio.toml beside it)."""
    inputs = root / "inputs"
    inputs.mkdir(parents=True)
    (inputs / "clients.csv").write_text(ROSTER, encoding="utf-8", newline="")
    config_path = root / "vcio.toml"
    config_path.write_text(config(api), encoding="utf-8")
    return inputs, config_path


def _page_of(records: list, page: int, size: int) -> list:
    return records[(page - 1) * size: page * size]


# --- ConnectWise Manage: page/pageSize, a plain JSON array per page ---------------------------------------------
CW_ROOT = "/cw/v4_6_release/apis/3.0"
CW_COMPANIES = [{"id": 1, "identifier": "AcmeDental", "name": ACME},
                {"id": 2, "identifier": "GraniteRidge", "name": GRANITE}]
CW_CONFIGURATIONS = [
    {"id": 11, "name": "ACME-SRV-01", "type": {"id": 3, "name": "Server"}, "status": {"id": 1, "name": "Active"},
     "company": {"id": 1, "identifier": "AcmeDental", "name": ACME}, "serialNumber": "JX9K2M3",
     "modelNumber": "PowerEdge T340", "purchaseDate": "2019-03-01T00:00:00Z",
     "installationDate": "2019-03-15T00:00:00Z", "warrantyExpirationDate": "2025-03-01T00:00:00Z",
     "osType": "Windows Server 2019 Standard", "osInfo": "17763", "manufacturer": {"id": 4, "name": "Dell"},
     "vendor": {"id": 9, "name": "Dell"}, "activeFlag": True},
    {"id": 12, "name": "ACME-WS-01", "type": {"id": 1, "name": "Workstation"}, "status": {"id": 1, "name": "Active"},
     "company": {"id": 1, "identifier": "AcmeDental", "name": ACME}, "serialNumber": "5CG1234XYZ",
     "modelNumber": "EliteDesk 800 G6", "purchaseDate": "2021-06-01T00:00:00Z",
     "warrantyExpirationDate": "2026-06-01T00:00:00Z", "osType": "Windows 10 Pro", "osInfo": "19045",
     "manufacturer": {"id": 5, "name": "HP"}, "activeFlag": True},
    {"id": 13, "name": "GR-FW-01", "type": {"id": 7, "name": "Firewall"}, "status": {"id": 1, "name": "Active"},
     "company": {"id": 2, "identifier": "GraniteRidge"}, "serialNumber": "2CB8ED1234AB",
     "warrantyExpirationDate": "2027-01-31T00:00:00Z", "manufacturer": {"id": 8, "name": "SonicWall"},
     "activeFlag": True},
]
CW_AGREEMENTS = [
    {"id": 501, "name": "Acme Dental - Managed Services", "type": {"id": 2, "name": "Managed Services"},
     "company": {"id": 1, "identifier": "AcmeDental", "name": ACME}, "startDate": "2025-01-01T00:00:00Z",
     "endDate": "2026-12-31T00:00:00Z", "noEndingDateFlag": False, "cancelledFlag": False, "billAmount": 1450.0,
     "agreementStatus": "Active"},
]
CW_ADDITIONS = [
    {"id": 1, "product": {"id": 77, "identifier": "M365-BP"}, "quantity": 10, "unitPrice": 22.0, "extPrice": 220.0,
     "billCustomer": "Billable", "effectiveDate": "2025-01-01T00:00:00Z", "agreementId": 501},
    {"id": 2, "product": {"id": 78, "identifier": "BACKUP-10"}, "quantity": 1, "unitPrice": 50.0, "extPrice": 50.0,
     "billCustomer": "Billable", "effectiveDate": "2025-01-01T00:00:00Z", "cancelledDate": "2025-06-01T00:00:00Z",
     "agreementId": 501},
]


def cw_list(records: list):
    def reply(request: Request) -> Reply:
        page, size = int(request.arg("page", "1")), int(request.arg("pageSize", "25"))
        return Reply(body=_page_of(records, page, size))
    return reply


def add_connectwise(api: FakeAPI) -> None:
    api.add("GET", f"{CW_ROOT}/company/companies", cw_list(CW_COMPANIES))
    api.add("GET", f"{CW_ROOT}/company/configurations", cw_list(CW_CONFIGURATIONS))
    api.add("GET", f"{CW_ROOT}/finance/agreements", cw_list(CW_AGREEMENTS))
    api.add("GET", f"{CW_ROOT}/finance/agreements/501/additions", cw_list(CW_ADDITIONS))


# --- Autotask: POST ENTITY/query, then GET pageDetails.nextPageUrl -----------------------------------------------
AT_ROOT = "/at/atservicesrest/v1.0"
AT_COMPANIES = [{"id": 29683, "companyName": ACME}, {"id": 29684, "companyName": GRANITE}]
AT_ITEMS = [
    {"id": 301, "companyID": 29684, "referenceTitle": "GR-SRV-01", "serialNumber": "HX2Y7K3",
     "installDate": "2024-09-30T00:00:00", "warrantyExpirationDate": "2029-09-30T00:00:00", "isActive": True,
     "rmmDeviceUID": "6f1c-99", "rmmDeviceAuditHostname": "GR-SRV-01",
     "rmmDeviceAuditOperatingSystem": "Microsoft Windows Server 2022 Standard", "rmmDeviceAuditMissingPatchCount": 4},
    {"id": 302, "companyID": 29684, "referenceTitle": "GR-WS-07", "serialNumber": "8CC1234ABC",
     "installDate": "2020-02-14T00:00:00", "warrantyExpirationDate": "2023-02-14T00:00:00", "isActive": True},
]
AT_CONTRACTS = [{"id": 88, "companyID": 29684, "contractName": "Granite Ridge - Managed Services", "contractType": 7,
                 "startDate": "2025-07-01T00:00:00", "endDate": "2027-06-30T00:00:00", "status": 1}]


def add_autotask(api: FakeAPI) -> None:
    def query(items: list, next_path: str | None):
        return lambda request: Reply(body={"items": items, "pageDetails": {
            "count": len(items), "requestCount": 500, "prevPageUrl": None,
            "nextPageUrl": f"{api.url}{next_path}?paging=eyJwYWdlIjoyfQ" if next_path else None}})
    api.add("POST", f"{AT_ROOT}/Companies/query", query(AT_COMPANIES, None))
    api.add("POST", f"{AT_ROOT}/ConfigurationItems/query", query(AT_ITEMS[:1], f"{AT_ROOT}/ConfigurationItems/query/next"))
    api.add("GET", f"{AT_ROOT}/ConfigurationItems/query/next", query(AT_ITEMS[1:], None))
    api.add("POST", f"{AT_ROOT}/Contracts/query", query(AT_CONTRACTS, None))


# --- HaloPSA: OAuth client credentials, pageinate/page_size/page_no with record_count ----------------------------
HALO_CLIENTS = [{"id": 12, "name": ACME}, {"id": 13, "name": GRANITE}]
HALO_ASSETS = [
    {"id": 501, "inventory_number": "ACME-0501", "key_field": "ACME-NAS-01", "key_field2": "2040ABC123",
     "client_id": 12, "client_name": ACME, "site_id": 40, "site_name": "Main", "assettype_id": 5,
     "assettype_name": "NAS", "inactive": False, "warranty_end": "2027-05-01T00:00:00"},
    {"id": 502, "inventory_number": "ACME-0502", "key_field": "ACME-PRN-01", "key_field2": "VNB3K12345",
     "client_id": 12, "site_id": 40, "site_name": "Main", "assettype_id": 9, "assettype_name": "Printer",
     "inactive": False},
]


def halo_pages(key: str, records: list):
    def reply(request: Request) -> Reply:
        page, size = int(request.arg("page_no", "1")), int(request.arg("page_size", "50"))
        return Reply(body={"page_no": page, "page_size": size, "record_count": len(records),
                           key: _page_of(records, page, size)})
    return reply


def add_halopsa(api: FakeAPI) -> None:
    api.add("POST", "/halo/auth/token", Reply(body={"access_token": TOKENS[0], "token_type": "Bearer",
                                                     "expires_in": 3600}))
    api.add("GET", "/halo/api/Client", halo_pages("clients", HALO_CLIENTS))
    api.add("GET", "/halo/api/Asset", halo_pages("assets", HALO_ASSETS))


# --- NinjaOne: OAuth client credentials (scope monitoring), pageSize + after -------------------------------------
NINJA_ORGS = [{"id": 1, "name": ACME}, {"id": 2, "name": GRANITE}]
NINJA_DEVICES = [
    {"id": 416, "organizationId": 2, "locationId": 3, "nodeClass": "WINDOWS_SERVER", "offline": False,
     "systemName": "GR-SRV-01", "dnsName": "gr-srv-01.graniteridge.local", "created": 1727654400.0,
     "lastContact": 1795420800.5, "os": {"manufacturer": "Microsoft Corporation",
                                         "name": "Windows Server 2022 Standard", "buildNumber": "20348",
                                         "releaseId": "21H2"},
     "system": {"manufacturer": "Dell Inc.", "model": "PowerEdge R650", "serialNumber": "HX2Y7K3",
                "biosSerialNumber": "HX2Y7K3"}},
    {"id": 418, "organizationId": 2, "locationId": 3, "nodeClass": "WINDOWS_WORKSTATION", "offline": True,
     "systemName": "GR-WS-07", "dnsName": "GR-WS-07.graniteridge.local", "created": 1682946141.0,
     "lastContact": 1790000000.0, "os": {"name": "Windows 10 Pro", "buildNumber": "19045"},
     "system": {"manufacturer": "HP", "model": "ProDesk 600 G5", "serialNumber": "8CC1234ABC"}},
]


def ninja_pages(records: list):
    def reply(request: Request) -> Reply:
        size, after = int(request.arg("pageSize", "50")), request.arg("after")
        start = 0 if after is None else next(i + 1 for i, r in enumerate(records) if str(r["id"]) == after)
        return Reply(body=records[start:start + size])
    return reply


def add_ninjaone(api: FakeAPI) -> None:
    api.add("POST", "/ninja/ws/oauth/token", Reply(body={"access_token": TOKENS[1], "token_type": "Bearer",
                                                          "expires_in": 3600, "scope": "monitoring"}))
    api.add("GET", "/ninja/v2/organizations", ninja_pages(NINJA_ORGS))
    api.add("GET", "/ninja/v2/devices-detailed", ninja_pages(NINJA_DEVICES))


# --- Datto RMM: password grant with the public client, max/page + pageDetails.nextPageUrl, audit per device -----
DATTO_SITES = [{"uid": "site-acme", "name": ACME}, {"uid": "site-deleted", "name": "Deleted Devices"}]
DATTO_DEVICES = [
    {"uid": "6f1c-01", "hostname": "ACME-WS-01", "siteName": ACME, "deviceClass": "device",
     "deviceType": {"category": "Desktop", "type": "Desktop"}, "operatingSystem": "Microsoft Windows 10 Pro 19045",
     "lastSeen": 1795420800000, "lastAuditDate": 1795420800000, "creationDate": 1682946141000, "online": True,
     "suspended": False, "deleted": False,
     "antivirus": {"antivirusProduct": "Windows Defender Antivirus", "antivirusStatus": "RunningAndUpToDate"},
     "patchManagement": {"patchStatus": "FullyPatched", "patchesApprovedPending": 0, "patchesInstalled": 152},
     "warrantyDate": "2026-06-01"},
    {"uid": "6f1c-02", "hostname": "ACME-SRV-01", "siteName": ACME, "deviceClass": "device",
     "deviceType": {"category": "Server", "type": "Server"},
     "operatingSystem": "Microsoft Windows Server 2019 Standard 17763", "lastSeen": 1795420800000,
     "creationDate": 1682946141000, "online": True, "deleted": False,
     "antivirus": {"antivirusStatus": "NotDetected"},
     "patchManagement": {"patchStatus": "RebootRequired", "patchesApprovedPending": 3, "patchesInstalled": 98}},
    {"uid": "6f1c-03", "hostname": "OLD-PC", "siteName": "Deleted Devices", "deviceClass": "device",
     "deleted": True, "antivirus": {}, "patchManagement": {}},
]
DATTO_AUDITS = {"6f1c-01": {"bios": {"serialNumber": "5CG1234XYZ"},
                            "systemInfo": {"manufacturer": "HP", "model": "HP EliteDesk 800 G6"}},
                "6f1c-02": {"bios": {"serialNumber": "JX9K2M3"},
                            "systemInfo": {"manufacturer": "Dell Inc.", "model": "PowerEdge T340"}}}


def add_datto(api: FakeAPI) -> None:
    api.add("POST", "/datto/auth/oauth/token", Reply(body={"access_token": TOKENS[2], "token_type": "bearer",
                                                            "expires_in": 359999}))

    def pages(key: str, records: list):
        def reply(request: Request) -> Reply:
            page = int(request.arg("page", "0"))
            last = page >= len(records) - 1
            return Reply(body={key: records[page:page + 1] if len(records) > 1 else records, "pageDetails": {
                "count": 1, "prevPageUrl": None,
                "nextPageUrl": None if last or len(records) <= 1 else
                f"{api.url}{request.path}?max=250&page={page + 1}"}})
        return reply
    api.add("GET", "/datto/api/v2/account/sites", pages("sites", DATTO_SITES))
    api.add("GET", "/datto/api/v2/account/devices", pages("devices", DATTO_DEVICES))
    for uid, audit in DATTO_AUDITS.items():
        api.add("GET", f"/datto/api/v2/audit/device/{uid}", Reply(body=audit))


# --- Pax8: OAuth client credentials (JSON, audience), page/size with a page block --------------------------------
PAX8_COMPANIES = [{"id": "c-acme", "name": ACME, "externalId": "AcmeDental", "status": "Active"},
                  {"id": "c-granite", "name": GRANITE, "externalId": "GraniteRidge", "status": "Active"}]
PAX8_SUBSCRIPTIONS = [
    {"id": "s-1", "companyId": "c-acme", "productId": "p-bp", "quantity": 12, "startDate": "2025-12-01T00:00:00Z",
     "createdDate": "2025-11-20", "billingStart": "2025-12-01", "status": "Active", "price": 22.0,
     "partnerCost": 19.8, "currencyCode": "USD", "billingTerm": "Monthly",
     "commitmentTerm": {"id": "ct-1", "term": "1-Year", "endDate": "2026-11-30T00:00:00Z"}},
    {"id": "s-2", "companyId": "c-granite", "productId": "p-basic", "quantity": 5,
     "startDate": "2024-03-01T00:00:00Z", "createdDate": "2024-02-20", "billingStart": "2024-03-01",
     "status": "Active", "price": 6.0, "partnerCost": 5.4, "currencyCode": "USD", "billingTerm": "Annual",
     "productName": "Microsoft 365 Business Basic",
     "commitmentTerm": {"id": "ct-2", "term": "1-Year", "endDate": "2027-02-28T00:00:00Z"}},
]
PAX8_PRODUCTS = {"p-bp": {"id": "p-bp", "name": "Microsoft 365 Business Premium", "vendorName": "Microsoft"},
                 "p-basic": {"id": "p-basic", "name": "Microsoft 365 Business Basic", "vendorName": "Microsoft"}}


def add_pax8(api: FakeAPI) -> None:
    api.add("POST", "/pax8/v1/token", Reply(body={"access_token": TOKENS[3], "expires_in": 86400,
                                                   "token_type": "Bearer"}))

    def pages(records: list):
        def reply(request: Request) -> Reply:
            page = int(request.arg("page", "0"))
            return Reply(body={"content": records[page:page + 1], "page": {
                "size": 1, "totalElements": len(records), "totalPages": len(records), "number": page}})
        return reply
    api.add("GET", "/pax8/v1/companies", pages(PAX8_COMPANIES))
    api.add("GET", "/pax8/v1/subscriptions", pages(PAX8_SUBSCRIPTIONS))
    for product_id, product in PAX8_PRODUCTS.items():
        api.add("GET", f"/pax8/v1/products/{product_id}", Reply(body=product))


# --- Microsoft Graph: client credentials per tenant, @odata.nextLink, a report behind a redirect ----------------
SKUS = [{"skuId": "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", "skuPartNumber": "SPB", "capabilityStatus": "Enabled",
         "consumedUnits": 2, "prepaidUnits": {"enabled": 12, "suspended": 0, "warning": 0}}]
USERS = [
    {"id": "u-1", "displayName": "Dana Whitfield", "userPrincipalName": "dana@acmedental.com", "accountEnabled": True,
     "assignedLicenses": [{"skuId": "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", "disabledPlans": []}],
     "createdDateTime": "2022-03-18T19:49:35Z", "userType": "Member", "department": "Front desk",
     "jobTitle": "Office manager"},
    {"id": "u-2", "displayName": "Lee Former", "userPrincipalName": "lee@acmedental.com", "accountEnabled": False,
     "assignedLicenses": [{"skuId": "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", "disabledPlans": []}],
     "createdDateTime": "2021-01-04T09:00:00Z", "userType": "Member"},
    {"id": "u-3", "displayName": "Scanner", "userPrincipalName": "scanner@acmedental.com", "accountEnabled": True,
     "assignedLicenses": [], "createdDateTime": "2023-05-02T10:00:00Z", "userType": "Member"},
]
REPORT = ("\ufeffReport Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,Has Exchange License,"
          "Has OneDrive License,Has SharePoint License,Has Skype For Business License,Has Yammer License,"
          "Has Teams License,Exchange Last Activity Date,OneDrive Last Activity Date,SharePoint Last Activity Date,"
          "Skype For Business Last Activity Date,Yammer Last Activity Date,Teams Last Activity Date,"
          "Exchange License Assign Date,OneDrive License Assign Date,SharePoint License Assign Date,"
          "Skype For Business License Assign Date,Yammer License Assign Date,Teams License Assign Date,"
          "Assigned Products\r\n"
          "2026-11-18,dana@acmedental.com,Dana Whitfield,False,,True,True,True,False,False,True,2026-11-17,"
          "2026-11-16,2026-11-10,,,2026-11-17,2022-03-18,2022-03-18,2022-03-18,,,2022-03-18,"
          "MICROSOFT 365 BUSINESS PREMIUM\r\n"
          "2026-11-18,lee@acmedental.com,Lee Former,False,,True,True,True,False,False,True,2025-01-10,,,,,,"
          "2021-01-04,2021-01-04,2021-01-04,,,2021-01-04,MICROSOFT 365 BUSINESS PREMIUM\r\n").encode("utf-8")
MFA = [
    {"id": "u-1", "userPrincipalName": "dana@acmedental.com", "userDisplayName": "Dana Whitfield",
     "userType": "member", "isAdmin": True, "isMfaRegistered": True, "isMfaCapable": True, "isSsprRegistered": True,
     "isPasswordlessCapable": False, "methodsRegistered": ["microsoftAuthenticatorPush", "mobilePhone"],
     "defaultMfaMethod": "microsoftAuthenticatorPush", "lastUpdatedDateTime": "2026-11-01T08:00:00Z"},
    {"id": "u-3", "userPrincipalName": "scanner@acmedental.com", "userDisplayName": "Scanner", "userType": "member",
     "isAdmin": False, "isMfaRegistered": False, "isMfaCapable": False, "isSsprRegistered": False,
     "isPasswordlessCapable": False, "methodsRegistered": [], "defaultMfaMethod": "none",
     "lastUpdatedDateTime": "2026-11-01T08:00:00Z"},
]
REPORT_PATH = "/graph/v1.0/reports/getOffice365ActiveUserDetail(period='D30')"
MFA_PATH = "/graph/v1.0/reports/authenticationMethods/userRegistrationDetails"


def add_m365(api: FakeAPI, mfa: Reply | None = None) -> None:
    api.add("POST", f"/login/{TENANT}/oauth2/v2.0/token", Reply(body={"access_token": TOKENS[4],
                                                                      "token_type": "Bearer", "expires_in": 3599}))
    api.add("GET", "/graph/v1.0/subscribedSkus", Reply(body={"value": SKUS}))

    def users(request: Request) -> Reply:
        if request.arg("$skiptoken"):
            return Reply(body={"value": USERS[2:]})
        return Reply(body={"value": USERS[:2],
                           "@odata.nextLink": f"{api.url}/graph/v1.0/users?$skiptoken=X%27page2%27"})
    api.add("GET", "/graph/v1.0/users", users)
    api.add("GET", REPORT_PATH, Reply(302, b"", {"Location": f"{api.url}/download/report.csv"}))
    api.add("GET", "/download/report.csv", Reply(body=REPORT, headers={"Content-Type": "application/octet-stream"}))
    api.add("GET", MFA_PATH, mfa or Reply(body={"value": MFA}))


def add_everything(api: FakeAPI) -> None:
    for add in (add_connectwise, add_autotask, add_halopsa, add_ninjaone, add_datto, add_pax8, add_m365):
        add(api)
