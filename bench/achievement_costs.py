"""What an answer costs that does not depend on how loaded the machine is (bench/achievements.py).

Per answer, without and with the achievements work: the statements sent and the round trips
(statements plus BEGIN and COMMIT), the server's own time summed over every statement (from the
server log, `log_min_duration_statement = 0`, so neither the network nor Python is in it), and
the Python CPU time of the process (`time.process_time`). The counting statement alone is also
run under `EXPLAIN (ANALYZE, BUFFERS)`: its execution time and the buffers it touches.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

DURATION = re.compile(r"duration: ([0-9.]+) ms")


@dataclass
class Tally:
    statements: list[int] = field(default_factory=list)
    round_trips: list[int] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)

    def median(self, name: str) -> float:
        return float(statistics.median(getattr(self, name)))

    def p95(self, name: str) -> float:
        ordered = sorted(getattr(self, name))
        return float(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))])


class Counter:
    """Counts what the engine sends: statements, and BEGIN/COMMIT/ROLLBACK."""

    def __init__(self) -> None:
        self.statements = 0
        self.transactions = 0

    def install(self, engine: object) -> Callable[[], None]:
        from sqlalchemy import event

        def statement(*_args: object) -> None:
            self.statements += 1

        def ends(*_args: object) -> None:
            self.transactions += 1  # BEGIN, COMMIT and ROLLBACK are round trips of their own

        listeners = [
            ("before_cursor_execute", statement),
            ("begin", ends),
            ("commit", ends),
            ("rollback", ends),
        ]
        for name, fn in listeners:
            event.listen(engine, name, fn)

        def remove() -> None:
            for name, fn in listeners:
                event.remove(engine, name, fn)

        return remove


def _server_log_ms(log: Path, start: int) -> tuple[float, int]:
    """The statement durations the server logged after byte `start`, summed; the new end. (The
    server logs a statement's duration before it answers, so an answer's are all there.)"""
    with log.open("rb") as f:
        f.seek(start)
        chunk = f.read()
    found = DURATION.findall(chunk.decode("utf-8", "replace"))
    return sum(float(ms) for ms in found), start + len(chunk)


def _log_statements(url: str, on: bool) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as db:
        setting = "0" if on else "DEFAULT"
        db.execute(sqlalchemy.text(f"ALTER SYSTEM SET log_min_duration_statement = {setting}"))
        db.execute(sqlalchemy.text("SELECT pg_reload_conf()"))
    engine.dispose()
    time.sleep(0.5)


def measure(
    record: Callable[[], int], set_hook: Callable[[bool], None], url: str, log: Path, count: int
) -> dict[bool, Tally]:
    """`count` answers without the achievements work, then `count` with it."""
    from learn_app.db import get_engine

    tallies = {False: Tally(), True: Tally()}
    counter = Counter()
    remove = counter.install(get_engine())
    _log_statements(url, True)
    try:
        for hooked in (False, True):
            set_hook(hooked)
            tally = tallies[hooked]
            for _ in range(count):
                counter.statements = counter.transactions = 0
                offset = log.stat().st_size
                cpu = time.process_time()
                record()
                tally.cpu_ms.append((time.process_time() - cpu) * 1000)
                tally.statements.append(counter.statements)
                tally.round_trips.append(counter.statements + counter.transactions)
                tally.server_ms.append(_server_log_ms(log, offset)[0])
    finally:
        remove()
        _log_statements(url, False)
    return tallies


def explain_counting(
    record_in: Callable[[Session], int], count: int
) -> tuple[float, float, float] | None:
    """The counting statement under EXPLAIN (ANALYZE, BUFFERS), each time for a new answer in
    that answer's transaction (`record_in` records it without the achievements work): its
    median planning and execution times (ms) and the shared buffers it touched."""
    try:
        from learn_app.services.achievements import answer_count
    except ImportError:  # before answers were counted in one statement
        return None
    import json

    import sqlalchemy

    from learn_app.db import session_scope

    explain = "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + answer_count.COUNT_ANSWER
    statement = sqlalchemy.text(explain)
    times: list[float] = []
    planning: list[float] = []
    buffers: list[float] = []
    for _ in range(count):
        with session_scope() as session:
            review_id = record_in(session)
            params = {**answer_count._CONSTANTS, "review_id": review_id}
            plan = session.connection().execute(statement, params).scalar_one()
            session.commit()
        top = (plan if isinstance(plan, list) else json.loads(plan))[0]
        times.append(float(top["Execution Time"]))
        planning.append(float(top.get("Planning Time", 0.0)))
        node = top["Plan"]
        buffers.append(float(node.get("Shared Hit Blocks", 0) + node.get("Shared Read Blocks", 0)))
    return statistics.median(planning), statistics.median(times), statistics.median(buffers)


def report(
    tallies: dict[bool, Tally], explained: tuple[float, float, float] | None, load: str
) -> None:
    without, with_hook = tallies[False], tallies[True]
    rows = [
        ("statements sent", without.median("statements"), with_hook.median("statements")),
        ("round trips (statements, BEGIN, COMMIT)", without.median("round_trips"),
         with_hook.median("round_trips")),
        ("server time, ms (every statement, summed; median)", without.median("server_ms"),
         with_hook.median("server_ms")),
        ("server time, ms (p95)", without.p95("server_ms"), with_hook.p95("server_ms")),
        ("Python CPU, ms (process_time, median)", without.median("cpu_ms"),
         with_hook.median("cpu_ms")),
        ("Python CPU, ms (p95)", without.p95("cpu_ms"), with_hook.p95("cpu_ms")),
    ]  # fmt: skip
    n = len(without.statements)
    print(f"Per answer, load-independent ({n} answers each way):")
    print(f"{'':<50} {'without':>9} {'with':>9} {'added':>9}")
    for name, a, b in rows:
        print(f"{name:<50} {a:>9.2f} {b:>9.2f} {b - a:>9.2f}")
    if explained is not None:
        planned, ms, blocks = explained
        print(
            f"The counting statement under EXPLAIN (ANALYZE, BUFFERS), medians: {planned:.3f} ms "
            f"planning, {ms:.3f} ms execution, {blocks:.0f} shared buffers touched"
        )
    print(f"load average {load}", flush=True)
