"""Files only the portal's own user may read: the persisted Reflex state holds sign-in tokens.

Reflex's disk state manager pickles every client's state, the sign-in token among them, into
`.states/*.pkl` with the process's default permissions (often 0644 in a 0755 folder). The app
creates its files with umask 077 instead, and tightens what an older run left behind.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def keep_files_private(*folders: Path, new_files: bool = True) -> None:
    """Make `folders` 0700 and their files 0600; with `new_files`, also create every later file
    of this process 0600 (umask 077) — the production servers do; a development or test
    process, which shares its umask with other tools, keeps it, the folders still closed."""
    if new_files:
        os.umask(0o077)
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(PRIVATE_DIR)
        for path in folder.rglob("*"):
            if path.is_symlink():
                continue
            mode = PRIVATE_DIR if path.is_dir() else PRIVATE_FILE
            if stat.S_IMODE(path.stat().st_mode) & ~mode:
                path.chmod(mode)
