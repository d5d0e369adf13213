"""An embedded PostgreSQL left behind by a killed start never blocks the next one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy

HOLD_DATABASE = """
from learn_app.db import database_url
print(database_url(), flush=True)
import time
time.sleep(120)
"""


def start_holder(data_dir: Path) -> tuple[subprocess.Popen[str], str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LEARN_DATABASE_URL"}}
    env["LEARN_DATA_DIR"] = str(data_dir)
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_DATABASE], stdout=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    assert url.startswith("postgresql+psycopg://"), url
    return process, url


def note(url: str) -> str:
    engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.NullPool)
    with engine.connect() as connection:
        return connection.execute(sqlalchemy.text("select note from kept")).scalar()


def keep(url: str, text: str) -> None:
    engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.NullPool)
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text("create table kept (note text)"))
        connection.execute(sqlalchemy.text("insert into kept values (:t)"), {"t": text})


def postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().splitlines()[0])


def wait_exit(pid: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    raise AssertionError(f"process {pid} still running")


def test_a_server_left_by_a_killed_holder_is_reused_and_stopped_by_the_next(tmp_path):
    pgdata = tmp_path / "pgdata"
    first, url = start_holder(tmp_path)
    keep(url, "written before the crash")
    server = postmaster_pid(pgdata)
    first.kill()
    first.wait()

    second, url = start_holder(tmp_path)
    try:
        assert postmaster_pid(pgdata) == server, "a second server was started"
        assert note(url) == "written before the crash"
        holders = json.loads((pgdata / ".handle_pids.json").read_text())
        assert holders == [second.pid], "the killed holder is still counted"
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    wait_exit(server)
    assert not (pgdata / "postmaster.pid").exists()


def test_a_stale_postmaster_pid_naming_another_live_process_does_not_block_a_start(tmp_path):
    pgdata = tmp_path / "pgdata"
    first, url = start_holder(tmp_path)
    keep(url, "kept")
    first.kill()
    first.wait()
    # The machine goes down hard: the server dies without removing its lock files...
    server = postmaster_pid(pgdata)
    os.kill(server, signal.SIGKILL)
    wait_exit(server)
    time.sleep(1)  # its backends notice the postmaster is gone and leave
    # ...and after the reboot (or in a container) its number belongs to something else.
    impostor = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    for lock in [pgdata / "postmaster.pid", *pgdata.glob(".s.PGSQL.*.lock")]:
        lines = lock.read_text().splitlines()
        lines[0] = str(impostor.pid)
        lock.write_text("\n".join(lines) + "\n")
    try:
        second, url = start_holder(tmp_path)
        try:
            assert note(url) == "kept"
            assert postmaster_pid(pgdata) != impostor.pid
            assert impostor.poll() is None, "the unrelated process was touched"
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=30)
    finally:
        impostor.kill()
        impostor.wait()
