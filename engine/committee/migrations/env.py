"""Alembic environment of the committee store.

Run programmatically only (:func:`engine.committee.store.migrate`): the caller passes an
open SQLAlchemy connection in ``config.attributes["connection"]``; nothing here reads a
configuration file, the environment or a global engine.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):  # pragma: no cover - only migrate() runs this
    raise RuntimeError("the committee migrations run through engine.committee.store.migrate()")
context.configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
