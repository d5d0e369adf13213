"""The production frontend: built once per change of the app's source, then served as files.

A build is kept under `data_dir/frontend/<digest>/`, where the digest covers every file under
`learn_app/` and `assets/`, `rxconfig.py`, the Reflex version and the backend address baked
into the bundle. A start whose digest already has a finished build serves it at once; any
change to those inputs builds again (`reflex export`, a minute or so, in Reflex's working
folder `data_dir/frontend/web`). Keeping the served copy apart means a later build, or `make dev` in
`.web/`, never changes files under a running server.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from collections.abc import Iterator, Mapping
from importlib.metadata import version
from pathlib import Path

from learn_app.ops.processes import Watchdog, spawn, stop_group

SOURCES = ("learn_app", "assets")
SOURCE_FILES = ("rxconfig.py",)
SKIPPED_DIRS = {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
COMPLETE_MARK = ".complete"
ROUTES_MANIFEST = "routes.json"
KEPT_BUILDS = 2
BUILD_TIMEOUT_SECONDS = 900
# Reflex's working folder for the frontend; production builds get one of their own
# (`web/` beside the builds), so `make dev` in the project's `.web/` never disturbs them.
WEB_WORKDIR_ENV = "REFLEX_WEB_WORKDIR"


class BuildFailed(Exception):
    pass


def _source_files(root: Path) -> Iterator[Path]:
    for name in SOURCES:
        base = root / name
        for directory, subdirs, files in os.walk(base):
            subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRS)
            for file in sorted(files):
                if not file.endswith((".pyc", ".pyo")):
                    yield Path(directory) / file
    for name in SOURCE_FILES:
        if (root / name).exists():
            yield root / name


def source_digest(root: Path, api_url: str) -> str:
    """A digest of everything the compiled frontend depends on."""
    digest = hashlib.sha256()
    digest.update(f"reflex {version('reflex')}\napi_url {api_url}\n".encode())
    for path in _source_files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:  # a broken symlink under assets/
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def finished_build(builds: Path, digest: str) -> Path | None:
    target = builds / digest
    return target if (target / COMPLETE_MARK).exists() else None


def ensure_build(
    root: Path,
    builds: Path,
    *,
    api_url: str,
    env: Mapping[str, str],
    watchdog: Watchdog | None,
) -> tuple[Path, bool]:
    """The directory of a finished build for the current sources, and whether it was built now."""
    digest = source_digest(root, api_url)
    existing = finished_build(builds, digest)
    if existing is not None:
        return existing, False
    print(f"Building the frontend for production (sources {digest})…", flush=True)
    command = [
        sys.executable,
        "-m",
        "reflex",
        "export",
        "--frontend-only",
        "--no-zip",
        "--env",
        "prod",
        "--loglevel",
        "warning",
    ]
    child = spawn(command, env=env, cwd=root, watchdog=watchdog)
    try:
        code = child.wait(timeout=BUILD_TIMEOUT_SECONDS)
    except BaseException:
        stop_group(child, grace=5)
        raise
    finally:
        if watchdog is not None and child.poll() is not None:
            watchdog.release(child.pid)
    if code != 0:
        raise BuildFailed(f"the frontend build failed (exit status {code}); see its output above")
    web = Path(env.get(WEB_WORKDIR_ENV) or root / ".web")
    client = web / "build" / "client"
    if not (client / "index.html").exists():
        raise BuildFailed(f"the frontend build left no {client / 'index.html'}")
    target = builds / digest
    partial = builds / f"{digest}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(client, partial / "client", symlinks=False)
    if (web / ROUTES_MANIFEST).exists():
        shutil.copy2(web / ROUTES_MANIFEST, partial / ROUTES_MANIFEST)
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    (target / COMPLETE_MARK).write_text(digest + "\n")
    _prune(builds, keep=target)
    return target, True


def _prune(builds: Path, *, keep: Path) -> None:
    """Keep the newest few builds, so going back to an earlier version is quick too."""
    finished = sorted(
        (path for path in builds.iterdir() if (path / COMPLETE_MARK).exists()),
        key=lambda path: (path / COMPLETE_MARK).stat().st_mtime,
        reverse=True,
    )
    for path in finished[KEPT_BUILDS:]:
        if path != keep:
            shutil.rmtree(path, ignore_errors=True)
