"""Query-side definitions of the history tables (the DDL lives, frozen per version, in migrations.py)."""

from __future__ import annotations

import sqlalchemy as sa

snapshots = sa.table(
    "snapshots",
    sa.column("id", sa.Integer), sa.column("client_key", sa.String), sa.column("client", sa.String),
    sa.column("quarter", sa.String), sa.column("as_of", sa.Date), sa.column("recorded_at", sa.String),
    sa.column("vcio_version", sa.String), sa.column("finding_count", sa.Integer),
    sa.column("budget_next_four", sa.Float), sa.column("budget_one_time", sa.Float),
    sa.column("budget_recurring", sa.Float), sa.column("budget_savings", sa.Float),
)
findings = sa.table(
    "snapshot_findings",
    sa.column("snapshot_id", sa.Integer), sa.column("finding_id", sa.String), sa.column("rule", sa.String),
    sa.column("category", sa.String), sa.column("severity", sa.String), sa.column("title", sa.Text),
    sa.column("subject", sa.Text), sa.column("subject_kind", sa.String), sa.column("due_date", sa.Date),
    sa.column("estimated_cost", sa.Float), sa.column("cost_kind", sa.String),
)
risks = sa.table(
    "snapshot_risks",
    sa.column("snapshot_id", sa.Integer), sa.column("risk_id", sa.String), sa.column("title", sa.Text),
    sa.column("category", sa.String), sa.column("likelihood", sa.Integer), sa.column("impact", sa.Integer),
    sa.column("score", sa.Integer), sa.column("band", sa.String), sa.column("cost_of_inaction", sa.Text),
    sa.column("finding_count", sa.Integer),
)
grades = sa.table(
    "snapshot_grades",
    sa.column("snapshot_id", sa.Integer), sa.column("area", sa.String), sa.column("label", sa.String),
    sa.column("percent", sa.Float), sa.column("score", sa.Integer), sa.column("colour", sa.String),
    sa.column("assessed", sa.Integer), sa.column("affected", sa.Integer),
)
initiatives = sa.table(
    "snapshot_initiatives",
    sa.column("snapshot_id", sa.Integer), sa.column("initiative_id", sa.String), sa.column("rank", sa.Integer),
    sa.column("kind", sa.String), sa.column("title", sa.Text), sa.column("severity", sa.String),
    sa.column("phase", sa.String), sa.column("target_quarter", sa.String), sa.column("one_time_cost", sa.Float),
    sa.column("annual_recurring", sa.Float), sa.column("owner", sa.String),
)
initiative_findings = sa.table(
    "snapshot_initiative_findings",
    sa.column("snapshot_id", sa.Integer), sa.column("initiative_id", sa.String), sa.column("finding_id", sa.String),
)
budget = sa.table(
    "snapshot_budget",
    sa.column("snapshot_id", sa.Integer), sa.column("budget_quarter", sa.String), sa.column("category", sa.String),
    sa.column("amount", sa.Float),
)
decisions = sa.table(
    "snapshot_decisions",
    sa.column("snapshot_id", sa.Integer), sa.column("item_id", sa.String), sa.column("item_kind", sa.String),
    sa.column("title", sa.Text), sa.column("decision", sa.String), sa.column("decided_on", sa.Date),
    sa.column("decided_by", sa.String), sa.column("note", sa.Text), sa.column("revisit_quarter", sa.String),
    sa.column("risk_of_inaction", sa.Text), sa.column("finding_ids", sa.Text), sa.column("completed", sa.Boolean),
    sa.column("first_quarter", sa.String),
)

# Children first: the order record_snapshot deletes a snapshot's rows in (whatever the foreign-key setting).
CHILD_TABLES = (decisions, budget, initiative_findings, initiatives, grades, risks, findings)
