"""Runner: batch, parallelism, atomic writes, manifest."""

from .environment import Environment
from .run import RunOptions, RunOutcome, resolve_period, run

__all__ = ["Environment", "RunOptions", "RunOutcome", "resolve_period", "run"]
