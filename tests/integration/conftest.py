"""Integration specs index content when they ask for it, not in the background after each edit.

The setting comes from the environment, so fixtures that rebuild the settings (to point the
tutor at a fake model, say) keep it. A spec of background indexing turns it back on itself.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from learn_app.config import get_settings


@pytest.fixture(autouse=True)
def _no_background_indexing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("LEARN_INDEX_ON_CHANGE", "false")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
