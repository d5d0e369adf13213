"""The production servers the supervisor starts: `python -m learn_app.ops.serve backend|frontend`.

backend   Reflex's backend (state events over the websocket, /api) under Granian, with N
          worker processes forked from one that has imported the app already.
frontend  the compiled frontend of `learn_app.ops.frontend`, as static files (uvicorn).

Each process leaves as soon as the process that started it is gone, so nothing keeps serving
after its supervisor was killed.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from learn_app.ops import lazy_imports

PARENT_CHECK_SECONDS = 0.5
FRONTEND_BUILD_ENV = "LEARN_FRONTEND_BUILD"
# How long a backend thread that wants the interpreter waits before the one holding it must
# let go (Python's default: 5 ms). A page event makes some ten trips to PostgreSQL, and after
# each its thread queues for the interpreter again behind the event loop and the other event
# threads: at 5 ms a step, the waits added up to most of an answer's time under load. At 1 ms,
# 200 learners on two workers answered with a steady p95 of 151-230 ms against 199-712 ms
# (four alternating runs each, the machine at half speed); 50 REST clients back to back, a
# throughput test, lost 5-10% of their answers per second to the extra switching.
SWITCH_INTERVAL_SECONDS = 0.001


def leave_with_parent() -> None:
    """Stop this process (gracefully, then hard) once its parent has gone away."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
        os._exit(1)

    threading.Thread(target=watch, name="leave-with-parent", daemon=True).start()


def backend_app() -> Any:
    """Granian's factory, called in each worker: Reflex's ASGI app for this process."""
    leave_with_parent()
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    from reflex.utils import prerequisites

    from learn_app.ops import event_metrics

    event_metrics.install()
    return prerequisites.get_app().app()


def frontend_app() -> Any:
    """Static files of the compiled frontend; a path of a known page gets that page."""
    from reflex.route import get_router
    from reflex.utils.exec import _match_routable_page
    from reflex.utils.precompressed_staticfiles import PrecompressedStaticFiles
    from reflex_base.config import get_config
    from starlette.applications import Starlette
    from starlette.routing import Mount

    from learn_app.ops.security_headers import SecurityHeaders

    build = Path(os.environ[FRONTEND_BUILD_ENV])
    router = None
    manifest = build / "routes.json"
    if manifest.exists():
        router = functools.partial(
            _match_routable_page, get_router(json.loads(manifest.read_text()))
        )
    files = PrecompressedStaticFiles(
        directory=build / "client",
        html=True,
        encodings=get_config().frontend_compression_formats,
        router=router,
    )
    return SecurityHeaders(Starlette(routes=[Mount("/", app=files, name="frontend")]))


def run_backend(host: str, port: int, workers: int) -> None:
    """Granian with `workers` processes forked from this one, which imports the app first.

    As Reflex's own production server, except that a worker that dies (killed, out of
    memory) is replaced within a second or two instead of taking the whole backend down.
    """
    import multiprocessing

    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server as Granian
    from reflex.utils import exec as reflex_exec
    from reflex.utils import prerequisites
    from reflex_base import constants
    from reflex_base.config import get_config
    from reflex_base.environment import environment

    # The frontend was built already; the backend only evaluates its pages' states.
    environment.REFLEX_SKIP_COMPILE.set(True)
    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    multiprocessing.set_start_method("fork", force=True)
    # Imported here, before the fork, so every worker shares the app's pages in memory.
    prerequisites.get_app()
    if not reflex_exec._preload_for_fork(f"{__name__}:backend_app"):
        multiprocessing.set_start_method("spawn", force=True)
    loglevel = get_config().loglevel.subprocess_level()
    Granian(
        target=f"{__name__}:backend_app",
        factory=True,
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        log_level=LogLevels(os.getenv("GRANIAN_LOG_LEVEL", loglevel.value)),
        log_dictconfig=reflex_exec._granian_log_dictconfig(),
        workers=workers,
        respawn_failed_workers=True,
        respawn_interval=0.5,
    ).serve()


def run_frontend(host: str, port: int, build: Path) -> None:
    import uvicorn

    os.environ[FRONTEND_BUILD_ENV] = str(build)
    leave_with_parent()
    uvicorn.run(
        f"{__name__}:frontend_app",
        factory=True,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="learn_app.ops.serve")
    parser.add_argument("part", choices=["backend", "frontend"])
    parser.add_argument("--host", default="0.0.0.0")  # noqa: S104 - the supervisor decides
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--build", type=Path)
    args = parser.parse_args(argv)
    if args.part == "backend":
        lazy_imports.keep_torch_out_of_haystack()
        run_backend(args.host, args.port, args.workers)
    else:
        if args.build is None:
            parser.error("frontend needs --build")
        run_frontend(args.host, args.port, args.build)
    return 0


if __name__ == "__main__":
    sys.exit(main())
