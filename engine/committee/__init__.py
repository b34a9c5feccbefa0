"""Committee decisions: members weigh the criteria on their own, the owner closes, the
group's priorities, consensus and dissent follow (issue 17).

Layers: :mod:`engine.committee.store` keeps decisions in a database (SQLAlchemy 2,
Alembic migrations; SQLite or PostgreSQL); :mod:`engine.committee.analysis` turns the
members' latest submissions into the group result with :mod:`engine.mcda.group`;
:mod:`engine.committee.record` writes the committee decision record. The package sits
above the reports and below the CLI (``[tool.importlinter]`` in pyproject.toml); it
prints nothing and keeps no global state (a :class:`~engine.committee.store.Store` is an
object the caller makes and closes).
"""
