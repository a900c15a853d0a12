"""NinjaOne (RMM): organizations, and devices with their OS and system details.

Public API v2; OAuth2 client credentials at BASE/ws/oauth/token with the read-only "monitoring" scope; GET
/v2/organizations and /v2/devices-detailed paged by pageSize and after (the last id seen). Sources in
docs/FORMATS.md.
"""

from __future__ import annotations

from typing import Any

from .base import Connector, Fetched, base_url, oauth_token
from .errors import PullFailed
from .http import HttpClient
from .secrets import Credentials
from .writer import Table, flatten

PAGE_SIZE = 200
DEVICE_COLUMNS = ("id", "systemName", "dnsName", "displayName", "nodeClass", "organizationId", "organizationName",
                  "offline", "lastContact", "created", "os.name", "os.buildNumber", "os.releaseId", "os.manufacturer",
                  "system.manufacturer", "system.model", "system.serialNumber", "system.biosSerialNumber")


class NinjaOne(Connector):
    name = "ninjaone"
    title = "NinjaOne"
    api_version = "v2"
    credential_keys = ("client_id", "client_secret")
    filenames = ("devices.csv",)

    def plan(self, settings: dict[str, Any], unit: str) -> list[str]:
        root = base_url(settings)
        paged = f"(pageSize={PAGE_SIZE}, after=last id)"
        return [f"POST {root}/ws/oauth/token (client credentials, scope 'monitoring')",
                f"GET {root}/v2/organizations {paged}", f"GET {root}/v2/devices-detailed {paged} -> devices.csv"]

    def fetch(self, client: HttpClient, settings: dict[str, Any], unit: str, creds: Credentials) -> Fetched:
        root = base_url(settings)
        token = oauth_token(client, client.post_form(f"{root}/ws/oauth/token", {
            "grant_type": "client_credentials", "client_id": creds["client_id"],
            "client_secret": creds["client_secret"], "scope": "monitoring"}).json(), "NinjaOne")
        headers = {"Authorization": f"Bearer {token}"}
        organizations = self._pages(client, f"{root}/v2/organizations", headers)
        names = {o.get("id"): o.get("name") for o in organizations}
        devices = self._pages(client, f"{root}/v2/devices-detailed", headers)
        rows = []
        for device in devices:
            row = flatten(device, DEVICE_COLUMNS)
            row["organizationName"] = names.get(device.get("organizationId"))
            rows.append(row)
        fetched = Fetched(tables=[Table("devices.csv", "ninjaone_devices", DEVICE_COLUMNS, rows)],
                          counts={"organizations": len(organizations), "devices": len(devices)})
        orphans = sum(1 for r in rows if not r["organizationName"])
        if orphans:
            fetched.warnings.append(f"{orphans} devices name an organizationId the organizations list did not return")
        return fetched

    @staticmethod
    def _pages(client: HttpClient, url: str, headers: dict) -> list[dict]:
        records: list[dict] = []
        after = None
        while True:
            batch = client.get(url, headers, {"pageSize": PAGE_SIZE, "after": after}).json()
            if not isinstance(batch, list):
                raise PullFailed(f"NinjaOne {url.rsplit('/', 1)[-1]}: expected a list of records")
            records.extend(r for r in batch if isinstance(r, dict))
            if len(batch) < PAGE_SIZE:
                return records
            last = batch[-1].get("id") if isinstance(batch[-1], dict) else None
            if last is None or last == after:
                raise PullFailed(f"NinjaOne {url.rsplit('/', 1)[-1]}: paging did not advance")
            after = last
