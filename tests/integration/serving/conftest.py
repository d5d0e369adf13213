"""The portal started as an operator starts it: `python -m learn_app.cli run` in its own process.

Each start serves on 127.0.0.1 with a data directory of its own (its own embedded PostgreSQL),
so these tests share no files with the browser tests' `.web/` and need not wait for them.

All starts of a run serve one production build of the frontend, made once by the
`production_build` fixture before the first start. The backend's address is built into the
frontend, so a run uses one pair of ports throughout: a fixed pair kept with its builds in
`.data/test-frontend-builds` (a later run with unchanged sources builds nothing), or, while
another run holds that pair, free ports and a build of its own that goes when the run ends.
"""

from __future__ import annotations

import fcntl
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
from typing import IO

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[3]
KEPT_BUILDS = ROOT / ".data" / "test-frontend-builds"
KEPT_PORTS = {"frontend": 18731, "backend": 15731}
BUILD_SECONDS = 900  # a first build on a busy machine
# A first start makes and migrates a database; it builds again only if the sources changed
# since the run's build (someone editing the tree meanwhile).
FIRST_START_SECONDS = BUILD_SECONDS
START_SECONDS = 120
_held: list[IO[str]] = []  # the lock on the kept ports, held until this process ends


# Kept in the environment: test modules import this file under a second module name.
def shared(name: str, make: Callable[[], object]) -> str:
    key = f"LEARN_TESTS_SHARED_{name.upper().replace(' ', '_')}"
    if key not in os.environ:
        os.environ[key] = str(make())
    return os.environ[key]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _choose_builds() -> Path:
    """The kept builds and ports if no other run holds them, else a folder for this run."""
    KEPT_BUILDS.mkdir(parents=True, exist_ok=True)
    lock = (KEPT_BUILDS / "ports.lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
    else:
        if all(_port_is_free(port) for port in KEPT_PORTS.values()):
            _held.append(lock)
            for name, port in KEPT_PORTS.items():
                os.environ[f"LEARN_TESTS_SHARED_{name.upper()}_PORT"] = str(port)
            return KEPT_BUILDS
        lock.close()
    return Path(tempfile.mkdtemp(prefix="learn-app-builds-"))


def builds_dir() -> Path:
    return Path(shared("builds", _choose_builds))


@pytest.fixture(scope="session", autouse=True)
def _remove_shared_builds() -> Iterator[None]:
    """A folder of builds made for this run alone goes when the run ends."""
    key = "LEARN_TESTS_SHARED_BUILDS"
    made_here = key not in os.environ
    yield
    if made_here and key in os.environ and Path(os.environ[key]) != KEPT_BUILDS:
        shutil.rmtree(os.environ.pop(key), ignore_errors=True)


def shared_port(name: str) -> int:
    builds_dir()  # the ports go with the builds
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
            LEARN_FRONTEND_BUILDS_DIR=str(builds_dir()),
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


@pytest.fixture(scope="session")
def production_build(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The one production build every start of this run serves (made now if missing)."""
    portal = Portal(
        data_dir=tmp_path_factory.mktemp("build") / "data",
        frontend_port=shared_port("frontend"),
        backend_port=shared_port("backend"),
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "learn_app.cli", "build-frontend"],
        cwd=ROOT,
        env=portal.env(),
        capture_output=True,
        text=True,
        timeout=BUILD_SECONDS,
        check=False,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    build = done.stdout.strip().splitlines()[-1].rsplit("/", 1)[-1]
    print(f"frontend build {build} ready in {time.monotonic() - started:.0f}s")
    return build


@pytest.fixture
def portal_factory(tmp_path: Path, production_build: str) -> Iterator[Callable[..., Portal]]:
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
