"""Reflex pages. Signed-in pages are wrapped by `components.layout.template`."""

from learn_app.components.layout import Page
from learn_app.pages.admin import admin
from learn_app.pages.dashboard import dashboard
from learn_app.pages.practice import practice
from learn_app.pages.settings import settings
from learn_app.pages.study_activities import study_activities
from learn_app.pages.teacher import teacher

SIGNED_IN_PAGES: tuple[Page, ...] = (
    dashboard,
    practice,
    study_activities,
    settings,
    teacher,
    admin,
)

__all__ = ["SIGNED_IN_PAGES"]
