"""Draft an ingest profile for an export no profile recognises, from its header and a sample of its values.

Each column is scored against each canonical field of pipeline/ingest/schema.py: by its header (the headers
every built-in profile maps to that field, plus the labels tools commonly show, such as Device Name / System Name
/ Computer for the hostname) and by its values (do they parse as the field's type with the ingest's own parsers:
dates, numbers, yes/no, OS captions, user principal names, serial numbers).  The kind of record (device, user,
subscription ...) is the one whose own fields the header names best; the closest-format hint of an unrecognised
file only ever names a profile of that kind.  A suggestion prints as a mapping with a confidence per field and
becomes a profile TOML that `vcio validate` and `vcio run` read from ``<inputs>/profiles/``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

from .decode import read_table
from .profiles import Profile, detect, header_key
from .schema import ENTITIES, IDENTITY_FIELDS
from .values import (parse_av_status, parse_billing_term, parse_bool, parse_datetime, parse_device_type,
                     parse_money, parse_patch_status, parse_serial)

SAMPLE_ROWS = 200
# Kinds of record an export can hold (vcio's own roster, goals, decisions and exclusions have their fixed files).
DATA_ENTITIES = ("device", "warranty", "user", "user_activity", "mfa", "subscription", "contract")
# Fields every kind of record has, or nearly: they say little about which kind a file holds.
SHARED_FIELDS = {"client", "display_name", "status", "start_date", "end_date", "site"}

# Labels tools show for a field, beyond the headers the built-in profiles already map (those are learnt from
# the profiles themselves).  Compared like headers: case, spaces and underscores do not matter.
COMMON_LABELS: dict[str, tuple[str, ...]] = {
    "client": ("Organization", "Organisation", "Organization Name", "Company", "Company Name", "Customer",
               "Customer Name", "Client", "Client Name", "Account", "Account Name", "Tenant", "Org"),
    "site": ("Site", "Location", "Location Name", "Branch", "Office"),
    "hostname": ("Device Name", "System Name", "Computer", "Computer Name", "Host", "Host Name", "Hostname",
                 "Machine", "Machine Name", "Device", "Endpoint", "Asset Name", "Workstation"),
    "serial": ("Serial", "Serial Number", "Serial No", "S/N", "SN", "Service Tag", "BIOS Serial",
               "Device Serial", "Serial Number (BIOS)"),
    "os": ("OS", "Operating System", "OS Name", "OS Caption", "Platform", "Operating System Name"),
    "os_build": ("OS Build", "Build", "OS Version", "Build Number", "Version"),
    "manufacturer": ("Manufacturer", "Make", "Vendor", "Brand", "OEM"),
    "model": ("Model", "Device Model", "Model Name", "Model Number", "Product Model"),
    "device_type": ("Type", "Device Type", "Role", "Class", "Device Class", "Node Class", "Category", "Form Factor"),
    "last_seen": ("Last Seen", "Last Contact", "Last Check-in", "Last Checkin", "Last Check In", "Last Online",
                  "Last Heartbeat", "Last Seen Online", "Last Communication", "Last Sync"),
    "purchase_date": ("Purchase Date", "Purchased", "Date Purchased", "Acquired", "Acquisition Date"),
    "install_date": ("Install Date", "Installed", "Installation Date", "Deployed", "Date Installed"),
    "warranty_start": ("Warranty Start", "Warranty Start Date", "Coverage Start"),
    "warranty_end": ("Warranty End", "Warranty End Date", "Warranty Expiration", "Warranty Expiry",
                     "Warranty Expires", "Warranty Date", "Warranty Expiration Date", "Coverage End"),
    "enrolled_date": ("Enrolled", "Enrollment Date", "Enrolment Date", "Date Added", "Created", "Agent Installed"),
    "av_status": ("Antivirus", "Antivirus Status", "AV Status", "AV", "Endpoint Protection", "EDR Status"),
    "av_product": ("Antivirus Product", "AV Product", "Security Product"),
    "patch_status": ("Patch Status", "Patching Status", "Patch State", "Patch Compliance"),
    "patches_missing": ("Missing Patches", "Patches Missing", "Pending Patches", "Patches Pending"),
    "patches_installed": ("Installed Patches", "Patches Installed"),
    "last_backup": ("Last Backup", "Last Successful Backup", "Last Backup Time"),
    "backup_status": ("Backup Status", "Backup"),
    "external_id": ("Device ID", "Asset ID", "Agent ID", "UID"),
    "upn": ("User Principal Name", "UPN", "Email", "Email Address", "E-mail", "Mail", "Sign-in Name",
            "Username", "User Name", "Login", "User"),
    "display_name": ("Display Name", "Full Name", "Name", "User Display Name"),
    "blocked": ("Block Credential", "Blocked", "Sign-in Blocked", "Sign-in Status", "Disabled"),
    "account_enabled": ("Account Enabled", "Enabled", "Active"),
    "licenses": ("Licenses", "Licences", "Assigned Licenses", "Assigned Licences", "License", "Licence",
                 "Products", "Assigned Products"),
    "created": ("Created", "When Created", "Created Date", "Creation Date"),
    "report_date": ("Report Date", "Report Refresh Date", "As Of"),
    "mfa_registered": ("MFA Registered", "MFA Status", "MFA Enabled", "Is MFA Registered", "MFA"),
    "is_admin": ("Is Admin", "Admin", "Administrator"),
    "methods": ("Methods", "MFA Methods", "Methods Registered", "Authentication Methods"),
    "product": ("Product", "Product Name", "Offer", "Offer Name", "Subscription", "Subscription Name", "Plan",
                "SKU Name", "Service"),
    "sku": ("SKU", "Product ID", "Offer ID", "Part Number", "SKU ID"),
    "vendor": ("Vendor", "Publisher", "Vendor Name"),
    "quantity": ("Quantity", "Qty", "Seats", "Licenses Count", "Units", "Seat Count"),
    "billing_term": ("Billing Term", "Term", "Term Duration", "Billing Cycle", "Billing Frequency",
                     "Commitment Term", "Commitment"),
    "commitment_end": ("Commitment End", "Commitment End Date", "Renewal Date", "Renews On", "Term End",
                       "Term End Date", "Next Renewal"),
    "start_date": ("Start", "Start Date", "Begins", "Effective Date", "Effective Start Date"),
    "end_date": ("End", "End Date", "Expires", "Expiry", "Expiration Date", "Ends"),
    "price": ("Price", "Unit Price", "Sell Price", "Customer Price", "Retail Price", "Price Per Unit"),
    "partner_cost": ("Cost", "Partner Cost", "Unit Cost", "Buy Price", "Cost Price", "Our Cost"),
    "name": ("Contract", "Contract Name", "Agreement", "Agreement Name"),
    "amount": ("Amount", "Bill Amount", "Monthly Amount", "MRR", "Monthly Recurring", "Value", "Recurring Amount"),
    "no_end": ("No End Date", "No Ending Date", "Evergreen", "Open Ended"),
    "cancelled": ("Cancelled", "Canceled", "Cancelled Flag"),
    "warranty_product": ("Warranty Product", "Warranty Type", "Coverage", "Entitlement"),
    "warranty_status": ("Warranty Status", "Coverage Status"),
}

_UPN = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_OS_CAPTION = re.compile(r"windows|mac ?os|os x|ubuntu|debian|linux|red hat|rhel|centos|esxi|ios\b|android|"
                         r"chrome ?os|fortios|sonicos|synology|dsm\b", re.IGNORECASE)
_HOSTNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
_SERIAL = re.compile(r"^[A-Za-z0-9-]{5,30}$")
_DATE_SHAPE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|\d{1,2} [A-Za-z]{3,9} \d{4}")
_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.]\d{2,4}")
_EPOCH = re.compile(r"^\d{9,13}(?:\.\d+)?$")


def _fits(check, values: Sequence[str]) -> float:
    """The share of values that pass ``check`` (one that raises counts as failing)."""
    if not values:
        return 0.0
    passed = 0
    for value in values:
        try:
            passed += bool(check(value))
        except (ValueError, OverflowError, OSError):
            pass
    return passed / len(values)


def _is_date(value: str) -> bool:
    if not (_DATE_SHAPE.search(value) or _EPOCH.match(value)):
        return False
    try:
        return parse_datetime(value) is not None
    except ValueError:
        return parse_datetime(value, True) is not None  # 21/05/2026: day first


def _is_number(value: str) -> bool:
    return parse_money(value) is not None


def _is_whole(value: str) -> bool:
    number = parse_money(value)
    return number is not None and number == int(number)


def _is_serial(value: str) -> bool:
    return bool(_SERIAL.match(value)) and any(c.isdigit() for c in value) and parse_serial(value) is not None


def _is_hostname(value: str) -> bool:
    return bool(_HOSTNAME.match(value)) and not value.replace(".", "").isdigit() and "@" not in value


# What a field's values look like; fields with none (free text) are mapped by header only.
VALUE_CHECKS = {
    "date": _is_date, "datetime": _is_date, "int": _is_whole, "money": _is_number,
    "bool": lambda v: parse_bool(v) is not None,
    "billing_term": lambda v: parse_billing_term(v) not in (None, "other"),
    "av_status": lambda v: parse_av_status(v) not in (None, "unknown"),
    "patch_status": lambda v: parse_patch_status(v) not in (None, "unknown"),
    "device_type": lambda v: parse_device_type(v) not in (None, "other"),
}
FIELD_CHECKS = {"upn": lambda v: bool(_UPN.match(v)), "os": lambda v: bool(_OS_CAPTION.search(v)),
                "serial": _is_serial, "hostname": _is_hostname}
# Fields whose values alone identify them well enough to map a column whose header says nothing.
BY_VALUES_ALONE = {"upn", "os", "billing_term"}


@dataclass
class FieldGuess:
    field: str
    column: str
    confidence: str  # high | medium | low
    score: float
    why: str

    def as_dict(self) -> dict:
        return {"field": self.field, "column": self.column, "confidence": self.confidence, "why": self.why}


@dataclass
class Suggestion:
    path: str
    header: list[str]
    entity: str | None
    mapping: list[FieldGuess]
    unmapped_columns: list[tuple[str, str]]  # (column, what its values look like)
    missing: list[str]  # the identity or client fields no column maps to
    dayfirst: bool = False
    notes: list[str] = field(default_factory=list)
    recognised_as: Profile | None = None

    @property
    def usable(self) -> bool:
        """A profile from this suggestion would accept rows: the kind is known and the rows identify something."""
        identity = IDENTITY_FIELDS.get(self.entity or "", ())
        return self.entity is not None and any(g.field in identity for g in self.mapping)

    def as_dict(self) -> dict:
        return {"path": self.path, "entity": self.entity, "usable": self.usable, "dayfirst": self.dayfirst,
                "recognised_as": self.recognised_as.name if self.recognised_as else None,
                "mapping": [g.as_dict() for g in self.mapping],
                "unmapped_columns": [{"column": c, "values": what} for c, what in self.unmapped_columns],
                "missing": self.missing, "notes": self.notes}


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD_SPLIT = re.compile(r"[\s.\-/()#:]+")
# Single words too common in headers to say which field a longer header names.
_VAGUE_WORDS = {"name", "type", "status", "date", "start", "end", "id", "last", "first", "user", "device", "total"}


def words_key(text: str) -> str:
    """A header as lower-case words: camelCase and dotted API names split ("billAmount" -> "bill amount")."""
    return " ".join(w for w in _WORD_SPLIT.split(header_key(_CAMEL.sub(" ", text.strip()))) if w)


class HeaderSynonyms:
    """Per kind of record and field, the headers known to name that field (as words_key)."""

    def __init__(self, profiles: Iterable[Profile]):
        self.by_entity: dict[str, dict[str, set[str]]] = {e: {} for e in DATA_ENTITIES}
        for entity in DATA_ENTITIES:
            for name in ENTITIES[entity]:
                known = {words_key(name.replace("_", " "))}
                known.update(words_key(label) for label in COMMON_LABELS.get(name, ()))
                self.by_entity[entity][name] = known
        for profile in profiles:
            if profile.entity in self.by_entity:
                for name, alternatives in profile.columns.items():
                    self.by_entity[profile.entity].setdefault(name, set()).update(map(words_key, alternatives))

    def score(self, entity: str, field_name: str, column: str) -> float:
        """1 for a known header; 0.6 for a header holding all the words of a known label of several words; 0.4
        for one holding a known one-word label that is not vague ("cancelledFlag"); else 0."""
        key = words_key(column)
        known = self.by_entity[entity].get(field_name, set())
        if key in known:
            return 1.0
        words = set(key.split())
        best = 0.0
        for label in known:
            parts = label.split()
            if len(parts) > 1 and set(parts) <= words:
                return 0.6
            if len(parts) == 1 and len(label) >= 5 and label not in _VAGUE_WORDS and label in words:
                best = 0.4
        return best


def guess_entity(header: Sequence[str], profiles: Iterable[Profile],
                 synonyms: HeaderSynonyms | None = None) -> str | None:
    """The kind of record whose own fields the header names best; None when no kind stands out.  A header that
    names fields of several kinds (startDate, endDate) counts for each of them only in part."""
    synonyms = synonyms or HeaderSynonyms(profiles)
    columns = [c for c in header if c]
    scores = {(entity, field_name, column): synonyms.score(entity, field_name, column)
              for entity in DATA_ENTITIES for field_name in ENTITIES[entity] for column in columns}
    kinds_of: dict[str, set[str]] = {column: set() for column in columns}
    for (entity, field_name, column), score in scores.items():
        if score:
            kinds_of[column].add(entity)
    best: tuple[float, str] | None = None
    for entity in DATA_ENTITIES:
        total = 0.0
        for field_name in ENTITIES[entity]:
            weight = 0.25 if field_name in SHARED_FIELDS else (2.0 if field_name in IDENTITY_FIELDS[entity] else 1.0)
            total += max((scores[entity, field_name, column] * weight / max(len(kinds_of[column]), 1)
                          for column in columns), default=0.0)
        if best is None or total > best[0]:
            best = (total, entity)
    if best is None or best[0] < 1.5:  # one field of its own, or an identity field with a little more
        return None
    return best[1]


def suggest_profile(path: Path, profiles: Sequence[Profile], entity: str | None = None,
                    forced: dict[str, str] | None = None) -> Suggestion:
    """The suggestion for one export file.  ``forced`` maps fields to columns the user chose (--map)."""
    table = read_table(path)
    header = [h for h in table.header]
    samples = _samples(table)
    recognised = detect(header, profiles)
    synonyms = HeaderSynonyms(profiles)
    chosen = entity or guess_entity(header, profiles, synonyms)
    forced = dict(forced or {})
    suggestion = Suggestion(str(path), header, chosen, [], [], [], recognised_as=recognised)
    if chosen is None:
        suggestion.unmapped_columns = [(c, _describe(samples.get(c, []))) for c in header if c]
        suggestion.notes.append("no kind of record stands out from this header: give --entity "
                                f"({', '.join(DATA_ENTITIES)})")
        return suggestion
    columns = [c for c in header if c]
    for name, column in forced.items():
        if name not in ENTITIES[chosen]:
            raise ValueError(f"--map {name}={column}: {chosen} records have no field {name!r} "
                             f"(fields: {', '.join(ENTITIES[chosen])})")
        if column not in columns:
            raise ValueError(f"--map {name}={column}: the file has no column {column!r}")
    candidates = []
    for field_name, kind in ENTITIES[chosen].items():
        if field_name in forced:
            continue
        for column in columns:
            if column in forced.values():
                continue
            guess = _score(synonyms, chosen, field_name, kind, column, samples.get(column, []))
            if guess is not None:
                candidates.append(guess)
    mapping = [FieldGuess(name, column, "high", 2.0, "chosen with --map") for name, column in forced.items()]
    taken_fields, taken_columns = set(forced), set(forced.values())
    for guess in sorted(candidates, key=lambda g: (-g.score, columns.index(g.column))):
        if guess.field in taken_fields or guess.column in taken_columns:
            continue
        mapping.append(guess)
        taken_fields.add(guess.field)
        taken_columns.add(guess.column)
    order = list(ENTITIES[chosen])
    suggestion.mapping = sorted(mapping, key=lambda g: order.index(g.field))
    suggestion.unmapped_columns = [(c, _describe(samples.get(c, []))) for c in columns if c not in taken_columns]
    wanted = [*IDENTITY_FIELDS[chosen], "client"]
    suggestion.missing = [f for f in wanted if f in ENTITIES[chosen] and f not in taken_fields]
    suggestion.dayfirst = _dayfirst([samples.get(g.column, []) for g in suggestion.mapping
                                     if ENTITIES[chosen][g.field] in ("date", "datetime")], suggestion.notes)
    _explain_gaps(suggestion, profiles, header)
    return suggestion


def _samples(table) -> dict[str, list[str]]:
    """Up to SAMPLE_ROWS non-empty, trimmed values per column (the first column of a repeated header)."""
    positions: dict[str, int] = {}
    for index, name in enumerate(table.header):
        positions.setdefault(name, index)
    values: dict[str, list[str]] = {name: [] for name in positions}
    seen = 0
    for _lines, rows in table.chunks():
        for cells in rows:
            for name, index in positions.items():
                if index < len(cells) and cells[index].strip():
                    values[name].append(cells[index].strip())
            seen += 1
            if seen >= SAMPLE_ROWS:
                return values
    return values


def _score(synonyms: HeaderSynonyms, entity: str, field_name: str, kind: str, column: str,
           values: list[str]) -> FieldGuess | None:
    by_header = synonyms.score(entity, field_name, column)
    check = FIELD_CHECKS.get(field_name) or VALUE_CHECKS.get(kind)
    by_values = _fits(check, values) if check and values else None
    if by_header == 0.0:
        if field_name in BY_VALUES_ALONE and by_values is not None and by_values >= 0.9:
            return FieldGuess(field_name, column, "low", 0.5 + by_values / 10,
                              f"values look like {_KIND_WORDS.get(field_name, kind)} ({by_values:.0%} of the sample)")
        return None
    header_why = "known header" if by_header == 1.0 else "header names it"
    if by_values is None:
        confidence = "high" if by_header == 1.0 else "medium"
        return FieldGuess(field_name, column, confidence, by_header, header_why)
    values_why = f"{by_values:.0%} of the sample {'look like' if field_name in FIELD_CHECKS else 'parse as'} " \
                 f"{_KIND_WORDS.get(field_name, _KIND_WORDS.get(kind, kind))}"
    if by_values < 0.5:
        if by_header < 1.0:
            return None  # a header that only contains the words, and values that say otherwise
        return FieldGuess(field_name, column, "low", by_header * 0.5, f"{header_why}, but only {values_why}")
    confidence = "high" if by_header == 1.0 and by_values >= 0.8 else "medium"
    return FieldGuess(field_name, column, confidence, by_header + by_values / 2, f"{header_why}; {values_why}")


_KIND_WORDS = {"date": "dates", "datetime": "dates", "int": "whole numbers", "money": "numbers",
               "bool": "yes/no values", "billing_term": "billing terms", "av_status": "antivirus states",
               "patch_status": "patch states", "device_type": "device types", "upn": "user principal names",
               "os": "operating system captions", "serial": "serial numbers", "hostname": "host names"}


def _describe(values: list[str]) -> str:
    """What a column's values look like, for the columns left unmapped."""
    if not values:
        return "empty in the sample"
    for word, check in (("dates", _is_date), ("user principal names", FIELD_CHECKS["upn"]),
                        ("operating system captions", FIELD_CHECKS["os"]), ("numbers", _is_number),
                        ("yes/no values", VALUE_CHECKS["bool"])):
        if _fits(check, values) >= 0.9:
            return word
    return "text"


def _dayfirst(date_columns: list[list[str]], notes: list[str]) -> bool:
    """Day-first when a slashed date has a first part over 12; month-first when a second part does."""
    first = second = False
    for values in date_columns:
        for value in values:
            match = _SLASHED.match(value)
            if match:
                first |= int(match[1]) > 12
                second |= int(match[2]) > 12
    if first and not second:
        notes.append("dates are day first (a first part over 12 was seen): dayfirst = true")
        return True
    if first and second:
        notes.append("dates are written both ways in this file: check the date columns")
    elif any(_SLASHED.match(v) for values in date_columns for v in values) and not second:
        notes.append("slashed dates with no part over 12 in the sample: read month first; set dayfirst = true "
                     "in the profile if they are day first")
    return False


def _explain_gaps(suggestion: Suggestion, profiles: Sequence[Profile], header: Sequence[str]) -> None:
    """Name what the missing fields mean, and the pull that writes a complete file of this kind, if any."""
    entity = suggestion.entity
    for name in suggestion.missing:
        if name == "client":
            suggestion.notes.append("no column names the client: every row would be rejected as of an unknown "
                                    "client unless the profile sets it (client_from = \"upn_domain\" for user "
                                    "files, or a [constants] client for a one-client file)")
        else:
            suggestion.notes.append(f"no column for {name}, which identifies a {entity} record: a profile without "
                                    f"it rejects every row (give --map {name}=COLUMN)")
    near = closest_of_entity(header, profiles, entity)[0] if entity else None
    pull = pull_command(near)
    if pull:
        suggestion.notes.append(f"the closest built-in format is {near.name} ({near.tool}); "
                                f"`{pull}` writes that file complete, joined and flattened")


def pull_command(profile: Profile | None) -> str | None:
    """`vcio pull TOOL` when that command writes the profile's file (its verified_note says so)."""
    pulled = re.search(r"`(vcio pull [a-z0-9-]+)`", profile.verified_note) if profile else None
    return pulled[1] if pulled else None


def closest_of_entity(header: Sequence[str], profiles: Sequence[Profile],
                      entity: str | None) -> tuple[Profile | None, list[str]]:
    """The profile of ``entity`` sharing the largest share of its required headers with ``header``."""
    from .profiles import closest

    if entity is None:
        return None, []
    return closest(header, [p for p in profiles if p.entity == entity])


def closest_format(header: Sequence[str], profiles: Sequence[Profile]) -> tuple[Profile | None, list[str]]:
    """The hint for an unrecognised file: the closest profile of the kind of record it seems to hold, never one
    of another kind (a Pax8 subscriptions dump is not a PSA contracts file because both have start dates)."""
    return closest_of_entity(header, profiles, guess_entity(header, profiles))


# Writing the profile.

def profile_name(path: Path, taken: Iterable[str]) -> str:
    stem = re.sub(r"[^a-z0-9]+", "_", path.stem.lower()).strip("_") or "export"
    name, taken = f"local_{stem}", set(taken)
    number = 2
    while name in taken:
        name, number = f"local_{stem}_{number}", number + 1
    return name


def profile_toml(suggestion: Suggestion, name: str, today: date) -> str:
    """A profile file for the suggestion, in the layout of the built-in ones, marked unverified."""
    if not suggestion.usable:
        raise ValueError("the suggestion maps no column to the field that identifies a record")
    entity = suggestion.entity or ""
    identity = IDENTITY_FIELDS[entity]
    firm = [g for g in suggestion.mapping if g.confidence != "low"]
    ranked = sorted(firm or suggestion.mapping,
                    key=lambda g: (g.field not in identity, g.field != "client", g.field in SHARED_FIELDS))
    required = [g.column for g in ranked[:4]]
    source = Path(suggestion.path).name
    note = (f"Suggested on {today.isoformat()} from the header and sample values of {source}; check the mapping, "
            "then set verified = \"yes\"")
    lines = [
        f"name = {_toml(name)}",
        f"entity = {_toml(entity)}",
        f"tool = {_toml(source)}",
        f"title = {_toml(source + ' (profile suggested by vcio profiles suggest)')}",
        'verified = "no"',
        f"verified_note = {_toml(note)}",
        f"required = [{', '.join(_toml(c) for c in required)}]",
        f"dayfirst = {'true' if suggestion.dayfirst else 'false'}",
        "",
        "[columns]",
    ]
    for guess in suggestion.mapping:
        lines.append(f"{guess.field} = {_toml(guess.column)}  # {guess.confidence}: {guess.why}")
    unmapped = [c for c, _ in suggestion.unmapped_columns]
    if unmapped:
        lines += ["", f"# Not mapped: {', '.join(unmapped)}"]
    return "\n".join(lines) + "\n"


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def write_profile(suggestion: Suggestion, folder: Path, name: str, today: date) -> Path:
    """Save the profile as ``folder/<name>.toml``; an existing file is never replaced."""
    from ..runner.atomic import atomic_write

    target = folder / f"{name}.toml"
    if target.exists():
        raise FileExistsError(f"{target} exists already: give another --name, or remove it")
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(target, profile_toml(suggestion, name, today).encode("utf-8"))
    return target


def check_written(path: Path, header: Sequence[str], profiles: Sequence[Profile]) -> str | None:
    """None when the saved profile is the one detection now picks for the file; else why not."""
    from .profiles import load_profile

    saved = load_profile(path)
    others = [p for p in profiles if p.name != saved.name]
    picked = detect(header, [*others, saved])
    if picked is None or picked.name != saved.name:
        return f"detection picks {picked.name if picked else 'nothing'} for this file, not {saved.name}"
    return None


def inputs_folder_for(file: Path, given: Path | None) -> Path | None:
    """Where --write saves: --inputs, else the nearest folder above FILE that holds a roster or profiles/, else
    ./inputs when it exists."""
    if given is not None:
        return given
    for folder in file.resolve().parents:
        if (folder / "profiles").is_dir() or (folder / "clients.csv").is_file():
            return folder
    here = Path("inputs")
    return here if here.is_dir() else None


def format_suggestion(suggestion: Suggestion) -> list[str]:
    """The suggestion as lines for a terminal."""
    from ..texttable import text_table

    name = Path(suggestion.path).name
    if suggestion.entity is None:
        lines = [f"{name}: no kind of record could be told from its header."]
    else:
        lines = [f"{name}: {suggestion.entity} records"]
        rows = [[g.field, g.column, g.confidence, g.why] for g in suggestion.mapping]
        if rows:
            lines += ["  " + line for line in text_table(["Field", "Column", "Confidence", "Why"], rows)]
    if suggestion.unmapped_columns:
        lines.append("Not mapped: " + ", ".join(f"{c} ({what})" for c, what in suggestion.unmapped_columns))
    for note in suggestion.notes:
        lines.append(f"Note: {note}")
    return lines
