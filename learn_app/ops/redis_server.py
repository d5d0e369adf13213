"""A Redis of the portal's own, for Reflex's state when several backend workers share it.

Started by the supervisor when more than one worker is asked for and no REFLEX_REDIS_URL is
set: Debian's `redis-server`, listening on a Unix socket in `data_dir/redis` only (no TCP
port to collide with or expose), saving a snapshot there every minute so a restart keeps
learners signed in. It dies with the supervisor like every other child.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from learn_app.ops.processes import Watchdog, spawn

START_TIMEOUT_SECONDS = 20


class RedisUnavailable(Exception):
    pass


def socket_url(directory: Path) -> str:
    return f"unix://{directory / 'redis.sock'}"


def start(directory: Path, *, cwd: Path, watchdog: Watchdog) -> tuple[subprocess.Popen[bytes], str]:
    """Start redis-server in `directory`; its process and the URL to reach it."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RedisUnavailable(
            "several backend workers keep their state in Redis, and redis-server is not "
            "installed (Debian: apt-get install redis-server; `make run` installs it). "
            "Set REFLEX_REDIS_URL to use another Redis, or LEARN_WORKERS=1."
        )
    directory.mkdir(parents=True, exist_ok=True)
    sock = directory / "redis.sock"
    sock.unlink(missing_ok=True)
    command = [
        binary,
        "--port",
        "0",
        "--unixsocket",
        str(sock),
        "--unixsocketperm",
        "700",
        "--dir",
        str(directory),
        "--dbfilename",
        "state.rdb",
        "--save",
        "60 1",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
        "--logfile",
        str(directory / "redis.log"),
    ]
    process = spawn(command, env={}, cwd=cwd, watchdog=watchdog)
    url = socket_url(directory)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (directory / "redis.log").read_text(errors="replace")[-2000:]
            raise RedisUnavailable(f"redis-server stopped at once:\n{log}")
        if sock.exists() and answers(url):
            return process, url
        time.sleep(0.1)
    process.kill()
    raise RedisUnavailable(f"redis-server did not answer on {sock} within 20 seconds")


def answers(url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        return False
