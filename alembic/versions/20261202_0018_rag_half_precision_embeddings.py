"""rag: half-precision embeddings

The chunk table in the search schema (outside the models, see `learn_app/rag/store.py`) stores
its embeddings as `halfvec` instead of `vector`: the HNSW index is half the size and a chunk's
row keeps its embedding inline (STORAGE MAIN) rather than in the TOAST table, so a search reads
far fewer pages. The vectors are converted in place (nothing is embedded again) and the index is
rebuilt with the half-precision operator class. A database whose chunk table does not exist yet
(or is already converted) is left alone: the store creates new tables in the new layout.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 05:00:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from learn_app.config import get_settings


# revision identifiers, used by Alembic.
revision: str = "0018"
down_revision: Union[str, None] = "0017"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The HNSW graph shape the store builds (learn_app/rag/store.py HNSW_M, HNSW_EF_CONSTRUCTION),
# as of this revision.
_HNSW = "WITH (m = 16, ef_construction = 64)"


def _chunk_table() -> tuple[str, str, str]:
    settings = get_settings()
    schema, table = settings.rag_schema, settings.rag_table
    quote = op.get_bind().dialect.identifier_preparer.quote
    return f"{quote(schema)}.{quote(table)}", quote(f"{table}_hnsw"), f"{quote(schema)}"


def _embedding_column(relation: str) -> tuple[str, int] | None:
    """The embedding column's type name and dimension, or None without a chunk table."""
    row = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT t.typname, a.atttypmod FROM pg_attribute AS a"
                " JOIN pg_type AS t ON t.oid = a.atttypid"
                " WHERE a.attrelid = to_regclass(:relation) AND a.attname = 'embedding'"
                " AND NOT a.attisdropped"
            ),
            {"relation": relation},
        )
        .first()
    )
    return (str(row[0]), int(row[1])) if row else None


def _convert(to_type: str, ops: str, storage: str) -> None:
    relation, index, schema = _chunk_table()
    column = _embedding_column(relation)
    if column is None or column[0] == to_type or column[1] <= 0:
        return
    dimension = column[1]
    op.execute(f"DROP INDEX IF EXISTS {schema}.{index}")
    op.execute(
        f"ALTER TABLE {relation}"
        f" ALTER COLUMN embedding TYPE {to_type}({dimension})"
        f" USING embedding::{to_type}({dimension}),"
        f" ALTER COLUMN embedding SET STORAGE {storage}"
    )
    op.execute(f"CREATE INDEX {index} ON {relation} USING hnsw (embedding {ops}) {_HNSW}")


def upgrade() -> None:
    _convert("halfvec", "halfvec_cosine_ops", "MAIN")


def downgrade() -> None:
    _convert("vector", "vector_cosine_ops", "EXTERNAL")
