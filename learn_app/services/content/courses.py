"""Courses: the shipped and imported courses a learner can study."""

from __future__ import annotations

from sqlmodel import Session, col, select

from learn_app.models import (
    Course,
)
from learn_app.services.errors import NotFound


def list_courses(session: Session) -> list[Course]:
    return list(session.exec(select(Course).order_by(col(Course.title))))


def get_course(session: Session, course_id: int) -> Course:
    course = session.get(Course, course_id)
    if course is None:
        raise NotFound("That course does not exist.")
    return course
