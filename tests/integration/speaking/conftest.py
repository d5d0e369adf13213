"""Speaking fixtures: the scoring engine loaded once, and synthesised learners made once per
run and kept in the run's temporary folder (Open JTalk for Japanese, espeak-ng for Spanish,
in voices other than the reference)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from learn_app.services.speaking import voices


@pytest.fixture(scope="session")
def scorer():
    from learn_app.config import get_settings
    from learn_app.services.speaking.asr import model_dir
    from learn_app.services.speaking.worker import SpeakingEngine

    return SpeakingEngine(model_dir(get_settings().data_dir))


@pytest.fixture(scope="session")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str, int], np.ndarray]:
    """`spoken(language, text, variant)`: a stand-in learner's recording, made once a run."""
    folder: Path = tmp_path_factory.mktemp("spoken")

    def make(language: str, text: str, variant: int) -> np.ndarray:
        key = hashlib.sha256(f"{language}\0{text}\0{variant}".encode()).hexdigest()[:24]
        path = folder / f"{key}.npy"
        if path.exists():
            return np.load(path)
        samples = voices.learner(language, text, variant)
        np.save(path, samples)
        return samples

    return make


from tests.integration.api.conftest import (  # noqa: E402, F401 - the API specs' fixtures
    api_url,
    client,
    content,
    learner,
    new_account,
    new_token,
    sign_in,
)
