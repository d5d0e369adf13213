"""`python -m learn_app.ops.watchdog`: stop the portal's process groups once its supervisor is gone.

Reads lines from standard input, a pipe only the supervisor writes to: `guard PGID` and
`release PGID`. At end of input — the supervisor exited, however it exited — every group
still guarded gets SIGTERM, and SIGKILL five seconds later if any of it is left.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time

GRACE_SECONDS = 5.0


def _alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _signal(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def main() -> int:
    # Ctrl-C at the terminal is for the supervisor; this process only watches.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    guarded: list[int] = []
    for line in sys.stdin:
        verb, _, value = line.strip().partition(" ")
        if not value.isdigit():
            continue
        pgid = int(value)
        if verb == "guard" and pgid not in guarded:
            guarded.append(pgid)
        elif verb == "release" and pgid in guarded:
            guarded.remove(pgid)
    for pgid in guarded:
        _signal(pgid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline and any(_alive(pgid) for pgid in guarded):
        time.sleep(0.1)
    for pgid in guarded:
        if _alive(pgid):
            _signal(pgid, signal.SIGKILL)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
