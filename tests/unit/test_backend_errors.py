"""An unexpected failure in an event handler: the person sees a reference, the log the detail."""

from __future__ import annotations

import re

from learn_app.state import errors


class _Lines:
    def __init__(self) -> None:
        self.lines: list[tuple[str, dict[str, object]]] = []

    def error(self, event: str, **fields: object) -> None:
        self.lines.append((event, fields))


def test_the_page_gets_a_reference_and_no_internals(monkeypatch):
    logged = _Lines()
    monkeypatch.setattr(errors, "log", logged)
    failure = RuntimeError(
        "(psycopg.errors.NumericValueOutOfRange) integer out of range "
        "[SQL: SELECT word.id FROM word WHERE word.id = %(id)s] [parameters: {'id': 1099511627776}]"
    )

    shown = str(errors.report_backend_error(failure))

    assert "SELECT" not in shown and "psycopg" not in shown and "1099511627776" not in shown
    assert errors.MESSAGE in shown
    references = re.findall(r"quote reference ([0-9a-f]{8})", shown)
    assert references
    event, fields = logged.lines[-1]
    assert event == "event.failed"
    assert fields["reference"] == references[0]
    assert fields["error"] == "RuntimeError"
    assert fields["exc_info"][1] is failure
