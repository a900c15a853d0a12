"""Autotask (Datto PSA): companies, configuration items, contracts.

REST API v1.0; headers ApiIntegrationCode, UserName, Secret; the zone's URL from zoneInformation unless
configured; POST ENTITY/query with a filter and MaxRecords (at most 500), then GET pageDetails.nextPageUrl until it
is null. 10,000 requests an hour per database. Sources in docs/FORMATS.md.
"""

from __future__ import annotations

from typing import Any

from .base import Connector, Fetched, base_url
from .errors import PullFailed
from .http import HttpClient
from .secrets import Credentials
from .writer import Table, flatten

ZONE_LOOKUP = "https://webservices.autotask.net/atservicesrest/v1.0/zoneInformation"
PAGE_SIZE = 500
EVERYTHING = {"filter": [{"op": "gte", "field": "id", "value": 0}], "MaxRecords": PAGE_SIZE}
CI_COLUMNS = ("id", "companyID", "companyName", "referenceTitle", "serialNumber", "installDate",
              "warrantyExpirationDate", "isActive", "rmmDeviceUID", "rmmDeviceAuditHostname",
              "rmmDeviceAuditOperatingSystem", "rmmDeviceAuditMissingPatchCount")
CONTRACT_COLUMNS = ("id", "companyID", "companyName", "contractName", "contractType", "startDate", "endDate", "status")


class Autotask(Connector):
    name = "autotask"
    title = "Autotask PSA"
    api_version = "REST v1.0"
    credential_keys = ("username", "secret", "integration_code")
    rate_limit = (10000, 3600.0)
    filenames = ("configuration_items.csv", "contracts.csv")

    def plan(self, settings: dict[str, Any], unit: str) -> list[str]:
        root = base_url(settings) or f"(zone from GET {ZONE_LOOKUP})"
        paged = f"(MaxRecords={PAGE_SIZE}, then pageDetails.nextPageUrl)"
        return [f"POST {root}/v1.0/Companies/query {paged}",
                f"POST {root}/v1.0/ConfigurationItems/query {paged} -> configuration_items.csv",
                f"POST {root}/v1.0/Contracts/query {paged} -> contracts.csv"]

    def fetch(self, client: HttpClient, settings: dict[str, Any], unit: str, creds: Credentials) -> Fetched:
        headers = {"ApiIntegrationCode": creds["integration_code"], "UserName": creds["username"],
                   "Secret": creds["secret"]}
        root = base_url(settings) or self._zone(client, creds["username"])
        companies = self._query(client, root, "Companies", headers)
        names = {c.get("id"): c.get("companyName") for c in companies}
        items = self._query(client, root, "ConfigurationItems", headers)
        contracts = self._query(client, root, "Contracts", headers)
        fetched = Fetched(counts={"companies": len(companies), "configuration items": len(items),
                                  "contracts": len(contracts)})
        fetched.tables = [
            Table("configuration_items.csv", "autotask_configuration_items", CI_COLUMNS,
                  [_named(flatten(i, CI_COLUMNS), names) for i in items]),
            Table("contracts.csv", "autotask_contracts", CONTRACT_COLUMNS,
                  [_named(flatten(c, CONTRACT_COLUMNS), names) for c in contracts])]
        unnamed = sum(1 for t in fetched.tables for r in t.rows if not r.get("companyName"))
        if unnamed:
            fetched.warnings.append(f"{unnamed} rows name a companyID the Companies query did not return")
        return fetched

    @staticmethod
    def _zone(client: HttpClient, username: str) -> str:
        answer = client.get(ZONE_LOOKUP, {}, {"user": username}).json()
        url = answer.get("url") if isinstance(answer, dict) else None
        if not url:
            raise PullFailed("Autotask zoneInformation answered without a zone url; set [pull.autotask] base_url")
        return str(url).rstrip("/")

    @staticmethod
    def _query(client: HttpClient, root: str, entity: str, headers: dict) -> list[dict]:
        answer = client.post_json(f"{root}/v1.0/{entity}/query", EVERYTHING, headers).json()
        records: list[dict] = []
        pages = 0
        while True:
            if not isinstance(answer, dict) or not isinstance(answer.get("items"), list):
                raise PullFailed(f"Autotask {entity}/query: the answer has no items list")
            records.extend(r for r in answer["items"] if isinstance(r, dict))
            next_url = (answer.get("pageDetails") or {}).get("nextPageUrl")
            pages += 1
            if not next_url:
                return records
            if pages > 100000:  # a server that never stops paging must not hold cron forever
                raise PullFailed(f"Autotask {entity}/query: more than 100,000 pages")
            answer = client.get(str(next_url), headers).json()


def _named(row: dict, names: dict) -> dict:
    row["companyName"] = row.get("companyName") or names.get(row.get("companyID"))
    return row
