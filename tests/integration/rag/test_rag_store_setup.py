"""The chunk store sets itself up safely when several workers find it missing at the same time."""

from __future__ import annotations

import threading
import uuid

import psycopg
import pytest

from learn_app.rag.store import connection_string, new_document_store, reset_document_store

pytestmark = pytest.mark.integration


def test_stores_opened_at_once_on_a_missing_schema_all_come_up_and_share_one_table(
    database_url: str,
) -> None:
    schema = f"rag_setup_{uuid.uuid4().hex[:8]}"
    reset_document_store()  # forget which schemas this process has already made
    errors: list[BaseException] = []
    counts: list[int] = []
    start = threading.Barrier(4)

    def open_store() -> None:
        try:
            start.wait(timeout=30)
            store = new_document_store(schema=schema, table="chunks")
            counts.append(store.count_documents())
            store.close()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    try:
        assert errors == []
        assert counts == [0, 0, 0, 0]
    finally:
        with psycopg.connect(connection_string(), autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        reset_document_store()
