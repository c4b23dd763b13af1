"""The seven emotions moodtune reads, and where each sits on the valence–arousal plane.

Order is FER2013's class order, which every model output follows.

Valence–arousal anchors are the pleasure and arousal coordinates of the
corresponding emotion terms in Russell & Mehrabian (1977), "Evidence for a
three-factor theory of emotions", Journal of Research in Personality 11(3),
273–294 (semantic-differential ratings scaled to [-1, 1]; dominance dropped).
Terms used: happy, sad, angry, fearful, surprised, disgusted. Neutral is the
origin by definition.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from moodtune.errors import InputError

__all__ = ["EMOTIONS", "VA_ANCHORS", "emotion_index"]

EMOTIONS: Final[tuple[str, ...]] = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")

#: emotion → (valence, arousal), both in [-1, 1].
VA_ANCHORS: Final = MappingProxyType(
    {
        "angry": (-0.51, 0.59),
        "disgust": (-0.60, 0.35),
        "fear": (-0.64, 0.60),
        "happy": (0.81, 0.51),
        "sad": (-0.63, -0.27),
        "surprise": (0.40, 0.67),
        "neutral": (0.0, 0.0),
    }
)


def emotion_index(name: str) -> int:
    """Position of ``name`` (case-insensitive) in ``EMOTIONS``; raises ``InputError`` if unknown."""
    key = name.strip().lower()
    if key not in EMOTIONS:
        raise InputError(f"unknown emotion {name!r}; choose from {', '.join(EMOTIONS)}")
    return EMOTIONS.index(key)
