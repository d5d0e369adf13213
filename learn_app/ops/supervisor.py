"""`python -m learn_app.cli run`: the process that owns the portal while it serves.

It checks the ports, brings up the database (the embedded server, or DATABASE_URL's) and its
schema, makes sure a production build of the frontend exists for the current sources, then
starts the servers as children and watches them. Ctrl-C or SIGTERM stops everything; so
does a crash or SIGKILL of this process (see `learn_app.ops.processes`).
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from learn_app.config import Settings, get_settings
from learn_app.ops import lazy_imports, redis_server
from learn_app.ops.frontend import WEB_WORKDIR_ENV, BuildFailed, ensure_build
from learn_app.ops.metrics import MULTIPROCESS_ENV
from learn_app.ops.processes import PortInUse, Watchdog, check_port_free, spawn, stop_group

ROOT = Path(__file__).resolve().parent.parent.parent
READY_TIMEOUT_SECONDS = 300


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    # Stopped after the servers, which may still write to it while they stop.
    infrastructure: bool = False
    # Started again when it exits on its own (instead of stopping the portal).
    restart: Callable[[], subprocess.Popen[bytes]] | None = None


class Background:
    """A start-up step run in a thread beside the servers' start."""

    def __init__(self, step: Callable[[], None]) -> None:
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(step,), name="content", daemon=True)
        self._thread.start()

    def _run(self, step: Callable[[], None]) -> None:
        try:
            step()
        except BaseException as error:  # reported by finished()
            self.error = error

    def finished(self) -> bool:
        """Wait for the step; False (with the reason printed) if it failed."""
        self._thread.join()
        if self.error is not None:
            print(
                f"error: checking the shipped courses failed: {self.error!r}",
                file=sys.stderr,
                flush=True,
            )
            return False
        return True


def worker_count(settings: Settings) -> int:
    return settings.workers or os.cpu_count() or 1


def run(
    *,
    dev: bool,
    prepare: Callable[[Settings], str],
    load_content: Callable[[], None] | None = None,
    settings: Settings | None = None,
) -> int:
    """Serve until interrupted.

    `prepare` readies the database (schema included) and returns its URL; `load_content`, if
    given, checks the shipped courses and the search index while the servers start, since the
    backend's start (importing the app) is the longest step and needs neither.
    """
    lazy_imports.keep_torch_out_of_haystack()  # the content check imports Haystack
    settings = settings or get_settings()
    started = time.monotonic()
    host = settings.bind_host
    try:
        check_port_free(host, settings.frontend_port, "LEARN_FRONTEND_PORT")
        check_port_free(host, settings.backend_port, "LEARN_BACKEND_PORT")
    except PortInUse as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        return 2

    url = prepare(settings)
    env = {**os.environ, "DATABASE_URL": url, "REFLEX_TELEMETRY_ENABLED": "false"}
    env[MULTIPROCESS_ENV] = str(_fresh_metrics_dir(settings))
    if not dev:
        env[WEB_WORKDIR_ENV] = str(settings.frontend_builds / "web")
    watchdog = Watchdog()
    children: list[Child] = []
    try:
        if dev:
            children.append(_start_dev(settings, env, watchdog))
        else:
            failed = _shared_state(settings, env, watchdog, children)
            if failed is not None:
                return failed
            try:
                build, built = ensure_build(
                    ROOT,
                    settings.frontend_builds,
                    api_url=settings.browser_api_url,
                    env=env,
                    watchdog=watchdog,
                )
            except BuildFailed as error:
                print(f"error: {error}", file=sys.stderr, flush=True)
                return 1
            if not built:
                print(f"Frontend build {build.name} is up to date; serving it.", flush=True)
            children += _start_production(settings, env, watchdog, build)
        content = Background(load_content) if load_content is not None else None
        if not _wait_until_serving(settings, children) or (
            content is not None and not content.finished()
        ):
            return _stop(children, watchdog, code=1)
        print(
            f"learn_app is serving at http://localhost:{settings.frontend_port} "
            f"(backend and /api on port {settings.backend_port}"
            f"{', development mode' if dev else ''}); "
            f"started in {time.monotonic() - started:.1f}s. Ctrl-C stops it.",
            flush=True,
        )
        return _supervise(children, watchdog)
    except BaseException:
        _stop(children, watchdog, code=1)
        raise
    finally:
        watchdog.close()


def _shared_state(
    settings: Settings, env: dict[str, str], watchdog: Watchdog, children: list[Child]
) -> int | None:
    """Point several workers at one Redis for learners' state: the configured one, or a
    Redis of the app's own (started here and added to `children`). An exit code if it can't."""
    if worker_count(settings) > 1 and not settings.redis_url:
        redis_dir = settings.data_dir.resolve() / "redis"

        def start_redis() -> subprocess.Popen[bytes]:
            return redis_server.start(redis_dir, cwd=ROOT, watchdog=watchdog)[0]

        try:
            redis_process = start_redis()
        except redis_server.RedisUnavailable as error:
            print(f"error: {error}", file=sys.stderr, flush=True)
            return 2
        redis_url = redis_server.socket_url(redis_dir)
        children.append(Child("redis", redis_process, infrastructure=True, restart=start_redis))
        env["REFLEX_REDIS_URL"] = env["LEARN_REDIS_URL"] = redis_url
        print(f"Learners' state in Redis at {redis_url}.", flush=True)
    elif settings.redis_url:
        env["REFLEX_REDIS_URL"] = env["LEARN_REDIS_URL"] = settings.redis_url
    return None


def build_frontend(settings: Settings | None = None) -> int:
    """Make sure a production build exists for the current sources (for image builds)."""
    settings = settings or get_settings()
    watchdog = Watchdog()
    try:
        build, built = ensure_build(
            ROOT,
            settings.frontend_builds,
            api_url=settings.browser_api_url,
            env={**os.environ, WEB_WORKDIR_ENV: str(settings.frontend_builds / "web")},
            watchdog=watchdog,
        )
    except BuildFailed as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        watchdog.close()
    print(f"Frontend build {'made' if built else 'already up to date'}: {build}", flush=True)
    return 0


def _fresh_metrics_dir(settings: Settings) -> Path:
    """Where the backend workers keep their metric samples; emptied at every start."""
    directory = settings.data_dir.resolve() / "metrics"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory


def _start_dev(settings: Settings, env: dict[str, str], watchdog: Watchdog) -> Child:
    command = [sys.executable, "-m", "reflex", "run", "--env", "dev"]
    return Child("reflex", spawn(command, env=env, cwd=ROOT, watchdog=watchdog))


def _start_production(
    settings: Settings, env: dict[str, str], watchdog: Watchdog, build: Path
) -> list[Child]:
    serve = [sys.executable, "-m", "learn_app.ops.serve"]
    host = ["--host", settings.bind_host]
    workers = worker_count(settings)
    backend = [*serve, "backend", *host, "--port", str(settings.backend_port)]
    backend += ["--workers", str(workers)]
    frontend = [*serve, "frontend", *host, "--port", str(settings.frontend_port)]
    frontend += ["--build", str(build)]
    return [
        Child("backend", spawn(backend, env=env, cwd=ROOT, watchdog=watchdog)),
        Child("frontend", spawn(frontend, env=env, cwd=ROOT, watchdog=watchdog)),
    ]


def _answers(port: int, path: str) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", path)
        return connection.getresponse().status < 500
    except OSError:
        return False
    finally:
        connection.close()


def _wait_until_serving(settings: Settings, children: list[Child]) -> bool:
    """Both ports answer HTTP; False (with the reason printed) if a child died first."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    checks = [(settings.backend_port, "/ping"), (settings.frontend_port, "/")]
    while checks and time.monotonic() < deadline:
        for child in children:
            if child.process.poll() is not None:
                print(
                    f"error: the {child.name} server stopped while starting "
                    f"(exit status {child.process.returncode}); see its output above.",
                    file=sys.stderr,
                    flush=True,
                )
                return False
        checks = [(port, path) for port, path in checks if not _answers(port, path)]
        if checks:
            time.sleep(0.25)
    if checks:
        print("error: the portal did not answer within 5 minutes.", file=sys.stderr, flush=True)
        return False
    return True


def _supervise(children: list[Child], watchdog: Watchdog) -> int:
    """Wait for the children; on a signal, or when one exits, stop all of them."""
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    code = 0
    while not stopping:
        finished = [child for child in children if child.process.poll() is not None]
        for child in [child for child in finished if child.restart is not None]:
            print(
                f"The {child.name} server stopped (exit status {child.process.returncode}); "
                "starting it again.",
                file=sys.stderr,
                flush=True,
            )
            watchdog.release(child.process.pid)
            try:
                child.process = child.restart()
            except Exception as error:  # reported; the portal then stops
                print(f"error: {error}", file=sys.stderr, flush=True)
                break
            finished.remove(child)
        if finished:
            child = finished[0]
            code = child.process.returncode or 1
            print(
                f"error: the {child.name} server stopped (exit status {child.process.returncode});"
                " stopping the portal.",
                file=sys.stderr,
                flush=True,
            )
            break
        time.sleep(0.25)
    return _stop(children, watchdog, code=code)


def _stop(children: list[Child], watchdog: Watchdog, *, code: int) -> int:
    for infrastructure in (False, True):
        group = [child for child in children if child.infrastructure == infrastructure]
        for child in group:
            if child.process.poll() is None:
                os.killpg(child.process.pid, signal.SIGTERM)
        for child in group:
            stop_group(child.process)
            watchdog.release(child.process.pid)
    return code
