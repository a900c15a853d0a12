"""Findings: pure rules over a client's model (the review rolls them up into what the documents say)."""

from .engine import RULES, FindingSet, data_gaps, evaluate
from .finding import CATEGORIES, SEVERITIES, Finding, finding_id

__all__ = ["RULES", "FindingSet", "data_gaps", "evaluate", "CATEGORIES", "SEVERITIES", "Finding", "finding_id"]
