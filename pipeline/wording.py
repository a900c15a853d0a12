"""How numbers, dates, counts and words read in client documents: one place, driven by [locale].

Every sentence a client reads goes through a `Wording`: money ("$12,000"), dates ("Nov 20, 2026" in en-US,
"20 Nov 2026" in en-GB), counts with the right plural ("1 device", "2 devices"), spelling that follows the
language (license/licence, optimize/optimise), possessives ("Northwind Logistics'") and lists ("A, B and C").
Machine-readable values (findings.csv categories, the manifest) never pass through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

_WORD = re.compile(r"[A-Za-z]+")
_DATE_FORMATS = {"en-US": "%b %d, %Y", "en-GB": "%d %b %Y"}
_MONTH_FORMATS = {"en-US": "%b %Y", "en-GB": "%b %Y"}

# British spelling -> American spelling. Documents are written in British spelling and turned American for
# en-US; whole words only, with their capitalised forms.
_US_SPELLING = {
    "licence": "license", "licences": "licenses", "licenced": "licensed",
    "optimise": "optimize", "optimised": "optimized", "optimisation": "optimization", "optimising": "optimizing",
    "prioritise": "prioritize", "prioritised": "prioritized", "organisation": "organization",
    "organisations": "organizations", "colour": "color", "colours": "colors", "programme": "program",
    "programmes": "programs", "analyse": "analyze", "catalogue": "catalog", "minimise": "minimize",
    "recognised": "recognized", "unrecognised": "unrecognized", "authorise": "authorize",
    "centralise": "centralize", "standardise": "standardize", "utilisation": "utilization",
    "behaviour": "behavior", "favour": "favor", "labour": "labor",
}
# Irregular plurals of the nouns documents count.
_PLURALS = {"PC": "PCs", "person": "people", "is": "are", "was": "were", "this": "these", "it": "they",
            "has": "have"}


@dataclass(frozen=True)
class Wording:
    language: str = "en-US"
    currency_symbol: str = "$"
    date_format: str = ""  # empty: the language's own

    @classmethod
    def from_settings(cls, settings) -> "Wording":
        locale = settings.locale
        return cls(locale.language, locale.currency_symbol, locale.date_format)

    # ---- words
    def spell(self, text: str) -> str:
        """The text in this language's spelling (the source text is written in British spelling)."""
        if self.language != "en-US" or not text:
            return text
        return _WORD.sub(lambda match: self._us_word(match.group(0)), text)

    @staticmethod
    def _us_word(word: str) -> str:
        lower = word.lower()
        if lower not in _US_SPELLING:
            return word
        us = _US_SPELLING[lower]
        if word.isupper():
            return us.upper()
        if word[0].isupper():
            return us[0].upper() + us[1:]
        return us

    def plural(self, n: float, word: str, plural: str | None = None) -> str:
        """The word for n of it: `plural(1, "device")` -> "device", `plural(2, "device")` -> "devices"."""
        if n == 1:
            return self.spell(word)
        if plural:
            return self.spell(plural)
        if word in _PLURALS:
            return self.spell(_PLURALS[word])
        if word.endswith(("s", "x", "ch", "sh")):
            return self.spell(word + "es")
        if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
            return self.spell(word[:-1] + "ies")
        return self.spell(word + "s")

    def count(self, n: float, word: str, plural: str | None = None) -> str:
        """ "1 device", "2 devices", "1,234 users"."""
        number = f"{n:,}" if isinstance(n, int) else f"{n:,.0f}"
        return f"{number} {self.plural(n, word, plural)}"

    def possessive(self, name: str) -> str:
        """ "Northwind Logistics'", "Acme Dental's"."""
        return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"

    def join(self, items: list[str], conjunction: str = "and") -> str:
        """ "A", "A and B", "A, B and C"."""
        items = [i for i in items if i]
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"

    def names(self, items: list[str], limit: int = 3, noun: str = "other") -> str:
        """Up to `limit` names, then "and N others"."""
        if len(items) <= limit:
            return self.join(items)
        rest = len(items) - limit + 1
        return self.join([*items[:limit - 1], f"{rest:,} {noun}" if noun == "more" else self.count(rest, noun)])

    # ---- numbers
    def money(self, value: float | None, *, blank: str = "") -> str:
        if value is None:
            return blank
        sign = "-" if value < 0 else ""
        return f"{sign}{self.currency_symbol}{abs(value):,.0f}"

    def money_short(self, value: float | None, *, blank: str = "") -> str:
        """A chart label that fits over a narrow column: $950, $105.9k, $1.2M."""
        if value is None:
            return blank
        sign, whole = ("-" if value < 0 else ""), abs(value)
        if round(whole) < 1000:
            return self.money(value)
        scaled, unit = (whole / 1_000_000, "M") if round(whole) >= 999_950 else (whole / 1000, "k")
        return f"{sign}{self.currency_symbol}{scaled:,.1f}".removesuffix(".0") + unit

    def money_exact(self, value: float | None, *, blank: str = "") -> str:
        """Two decimals where cents matter (a seat's monthly price)."""
        if value is None:
            return blank
        sign = "-" if value < 0 else ""
        whole = abs(value)
        return f"{sign}{self.currency_symbol}{whole:,.2f}" if whole != int(whole) else self.money(value)

    def percent(self, value: float | None, *, blank: str = "") -> str:
        return blank if value is None else f"{value:.0f}%"

    # ---- dates
    @property
    def _date_format(self) -> str:
        return self.date_format or _DATE_FORMATS.get(self.language, _DATE_FORMATS["en-US"])

    def day(self, value: date | datetime | None, *, blank: str = "") -> str:
        """A date as the client reads it: "Nov 3, 2026" (en-US), "3 Nov 2026" (en-GB)."""
        if value is None:
            return blank
        if isinstance(value, datetime):
            value = value.date()
        text = value.strftime(self._date_format)
        if not self.date_format:  # the built-in formats drop a leading zero on the day
            text = text.replace(" 0", " ") if self.language == "en-US" else text.lstrip("0")
        return text

    def month(self, value: date | None, *, blank: str = "") -> str:
        """ "Nov 2026"."""
        return blank if value is None else value.strftime(_MONTH_FORMATS.get(self.language, "%b %Y"))

    def month_range(self, first: date, last: date) -> str:
        """ "Dec 2026 and Feb 2027", "Dec and Feb 2027", "Dec 2026"."""
        if (first.year, first.month) == (last.year, last.month):
            return self.month(first)
        if first.year == last.year:
            return f"{first.strftime('%b')} and {self.month(last)}"
        return f"{self.month(first)} and {self.month(last)}"
