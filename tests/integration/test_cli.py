"""The command line, run as an operator would: a separate process on the same database."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlmodel import select

from learn_app.models import AuditEvent, Role, User
from learn_app.services.accounts import auth


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "learn_app.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
        check=False,
    )


def test_create_admin_reads_the_password_from_stdin_and_the_admin_can_sign_in(session):
    result = run_cli(
        "create-admin", "Head@School.example", "--name", "Head", stdin="a long passphrase\n"
    )

    assert result.returncode == 0, result.stderr
    assert "head@school.example created as admin" in result.stdout
    signed_in = auth.sign_in(session, email="head@school.example", password="a long passphrase")
    assert signed_in.user.role == Role.admin.value
    assert signed_in.user.display_name == "Head"


def test_create_admin_promotes_an_existing_account_and_keeps_its_password(session):
    auth.register(
        session, email="t@school.example", password="teacher passphrase", display_name="T"
    )
    session.commit()

    result = run_cli("create-admin", "t@school.example")

    assert result.returncode == 0, result.stderr
    assert "promoted to admin" in result.stdout
    session.expire_all()
    user = session.exec(select(User).where(User.email == "t@school.example")).one()
    assert user.role == Role.admin.value
    assert auth.sign_in(session, email="t@school.example", password="teacher passphrase")
    events = session.exec(select(AuditEvent.event).where(AuditEvent.user_id == user.id)).all()
    assert "user.role_changed" in events


def test_create_admin_refuses_a_weak_password_with_a_clear_message(session):
    result = run_cli("create-admin", "weak@school.example", stdin="short\n")

    assert result.returncode == 2
    assert "at least 10 characters" in result.stderr
    assert session.exec(select(User).where(User.email == "weak@school.example")).first() is None


def test_migrate_reports_an_up_to_date_schema(database_url):
    result = run_cli("migrate")

    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
