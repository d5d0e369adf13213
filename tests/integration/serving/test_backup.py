"""`cli backup PATH` and `cli restore PATH`: a round trip keeps every row, reviews exactly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy
from sqlmodel import Session, SQLModel

from learn_app.models import Course, Review, StudySession, User, Word
from learn_app.services.study import activities

REVIEW_CHECKSUM = """
select count(*), md5(coalesce(string_agg(concat_ws('|', id, session_id, user_id, word_id,
       rating, correct, response, latency_ms, reviewed_at, stability), ',' order by id), ''))
from review
"""

HOLD_DATABASE = """
from learn_app.db import database_url
print(database_url(), flush=True)
import time
time.sleep(300)
"""


def cli(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "learn_app.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )


def env_for(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "LEARN_DATABASE_URL"}}
    env.update(values)
    return env


def figures(url: str) -> dict[str, object]:
    """Rows per table of the portal, and the review table's checksum."""
    import learn_app.models  # noqa: F401

    engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.NullPool)
    with engine.connect() as connection:
        counts: dict[str, object] = {
            table.name: connection.execute(
                sqlalchemy.text(f'select count(*) from "{table.name}"')
            ).scalar()
            for table in SQLModel.metadata.sorted_tables
        }
        counts["review checksum"] = tuple(
            connection.execute(sqlalchemy.text(REVIEW_CHECKSUM)).one()
        )
        counts["alembic"] = connection.execute(
            sqlalchemy.text("select version_num from alembic_version")
        ).scalar()
    engine.dispose()
    return counts


@pytest.fixture
def school(session: Session) -> int:
    """Two learners with a few hundred answers between them; returns the number of reviews."""
    course = Course(slug="ja-backup", language="ja", title="Backup course")
    session.add(course)
    session.flush()
    words = [
        Word(course_id=course.id, language="ja", term=f"語{n}", reading="ご", meaning=f"w{n}")
        for n in range(40)
    ]
    session.add_all(words)
    activity = activities.get_activity_by_slug(session, "flashcards")
    start = datetime(2026, 11, 1, 8, tzinfo=UTC)
    total = 0
    for n in range(2):
        learner = User(email=f"b{n}@example.com", display_name=f"B{n}", password_hash="-")
        session.add(learner)
        session.flush()
        sitting = StudySession(user_id=learner.id, activity_id=activity.id, started_at=start)
        session.add(sitting)
        session.flush()
        for i, word in enumerate(words * 3):
            session.add(
                Review(
                    session_id=sitting.id,
                    user_id=learner.id,
                    word_id=word.id,
                    rating=("again", "hard", "good", "easy")[i % 4],
                    correct=i % 4 != 0,
                    response=f"answer {i} ✓",
                    latency_ms=900 + i,
                    reviewed_at=start + timedelta(minutes=i, microseconds=i),
                    stability=1.5 + i / 7,
                )
            )
            total += 1
    session.commit()
    return total


@pytest.fixture
def other_server(tmp_path: Path):
    """A second, empty embedded PostgreSQL (a new machine): (its URL, its data directory)."""
    data = tmp_path / "restored"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_DATABASE],
        stdout=subprocess.PIPE,
        text=True,
        env=env_for(LEARN_DATA_DIR=str(data)),
    )
    assert holder.stdout is not None
    url = holder.stdout.readline().strip()
    assert url.startswith("postgresql+psycopg://"), url
    yield url, data
    holder.send_signal(signal.SIGTERM)
    holder.wait(timeout=60)


def test_a_backup_restored_on_another_server_has_every_row_and_the_same_reviews(
    school, database_url, other_server, tmp_path
):
    target_url, target_data = other_server
    archive = tmp_path / "backups" / "school.dump"

    taken = cli("backup", str(archive), env=env_for(DATABASE_URL=database_url))
    assert taken.returncode == 0, taken.stderr
    assert f"Backup written to {archive}" in taken.stdout
    restored = cli("restore", str(archive), "--yes", env=env_for(LEARN_DATA_DIR=str(target_data)))
    assert restored.returncode == 0, restored.stderr

    source = figures(database_url)
    assert source["review"] == school
    assert source["review checksum"][0] == school
    assert figures(target_url) == source


def test_a_restore_replaces_what_the_database_held_since(school, database_url, tmp_path, session):
    archive = tmp_path / "school.dump"
    assert cli("backup", str(archive), env=env_for(DATABASE_URL=database_url)).returncode == 0
    before = figures(database_url)
    # Later on the same server: a new learner and one more answer...
    session.add(User(email="late@example.com", display_name="Late", password_hash="-"))
    review = session.exec(sqlalchemy.select(Review).limit(1)).scalar_one()
    session.add(Review(user_id=review.user_id, word_id=review.word_id, rating="good", correct=True))
    session.commit()
    assert figures(database_url) != before

    restored = cli("restore", str(archive), "--yes", env=env_for(DATABASE_URL=database_url))

    assert restored.returncode == 0, restored.stderr
    assert figures(database_url) == before


def test_restoring_asks_for_confirmation_and_refuses_a_file_that_is_no_backup(
    database_url, tmp_path
):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    env = env_for(DATABASE_URL=database_url)

    refused = cli("restore", str(not_a_backup), "--yes", env=env)
    assert refused.returncode == 2
    assert "is not a backup of the portal" in refused.stderr

    missing = cli("restore", str(tmp_path / "nowhere.dump"), "--yes", env=env)
    assert missing.returncode == 2
    assert "There is no backup at" in missing.stderr

    archive = tmp_path / "a.dump"
    assert cli("backup", str(archive), env=env).returncode == 0
    unconfirmed = cli("restore", str(archive), env=env)
    assert unconfirmed.returncode == 2
    assert "--yes" in unconfirmed.stderr
