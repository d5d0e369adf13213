"""Shared fixtures: one embedded PostgreSQL for the whole run, emptied between tests."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

_RUN_DIR = Path(tempfile.mkdtemp(prefix="learn-app-tests-"))
# Settings are read once per process: fix them before anything imports learn_app.
os.environ.setdefault("LEARN_DATA_DIR", str(_RUN_DIR / "data"))
os.environ.setdefault("LEARN_BCRYPT_ROUNDS", "4")  # the policy's cost 12 has its own test
os.environ.setdefault("LEARN_SIGN_IN_RATE_LIMIT", "1000")
os.environ.setdefault("LEARN_SIGN_UP_RATE_LIMIT", "1000")
os.environ.setdefault("LEARN_LOG_JSON", "true")
os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "false")
os.environ.setdefault("XDG_RUNTIME_DIR", str(_RUN_DIR))

import pytest  # noqa: E402
import sqlalchemy  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """The test database: an external one from TEST_DATABASE_URL, else a fresh embedded one."""
    from learn_app import db

    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        url = db.start_embedded_server(_RUN_DIR / "pgdata", cleanup_mode="delete")
    os.environ["DATABASE_URL"] = url
    db.migrate(url)
    yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[sqlalchemy.Engine]:
    from learn_app.db import get_engine

    engine = get_engine()
    yield engine
    _wait_for_background_indexing()
    _empty_tables(engine)


def _wait_for_background_indexing() -> None:
    """A content change made by the test may still be indexing; let it finish first."""
    worker = sys.modules.get("learn_app.rag.worker")
    if worker is not None:
        assert worker.wait_idle(timeout=120), "background indexing did not finish"


@pytest.fixture
def session(engine: sqlalchemy.Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    from learn_app.services.accounts.ratelimit import limiter, sign_in_backoff

    limiter.reset()
    sign_in_backoff.reset()


def _empty_tables(engine: sqlalchemy.Engine) -> None:
    """Every table of the models empty and every id counting from the start again, as a
    `TRUNCATE … RESTART IDENTITY` leaves them, but for the few tables a test wrote to.

    A TRUNCATE of all the tables gives each a new file, an eighth of a second or more after
    every test; deleting the rows a test left costs a few milliseconds. Triggers and foreign
    keys are set aside while the rows go (`session_replication_role`, a superuser's setting),
    as every table ends empty; a server that does not allow it gets the TRUNCATE.
    """
    import learn_app.models  # noqa: F401

    names = [table.name for table in SQLModel.metadata.sorted_tables]
    with engine.begin() as connection:
        if not connection.execute(sqlalchemy.text(_IS_SUPERUSER)).scalar():
            quoted = ", ".join(f'"{name}"' for name in names)
            connection.execute(sqlalchemy.text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
            return
        written = connection.execute(sqlalchemy.text(_tables_with_rows(names))).scalars().all()
        if written:
            connection.execute(sqlalchemy.text("SET LOCAL session_replication_role = replica"))
            for name in written:
                connection.execute(sqlalchemy.text(f'DELETE FROM "{name}"'))
        connection.execute(sqlalchemy.text(_RESTART_USED_SEQUENCES))


_IS_SUPERUSER = "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
# The models' ids are serial columns of the public schema; TRUNCATE … RESTART IDENTITY starts
# those of the tables it empties again. A sequence never used since it was last restarted has
# no last value.
_RESTART_USED_SEQUENCES = """
SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false)
FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL
"""


def _tables_with_rows(names: list[str]) -> str:
    return " UNION ALL ".join(
        f"SELECT '{name}' WHERE EXISTS (SELECT FROM \"{name}\")" for name in names
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by folder, so `-m "not e2e"` or `-m integration` select them."""
    for item in items:
        parts = Path(str(item.fspath)).parts
        if "integration" in parts:
            item.add_marker(pytest.mark.integration)
        elif "e2e" in parts:
            item.add_marker(pytest.mark.e2e)
