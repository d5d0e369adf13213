"""Child processes that never outlive the portal's supervisor, and who holds a port.

Every server the supervisor starts runs in a process group of its own and dies with the
supervisor, however the supervisor ends:

- a direct child asks the kernel for SIGTERM when its parent dies (`PR_SET_PDEATHSIG`);
- a watchdog process (`python -m learn_app.ops.watchdog`) holds the read end of a pipe that
  only the supervisor can write to. When the pipe closes — the supervisor exited, crashed or
  was SIGKILLed — it terminates every process group it was told about, so grandchildren
  (Granian's workers, bun during a build, the dev server) go too.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int, signum: int = signal.SIGTERM) -> None:
    """In a freshly forked child: be sent `signum` when the parent dies (Linux only).

    The parent may already be gone by the time the child asks; then the child leaves at once.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)


class Watchdog:
    """The process that takes our process groups down when the supervisor is gone."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "learn_app.ops.watchdog"],
            stdin=subprocess.PIPE,
            start_new_session=True,
            text=True,
        )

    def _tell(self, line: str) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:  # the watchdog died; the supervisor still stops its children
            pass

    def guard(self, pgid: int) -> None:
        self._tell(f"guard {pgid}")

    def release(self, pgid: int) -> None:
        """The group has been reaped; its number may be reused and must not be signalled."""
        self._tell(f"release {pgid}")

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def spawn(
    command: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path,
    watchdog: Watchdog | None,
) -> subprocess.Popen[bytes]:
    """Start `command` in a new process group that dies with this process."""
    parent = os.getpid()
    child = subprocess.Popen(  # noqa: S603 - commands are built by the supervisor, not users
        list(command),
        cwd=cwd,
        env=dict(env),
        start_new_session=True,
        preexec_fn=lambda: die_with_parent(parent),
    )
    if watchdog is not None:
        watchdog.guard(child.pid)
    return child


def stop_group(child: subprocess.Popen[bytes], *, grace: float = 15.0) -> None:
    """SIGTERM the child's process group, SIGKILL it after `grace` seconds."""
    if child.poll() is None:
        _signal_group(child.pid, signal.SIGTERM)
    try:
        child.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        _signal_group(child.pid, signal.SIGKILL)
        child.wait()
    # Workers of the group may outlive their leader by a moment.
    _signal_group(child.pid, signal.SIGKILL)


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


@dataclass(frozen=True)
class PortHolder:
    pid: int
    command: str
    cwd: str | None


class PortInUse(Exception):
    """A port the portal needs is taken; the message names the process and how to stop it."""

    def __init__(self, port: int, holder: PortHolder | None, setting: str) -> None:
        self.port = port
        self.holder = holder
        if holder is None:
            who = (
                "another program this user cannot see (find it with "
                f"`ss -ltnp 'sport = :{port}'` as root)"
            )
            how = ""
        else:
            ours = holder.cwd is not None and Path(holder.cwd) == _root()
            who = f"process {holder.pid} ({holder.command})"
            if ours:
                who += ", an earlier start of this portal that is still running"
            how = f" Stop it with `kill {holder.pid}`"
            how += " (or Ctrl-C in its terminal)," if ours else ","
        super().__init__(
            f"Port {port} is already in use by {who}.{how} or choose another port with "
            f"{setting}=<port>."
        )


def _root() -> Path:
    return Path(__file__).resolve().parent.parent.parent


def check_port_free(host: str, port: int, setting: str) -> None:
    """Raise `PortInUse` naming the holder when nothing of ours could listen on `port`."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            raise PortInUse(port, port_holder(port), setting) from None


def port_holder(port: int) -> PortHolder | None:
    """The process listening on TCP `port`, from /proc (Linux); None if it cannot be seen."""
    inodes = _listening_inodes(port)
    if not inodes:
        return None
    proc = Path("/proc")
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return _describe(int(entry.name))
        except OSError:  # gone, or another user's
            continue
    return None


def _listening_inodes(port: int) -> set[str]:
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(inode)
    return inodes


def _describe(pid: int) -> PortHolder:
    proc = Path("/proc") / str(pid)
    try:
        raw = (proc / "cmdline").read_bytes()
        command = " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)
    except OSError:
        command = ""
    try:
        cwd: str | None = os.readlink(proc / "cwd")
    except OSError:
        cwd = None
    if len(command) > 160:
        command = command[:157] + "..."
    return PortHolder(pid=pid, command=command or "unknown command", cwd=cwd)
