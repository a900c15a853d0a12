"""Datto RMM: sites, and devices with their audit data (serial number, manufacturer, model).

API v2; OAuth2 password grant at BASE/auth/oauth/token with the public client "public-client"/"public" and the
API key and secret as user name and password; GET /api/v2/account/sites and /account/devices paged by max and
page, following pageDetails.nextPageUrl; GET /api/v2/audit/device/{uid} per device. At most 600 requests in any 60
seconds. Sources in docs/FORMATS.md.
"""

from __future__ import annotations

import base64
from typing import Any

from .base import Connector, Fetched, base_url, oauth_token
from .errors import NotFound, PullFailed
from .http import HttpClient
from .secrets import Credentials
from .writer import Table, flatten

PAGE_SIZE = 250
PUBLIC_CLIENT = base64.b64encode(b"public-client:public").decode("ascii")
DEVICE_COLUMNS = ("uid", "hostname", "siteName", "deviceClass", "deviceType.category", "deviceType.type",
                  "operatingSystem", "lastSeen", "lastAuditDate", "creationDate", "online", "suspended",
                  "antivirus.antivirusProduct", "antivirus.antivirusStatus", "patchManagement.patchStatus",
                  "patchManagement.patchesApprovedPending", "patchManagement.patchesInstalled", "warrantyDate")
AUDIT_COLUMNS = ("bios.serialNumber", "systemInfo.manufacturer", "systemInfo.model")


class DattoRMM(Connector):
    name = "datto-rmm"
    title = "Datto RMM"
    api_version = "v2"
    credential_keys = ("api_key", "api_secret")
    rate_limit = (600, 60.0)
    filenames = ("devices.csv",)

    def plan(self, settings: dict[str, Any], unit: str) -> list[str]:
        root = base_url(settings)
        paged = f"(max={PAGE_SIZE}, page=0.., pageDetails.nextPageUrl)"
        return [f"POST {root}/auth/oauth/token (API key and secret)",
                f"GET {root}/api/v2/account/sites {paged}", f"GET {root}/api/v2/account/devices {paged}",
                f"GET {root}/api/v2/audit/device/{{uid}}, once per device (600 requests a minute at most) "
                "-> devices.csv"]

    def fetch(self, client: HttpClient, settings: dict[str, Any], unit: str, creds: Credentials) -> Fetched:
        root = base_url(settings)
        token = oauth_token(client, client.post_form(f"{root}/auth/oauth/token", {
            "grant_type": "password", "username": creds["api_key"], "password": creds["api_secret"]},
            {"Authorization": f"Basic {PUBLIC_CLIENT}"}).json(), "Datto RMM")
        headers = {"Authorization": f"Bearer {token}"}
        sites = self._pages(client, f"{root}/api/v2/account/sites", "sites", headers)
        devices = self._pages(client, f"{root}/api/v2/account/devices", "devices", headers)
        fetched = Fetched()
        rows, deleted, unaudited = [], 0, 0
        for device in devices:
            if device.get("deleted"):
                deleted += 1
                continue
            row = flatten(device, DEVICE_COLUMNS)
            if device.get("deviceClass") in (None, "device") and device.get("uid"):
                try:
                    audit = client.get(f"{root}/api/v2/audit/device/{device['uid']}", headers).json()
                except NotFound:
                    audit = {}
                row.update(flatten(audit if isinstance(audit, dict) else {}, AUDIT_COLUMNS))
            if not row.get("bios.serialNumber"):
                unaudited += 1
            rows.append(row)
        fetched.tables = [Table("devices.csv", "datto_rmm_devices_api", DEVICE_COLUMNS + AUDIT_COLUMNS, rows)]
        fetched.counts = {"sites": len(sites), "devices": len(devices), "device audits": len(rows) - unaudited}
        if deleted:
            fetched.warnings.append(f"{deleted} deleted devices left out")
        if unaudited:
            fetched.warnings.append(f"{unaudited} devices without a serial number in their audit "
                                    "(not audited yet, or not a computer)")
        return fetched

    @staticmethod
    def _pages(client: HttpClient, url: str, key: str, headers: dict) -> list[dict]:
        answer = client.get(url, headers, {"max": PAGE_SIZE, "page": 0}).json()
        records: list[dict] = []
        for _ in range(100000):
            if not isinstance(answer, dict) or not isinstance(answer.get(key), list):
                raise PullFailed(f"Datto RMM {url.rsplit('/', 1)[-1]}: the answer has no {key} list")
            records.extend(r for r in answer[key] if isinstance(r, dict))
            next_url = (answer.get("pageDetails") or {}).get("nextPageUrl")
            if not next_url:
                return records
            answer = client.get(str(next_url), headers).json()
        raise PullFailed(f"Datto RMM {url.rsplit('/', 1)[-1]}: more than 100,000 pages")
