"""The committee store's databases: every store test runs on SQLite (a temporary file)
and on PostgreSQL when ``SHORTLIST_TEST_POSTGRES_URL`` names a database the tests may
empty (``.ci/run`` starts Debian's PostgreSQL and sets it). Without it the PostgreSQL
cases are skipped, with the reason; under ``SHORTLIST_E2E_REQUIRED=1`` or
``SHORTLIST_POSTGRES_REQUIRED=1`` (CI) a missing server is a failure instead."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

POSTGRES_URL = os.environ.get("SHORTLIST_TEST_POSTGRES_URL", "")
REQUIRED = "1" in (os.environ.get("SHORTLIST_E2E_REQUIRED"), os.environ.get("SHORTLIST_POSTGRES_REQUIRED"))
SKIP_REASON = (
    "PostgreSQL store tests need SHORTLIST_TEST_POSTGRES_URL=postgresql+psycopg://user:password@host/db "
    "(a database they may empty; .ci/run starts one)"
)


def empty_postgres(url: str) -> None:
    """Drop everything in the test database's public schema (the tests own it)."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or the emptied PostgreSQL test database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'committee.db'}"
        return
    if not POSTGRES_URL:
        if REQUIRED:
            pytest.fail(
                SKIP_REASON + "; required here (SHORTLIST_E2E_REQUIRED/SHORTLIST_POSTGRES_REQUIRED=1)"
            )
        pytest.skip(SKIP_REASON)
    empty_postgres(POSTGRES_URL)
    yield POSTGRES_URL
