"""Subcommands beyond `run`; each is a thin wrapper over a library call."""

from __future__ import annotations

import sys
from pathlib import Path

import click

COMMANDS: list[click.Command] = []


def command(*args, **kwargs):
    def register(function):
        cmd = click.command(*args, **kwargs)(function)
        COMMANDS.append(cmd)
        return cmd
    return register


@click.group(name="lifecycle")
def lifecycle() -> None:
    """Show or update the lifecycle (end-of-support) catalog."""


COMMANDS.append(lifecycle)


@lifecycle.command(name="show")
@click.argument("product")
@click.option("--inputs", type=click.Path(path_type=Path, file_okay=False),
              help="Inputs folder whose lifecycle/ subfolder holds local additions.")
def lifecycle_show(product: str, inputs: Path | None) -> None:
    """Print what the catalog knows about PRODUCT (e.g. windows, windows-server, macos)."""
    from ..catalog.lifecycle import LifecycleCatalog, format_product

    extra = [inputs / "lifecycle"] if inputs and (inputs / "lifecycle").is_dir() else []
    catalog = LifecycleCatalog.load(extra)
    if product not in catalog.products():
        click.echo(f"unknown product {product!r}; known: {', '.join(catalog.products())}", err=True)
        sys.exit(2)
    click.echo(format_product(catalog, product))


@lifecycle.command(name="update")
@click.option("--from", "source", type=click.Path(path_type=Path, dir_okay=False, exists=True), required=True,
              help="An endoflife.date v1 API JSON export of one product.")
@click.option("--product", help="Product slug, when the file does not name it.")
@click.option("--dest", type=click.Path(path_type=Path, file_okay=False),
              help="Catalog folder to write to. Default: inputs/lifecycle in the working folder, which `vcio run "
                   "--inputs inputs` reads as local additions.")
def lifecycle_update(source: Path, product: str | None, dest: Path | None) -> None:
    """Import an endoflife.date JSON export into the catalog, offline."""
    from ..catalog.lifecycle import import_endoflife_json

    # The working folder's catalog, not the installed package: an upgrade would overwrite that, and it may not
    # be writable. The run reads <inputs>/lifecycle after the built-in catalog, release by release.
    target = dest or Path("inputs") / "lifecycle"
    written = import_endoflife_json(source, target, product)
    click.echo(f"catalog updated: {written}")


@command(name="init")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--user", help="The service user the crontab and systemd files name. Default: the folder's owner, "
                             "or vcio when that is root.")
@click.option("--mail", help="Where cron and the systemd failure hook send mail. Default: root.")
def init(folder: Path, user: str | None, mail: str | None) -> None:
    """Create a working folder: inputs/ with a README and examples, vcio.toml, templates/, and deploy/ with a
    crontab and systemd units filled in for this folder (existing files are kept)."""
    from ..scaffold import scaffold

    for path, what in scaffold(folder, user, mail):
        click.echo(f"  {what:7} {path}")
    click.echo(f"Next: put your exports in {folder / 'inputs'} (its README.md says what to export from each tool), "
               f"edit clients.csv and goals.csv, then\n"
               f"  vcio validate --inputs {folder / 'inputs'}\n"
               f"  vcio run --inputs {folder / 'inputs'} --out {folder / 'outputs'}\n"
               f"To schedule it every quarter: {folder.absolute() / 'deploy' / 'README.md'}")


@click.group(name="templates")
def templates() -> None:
    """Copy the built-in templates for rebranding, or check templates before a run."""


COMMANDS.append(templates)


@templates.command(name="init")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
def templates_init(folder: Path) -> None:
    """Copy templates/roadmap.docx and templates/qbr.pptx into FOLDER to rebrand them."""
    import shutil

    from ..resources import TEMPLATE_NAMES, builtin_template

    folder.mkdir(parents=True, exist_ok=True)
    for name in TEMPLATE_NAMES:
        target = folder / name
        if target.exists():
            click.echo(f"  kept    {target}")
            continue
        shutil.copyfile(builtin_template(name), target)
        click.echo(f"  created {target}")
    click.echo("Rebrand them in Word and PowerPoint (logo, colours, fonts, slide master; keep the layout names),\n"
               "then set in vcio.toml:\n  [documents]\n"
               f'  roadmap_template = "{folder / "roadmap.docx"}"\n  qbr_template = "{folder / "qbr.pptx"}"')


@templates.command(name="check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="vcio.toml whose [documents] templates to check (when no PATH is given).")
def templates_check(paths: tuple[Path, ...], config_path: Path | None) -> None:
    """Lint templates (default: the configured ones): unknown variables, missing layouts, render errors."""
    from ..config import load_settings
    from ..render.lint import check_templates, format_reports
    from ..resources import builtin_template

    documents = load_settings(config_path).documents
    if not paths:
        paths = (documents.roadmap_template or builtin_template("roadmap.docx"),
                 documents.qbr_template or builtin_template("qbr.pptx"))
    reports = check_templates(list(paths), allow_external_links=documents.allow_external_links)
    click.echo(format_reports(reports))
    sys.exit(0 if all(r.ok for r in reports) else 1)
