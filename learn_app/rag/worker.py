"""Keeps the retrieval index current while the portal runs.

Content edits ask for a sync (`request_sync`); one background thread per process runs
`sync_index` in its own session, coalescing requests that arrive while it works, so a teacher
saving five times in a row causes at most two syncs and never waits for embedding.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)

_wanted = threading.Event()
_idle = threading.Event()
_idle.set()
_start_lock = threading.Lock()
_thread: threading.Thread | None = None


def request_sync() -> None:
    """Ask for the index to be brought up to date soon; returns at once."""
    global _thread
    _idle.clear()
    _wanted.set()
    with _start_lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_run, name="rag-index-sync", daemon=True)
            _thread.start()


def wait_idle(timeout: float | None = None) -> bool:
    """Wait until no sync is wanted or running; True if that happened within `timeout`."""
    return _idle.wait(timeout)


def _run() -> None:
    from learn_app.db import session_scope
    from learn_app.rag.indexing import sync_index

    while True:
        if not _wanted.wait(timeout=300):
            continue
        _wanted.clear()
        try:
            with session_scope() as session:
                sync_index(session)
        except Exception:
            log.exception("rag index sync failed; the next content change retries it")
        finally:
            if not _wanted.is_set():
                _idle.set()
