"""Model: canonical clients, assets, users, subscriptions, contracts, goals, decisions."""

from .build import build_clients, host_key, merge_assets, merge_users
from .entities import SERVER_LIKE, Asset, ClientData, Contract, Decision, Exclusion, Goal, Subscription, User

__all__ = ["build_clients", "host_key", "merge_assets", "merge_users", "SERVER_LIKE", "Asset", "ClientData", "Contract",
           "Decision", "Exclusion", "Goal", "Subscription", "User"]
