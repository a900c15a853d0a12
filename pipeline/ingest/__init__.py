"""Ingest: detect each export's format, decode, map columns, validate, reject with reasons."""

from .folder import FileReport, IngestOptions, IngestResult, Reject, Unrecognised, discover, ingest_folder
from ..errors import ProfileError
from .profiles import Profile, load_profiles

__all__ = ["FileReport", "IngestOptions", "IngestResult", "Reject", "Unrecognised", "discover",
           "ingest_folder", "Profile", "ProfileError", "load_profiles"]
