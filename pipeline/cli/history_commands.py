"""`vcio history` and `vcio diff`: read the history store the runs record (thin wrappers over pipeline.history)."""

from __future__ import annotations

import json
from pathlib import Path

import click

_OUT = click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False),
                    help="The output folder of `vcio run` (its history.sqlite is read).")
_DB = click.option("--db", "db", envvar="VCIO_HISTORY_URL", show_envvar=True,
                   help="History database URL (e.g. postgresql+psycopg://user@host/vcio) or SQLite file path. "
                        "Default: OUT/history.sqlite.")
_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def _open(out: Path | None, db: str | None):
    from ..history import HistoryStore
    from ..errors import UsageError

    if out is None and not db:
        raise UsageError("give --out DIR (the output folder of `vcio run`) or --db URL")
    return HistoryStore.open(db, out, create=False)


@click.command(name="history")
@click.argument("client")
@_OUT
@_DB
@_JSON
def history(client: str, out: Path | None, db: str | None, as_json: bool) -> None:
    """Show CLIENT's recorded quarters: grades per area, findings by severity, new and resolved."""
    from ..history import client_history, format_history

    with _open(out, db) as store:
        name = store.resolve_client(client)
        rows = client_history(store, name)
    if as_json:
        click.echo(json.dumps({"client": name, "quarters": rows}, indent=2, ensure_ascii=False))
    else:
        click.echo(format_history(rows, name))


@click.command(name="diff")
@click.argument("client")
@click.option("--from", "from_quarter", required=True, help="Earlier quarter, e.g. 2026-Q3.")
@click.option("--to", "to_quarter", required=True, help="Later quarter, e.g. 2026-Q4.")
@_OUT
@_DB
@_JSON
def diff(client: str, from_quarter: str, to_quarter: str, out: Path | None, db: str | None, as_json: bool) -> None:
    """List CLIENT's findings that are new, still open or resolved between two recorded quarters."""
    from ..history import client_diff, format_diff

    with _open(out, db) as store:
        result = client_diff(store, client, from_quarter, to_quarter)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(format_diff(result), nl=False)


COMMANDS: list[click.Command] = [history, diff]
