"""Class join codes: short, random, and easy to read aloud or copy from a board.

A code is eight characters from an alphabet without the look-alikes (no 0/O, 1/I/L); it is
shown as two groups of four (`K7MP-Q2XD`) and accepted however it is typed: lower case,
spaces or dashes. 31⁸ ≈ 8.5 × 10¹¹ codes, against attempts limited per learner, leaves
guessing hopeless.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from learn_app.models import Classroom
from learn_app.models.base import utcnow
from learn_app.services.errors import InvalidInput

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_DAYS = 14  # how long a new code works before the teacher makes another
_SEPARATORS = str.maketrans("", "", " -–—_.\t")


def shown(code: str) -> str:
    """The code as learners see it: two groups of four."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def typed(text: str) -> str:
    """The stored form of a code as a learner typed it, or InvalidInput for what cannot be
    a code at all (such a slip costs no attempt)."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("Enter the class code your teacher gave you.", field="code")
    code = text.translate(_SEPARATORS).upper()
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        raise InvalidInput(
            "A class code is 8 letters and digits, like K7MP-Q2XD. Check it and try again.",
            field="code",
        )
    return code


def issue_code(session: Session, classroom: Classroom, *, now: datetime | None = None) -> str:
    """Give the class a new code (the old one stops working), turned on for `CODE_DAYS`."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if session.exec(select(Classroom.id).where(Classroom.join_code == code)).first() is None:
            break
    classroom.join_code = code
    classroom.join_code_enabled = True
    classroom.join_code_expires_at = (now or utcnow()) + timedelta(days=CODE_DAYS)
    session.add(classroom)
    return code


def code_state(classroom: Classroom, *, now: datetime | None = None) -> str:
    """The code's state: on, off (turned off, or none yet) or expired."""
    if not classroom.join_code or not classroom.join_code_enabled:
        return "off"
    expires = classroom.join_code_expires_at
    if expires is not None and expires <= (now or utcnow()):
        return "expired"
    return "on"
