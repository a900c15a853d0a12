"""Exit statuses and the one error root they travel with.

The core owns the statuses (the CLI only maps a `VcioError` to its `status`); README's exit-status table
documents them. Each domain has its own class, so a caller can catch "any template problem" or "any history
problem" without knowing which module raised it, and every class says which status it ends a run with.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0  # done: every due client has its documents
    CLIENTS_FAILED = 1  # some clients failed (see the manifest); the others are done
    USAGE = 2  # usage or configuration error
    NO_INPUT = 3  # no usable input: nothing recognised, or no rows accepted
    ENVIRONMENT = 4  # environment error: output not writable, disk full, template unreadable, store unreachable
    STALE_INPUT = 5  # documents written, but some inputs are older than thresholds.stale_input_days (--allow-stale: 0)
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
    """A command used wrongly: a bad option, an unknown client."""

    status = ExitStatus.USAGE


class ConfigError(UsageError):
    """The configuration file is unreadable or holds a wrong value; the message names the file, section, key."""


class InputError(VcioError):
    """The inputs cannot be used: nothing recognised, a malformed profile, an unreadable file."""

    status = ExitStatus.NO_INPUT


class NoInputError(InputError):
    """No data file was recognised, or no row was accepted."""


class ProfileError(InputError):
    """A profile file is malformed; the message names the file and the problem. A user's own profile is part of
    the configuration of the inputs, so it ends a run with the usage status."""

    status = ExitStatus.USAGE


class DecodeError(InputError):
    """A file cannot be decoded as text or as a table: a per-file problem, reported in the manifest."""


class CatalogError(InputError):
    """A lifecycle catalog file is malformed or missing (a user's local additions, or an import)."""

    status = ExitStatus.USAGE


class TemplateError(VcioError):
    """A document template is unusable: the message says what is wrong and how to fix it."""

    status = ExitStatus.ENVIRONMENT


class HistoryError(VcioError):
    """A history request that cannot be answered. Unknown client or quarter, no database: usage (2). Database
    unreachable, driver missing, schema too new: environment (4)."""

    status = ExitStatus.USAGE


class SchemaTooNew(HistoryError):
    """The database was migrated by a newer vcio than this one."""

    status = ExitStatus.ENVIRONMENT


class HistoryUnavailable(HistoryError):
    """The store cannot be reached or written now (server stopped, connection lost, database locked, disk
    full): nothing more can be recorded in this run."""

    status = ExitStatus.ENVIRONMENT


class HistoryDataError(HistoryError):
    """The store refused these rows (a value too long for a PostgreSQL column, say): the client they belong
    to fails, the store itself is fine."""

    status = ExitStatus.ENVIRONMENT


class EnvironmentProblem(VcioError):
    """The machine cannot do what was asked: output not writable, disk full, a tool missing."""

    status = ExitStatus.ENVIRONMENT


class SchedulerUnavailable(EnvironmentProblem):
    """The Dask scheduler cannot be reached."""


class PdfUnavailable(EnvironmentProblem):
    """LibreOffice is not installed: the documents are written, without PDFs."""


class LockedError(VcioError):
    """Another vcio run holds the lock on the output folder."""

    status = ExitStatus.LOCKED


class ClientFailure(VcioError):
    """One client's work failed; the run goes on with the others and ends with CLIENTS_FAILED."""

    status = ExitStatus.CLIENTS_FAILED


class TimeLimitExceeded(ClientFailure):
    """A block of work ran longer than its limit; the message says what to check."""
