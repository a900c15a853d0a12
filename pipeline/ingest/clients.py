"""Client identity: which roster client a row belongs to.

The same client is spelled differently by every tool (``Acme Dental, Inc.`` in the
PSA, ``ACME DENTAL`` at the distributor, ``Acme Dental - Main`` as an RMM site).
The roster (clients.csv) decides; normalised-name matching is a fallback whose every
guess is reported.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter, methodcaller

_LEGAL_SUFFIXES = (
    "incorporated", "inc", "llc", "llp", "ltd", "limited", "gmbh", "corp", "corporation",
    "co", "company", "plc", "pc", "pllc", "pty", "ag", "sa", "bv", "lp",
)
_SITE_SUFFIX = re.compile(r"\s+[-–|:]\s+[^-–|:]+$")


def normalise_name(name: str) -> str:
    """Case, punctuation, '&'/'and' and legal suffixes do not distinguish two clients."""
    text = name.lower().replace("&", " and ").replace("+", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    words = text.split()
    while words and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def strip_site_suffix(name: str) -> str:
    """``Acme Dental - Main`` -> ``Acme Dental`` (RMM sites name the client and the site)."""
    return _SITE_SUFFIX.sub("", name).strip()


@dataclass
class Match:
    client: str
    guessed: bool  # True when only normalisation made the names equal: reported in the manifest
    how: str


@dataclass
class ClientResolver:
    """Resolves names, e-mail domains and folder names to roster client names."""

    exact: dict[str, str] = field(default_factory=dict)  # case-folded name/alias -> client
    normalised: dict[str, str] = field(default_factory=dict)  # normalised name/alias -> client
    domains: dict[str, str] = field(default_factory=dict)  # domain -> client
    psa_ids: dict[str, str] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    from_roster: bool = True

    @classmethod
    def from_roster_rows(cls, rows: list[dict]) -> "ClientResolver":
        resolver = cls()
        for row in rows:
            resolver.add(row["name"], row.get("aliases") or [], row.get("domains") or [], row.get("psa_id"))
        return resolver

    def add(self, name: str, aliases: list[str] = (), domains: list[str] = (), psa_id: str | None = None) -> None:
        if name not in self.names:
            self.names.append(name)
        for spelling in [name, *aliases]:
            self.exact.setdefault(spelling.strip().casefold(), name)
            self.normalised.setdefault(normalise_name(spelling), name)
        for domain in domains:
            self.domains.setdefault(domain.strip().lower(), name)
        if psa_id:
            self.exact.setdefault(psa_id.strip().casefold(), name)
            self.psa_ids[psa_id.strip().casefold()] = name

    def by_name(self, raw: str) -> Match | None:
        key = raw.strip().casefold()
        if key in self.exact:
            return Match(self.exact[key], False, "roster")
        normal = normalise_name(raw)
        if normal in self.normalised:
            return Match(self.normalised[normal], True, "normalised name")
        site_less = strip_site_suffix(raw)
        if site_less != raw.strip():
            inner = self.by_name(site_less)
            if inner:
                return Match(inner.client, True, "site suffix removed")
        return None

    def by_upn(self, upn: str) -> Match | None:
        if "@" not in upn:
            return None
        domain = upn.rsplit("@", 1)[1].strip().lower()
        while domain:
            if domain in self.domains:
                return Match(self.domains[domain], False, "tenant domain")
            if "." not in domain:
                break
            domain = domain.split(".", 1)[1]
        return None

    def by_folder(self, parts: tuple[str, ...]) -> Match | None:
        for part in reversed(parts):
            if part.lower() in self.domains:
                return Match(self.domains[part.lower()], False, "folder named after a tenant domain")
            match = self.by_name(part)
            if match:
                return Match(match.client, True, f"folder name {part!r}")
        return None

    def suggestions(self, raw: str, n: int = 3) -> list[str]:
        normal = normalise_name(raw)
        scored = difflib.get_close_matches(normal, list(self.normalised), n=n * 2, cutoff=0.3)
        seen: list[str] = []
        for key in scored:
            name = self.normalised[key]
            if name not in seen:
                seen.append(name)
        return seen[:n]


# A row's outcome: (roster client or None, the guess to report or None, the name to report when unknown).
Outcome = tuple[str | None, tuple[str, str, str] | None, str]
_GET_CLIENT, _GET_UPN = methodcaller("get", "client"), methodcaller("get", "upn")


def _upn_domain(upn: str | None) -> str | None:
    """All that resolution reads of a UPN: the text after its last "@" ("" without one, None without a UPN)."""
    return (upn.rpartition("@")[2] if "@" in upn else "") if upn else None


def resolve_distinct(rows: list[dict], by_upn: bool, resolver: ClientResolver,
                     folder_parts: tuple[str, ...]) -> tuple[list, dict[object, Outcome]]:
    """(each row's key, the outcome of each distinct key): a roster resolver never changes, so what a
    client name and UPN domain resolve to holds for every row that has them."""
    raws = list(map(_GET_CLIENT, rows))
    upns = list(map(_GET_UPN, rows))
    if upns.count(None) == len(upns):  # devices, contracts ...: the client name alone
        keys: list = raws
        outcomes = {raw: _resolve_one(raw, None, by_upn, resolver, folder_parts)[0] for raw in set(raws)}
    elif raws.count(None) == len(raws) and set(map(type, upns)) == {str} \
            and all(map(str.__contains__, upns, repeat("@"))):  # Microsoft 365 users: the UPN domain alone
        keys = list(map(itemgetter(2), map(str.rpartition, upns, repeat("@"))))
        outcomes = {domain: _resolve_one(None, "@" + domain, by_upn, resolver, folder_parts)[0]
                    for domain in set(keys)}
    else:
        keys = list(zip(raws, map(_upn_domain, upns)))
        # "@" + domain stands for every UPN with that domain; "@" for one without a domain
        outcomes = {(raw, domain): _resolve_one(raw, None if domain is None else "@" + domain, by_upn, resolver,
                                                folder_parts)[0] for raw, domain in set(keys)}
    return keys, outcomes


def resolve_in_order(rows: list[dict], by_upn: bool, resolver: ClientResolver,
                     folder_parts: tuple[str, ...]) -> list[Outcome]:
    """Each row's outcome when names first seen join the resolver: row by row, in file order."""
    outcomes: dict[tuple, Outcome] = {}
    found = []
    for row in rows:
        raw = row.get("client")
        upn = row.get("upn")
        key = (raw, _upn_domain(upn))
        outcome = outcomes.get(key)
        if outcome is None:
            outcome, learned = _resolve_one(raw, upn, by_upn, resolver, folder_parts)
            if learned:
                outcomes.clear()  # a name first seen can change how other names and folders resolve
            outcomes[key] = outcome
        found.append(outcome)
    return found


def _resolve_one(raw: str | None, upn: str | None, by_upn: bool, resolver: ClientResolver,
                 folder_parts: tuple[str, ...]) -> tuple[Outcome, bool]:
    """(the outcome for a row with this client name and UPN, whether a name first seen was added)."""
    match: Match | None = None
    learned = False
    if by_upn and upn:
        match = resolver.by_upn(upn)
    if match is None and raw:
        match = resolver.by_name(raw)
        if match is None and not resolver.from_roster:
            resolver.add(raw)
            learned = True
            match = Match(raw, False, "first seen")
    if match is None and not raw:
        match = resolver.by_folder(folder_parts)
    if match is None:
        upn = upn or ""
        return (None, None, raw or (upn.rsplit("@", 1)[-1] if "@" in upn else "") or "(none)"), learned
    guess = (raw or "/".join(folder_parts), match.client, match.how) if match.guessed else None
    return (match.client, guess, ""), learned


def roster_conflicts(rows: list[dict]) -> list[str]:
    """Roster rows that contradict each other, each message naming both rows: the same client twice, or one
    spelling (name or alias), tenant domain or PSA id on two clients. Resolution would silently pick the
    first, so a run must not start with them."""
    problems: list[str] = []
    first_of_client: dict[str, dict] = {}
    owners: dict[tuple[str, str], dict] = {}
    for row in rows:
        name = row["name"]
        client = " ".join(name.split()).casefold()
        if client in first_of_client:
            problems.append(f"client {name!r} is listed twice: {_where(first_of_client[client])} and {_where(row)}")
            continue
        first_of_client[client] = row
        claims = [("name or alias", spelling, spelling.strip().casefold()) for spelling in [name, *(row.get("aliases") or [])]]
        claims += [("domain", domain, domain.strip().lower()) for domain in row.get("domains") or []]
        if row.get("psa_id"):
            claims.append(("PSA id", row["psa_id"], row["psa_id"].strip().casefold()))
        for kind, value, key in claims:
            if not key:
                continue
            namespace = "domain" if kind == "domain" else "PSA id" if kind == "PSA id" else "spelling"
            owner = owners.setdefault((namespace, key), row)
            if owner is not row:
                problems.append(f"{kind} {value.strip()!r} belongs to two clients: {owner['name']!r} ({_where(owner)}) "
                                f"and {name!r} ({_where(row)})")
    return problems


def _where(row: dict) -> str:
    return row.get("_src") or "the roster"
