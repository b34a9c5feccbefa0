"""Alembic revisions of the committee store, oldest first."""
