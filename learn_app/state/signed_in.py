"""One way to write a signed-in event handler: `@signed_in_handler(...)` on its method.

The decorator opens the database session, resolves the caller from the token (on every event:
nothing cached is trusted), turns a lapsed sign-in into the sign-in redirect and a service's
refusal (`DomainError`) into the page's own error field, so that a handler keeps only its
intent::

    @rx.event
    @signed_in_handler("error")
    def delete(self, signed: Signed) -> EventSpec:
        words.archive_word(signed.session, signed.user, self.word_ref)
        return rx.redirect("/words")

It works for handlers that return, handlers that yield, and background handlers (which reach
the database through `run_signed_in`, off the event loop, and take `async with self` only to
write).

A handler that returns or yields runs its database work in one of the worker's page-event
threads (`db.EVENT_THREADS` of them), not on the event loop, when Reflex calls it for an
event: the loop goes on serving other learners' events meanwhile. An event whose connection
PostgreSQL dropped since it was last used (a restart) finds out at its first query, before it
has done anything, and starts over on a new one. Reflex holds the learner's state lock until
the handler ends, so one learner's events still run one after another, and the state is
touched by one thread at a time (the loop computes the delta only between the handler's
steps). Called from another handler (`self.next_question()`), it runs at once, in
that handler's thread. A plain handler that calls signed-in ones takes `@off_loop` to be run
the same way, and an `async` one (an upload) calls them through `in_page_thread`; a signed-in
method called on the event loop anyway refuses to run, saying so
(`tests/unit/test_page_events_off_the_loop.py` checks every page's handlers for it).
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import functools
import inspect
import logging
import sys
from collections.abc import AsyncIterator, Callable, Collection, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from reflex_base.event.processor.base_state_processor import process_event
from sqlmodel import Session

from learn_app import db
from learn_app.models import User
from learn_app.services.accounts import auth
from learn_app.services.accounts.auth import Caller
from learn_app.services.errors import DomainError, NotAuthenticated

if TYPE_CHECKING:
    from learn_app.state.auth import ProtectedState

__all__ = [
    "ErrorShown",
    "ErrorTargets",
    "Signed",
    "in_page_thread",
    "off_loop",
    "run_signed_in",
    "signed_in_handler",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

# A var name the error's message goes into, or a function of (state, error) whose result the
# handler returns instead (for a refusal that also redraws something, say).
ErrorShown = str | Callable[[Any, Any], Any]
ErrorTargets = ErrorShown | Mapping[type[Exception] | tuple[type[Exception], ...], ErrorShown]

# Set while a signed-in handler holds its database session, so that a second one started from
# inside it fails loudly instead of reading around the first one's uncommitted changes (or
# waiting for its row locks for ever).
_session_open: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "signed_in_session_open", default=False
)

# The threads page events' database work runs in. A pool of its own, so that slow background
# work in asyncio's default pool (a model's answer, an import) never keeps an answer waiting;
# as many threads as connections set aside for them in `db`, so none waits for a connection.
_event_threads = ThreadPoolExecutor(db.EVENT_THREADS, thread_name_prefix="page-event")
# The code of the Reflex function that calls an event's handler (pinned Reflex version).
_REFLEX_CALLS_HANDLER = process_event.__code__


@dataclasses.dataclass(frozen=True)
class Signed:
    """The caller of one event and the database session the event runs in."""

    session: Session
    caller: Caller

    @property
    def user(self) -> User:
        return self.caller.user


@dataclasses.dataclass(frozen=True)
class _Outcome:
    """What `signed_in_handler` does when a handler ends, well or not."""

    errors: ErrorTargets | None
    fields: Collection[str] | None
    loaded: str | None
    busy: str | None
    unexpected: str | None
    name: str

    def failed(self, state: Any, error: Exception) -> Any:
        """Show `error` in the page, or re-raise it when nothing here is meant to show it."""
        shown = self._target(error)
        if shown is None and isinstance(error, NotAuthenticated):
            self._stop_busy(state)
            return state._sign_in_redirect()
        if shown is None and not isinstance(error, DomainError) and self.unexpected:
            log.exception("%s failed", self.name, exc_info=error)
            shown = self.errors if isinstance(self.errors, str) else None
            error = DomainError(self.unexpected)
        if shown is None:
            raise error
        self._stop_busy(state)
        if callable(shown):
            result = shown(state, error)
        else:
            self._show_message(state, shown, error)
            result = None
        self.settled(state)
        return result

    def _target(self, error: Exception) -> ErrorShown | None:
        """Where `errors` shows this error. A lapsed sign-in is shown only by a mapping that
        names NotAuthenticated itself; otherwise it always means the sign-in page. Besides
        domain errors, a mapping may name other exceptions a service raises on purpose (a
        file's list of problems, say)."""
        if self.errors is None:
            return None
        signed_out = isinstance(error, NotAuthenticated)
        if not isinstance(self.errors, Mapping):
            return self.errors if isinstance(error, DomainError) and not signed_out else None
        for kinds, shown in self.errors.items():
            named = kinds if isinstance(kinds, tuple) else (kinds,)
            if signed_out:
                named = tuple(k for k in named if issubclass(k, NotAuthenticated))
            if named and isinstance(error, named):
                return shown
        return None

    def _show_message(self, state: Any, name: str, error: Exception) -> None:
        """A text var gets the message; a dict var gets it under the field it is about (or
        "form" when the field is not one of `fields`), for the form to show beside it."""
        message = getattr(error, "message", None) or str(error)
        if isinstance(getattr(state, name), Mapping):
            about = getattr(error, "field", None)
            if not about or (self.fields is not None and about not in self.fields):
                about = "form"
            setattr(state, name, {about: message})
        else:
            setattr(state, name, message)

    def _stop_busy(self, state: Any) -> None:
        if self.busy:
            setattr(state, self.busy, False)

    def settled(self, state: Any) -> None:
        if self.loaded:
            setattr(state, self.loaded, True)


def signed_in_handler(
    errors: ErrorTargets | None = None,
    *,
    fields: Collection[str] | None = None,
    loaded: str | None = None,
    busy: str | None = None,
    unexpected: str | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Run a `ProtectedState` event handler (or a method of one) for the signed-in caller.

    A plain handler — one that returns, or one that yields — is given `signed` (a `Signed`:
    the session and the caller, re-authenticated from the token on this very event) as its
    first argument after `self`; the session commits when the handler ends and rolls back when
    it raises. A background handler (`async def`) is given nothing: it reads what it needs
    under `async with self`, runs its database work in a worker thread with `run_signed_in`,
    and takes `async with self` only to write; an error it raises is shown under the lock.

    Whatever the kind, a lapsed sign-in (`NotAuthenticated`) forgets the token and goes to the
    sign-in page, coming back afterwards. A `DomainError` goes where `errors` says:

    - a var name: its message goes there (a dict var gets `{error.field: message}`, with
      "form" for a field that is not one of `fields`);
    - a mapping from error classes (domain errors, or other exceptions a service raises on
      purpose) to var names or to functions of `(state, error)`, the first class that matches
      winning; a function's result is what the handler returns;
    - errors nothing names are raised as before.

    `loaded` names a flag set once the handler has shown its data or its error; `busy` one
    cleared when it fails; `unexpected` is the message shown (in the `errors` var) for any
    other exception, which is logged.
    """
    if unexpected is not None and not isinstance(errors, str):
        raise TypeError("`unexpected` is shown in the `errors` var: name one")

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        outcome = _Outcome(errors, fields, loaded, busy, unexpected, fn.__qualname__)
        if inspect.isasyncgenfunction(fn):
            return functools.wraps(fn)(_background_stream(fn, outcome))
        if inspect.iscoroutinefunction(fn):
            return functools.wraps(fn)(_background(fn, outcome))
        wrapper = functools.wraps(fn)(
            _yielding(fn, outcome) if inspect.isgeneratorfunction(fn) else _plain(fn, outcome)
        )
        _hide_signed_parameter(wrapper, fn)
        wrapper.opens_session = True  # type: ignore[attr-defined]
        return wrapper

    return decorate


def _hide_signed_parameter(wrapper: Callable[..., Any], fn: Callable[..., Any]) -> None:
    """Reflex reads a handler's arguments from its signature and type hints; `signed` is not
    one the browser sends."""
    signature = inspect.signature(fn)
    parameters = list(signature.parameters.values())
    if len(parameters) < 2:
        raise TypeError(f"{fn.__qualname__} must take `signed` after `self`")
    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[parameters[0], *parameters[2:]]
    )
    wrapper.__annotations__ = {
        name: hint for name, hint in fn.__annotations__.items() if name != parameters[1].name
    }


def _open_session_guard(fn: Callable[..., Any]) -> contextvars.Token[bool]:
    if _session_open.get():
        raise RuntimeError(
            f"{fn.__qualname__} was called inside another signed-in handler: pass `signed` to "
            "a plain method instead of opening a second session"
        )
    return _session_open.set(True)


def _refuse_on_the_event_loop(fn: Callable[..., Any]) -> None:
    """Database work on the event loop would hold up every learner this worker serves until
    it finished: a signed-in handler called from a plain handler that Reflex runs on the loop
    says so at once (the plain handler takes `@off_loop`; an `async` one uses
    `in_page_thread` or, in the background, `run_signed_in`)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return  # a page-event thread, or a plain call outside any loop
    raise RuntimeError(
        f"{fn.__qualname__} would run its database work on the event loop: put @off_loop "
        "on the plain handler that calls it, or call it through in_page_thread"
    )


def _caller(state: ProtectedState, session: Session) -> Caller:
    """The event's caller, from its first query. A connection the server dropped since it was
    last used fails there, before anything happened: the event goes on with a new one."""
    return db.first_query_again_if_dropped(session, lambda: state._caller(session))


def _plain(fn: Callable[..., Any], outcome: _Outcome) -> Callable[..., Any]:
    def run(self: ProtectedState, *args: Any, **kwargs: Any) -> Any:
        _refuse_on_the_event_loop(fn)
        try:
            guard = _open_session_guard(fn)
            try:
                with db.session_scope() as session:
                    result = fn(self, Signed(session, _caller(self, session)), *args, **kwargs)
            finally:
                _session_open.reset(guard)
        except Exception as error:
            # The session is closed by now: showing the error may start another handler.
            return outcome.failed(self, error)
        outcome.settled(self)
        return result

    return _off_loop_when_dispatched(run)


def _yielding(fn: Callable[..., Any], outcome: _Outcome) -> Callable[..., Any]:
    def run(self: ProtectedState, *args: Any, **kwargs: Any) -> Any:
        _refuse_on_the_event_loop(fn)
        try:
            with db.session_scope() as session:
                result = yield from fn(
                    self, Signed(session, _caller(self, session)), *args, **kwargs
                )
        except Exception as error:
            return outcome.failed(self, error)
        outcome.settled(self)
        return result

    def handler(self: ProtectedState, *args: Any, **kwargs: Any) -> Any:
        if sys._getframe(1).f_code is _REFLEX_CALLS_HANDLER:
            return _stream_in_thread(run(self, *args, **kwargs))
        return run(self, *args, **kwargs)

    handler.runs_off_loop = True  # type: ignore[attr-defined]
    return handler


def off_loop(fn: Callable[..., Any]) -> Callable[..., Any]:
    """For a plain (returning) event handler that calls signed-in handlers or methods: run
    all of it in a page-event thread when Reflex calls it, so that their database work stays
    off the event loop. Put it under `@rx.event`."""
    if inspect.isgeneratorfunction(fn) or inspect.iscoroutinefunction(fn):
        raise TypeError(f"{fn.__qualname__}: @off_loop is for plain handlers")
    return functools.wraps(fn)(_off_loop_when_dispatched(fn))


def _off_loop_when_dispatched(run: Callable[..., Any]) -> Callable[..., Any]:
    """`run` itself when another handler calls it; called by Reflex for an event, an async
    generator (which Reflex iterates with the state locked) giving what `run` returns once
    it has returned in a page-event thread."""

    def handler(self: Any, *args: Any, **kwargs: Any) -> Any:
        if sys._getframe(1).f_code is _REFLEX_CALLS_HANDLER:
            return _returned_in_thread(run, self, *args, **kwargs)
        return run(self, *args, **kwargs)

    handler.runs_off_loop = True  # type: ignore[attr-defined]
    return handler


async def _returned_in_thread(run: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    result = await in_page_thread(functools.partial(run, *args, **kwargs))
    if result is not None:
        yield result


async def _stream_in_thread(steps: Iterator[Any]) -> AsyncIterator[Any]:
    """Each step of a yielding handler in a page-event thread (all in one context, as a
    generator's steps run in one); what it yields goes to Reflex on the loop, which sends the
    delta before the thread takes the next step."""
    context = contextvars.copy_context()
    finished = False
    try:
        while True:
            done, value = await _in_thread(functools.partial(context.run, _step, steps))
            if done:
                finished = True
                if value is not None:
                    yield value
                return
            yield value
    finally:
        if not finished:  # the event was cancelled between steps: roll the session back
            context.run(steps.close)  # type: ignore[attr-defined]


def _step(steps: Iterator[Any]) -> tuple[bool, Any]:
    try:
        return False, next(steps)
    except StopIteration as stop:
        return True, stop.value


async def in_page_thread(work: Callable[[], T]) -> T:
    """For an `async` handler that Reflex runs with the learner's state locked (an upload,
    say): `work` — signed-in methods, or plain ones that call them — in a page-event thread,
    as `@off_loop` runs a plain handler; its result once it has returned."""
    context = contextvars.copy_context()
    return await _in_thread(functools.partial(context.run, work))


async def _in_thread(work: Callable[[], T]) -> T:
    """`work` in a page-event thread. Cancelled meanwhile, the event still waits for the
    thread to finish before it gives up the learner's state: nothing may touch the state
    after Reflex has saved it and let the learner's next event in."""
    future = asyncio.get_running_loop().run_in_executor(_event_threads, work)
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        while not future.done():
            try:
                await asyncio.shield(future)
            except asyncio.CancelledError:
                continue
            except Exception:
                break
        raise


def _background(fn: Callable[..., Any], outcome: _Outcome) -> Callable[..., Any]:
    async def handler(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            result = await fn(self, *args, **kwargs)
        except Exception as error:
            async with self:
                return outcome.failed(self, error)
        if outcome.loaded:
            async with self:
                outcome.settled(self)
        return result

    return handler


def _background_stream(fn: Callable[..., Any], outcome: _Outcome) -> Callable[..., Any]:
    async def handler(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            async for event in fn(self, *args, **kwargs):
                yield event
        except Exception as error:
            async with self:
                failed = outcome.failed(self, error)
            if failed is not None:
                yield failed
            return
        if outcome.loaded:
            async with self:
                outcome.settled(self)

    return handler


async def run_signed_in(token: str, work: Callable[[Signed], T]) -> T:
    """Run `work` for the caller behind `token` in a worker thread, in a database session of
    its own: how a background handler reaches the database without blocking the event loop.
    Raises what `work` raises, and NotAuthenticated when the token signs in nobody."""
    return await asyncio.to_thread(_signed_work, token, work)


def _signed_work(token: str, work: Callable[[Signed], T]) -> T:
    with db.session_scope() as session:
        return work(Signed(session, auth.authenticate(session, token)))
