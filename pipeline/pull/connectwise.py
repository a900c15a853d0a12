"""ConnectWise Manage (PSA): companies, configurations, agreements with their additions.

REST API 3.0 under BASE/CODEBASE/apis/3.0; HTTP Basic with "companyId+publicKey:privateKey" and a clientId header;
page/pageSize paging (at most 1000 a page). Sources in docs/FORMATS.md.
"""

from __future__ import annotations

import base64
from typing import Any

from .base import Connector, Fetched, base_url
from .http import HttpClient
from .secrets import Credentials
from .writer import Table, flatten

PAGE_SIZE = 1000
CONFIGURATION_COLUMNS = ("id", "name", "type.name", "status.name", "company.identifier", "company.name",
                         "serialNumber", "modelNumber", "purchaseDate", "installationDate", "warrantyExpirationDate",
                         "osType", "osInfo", "manufacturer.name", "vendor.name", "activeFlag")
AGREEMENT_COLUMNS = ("id", "name", "type.name", "company.identifier", "company.name", "startDate", "endDate",
                     "noEndingDateFlag", "cancelledFlag", "billAmount", "agreementStatus")
# Read for people, not by the profile: the agreement's own billAmount stays the contract amount, so seats resold
# as additions and bought through a distributor are not counted twice.
ADDITION_SUMMARY = ("additionsCount", "additionsBillableExtPrice")


def _top_level(columns: tuple[str, ...]) -> str:
    return ",".join(dict.fromkeys(c.split(".")[0] for c in columns))


class ConnectWise(Connector):
    name = "connectwise"
    title = "ConnectWise Manage"
    api_version = "REST 3.0"
    credential_keys = ("company_id", "public_key", "private_key", "client_id")
    filenames = ("configurations.csv", "agreements.csv")

    def _root(self, settings: dict[str, Any]) -> str:
        return f"{base_url(settings)}/{settings.get('codebase') or 'v4_6_release'}/apis/3.0"

    def plan(self, settings: dict[str, Any], unit: str) -> list[str]:
        root = self._root(settings)
        paged = f"(page/pageSize={PAGE_SIZE})"
        return [f"GET {root}/company/companies {paged}",
                f"GET {root}/company/configurations {paged} -> configurations.csv",
                f"GET {root}/finance/agreements {paged} -> agreements.csv",
                f"GET {root}/finance/agreements/{{id}}/additions {paged}, once per agreement"]

    def fetch(self, client: HttpClient, settings: dict[str, Any], unit: str, creds: Credentials) -> Fetched:
        root = self._root(settings)
        token = base64.b64encode(f"{creds['company_id']}+{creds['public_key']}:{creds['private_key']}"
                                 .encode("utf-8")).decode("ascii")
        client.add_secret(token)
        version = str(settings.get("api_version") or "").strip()
        headers = {"Authorization": f"Basic {token}", "clientId": creds["client_id"],
                   "Accept": f"application/vnd.connectwise.com+json; version={version}" if version
                   else "application/json"}
        fetched = Fetched()
        companies = self._pages(client, f"{root}/company/companies", headers, "id,identifier,name")
        names = {c.get("identifier"): c.get("name") for c in companies if isinstance(c, dict)}
        configurations = self._pages(client, f"{root}/company/configurations", headers,
                                     _top_level(CONFIGURATION_COLUMNS))
        agreements = self._pages(client, f"{root}/finance/agreements", headers, _top_level(AGREEMENT_COLUMNS))
        additions_total = 0
        agreement_rows = []
        for agreement in agreements:
            additions = self._pages(client, f"{root}/finance/agreements/{agreement.get('id')}/additions", headers,
                                    "id,product,quantity,unitPrice,extPrice,billCustomer,effectiveDate,cancelledDate")
            additions_total += len(additions)
            row = flatten(agreement, AGREEMENT_COLUMNS)
            row["additionsCount"] = len(additions)
            row["additionsBillableExtPrice"] = round(sum(
                float(a.get("extPrice") or 0) for a in additions
                if a.get("billCustomer") == "Billable" and not a.get("cancelledDate")), 2)
            agreement_rows.append(_with_company_name(row, names))
        configuration_rows = [_with_company_name(flatten(c, CONFIGURATION_COLUMNS), names) for c in configurations]
        fetched.counts = {"companies": len(companies), "configurations": len(configurations),
                          "agreements": len(agreements), "agreement additions": additions_total}
        fetched.tables = [
            Table("configurations.csv", "cw_manage_configurations", CONFIGURATION_COLUMNS, configuration_rows),
            Table("agreements.csv", "cw_manage_agreements", AGREEMENT_COLUMNS + ADDITION_SUMMARY, agreement_rows)]
        return fetched

    @staticmethod
    def _pages(client: HttpClient, url: str, headers: dict, fields: str) -> list[dict]:
        records: list[dict] = []
        page = 1
        while True:
            batch = client.get(url, headers, {"page": page, "pageSize": PAGE_SIZE, "fields": fields}).json()
            if not isinstance(batch, list):
                from .errors import PullFailed
                raise PullFailed(f"{url}: expected a list of records")
            records.extend(r for r in batch if isinstance(r, dict))
            if len(batch) < PAGE_SIZE:
                return records
            page += 1


def _with_company_name(row: dict, names: dict) -> dict:
    if not row.get("company.name") and row.get("company.identifier") in names:
        row["company.name"] = names[row["company.identifier"]]
    return row
