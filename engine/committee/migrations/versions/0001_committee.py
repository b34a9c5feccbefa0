"""The committee store: decisions, members, tokens, append-only submissions.

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the four tables, and the triggers that keep submissions append-only."""
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("method", sa.String(32), nullable=False),
        sa.Column("criteria", sa.JSON, nullable=False),
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.Column("priorities_name", sa.String(200), nullable=False),
        sa.Column("priorities_yaml", sa.Text, nullable=False),
        sa.Column("vendors_dir", sa.Text, nullable=False),
        sa.Column("criteria_dir", sa.Text, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("closed_at", _TS, nullable=True),
        sa.Column("aggregation", sa.String(32), nullable=True),
        sa.Column("result", sa.JSON, nullable=True),
        sa.CheckConstraint("state IN ('open', 'closed')", name="ck_decisions_state"),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("decision_id", sa.Integer, sa.ForeignKey("decisions.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.UniqueConstraint("decision_id", "name", name="uq_members_decision_name"),
        sa.CheckConstraint("weight > 0", name="ck_members_weight"),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("decision_id", sa.Integer, sa.ForeignKey("decisions.id"), nullable=False),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("revoked_at", _TS, nullable=True),
        sa.UniqueConstraint("token_hash", name="uq_tokens_hash"),
        sa.CheckConstraint("role IN ('owner', 'member')", name="ck_tokens_role"),
        sa.CheckConstraint(
            "(role = 'owner' AND member_id IS NULL) OR (role = 'member' AND member_id IS NOT NULL)",
            name="ck_tokens_member",
        ),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("decision_id", sa.Integer, sa.ForeignKey("decisions.id"), nullable=False),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.UniqueConstraint("member_id", "revision", name="uq_submissions_member_revision"),
        sa.CheckConstraint("kind IN ('weights', 'order', 'ahp')", name="ck_submissions_kind"),
        sa.CheckConstraint("revision >= 1", name="ck_submissions_revision"),
    )
    op.create_index("ix_submissions_decision", "submissions", ["decision_id", "member_id", "revision"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER submissions_append_only_{event.lower()} BEFORE {event} ON submissions "
                "BEGIN SELECT RAISE(ABORT, 'submissions are append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION submissions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'submissions are append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER submissions_append_only BEFORE UPDATE OR DELETE ON submissions "
            "FOR EACH ROW EXECUTE FUNCTION submissions_append_only()"
        )


def downgrade() -> None:
    """Drop everything (the data with it)."""
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS submissions_append_only ON submissions")
        op.execute("DROP FUNCTION IF EXISTS submissions_append_only()")
    op.drop_index("ix_submissions_decision", "submissions")
    for table in ("submissions", "tokens", "members", "decisions"):
        op.drop_table(table)
