"""A small course for the content specifications (people come from the integration conftest)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from learn_app.models import Course
from learn_app.services.content.course_files import parse_course_text
from learn_app.services.content.importer import apply_import
from tests.fixtures.courses import course_text

MINI_COURSE = course_text("ja-mini-content.yaml")


@pytest.fixture
def mini_text() -> str:
    return MINI_COURSE


@pytest.fixture
def mini_course(session, teacher):
    """The mini course, imported by the system and handed to `teacher` to edit."""
    spec = parse_course_text(MINI_COURSE, file="mini.yaml", fmt="yaml")
    apply_import(session, None, spec)
    course = session.exec(select(Course).where(Course.slug == spec.slug)).one()
    course.owner_id = teacher.id
    session.add(course)
    session.commit()
    return spec
