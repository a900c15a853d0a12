"""`vcio validate` and `vcio clients`: check an inputs folder before a run.

Both are thin wrappers over the ingest library (pipeline.ingest.validate).  The lead
registers ``COMMANDS`` on the main group.  Exit statuses: 0 clean, 1 a file is
unrecognised or rejects more than ``ingest.reject_rate_threshold`` of its rows
(`validate` only), 2 usage or configuration error, or a roster that contradicts itself.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

PROBLEMS = 1  # validate found an unrecognised file or a file over the reject threshold


def _as_of(ctx, param, value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-20") from None


def _validate(inputs: Path, as_of: date, config_path: Path | None):
    """The same settings as `vcio run` reads, so both refuse the same bad values (exit status 2)."""
    from ..config import find_config, load_settings
    from ..ingest.validate import validate_folder

    settings = load_settings(find_config(config_path, inputs))
    return validate_folder(inputs, as_of, settings.ingest.reject_rate_threshold, dict(settings.ingest.formats),
                           stale_days=settings.thresholds.stale_input_days,
                           follow_symlinks_outside=settings.ingest.follow_symlinks_outside)


_INPUTS = click.option("--inputs", "inputs", required=True,
                       type=click.Path(path_type=Path, exists=True, file_okay=False),
                       help="Folder of exports (searched recursively), with clients.csv.")
_AS_OF = click.option("--as-of", "as_of", callback=_as_of,
                      help="Review date (YYYY-MM-DD) for the stale-data check. Default: today.")
_CONFIG = click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
                       help="vcio.toml. Default: vcio.toml inside or beside --inputs, else built-in defaults.")


@click.command(name="validate")
@_INPUTS
@_AS_OF
@_CONFIG
def validate(inputs: Path, as_of: date, config_path: Path | None) -> None:
    """Check every export in --inputs without writing anything: per file its format, rows
    accepted and rejected, the commonest reject reasons and warnings; unrecognised files;
    client names the roster does not know.

    Exit status: 0 clean, 1 a file is unrecognised, rejects more than
    ingest.reject_rate_threshold of its rows, or is stale (observed more than
    thresholds.stale_input_days before --as-of), 2 usage or configuration error, or a roster
    that contradicts itself (a client twice, an alias or domain on two clients).
    """
    from ..ingest.validate import format_report

    report = _validate(inputs, as_of, config_path)
    click.echo(format_report(report), nl=False)
    for problem in report.result.roster_errors:
        click.echo(f"roster error: {problem}", err=True)
    if report.result.roster_errors:
        from ..errors import ExitStatus

        sys.exit(int(ExitStatus.USAGE))  # a run would refuse this roster
    sys.exit(0 if report.ok else PROBLEMS)


@click.command(name="clients")
@_INPUTS
@_AS_OF
@_CONFIG
def clients(inputs: Path, as_of: date, config_path: Path | None) -> None:
    """List the roster's clients with their accepted rows per kind of record, then the client
    names found in exports that no roster entry matched, with the closest roster entries."""
    from ..ingest.schema import ENTITIES
    from ..ingest.validate import text_table

    report = _validate(inputs, as_of, config_path)
    result = report.result
    counts: dict[str, dict[str, int]] = {name: {} for name in report.clients}
    for entity, records in sorted(result.records.items()):
        if entity == "client":
            continue
        for record in records:
            name = record.get("client")
            if name is not None:
                counts.setdefault(name, {})
                counts[name][entity] = counts[name].get(entity, 0) + 1
    entities = [e for e in ENTITIES if e != "client" and any(e in c for c in counts.values())]
    has_roster = bool(result.records.get("client"))
    title = (f"Roster clients ({len(counts)}):" if has_roster else
             f"Clients ({len(counts)}; no roster (clients.csv) was found, so these are the names the exports use, "
             "the PSA's first):")
    click.echo(title)
    if counts:
        rows = [[name, *(str(c.get(e, 0)) for e in entities)] for name, c in counts.items()]
        for line in text_table(["Client", *entities], rows, right=set(range(1, len(entities) + 1))):
            click.echo("  " + line)
    else:
        click.echo("  (none)")
    click.echo("")
    if report.unknown_clients:
        click.echo(f"Unknown client names ({len(report.unknown_clients)}; their rows are rejected: add each to a "
                   "roster entry's aliases):")
        rows = [[c.name, str(c.rows), ", ".join(c.closest) or "-"] for c in report.unknown_clients]
        for line in text_table(["Name", "Rows", "Closest roster entries"], rows, right={1}):
            click.echo("  " + line)
    else:
        click.echo("Unknown client names: none.")


COMMANDS: list[click.Command] = [validate, clients]
