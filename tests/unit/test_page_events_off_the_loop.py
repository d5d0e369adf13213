"""A page's database work never runs on the backend's event loop, where it would hold up every
learner the worker serves until it finished.

Reflex runs a plain (non-`async`) handler on the loop. So every handler of every page that
reaches the database — itself signed in, or calling a signed-in method, however deep — is run
in a page-event thread (`@signed_in_handler`, `@off_loop`), and an `async` handler calls such
methods only through `in_page_thread` (or, in the background, `run_signed_in`). Checked here by
reading each handler's code, so a page nobody's test opens is held to it too; a signed-in
method called on the loop anyway refuses to run and says what to do.
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import inspect
import pkgutil
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import reflex as rx

import learn_app.state
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.signed_in import off_loop


def _page_states() -> list[type[rx.State]]:
    for module in pkgutil.iter_modules(learn_app.state.__path__):
        importlib.import_module(f"learn_app.state.{module.name}")
    found: set[type[rx.State]] = set()
    todo = list(rx.State.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("learn_app.state."):
            found.add(cls)
    return sorted(found, key=lambda cls: cls.__qualname__)


def _own_calls(fn: Callable[..., Any]) -> Iterator[str]:
    """The names of `self.name(...)` calls in `fn`'s own code (not in functions it defines)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(inspect.unwrap(fn))))
    body = tree.body[0]
    todo: list[ast.AST] = list(ast.iter_child_nodes(body))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "self"
        ):
            yield node.func.attr
        todo.extend(ast.iter_child_nodes(node))


def _function(cls: type, name: str) -> Callable[..., Any] | None:
    target = getattr(cls, name, None)
    target = getattr(target, "fn", target)  # an event handler's own function
    return target if inspect.isfunction(target) else None


def _reaches_the_database(cls: type, fn: Callable[..., Any], seen: set[str]) -> list[str]:
    """The chain of calls by which `fn`, run where it is called, opens a database session."""
    for name in _own_calls(fn):
        callee = _function(cls, name)
        if callee is None or name in seen:
            continue
        if getattr(callee, "opens_session", False):
            return [name]
        chain = _reaches_the_database(cls, callee, seen | {name})
        if chain:
            return [name, *chain]
    return []


def _handlers_on_the_loop(classes: list[type[rx.State]]) -> list[str]:
    found = []
    for cls in classes:
        for name, handler in cls.event_handlers.items():
            fn = handler.fn
            if getattr(fn, "runs_off_loop", False) or fn.__module__.startswith("reflex"):
                continue  # run in a page-event thread, or one of Reflex's own
            chain = _reaches_the_database(cls, fn, {name})
            if chain:
                found.append(f"{cls.__name__}.{name} -> {' -> '.join(chain)}")
    return sorted(found)


def test_no_page_handler_runs_database_work_on_the_event_loop() -> None:
    states = _page_states()
    assert len(states) > 30
    assert _handlers_on_the_loop(states) == []


class _Shelf(ProtectedState):
    note: str = ""

    @signed_in_handler("note")
    def _read(self, signed: Signed) -> None:
        self.note = signed.user.display_name

    @rx.event
    def forgot_off_loop(self) -> None:
        self._read()

    @rx.event
    @off_loop
    def remembered_off_loop(self) -> None:
        self._read()


def test_the_check_finds_a_handler_that_forgot_off_loop() -> None:
    assert _handlers_on_the_loop([_Shelf]) == ["_Shelf.forgot_off_loop -> _read"]


def test_a_signed_in_method_called_on_the_event_loop_refuses_and_says_what_to_do() -> None:
    state = _Shelf(_reflex_internal_init=True)

    async def on_the_loop() -> None:
        _Shelf.forgot_off_loop.fn(state)

    with pytest.raises(RuntimeError, match=r"_Shelf\._read .* event loop: put @off_loop"):
        asyncio.run(on_the_loop())
    assert state.note == ""
