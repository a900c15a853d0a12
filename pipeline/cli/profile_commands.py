"""`vcio profiles list` and `vcio profiles suggest`: the formats vcio reads, and a profile for one it does not."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from ..errors import ExitStatus

PROBLEMS = 1  # suggest: no usable mapping (no kind of record, or nothing identifies a row)


@click.group(name="profiles")
def profiles() -> None:
    """List the ingest profiles (the export formats vcio recognises) or draft one for an unknown export."""


def _load(inputs: Path | None):
    from ..ingest.profiles import load_profiles

    return load_profiles([inputs / "profiles"] if inputs else [])


@profiles.command(name="list")
@click.option("--inputs", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Inputs folder: its profiles/ are listed too (a profile named like a built-in one replaces it).")
@click.option("--json", "as_json", is_flag=True, help="One JSON array with every profile's details.")
def profiles_list(inputs: Path | None, as_json: bool) -> None:
    """Every profile: the tool that writes the file, the kind of record, whether its headers are verified against
    a real file, and the headers that identify the file."""
    from ..ingest.profiles import BUILTIN_DIR
    from ..texttable import text_table

    found = sorted(_load(inputs), key=lambda p: (p.tool.lower(), p.name))
    if as_json:
        click.echo(json.dumps([{"name": p.name, "tool": p.tool, "title": p.title, "entity": p.entity,
                                "verified": p.verified, "verified_note": p.verified_note,
                                "required": list(p.required), "columns": {k: list(v) for k, v in p.columns.items()},
                                "builtin": Path(p.path).parent == BUILTIN_DIR, "path": p.path} for p in found],
                              indent=2, ensure_ascii=False))
        return
    rows = [[p.name + ("" if Path(p.path).parent == BUILTIN_DIR else " *"), p.tool, p.entity, p.verified,
             ", ".join(p.required)] for p in found]
    for line in text_table(["Profile", "Tool", "Entity", "Verified", "Required headers"], rows):
        click.echo(line)
    if any(Path(p.path).parent != BUILTIN_DIR for p in found):
        click.echo("* from the inputs folder's profiles/")
    click.echo("verified: yes = headers seen in a real file; partial = the API's field names, not a file a person "
               "downloads; no = not checked against a real file.")


@profiles.command(name="suggest")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--inputs", type=click.Path(path_type=Path, file_okay=False),
              help="Inputs folder whose profiles/ --write saves to and whose profiles count as known. Default: the "
                   "nearest folder above FILE with a clients.csv or profiles/, else ./inputs.")
@click.option("--entity", type=click.Choice(["device", "warranty", "user", "user_activity", "mfa", "subscription",
                                             "contract"]),
              help="The kind of record the file holds, when the guess from its header is wrong.")
@click.option("--map", "mapped", multiple=True, metavar="FIELD=COLUMN",
              help="Map a canonical field to a column yourself (repeatable), e.g. --map product=\"Offer Name\".")
@click.option("--name", help="Name of the profile to write. Default: local_<file name>.")
@click.option("--write", is_flag=True, help="Save the profile as INPUTS/profiles/<name>.toml (never replaces a file).")
@click.option("--json", "as_json", is_flag=True, help="Print the suggestion as JSON.")
def profiles_suggest(file: Path, inputs: Path | None, entity: str | None, mapped: tuple[str, ...], name: str | None,
                     write: bool, as_json: bool) -> None:
    """Infer a profile for an export no profile recognises, from its header and sample values: print each
    canonical field's column with a confidence, and what stays unmapped; with --write, save it where
    `vcio validate` and `vcio run` read it.

    Exit status: 0 a usable mapping (or the file is recognised already), 1 no kind of record or no column that
    identifies a row, 2 usage error.
    """
    from ..errors import DecodeError, ProfileError
    from ..ingest import suggest

    forced = {}
    for item in mapped:
        field_name, sep, column = item.partition("=")
        if not sep or not field_name.strip() or not column.strip():
            raise click.BadParameter(f"{item!r}: expected FIELD=COLUMN", param_hint="--map")
        forced[field_name.strip()] = column.strip()
    folder = suggest.inputs_folder_for(file, inputs)
    try:
        known = _load(folder)
        suggestion = suggest.suggest_profile(file, known, entity, forced)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--map") from None
    except (DecodeError, ProfileError, OSError) as exc:
        click.echo(f"vcio: {file}: {exc}", err=True)
        sys.exit(int(ExitStatus.USAGE))
    if suggestion.recognised_as and not (entity or forced):
        profile = suggestion.recognised_as
        click.echo(f"{file.name} is recognised already as {profile.name} ({profile.tool}, verified: "
                   f"{profile.verified}): no new profile is needed. `vcio validate` shows how its rows fare.")
        return
    if as_json:
        click.echo(json.dumps(suggestion.as_dict(), indent=2, ensure_ascii=False))
    else:
        for line in suggest.format_suggestion(suggestion):
            click.echo(line)
    if not suggestion.usable:
        click.echo("No profile can be written from this: give --entity and --map for the fields above.", err=True)
        sys.exit(PROBLEMS)
    if not write:
        if not as_json:
            click.echo(f"Save it with: vcio profiles suggest {file} --write" +
                       (f" --inputs {folder}" if inputs else ""))
        return
    if folder is None:
        raise click.UsageError("--write needs --inputs DIR (no inputs folder was found above the file)")
    target_name = name or suggest.profile_name(file, (p.name for p in known))
    try:
        path = suggest.write_profile(suggestion, folder / "profiles", target_name, date.today())
    except FileExistsError as exc:
        raise click.UsageError(str(exc)) from None
    problem = suggest.check_written(path, suggestion.header, known)
    click.echo(f"Saved {path} (verified = \"no\" until you check it). `vcio validate --inputs {folder}` now reads "
               f"{file.name} with it.")
    if problem:
        click.echo(f"warning: {problem}: add a header that only this export has to `required` in {path}", err=True)


COMMANDS: list[click.Command] = [profiles]
