"""Tutor latency: question to first streamed piece and to full answer, and where it goes.

    .venv/bin/python bench/tutor.py [--questions 100] [--reply-chars 600] [--chunk-chars 16]
    flock /tmp/e2e.lock .venv/bin/python bench/tutor.py --page [--page-questions 20]

Runs on its own embedded PostgreSQL (a temporary data directory, deleted afterwards), migrated
with the portal's Alembic revisions, with the two shipped courses in content/ imported and
indexed as on a first start. Claude is the fake Messages API of the tests
(`tests/fakes/anthropic_server.py`) on a loopback port, answering at once: a reply of
`--reply-chars` characters citing [1], [2] and [5], streamed in `--chunk-chars` pieces with no
pause, so what is timed is the portal, not a model.

The questions are the learner questions of tests/integration/rag/retrieval_questions.yaml (both
courses, each asked in its course's language), in turn until `--questions` are asked, each in a
new conversation, after 5 untimed ones. Each goes through `tutor.ask_stream` as the tutor page's
worker thread does it: a database session, the sign-in token checked, the pieces consumed.

- first piece / full answer: from the call to the first text piece and to the `TutorAnswer`.
- retrieval: inside the pipeline's retriever (`chains.CourseRetriever.run`: the question
  embedded once, then lessons and words searched apart, each asking both indexes); "of which
  embedding" is the part inside the query embedder.
- prompt building: inside the pipeline's prompt component (`chains.TaskPrompt.run`).
- provider: inside the provider's `stream` generator (for Claude: the SDK's request, the fake's
  answer, the SDK parsing the events), counted only while the tutor waits on it.
- budget + llm_call: the learner's budget check and the `llm_call` row.
- pipeline, threads: the rest of the Haystack run (`tutor._run`) and the hand-off of pieces from
  the pipeline's thread to the caller's.
- conversation, auth: the rest — the conversation and message rows, the session and the
  sign-in check.
- own overhead: everything but the provider. Aim (issue): ≤ 100 ms at p95 with Claude.

A wrapped function the tutor no longer calls is named under its table. The figures are of the
machine as it is: the load average at the start is printed, since other work on the CPUs
shows up in every row.

The offline tutor is measured the same way; its "provider" is our own quoting code.

With `--page`, the portal also runs as in the browser tests (Reflex's AppHarness: the backend in
this process, the dev frontend on a free port) and Debian's Chromium (Playwright, headless) signs
in and asks `--page-questions` questions on /tutor, each in a new conversation, with Claude the
fake streaming at once: first as a new learner, then as the learner of the service runs, who by
then has every conversation those made (the page lists them all beside the answer). Times are
taken in the browser (wall clock, by a MutationObserver): from the click on Ask to the first
answer text in the page, and to the answer with its citation links; and in the app, when
`tutor.ask_stream` starts and ends, so that the click-to-answer time splits into reaching the
handler, the tutor itself, and the pieces reaching the page and being drawn. The page part
compiles the frontend (a minute or two) and shares `.web/` with the browser tests, so run it
under `flock /tmp/e2e.lock` as they are; `--questions 0` runs it alone.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the fake Messages API

QUESTIONS_FILE = ROOT / "tests" / "integration" / "rag" / "retrieval_questions.yaml"
COURSE_LANGUAGES = {"ja-en": "ja", "es-en": "es"}
WARM_UP_QUESTIONS = 5
AIM_OWN_P95_MS = 100.0
PASSWORD = "bench passphrase 123"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPLY_SENTENCE = (
    "Use the polite form with people you do not know well [1]; the plain form is for friends "
    "and family [2]. The word list gives the reading and an example [5]. "
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Phases:
    """Milliseconds spent in each wrapped function during the current question."""

    spent: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def reset(self) -> None:
        self.spent.clear()
        self.calls.clear()

    def add(self, phase: str, started: float) -> None:
        self.spent[phase] += (time.perf_counter() - started) * 1000

    def timed_call(self, phase: str, call: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(call)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.calls[phase] += 1
            started = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                self.add(phase, started)

        return timed

    def timed_stream(self, phase: str, stream: Callable[..., Iterator[Any]]) -> Callable[..., Any]:
        """A generator function's time counted only while its caller waits for the next item."""

        @functools.wraps(stream)
        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            self.calls[phase] += 1
            started = time.perf_counter()
            items = stream(*args, **kwargs)
            try:
                while True:
                    try:
                        item = next(items)
                    except StopIteration:
                        return
                    finally:
                        self.add(phase, started)
                    yield item
                    started = time.perf_counter()
            finally:
                items.close()

        return timed


# Phase → where it is wrapped. Each is looked up by the tutor at call time (a module attribute,
# or a method of a class), so wrapping it here times the portal's own calls.
WRAPPED = {
    "retrieval": "learn_app.llm.chains.CourseRetriever.run",
    "embedding": "learn_app.rag.embedder.TextEmbedder.run",
    "prompt": "learn_app.llm.chains.TaskPrompt.run",
    "provider": "AnthropicProvider.stream, OfflineProvider.stream",
    "ledger": "learn_app.llm.calls.provider_calls_today, record_call",
    "pipeline": "learn_app.services.tutor.tutor._run",
    "ask_stream": "learn_app.services.tutor.tutor.ask_stream",
}


def instrument(phases: Phases) -> None:
    """Wrap what the tutor calls, where it looks it up (module attributes, classes)."""
    from learn_app.llm import calls as llm
    from learn_app.llm import chains
    from learn_app.llm.offline import OfflineProvider
    from learn_app.llm.providers import AnthropicProvider
    from learn_app.rag.embedder import TextEmbedder
    from learn_app.services.tutor import tutor

    chains.CourseRetriever.run = phases.timed_call("retrieval", chains.CourseRetriever.run)  # type: ignore[method-assign]
    TextEmbedder.run = phases.timed_call("embedding", TextEmbedder.run)  # type: ignore[method-assign]
    chains.TaskPrompt.run = phases.timed_call("prompt", chains.TaskPrompt.run)  # type: ignore[method-assign]
    for provider in (AnthropicProvider, OfflineProvider):
        provider.stream = phases.timed_stream("provider", provider.stream)  # type: ignore[method-assign]
    llm.provider_calls_today = phases.timed_call("ledger", llm.provider_calls_today)
    llm.record_call = phases.timed_call("ledger", llm.record_call)
    tutor._run = phases.timed_call("pipeline", tutor._run)
    tutor.ask_stream = phases.timed_stream("ask_stream", tutor.ask_stream)


def questions(count: int) -> list[tuple[str, str]]:
    """(language, question) pairs, the question file's in turn until `count`."""
    import yaml

    data = yaml.safe_load(QUESTIONS_FILE.read_text("utf-8"))
    asked = [(COURSE_LANGUAGES[course], q["question"]) for course, qs in data.items() for q in qs]
    return [asked[n % len(asked)] for n in range(count)]


@dataclass(frozen=True)
class World:
    email: str
    token: str


def build_world() -> World:
    """Both shipped courses imported and indexed, and a learner signed in."""
    from learn_app.db import session_scope
    from learn_app.rag.indexing import sync_index
    from learn_app.services.content import importer

    started = time.perf_counter()
    with session_scope() as session:
        importer.load_content_folder(session, ROOT / "content")
    with session_scope() as session:
        report = sync_index(session)
    print(f"courses imported and indexed in {time.perf_counter() - started:.1f}s: {report}")
    return new_learner("bench.learner@example.com")


def new_learner(email: str) -> World:
    """A learner of Japanese, signed up and signed in."""
    from learn_app.db import session_scope
    from learn_app.services.accounts import auth

    with session_scope() as session:
        user = auth.register(
            session, email=email, password=PASSWORD, display_name="Bench", rate_limited=False
        )
        user.target_language = "ja"
        session.add(user)
    with session_scope() as session:
        token = auth.sign_in(session, email=email, password=PASSWORD).token
    return World(email=email, token=token)


def conversations_of(world: World) -> int:
    from learn_app.db import session_scope
    from learn_app.services.accounts import auth
    from learn_app.services.tutor import tutor

    with session_scope() as session:
        user = auth.authenticate(session, world.token).user
        return len(tutor.list_conversations(session, user))


@dataclass
class Samples:
    """Per-question milliseconds, by measure."""

    rows: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    providers: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    pieces: list[int] = field(default_factory=list)


def ask_once(world: World, language: str, question: str, phases: Phases) -> dict[str, Any]:
    """One question as the tutor page's worker thread asks it."""
    from learn_app.db import session_scope
    from learn_app.services.accounts import auth
    from learn_app.services.tutor import tutor

    phases.reset()
    first: float | None = None
    pieces = 0
    answer = None
    started = time.perf_counter()
    with session_scope() as session:
        user = auth.authenticate(session, world.token).user
        for item in tutor.ask_stream(session, user, question, language=language):
            if isinstance(item, str):
                pieces += 1
                if first is None:
                    first = (time.perf_counter() - started) * 1000
            else:
                answer = item
    total = (time.perf_counter() - started) * 1000
    assert answer is not None
    return {
        "total": total,
        "first": first if first is not None else total,
        "provider_name": answer.provider,
        "pieces": pieces,
        "spent": dict(phases.spent),
        "calls": dict(phases.calls),
    }


# Table rows: (label, the phase whose calls are counted per question).
SERVICE_ROWS = [
    ("first piece", ""),
    ("full answer", ""),
    ("retrieval", "retrieval"),
    ("  of which embedding", "embedding"),
    ("prompt building", "prompt"),
    ("provider", "provider"),
    ("budget + llm_call", "ledger"),
    ("pipeline, threads", "pipeline"),
    ("conversation, auth", ""),
    ("own overhead", ""),
]
TOTALS = ("first piece", "full answer")


def measure_service(world: World, asked: list[tuple[str, str]], phases: Phases) -> Samples:
    for language, question in asked[:WARM_UP_QUESTIONS]:
        ask_once(world, language, question, phases)
    samples = Samples()
    for language, question in asked:
        one = ask_once(world, language, question, phases)
        spent = defaultdict(float, one["spent"])
        total = one["total"]
        measured = {
            "first piece": one["first"],
            "full answer": total,
            "retrieval": spent["retrieval"],
            "  of which embedding": spent["embedding"],
            "prompt building": spent["prompt"],
            "provider": spent["provider"],
            "budget + llm_call": spent["ledger"],
            # Haystack running the components, and the hand-offs between the pipeline's
            # thread and the caller's.
            "pipeline, threads": spent["pipeline"]
            - spent["retrieval"]
            - spent["prompt"]
            - spent["provider"]
            - spent["ledger"],
            # The conversation and message rows, the session and the sign-in check.
            "conversation, auth": total - spent["pipeline"],
            "own overhead": total - spent["provider"],
        }
        for name, value in measured.items():
            samples.rows[name].append(value)
        for phase, n in one["calls"].items():
            samples.calls[phase] += n
        samples.providers[one["provider_name"]] += 1
        samples.pieces.append(one["pieces"])
    return samples


def print_service_table(title: str, samples: Samples, *, aim: bool) -> None:
    total = sum(samples.rows["full answer"])
    asked = len(samples.rows["full answer"])
    answered_by = ", ".join(f"{n} by {name}" for name, n in sorted(samples.providers.items()))
    pieces = statistics.median(samples.pieces)
    print(f"\n{title}: {asked} questions ({answered_by}), {pieces:.0f} pieces per answer")
    header = (
        f"{'measure':<22} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'share':>7} {'calls/q':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, phase in SERVICE_ROWS:
        values = samples.rows[name]
        share = "" if name in TOTALS else f"{100 * sum(values) / total:.1f}%"
        calls = f"{samples.calls.get(phase, 0) / asked:.1f}" if phase else ""
        print(
            f"{name:<22} {statistics.median(values):>8.1f} {percentile(values, 0.95):>8.1f} "
            f"{max(values):>8.1f} {share:>7} {calls:>8}"
        )
    unseen = [
        WRAPPED[phase] for _name, phase in SERVICE_ROWS if phase and not samples.calls.get(phase)
    ]
    if unseen:
        print(f"(never called, so not measured: {'; '.join(unseen)})")
    if aim:
        own_p95 = percentile(samples.rows["own overhead"], 0.95)
        verdict = "met" if own_p95 <= AIM_OWN_P95_MS else "NOT met"
        print(f"aim: own overhead p95 ≤ {AIM_OWN_P95_MS:.0f} ms — {verdict} ({own_p95:.1f} ms)")


def use_provider(name: str, fake: Any | None = None) -> None:
    from learn_app.config import get_settings

    os.environ["LEARN_LLM_PROVIDER"] = name
    if fake is not None:
        os.environ["ANTHROPIC_API_KEY"] = "sk-ant-bench-dummy"
        os.environ["ANTHROPIC_BASE_URL"] = fake.base_url
    get_settings.cache_clear()


# Records, as wall-clock milliseconds, when Ask is clicked, when the newest answer first shows
# text and when it shows its citation links; and how many different texts it showed.
WATCH_THE_ANSWER = """() => {
    if (window.__tutorWatch) return;
    window.__tutorWatch = true;
    window.__tutorTimes = null;
    const now = () => performance.timeOrigin + performance.now();
    document.addEventListener('click', (event) => {
        if (event.target.closest('#tutor-ask')) {
            window.__tutorTimes = {click: now(), first: null, final: null, texts: 0, last: ''};
        }
    }, true);
    new MutationObserver(() => {
        const times = window.__tutorTimes;
        if (!times || times.final !== null) return;
        const answers = document.querySelectorAll('.tutor-answer');
        if (!answers.length) return;
        const answer = answers[answers.length - 1];
        const text = answer.innerText.trim();
        if (text && text !== times.last) {
            times.texts += 1;
            times.last = text;
            if (times.first === null) times.first = now();
        }
        if (answer.querySelector('a.tutor-citation')) times.final = now();
    }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""
PAGE_ROWS = [
    "click → first text",
    "click → final answer",
    "click → tutor starts",
    "tutor (ask_stream)",
    "  of which provider",
    "tutor done → shown",
    "  last update sent",
    "  sent → drawn",
]


def mark_the_app(marks: dict[str, Any]) -> Callable[[], None]:
    """Note, as wall-clock milliseconds, the start and end of each `tutor.ask_stream` in the app
    and each state update it sends to the page (Reflex's `emit_update`); returns the undo."""
    from reflex.app import EventNamespace

    from learn_app.services.tutor import tutor

    ask_stream = tutor.ask_stream
    emit_update = EventNamespace.emit_update

    @functools.wraps(ask_stream)
    def marked(*args: Any, **kwargs: Any) -> Iterator[Any]:
        marks["start"] = time.time() * 1000
        yield from ask_stream(*args, **kwargs)
        marks["end"] = time.time() * 1000

    @functools.wraps(emit_update)
    async def sent(self: Any, *args: Any, **kwargs: Any) -> Any:
        marks.setdefault("sent", []).append(time.time() * 1000)
        return await emit_update(self, *args, **kwargs)

    tutor.ask_stream = marked
    EventNamespace.emit_update = sent  # type: ignore[method-assign]

    def undo() -> None:
        tutor.ask_stream = ask_stream
        EventNamespace.emit_update = emit_update  # type: ignore[method-assign]

    return undo


@dataclass
class PageSamples:
    rows: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    texts: list[int] = field(default_factory=list)  # different texts each answer showed


def measure_page(
    learners: list[tuple[str, World]], asked: list[tuple[str, str]], phases: Phases
) -> dict[str, PageSamples]:
    """Ask on /tutor in Chromium as each learner; click → first text and → final answer."""
    from playwright.sync_api import expect, sync_playwright
    from reflex.testing import AppHarness

    bun = ROOT / ".tools" / "node_modules" / ".bin"
    os.environ["PATH"] = f"{bun}{os.pathsep}{os.environ.get('PATH', '')}"
    os.environ.setdefault("REFLEX_USE_SYSTEM_BUN", "1")
    os.chdir(ROOT)
    marks: dict[str, Any] = {}
    undo = mark_the_app(marks)
    harness = AppHarness.create(root=ROOT, app_name="learn_app")
    measured: dict[str, PageSamples] = {}
    try:
        started = time.perf_counter()
        harness.start()
        assert harness.frontend_url is not None
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"\napp started in {time.perf_counter() - started:.0f}s; load average {load}")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            expect.set_options(timeout=180_000)  # the dev server compiles each page on first use
            for label, world in learners:
                context = browser.new_context(base_url=harness.frontend_url.rstrip("/"))
                context.set_default_timeout(180_000)
                measured[label] = ask_in_page(context.new_page(), world, asked, phases, marks)
                context.close()
            browser.close()
    finally:
        harness.stop()
        undo()
    return measured


def ask_in_page(
    page: Any, world: World, asked: list[tuple[str, str]], phases: Phases, marks: dict[str, Any]
) -> PageSamples:
    from playwright.sync_api import expect

    samples = PageSamples()
    page.goto("/signin")
    page.fill("#signin-email", world.email)
    page.fill("#signin-password", PASSWORD)
    page.click("#signin-submit")
    page.wait_for_url("**/dashboard")
    page.goto("/tutor")
    expect(page.locator("#tutor-question")).to_be_visible()
    untimed = [(True, question) for _language, question in asked[:WARM_UP_QUESTIONS]]
    for is_warm_up, question in [*untimed, *((False, q) for _language, q in asked)]:
        page.click("#tutor-new")
        expect(page.locator(".tutor-message")).to_have_count(0)
        # Let the page's load event finish, so the question does not wait behind it.
        time.sleep(0.5)
        page.evaluate(WATCH_THE_ANSWER)
        page.fill("#tutor-question", question)
        phases.reset()
        marks.clear()
        page.click("#tutor-ask")
        expect(page.locator(".tutor-answer a.tutor-citation").first).to_be_visible()
        page.wait_for_function("() => window.__tutorTimes && window.__tutorTimes.final")
        times = page.evaluate("window.__tutorTimes")
        expect(page.locator("#tutor-offline")).to_have_count(0)
        if is_warm_up:
            continue
        # The update that carried the answer: the last one sent before it was drawn.
        sent = max(t for t in marks["sent"] if t <= times["final"])
        row = {
            "click → first text": times["first"] - times["click"],
            "click → final answer": times["final"] - times["click"],
            "click → tutor starts": marks["start"] - times["click"],
            "tutor (ask_stream)": marks["end"] - marks["start"],
            "  of which provider": phases.spent.get("provider", 0.0),
            "tutor done → shown": times["final"] - marks["end"],
            "  last update sent": sent - marks["end"],
            "  sent → drawn": times["final"] - sent,
        }
        for name, value in row.items():
            samples.rows[name].append(value)
        samples.texts.append(int(times["texts"]))
    return samples


def print_page_table(label: str, samples: PageSamples, pieces: int) -> None:
    asked = len(samples.rows["click → final answer"])
    texts = statistics.median(samples.texts)
    print(
        f"\nIn the page, {label} (Chromium, Claude the fake answering at once): {asked} "
        f"questions; each answer showed {texts:.0f} different texts on its way (median) for "
        f"{pieces} pieces"
    )
    header = f"{'measure':<24} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
    print(header)
    print("-" * len(header))
    for name in PAGE_ROWS:
        values = samples.rows[name]
        print(
            f"{name:<24} {statistics.median(values):>8.1f} {percentile(values, 0.95):>8.1f} "
            f"{max(values):>8.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=100, help="0: the page part only")
    parser.add_argument("--reply-chars", type=int, default=600, help="length of Claude's reply")
    parser.add_argument("--chunk-chars", type=int, default=16, help="characters per piece")
    parser.add_argument("--page", action="store_true", help="also measure in Chromium")
    parser.add_argument("--page-questions", type=int, default=20)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="learn-bench-tutor-"))
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir))
    os.environ["LEARN_DATA_DIR"] = str(data_dir / "data")
    os.environ.setdefault("LEARN_LOG_LEVEL", "WARNING")
    os.environ["LEARN_INDEX_ON_CHANGE"] = "false"  # indexed once, in the foreground
    os.environ["LEARN_LLM_DAILY_BUDGET"] = "1000000"  # every question goes to the provider
    os.environ["LEARN_BCRYPT_ROUNDS"] = "4"
    for name in ("ANTHROPIC_API_KEY", "LEARN_ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"):
        os.environ.pop(name, None)

    from fakes.anthropic_server import FakeAnthropic

    import learn_app.rag  # noqa: F401  (sets the offline/telemetry switches first)
    from learn_app import db

    url = db.start_embedded_server(data_dir / "pgdata", cleanup_mode="delete")
    os.environ["DATABASE_URL"] = url
    db.migrate(url)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{os.cpu_count()} CPUs, load average {load}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        flush=True,
    )
    world = build_world()
    from learn_app.rag.retrieval import warm_up

    warm_up()

    reply = REPLY_SENTENCE * max(1, round(args.reply_chars / len(REPLY_SENTENCE)))
    fake = FakeAnthropic(reply=reply.strip(), chunk_chars=args.chunk_chars).start()
    phases = Phases()
    instrument(phases)
    asked = questions(args.questions)
    try:
        if asked:
            use_provider("anthropic", fake)
            claude = measure_service(world, asked, phases)
            print_service_table(
                f"Claude (the fake server answering at once, {len(fake.reply)} characters in "
                f"{args.chunk_chars}-character pieces)",
                claude,
                aim=True,
            )
            use_provider("offline")
            print_service_table("Offline tutor", measure_service(world, asked, phases), aim=False)
            print(
                "\nshare: of the summed full-answer time; the rows from retrieval to conversation "
                "add up to it (embedding is part of retrieval); own overhead = full answer − "
                "provider."
            )
        if args.page:
            use_provider("anthropic", fake)
            learners = [("a new learner", new_learner("page.learner@example.com"))]
            if asked:
                kept = conversations_of(world)
                learners.append((f"a learner with {kept} conversations", world))
            page_asked = questions(args.page_questions)
            pieces = -(-len(fake.reply) // args.chunk_chars)
            for label, samples in measure_page(learners, page_asked, phases).items():
                print_page_table(label, samples, pieces)
            print(
                "\nclick → tutor starts: the event reaching the app's handler and its worker "
                "thread; tutor: `ask_stream` in the app's process; tutor done → shown: the "
                "pieces and the final answer reaching the page through the state and the "
                "websocket, and being drawn; of which last update sent: until the app sent its "
                "last state update (the time after the tutor is done), and sent → drawn: until "
                "the browser showed it."
            )
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
