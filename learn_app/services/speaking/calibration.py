"""From raw evidence to 0–100 scores a learner can read, fitted rather than guessed.

A score is 100 × P(said right | evidence), with P a logistic regression fitted on synthesised
speech: positives are course sentences said by a voice other than the reference (another
synthesiser, speed and pitch), negatives the same recordings scored against a different
sentence. Word and mora scores use their own one- or two-feature fits on the words and morae
of those pairs. Open JTalk's phone GOPs are first normalised per phone (how well the aligner
hears a ‘g’ in correct speech differs from how well it hears an ‘a’), with the means and
spreads seen in the positives. `bench/speaking_calibrate.py`-style refits write
`calibration.json` beside this module; `fit_logistic` is plain Newton–Raphson (IRLS).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class Logistic:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    means: tuple[float, ...]
    scales: tuple[float, ...]

    def probability(self, values: dict[str, float]) -> float:
        x = np.array([values[name] for name in self.features], dtype=np.float64)
        z = (x - np.array(self.means)) / np.array(self.scales)
        return float(1 / (1 + np.exp(-(np.dot(self.weights, z) + self.bias))))

    def score(self, values: dict[str, float]) -> int:
        return round(100 * self.probability(values))


@dataclass(frozen=True)
class PhoneNorm:
    mean: float
    scale: float


@dataclass(frozen=True)
class Calibration:
    utterance: dict[str, Logistic]  # language → model
    unit: dict[str, Logistic]  # language → word (es) or mora (ja) model
    phones: dict[str, PhoneNorm] = field(default_factory=dict)

    def normalised_gop(self, phone: str, gop: float) -> float:
        norm = self.phones.get(phone)
        if norm is None:
            return gop
        return (gop - norm.mean) / norm.scale

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, ensure_ascii=False)


def fit_logistic(
    rows: list[dict[str, float]],
    labels: list[int],
    features: tuple[str, ...],
    *,
    ridge: float = 1.0,
) -> Logistic:
    """Logistic regression on standardised features, by Newton–Raphson with a small ridge."""
    x = np.array([[row[f] for f in features] for row in rows], dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales < 1e-9] = 1.0
    z = np.hstack([(x - means) / scales, np.ones((len(rows), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * ridge
    penalty[-1, -1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(z @ w)))
        gradient = z.T @ (p - y) + penalty @ w
        hessian = (z * (p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return Logistic(
        tuple(features),
        tuple(float(v) for v in w[:-1]),
        float(w[-1]),
        tuple(float(v) for v in means),
        tuple(float(v) for v in scales),
    )


def from_json(text: str) -> Calibration:
    data = json.loads(text)

    def logistic(d: dict[str, Any]) -> Logistic:
        return Logistic(
            tuple(d["features"]),
            tuple(d["weights"]),
            d["bias"],
            tuple(d["means"]),
            tuple(d["scales"]),
        )

    return Calibration(
        {k: logistic(v) for k, v in data["utterance"].items()},
        {k: logistic(v) for k, v in data["unit"].items()},
        {k: PhoneNorm(**v) for k, v in data.get("phones", {}).items()},
    )


@lru_cache(maxsize=1)
def shipped() -> Calibration:
    return from_json(CALIBRATION_FILE.read_text(encoding="utf-8"))


def auc(positives: list[float], negatives: list[float]) -> float:
    """Area under the ROC curve: the chance a random positive outscores a random negative."""
    pos = np.asarray(positives, dtype=np.float64)[:, None]
    neg = np.asarray(negatives, dtype=np.float64)[None, :]
    return float(np.mean((pos > neg) + 0.5 * (pos == neg)))
