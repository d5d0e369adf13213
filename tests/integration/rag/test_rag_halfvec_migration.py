"""Revision 0018 converts an existing chunk index to half-precision embeddings in place."""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy

from alembic import command
from learn_app import db
from learn_app.config import get_settings
from tests.integration.test_migrations import empty_database_url  # noqa: F401  (fixture)

pytestmark = pytest.mark.integration


def libpq(url: str) -> str:
    return sqlalchemy.make_url(url).set(drivername="postgresql").render_as_string(False)


def embedding_layout(connection: psycopg.Connection, relation: str) -> tuple[str, str, str]:
    """The embedding column's type and storage, and the HNSW index's definition."""
    column = connection.execute(
        "SELECT format_type(atttypid, atttypmod), attstorage FROM pg_attribute"
        " WHERE attrelid = to_regclass(%s) AND attname = 'embedding'",
        (relation,),
    ).fetchone()
    index = connection.execute(
        "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
        (f"{get_settings().rag_table}_hnsw",),
    ).fetchone()
    assert column is not None and index is not None
    return column[0], column[1], index[0]


def test_an_index_of_full_precision_vectors_is_converted_without_embedding_again(
    empty_database_url: str,  # noqa: F811
) -> None:
    config = db.alembic_config(empty_database_url)
    command.upgrade(config, "head")
    command.downgrade(config, "0018-1")  # before 0018, with no chunk table: nothing to do
    schema, table = get_settings().rag_schema, get_settings().rag_table
    relation = f'"{schema}"."{table}"'
    with psycopg.connect(libpq(empty_database_url), autocommit=True) as connection:
        # The chunk table as the store created it until now.
        connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        connection.execute(
            f"CREATE TABLE {relation} (id varchar(128) PRIMARY KEY, embedding vector(3),"
            " content text, meta jsonb)"
        )
        connection.execute(
            f'CREATE INDEX "{table}_hnsw" ON {relation} USING hnsw (embedding vector_cosine_ops)'
        )
        connection.execute(
            f"INSERT INTO {relation} VALUES ('word-1-0', '[1, 0, 0]', 'one', '{{}}'),"
            " ('word-2-0', '[0.6, 0.8, 0]', 'two', '{}'), ('word-3-0', '[0, 0, 1]', 'three', '{}')"
        )
        connection.execute(f"COMMENT ON TABLE {relation} IS 'model=m dimension=3 keywords=2'")

        command.upgrade(config, "0018")

        kind, storage, index = embedding_layout(connection, relation)
        assert (kind, storage) == ("halfvec(3)", "m")
        assert "hnsw (embedding halfvec_cosine_ops)" in index and "m='16'" in index
        nearest = connection.execute(
            f"SELECT id, content FROM {relation} ORDER BY embedding <=> '[0.7, 0.7, 0]' LIMIT 3"
        ).fetchall()
        assert nearest == [("word-2-0", "two"), ("word-1-0", "one"), ("word-3-0", "three")]
        # The record of the model that wrote the vectors stays: no rebuild follows.
        comment = connection.execute(
            "SELECT obj_description(to_regclass(%s), 'pg_class')", (relation,)
        ).fetchone()
        assert comment == ("model=m dimension=3 keywords=2",)

        command.downgrade(config, "0018-1")

        kind, storage, index = embedding_layout(connection, relation)
        assert (kind, storage) == ("vector(3)", "e")
        assert "hnsw (embedding vector_cosine_ops)" in index
        assert connection.execute(f"SELECT count(*) FROM {relation}").fetchone() == (3,)
