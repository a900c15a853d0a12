"""Runner: batch, parallelism, atomic writes, manifest."""

from .environment import Environment
from .options import RunOptions, RunOutcome
from .run import run
from .selection import resolve_period

__all__ = ["Environment", "RunOptions", "RunOutcome", "resolve_period", "run"]
