"""``AffectState``: one reading of how someone feels, as probabilities and a valence–arousal point."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from moodtune.errors import InputError

from .emotions import EMOTIONS, VA_ANCHORS, emotion_index

__all__ = ["AffectState", "combine_affects"]

_ANCHORS = np.array([VA_ANCHORS[e] for e in EMOTIONS])  # (7, 2)


@dataclass(frozen=True)
class AffectState:
    """A probability distribution over ``EMOTIONS`` and the valence/arousal it implies.

    Attributes
    ----------
    probabilities : 7 floats in EMOTIONS order, summing to 1.
    valence, arousal : probability-weighted mean of the emotions' anchors, each in [-1, 1].
    """

    probabilities: tuple[float, ...]
    valence: float
    arousal: float

    @property
    def emotion(self) -> str:
        """The most probable emotion."""
        return EMOTIONS[int(np.argmax(self.probabilities))]

    @property
    def confidence(self) -> float:
        """Probability of the dominant emotion, in [1/7, 1]."""
        return float(max(self.probabilities))

    def probability_of(self, emotion: str) -> float:
        return self.probabilities[emotion_index(emotion)]

    def as_dict(self) -> dict:
        return {
            "emotion": self.emotion,
            "confidence": round(self.confidence, 4),
            "probabilities": {e: round(p, 4) for e, p in zip(EMOTIONS, self.probabilities, strict=True)},
            "valence": round(self.valence, 4),
            "arousal": round(self.arousal, 4),
        }

    @classmethod
    def from_probabilities(cls, probabilities: Sequence[float] | np.ndarray) -> AffectState:
        """Build from 7 non-negative scores in EMOTIONS order (renormalised to sum to 1)."""
        p = np.asarray(probabilities, dtype=np.float64).reshape(-1)
        if p.shape != (len(EMOTIONS),) or not np.all(np.isfinite(p)) or np.any(p < 0) or p.max() <= 0:
            raise InputError(f"expected {len(EMOTIONS)} non-negative finite scores, got {p.tolist()}")
        # Scaled by the largest score first: 1e308 + 1e308 would overflow to inf and zero every share.
        p = p / p.max()
        p = p / p.sum()
        valence, arousal = (p @ _ANCHORS).tolist()
        return cls(tuple(float(x) for x in p), float(valence), float(arousal))

    @classmethod
    def from_emotion(cls, emotion: str) -> AffectState:
        """The state of someone who says they feel ``emotion`` (all mass on it)."""
        p = np.zeros(len(EMOTIONS))
        p[emotion_index(emotion)] = 1.0
        return cls.from_probabilities(p)


def combine_affects(states: Sequence[AffectState], weights: Sequence[float]) -> AffectState:
    """Weighted mean of several states' probabilities (e.g. faces weighted by their area)."""
    if not states or len(states) != len(weights):
        raise InputError("combine_affects needs as many weights as states, and at least one state")
    w = np.asarray(weights, dtype=np.float64)
    if np.any(w < 0) or w.sum() <= 0:
        raise InputError("combine_affects weights must be non-negative and not all zero")
    p = (w[:, None] * np.array([s.probabilities for s in states])).sum(axis=0)
    return AffectState.from_probabilities(p)
