"""Exit statuses: owned by the core, used by the CLI, documented in README."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0  # done: every due client has its documents
    CLIENTS_FAILED = 1  # some clients failed (see the manifest); the others are done
    USAGE = 2  # usage or configuration error
    NO_INPUT = 3  # no usable input: nothing recognised, or no rows accepted
    ENVIRONMENT = 4  # environment error: output not writable, disk full, template unreadable
    INTERNAL = 70  # a bug: please report it with the log
    LOCKED = 75  # another run holds the lock on the output folder


class VcioError(Exception):
    """An error with a person-readable message and the exit status it maps to."""

    status = ExitStatus.INTERNAL

    def __init__(self, message: str, status: ExitStatus | None = None):
        super().__init__(message)
        if status is not None:
            self.status = status


class UsageError(VcioError):
    status = ExitStatus.USAGE


class NoInputError(VcioError):
    status = ExitStatus.NO_INPUT


class EnvironmentProblem(VcioError):
    status = ExitStatus.ENVIRONMENT


class LockedError(VcioError):
    status = ExitStatus.LOCKED
