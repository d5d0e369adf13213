"""Uploaded files between the upload and the step that uses them, kept out of Reflex state.

State is pickled per client (to disk or Redis) on every event: a 5 MB file in a state var
would be written again with each click. The bytes wait in a private file under the data
folder instead, named by a random id that only the state holds; files older than a day (a
closed tab) are removed when the next upload arrives.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from learn_app.config import get_settings

MAX_AGE_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = get_settings().data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def keep_upload(data: bytes) -> str:
    """Keep the bytes in a new private file; its path, for `read_upload` and `discard_upload`."""
    folder = _folder()
    _remove_stale(folder)
    path = folder / f"{secrets.token_hex(16)}.upload"
    with open(path, "xb") as file:
        path.chmod(0o600)
        file.write(data)
    return str(path)


def read_upload(path: str) -> bytes:
    """The kept bytes; empty when there are none (never reads outside the uploads folder)."""
    kept = _inside_folder(path)
    return kept.read_bytes() if kept is not None and kept.is_file() else b""


def discard_upload(path: str) -> None:
    kept = _inside_folder(path)
    if kept is not None:
        kept.unlink(missing_ok=True)


def _inside_folder(path: str) -> Path | None:
    if not path:
        return None
    folder = _folder().resolve()
    kept = Path(path).resolve()
    return kept if kept.parent == folder else None


def _remove_stale(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for old in folder.glob("*.upload"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
        except OSError:
            continue
