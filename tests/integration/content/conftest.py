"""People and a small course for the content specifications."""

from __future__ import annotations

import itertools

import pytest

from learn_app.config import get_settings
from learn_app.models import Role, User
from learn_app.services.accounts import auth
from learn_app.services.content.course_files import parse_course_text
from learn_app.services.content.importer import apply_import

MINI_COURSE = """\
slug: ja-mini
language: ja
native_language: en
title: Mini Japanese
level: JLPT N5
groups:
  - slug: animals
    name: Animals
    words:
      - term: 猫
        reading: ねこ
        romaji: neko
        meaning: cat
        part_of_speech: noun
        example_sentence: 猫がいます。
        example_reading: ねこがいます。
        example_translation: There is a cat.
      - term: 犬
        reading: いぬ
        romaji: inu
        meaning: dog
        part_of_speech: noun
  - slug: verbs
    name: Verbs
    words:
      - term: 見る
        reading: みる
        romaji: miru
        meaning: to see; to look
        part_of_speech: verb
        verb_class: ichidan
lessons:
  - slug: wa-and-ga
    title: "は and が"
    level: JLPT N5
    summary: Topic and subject.
    body: |
      ## Topic
      は marks the topic.
  - slug: counters
    title: Counting things
    level: JLPT N5
    status: draft
    body: |
      つ, 本, 枚.
"""

_numbers = itertools.count(1)


def _person(session, role: Role) -> User:
    n = next(_numbers)
    user = auth.register(
        session,
        email=f"{role.value}{n}@school.example",
        password="correct horse battery staple",
        display_name=f"{role.value.title()} {n}",
        role=role,
        rate_limited=False,
    )
    session.commit()
    return user


@pytest.fixture(autouse=True)
def _no_background_indexing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Content edits re-index in a background thread; these specifications are about content."""
    monkeypatch.setattr(get_settings(), "index_on_change", False)


@pytest.fixture
def teacher(session) -> User:
    return _person(session, Role.teacher)


@pytest.fixture
def learner(session) -> User:
    return _person(session, Role.learner)


@pytest.fixture
def mini_text() -> str:
    return MINI_COURSE


@pytest.fixture
def mini_course(session):
    spec = parse_course_text(MINI_COURSE, file="mini.yaml", fmt="yaml")
    apply_import(session, None, spec)
    session.commit()
    return spec
