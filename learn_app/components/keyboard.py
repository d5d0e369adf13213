"""Keyboard shortcuts for a whole page, that never get in the way of typing.

`keyboard_shortcuts(on_key=handler, keys=[...])` listens to key presses anywhere on the page
and sends the handler the key (`" "` for space, `"Enter"`, `"1"`, `"r"`, …) when it is one of
`keys`, no Ctrl, Alt or Meta is held, and the press is not meant for something else: nothing is
sent while the focus is in a text field (typing "1" into an answer types it), and Enter or
space on a focused button or link is left to activate it. A key that is sent has its default
action prevented (space does not scroll the page).
"""

from __future__ import annotations

import json
from typing import Any, cast

from reflex_base.components.component import field
from reflex_base.components.memoize_helpers import get_memoized_event_triggers
from reflex_base.event import EventHandler
from reflex_base.utils.imports import ImportDict, ImportVar
from reflex_base.vars.base import Var
from reflex_base.vars.object import ObjectVar
from reflex_components_core.base.fragment import Fragment

# Where a key press belongs to the element itself rather than to the page.
_TEXT_ENTRY = "input, textarea, select, [contenteditable=''], [contenteditable='true']"
_ACTIVATES = "button, a[href], summary, [role='button'], [role='link'], [role='option']"


def _shortcut_spec(e: ObjectVar) -> tuple[Var[str]]:
    return (e.key.to(str),)


class KeyboardShortcuts(Fragment):
    """A window `keydown` listener that passes on only the page's own shortcut keys.

    Built as Reflex's `WindowEventListener` is, with the filtering done in the browser, so a
    key typed into a field never makes a round trip to the server.
    """

    on_shortcut: EventHandler[_shortcut_spec] = field(
        doc="A shortcut key was pressed outside any text field. Receives the key."
    )

    shortcut_keys: list[str] = field(default_factory=list, is_javascript_property=False)

    @classmethod
    def create(cls, **props: Any) -> KeyboardShortcuts:
        component = cast("KeyboardShortcuts", super().create(**props))
        memoized = get_memoized_event_triggers(component)
        if memoized:
            component.event_triggers = {**component.event_triggers, **memoized}
        return component

    def _exclude_props(self) -> list[str]:
        return [*super()._exclude_props(), *self.event_triggers.keys()]

    def add_imports(self) -> ImportDict:
        return {"react": [ImportVar(tag="useEffect")]}

    def add_hooks(self) -> list[str | Var[Any]]:
        trigger = self.event_triggers.get("on_shortcut")
        if trigger is None:
            return []
        keys = json.dumps(sorted(set(self.shortcut_keys)))
        return [
            Var(
                f"""
useEffect(() => {{
    if (typeof window === 'undefined') return;
    const fn = {Var.create(trigger)};
    const keys = new Set({keys});
    const listener = (e) => {{
        if (e.defaultPrevented || e.isComposing || e.ctrlKey || e.altKey || e.metaKey) return;
        if (!keys.has(e.key)) return;
        const target = e.target instanceof Element ? e.target : null;
        if (target && (target.isContentEditable || target.closest("{_TEXT_ENTRY}"))) return;
        const activates = e.key === " " || e.key === "Enter";
        if (target && activates && target.closest("{_ACTIVATES}")) return;
        e.preventDefault();
        if (e.repeat) return;
        fn(e);
    }};
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
}}, []);
"""
            )
        ]


def keyboard_shortcuts(*, on_key: Any, keys: list[str]) -> KeyboardShortcuts:
    """Send `on_key` each of `keys` pressed outside a text field (see the module docstring)."""
    return KeyboardShortcuts.create(on_shortcut=on_key, shortcut_keys=keys)
