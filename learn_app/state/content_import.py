"""Import and export of course content, for teachers.

An upload is read and planned first (nothing changes); the teacher sees every change, or every
problem in the file, and only "Apply import" writes, in one transaction. Permission checks and
the file format belong to `learn_app.services.content.importer`, `exporter` and `course_format`.
"""

from __future__ import annotations

import dataclasses

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from learn_app.models import User
from learn_app.services import paging
from learn_app.services.content import common, exporter, importer
from learn_app.services.content import groups as groups_service
from learn_app.services.content.course_format import MAX_UPLOAD_BYTES, ContentErrors, CourseSpec
from learn_app.services.errors import DomainError, InvalidInput, PermissionDenied
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.content import ALL, CourseOption, course_options
from learn_app.state.inputs import id_or_zero
from learn_app.state.signed_in import in_page_thread, off_loop
from learn_app.state.uploads import discard_upload, keep_upload, read_upload

# Kinds of change in the order a course is built, with how each is named on screen.
KINDS: dict[str, str] = {
    "course": "Course",
    "group": "Word groups",
    "word": "Words",
    "membership": "Words placed in groups",
    "lesson": "Lessons",
}
SHOWN_PER_KIND = 100
FORMATS: dict[str, str] = {"yaml": "YAML", "json": "JSON", "csv": "CSV (words only)"}
MIME_TYPES: dict[str, str] = {
    "yaml": "application/yaml",
    "json": "application/json",
    "csv": "text/csv",
}

__all__ = ["FORMATS", "ChangeGroup", "ChangeRow", "ExportState", "ImportState", "ProblemRow"]


@dataclasses.dataclass
class ChangeRow:
    action: str
    label: str
    detail: str


@dataclasses.dataclass
class ChangeGroup:
    kind: str
    title: str
    counts: str
    changes: list[ChangeRow]
    more: int


@dataclasses.dataclass
class ProblemRow:
    file: str
    line: str
    field: str
    message: str


@dataclasses.dataclass
class GroupChoice:
    id: str
    name: str


def _change_groups(plan: importer.ImportPlan) -> list[ChangeGroup]:
    groups = []
    for kind, title in KINDS.items():
        changes = [c for c in plan.changes if c.kind == kind]
        if not changes:
            continue
        new, changed = plan.count(kind, "create"), plan.count(kind, "update")
        counts = ", ".join(
            part
            for part in (f"{new} new" if new else "", f"{changed} changed" if changed else "")
            if part
        )
        groups.append(
            ChangeGroup(
                kind=kind,
                title=title,
                counts=counts,
                changes=[ChangeRow(c.action, c.label, c.detail) for c in changes[:SHOWN_PER_KIND]],
                more=max(0, len(changes) - SHOWN_PER_KIND),
            )
        )
    return groups


class ImportState(ProtectedState):
    loaded: bool = False
    denied: str = ""
    courses: list[CourseOption] = []
    course: str = ""
    filename: str = ""
    is_csv: bool = False
    summary: str = ""
    nothing_to_do: bool = False
    change_groups: list[ChangeGroup] = []
    problems: list[ProblemRow] = []
    error: str = ""
    result: str = ""
    # Where the chosen file waits (a private file, not state: state is persisted per client).
    _upload_path: str = ""

    @rx.var
    def has_preview(self) -> bool:
        return bool(self.summary) and not self.problems and not self.error

    @rx.var
    def problem_count(self) -> str:
        count = len(self.problems)
        return f"{count} problem" if count == 1 else f"{count} problems"

    def _clear(self) -> None:
        self.filename = ""
        self.is_csv = False
        self.summary = ""
        self.nothing_to_do = False
        self.change_groups = []
        self.problems = []
        self.error = ""
        discard_upload(self._upload_path)
        self._upload_path = ""

    @rx.event
    @signed_in_handler({PermissionDenied: "denied"}, loaded="loaded")
    def load(self, signed: Signed) -> None:
        self._clear()
        self.result = ""
        self.denied = ""
        teacher = signed.user
        common.require_editor(teacher)
        self.courses = course_options(signed.session)
        if self.course not in {c.id for c in self.courses}:
            preferred = [c.id for c in self.courses if c.language == teacher.target_language]
            self.course = (preferred or [c.id for c in self.courses] or [""])[0]

    def _read(self, session: Session, teacher: User) -> CourseSpec:
        if self.is_csv and not id_or_zero(self.course):
            raise InvalidInput("Choose the course these words belong to.", field="course")
        course_id = id_or_zero(self.course) if self.is_csv else None
        return importer.read_import_upload(
            session, teacher, self.filename, read_upload(self._upload_path), course_id=course_id
        )

    def _show_problems(self, error: ContentErrors) -> None:
        """Every problem in the file, each with where it is."""
        self.problems = [
            ProblemRow(p.file, str(p.line) if p.line else "—", p.field or "—", p.message)
            for p in error.problems
        ]

    @signed_in_handler({ContentErrors: _show_problems, DomainError: "error"})
    def _plan(self, signed: Signed) -> None:
        self.summary = ""
        self.change_groups = []
        self.problems = []
        self.error = ""
        session, teacher = signed.session, signed.user
        plan = importer.plan_import(session, teacher, self._read(session, teacher))
        session.rollback()  # a plan changes nothing; make sure of it
        self.summary = plan.summary()
        self.nothing_to_do = plan.is_empty
        self.change_groups = _change_groups(plan)

    @signed_in_handler({PermissionDenied: "denied", DomainError: "error"})
    def _may_import(self, signed: Signed) -> bool:
        common.require_editor(signed.user)
        return True

    @rx.event
    async def upload(self, files: list[rx.UploadFile]) -> EventSpec | None:
        """A file was chosen: check who is asking, then read it (at most the size a course
        file may have) and show what importing it would change."""
        self.result = ""
        if not files:
            return None
        allowed = await in_page_thread(self._may_import)
        if allowed is not True:
            return allowed  # the sign-in page, or the refusal shown in the page
        self._clear()
        file = files[0]
        data = await file.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            self.error = (
                f"That file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB, the most a "
                "course file may be. Split it into smaller files."
            )
            return None
        self._upload_path = keep_upload(data)
        self.filename = file.name or "upload"
        self.is_csv = self.filename.lower().endswith(".csv")
        return await in_page_thread(self._plan)

    @rx.event
    @off_loop
    def choose_course(self, course: str) -> EventSpec | None:
        """A CSV's words go to the chosen course, so the plan is made again for it."""
        self.course = course
        if self._upload_path and self.is_csv:
            return self._plan()
        return None

    @rx.event
    def cancel(self) -> None:
        self._clear()

    @rx.event
    @off_loop
    def apply(self) -> EventSpec | None:
        return self._apply() if self._upload_path else None

    @signed_in_handler({ContentErrors: _show_problems, DomainError: "error"})
    def _apply(self, signed: Signed) -> EventSpec:
        session, teacher = signed.session, signed.user
        plan = importer.apply_import(session, teacher, self._read(session, teacher))
        filename = self.filename
        self._clear()
        self.result = f"Imported {filename} into “{plan.course_title}”. {plan.summary()}"
        return rx.toast.success("Import applied.")


class ExportState(ProtectedState):
    courses: list[CourseOption] = []
    course: str = ""
    groups: list[GroupChoice] = []
    group: str = ALL
    format: str = "yaml"
    error: str = ""

    def _show_groups(self, session: Session, teacher: User) -> None:
        self.group = ALL
        if not id_or_zero(self.course):
            self.groups = []
            return
        found = groups_service.list_groups(
            session, teacher, course_id=id_or_zero(self.course), per_page=paging.MAX_PAGE_SIZE
        )
        self.groups = [GroupChoice(str(row.group.id), row.group.name) for row in found.items]

    @rx.event
    @signed_in_handler()
    def load(self, signed: Signed) -> None:
        self.error = ""
        if not common.is_editor(signed.user):
            return
        self.courses = course_options(signed.session)
        if self.course not in {c.id for c in self.courses}:
            self.course = self.courses[0].id if self.courses else ""
        self._show_groups(signed.session, signed.user)

    @rx.event
    @signed_in_handler()
    def choose_course(self, signed: Signed, course: str) -> None:
        self.course = course
        self._show_groups(signed.session, signed.user)

    @rx.event
    def choose_group(self, group: str) -> None:
        self.group = group

    @rx.event
    def choose_format(self, fmt: str) -> None:
        self.format = fmt if fmt in FORMATS else "yaml"

    @rx.event
    @signed_in_handler("error")
    def download(self, signed: Signed) -> EventSpec:
        self.error = ""
        session, teacher = signed.session, signed.user
        if self.group.isdigit():
            spec = exporter.export_group(session, teacher, id_or_zero(self.group))
            name = f"{spec.slug}-{spec.groups[0].slug}"
        else:
            spec = exporter.export_course(session, teacher, id_or_zero(self.course))
            name = spec.slug
        text = exporter.render(spec, self.format)  # type: ignore[arg-type]
        return rx.download(
            data=text, filename=f"{name}.{self.format}", mime_type=MIME_TYPES[self.format]
        )
