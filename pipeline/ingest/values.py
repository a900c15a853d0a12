"""Value parsers for canonical field types.

Each parser takes the trimmed cell text and returns the parsed value, ``None`` for
an empty cell, or raises ``ValueError`` with a message a person understands.  Parsers
are pure and cached per distinct value: exports repeat the same OS strings, dates
and statuses across thousands of rows.  ``ColumnParser`` applies a field's parser to
a whole column of cells at once, parsing each distinct value once.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import compress, repeat
from operator import is_
from typing import Callable, Iterable, Sequence

_SPACES = re.compile(r"[\s\u00a0\u200b]+")
JUNK_SERIALS = {
    "default string", "to be filled by o.e.m.", "to be filled by oem", "system serial number",
    "not specified", "none", "n/a", "na", "0", "00000000", "0123456789", "123456789",
    "serial number", "invalid", "unknown", "not applicable", "chassis serial number", "-", "null",
}
_EMPTY = {"", "null", "none", "n/a", "-", "never", "#n/a"}
_ZONE_SUFFIX = re.compile(r"\s+\(?(?!AM\b|PM\b)[A-Z]{2,5}\)?$")
_ISO_Z = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$")
_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$")
_EPOCH = re.compile(r"^\d{9,13}(?:\.\d+)?$")


def joinable_upn(upn: str | None) -> bool:
    """Whether a report's user name is an address; a tenant that conceals names in its reports writes a hash,
    which cannot be joined to a user."""
    return "@" in (upn or "")


def clean_text(value: str) -> str:
    """Collapse whitespace (NBSP and zero-width spaces included) and trim."""
    return _SPACES.sub(" ", value).strip()


def parse_text(value: str) -> str | None:
    value = clean_text(value)
    return value or None


def parse_serial(value: str) -> str | None:
    value = clean_text(value)
    if not value or value.lower() in JUNK_SERIALS or set(value) <= {"0", " ", "-", "x", "X"}:
        return None
    return value.upper()


# The shape most exports use, "2025-10-19 00:05:38" with nothing, "Z" or a zone name after it, where the
# general parser below would take the time as written: fromisoformat alone gives the same datetime.
_PLAIN_ISO = re.compile(r"(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d)(?:Z| (?!AM$|PM$)[A-Z]{2,5})?", re.ASCII)


def plain_iso_datetime(value: str) -> datetime | None:
    """The datetime of "2025-10-19 00:05:38" (alone, or with "Z" or a zone name after it); None for any
    other text, and for such a text that is no real date ("2025-02-30 ..."), which parse_datetime explains."""
    plain = _PLAIN_ISO.fullmatch(value)
    if plain:
        try:
            return datetime.fromisoformat(plain[1])
        except ValueError:
            return None
    return None


def parse_datetime(value: str, dayfirst: bool = False) -> datetime | None:
    """Parse the date formats exports use into a naive UTC datetime."""
    return plain_iso_datetime(value) or _parse_datetime_cached(value, dayfirst)


@lru_cache(maxsize=65536)
def _parse_datetime_cached(value: str, dayfirst: bool) -> datetime | None:
    try:
        return _parse_datetime(value, dayfirst)
    except (ValueError, OverflowError, OSError) as exc:
        if repr(clean_text(value)) in str(exc):
            raise
        raise ValueError(f"not a valid date: {clean_text(value)!r}") from None


def _parse_datetime(value: str, dayfirst: bool) -> datetime | None:
    value = clean_text(value)
    if value.lower() in _EMPTY:
        return None
    if _EPOCH.match(value):
        number = float(value)
        seconds = number / 1000 if number > 1e11 else number
        return datetime.fromtimestamp(seconds, tz=timezone.utc).replace(tzinfo=None)
    value = _ZONE_SUFFIX.sub("", value) if not _ISO_Z.match(value) else value
    match = _ISO_Z.match(value)
    if match:
        day, clock, zone = match.groups()
        parsed = datetime.fromisoformat(f"{day}T{clock if clock.count(':') == 2 else clock + ':00'}")
        if zone and zone != "Z":
            offset = datetime.strptime(zone.replace(":", ""), "%z").utcoffset()
            parsed = parsed - offset
        return parsed
    if re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        return datetime.fromisoformat(value)
    if re.match(r"^\d{4}/\d{1,2}/\d{1,2}$", value):
        return datetime.strptime(value, "%Y/%m/%d")
    match = _SLASHED.match(value)
    if match:
        first, second, year, hour, minute, sec, ampm = match.groups()
        # Dotted dates (01.07.2025) are written day first wherever they are used; slashes follow the profile.
        day_first = dayfirst or "." in value.split()[0]
        month, day = (int(second), int(first)) if day_first else (int(first), int(second))
        year_n = int(year) + (2000 if len(year) == 2 else 0)
        hour_n = int(hour or 0)
        if ampm:
            hour_n = hour_n % 12 + (12 if ampm.lower() == "pm" else 0)
        try:
            return datetime(year_n, month, day, hour_n, int(minute or 0), int(sec or 0))
        except ValueError:
            raise ValueError(f"not a valid date: {value!r}") from None
    for fmt in ("%d %b %Y", "%b %d, %Y", "%d-%b-%Y", "%B %d, %Y", "%d %B %Y", "%a %b %d %H:%M:%S %Y"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise ValueError(f"not a recognised date: {value!r}")


def parse_date(value: str, dayfirst: bool = False) -> date | None:
    parsed = parse_datetime(value, dayfirst)
    return parsed.date() if parsed else None


_TRUE = {"true", "yes", "y", "1", "enabled", "on", "t", "x", "blocked"}
_FALSE = {"false", "no", "n", "0", "disabled", "off", "f", "allowed"}


def parse_bool(value: str) -> bool | None:
    value = clean_text(value).lower()
    if not value:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"not a yes/no value: {value!r}")


def parse_int(value: str) -> int | None:
    number = parse_money(value)
    if number is None:
        return None
    if number != int(number):
        raise ValueError(f"not a whole number: {value!r}")
    return int(number)


@lru_cache(maxsize=65536)
def parse_money(value: str) -> float | None:
    text = clean_text(value)
    if not text or text.lower() in _EMPTY:
        return None
    negative = text.startswith("(") and text.endswith(")")
    text = re.sub(r"[\s$€£¥()]|USD|EUR|GBP|CAD|AUD", "", text.strip("()"))
    if re.match(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$", text):  # European 1.234,56
        text = text.replace(".", "").replace(",", ".")
    elif re.match(r"^-?\d+,\d{1,2}$", text):  # European 12,50
        text = text.replace(",", ".")
    else:
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite():  # "NaN", "Infinity", "1e309" would poison sums (and crash int())
        raise ValueError(f"not a number: {value!r}")
    result = float(-number if negative else number)
    if result in (float("inf"), float("-inf")):
        raise ValueError(f"not a number: {value!r}")
    return result


def parse_list(value: str) -> list[str]:
    value = clean_text(value)
    if not value or value.lower() in {"unlicensed", "none"}:
        return []
    separator = "+" if "+" in value else (";" if ";" in value else ("," if "," in value else "+"))
    return [part.strip() for part in value.split(separator) if part.strip()]


@lru_cache(maxsize=4096)
def parse_av_status(value: str) -> str | None:
    text = clean_text(value).lower()
    if not text:
        return None
    # "off" as a word only: "Trend Micro OfficeScan: running" is running
    if any(k in text for k in ("not running", "notrunning", "disabled", "stopped")) or re.search(r"\boff\b", text):
        return "not_running"
    if any(k in text for k in ("not detected", "notdetected", "no antivirus", "not installed", "none")):
        return "not_detected"
    if any(k in text for k in ("running", "active", "protected", "up to date", "uptodate", "enabled", "ok")):
        return "running"
    return "unknown"


@lru_cache(maxsize=4096)
def parse_patch_status(value: str) -> str | None:
    text = clean_text(value).lower().replace("_", " ")
    if not text:
        return None
    if "no policy" in text or "nopolicy" in text or "not managed" in text:
        return "no_policy"  # the device is under no patch policy: nothing installs its updates
    if text in {"no data", "nodata"}:
        return "no_data"  # the RMM has no patch information for the device: a coverage gap
    if "error" in text or "fail" in text:
        return "install_error"
    if "reboot" in text or "restart" in text:
        return "reboot_required"
    if "fully patched" in text or text in {"ok", "up to date", "uptodate", "compliant", "patched"}:
        return "ok"
    if "pending" in text or "missing" in text or "approved" in text:
        return "pending"
    return "unknown"


@lru_cache(maxsize=4096)
def parse_device_type(value: str) -> str | None:
    text = clean_text(value).lower().replace("_", " ")
    if not text:
        return None
    table = (
        ("server", ("server", "esxi", "hypervisor", "host", "domain controller")),
        ("laptop", ("laptop", "notebook", "portable", "macbook", "mac laptop")),
        ("network", ("firewall", "switch", "router", "access point", "wireless", "network", "ups", "gateway")),
        ("storage", ("nas", "storage", "san")),
        ("mobile", ("phone", "mobile", "tablet", "ipad", "android", "ios")),
        ("printer", ("printer", "mfp", "copier")),
        ("virtual", ("virtual", "vm")),
        ("desktop", ("desktop", "workstation", "pc", "mac", "windows", "imac", "computer")),
    )
    for kind, words in table:
        if any(word in text for word in words):
            return kind
    return "other"


@lru_cache(maxsize=1024)
def parse_billing_term(value: str) -> str | None:
    text = clean_text(value).lower().replace(" ", "").replace("_", "-")
    if not text:
        return None
    if text.startswith(("month", "p1m", "1-month")):
        return "monthly"
    if text.startswith(("annual", "year", "p1y", "1-year", "1year", "12month")):
        return "annual"
    if text.startswith(("2-year", "2year", "p2y", "24month")):
        return "2-year"
    if text.startswith(("3-year", "3year", "p3y", "36month", "triennial")):
        return "3-year"
    return "other"


def parse_semicolon_list(value: str) -> list[str]:
    return [part.strip() for part in clean_text(value).split(";") if part.strip()]


Parser = Callable[[str], object]

PARSERS: dict[str, Callable[..., object]] = {
    "text": parse_text,
    "serial": parse_serial,
    "date": parse_date,
    "datetime": parse_datetime,
    "bool": parse_bool,
    "int": parse_int,
    "money": parse_money,
    "list": parse_list,
    "semicolon_list": parse_semicolon_list,
    "av_status": parse_av_status,
    "patch_status": parse_patch_status,
    "device_type": parse_device_type,
    "billing_term": parse_billing_term,
}
DATE_TYPES = {"date", "datetime"}


# Columns: a field's cells of a chunk of rows parsed together.
_MISSING = object()
MEMO_LIMIT = 200_000  # distinct values kept per column: beyond that (hostnames) the memo only costs memory
_DISTINCT_SAMPLE = 1_000  # cells a chunk needs before "mostly distinct" is taken to hold for the whole file


class Failure:
    """A cell that does not parse: the reason names the field and the value."""

    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason


class ColumnParser:
    """Parses a field's cells a column at a time: each distinct raw value once (a memo carries over from chunk
    to chunk), plain text checked for the whole column at once."""

    def __init__(self, name: str, parse: Callable[[str], object], plain_text: bool, all_distinct: bool = False):
        self.name, self.parse, self.plain_text = name, parse, plain_text
        self.memo: dict[str, object] = {}
        self.failing: set[str] = set()  # raw values that do not parse
        self.empty: set[str] = set()  # raw values that parse to nothing (None or [])
        self.all_distinct = all_distinct  # hostnames, UPNs: a memo would only cost
        self.seen_distinct = all_distinct  # a chunk of nearly only new values was seen

    def values(self, column: list[str]) -> tuple[Sequence, bool]:
        """(parsed value or Failure per cell, whether a cell may have parsed to nothing, shown as None)."""
        if self.all_distinct:
            return self._unmemoised(column)
        memo = self.memo
        values = list(map(memo.get, column, repeat(_MISSING)))
        if _MISSING in values:
            new = set(compress(column, map(is_, values, repeat(_MISSING))))
            if len(new) * 10 >= len(column) * 9:  # nearly all new: a memo is no help for this column
                self.all_distinct = len(column) >= _DISTINCT_SAMPLE
                self.seen_distinct = True
                return self._unmemoised(column)
            if len(memo) + len(new) > MEMO_LIMIT:
                memo.clear()
                new = set(column)
            self._learn(new, memo)
            values = list(map(memo.__getitem__, column))
        return values, bool(self.empty) and None in values

    def _unmemoised(self, column: list[str]) -> tuple[Sequence, bool]:
        if self.plain_text:
            if not is_plain(column):
                column = list(map(str.strip, column))
            if is_plain(column):
                if "" in column:
                    return [text or None for text in column], True
                return column, False
        local: dict[str, object] = {}
        self._learn(set(column), local)
        if len(local) * 2 < len(column):
            self.all_distinct = self.seen_distinct = False  # repeats after all: back to the memo
        values = list(map(local.__getitem__, column))
        return values, bool(self.empty) and None in values

    def _learn(self, raws: set[str], memo: dict[str, object]) -> None:
        if self.plain_text and is_plain(raws):
            memo.update(zip(raws, raws))
            if "" in raws:
                memo[""] = None
                self.empty.add("")
            return
        for raw in raws:
            try:
                value = self.parse(raw)
            except ValueError as exc:
                value = Failure(f"{self.name}: {exc}")
                self.failing.add(raw)
            if value is None or (type(value) is list and not value):
                value = None
                self.empty.add(raw)
            memo[raw] = value



def is_plain(texts: Iterable[str]) -> bool:
    """Every text is its own parsed value: printable (so a plain space is the only whitespace it can hold),
    no space at either end and no double space.  '|' joins them: it is printable and not a space, so the
    tests on the joined text are tests on every text."""
    joined = "|".join(texts)
    if not joined.isprintable() or "  " in joined:
        return False
    return " " not in joined or not (joined[0] == " " or joined[-1] == " " or "| " in joined or " |" in joined)
