"""A binary logistic regression over hashed string features, trained by AdaGrad SGD with a fixed seed.

Small, dependency-free and fast enough for the classifiers of the pipeline that decide over a handful of spans per
paper (MODEL vs METHOD, DATASET vs BENCHMARK, paper-level relations). Saved as `weights.npy` + `cfg.json`.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np

N_FEATURES = 2**18


def feature_index(features: list[str]) -> np.ndarray:
    """The distinct hashed indices of string features, in increasing order (a Python set and `sorted` are
    twice as fast as `np.unique` on the few dozen features of a span)."""
    return np.array(sorted({zlib.crc32(f.encode("utf-8")) % N_FEATURES for f in features}), dtype=np.int64)


def sigmoid(z: float) -> float:
    """1 / (1 + e^-z), without overflow for large |z|."""
    return 1.0 / (1.0 + np.exp(-min(max(z, -60.0), 60.0)))


class HashedLogisticRegression:
    """P(positive | features) = sigmoid(sum of the hashed features' weights)."""

    def __init__(self, weights: np.ndarray | None = None, threshold: float = 0.5):
        self.weights = weights if weights is not None else np.zeros(N_FEATURES, dtype=np.float32)
        self.threshold = threshold

    def probability(self, features: list[str]) -> float:
        return self.probability_of_index(feature_index(features))

    def probability_of_index(self, index: np.ndarray) -> float:
        """`probability` of features already hashed by `feature_index` (several models, one hashing)."""
        return sigmoid(float(self.weights[index].sum()))

    def predict(self, features: list[str]) -> bool:
        return self.probability(features) >= self.threshold

    def fit(
        self,
        examples: list[tuple[list[str], bool]],
        *,
        epochs: int = 8,
        lr: float = 0.2,
        l2: float = 1e-6,
        seed: int = 13,
    ) -> HashedLogisticRegression:
        """AdaGrad SGD on (features, is positive) pairs, fixed seed."""
        rows = [feature_index(features) for features, _ in examples]
        ys = np.array([1.0 if y else 0.0 for _, y in examples])
        w = np.zeros(N_FEATURES, dtype=np.float64)
        g2 = np.full(N_FEATURES, 1e-8)
        rng = np.random.default_rng(seed)
        for _ in range(epochs):
            for i in rng.permutation(len(rows)):
                idx = rows[i]
                p = sigmoid(w[idx].sum())
                grad = (p - ys[i]) + l2 * w[idx]
                g2[idx] += grad**2
                w[idx] -= lr * grad / np.sqrt(g2[idx])
        self.weights = w.astype(np.float32)
        return self

    def to_disk(self, path: Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        np.save(path / "weights.npy", self.weights)
        (path / "cfg.json").write_text(json.dumps({"threshold": self.threshold, "n_features": N_FEATURES}))

    @classmethod
    def from_disk(cls, path: Path) -> HashedLogisticRegression:
        path = Path(path)
        cfg = json.loads((path / "cfg.json").read_text())
        return cls(np.load(path / "weights.npy"), threshold=cfg["threshold"])


def save_models(path: Path, models: Mapping[str, HashedLogisticRegression]) -> None:
    """Named models under `path`: one folder each (the name in lower case) and `cfg.json` listing the names."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    for name, model in models.items():
        model.to_disk(path / name.lower())
    (path / "cfg.json").write_text(json.dumps({"models": list(models)}))


def load_models(path: Path) -> dict[str, HashedLogisticRegression]:
    """The named models `save_models` wrote, in their order."""
    path = Path(path)
    names = json.loads((path / "cfg.json").read_text())["models"]
    return {name: HashedLogisticRegression.from_disk(path / name.lower()) for name in names}
