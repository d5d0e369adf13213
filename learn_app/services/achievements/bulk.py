"""Loading many rows into a table as a restore does: its foreign keys and plain secondary
indexes set aside for the load, then built again — one sort per index and one join per key,
instead of an index insertion and a key check (a row lock on the row referred to) per row.

Primary keys and unique constraints stay, so `ON CONFLICT` still has its arbiters. The keys
come back checked: a row the load got wrong fails the transaction, as it would have row by
row. Setting keys aside locks the table and the tables it refers to until the transaction
ends, so this is for a migration or a command run while nothing else writes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

_SECONDARY_INDEXES = text("""
SELECT i.indexname, i.indexdef FROM pg_indexes i
WHERE i.schemaname = current_schema() AND i.tablename = :table
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                  WHERE c.conname = i.indexname AND c.connamespace = i.schemaname::regnamespace)
""")

_FOREIGN_KEYS = text("""
SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid = CAST(:table AS regclass) AND contype = 'f'
""")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def keys_and_indexes_set_aside(db: Connection, table: str) -> Iterator[None]:
    """Drop `table`'s foreign keys and plain indexes; create them again when the block ends
    (not if it raises: the transaction is then rolled back with the drops in it)."""
    indexes = db.execute(_SECONDARY_INDEXES, {"table": table}).all()
    keys = db.execute(_FOREIGN_KEYS, {"table": table}).all()
    for name, _ in keys:
        db.execute(text(f"ALTER TABLE {_quoted(table)} DROP CONSTRAINT {_quoted(name)}"))
    for name, _ in indexes:
        db.execute(text(f"DROP INDEX {_quoted(name)}"))
    yield
    db.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
    for _, definition in indexes:
        db.execute(text(definition))
    for name, definition in keys:
        db.execute(
            text(f"ALTER TABLE {_quoted(table)} ADD CONSTRAINT {_quoted(name)} {definition}")
        )
