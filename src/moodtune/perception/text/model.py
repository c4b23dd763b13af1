"""The text-mood model: TF-IDF features and a linear softmax classifier, in plain numpy.

A model is one ``.npz`` file of plain arrays (read with ``allow_pickle=False``,
so it does not depend on any library version):

- ``vocab``: UTF-8 bytes (uint8) of the feature keys joined by ``\\n``; key i is feature i.
  Keys ``w:``/``b:`` (words, bigrams) come first, ``n_word`` of them, then ``c:`` keys.
- ``n_word``: int, size of the word block.
- ``idf``: float32 (n_features,).
- ``weights``: float32 (n_features, 7), ``bias``: float32 (7,), in ``EMOTIONS`` order.
- ``temperature``: float, divides the scores before the softmax (fitted on validation data).
- ``meta``: UTF-8 bytes (uint8) of a JSON object: training data, figures, settings.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from moodtune.affect import EMOTIONS
from moodtune.errors import ModelError

from .featurize import extract_features

__all__ = ["DEFAULT_TEXT_MODEL", "TextVectorizer", "TextMoodModel", "load_text_model"]

DEFAULT_TEXT_MODEL = "text_mood"


class TextVectorizer:
    """Feature counts → sparse TF-IDF vector (indices, values), shared by training and inference."""

    def __init__(self, vocab: Mapping[str, int], idf: np.ndarray, n_word: int) -> None:
        self.vocab = dict(vocab)
        self.idf = np.asarray(idf, dtype=np.float64)
        self.n_word = int(n_word)

    def transform_one(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Indices (sorted) and values of the TF-IDF vector of ``text``; empty when nothing is known."""
        return self.transform_counts(extract_features(text))

    def transform_counts(self, feats: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """Like ``transform_one``, from ``extract_features`` output."""
        vocab = self.vocab
        pairs = sorted((i, 1.0 + math.log(c)) for key, c in feats.items() if (i := vocab.get(key)) is not None)
        if not pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        idx = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
        val = np.fromiter((p[1] for p in pairs), dtype=np.float64, count=len(pairs)) * self.idf[idx]
        word = idx < self.n_word
        for block in (word, ~word):
            norm = float(np.sqrt(np.sum(val[block] ** 2)))
            if norm > 0:
                val[block] /= norm
        return idx, val


class TextMoodModel:
    """Probabilities over ``EMOTIONS`` for a message."""

    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as z:
                keys = bytes(z["vocab"]).decode("utf-8").split("\n")
                self.weights = z["weights"].astype(np.float32)
                self.bias = z["bias"].astype(np.float64)
                self.temperature = float(z["temperature"])
                self.meta: dict = json.loads(bytes(z["meta"]).decode("utf-8"))
                idf, n_word = z["idf"], int(z["n_word"])
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"{path}: cannot load text model ({exc})") from exc
        if self.weights.shape != (len(keys), len(EMOTIONS)) or idf.shape != (len(keys),):
            raise ModelError(f"{path}: text model arrays do not match its vocabulary")
        self.name = path.stem
        self.vectorizer = TextVectorizer({k: i for i, k in enumerate(keys)}, idf, n_word)

    def scores(self, text: str) -> tuple[np.ndarray, int]:
        """Raw class scores (7,) and how many known features the text had."""
        idx, val = self.vectorizer.transform_one(text)
        return val @ self.weights[idx].astype(np.float64) + self.bias, len(idx)

    def predict_proba(self, text: str) -> np.ndarray:
        """Calibrated probabilities (7,) in ``EMOTIONS`` order."""
        z = self.scores(text)[0] / self.temperature
        e = np.exp(z - z.max())
        return e / e.sum()


def _model_path(name: str) -> Path:
    if name.endswith(".npz"):
        return Path(name)
    return Path(str(resources.files("moodtune.perception.text") / "models" / f"{name}.npz"))


@lru_cache(maxsize=4)
def load_text_model(name: str = DEFAULT_TEXT_MODEL) -> TextMoodModel:
    """The shipped model ``name`` (or an ``.npz`` path), loaded once per process."""
    path = _model_path(name)
    if not path.is_file():
        raise ModelError(
            f"text model {name!r} not found at {path.name}; train one with python -m moodtune.training.text.train"
        )
    return TextMoodModel(path)
