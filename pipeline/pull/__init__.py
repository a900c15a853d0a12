"""`vcio pull`: the only part of vcio that talks to a network. It fetches, read-only, what the PSA, RMM,
distributor and Microsoft 365 APIs know and writes it as the CSV files the ingest profiles read; everything after
that (`vcio validate`, `vcio run`) stays offline and reads files, which a person can still edit or replace.

One module per vendor, one shared HTTP client (http.py), one writer for the CSV files and the pull manifest.
"""

from .run import CONNECTORS, PullOptions, PullOutcome, UnitOutcome, run_pull

__all__ = ["CONNECTORS", "PullOptions", "PullOutcome", "UnitOutcome", "run_pull"]
