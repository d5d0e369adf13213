"""The backend leaves what it made at start out of garbage collection, and still collects
what requests make afterwards."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref

from learn_app.ops.heap import freeze_startup_heap


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_startup_objects_are_frozen_and_later_garbage_is_still_collected():
    try:
        frozen = freeze_startup_heap()
        assert frozen > 10_000  # this test process's modules alone

        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle only the collector can free
        gone = weakref.ref(a)
        del a, b
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()


def test_the_app_freezes_its_heap_when_the_server_starts():
    check = (
        "from learn_app.learn_app import app\n"
        "from learn_app.ops.heap import freeze_startup_heap\n"
        "print(freeze_startup_heap in app._lifespan_tasks)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == "True"
