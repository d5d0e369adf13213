"""Reflex pages. Signed-in pages are wrapped by `components.layout.template`."""

from learn_app.components.layout import Page
from learn_app.pages.achievements import achievements
from learn_app.pages.admin import admin
from learn_app.pages.class_dashboard import class_dashboard, learner_drilldown
from learn_app.pages.content_import import content_import
from learn_app.pages.course_team import course_editors
from learn_app.pages.dashboard import dashboard
from learn_app.pages.examples import example_sentences
from learn_app.pages.group import group
from learn_app.pages.groups import groups
from learn_app.pages.lesson_editor import edit_lesson, new_lesson
from learn_app.pages.lessons import lesson, lessons
from learn_app.pages.practice import practice
from learn_app.pages.progress import progress
from learn_app.pages.search import search
from learn_app.pages.sentence_builder import sentence_builder
from learn_app.pages.settings import settings
from learn_app.pages.speaking import study_speaking
from learn_app.pages.study_activities import study_activities, study_activity
from learn_app.pages.study_run import study_run
from learn_app.pages.study_sessions import study_session, study_sessions
from learn_app.pages.teacher import teacher
from learn_app.pages.tutor import tutor
from learn_app.pages.vocabulary import vocabulary_importer
from learn_app.pages.word_form import edit_word, new_word
from learn_app.pages.words import word, words
from learn_app.pages.writing import study_writing, teacher_writing

SIGNED_IN_PAGES: tuple[Page, ...] = (
    dashboard,
    practice,
    achievements,
    progress,
    study_activities,
    study_activity,
    study_sessions,
    study_session,
    study_writing,
    sentence_builder,
    study_speaking,
    study_run,
    words,
    new_word,
    word,
    edit_word,
    groups,
    group,
    lessons,
    new_lesson,
    lesson,
    edit_lesson,
    content_import,
    vocabulary_importer,
    example_sentences,
    search,
    tutor,
    settings,
    teacher,
    teacher_writing,
    course_editors,
    class_dashboard,
    learner_drilldown,
    admin,
)

__all__ = ["SIGNED_IN_PAGES"]
