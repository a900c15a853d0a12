"""What can go wrong in a pull, and how each maps to the command's exit status."""

from __future__ import annotations

from ..errors import ExitStatus, UsageError, VcioError


class CredentialError(UsageError):
    """A credential is missing, or the credentials file is unsafe or unreadable: a configuration error (exit 2)."""


class PullFailed(VcioError):
    """One tool's (or one tenant's) pull could not finish; its previous files are kept (exit 1)."""

    status = ExitStatus.CLIENTS_FAILED


class Forbidden(PullFailed):
    """403: the API key's scopes or the tenant's licence do not allow this endpoint."""

    def __init__(self, message: str, endpoint: str):
        super().__init__(message)
        self.endpoint = endpoint


class NotFound(PullFailed):
    """404: the record is gone (a device deleted between listing and auditing it)."""
