"""Findings: pure rules over a client's model, then risks, grades, initiatives and budget."""

from .engine import RULES, FindingSet, data_gaps, evaluate
from .finding import CATEGORIES, SEVERITIES, Finding, finding_id
from .rollup import (GRADE_METHOD, RISK_METHOD, Budget, Grade, Initiative, Risk, budget, grades, initiatives,
                     risks)

__all__ = ["RULES", "FindingSet", "data_gaps", "evaluate", "CATEGORIES", "SEVERITIES", "Finding", "finding_id",
           "GRADE_METHOD", "RISK_METHOD", "Budget", "Grade", "Initiative", "Risk", "budget", "grades",
           "initiatives", "risks"]
