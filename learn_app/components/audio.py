"""Audio served by the backend (port 5000 in development), played on the frontend's pages."""

from __future__ import annotations

import reflex as rx
from reflex_base.constants import Dirs
from reflex_base.utils.imports import ImportVar
from reflex_base.vars import VarData
from reflex_base.vars.base import Var

# The backend's origin as this browser reaches it: Reflex's own rule, which also swaps in the
# page's host name when the backend is configured as localhost.
BACKEND_ORIGIN: Var[str] = Var(
    _js_expr="getBackendURL(env.PING).origin",
    _var_data=VarData(
        imports={
            f"$/{Dirs.STATE_PATH}": "getBackendURL",
            "$/env.json": ImportVar(tag="env", is_default=True),
        }
    ),
).to(str)


def backend_audio(
    path: Var[str], *, audio_id: str, key: Var | int, label: Var[str] | str
) -> rx.Component:
    """An <audio> element for a backend path such as a signed `/api/audio/…` link.

    It starts by itself when the browser allows it (after the learner's key press or click);
    remounting it with a new `key` for each question plays the new sound.
    """
    return rx.el.audio(
        id=audio_id,
        key=key,
        src=BACKEND_ORIGIN + path,
        auto_play=True,
        preload="auto",
        aria_label=label,
    )
