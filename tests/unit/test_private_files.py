"""Persisted state holds sign-in tokens: the app's files and the state folder are private."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

WRITE_LIKE_THE_STATE_MANAGER = """
import pickle, sys
from pathlib import Path
from learn_app.private_files import keep_files_private
states = Path(sys.argv[1])
keep_files_private(states)
(states / "new-client.pkl").write_bytes(pickle.dumps({"token": "secret"}))
(states / "sub").mkdir()
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_state_files_old_and_new_are_readable_by_the_owner_only(tmp_path):
    states = tmp_path / ".states"
    states.mkdir(mode=0o755)
    old = states / "left-by-an-earlier-run.pkl"
    old.write_bytes(b"token")
    old.chmod(0o644)

    subprocess.run(
        [sys.executable, "-c", WRITE_LIKE_THE_STATE_MANAGER, str(states)], check=True, timeout=60
    )

    assert mode(states) == 0o700
    assert mode(old) == 0o600
    assert mode(states / "new-client.pkl") == 0o600
    assert mode(states / "sub") == 0o700


KEEP_THE_UMASK = """
import os, sys
from pathlib import Path
from learn_app.private_files import keep_files_private
states = Path(sys.argv[1])
before = os.umask(0o022)
keep_files_private(states, new_files=False)
print(oct(os.umask(before)))
"""


def test_a_development_process_keeps_its_umask_but_the_state_folder_is_closed(tmp_path):
    states = tmp_path / ".states"

    shown = subprocess.run(
        [sys.executable, "-c", KEEP_THE_UMASK, str(states)],
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout.strip()

    assert shown == "0o22"
    assert mode(states) == 0o700
