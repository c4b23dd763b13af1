"""The evaluation's queries: one per emotion, aiming at its anchor, with the mood label of its quadrant.

Every method answers the same seven queries, one for each of ``EMOTIONS``. A query's target
point is the emotion's valence–arousal anchor (``VA_ANCHORS``) — the point the ``match``
strategy aims at for someone who says they feel that emotion. Its mood label, the one the
label-based baselines filter on, is the quadrant of that point (``mood_quadrant``):

=========  ====================  ==========  ===========================================
mood       valence               arousal     emotions whose anchor falls there
=========  ====================  ==========  ===========================================
Happy      ≥ 0                   > 0         happy (0.81, 0.51), surprise (0.40, 0.67)
Energetic  < 0                   > 0         angry (−0.51, 0.59), disgust (−0.60, 0.35),
                                             fear (−0.64, 0.60)
Sad        < 0                   ≤ 0         sad (−0.63, −0.27)
Calm       ≥ 0                   ≤ 0         neutral (0, 0)
=========  ====================  ==========  ===========================================

The quadrants are the four moods of the Spotify moods data set placed as in Thayer's and
Russell's models: Happy is pleasant and aroused, Calm pleasant and quiet, Sad unpleasant and
quiet, Energetic the aroused, tense side (its tracks are the data set's most energetic and
less positive than Happy's). Neutral's anchor is the origin, on every border; the ties above
send it to Calm, the restful side its genres (acoustic, lo-fi, indie) stand for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from moodtune.affect import EMOTIONS, VA_ANCHORS

from ..track import MOODS

__all__ = ["EmotionQuery", "emotion_queries", "mood_quadrant"]

# MOODS index of each quadrant, looked up by 2 · (arousal > 0) + (valence ≥ 0).
_QUADRANT_MOODS = np.array([MOODS.index(m) for m in ("Sad", "Calm", "Energetic", "Happy")])


@dataclass(frozen=True)
class EmotionQuery:
    """One query of the evaluation.

    Attributes
    ----------
    emotion : one of ``EMOTIONS``.
    target : (valence, arousal), the emotion's anchor, each in [-1, 1].
    mood : the mood label of the target's quadrant, one of ``MOODS``.
    """

    emotion: str
    target: tuple[float, float]
    mood: str


def mood_quadrant(va: np.ndarray) -> np.ndarray:
    """The mood label of each point's quadrant (see the module docstring for the borders).

    Parameters
    ----------
    va : shape (n, 2), valence and arousal.

    Returns
    -------
    ndarray of shape (n,), int: indices into ``MOODS``.
    """
    va = np.asarray(va, dtype=np.float64).reshape(-1, 2)
    return _QUADRANT_MOODS[2 * (va[:, 1] > 0) + (va[:, 0] >= 0)]


def emotion_queries() -> tuple[EmotionQuery, ...]:
    """The seven queries, in ``EMOTIONS`` order."""
    targets = np.array([VA_ANCHORS[e] for e in EMOTIONS], dtype=np.float64)
    moods = mood_quadrant(targets)
    return tuple(
        EmotionQuery(emotion, (float(v), float(a)), MOODS[int(m)])
        for emotion, (v, a), m in zip(EMOTIONS, targets, moods, strict=True)
    )
