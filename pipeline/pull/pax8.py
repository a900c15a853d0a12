"""Pax8 (distributor): companies, and subscriptions joined with their products, commitment terms and end dates.

Partner API v1; OAuth2 client credentials (JSON body with audience https://api.pax8.com) at the token URL;
GET /companies and /subscriptions paged by page (from 0) and size (at most 200) with a page block
(number, totalPages); GET /products/{id} for a subscription that does not name its product. Sources in
docs/FORMATS.md.
"""

from __future__ import annotations

from typing import Any

from .base import Connector, Fetched, base_url, oauth_token
from .errors import NotFound, PullFailed
from .http import HttpClient
from .secrets import Credentials
from .writer import Table, flatten

PAGE_SIZE = 200
AUDIENCE = "https://api.pax8.com"
SUBSCRIPTION_COLUMNS = ("id", "companyId", "companyName", "companyExternalId", "productId", "productName",
                        "vendorName", "quantity", "billingTerm", "commitmentTerm.term", "commitmentTerm.endDate",
                        "startDate", "endDate", "price", "partnerCost", "currencyCode", "status")


class Pax8(Connector):
    name = "pax8"
    title = "Pax8"
    api_version = "v1"
    credential_keys = ("client_id", "client_secret")
    filenames = ("subscriptions.csv",)

    def plan(self, settings: dict[str, Any], unit: str) -> list[str]:
        root = base_url(settings)
        paged = f"(page=0.., size={PAGE_SIZE})"
        return [f"POST {base_url(settings, 'token_url')} (client credentials, audience {AUDIENCE})",
                f"GET {root}/companies {paged}", f"GET {root}/subscriptions {paged}",
                f"GET {root}/products/{{id}}, once per product a subscription does not name -> subscriptions.csv"]

    def fetch(self, client: HttpClient, settings: dict[str, Any], unit: str, creds: Credentials) -> Fetched:
        root = base_url(settings)
        token = oauth_token(client, client.post_json(base_url(settings, "token_url"), {
            "client_id": creds["client_id"], "client_secret": creds["client_secret"], "audience": AUDIENCE,
            "grant_type": "client_credentials"}).json(), "Pax8")
        headers = {"Authorization": f"Bearer {token}"}
        companies = {c.get("id"): c for c in self._pages(client, f"{root}/companies", headers)}
        subscriptions = self._pages(client, f"{root}/subscriptions", headers)
        products: dict[str, dict] = {}
        fetched = Fetched()
        rows = []
        for subscription in subscriptions:
            row = flatten(subscription, SUBSCRIPTION_COLUMNS)
            company = companies.get(subscription.get("companyId")) or {}
            row["companyName"] = company.get("name")
            row["companyExternalId"] = company.get("externalId")
            product_id = subscription.get("productId")
            if product_id and (not row.get("productName") or not row.get("vendorName")):
                product = self._product(client, root, str(product_id), headers, products)
                row["productName"] = row.get("productName") or product.get("name")
                row["vendorName"] = row.get("vendorName") or product.get("vendorName")
            rows.append(row)
        fetched.tables = [Table("subscriptions.csv", "pax8_subscriptions", SUBSCRIPTION_COLUMNS, rows)]
        fetched.counts = {"companies": len(companies), "subscriptions": len(subscriptions),
                          "products looked up": len(products)}
        for label, missing in (("company", sum(1 for r in rows if not r["companyName"])),
                               ("product name", sum(1 for r in rows if not r["productName"]))):
            if missing:
                fetched.warnings.append(f"{missing} subscriptions without a {label}")
        return fetched

    @staticmethod
    def _product(client: HttpClient, root: str, product_id: str, headers: dict, cache: dict) -> dict:
        if product_id not in cache:
            try:
                answer = client.get(f"{root}/products/{product_id}", headers).json()
            except NotFound:
                answer = {}
            cache[product_id] = answer if isinstance(answer, dict) else {}
        return cache[product_id]

    @staticmethod
    def _pages(client: HttpClient, url: str, headers: dict) -> list[dict]:
        records: list[dict] = []
        page = 0
        while True:
            answer = client.get(url, headers, {"page": page, "size": PAGE_SIZE}).json()
            if not isinstance(answer, dict) or not isinstance(answer.get("content"), list):
                raise PullFailed(f"Pax8 {url.rsplit('/', 1)[-1]}: the answer has no content list")
            records.extend(r for r in answer["content"] if isinstance(r, dict))
            meta = answer.get("page") or answer.get("pageInfo") or {}
            total_pages = meta.get("totalPages")
            if not answer["content"] or not isinstance(total_pages, int) or page + 1 >= total_pages:
                return records
            page += 1
