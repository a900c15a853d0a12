"""Microsoft 365 through Microsoft Graph, one tenant at a time: users with their licences and sign-in state,
subscribed SKUs, the active-user detail report and MFA registration details.

OAuth2 client credentials (an app registration consented in each client tenant) at
AUTHORITY/TENANT/oauth2/v2.0/token with scope GRAPH/.default; collections follow @odata.nextLink; the usage report
answers with a redirect to a CSV download, fetched without our token. Application permissions, all read-only:
User.Read.All (users), Organization.Read.All (subscribedSkus), Reports.Read.All (usage report), AuditLog.Read.All
(userRegistrationDetails, which also needs a Microsoft Entra ID P1 or P2 licence in the tenant). Sources in
docs/FORMATS.md.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .base import Connector, Fetched, base_url, oauth_token
from .errors import Forbidden, PullFailed
from .http import HttpClient
from .secrets import Credentials
from .writer import Table, flatten

TENANT = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")
USER_SELECT = "id,displayName,userPrincipalName,accountEnabled,assignedLicenses,createdDateTime,userType,department,jobTitle"
# The admin center's "Export users" column names (current layout), which the m365_export_users profile reads.
USER_COLUMNS = ("Display name", "User principal name", "Object Id", "Block credential", "Licenses", "When created",
                "Department", "Title")
SKU_COLUMNS = ("skuId", "skuPartNumber", "productName", "prepaidUnits.enabled", "consumedUnits", "capabilityStatus")
MFA_COLUMNS = ("id", "userPrincipalName", "userDisplayName", "userType", "isAdmin", "isMfaRegistered", "isMfaCapable",
               "isSsprRegistered", "isPasswordlessCapable", "methodsRegistered", "defaultMfaMethod",
               "lastUpdatedDateTime")
REPORT_HEADER = ("Report Refresh Date", "User Principal Name")
MFA_GAP = ("MFA registration details (reports/authenticationMethods/userRegistrationDetails) were refused (HTTP 403): "
           "they need the AuditLog.Read.All permission and a Microsoft Entra ID P1 or P2 licence in the tenant; "
           "MFA is not assessed for this tenant")
REPORT_GAP = ("the active-user detail report was refused (HTTP 403): it needs the Reports.Read.All permission; "
              "licence activity is not assessed for this tenant")


class Microsoft365(Connector):
    name = "m365"
    title = "Microsoft 365 (Microsoft Graph)"
    api_version = "Graph v1.0"
    credential_keys = ("client_id", "client_secret")
    filenames = ("users.csv", "subscribed_skus.csv", "active_user_detail.csv", "mfa_registration.csv")

    def units(self, settings: dict[str, Any]) -> list[str]:
        tenants = settings.get("tenants") or []
        if not isinstance(tenants, list) or not tenants:
            raise UsageError('m365: list the tenants to pull in vcio.toml: [pull.m365] tenants = '
                             '["contoso.onmicrosoft.com"]')
        for tenant in tenants:
            if not isinstance(tenant, str) or not TENANT.match(tenant) or ".." in tenant:
                raise UsageError(f"m365: {tenant!r} is not a tenant domain or id")
        return list(dict.fromkeys(tenants))

    def credentials_section(self, unit: str) -> tuple[str, ...]:
        return (unit,)

    def folder(self, root: Path, unit: str) -> Path:
        return root / unit  # a folder named after the tenant's domain resolves its users' client

    def plan(self, settings: dict[str, Any], unit: str) -> list[str]:
        graph = f"{base_url(settings, 'graph_url')}/v1.0"
        period = self._period(settings)
        return [f"POST {base_url(settings, 'authority')}/{unit}/oauth2/v2.0/token (client credentials)",
                f"GET {graph}/subscribedSkus -> subscribed_skus.csv",
                f"GET {graph}/users ($select, $top=999, @odata.nextLink) -> users.csv",
                f"GET {graph}/reports/getOffice365ActiveUserDetail(period='{period}') -> active_user_detail.csv",
                f"GET {graph}/reports/authenticationMethods/userRegistrationDetails (@odata.nextLink) "
                "-> mfa_registration.csv (needs Entra ID P1/P2)"]

    @staticmethod
    def _period(settings: dict[str, Any]) -> str:
        period = str(settings.get("report_period") or "D30")
        if period not in ("D7", "D30", "D90", "D180"):
            raise UsageError(f"m365: report_period must be D7, D30, D90 or D180, not {period!r}")
        return period

    def fetch(self, client: HttpClient, settings: dict[str, Any], unit: str, creds: Credentials) -> Fetched:
        from ..catalog.skus import friendly_product

        graph = f"{base_url(settings, 'graph_url')}/v1.0"
        graph_root = base_url(settings, "graph_url")
        token = oauth_token(client, client.post_form(f"{base_url(settings, 'authority')}/{unit}/oauth2/v2.0/token", {
            "client_id": creds["client_id"], "client_secret": creds["client_secret"],
            "scope": f"{graph_root}/.default", "grant_type": "client_credentials"}).json(), f"Microsoft 365 {unit}")
        headers = {"Authorization": f"Bearer {token}"}
        fetched = Fetched()

        skus = self._collection(client, f"{graph}/subscribedSkus", headers)
        part_numbers = {s.get("skuId"): s.get("skuPartNumber") for s in skus}
        sku_rows = []
        for sku in skus:
            row = flatten(sku, SKU_COLUMNS)
            row["productName"] = friendly_product(str(sku.get("skuPartNumber") or ""))
            sku_rows.append(row)

        users = self._collection(client, f"{graph}/users", headers, {"$select": USER_SELECT, "$top": 999})
        unknown_skus: set[str] = set()
        user_rows = []
        for user in users:
            names = []
            for licence in user.get("assignedLicenses") or []:
                sku_id = licence.get("skuId") if isinstance(licence, dict) else None
                part = part_numbers.get(sku_id)
                if part is None:
                    unknown_skus.add(str(sku_id))
                names.append(friendly_product(str(part or sku_id)))
            user_rows.append({
                "Display name": user.get("displayName"), "User principal name": user.get("userPrincipalName"),
                "Object Id": user.get("id"),
                "Block credential": None if user.get("accountEnabled") is None else not user.get("accountEnabled"),
                "Licenses": "+".join(names) if names else "Unlicensed", "When created": user.get("createdDateTime"),
                "Department": user.get("department"), "Title": user.get("jobTitle")})
        if unknown_skus:
            fetched.warnings.append(f"{len(unknown_skus)} assigned licence ids are not among the tenant's "
                                    "subscribed SKUs: written as their ids")
        fetched.tables += [Table("users.csv", "m365_export_users", USER_COLUMNS, user_rows),
                           Table("subscribed_skus.csv", "m365_subscribed_skus", SKU_COLUMNS, sku_rows)]
        fetched.counts = {"subscribed SKUs": len(skus), "users": len(users)}

        period = self._period(settings)
        try:
            report = client.get(f"{graph}/reports/getOffice365ActiveUserDetail(period='{period}')", headers,
                                follow_redirect=True)
        except Forbidden:
            fetched.gaps.append(REPORT_GAP)
        else:
            fetched.tables.append(self._report_table(report.body))
            fetched.counts["active-user detail rows"] = fetched.tables[-1].row_count

        try:
            mfa = self._collection(client, f"{graph}/reports/authenticationMethods/userRegistrationDetails", headers)
        except Forbidden:
            fetched.gaps.append(MFA_GAP)
        else:
            fetched.tables.append(Table("mfa_registration.csv", "m365_mfa_registration", MFA_COLUMNS,
                                        [flatten(m, MFA_COLUMNS) for m in mfa]))
            fetched.counts["MFA registration details"] = len(mfa)
        return fetched

    @staticmethod
    def _report_table(body: bytes) -> Table:
        text = body.decode("utf-8-sig", "replace")
        first = text.splitlines()[0] if text.strip() else ""
        if not all(name in first for name in REPORT_HEADER):
            raise PullFailed("the active-user detail report is not the expected CSV (no 'Report Refresh Date' and "
                             "'User Principal Name' columns)")
        return Table("active_user_detail.csv", "m365_active_user_detail", (), raw=body)

    @staticmethod
    def _collection(client: HttpClient, url: str, headers: dict, params: dict | None = None) -> list[dict]:
        answer = client.get(url, headers, params).json()
        records: list[dict] = []
        for _ in range(100000):
            if not isinstance(answer, dict) or not isinstance(answer.get("value"), list):
                raise PullFailed(f"Graph {url.rsplit('/', 1)[-1]}: the answer has no value list")
            records.extend(r for r in answer["value"] if isinstance(r, dict))
            next_link = answer.get("@odata.nextLink")
            if not next_link:
                return records
            answer = client.get(str(next_link), headers).json()
        raise PullFailed(f"Graph {url.rsplit('/', 1)[-1]}: more than 100,000 pages")
