"""Alembic environment: the portal's SQLModel tables, on the portal's database."""

from logging.config import fileConfig

import pgvector.sqlalchemy  # noqa: F401  (vector columns in migrations)
import sqlmodel
from sqlalchemy import engine_from_config, pool

import learn_app.models  # noqa: F401  (registers every table on SQLModel.metadata)
from alembic import context
from learn_app.db import database_url

config = context.config
if config.config_file_name is not None and not config.attributes.get("database_url"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = sqlmodel.SQLModel.metadata

# The RAG index lives in its own schema, managed by Haystack's document store, not by us.
FOREIGN_SCHEMAS = {"rag"}


def include_name(name, type_, parent_names):
    if type_ == "schema":
        return name not in FOREIGN_SCHEMAS
    return True


def _url() -> str:
    return config.attributes.get("database_url") or database_url()


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        include_name=include_name,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    section = config.get_section(config.config_ini_section, {})
    section["sqlalchemy.url"] = _url()
    connectable = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            include_name=include_name,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
