"""Progress analytics over a synthetic school. Prints a table of timings and figure sizes.

    .venv/bin/python bench/analytics.py [--learners 100] [--days 365] [--per-day 50]
                                        [--runs 200] [--keep DIR]

Runs on its own embedded PostgreSQL (a temporary data directory, deleted afterwards unless
`--keep` names one to reuse: a kept school is seeded once, and a later run over it only brings
it to the newest Alembic revision, whose migrations fill any summary table they add). The
school is seeded with generate_series in a few INSERT … SELECT statements (no row passes
through Python):

- `--learners` learners in classes of 30, each class with its own teacher;
- a course of 2,000 words; each learner has a card for every word, with FSRS-like memory:
  stability log-normal around 20 days, difficulty 1–10, last answered within the past month,
  due at the interval their stability gives for 90% retention, lapses growing with difficulty;
- one study session a day per learner, rotating through the built-in activities, holding about
  `--per-day` answers (between half and one and a half times it): 10% first answers of new
  words, 8% learning steps, 5% relearning, the rest reviews; a review's predicted recall comes
  from the forgetting curve at a random interval and stability, and it is remembered with that
  probability — so the calibration the page draws is a real one — with answer times of 2–20 s.

Timed (each call in a fresh database session, learners taken at random), wall clock and CPU
(the database backend's and this process's, which a busy machine's wall clock does not show):
- learner progress data: `learner_progress` — every figure behind the Progress page
  (aim p95 ≤ 200 ms), after each learner's page was opened once (that first opening, which
  works out and keeps the past weeks' words known, is timed on its own line);
- progress figures: building the page's nine Plotly figures from that data, with the size of
  their JSON (aim < 300 kB a page).

- class dashboard: `class_dashboard` for a class of 30 — roster, trends, most-missed words —
  with its five figures (aim p95 ≤ 500 ms);
- assignment grid: `completion_grid` for a class of 30 with 8 assignments of 25 words, set
  3 to 45 days ago (seeded on first use) (aim p95 ≤ 200 ms).

Other dashboards add their own timings with `add_measurement(fn)`: `fn(world, runs)` gets the
seeded `School` (its classes, teachers, learners) and returns a `Timing`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from learn_app.models import User

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._db import Timing, bench_database  # noqa: E402

WORDS = 2000
CLASS_SIZE = 30


@dataclass
class School:
    """What the seeding built, for every measurement to use."""

    database_url: str
    learner_ids: list[int]
    teacher_ids: list[int]
    classroom_ids: list[int]
    word_ids: list[int]
    reviews: int
    now: datetime
    extra: dict[str, object] = field(default_factory=dict)


MEASUREMENTS: list[Callable[[School, int], Timing]] = []


def add_measurement(fn: Callable[[School, int], Timing]) -> Callable[[School, int], Timing]:
    """Register another timing (a class dashboard, an assignment grid); usable as a decorator."""
    MEASUREMENTS.append(fn)
    return fn


# --------------------------------------------------------------------------- seeding

_SEED = [
    # People: learners, then one teacher per class of CLASS_SIZE.
    """
    INSERT INTO "user" (email, display_name, password_hash, role, native_language,
                        target_language, daily_goal, desired_retention, timezone, created_at,
                        is_active, failed_logins)
    SELECT 'learner' || n || '@bench.example', 'Learner ' || n, '-', 'learner', 'en', 'ja', 20,
           0.9, (ARRAY['UTC','Asia/Tokyo','Europe/Madrid','America/New_York'])[1 + n % 4],
           now() - interval '400 days', true, 0
    FROM generate_series(1, :learners) AS n
    """,
    """
    INSERT INTO "user" (email, display_name, password_hash, role, native_language,
                        target_language, daily_goal, desired_retention, timezone, created_at,
                        is_active, failed_logins)
    SELECT 'teacher' || n || '@bench.example', 'Teacher ' || n, '-', 'teacher', 'en', 'ja', 20,
           0.9, 'UTC', now() - interval '400 days', true, 0
    FROM generate_series(1, :classes) AS n
    """,
    """
    INSERT INTO classroom (teacher_id, name, language, created_at)
    SELECT u.id, 'Class ' || substr(u.email, 8, strpos(u.email, '@') - 8), 'ja', now()
    FROM "user" u WHERE u.role = 'teacher'
    """,
    """
    INSERT INTO enrollment (classroom_id, learner_id, created_at)
    SELECT c.id, l.id, now()
    FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM "user"
          WHERE role = 'learner') l
    JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM classroom) c
      ON c.k = l.k / :class_size
    """,
    "INSERT INTO course (slug, language, title, description, level, native_language, created_at,"
    " updated_at)"
    " VALUES ('bench', 'ja', 'Bench course', '', '', 'en', now(), now())",
    """
    INSERT INTO word (course_id, language, term, reading, meaning, part_of_speech,
                      example_sentence, example_translation, parts, tags, status,
                      created_at, updated_at)
    SELECT (SELECT id FROM course WHERE slug = 'bench'), 'ja', '語' || n,
           CASE WHEN n % 2 = 0 THEN 'ご' || n ELSE '語' || n END, 'word ' || n, 'noun',
           '', '', '{}', '[]', 'published', now(), now()
    FROM generate_series(1, :words) AS n
    """,
    # Cards: every learner knows every word, each with its own memory.
    """
    INSERT INTO card_state (user_id, word_id, state, step, stability, difficulty, due,
                            last_review, reps, lapses, introduced_at)
    SELECT u.id, w.id, 'review', NULL, s, d,
           lr + make_interval(secs => greatest(1, round(s)) * 86400), lr,
           3 + (random() * 15)::int, floor(random() * d / 3)::int, now() - interval '365 days'
    FROM "user" u CROSS JOIN word w,
         LATERAL (SELECT exp(ln(20) + random() * 2 - 1 + (u.id + w.id) * 0) AS s,
                         1 + random() * 9 AS d,
                         now() - make_interval(secs => random() * 30 * 86400) AS lr) m
    WHERE u.role = 'learner'
    """,
    # A session a day per learner, rotating through the activities.
    """
    INSERT INTO study_session (user_id, activity_id, group_id, started_at, ended_at)
    SELECT u.id, a.ids[1 + (u.id + day) % array_length(a.ids, 1)], NULL,
           date_trunc('day', now()) - make_interval(days => day) + interval '8 hours',
           date_trunc('day', now()) - make_interval(days => day) + interval '8 hours 20 minutes'
    FROM "user" u CROSS JOIN generate_series(0, :days - 1) AS day,
         (SELECT array_agg(id ORDER BY id) AS ids FROM study_activity) a
    WHERE u.role = 'learner'
    """,
    # Answers: ~per_day a session, with the memory model's prediction and its outcome.
    """
    INSERT INTO review (session_id, user_id, word_id, rating, correct, response, latency_ms,
                        reviewed_at, card_stage, elapsed_days, retrievability, stability,
                        difficulty)
    SELECT s.id, s.user_id, (SELECT min(id) FROM word) + floor(random() * :words)::int,
           CASE WHEN NOT ok THEN 'again' WHEN r < 0.2 THEN 'hard' WHEN r > 0.9 THEN 'easy'
                ELSE 'good' END,
           ok, '', 2000 + (random() * 18000)::int,
           s.started_at + make_interval(secs => k * 20),
           stage,
           CASE WHEN stage = 'new' THEN NULL WHEN stage IN ('learning', 'relearning')
                THEN 0.01 ELSE elapsed END,
           CASE WHEN stage = 'review' THEN recall END,
           CASE WHEN ok THEN stab * (1.5 + random() * 2) ELSE stab * 0.3 END,
           1 + random() * 9
    FROM study_session s
    -- s.id * 0: a count drawn per session (without it the planner draws one for all).
    CROSS JOIN LATERAL generate_series(1, (:per_day * (0.5 + random()) + s.id * 0)::int) AS k
    CROSS JOIN LATERAL (
        SELECT stage, elapsed, stab, recall, random() < recall AS ok, random() AS r
        FROM (
            SELECT CASE WHEN p < 0.10 THEN 'new' WHEN p < 0.18 THEN 'learning'
                        WHEN p < 0.23 THEN 'relearning' ELSE 'review' END AS stage,
                   elapsed, stab,
                   power(1 + (power(0.9, -1 / 0.1542) - 1) * elapsed / stab, -0.1542) AS recall
            FROM (SELECT random() + k * 0 AS p, 1 + floor(random() * 90) AS elapsed,
                         exp(ln(20) + random() * 3 - 1.5) AS stab) x
        ) y
    ) m
    """,
    "ANALYZE",
]


def seed(url: str, *, learners: int, days: int, per_day: int) -> None:
    import sqlalchemy
    from sqlmodel import Session

    from learn_app.services.study import activities

    engine = sqlalchemy.create_engine(url)
    with Session(engine) as session:
        activities.ensure_builtin_activities(session)
        session.commit()
    classes = max(1, -(-learners // CLASS_SIZE))
    params = {
        "learners": learners,
        "classes": classes,
        "class_size": CLASS_SIZE,
        "words": WORDS,
        "days": days,
        "per_day": per_day,
    }
    with engine.begin() as connection:
        for statement in _SEED:
            text = sqlalchemy.text(statement)
            used = {k: v for k, v in params.items() if f":{k}" in statement}
            if statement.strip() == "ANALYZE":
                continue
            connection.execute(text, used)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sqlalchemy.text("ANALYZE"))
    engine.dispose()


def load_school(url: str) -> School:
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    with engine.connect() as connection:
        learners = list(
            connection.execute(
                sqlalchemy.text("SELECT id FROM \"user\" WHERE role = 'learner' ORDER BY id")
            ).scalars()
        )
        teachers = list(
            connection.execute(
                sqlalchemy.text("SELECT id FROM \"user\" WHERE role = 'teacher' ORDER BY id")
            ).scalars()
        )
        classes = list(
            connection.execute(sqlalchemy.text("SELECT id FROM classroom ORDER BY id")).scalars()
        )
        words = list(
            connection.execute(sqlalchemy.text("SELECT id FROM word ORDER BY id")).scalars()
        )
        reviews = connection.execute(sqlalchemy.text("SELECT count(*) FROM review")).scalar_one()
    engine.dispose()
    return School(url, learners, teachers, classes, words, int(reviews), datetime.now(UTC))


# --------------------------------------------------------------------------- timings


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def _first_openings(school: School) -> Timing:
    """Each learner's page opened once: the first opening in a week works out the new week's
    words known (the first ever, all 52) and keeps it; the timing below is of later ones."""
    import sqlalchemy

    from learn_app.services.study.analytics import learner_progress

    engine = sqlalchemy.create_engine(school.database_url)
    with engine.begin() as connection:  # a kept school's weeks from an earlier run go
        connection.execute(sqlalchemy.text("DELETE FROM words_known_week"))
    engine.dispose()

    def call(session: Session, viewer: User, learner_id: int) -> object:
        return learner_progress(session, viewer, learner_id)

    wall, cpu = [], []
    for learner_id in school.learner_ids:
        w, c, _ = _timed_calls(1, learner_id, [(learner_id, learner_id)], call)
        wall += w
        cpu += c
    return Timing(
        "learner progress data, first opening (all 52 weeks worked out)",
        wall,
        None,
        note=_cpu_note(cpu),
    )


@add_measurement
def measure_learner_progress(school: School, runs: int) -> Timing:
    from learn_app.services.study.analytics import learner_progress

    school.extra["first openings"] = _first_openings(school)

    def call(session: Session, viewer: User, learner_id: int) -> object:
        return learner_progress(session, viewer, learner_id)

    learners = [(learner_id, learner_id) for learner_id in school.learner_ids]
    wall, cpu, _ = _timed_calls(runs, 1, learners, call)
    return Timing(
        "learner progress data (learner_progress, every chart)",
        wall,
        200,
        note=_cpu_note(cpu),
    )


@add_measurement
def measure_progress_figures(school: School, runs: int) -> Timing:
    from learn_app.db import session_scope
    from learn_app.figures import memory as memory_figures
    from learn_app.figures import progress as figures
    from learn_app.models import User
    from learn_app.services.study.analytics import learner_progress

    builders = (
        lambda r: figures.reviews_chart(r, 365, "kind"),
        lambda r: figures.retention_chart(r, "week"),
        figures.calibration_chart,
        figures.forecast_chart,
        figures.calendar_chart,
        memory_figures.memory_chart,
        memory_figures.known_chart,
        figures.accuracy_chart,
        memory_figures.workload_chart,
    )
    rng = random.Random(2)
    samples, sizes = [], []
    for _ in range(max(5, runs // 10)):
        learner_id = rng.choice(school.learner_ids)
        with session_scope() as session:
            report = learner_progress(session, session.get(User, learner_id), learner_id)
        started = time.perf_counter()
        views = [build(report) for build in builders]
        samples.append((time.perf_counter() - started) * 1000)
        sizes.append(sum(len(v.figure.to_json()) for v in views))
    return Timing(
        "progress figures (nine Plotly figures from the data)",
        samples,
        None,
        note=f"figure JSON per page: largest {max(sizes) / 1024:.0f} kB (aim < 300 kB)",
    )


# --------------------------------------------------------------------------- teachers' views

ASSIGNMENTS_PER_CLASS = 8
ASSIGNMENT_WORDS = 25

_ASSIGNMENT_SEED = [
    # Word groups to assign: ASSIGNMENTS_PER_CLASS groups of ASSIGNMENT_WORDS course words.
    """
    INSERT INTO word_group (course_id, slug, language, name, description, created_at, updated_at)
    SELECT (SELECT id FROM course WHERE slug = 'bench'), 'bench-set-' || g, 'ja', 'Set ' || g,
           '', now(), now()
    FROM generate_series(1, :groups) AS g
    """,
    """
    INSERT INTO word_group_member (group_id, word_id, position)
    SELECT g.id, (SELECT min(id) FROM word) + (g.k * :words + n) % :all_words, n
    FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM word_group
          WHERE slug LIKE 'bench-set-%') g
    CROSS JOIN generate_series(0, :words - 1) AS n
    """,
    # Every class gets each group, set 3 to 45 days ago and due a week later; one in four
    # asks for one activity (whose sessions in the seed have no group, so it is never done).
    """
    INSERT INTO assignment (classroom_id, group_id, activity_id, due_at, note, created_by_id,
                            created_at, updated_at)
    SELECT c.id, g.id, CASE WHEN g.k % 4 = 0 THEN (SELECT min(id) FROM study_activity) END,
           set_at + interval '7 days', '', c.teacher_id, set_at, set_at
    FROM classroom c
    CROSS JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM word_group
                WHERE slug LIKE 'bench-set-%') g
    CROSS JOIN LATERAL (SELECT now() - make_interval(days => (3 + (g.k * 6) % 43)::int) AS set_at) t
    """,
]


def _full_classes(school: School) -> list[tuple[int, int]]:
    """(class, its teacher) for the classes of CLASS_SIZE learners."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(school.database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            sqlalchemy.text(
                "SELECT c.id, c.teacher_id FROM classroom c JOIN enrollment e"
                " ON e.classroom_id = c.id GROUP BY c.id HAVING count(*) = :size ORDER BY c.id"
            ),
            {"size": CLASS_SIZE},
        ).all()
    engine.dispose()
    return [(int(c), int(t)) for c, t in rows]


def _seed_assignments(school: School) -> None:
    """Groups and assignments for every class, once per database."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(school.database_url)
    with engine.begin() as connection:
        if connection.execute(sqlalchemy.text("SELECT count(*) FROM assignment")).scalar_one():
            return
        params = {
            "groups": ASSIGNMENTS_PER_CLASS,
            "words": ASSIGNMENT_WORDS,
            "all_words": len(school.word_ids),
        }
        for statement in _ASSIGNMENT_SEED:
            used = {k: v for k, v in params.items() if f":{k}" in statement}
            connection.execute(sqlalchemy.text(statement), used)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sqlalchemy.text("ANALYZE word_group, word_group_member, assignment"))
    engine.dispose()


def _cpu_note(cpu: list[float]) -> str:
    ordered = sorted(cpu)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"CPU per call {statistics.median(cpu):.0f} ms median, {p95:.0f} ms p95"


def _cpu_ms(pid: int) -> float:
    """CPU time a process has used (Linux /proc): the database's share of a call, which the
    wall clock on a busy machine does not show."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _timed_calls(
    runs: int, seed: int, targets: list[tuple[int, int]], fn: Callable[..., object]
) -> tuple[list[float], list[float], object]:
    """Wall milliseconds of `fn(session, viewer, target_id)` for random (target, viewer) pairs
    (a class and its teacher, a learner and themself), each in a fresh session, and the CPU
    milliseconds (PostgreSQL's backend and this process) of each."""
    import sqlalchemy

    from learn_app.db import session_scope
    from learn_app.models import User

    rng = random.Random(seed)
    wall, cpu, result = [], [], None
    for _ in range(runs):
        target_id, viewer_id = rng.choice(targets)
        with session_scope() as session:
            pid = session.execute(sqlalchemy.text("SELECT pg_backend_pid()")).scalar_one()
            viewer = session.get(User, viewer_id)
            backend, here = _cpu_ms(pid), time.process_time()
            started = time.perf_counter()
            result = fn(session, viewer, target_id)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append(_cpu_ms(pid) - backend + (time.process_time() - here) * 1000)
    return wall, cpu, result


@add_measurement
def measure_class_dashboard(school: School, runs: int) -> Timing:
    from learn_app.figures import class_dashboard as figures
    from learn_app.services.study.class_dashboard import class_dashboard

    wall, cpu, board = _timed_calls(runs, 3, _full_classes(school), class_dashboard)
    builders = (
        figures.active_learners_chart,
        figures.reviews_chart,
        figures.retention_chart,
        figures.progress_distribution_chart,
        figures.missed_heatmap,
    )
    for build in builders:  # Plotly loads its validators on first use: not the page's cost
        build(board)
    started = time.perf_counter()
    size = sum(len(build(board).figure.to_json()) for build in builders)
    drawing = (time.perf_counter() - started) * 1000
    return Timing(
        f"class dashboard ({CLASS_SIZE} learners: roster, trends, missed)",
        wall,
        500,
        note=f"{_cpu_note(cpu)}; its five figures take "
        f"{drawing:.0f} ms more and {size / 1024:.0f} kB of JSON",
    )


@add_measurement
def measure_assignment_grid(school: School, runs: int) -> Timing:
    from learn_app.services.study.assignments import completion_grid

    _seed_assignments(school)
    wall, cpu, _ = _timed_calls(runs, 4, _full_classes(school), completion_grid)
    return Timing(
        f"assignment grid ({CLASS_SIZE} learners × {ASSIGNMENTS_PER_CLASS} assignments)",
        wall,
        200,
        note=_cpu_note(cpu),
    )


def _load() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=50)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="a data directory to keep and reuse")
    args = parser.parse_args()

    # A kept database gets the revisions added since it was seeded.
    database = bench_database("learn-bench-analytics-", args.keep)
    url, data_dir = database.url, database.data_dir
    seeded = (data_dir / "seeded").exists()
    if not seeded:
        started = time.perf_counter()
        seed(url, learners=args.learners, days=args.days, per_day=args.per_day)
        if args.keep:
            (data_dir / "seeded").touch()
        print(f"seeded in {time.perf_counter() - started:.0f}s", flush=True)
    school = load_school(url)
    # As a backend worker does once the app is loaded (learn_app/ops/heap.py): what exists now
    # is left out of later garbage collections.
    import learn_app.figures.class_dashboard
    import learn_app.figures.memory
    import learn_app.figures.progress
    import learn_app.services.study.analytics  # noqa: F401
    from learn_app.ops.heap import freeze_startup_heap

    frozen = freeze_startup_heap()
    print(
        f"{len(school.learner_ids)} learners, {len(school.classroom_ids)} classes, "
        f"{school.reviews:,} answers; {os.cpu_count()} CPUs; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average {_load()}; "
        f"{frozen:,} objects frozen out of garbage collection",
        flush=True,
    )
    rows = [measure(school, args.runs) for measure in MEASUREMENTS]
    rows[1:1] = [t for t in school.extra.values() if isinstance(t, Timing)]
    header = f"{'operation':<62} {'n':>5} {'median ms':>10} {'p95 ms':>8} {'aim p95':>8}"
    print(header)
    print("-" * len(header))
    for row in rows:
        aim = f"{row.aim_p95_ms:.0f}" if row.aim_p95_ms else "-"
        print(f"{row.name:<62} {len(row.samples):>5} {row.median:>10.2f} {row.p95:>8.2f} {aim:>8}")
    for row in rows:
        if row.note:
            print(f"({row.name}: {row.note})")
    print(f"load average at the end: {_load()}")


if __name__ == "__main__":
    main()
