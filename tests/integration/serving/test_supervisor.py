"""No process of the portal outlives `cli run`, and a start is never blocked by leftovers."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time

import psutil

from learn_app.ops.embedded_postgres import is_postmaster_of, server_pid
from tests.integration.serving.conftest import (
    BUILD_SECONDS,
    FIRST_START_SECONDS,
    START_SECONDS,
    free_port,
)

CHILDREN_GONE_SECONDS = 10


def wait_gone(processes: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    deadline = time.monotonic() + timeout
    alive = processes
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [p for p in alive if _running(p)]
    return alive


def _running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def build_of(output: str, wait_for=None) -> str:
    """The source digest of the build a start served or built (waiting for it to say)."""
    pattern = re.compile(r"Frontend build (\w+) is up to date|production \(sources (\w+)\)")
    deadline = time.monotonic() + 300
    while True:
        text = wait_for.output if wait_for is not None else output
        match = pattern.search(text)
        if match:
            return match.group(1) or match.group(2)
        assert wait_for is not None and time.monotonic() < deadline, text[-3000:]
        time.sleep(0.2)


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_a_killed_supervisor_takes_its_servers_with_it_and_the_next_start_serves(
    portal_factory,
):
    portal = portal_factory()
    portal.start()
    portal.wait_serving(FIRST_START_SECONDS)
    children = portal.descendants()
    names = " ".join(" ".join(p.cmdline()) for p in children)
    assert "learn_app.ops.serve backend" in names
    assert "learn_app.ops.serve frontend" in names
    pgdata = portal.data_dir / "pgdata"
    database_pid = server_pid(pgdata)
    assert database_pid is not None and is_postmaster_of(database_pid, pgdata)

    portal.stop(signal.SIGKILL, timeout=5)

    left = wait_gone(children, CHILDREN_GONE_SECONDS)
    assert left == [], f"still running: {[' '.join(p.cmdline()) for p in left]}"
    assert port_is_free(portal.frontend_port)
    assert port_is_free(portal.backend_port)

    first_build = build_of(portal.output)
    portal.start()
    second_build = build_of(portal.output, wait_for=portal)
    # Unless someone changed the sources meanwhile, the build is reused and the start is quick.
    unchanged = second_build == first_build
    seconds = portal.wait_serving(START_SECONDS if unchanged else BUILD_SECONDS)

    assert f"already running on {pgdata.resolve()} (pid {database_pid})" in portal.output
    if unchanged:
        assert f"Frontend build {first_build} is up to date" in portal.output
    status, page = portal.get(portal.frontend_port, "/signin")
    assert status == 200 and "<html" in page.lower()
    assert portal.get(portal.backend_port, "/ping")[0] == 200
    assert portal.get(portal.backend_port, "/api/health")[0] == 200
    print(f"second start served in {seconds:.1f}s")

    children = portal.descendants()
    assert portal.stop(signal.SIGTERM) == 0
    assert wait_gone(children, CHILDREN_GONE_SECONDS) == []
    # The last holder of the embedded server stopped it, although the first run never could.
    deadline = time.monotonic() + 30
    while is_postmaster_of(database_pid, pgdata) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not is_postmaster_of(database_pid, pgdata), "the embedded server was left running"
    assert not (pgdata / "postmaster.pid").exists()


def test_a_port_taken_by_another_program_is_named_with_how_to_stop_it(portal_factory, tmp_path):
    port = free_port()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import socket, time\n"
            "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
            f"s.bind(('127.0.0.1', {port})); s.listen(); print('ok', flush=True)\n"
            "time.sleep(120)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        portal = portal_factory(frontend_port=port)
        portal.start()
        code = portal.stop(signal.SIGCONT, timeout=60)  # just waits for it to exit

        assert code == 2
        assert f"Port {port} is already in use by process {holder.pid}" in portal.output
        assert "import socket, time" in portal.output
        assert f"kill {holder.pid}" in portal.output
        assert "LEARN_FRONTEND_PORT=" in portal.output
        assert not (tmp_path / "data" / "pgdata").exists(), "started a database for nothing"
    finally:
        holder.kill()
        holder.wait()
