"""`vcio pull`: a thin wrapper over pipeline.pull (the only command that talks to a network)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

TOOLS = ("connectwise", "autotask", "halopsa", "ninjaone", "datto-rmm", "pax8", "m365")


@click.command(name="pull")
@click.argument("tools", nargs=-1, required=True, type=click.Choice(TOOLS))
@click.option("--inputs", type=click.Path(path_type=Path, file_okay=False), default=Path("inputs"), show_default=True,
              help="Inputs folder: each TOOL's files go to INPUTS/<tool>/ (Microsoft 365: INPUTS/m365/<tenant>/).")
@click.option("--into", type=click.Path(path_type=Path, file_okay=False),
              help="Write one TOOL's files to this folder instead of INPUTS/<tool>/.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="vcio.toml with the [pull] settings. Default: vcio.toml inside or beside --inputs.")
@click.option("--tenant", "tenants", multiple=True,
              help="Microsoft 365: only this configured tenant (repeatable). Default: every tenant in [pull.m365].")
@click.option("--dry-run", is_flag=True,
              help="Print the requests each pull would make and check the credentials are there; no network call.")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Log line format on stderr (json: one JSON object per line).")
@click.option("--log-file", type=click.Path(path_type=Path, dir_okay=False), help="Also append log lines to this file.")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings, errors and the summary.")
def pull(tools: tuple[str, ...], inputs: Path, into: Path | None, config_path: Path | None, tenants: tuple[str, ...],
         dry_run: bool, log_format: str, log_file: Path | None, quiet: bool) -> None:
    """Fetch TOOL's data through its API (read-only) into the CSV files vcio reads, with a pull manifest.

    A tool or tenant that fails keeps its previous files and fails alone. Exit status: 0 done, 1 a tool or tenant
    failed (its earlier files are kept), 2 usage or configuration error (such as a missing credential).
    """
    from ..pull import PullOptions, run_pull
    from .logs import setup_logging

    setup_logging(log_format, log_file, quiet)
    outcome = run_pull(PullOptions(tools=tools, inputs=inputs, into=into, config_path=config_path,
                                   tenants=tenants, dry_run=dry_run))
    for unit in outcome.units:
        if unit.status == "planned":
            click.echo(f"{unit.label}: would write to {unit.folder}")
            for line in unit.plan:
                click.echo(f"  {line}")
            continue
        if unit.status == "ok":
            files = ", ".join(f"{Path(f['path']).name} {f['rows']} rows" for f in unit.files)
            gaps = f"; {len(unit.gaps)} coverage gap{'s' if len(unit.gaps) != 1 else ''}" if unit.gaps else ""
            click.echo(f"{unit.label}: ok, {files} in {unit.folder}{gaps}")
        else:
            kept = ", ".join(Path(k["path"]).name for k in unit.kept) or "no earlier files"
            click.echo(f"{unit.label}: FAILED ({unit.error}); kept {kept}")
    if dry_run:
        click.echo("Dry run: nothing was fetched or written; every credential needed was found.")
    sys.exit(int(outcome.status))


COMMANDS: list[click.Command] = [pull]
