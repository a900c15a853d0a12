"""The client review: everything a client's documents say, computed once per client (see model.py)."""

from .build import RunFacts, build_review
from .model import ClientReview

__all__ = ["ClientReview", "RunFacts", "build_review"]
