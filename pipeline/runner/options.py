"""What a run is asked to do (RunOptions) and what it reports back (RunOutcome).

Their own module so the runner's phases (selection, load, delivery) can name them without importing run.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import ExitStatus
from .client_job import ClientOutput


@dataclass
class RunOptions:
    inputs: Path
    out: Path
    as_of: date | None = None
    quarter: str | None = None
    clients: tuple[str, ...] = ()
    all_clients: bool = False
    config_path: Path | None = None
    jobs: int | None = None
    resume: bool = False
    force: bool = False
    allow_stale: bool = False  # exit 0, not 5, when an input is older than thresholds.stale_input_days
    executor: str = "local"  # local | dask
    scheduler: str | None = None
    progress: bool | None = None  # None: on when stderr is a terminal
    pdf: bool = False  # also convert the roadmap and deck to PDF with LibreOffice


@dataclass
class RunOutcome:
    status: ExitStatus
    manifest: dict
    manifest_path: Path | None
    outputs: dict[str, ClientOutput] = field(default_factory=dict)

    @property
    def quarter_dir(self) -> Path | None:
        return self.manifest_path.parent if self.manifest_path else None
