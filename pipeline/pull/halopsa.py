"""HaloPSA: clients and assets.

OAuth2 client credentials at AUTH_URL/token (scopes read:customers read:assets), then GET /api/Client and
/api/Asset with pageinate=true, page_size and page_no; each page carries record_count. Sources in docs/FORMATS.md.
"""

from __future__ import annotations

from typing import Any

from ..errors import UsageError
from .base import Connector, Fetched, base_url, oauth_token
from .errors import PullFailed
from .http import HttpClient, with_params
from .secrets import Credentials
from .writer import Table, flatten

PAGE_SIZE = 100
ASSET_COLUMNS = ("id", "inventory_number", "key_field", "key_field2", "key_field3", "client_id", "client_name",
                 "site_id", "site_name", "assettype_id", "assettype_name", "status_name", "inactive",
                 "warranty_start", "warranty_end")


class HaloPSA(Connector):
    name = "halopsa"
    title = "HaloPSA"
    api_version = "REST /api"
    credential_keys = ("client_id", "client_secret")
    filenames = ("assets.csv",)

    def check(self, settings: dict[str, Any]) -> None:
        if not base_url(settings):
            raise UsageError('halopsa: set [pull.halopsa] base_url in vcio.toml, e.g. "https://yourmsp.halopsa.com"')

    def _token_url(self, settings: dict[str, Any]) -> str:
        return f"{base_url(settings, 'auth_url') or base_url(settings) + '/auth'}/token"

    def plan(self, settings: dict[str, Any], unit: str) -> list[str]:
        root = base_url(settings)
        paged = f"(pageinate=true, page_size={PAGE_SIZE}, page_no=1..)"
        return [f"POST {self._token_url(settings)} (client credentials, scope {settings.get('scope')!r})",
                f"GET {root}/api/Client {paged}", f"GET {root}/api/Asset {paged} -> assets.csv"]

    def fetch(self, client: HttpClient, settings: dict[str, Any], unit: str, creds: Credentials) -> Fetched:
        root = base_url(settings)
        token_url = self._token_url(settings)
        if settings.get("tenant"):
            token_url = with_params(token_url, {"tenant": settings["tenant"]})
        token = oauth_token(client, client.post_form(token_url, {
            "grant_type": "client_credentials", "client_id": creds["client_id"],
            "client_secret": creds["client_secret"], "scope": str(settings.get("scope") or "")}).json(), "HaloPSA")
        headers = {"Authorization": f"Bearer {token}"}
        clients = self._pages(client, f"{root}/api/Client", "clients", headers)
        names = {c.get("id"): c.get("name") for c in clients}
        assets = self._pages(client, f"{root}/api/Asset", "assets", headers)
        rows = []
        for asset in assets:
            row = flatten(asset, ASSET_COLUMNS)
            row["client_name"] = row.get("client_name") or names.get(row.get("client_id"))
            rows.append(row)
        return Fetched(tables=[Table("assets.csv", "halopsa_assets", ASSET_COLUMNS, rows)],
                       counts={"clients": len(clients), "assets": len(assets)})

    @staticmethod
    def _pages(client: HttpClient, url: str, key: str, headers: dict) -> list[dict]:
        records: list[dict] = []
        page = 1
        while True:
            answer = client.get(url, headers, {"pageinate": "true", "page_size": PAGE_SIZE, "page_no": page}).json()
            if not isinstance(answer, dict) or not isinstance(answer.get(key), list):
                raise PullFailed(f"HaloPSA {url.rsplit('/', 1)[-1]}: the answer has no {key} list")
            batch = answer[key]
            records.extend(r for r in batch if isinstance(r, dict))
            total = answer.get("record_count")
            if not batch or len(batch) < PAGE_SIZE or (isinstance(total, int) and len(records) >= total):
                return records
            page += 1
