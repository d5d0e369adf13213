"""One REST answer, end to end: the statements it sends, their time, and where Python spends.

    .venv/bin/python bench/answer_profile.py [--learners 10] [--answers 400] [--no-py-spy]

Runs on its own embedded PostgreSQL (bench/_db.py) with the API served by uvicorn in this
process on 127.0.0.1, as the API specs serve it. Learners register, sign in and start a
flashcards session on a 40-word group over HTTP, as bench/load.py's REST learners do; each
answers a few words first (a learner's first answer of the day is counted the long way, and
the driver prepares a statement on its fifth run), then `--answers` answers are posted one at a
time, round robin over the learners — no concurrency, so the figures are the cost of an answer,
not waiting. Printed:

- the round trip's p50/p95 and the process's CPU per answer (this client's share included);
- statements per answer and the database time of each kind of statement (the time from
  sending it to its result, per answer), COMMIT included;
- with py-spy installed (`pip install py-spy==0.4.3`; it is not one of the portal's
  dependencies), where the server's threads spend the interpreter (sampled while
  answering, only samples holding the GIL): the functions in the most samples, inclusive;
- cProfile of `--profiled` more answers handed to the API in this thread (straight to the ASGI
  app, the thread pool's hops run inline), so every frame of an answer is in one profile: the
  functions with the most cumulative and own time, per answer;
- the review insert and the counting statement under EXPLAIN ANALYZE (the insert's statement
  trigger shows as its own line), run in a transaction that is rolled back.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    LEARN_BCRYPT_ROUNDS="4",
    LEARN_SIGN_UP_RATE_LIMIT="1000000",
    LEARN_SIGN_IN_RATE_LIMIT="1000000",
    LEARN_LOG_LEVEL="WARNING",
    LEARN_INDEX_ON_CHANGE="false",
)

import httpx  # noqa: E402

from bench._db import bench_database  # noqa: E402

PASSWORD = "a long passphrase for profiling"
CLIENT_THREAD = "answering-client"
WARM_UP_ANSWERS = 6


class StatementClock:
    """The time from sending each statement to its result, by kind; COMMIT as its own kind."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = defaultdict(float)
        self.count: Counter[str] = Counter()
        self.last_sql: dict[str, tuple[str, Any]] = {}
        self._started = threading.local()

    def install(self, engine: Any) -> None:
        from sqlalchemy import event
        from sqlmodel import Session

        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        event.listen(engine, "commit", self._before_commit)
        event.listen(Session, "after_commit", self._after_commit)

    def reset(self) -> None:
        self.ms.clear()
        self.count.clear()

    def _before(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self._started.at = time.perf_counter()

    def _after(self, _conn: Any, _cursor: Any, statement: str, params: Any, *_args: Any) -> None:
        kind = statement_kind(statement)
        self.ms[kind] += 1000 * (time.perf_counter() - self._started.at)
        self.count[kind] += 1
        self.last_sql[kind] = (statement, params)

    def _before_commit(self, _conn: Any) -> None:
        self._started.commit = time.perf_counter()

    def _after_commit(self, _session: Any) -> None:
        started = getattr(self._started, "commit", None)
        if started is not None:
            self.ms["COMMIT"] += 1000 * (time.perf_counter() - started)
            self.count["COMMIT"] += 1
            self._started.commit = None


def statement_kind(statement: str) -> str:
    """A short name for a statement: its verb and first table (the CTE's for WITH)."""
    flat = " ".join(statement.split())
    if flat.startswith("WITH f AS"):
        return "WITH … (count the answer: XP, motivation, badges)"
    if flat.startswith("WITH counted AS"):
        return "WITH counted … (count the review, lock the card)"
    match = re.match(r"(SELECT|INSERT INTO|UPDATE|DELETE FROM)\s+(.*)", flat)
    if not match:
        return flat[:60]
    verb, rest = match.groups()
    if verb == "SELECT":
        table = re.search(r"\bFROM\s+(\"?\w+\"?)", rest)
        suffix = " FOR UPDATE" if "FOR UPDATE" in rest else ""
        return f"SELECT {table.group(1) if table else rest[:40]}{suffix}"
    return f"{verb} {rest.split()[0]}"


def serve_api() -> str:
    import uvicorn

    from learn_app.api.app import api_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(api_app, host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if server.started and httpx.get(url + "/api/health", trust_env=False).is_success:
                return url
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise SystemExit("the API did not start")


def learners(client: httpx.Client, count: int, group_id: int, activity_id: int) -> list[tuple]:
    """(headers, session id) of `count` learners signed in, each with a flashcards session."""
    found = []
    for n in range(count):
        email = f"profile{n}@example.com"
        body = {"email": email, "password": PASSWORD, "display_name": f"Profile {n}"}
        client.post("/api/auth/register", json=body).raise_for_status()
        token = client.post("/api/auth/token", data={"username": email, "password": PASSWORD})
        headers = {"Authorization": f"Bearer {token.raise_for_status().json()['access_token']}"}
        started = client.post(
            "/api/study_activities",
            json={"group_id": group_id, "study_activity_id": activity_id},
            headers=headers,
        )
        found.append((headers, started.raise_for_status().json()["id"]))
    return found


def answer(client: httpx.Client, who: tuple, word: int, correct: bool) -> float:
    headers, session_id = who
    sent = time.perf_counter()
    reply = client.post(
        f"/api/study_sessions/{session_id}/words/{word}/review",
        json={"correct": correct, "rating": "good" if correct else "again"},
        headers=headers,
    )
    if reply.status_code != 201:
        raise SystemExit(f"an answer was refused: {reply.status_code} {reply.text}")
    return 1000 * (time.perf_counter() - sent)


def answer_many(
    client: httpx.Client, everyone: list[tuple], words: list[int], count: int
) -> list[float]:
    import random

    rng = random.Random(7)
    return [
        answer(client, everyone[n % len(everyone)], rng.choice(words), rng.random() < 0.8)
        for n in range(count)
    ]


def sampled(out: Path) -> subprocess.Popen[bytes] | None:
    """py-spy sampling this process's threads while they hold the GIL, until it is
    interrupted; None without py-spy."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        print("py-spy is not installed: no profile of the server's threads")
        return None
    command = [spy, "record", "--pid", str(os.getpid()), "--duration", "3600"]
    command += ["--rate", "250", "--gil", "--format", "raw", "--threads", "--output", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # attached before the answers start
    return process


def print_profile(raw: Path, answers: int, top: int) -> None:
    """The functions in the most server-thread samples (inclusive), and those sampled most
    often as the innermost frame (self)."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        frames = stack.split(";")
        if CLIENT_THREAD in frames[0] or "pydevd" in stack:
            continue
        samples = int(n)
        total += samples
        names = [re.sub(r" \((.*?):\d+\)$", r" (\1)", f) for f in frames[1:]]
        for name in dict.fromkeys(names):
            inclusive[name] += samples
        if names:
            own[names[-1]] += samples
    if not total:
        print("py-spy took no samples of the server's threads")
        return
    print(f"\nServer threads, {total} samples while answering ({total / answers:.1f} per answer"
          " at 250/s): inclusive")  # fmt: skip
    for name, n in inclusive.most_common(top):
        print(f"  {100 * n / total:5.1f}%  {_short(name)}")
    print("self (innermost frame):")
    for name, n in own.most_common(top // 2):
        print(f"  {100 * n / total:5.1f}%  {_short(name)}")


def _short(frame: str) -> str:
    return re.sub(r"\(/.*?(site-packages|learn_app)/", r"(\1/", frame)[:110]


def profile_in_one_thread(everyone: list[tuple], words: list[int], count: int, top: int) -> None:
    """cProfile of `count` answers given straight to the ASGI app in this thread, with
    `anyio.to_thread.run_sync` run inline, so the thread pool's work is in the profile too."""
    import asyncio
    import cProfile
    import json
    import pstats
    import random

    import anyio.to_thread

    from learn_app.api.app import api_app

    async def inline(func: Any, *args: Any, **_kwargs: Any) -> Any:
        return func(*args)

    async def post(path: str, body: dict[str, Any], headers: dict[str, str]) -> int:
        raw = json.dumps(body).encode()
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
            "root_path": "", "query_string": b"", "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 80), "state": {},
            "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
                        (b"content-length", str(len(raw)).encode())]
            + [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        }  # fmt: skip
        sent: list[dict[str, Any]] = []
        chunks = [{"type": "http.request", "body": raw, "more_body": False}]

        async def receive() -> dict[str, Any]:
            return chunks.pop() if chunks else {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await api_app(scope, receive, send)
        return int(sent[0]["status"])

    async def answers() -> None:
        rng = random.Random(11)
        for n in range(count):
            headers, session_id = everyone[n % len(everyone)]
            correct = rng.random() < 0.8
            status = await post(
                f"/api/study_sessions/{session_id}/words/{rng.choice(words)}/review",
                {"correct": correct, "rating": "good" if correct else "again"},
                headers,
            )
            if status != 201:
                raise SystemExit(f"an answer was refused in the profile: {status}")

    real = anyio.to_thread.run_sync
    anyio.to_thread.run_sync = inline  # type: ignore[assignment]
    profiler = cProfile.Profile(time.thread_time)  # CPU time: waiting on the database is not in it
    try:
        profiler.enable()
        asyncio.run(answers())
        profiler.disable()
    finally:
        anyio.to_thread.run_sync = real  # type: ignore[assignment]
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(
        f"\ncProfile, {count} answers in one thread: {1000 * total / count:.2f} ms of CPU per"
        " answer (the profiler's own cost included)"
    )
    rows = stats.stats  # type: ignore[attr-defined]
    for title, column in (("cumulative", 3), ("own", 2)):
        print(f"  most {title} time, ms per answer (calls per answer):")
        ranked = sorted(rows.items(), key=lambda item: -item[1][column])
        for (path, line, name), value in ranked[: top if column == 3 else top // 2]:
            where = re.sub(r"^.*?(site-packages|learn_app)/", r"\1/", path)
            print(
                f"    {1000 * value[column] / count:6.2f}  ({value[1] / count:5.1f})  "
                f"{name} {where}:{line}"[:120]
            )


def explain(clock: StatementClock) -> None:
    """The review insert (with its trigger) and the counting statement, replayed under EXPLAIN
    ANALYZE in one transaction that is rolled back."""
    from sqlalchemy import text

    from learn_app.db import get_engine

    print("\nUnder EXPLAIN ANALYZE (replayed, rolled back):")
    with get_engine().connect() as connection:
        transaction = connection.begin()
        for kind, (sql, params) in list(clock.last_sql.items()):
            if not (kind.startswith("INSERT INTO review") or kind.startswith("WITH")):
                continue
            rows = connection.exec_driver_sql("EXPLAIN (ANALYZE, TIMING OFF) " + sql, params)
            lines = [row[0] for row in rows]
            shown = [
                line.strip()
                for line in lines
                if line.startswith(("Planning", "Execution", "Trigger"))
            ]
            print(f"  {kind}: " + "; ".join(shown))
        transaction.rollback()
        count = connection.execute(text("select count(*) from review")).scalar_one()
    print(f"  ({count} reviews stored)")


def report(clock: StatementClock, latencies: list[float], cpu_ms: float, answers: int) -> None:
    ordered = sorted(latencies)
    p95 = ordered[round(0.95 * (len(ordered) - 1))]
    print(
        f"\n{answers} answers one at a time: p50 {statistics.median(latencies):.1f} ms, "
        f"p95 {p95:.1f} ms; process CPU {cpu_ms / answers:.1f} ms per answer"
    )
    statements = sum(n for kind, n in clock.count.items() if kind != "COMMIT")
    db_ms = sum(clock.ms.values())
    print(
        f"{statements / answers:.1f} statements per answer (+ COMMIT), database "
        f"{db_ms / answers:.2f} ms per answer (sending to result):"
    )
    for kind, ms in sorted(clock.ms.items(), key=lambda item: -item[1]):
        print(f"  {ms / answers:6.2f} ms  x{clock.count[kind] / answers:.2f}  {kind}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=10)
    parser.add_argument("--answers", type=int, default=400)
    parser.add_argument("--no-py-spy", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--profiled", type=int, default=200)
    args = parser.parse_args()

    database = bench_database("learn-app-answer-profile-")
    from bench.load import store_course
    from learn_app.db import get_engine

    group_id, words, activities = store_course(database.data_dir)
    clock = StatementClock()
    clock.install(get_engine())
    url = serve_api()
    results: dict[str, Any] = {}

    def client_work() -> None:
        with httpx.Client(base_url=url, timeout=60, trust_env=False) as client:
            everyone = learners(client, args.learners, group_id, activities["flashcards"])
            answer_many(client, everyone, words, WARM_UP_ANSWERS * len(everyone))
            spy = None if args.no_py_spy else sampled(database.data_dir / "spy")
            clock.reset()
            cpu = time.process_time()
            results["latencies"] = answer_many(client, everyone, words, args.answers)
            results["cpu"] = 1000 * (time.process_time() - cpu)
            results["spy"] = spy
            results["everyone"] = everyone

    client_thread = threading.Thread(target=client_work, name=CLIENT_THREAD)
    client_thread.start()
    client_thread.join()
    if "latencies" not in results:
        return 1
    report(clock, results["latencies"], results["cpu"], args.answers)
    if results["spy"] is not None:
        results["spy"].send_signal(signal.SIGINT)  # py-spy writes what it sampled
        results["spy"].wait(timeout=60)
        print_profile(database.data_dir / "spy", args.answers, args.top)
    if args.profiled:
        profile_in_one_thread(results["everyone"], words, args.profiled, args.top)
    explain(clock)
    print(f"load average {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
