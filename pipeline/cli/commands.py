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
    from ..findings.lifecycle import LifecycleCatalog, format_product

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
              help="Catalog folder to write to. Default: the built-in catalog.")
def lifecycle_update(source: Path, product: str | None, dest: Path | None) -> None:
    """Import an endoflife.date JSON export into the catalog, offline."""
    from ..findings.lifecycle import import_endoflife_json

    target = dest or Path(__file__).resolve().parent.parent / "data" / "lifecycle"
    written = import_endoflife_json(source, target, product)
    click.echo(f"catalog updated: {written}")


@command(name="init")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
def init(folder: Path) -> None:
    """Create a working folder: inputs/ with a README and examples, vcio.toml, templates/."""
    from ..scaffold import scaffold

    for path, what in scaffold(folder):
        click.echo(f"  {what:7} {path}")
    click.echo(f"Next: put your exports in {folder / 'inputs'}, edit clients.csv and goals.csv, then\n"
               f"  vcio validate --inputs {folder / 'inputs'}\n"
               f"  vcio run --inputs {folder / 'inputs'} --out {folder / 'outputs'}")
