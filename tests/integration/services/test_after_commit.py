"""Work asked for during a transaction runs once it commits, once per key, and never after a
rollback (re-indexing, fitting, the audit trail's log lines all rely on it)."""

from __future__ import annotations

from sqlmodel import select

from learn_app.models import AuditEvent
from learn_app.services import audit
from learn_app.services.after_commit import after_commit, is_pending


def test_work_runs_once_after_the_commit_in_the_order_asked(session):
    ran: list[str] = []
    after_commit(session, "a", lambda: ran.append("a"))
    after_commit(session, "b", lambda: ran.append("b"))
    after_commit(session, "a", lambda: ran.append("a again"))

    assert ran == []
    session.commit()

    assert ran == ["a", "b"]
    session.commit()  # a later transaction has nothing pending
    assert ran == ["a", "b"]


def test_a_rollback_forgets_the_work_and_the_next_transaction_starts_clean(session):
    ran: list[str] = []
    after_commit(session, "index", lambda: ran.append("rolled back"))
    session.rollback()
    after_commit(session, "index", lambda: ran.append("committed"))
    session.commit()

    assert ran == ["committed"]
    assert not is_pending(session, "index")


def test_failing_work_does_not_stop_the_rest(session):
    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("index unavailable")

    after_commit(session, "broken", broken)
    after_commit(session, "fine", lambda: ran.append("fine"))
    session.commit()

    assert ran == ["fine"]


class _Lines:
    def __init__(self) -> None:
        self.lines: list[tuple[str, dict[str, object]]] = []

    def info(self, event: str, **fields: object) -> None:
        self.lines.append((event, fields))


def test_an_audited_change_that_is_rolled_back_leaves_no_row_and_no_log_line(session, monkeypatch):
    logged = _Lines()
    monkeypatch.setattr(audit, "log", logged)

    audit.record(session, "content.word_deleted", actor_id=None, word_id=123456)
    session.flush()
    session.rollback()
    audit.record(session, "content.word_updated", actor_id=None, word_id=654321)
    assert logged.lines == []  # nothing is logged before the commit
    session.commit()

    events = session.exec(select(AuditEvent.event)).all()
    assert events == ["content.word_updated"]
    assert [(event, fields["word_id"]) for event, fields in logged.lines] == [
        ("content.word_updated", 654321)
    ]
