"""Prices the findings use: device replacement by type, licences per seat per month."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from typing import TYPE_CHECKING

from ..config import Prices, Settings
from ..resources import data_path
from .skus import product_key

if TYPE_CHECKING:  # the model imports this package (skus): only the type, never the module
    from ..model import ClientData

SKU_PRICES = data_path("sku_prices.csv")


@lru_cache(maxsize=1)
def list_prices() -> dict[str, float]:
    """Published per-seat monthly list prices (data/sku_prices.csv), keyed by product key."""
    prices: dict[str, float] = {}
    if SKU_PRICES.is_file():
        with SKU_PRICES.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                try:
                    prices[product_key(row["product_name"])] = float(row["monthly_price_usd"])
                except (KeyError, TypeError, ValueError):
                    continue
    return prices


@dataclass
class PriceBook:
    configured: Prices  # the [prices] settings: replacement by device type, labour, default licence price
    client_license: dict[str, float] = field(default_factory=dict)  # product key -> the client's own price

    @classmethod
    def for_client(cls, settings: Settings, client: "ClientData") -> "PriceBook":
        own = {product_key(s.product): s.price for s in client.subscriptions if s.price is not None and s.active}
        return cls(settings.prices, own)

    def device(self, device_type: str) -> float:
        return self.configured.device(device_type)

    @property
    def feature_update(self) -> float:
        return self.configured.feature_update

    def license_monthly(self, product: str) -> tuple[float, str]:
        """(price per seat per month, where the price comes from)."""
        key = product_key(product)
        if any(word in key.split() for word in ("free", "trial", "exploratory", "viral")):
            return 0.0, "free licence"
        if key in self.client_license:
            return self.client_license[key], "subscription price"
        if key in list_prices():
            return list_prices()[key], "list price"
        return self.configured.default_license_monthly, "default price (configuration)"
