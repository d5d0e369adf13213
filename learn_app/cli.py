"""Command line: `python -m learn_app.cli COMMAND`.

run             serve the portal: embedded database if DATABASE_URL is unset, migrations, a
                production build of the frontend (rebuilt only after a change) on 8000 and
                backend workers on 5000. --dev for Reflex's hot-reload server instead.
migrate         apply database migrations
backup PATH     write the whole database to a pg_dump archive
restore PATH    replace the database's contents with an archive's (stop the portal first)
create-admin    create an admin account, or promote an existing one
prune           remove audit and model-call rows past their retention (the backend also does)
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from learn_app.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="learn_app", description="The learn_app portal.")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start the portal")
    run.add_argument("--dev", action="store_true", help="hot-reload development server")
    run.add_argument(
        "--prod", action="store_true", help="production build (the default; kept for old scripts)"
    )

    commands.add_parser("migrate", help="apply database migrations")
    commands.add_parser(
        "build-frontend", help="build the production frontend now (run does it when needed)"
    )

    admin = commands.add_parser("create-admin", help="create or promote an admin account")
    admin.add_argument("email")
    admin.add_argument("--name", default="", help="display name (default: the email's name)")

    importer = commands.add_parser("import", help="import course content")
    importer.add_argument("path", type=Path)
    importer.add_argument("--dry-run", action="store_true", help="show the changes only")

    exporter = commands.add_parser("export", help="print a course in an import format")
    exporter.add_argument("slug")
    exporter.add_argument("--format", choices=["yaml", "json", "csv"], default="yaml")

    commands.add_parser("reindex", help="rebuild the retrieval index")
    commands.add_parser(
        "backfill-achievements", help="give learners the XP and badges their history earns"
    )

    commands.add_parser(
        "prune", help="remove audit and model-call rows older than their retention settings"
    )

    backup = commands.add_parser("backup", help="write a backup of the database to a file")
    backup.add_argument("path", type=Path)

    restore = commands.add_parser("restore", help="replace the database with a backup's contents")
    restore.add_argument("path", type=Path)
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    args = parser.parse_args(argv)
    if args.command == "run":
        return run_portal(dev=args.dev)
    if args.command == "migrate":
        return migrate()
    if args.command == "build-frontend":
        from learn_app.ops.supervisor import build_frontend

        return build_frontend()
    if args.command == "import":
        return import_content(args.path, dry_run=args.dry_run)
    if args.command == "export":
        return export_content(args.slug, args.format)
    if args.command == "reindex":
        return reindex()
    if args.command == "backfill-achievements":
        return backfill_achievements()
    if args.command == "prune":
        return prune()
    if args.command == "backup":
        return backup_database(args.path)
    if args.command == "restore":
        return restore_database(args.path, confirmed=args.yes)
    return create_admin(args.email, args.name)


SHIPPED_CONTENT = ROOT / "content"


def _index_in_the_foreground() -> None:
    """This command re-indexes itself once its import is done and prints what that did;
    a background sync after each commit would only race it for the same work."""
    from learn_app.config import get_settings

    get_settings().index_on_change = False


def import_content(path: Path, *, dry_run: bool = False) -> int:
    from learn_app.db import migrate as apply_migrations
    from learn_app.db import session_scope
    from learn_app.services.content import importer
    from learn_app.services.content.course_files import read_course_folder, read_upload
    from learn_app.services.content.course_format import ContentErrors
    from learn_app.services.errors import DomainError

    apply_migrations()
    _index_in_the_foreground()
    try:
        if path.is_dir():
            folders = (
                [path]
                if (path / "course.yaml").exists()
                else sorted(p for p in path.iterdir() if (p / "course.yaml").exists())
            )
            if not folders:
                print(f"error: no course.yaml in {path} or its folders", file=sys.stderr)
                return 2
            specs = [read_course_folder(folder) for folder in folders]
        else:
            specs = [read_upload(path.name, path.read_bytes())]
        with session_scope() as session:
            for spec in specs:
                plan = (importer.plan_import if dry_run else importer.apply_import)(
                    session, None, spec
                )
                verb = "would change" if dry_run else "imported"
                print(f"{spec.slug} ({verb}): {plan.summary()}")
                for change in plan.changes[:50]:
                    print(f"  {change.action} {change.kind}: {change.label}")
                if len(plan.changes) > 50:
                    print(f"  … and {len(plan.changes) - 50} more")
            if dry_run:
                session.rollback()
    except ContentErrors as errors:
        print(f"error: nothing was imported; {len(errors.problems)} problem(s):", file=sys.stderr)
        for problem in errors.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except (DomainError, OSError) as error:
        print(f"error: nothing was imported: {getattr(error, 'message', error)}", file=sys.stderr)
        return 2
    if not dry_run:
        return reindex(full=False)
    return 0


def export_content(slug: str, fmt: str) -> int:
    from sqlmodel import select

    from learn_app.db import session_scope
    from learn_app.models import Course
    from learn_app.services.content import exporter

    with session_scope() as session:
        course = session.exec(select(Course).where(Course.slug == slug)).first()
        if course is None:
            print(f"error: no course with slug '{slug}'", file=sys.stderr)
            return 2
        spec = exporter.export_course(session, None, course.id)
    sys.stdout.write(exporter.render(spec, fmt))  # type: ignore[arg-type]
    return 0


def reindex(*, full: bool = True) -> int:
    """Bring the retrieval index up to date (full: rebuild it from scratch)."""
    from learn_app.db import session_scope
    from learn_app.rag import indexing

    with session_scope() as session:
        report = indexing.rebuild_index(session) if full else indexing.sync_index(session)
    print(f"Retrieval index: {report}")
    return 0


def prune() -> int:
    """Remove audit_event and llm_call rows older than their retention, and say how many."""
    from learn_app.config import get_settings
    from learn_app.db import migrate as apply_migrations
    from learn_app.services.accounts import retention

    apply_migrations()
    settings = get_settings()
    pruned = retention.prune_now()
    if not pruned.ran:
        print("Another process is removing old rows right now; nothing done.")
        return 0
    for label, count, days in (
        ("audit events", pruned.audit_events, settings.audit_retention_days),
        ("model calls", pruned.llm_calls, settings.llm_call_retention_days),
    ):
        print(f"Removed {count} {label} older than {days} days." if days else f"Kept all {label}.")
    return 0


def load_shipped_content() -> None:
    """First start: the courses shipped in content/ (idempotent), then the retrieval index."""
    from learn_app.db import session_scope
    from learn_app.services.content import importer

    if not SHIPPED_CONTENT.is_dir():
        return
    _index_in_the_foreground()
    with session_scope() as session:
        for plan in importer.load_content_folder(session, SHIPPED_CONTENT):
            if not plan.is_empty:
                print(f"Course {plan.course_slug}: {plan.summary()}", flush=True)
    reindex(full=False)


def backup_database(path: Path) -> int:
    from learn_app.db import database_url
    from learn_app.ops.backup import BackupFailed, backup

    started = time.monotonic()
    try:
        archive = backup(database_url(), path)
    except BackupFailed as error:
        print(f"error: no backup was written: {error}", file=sys.stderr)
        return 1
    print(
        f"Backup written to {archive.path}: {archive.tables} tables, "
        f"{archive.size_bytes / 1_000_000:.1f} MB, in {time.monotonic() - started:.1f}s."
    )
    return 0


def restore_database(path: Path, *, confirmed: bool) -> int:
    """Replace everything in the database with the backup's contents, after a confirmation."""
    from learn_app.db import database_url
    from learn_app.db import migrate as apply_migrations
    from learn_app.ops.backup import BackupFailed, archive_tables, restore

    try:
        archive_tables(path)
    except BackupFailed as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not confirmed:
        if not sys.stdin.isatty():
            print(
                "error: restoring replaces every account, course and review; "
                "run again with --yes to confirm.",
                file=sys.stderr,
            )
            return 2
        answer = input(f"Replace all of the portal's data with {path}? Type 'yes': ")
        if answer.strip().lower() != "yes":
            print("Nothing was changed.")
            return 1
    url = database_url()
    started = time.monotonic()
    try:
        tables = restore(url, path)
    except BackupFailed as error:
        print(f"error: nothing was restored: {error}", file=sys.stderr)
        return 1
    apply_migrations(url)
    print(f"Restored {tables} tables from {path} in {time.monotonic() - started:.1f}s.")
    return 0


def migrate() -> int:
    from learn_app.db import migrate as apply_migrations

    apply_migrations()
    print("Database schema is up to date.")
    return 0


def _read_password() -> str:
    """Asked for twice at a terminal; otherwise the first line of standard input."""
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            raise SystemExit("The two passwords differ; nothing was changed.")
        return password
    return sys.stdin.readline().rstrip("\r\n")


def create_admin(email: str, name: str) -> int:
    from learn_app.db import migrate as apply_migrations
    from learn_app.db import session_scope
    from learn_app.services.accounts import auth
    from learn_app.services.errors import DomainError

    apply_migrations()
    with session_scope() as session:
        existing = auth.find_user_by_email(session, auth.normalize_email(email))
    password = "" if existing else _read_password()
    try:
        with session_scope() as session:
            user = auth.create_admin(
                session, email=email, password=password, display_name=name or email.split("@")[0]
            )
            if existing is None:
                print(f"{user.email} created as admin.")
            elif existing.role == "admin":
                print(f"{user.email} is already an admin; nothing changed.")
            else:
                print(f"{user.email} promoted to admin (their password is unchanged).")
    except DomainError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    return 0


def run_portal(*, dev: bool = False) -> int:
    """Serve the portal until interrupted (see `learn_app.ops.supervisor`)."""
    from learn_app.config import get_settings
    from learn_app.ops import supervisor

    # The shipped courses (unless turned off) are checked while the servers start.
    shipped = load_shipped_content if get_settings().load_shipped_content else None
    return supervisor.run(dev=dev, prepare=prepare_database, load_content=shipped)


def prepare_database(settings: Settings) -> str:
    """The database and its schema; returns its URL."""
    from learn_app.db import database_url
    from learn_app.db import migrate as apply_migrations

    started = time.monotonic()
    url = database_url()  # starts (or reuses) the embedded server when DATABASE_URL is unset
    apply_migrations(url)
    print(f"Database ready in {time.monotonic() - started:.1f}s.", flush=True)
    return url


def backfill_achievements() -> int:
    """What existing learners' history earns: XP, streaks and badges (safe to run again)."""
    from learn_app.db import migrate as apply_migrations
    from learn_app.db import session_scope
    from learn_app.services.achievements import backfill

    apply_migrations()
    with session_scope() as session:
        report = backfill.backfill_all(session)
    print(f"Achievements backfilled: {report}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
