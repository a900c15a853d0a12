"""What a Dask worker needs besides the Python environment: the files a job would read from the driver's disk.

A job names its templates, logos and lifecycle folders by the driver's paths. On a remote worker those
paths do not exist (or are other files), so the driver sends their content once per run (scattered to every
worker) and each worker writes the files into a cache folder of its own, named by content hash, and points
the job at them. The lifecycle catalog travels as the catalog the driver loaded.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from ..config import Settings
from ..catalog.lifecycle import LifecycleCatalog
from .client_job import ClientJob, ClientOutput, catalog_for, process_client


@dataclass
class WorkerFiles:
    files: dict[str, bytes]  # the driver's absolute path -> content
    catalog: LifecycleCatalog

    @classmethod
    def collect(cls, jobs: Sequence[ClientJob]) -> "WorkerFiles":
        paths: set[Path] = set()
        for job in jobs:
            paths.update((job.roadmap_template, job.qbr_template))
            paths.update(_logos(job.settings))
        files = {str(path): path.read_bytes() for path in sorted(paths) if path.is_file()}
        catalog = catalog_for(jobs[0].lifecycle_dirs) if jobs else LifecycleCatalog.load()
        return cls(files, catalog)

    def localise(self, job: ClientJob) -> ClientJob:
        """The job with every path pointing at this worker's copy of the driver's file."""
        local = {driver: _cached(content, Path(driver).suffix) for driver, content in self.files.items()}

        def here(path: Path) -> Path:
            return local.get(str(path), path)

        return replace(job, roadmap_template=here(job.roadmap_template), qbr_template=here(job.qbr_template),
                       lifecycle_dirs=(), catalog=self.catalog, settings=_localised(job.settings, local))


def process_remote(job: ClientJob, files: WorkerFiles) -> ClientOutput:
    """process_client on a worker that has none of the driver's files."""
    return process_client(files.localise(job))


def _logos(settings: Settings) -> set[Path]:
    return {s.msp.logo for s in (settings, *settings.clients.values()) if s.msp.logo is not None}


def _localised(settings: Settings, local: dict[str, Path]) -> Settings:
    """The settings (and each client's) with the logo pointing at this worker's copy."""
    def swap(own: Settings) -> Settings:
        logo = own.msp.logo
        if logo is None or str(logo) not in local:
            return own
        return replace(own, msp=replace(own.msp, logo=local[str(logo)]))

    return replace(swap(settings), clients={name: swap(own) for name, own in settings.clients.items()})


def _cached(content: bytes, suffix: str) -> Path:
    """The content as a file in this worker's cache folder, written once (atomically) per content."""
    folder = _cache_folder()
    path = folder / f"{hashlib.sha256(content).hexdigest()}{suffix}"
    if not path.is_file():
        fd, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(temporary, path)
    return path


_FOLDER: list[Path] = []


def _cache_folder() -> Path:
    """A folder only this user can write to: a shared temporary folder must not let another user plant files."""
    if not _FOLDER:
        folder = Path(tempfile.gettempdir()) / f"vcio-worker-files-{os.getuid()}"
        folder.mkdir(mode=0o700, exist_ok=True)
        status = folder.lstat()
        if folder.is_symlink() or status.st_uid != os.getuid() or status.st_mode & 0o022:
            folder = Path(tempfile.mkdtemp(prefix="vcio-worker-files-"))
        _FOLDER.append(folder)
    return _FOLDER[0]
