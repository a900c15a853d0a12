"""vcio's command line: a thin click layer over the library.

Heavy libraries (pandas, matplotlib, python-pptx, docxtpl) are imported inside the
commands that use them, so `vcio --help` and `vcio --version` answer at once.
"""

from __future__ import annotations

import logging
import sys
from datetime import date
from pathlib import Path

import click

from .. import __version__
from ..errors import ExitStatus, VcioError
from .logs import setup_logging


def _date(ctx, param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-20") from None


def _fail(exc: VcioError) -> None:
    click.echo(f"vcio: {exc}", err=True)
    sys.exit(int(exc.status))


class VcioGroup(click.Group):
    """Maps library errors to exit statuses; unexpected errors are internal (70) with a hint."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except VcioError as exc:
            _fail(exc)
        except click.exceptions.Exit:
            raise
        except click.ClickException as exc:
            exc.exit_code = int(ExitStatus.USAGE)
            raise
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - last line of defence: report, never a bare traceback
            import logging
            import traceback

            logging.getLogger("vcio").error("internal error: %s\n%s", exc, traceback.format_exc())
            click.echo(f"vcio: internal error: {type(exc).__name__}: {exc} (please report it with the log)", err=True)
            sys.exit(int(ExitStatus.INTERNAL))


@click.group(cls=VcioGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vcio")
def main() -> None:
    """vcio: quarterly technology roadmaps and QBR decks for every MSP client,
    from the CSV exports of your PSA, RMM and license portals."""


@main.command()
@click.option("--inputs", "inputs", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder of exports (searched recursively), with clients.csv and goals.csv.")
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Output folder; documents go to OUT/<quarter>/<client>/.")
@click.option("--as-of", "as_of", callback=_date, help="Review date (YYYY-MM-DD) fixing every date computation. Default: today.")
@click.option("--quarter", help="Quarter label like 2026-Q4. Default: the quarter of --as-of.")
@click.option("--client", "clients", multiple=True, help="Only this roster client (repeatable).")
@click.option("--all", "all_clients", is_flag=True, help="Render every client, whatever its cadence.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="vcio.toml. Default: vcio.toml inside or beside --inputs, else built-in defaults.")
@click.option("--jobs", type=click.IntRange(min=1), help="Parallel worker processes. Default: the number of CPUs.")
@click.option("--resume", is_flag=True, help="Skip clients whose inputs, settings and documents are unchanged.")
@click.option("--force", is_flag=True, help="Redo every client (presenters' edited documents are still kept).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where per-client work runs: local processes, or an existing Dask cluster.")
@click.option("--scheduler", help="Dask scheduler address (tcp://HOST:8786), with --executor dask.")
@click.option("--progress/--no-progress", default=None, help="Progress bar. Default: on when stderr is a terminal.")
@click.option("--pdf", is_flag=True, help="Also write PDFs of the roadmap and deck (needs LibreOffice).")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Log line format on stderr (json: one JSON object per line).")
@click.option("--log-file", type=click.Path(path_type=Path, dir_okay=False), help="Also append log lines to this file.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors and the one summary line (no progress bar).")
@click.option("--allow-stale", is_flag=True,
              help="Exit 0 even when an input is older than thresholds.stale_input_days (it is still warned about).")
def run(inputs: Path, out: Path, as_of: date | None, quarter: str | None, clients: tuple[str, ...],
        all_clients: bool, config_path: Path | None, jobs: int | None, resume: bool, force: bool, executor: str,
        scheduler: str | None, progress: bool | None, pdf: bool, log_format: str, log_file: Path | None, quiet: bool,
        allow_stale: bool) -> None:
    """Ingest the exports and write each due client's roadmap, QBR deck and findings workbook.

    Exit status: 0 done, 1 some clients failed, 2 usage or configuration error, 3 no usable input,
    4 environment error (output not writable, disk full), 5 documents written but an input is stale (unless
    --allow-stale), 70 internal error, 75 another run holds the lock.
    """
    from ..runner import RunOptions
    from ..runner import run as run_pipeline
    from .summary import print_run_summary

    setup_logging(log_format, log_file, quiet, quiet_level=logging.ERROR)
    if quiet and progress is None:
        progress = False  # -q: the errors and the summary line, nothing drawn
    outcome = run_pipeline(RunOptions(inputs=inputs, out=out, as_of=as_of, quarter=quarter, clients=clients,
                                      all_clients=all_clients, config_path=config_path, jobs=jobs, resume=resume,
                                      force=force, executor=executor, scheduler=scheduler, progress=progress,
                                      pdf=pdf, allow_stale=allow_stale))
    print_run_summary(outcome, inputs)
    sys.exit(int(outcome.status))


def _register_optional_commands() -> None:
    """Commands that live in their own modules (each a thin wrapper over a library call)."""
    from . import commands, history_commands, ingest_commands, profile_commands, pull_commands

    for module in (commands, ingest_commands, history_commands, pull_commands, profile_commands):
        for command in module.COMMANDS:
            main.add_command(command)


_register_optional_commands()
