"""vcio's own outputs found below --inputs: never read as exports.

A working folder made by `vcio init` holds inputs/ and outputs/ side by side; pointed at its root, the ingest
would read the findings, rejects and decisions templates of earlier runs as data (six decisions templates once
became 309 "decisions").  Outputs are recognised by where they are, never by their file names: the --out folder
of this run, and any folder holding a vcio manifest or history store.  A decisions template filled in and copied
into the inputs, as the workflow says, is an input like any other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

MANIFEST_NAME = "manifest.json"
HISTORY_NAME = "history.sqlite"
# Keys every manifest `vcio run` writes has had since its first schema.
MANIFEST_KEYS = {"schema", "vcio_version", "quarter", "clients"}
_SQLITE_MAGIC = b"SQLite format 3\x00"
# What a working folder's root holds (`vcio init`): its inputs/ beside the settings.
WORKING_ROOT_MARKS = ("vcio.toml", "inputs")


def is_vcio_manifest(path: Path) -> bool:
    """A manifest.json that `vcio run` wrote (not any JSON file of that name)."""
    try:
        with path.open("rb") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and MANIFEST_KEYS <= data.keys()


def is_history_store(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC
    except OSError:
        return False


def is_output_folder(folder: Path) -> bool:
    """A quarter folder (its manifest) or an output root (its history store)."""
    return is_vcio_manifest(folder / MANIFEST_NAME) or is_history_store(folder / HISTORY_NAME)


@dataclass
class OwnOutputs:
    """Which files below ``inputs`` are vcio's outputs; ``out`` is this run's output folder, if any."""

    inputs: Path
    out: Path | None = None
    skipped: set[str] = field(default_factory=set)  # output folders found, relative to inputs ("." for inputs)
    _verdicts: dict[PurePosixPath, bool] = field(default_factory=dict, repr=False)

    @cached_property
    def _out_inside(self) -> PurePosixPath | None:
        """--out relative to --inputs, when it lies strictly inside it."""
        if self.out is None:
            return None
        inputs, out = self.inputs.resolve(), self.out.resolve()
        if out == inputs or not out.is_relative_to(inputs):
            return None
        return PurePosixPath(out.relative_to(inputs).as_posix())

    def holds(self, path: Path) -> bool:
        """True when ``path`` (a file below inputs) lies in one of vcio's output folders."""
        relative = PurePosixPath(path.relative_to(self.inputs).as_posix())
        for folder in reversed([*relative.parents]):  # ".", then the outermost folder first
            if self._is_output(folder):
                self.skipped.add(folder.as_posix())
                return True
        return False

    def _is_output(self, folder: PurePosixPath) -> bool:
        verdict = self._verdicts.get(folder)
        if verdict is None:
            verdict = folder == self._out_inside or is_output_folder(self.inputs / folder)
            self._verdicts[folder] = verdict
        return verdict

    def warnings(self) -> list[str]:
        """One warning when --inputs looks like a working folder's root, or is itself an output folder."""
        if not self.skipped:
            return []
        folders = ", ".join(f"{f}/" for f in sorted(self.skipped))
        if "." in self.skipped:
            return [f"--inputs {self.inputs} is one of vcio's output folders (it holds a manifest or history "
                    "store): nothing in it was read; point --inputs at the folder of exports"]
        if all((self.inputs / mark).exists() for mark in WORKING_ROOT_MARKS):
            return [f"--inputs {self.inputs} looks like a working folder's root (it holds vcio.toml and inputs/): "
                    f"vcio's own outputs under it were not read ({folders}); point --inputs at "
                    f"{self.inputs / 'inputs'}"]
        return []

    def describe(self) -> list[str]:
        """The skipped folders, for the manifest and `vcio validate`."""
        return sorted(self.skipped)
