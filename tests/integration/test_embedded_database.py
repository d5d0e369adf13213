"""The embedded PostgreSQL that serves the portal when no DATABASE_URL is set."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
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
    url = process.stdout.readline().strip()
    assert url.startswith("postgresql+psycopg://"), url
    return process, url


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def test_sigterm_stops_the_embedded_server_and_data_survives_a_restart(tmp_path):
    process, url = start_holder(tmp_path)
    try:
        engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.NullPool)
        with engine.begin() as connection:
            connection.execute(sqlalchemy.text("create table kept (note text)"))
            connection.execute(sqlalchemy.text("insert into kept values ('still here')"))
    finally:
        stop(process)

    assert not (tmp_path / "pgdata" / "postmaster.pid").exists(), "server left running"

    process, url = start_holder(tmp_path)
    try:
        engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.NullPool)
        with engine.connect() as connection:
            assert connection.execute(sqlalchemy.text("select note from kept")).scalar() == (
                "still here"
            )
    finally:
        stop(process)
