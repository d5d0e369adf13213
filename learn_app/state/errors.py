"""What a person sees when an event handler fails unexpectedly: a plain message and a reference.

Reflex's own handler shows the exception's text (SQL with its parameters, Python messages) in
development mode. Here the detail goes to the log under a short reference, and the page says
only that something went wrong, with that reference to quote.
"""

from __future__ import annotations

import secrets

import reflex as rx
from reflex_base.event import EventSpec

from learn_app.logging import get_logger

log = get_logger("learn_app.events")

MESSAGE = "Something went wrong on our side, and that action did not finish."


def report_backend_error(exception: Exception) -> EventSpec:
    """Log the failure in full under a new reference; show the person only the reference."""
    reference = secrets.token_hex(4)
    log.error(
        "event.failed",
        reference=reference,
        error=type(exception).__name__,
        exc_info=(type(exception), exception, exception.__traceback__),
    )
    return rx.toast.error(
        MESSAGE,
        description=f"Please try again. If it keeps happening, quote reference {reference}.",
        id="backend_error",
        position="top-center",
    )
