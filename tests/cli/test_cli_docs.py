"""Every command is documented (in its --help and in README), and the CLI starts without heavy imports."""

import subprocess
import sys

import click
import pytest

from pipeline.cli import main

from ..conftest import REPO


def all_commands(group: click.Group, prefix: str = "vcio"):
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from all_commands(command, path)


COMMANDS = list(all_commands(main))


def test_expected_commands_exist():
    names = {path for path, _ in COMMANDS}
    assert {"vcio run", "vcio init", "vcio lifecycle show", "vcio lifecycle update"} <= names


@pytest.mark.parametrize("path, command", COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_has_help_and_readme_entry(path, command):
    assert command.help and len(command.help.strip()) > 20, f"{path} needs a docstring"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"`{path}" in readme, f"README.md must document `{path}`"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"{path} {param.opts[0]} needs help text"


def test_help_does_not_import_heavy_libraries():
    code = ("import sys, pipeline.cli; heavy = [m for m in ('pandas', 'matplotlib', 'pptx', 'docxtpl', 'docx', "
            "'openpyxl', 'sqlalchemy') if m in sys.modules]; print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_version():
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "--version"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0 and "vcio" in result.stdout
