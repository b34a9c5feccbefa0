"""Alembic migrations of the committee store (run by :func:`engine.committee.store.migrate`)."""
