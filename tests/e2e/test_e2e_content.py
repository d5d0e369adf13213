"""Teachers manage words, lessons and imports in the browser; learners read what is published."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.courses import course_text

pytestmark = pytest.mark.e2e

COURSE = course_text("e2e-content.template.yaml")


@dataclass(frozen=True)
class Course:
    slug: str
    title: str
    group: str
    n: str


@pytest.fixture(scope="module")
def course(database_url: str) -> Course:
    """A small Japanese course with one group, imported as the portal's own loader does it."""
    from learn_app import db
    from learn_app.services.content import importer
    from learn_app.services.content.course_files import parse_course_text

    n = uuid.uuid4().hex[:6]
    arranged = Course(slug=f"e2e-content-{n}", title=f"Japanese {n}", group=f"Study words {n}", n=n)
    text = COURSE.format(slug=arranged.slug, title=arranged.title, group=arranged.group, n=n)
    with db.session_scope() as session:
        importer.apply_import(session, None, parse_course_text(text, file="e2e.yaml", fmt="yaml"))
    return arranged


def choose(page: Page, select_id: str, option: str | re.Pattern[str]) -> None:
    page.click(f"#{select_id}")
    page.get_by_role("option", name=option).click()


def test_a_teacher_adds_a_word_that_then_has_its_own_page_and_a_row_in_the_list(portal, course):
    page = portal.page
    portal.sign_in(portal.make_account("teacher", name="Tomoko Teacher", edits_courses=True))
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.click("#nav-words")
    page.click("#word-new")
    expect(page).to_have_url(re.compile(r"/words/new$"))
    choose(page, "word-course", re.compile(course.title))
    term = f"辞書{course.n}"

    page.fill("#word-term", term)
    page.fill("#word-meaning", "dictionary")
    page.click("#word-save")

    expect(page.locator("#word-reading-error")).to_have_text(
        "Japanese words need a reading in kana."
    )
    expect(page.locator("#word-term")).to_have_value(term)
    expect(page.locator("#word-meaning")).to_have_value("dictionary")

    page.fill("#word-reading", "じしょ")
    page.fill("#word-romaji", "jisho")
    page.locator(".word-group-choice", has_text=course.group).click()
    page.click("#word-save")

    expect(page).to_have_url(re.compile(r"/words/\d+$"))
    expect(page.locator("#page-title")).to_have_text(term)
    expect(page.locator("#word-reading")).to_have_text("じしょ")
    expect(page.locator("#word-meaning")).to_have_text("dictionary")
    expect(page.locator("#word-groups")).to_contain_text(course.group)

    page.click("#nav-words")
    page.fill("#words-search", term)
    page.click("#words-search-submit")
    row = page.locator(".word-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(term)
    expect(row).to_contain_text("dictionary")
    expect(row.locator(".word-correct")).to_have_text("0")


def test_a_published_lesson_reaches_learners_and_a_draft_does_not(portal, course):
    page = portal.page
    portal.sign_in(portal.make_account("teacher", name="Tomoko Teacher", edits_courses=True))
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.click("#nav-lessons")
    page.click("#lesson-new")
    expect(page).to_have_url(re.compile(r"/lessons/new$"))
    choose(page, "lesson-course", re.compile(course.title))
    published = f"Saying hello {course.n}"

    page.fill("#lesson-title", published)
    page.fill(
        "#lesson-body",
        "## Greetings\n\nSay **こんにちは** in the afternoon.\n\n"
        '<img id="planted" src="/favicon.ico" onerror="alert(1)">\n',
    )

    # Lists of texts match every element, so they wait for the preview to catch up.
    expect(page.locator("#lesson-preview h2")).to_have_text(["Greetings"])
    expect(page.locator("#lesson-preview strong")).to_have_text(["こんにちは"])
    page.click("#lesson-publish")
    expect(page).to_have_url(re.compile(r"/lessons/\d+$"))
    expect(page.locator("#page-title")).to_have_text(published)
    expect(page.locator("#lesson-body h2")).to_have_text("Greetings")
    expect(page.locator("#lesson-changed")).to_contain_text("Tomoko Teacher")

    draft = f"Counting things {course.n}"
    page.goto("/lessons/new")
    choose(page, "lesson-course", re.compile(course.title))
    page.fill("#lesson-title", draft)
    page.fill("#lesson-body", "## Counters\n\nつ, 本, 枚.\n")
    page.click("#lesson-save-draft")
    expect(page).to_have_url(re.compile(r"/lessons/\d+/edit$"))
    expect(page.locator("#lesson-status")).to_have_text("Draft")
    expect(page.locator("#lesson-last-changed")).to_contain_text("Tomoko Teacher")
    draft_url = re.sub(r"/edit$", "", page.url)

    page.click("#sign-out")
    portal.sign_in(portal.make_account("learner", name="Lin Learner"))
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.click("#nav-lessons")
    page.fill("#lessons-search", course.n)
    page.click("#lessons-search-submit")
    rows = page.locator(".lesson-row")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(published)
    rows.locator(".lesson-link").click()
    expect(page.locator("#lesson-body strong")).to_have_text("こんにちは")
    # HTML in a lesson is not rendered: a teacher's text cannot plant elements in learners' pages.
    expect(page.locator("#planted")).to_have_count(0)
    expect(page.locator("#lesson-edit")).to_have_count(0)

    page.goto(draft_url)
    expect(page.locator("#lesson-missing")).to_contain_text("does not exist")


def _upload(page: Page, name: str, text: str, mime: str) -> None:
    page.set_input_files(
        "#import-upload input[type=file]",
        files=[{"name": name, "mimeType": mime, "buffer": text.encode()}],
    )


def test_an_import_with_mistakes_lists_each_by_row_and_field_and_imports_nothing(portal, course):
    from sqlmodel import select

    from learn_app import db
    from learn_app.models import Course as CourseTable
    from learn_app.models import Word

    page = portal.page
    portal.sign_in(portal.make_account("teacher", name="Tomoko Teacher", edits_courses=True))
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.click("#nav-import")
    choose(page, "import-course", re.compile(course.title))
    good = f"水{course.n}"
    csv = (
        "group,term,reading,meaning,part_of_speech\n"
        f"{course.slug}-study,{good},みず,water,noun\n"
        f"{course.slug}-study,火{course.n},ひ,,noun\n"
    )

    _upload(page, "words.csv", csv, "text/csv")

    problem = page.locator(".import-problem")
    expect(problem).to_have_count(1)
    expect(problem).to_have_attribute("data-line", "3")
    expect(problem).to_have_attribute("data-field", "meaning")
    expect(problem).to_contain_text("this field is required")
    expect(page.locator("#import-problems-summary")).to_contain_text("Nothing was imported")
    expect(page.locator("#import-apply")).to_have_count(0)

    new_slug = f"{course.slug}-more"
    yaml_text = (
        f"slug: {new_slug}\nlanguage: ja\ntitle: More\ngroups:\n"
        "  - slug: more\n    name: More\n    words:\n"
        "      - term: 空\n        reading: そら\n        part_of_speech: noun\n"
    )
    _upload(page, "more.yaml", yaml_text, "application/x-yaml")

    expect(problem).to_have_count(1)
    expect(problem).to_have_attribute("data-field", "groups[0].words[0].meaning")
    expect(problem).to_have_attribute("data-line", "8")
    expect(page.locator("#import-apply")).to_have_count(0)
    with db.session_scope() as session:
        assert session.exec(select(Word).where(Word.term == good)).first() is None
        assert session.exec(select(CourseTable).where(CourseTable.slug == new_slug)).first() is None
