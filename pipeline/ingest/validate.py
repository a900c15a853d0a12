"""`vcio validate`: ingest a folder without rendering anything and say, per file, how it went.

``validate_folder`` runs the normal ingest (same profiles, roster, overrides) and condenses
the result into a ``ValidationReport``: for every data file its format, how far that
format's headers are verified, rows read / accepted / rejected, the three most common
reject reasons and the file's warnings; the files no profile recognised (with the closest
profile and the headers it misses); the client names no roster entry matched (with the
closest roster entries).  ``format_report`` prints it as a fixed-width table.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Mapping

from .folder import IngestOptions, IngestResult, Unrecognised, ingest_folder
from .profiles import Profile, load_profiles
from .suggest import pull_command
from ..texttable import text_table

TOP_REASONS = 3
# "created: not a valid date: '19/08/2021'" and "... '31/31/2020'" are one kind of problem.
_QUOTED_VALUE = re.compile(r":\s*(['\"]).*\1\s*$", re.DOTALL)


@dataclass
class FileValidation:
    path: str
    format: str
    verified: str
    entity: str
    encoding: str
    rows: int
    accepted: int
    rejected: int
    top_reasons: list[tuple[str, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    newest_date: str | None = None
    over_threshold: bool = False
    stale: bool = False  # observed longer ago than thresholds.stale_input_days

    @property
    def reject_rate(self) -> float:
        return self.rejected / self.rows if self.rows else 0.0


@dataclass
class UnknownClient:
    name: str
    rows: int
    closest: list[str]


@dataclass
class ValidationReport:
    inputs: Path
    as_of: date
    reject_rate_threshold: float
    files: list[FileValidation]
    unrecognised: list[Unrecognised]
    unknown_clients: list[UnknownClient]
    clients: list[str]
    result: IngestResult | None = field(default=None, repr=False)
    skipped_outputs: list[str] = field(default_factory=list)  # vcio's own output folders below the inputs
    warnings: list[str] = field(default_factory=list)  # about the inputs folder as a whole

    @property
    def over_threshold(self) -> list[FileValidation]:
        return [f for f in self.files if f.over_threshold]

    @property
    def stale(self) -> list[FileValidation]:
        return [f for f in self.files if f.stale]

    @property
    def ok(self) -> bool:
        """False when a file is unrecognised (or unreadable), rejects more than the threshold, or is stale."""
        return not self.unrecognised and not self.over_threshold and not self.stale

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def accepted(self) -> int:
        return sum(f.accepted for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)


def profiles_by_name() -> dict[str, Profile]:
    return {p.name: p for p in load_profiles()}


def reason_kind(reason: str) -> str:
    """A reject reason without the offending value, so that equal problems count together."""
    return _QUOTED_VALUE.sub("", reason).strip() or reason


def validate_folder(inputs: Path, as_of: date, reject_rate_threshold: float = 0.2,
                    format_overrides: Mapping[str, str] | None = None, stale_days: int = 30,
                    follow_symlinks_outside: bool = False) -> ValidationReport:
    """Ingest ``inputs`` as a run would and judge every file.  Raises ProfileError for a bad
    user profile or a format override naming no profile (a usage error for the caller)."""
    inputs = Path(inputs)
    result = ingest_folder(inputs, IngestOptions(as_of=as_of, stale_days=stale_days,
                                                 format_overrides=dict(format_overrides or {}),
                                                 follow_symlinks_outside=follow_symlinks_outside))
    reasons: dict[str, Counter[str]] = {}
    for reject in result.rejects:
        reasons.setdefault(reject.file, Counter())[reason_kind(reject.reason)] += 1
    files = []
    for report in result.files:
        validation = FileValidation(
            path=report.path, format=report.format, verified=report.verified or "", entity=report.entity,
            encoding=report.encoding, rows=report.rows, accepted=report.accepted, rejected=report.rejected,
            top_reasons=_top(reasons.get(report.path, Counter())), warnings=list(report.warnings),
            newest_date=report.newest_date, stale=report.stale)
        validation.over_threshold = validation.reject_rate > reject_rate_threshold
        files.append(validation)
    unknown = [UnknownClient(name, rows, list(result.suggestions.get(name, [])))
               for name, rows in sorted(result.unknown_clients.items(), key=lambda item: (-item[1], item[0]))]
    return ValidationReport(inputs=inputs, as_of=as_of, reject_rate_threshold=reject_rate_threshold, files=files,
                            unrecognised=list(result.unrecognised), unknown_clients=unknown,
                            clients=list(result.clients), result=result,
                            skipped_outputs=list(result.skipped_outputs), warnings=list(result.warnings))


def _top(counter: Counter) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:TOP_REASONS]


def format_report(report: ValidationReport) -> str:
    """A readable fixed-width report: one table row per file, details indented below it."""
    out = [f"vcio validate: {report.inputs} (as of {report.as_of.isoformat()}, "
           f"reject threshold {report.reject_rate_threshold:.0%})", ""]
    for warning in report.warnings:
        out += [f"warning: {warning}", ""]
    if report.skipped_outputs:
        out += ["Not read (vcio's own output folders): " + ", ".join(f"{f}/" for f in report.skipped_outputs), ""]
    if report.files:
        headers = ["File", "Format", "Verified", "Rows", "Accepted", "Rejected", "Rate", "Status"]
        rows = [[f.path, f.format, f.verified or "-", str(f.rows), str(f.accepted), str(f.rejected),
                 f"{f.reject_rate:.0%}", "OVER THRESHOLD" if f.over_threshold else ""] for f in report.files]
        table = text_table(headers, rows, right={3, 4, 5, 6})
        out.extend(table[:2])
        for file, line in zip(report.files, table[2:]):
            out.append(line)
            for reason, count in file.top_reasons:
                out.append(f"    reject x{count}: {reason}")
            for warning in file.warnings:
                out.append(f"    warning: {warning}")
        out.append("")
        out.append(f"Total: {len(report.files)} files, {report.rows} rows, {report.accepted} accepted, "
                   f"{report.rejected} rejected")
    else:
        out.append("No data file was recognised.")
    if report.unrecognised:
        out += ["", "Unrecognised files (no format matched):"]
        rows = []
        for item in report.unrecognised:
            if item.error:
                rows.append([item.path, "-", f"unreadable: {item.error}"])
            elif item.closest_format:
                pull = pull_command(profiles_by_name().get(item.closest_format))
                rows.append([item.path, item.closest_format, "missing " + ", ".join(item.missing_columns) +
                             (f" (`{pull}` writes this format)" if pull else "")])
            else:
                rows.append([item.path, "-", "no known format of the same kind shares its required headers"])
        out.extend("  " + line for line in text_table(["File", "Closest format", "Problem"], rows))
        first = next((u.path for u in report.unrecognised if not u.error), None)
        if first:
            out.append(f"  Draft a profile for each, without code: vcio profiles suggest {report.inputs / first} "
                       "--write (then check it); or name a format for it in vcio.toml [ingest.formats].")
    if report.unknown_clients:
        out += ["", "Unknown clients (rows rejected; add the name to a roster entry's aliases in clients.csv):"]
        rows = [[c.name, str(c.rows), ", ".join(c.closest) or "-"] for c in report.unknown_clients]
        out.extend("  " + line for line in text_table(["Name", "Rows", "Closest roster entries"], rows, right={1}))
    out.append("")
    if report.ok:
        out.append("OK: every file was recognised, none rejects more than the threshold and none is stale.")
    else:
        problems = []
        if report.unrecognised:
            problems.append(f"{len(report.unrecognised)} unrecognised file(s)")
        if report.over_threshold:
            problems.append(f"{len(report.over_threshold)} file(s) rejecting more than "
                            f"{report.reject_rate_threshold:.0%} of their rows")
        if report.stale:
            problems.append(f"{len(report.stale)} stale file(s) ({', '.join(f.path for f in report.stale)}): "
                            "export them again, or run with --allow-stale")
        out.append("FAILED: " + "; ".join(problems) + ".")
    return "\n".join(out) + "\n"
