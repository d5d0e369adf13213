"""Keep Python's full garbage collections short in a long-running server.

A backend worker holds a few hundred thousand objects made while it imported the app (Reflex,
SQLAlchemy, Plotly, Haystack, the models): they live as long as the process. Python's oldest
generation is still walked in full now and then, and with that heap a walk takes ~100 ms — it
landed inside whichever request was running (the learner's Progress data: p50 100 ms, p95 210 ms,
the tail made of these walks). `gc.freeze()` moves what exists at start into a permanent
generation the collector skips; objects made later are collected as before.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Collect once, then exempt every surviving object from later collections; returns how
    many objects were frozen. Call it when the app is loaded, before serving."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
