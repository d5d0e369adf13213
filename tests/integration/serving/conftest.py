"""The portal started as an operator starts it: `python -m learn_app.cli run` in its own process.

Each start serves on free ports of 127.0.0.1 with a data directory of its own (its own
embedded PostgreSQL, its own Reflex working folder `data/web` for the production build), so
these tests share no files with the browser tests' `.web/` and need not wait for them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[3]
FIRST_START_SECONDS = 900  # may build the frontend on a busy machine
START_SECONDS = 120


# One pair of ports and one folder of frontend builds for the whole run: the backend's address
# is built into the frontend, so every start after the first serves the same build. Kept in
# the environment: test modules import this file under a second module name.
def shared(name: str, make: Callable[[], object]) -> str:
    key = f"LEARN_TESTS_SHARED_{name.upper().replace(' ', '_')}"
    if key not in os.environ:
        os.environ[key] = str(make())
    return os.environ[key]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session", autouse=True)
def _remove_shared_builds() -> Iterator[None]:
    """The builds folder made for this run goes when the run ends."""
    key = "LEARN_TESTS_SHARED_BUILDS"
    made_here = key not in os.environ
    yield
    if made_here and key in os.environ:
        shutil.rmtree(os.environ.pop(key), ignore_errors=True)


def shared_port(name: str) -> int:
    return int(shared(f"{name} port", free_port))


@dataclass
class Portal:
    """One `cli run` process and what it printed."""

    data_dir: Path
    frontend_port: int
    backend_port: int
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[str] | None = None
    lines: list[str] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "LEARN_DATABASE_URL", "LEARN_DATA_DIR"}
        }
        bun = ROOT / ".tools" / "node_modules" / ".bin"
        env.update(
            LEARN_DATA_DIR=str(self.data_dir),
            LEARN_FRONTEND_BUILDS_DIR=str(
                shared("builds", lambda: Path(tempfile.mkdtemp(prefix="learn-app-builds-")))
            ),
            LEARN_FRONTEND_PORT=str(self.frontend_port),
            LEARN_BACKEND_PORT=str(self.backend_port),
            LEARN_BIND_HOST="127.0.0.1",
            LEARN_WORKERS="1",
            LEARN_LOAD_SHIPPED_CONTENT="false",
            LEARN_INDEX_ON_CHANGE="false",
            REFLEX_USE_SYSTEM_BUN="1",
            PATH=f"{bun}{os.pathsep}{env.get('PATH', '')}",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    def start(self) -> None:
        self.lines = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "learn_app.cli", "run"],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_serving(self, timeout: float) -> float:
        """Seconds until the portal says it is serving; fails with its output otherwise."""
        started = time.monotonic()
        assert self.process is not None
        while time.monotonic() - started < timeout:
            if any("learn_app is serving at" in line for line in self.lines):
                return time.monotonic() - started
            if self.process.poll() is not None:
                time.sleep(0.2)
                pytest.fail(f"the portal exited ({self.process.returncode}):\n{self.output}")
            time.sleep(0.2)
        pytest.fail(f"the portal did not serve within {timeout:.0f}s:\n{self.output[-4000:]}")

    def get(self, port: int, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as reply:
                return reply.status, reply.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def descendants(self) -> list[psutil.Process]:
        assert self.process is not None
        return psutil.Process(self.process.pid).children(recursive=True)

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 60) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signum)
        return self.process.wait(timeout=timeout)


@pytest.fixture
def portal_factory(tmp_path: Path) -> Iterator[Callable[..., Portal]]:
    started: list[Portal] = []

    def make(**kwargs: object) -> Portal:
        portal = Portal(
            data_dir=kwargs.pop("data_dir", tmp_path / "data"),  # type: ignore[arg-type]
            frontend_port=kwargs.pop("frontend_port", shared_port("frontend")),  # type: ignore[arg-type]
            backend_port=kwargs.pop("backend_port", shared_port("backend")),  # type: ignore[arg-type]
            **kwargs,  # type: ignore[arg-type]
        )
        started.append(portal)
        return portal

    yield make
    for portal in started:
        shut_down(portal)


def shut_down(portal: Portal) -> None:
    """Stop the portal and anything it left, its embedded database included."""
    if portal.process is not None and portal.process.poll() is None:
        leftovers = portal.descendants()
        portal.stop()
        for process in leftovers:
            if process.is_running():
                process.kill()
    _stop_embedded_server(portal.data_dir / "pgdata")


def _stop_embedded_server(pgdata: Path) -> None:
    from learn_app.ops.embedded_postgres import is_postmaster_of, server_pid

    pid = server_pid(pgdata)
    if pid is not None and is_postmaster_of(pid, pgdata):
        os.kill(pid, signal.SIGINT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and is_postmaster_of(pid, pgdata):
            time.sleep(0.2)
