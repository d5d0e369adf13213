"""The migrations build, on an empty database, exactly the schema the models describe."""

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy
from sqlalchemy.engine import make_url

from alembic import command
from learn_app import db

pytestmark = pytest.mark.integration


@pytest.fixture
def empty_database_url(database_url: str) -> Iterator[str]:
    """A brand-new database on the test server, dropped afterwards."""
    name = f"migrations_{uuid.uuid4().hex[:12]}"
    server = sqlalchemy.create_engine(
        db._sqlalchemy_url(database_url),
        isolation_level="AUTOCOMMIT",
        poolclass=sqlalchemy.NullPool,
    )
    with server.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    url = make_url(db._sqlalchemy_url(database_url)).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def table_names(url: str) -> set[str]:
    engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.NullPool)
    try:
        return set(sqlalchemy.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def has_vector_extension(url: str) -> bool:
    engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.NullPool)
    try:
        with engine.connect() as connection:
            return bool(
                connection.execute(
                    sqlalchemy.text("select count(*) from pg_extension where extname = 'vector'")
                ).scalar()
            )
    finally:
        engine.dispose()


def test_upgrading_an_empty_database_builds_the_schema_with_pgvector(empty_database_url) -> None:
    db.migrate(empty_database_url)
    assert has_vector_extension(empty_database_url)
    assert {"user", "auth_session", "audit_event", "review", "classroom"} <= table_names(
        empty_database_url
    )


def test_the_migrations_match_the_models_with_no_drift(empty_database_url) -> None:
    db.migrate(empty_database_url)
    command.check(db.alembic_config(empty_database_url))  # raises if autogenerate sees a diff


def test_downgrading_to_base_and_upgrading_again_works(empty_database_url) -> None:
    db.migrate(empty_database_url)
    config = db.alembic_config(empty_database_url)
    command.downgrade(config, "base")
    assert table_names(empty_database_url) == set()
    command.upgrade(config, "head")
    command.check(config)
    assert "user" in table_names(empty_database_url)
