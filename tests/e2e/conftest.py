"""Browser tests: the real app (Reflex's AppHarness) driven by Playwright in Debian's chromium.

One app and one browser serve all the browser tests, and stop once they are done; every test
gets a fresh browser context (its own localStorage, so its own sign-in) and its own accounts,
so tests never share a user.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_BUN_BIN = REPO / ".tools" / "node_modules" / ".bin"
# Reflex builds the frontend with bun; the project keeps its own copy in .tools.
if _BUN_BIN.is_dir():
    os.environ["PATH"] = f"{_BUN_BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    os.environ.setdefault("REFLEX_USE_SYSTEM_BUN", "1")

from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright  # noqa: E402

from tests.fixtures.courses import course_text  # noqa: E402

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "a long enough passphrase"
# The dev server compiles each page the first time it is asked for it.
TIMEOUT_MS = 20_000


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="package")
def app_url(database_url: str) -> Iterator[str]:
    """The portal in this checkout: backend in this process, dev frontend on a free port.

    It uses the test database, which `database_url` has put into DATABASE_URL.
    """
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM}")
    import reflex.testing
    from reflex.testing import AppHarness
    from reflex_base.config import reload_config

    from learn_app.config import get_settings

    # The backend allows its own frontend's origin only (CORS): give the dev frontend a known
    # free port, and the settings that port, before the app reads them.
    frontend_port = _free_port()
    earlier_port = os.environ.get("LEARN_FRONTEND_PORT")
    os.environ["LEARN_FRONTEND_PORT"] = str(frontend_port)
    get_settings.cache_clear()
    sys.modules.pop("rxconfig", None)
    reload_config()
    with_condition = reflex.testing._with_development_condition

    def on_known_port(env: dict[str, str]) -> dict[str, str]:
        return {**with_condition(env), "PORT": str(frontend_port)}

    reflex.testing._with_development_condition = on_known_port
    harness = AppHarness.create(root=REPO, app_name="learn_app")
    try:
        harness.start()
        assert harness.frontend_url is not None
        yield harness.frontend_url.rstrip("/")
    finally:
        # Also after a failed start: stop() ends whatever did start (frontend process group,
        # backend thread) and leaves nothing running.
        harness.stop()
        # The tests after these see the settings they would have seen without them.
        reflex.testing._with_development_condition = with_condition
        if earlier_port is None:
            os.environ.pop("LEARN_FRONTEND_PORT", None)
        else:
            os.environ["LEARN_FRONTEND_PORT"] = earlier_port
        get_settings.cache_clear()


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright: Playwright, app_url: str) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    expect.set_options(timeout=TIMEOUT_MS)
    _warm_up(browser, app_url)
    yield browser
    browser.close()


def _warm_up(browser: Browser, app_url: str) -> None:
    """Have the dev server compile every page once, so no test pays for it."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(120_000)
    for route in (
        "/signup",
        "/dashboard",
        "/practice",
        "/progress",
        "/study-activities",
        "/study-activities/0",
        "/study/flashcards",
        "/sessions",
        "/sessions/0",
        "/search",
        "/tutor",
        "/words",
        "/words/new",
        "/words/0",
        "/words/0/edit",
        "/groups",
        "/groups/0",
        "/lessons",
        "/lessons/new",
        "/lessons/0",
        "/lessons/0/edit",
        "/import",
        "/vocabulary",
        "/examples",
        "/settings",
        "/teacher",
        "/teacher/writing",
        "/teacher/classes/0",
        "/teacher/classes/0/learners/0",
        "/study/writing",
        "/study/sentence-builder",
        "/admin",
        "/signin",
    ):
        page.goto(app_url + route)
        expect(page.locator("#signin-email, #signup-email").first).to_be_visible(timeout=120_000)
    context.close()


@pytest.fixture
def page(browser: Browser, app_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@dataclass(frozen=True)
class Account:
    email: str
    display_name: str
    password: str = PASSWORD


@dataclass
class Portal:
    """The steps a person takes in the portal, so tests read as what happens."""

    page: Page

    def new_account(self, name: str = "Ada Learner") -> Account:
        """An account nobody has signed up with yet."""
        return new_account(name)

    def sign_up(self, account: Account) -> None:
        self.page.goto("/signup")
        self.page.fill("#signup-email", account.email)
        self.page.fill("#signup-display-name", account.display_name)
        self.page.fill("#signup-password", account.password)
        self.page.click("#signup-submit")

    def sign_in(self, account: Account, *, password: str | None = None) -> None:
        """Fill in the sign-in form on the current page, or open the sign-in page first."""
        if "/signin" not in self.page.url:
            self.page.goto("/signin")
        self.page.fill("#signin-email", account.email)
        self.page.fill("#signin-password", password or account.password)
        self.page.click("#signin-submit")

    def make_account(
        self, role: str = "learner", name: str = "Ada Learner", *, edits_courses: bool = False
    ) -> Account:
        """Arrange an account directly through the sign-up service, with any role.

        `edits_courses` lists the (teacher) account as an editor of every course stored so far,
        as an admin would for a teacher who maintains the shipped courses.
        """
        from sqlmodel import select

        from learn_app import db
        from learn_app.models import Course, CourseEditor, Role
        from learn_app.services.accounts import auth

        account = new_account(name)
        with db.session_scope() as session:
            user = auth.register(
                session,
                email=account.email,
                password=account.password,
                display_name=account.display_name,
                role=Role(role),
                rate_limited=False,
            )
            if edits_courses:
                session.flush()
                for course_id in session.exec(select(Course.id)).all():
                    session.add(CourseEditor(course_id=course_id, user_id=user.id))
        return account


def new_account(name: str = "Ada Learner") -> Account:
    return Account(email=f"{uuid.uuid4().hex[:12]}@example.com", display_name=name)


@pytest.fixture
def portal(page: Page) -> Portal:
    return Portal(page)


# A published, indexed course for the tests that search or ask the tutor.
TRAVEL_COURSE = course_text("e2e-travel.template.yaml")


@dataclass(frozen=True)
class Lesson:
    """A lesson the browser tests search for or ask about."""

    id: int
    title: str


@pytest.fixture(scope="package")
def onsen_lesson(database_url: str) -> Lesson:
    """A published Japanese course, imported and indexed as the portal does it."""
    from sqlmodel import select

    from learn_app import db
    from learn_app.models import Course, Document
    from learn_app.rag.indexing import sync_index
    from learn_app.services.content.course_files import parse_course_text
    from learn_app.services.content.importer import apply_import

    slug = f"ja-travel-{uuid.uuid4().hex[:8]}"
    spec = parse_course_text(TRAVEL_COURSE.format(slug=slug), file="travel.yaml", fmt="yaml")
    with db.session_scope() as session:
        apply_import(session, None, spec)
        session.commit()
        sync_index(session)
        course = session.exec(select(Course).where(Course.slug == slug)).one()
        lesson = session.exec(
            select(Document).where(
                Document.course_id == course.id, Document.slug == f"{slug}-onsen"
            )
        ).one()
        assert lesson.id is not None
        return Lesson(id=lesson.id, title=lesson.title)
