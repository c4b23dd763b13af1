"""The evaluation's queries: one per emotion, aiming at its anchor, with the mood label of its region.

Every method answers the same seven queries, one for each of ``EMOTIONS``. A query's target
point is the emotion's valence–arousal anchor (``VA_ANCHORS``) — the point the ``match``
strategy aims at for someone who says they feel that emotion. Its mood label, the one the
label-based baselines filter on, is the label of the target's region by the rule the ranking's
mood-label factor uses too (``ranking.mood_quadrant``, the one place it is written):

=========  ====================  ==========  ===========================================
mood       valence               arousal     emotions whose anchor falls there
=========  ====================  ==========  ===========================================
Happy      ≥ 0                   > 0         happy (0.81, 0.51), surprise (0.40, 0.67)
Energetic  < 0                   > 0         angry (−0.51, 0.59), disgust (−0.60, 0.35),
                                             fear (−0.64, 0.60)
Sad        < 0                   ≤ 0         sad (−0.63, −0.27)
Calm       ≥ 0                   ≤ 0         neutral (0, 0)
=========  ====================  ==========  ===========================================

Neutral's anchor is the origin, on both axes: the rule's ties give it Calm, so the baselines
have a label to filter on, but it lies in no quadrant, and the quadrant share (the share of a
list on the target's side of both axes) is not measured for it (``EmotionQuery.has_quadrant``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from moodtune.affect import EMOTIONS, VA_ANCHORS

from ..ranking import mood_quadrant
from ..track import MOODS

__all__ = ["EmotionQuery", "emotion_queries"]


@dataclass(frozen=True)
class EmotionQuery:
    """One query of the evaluation.

    Attributes
    ----------
    emotion : one of ``EMOTIONS``.
    target : (valence, arousal), the emotion's anchor, each in [-1, 1].
    mood : the mood label of the target's region (``ranking.mood_quadrant``), one of ``MOODS``.
    """

    emotion: str
    target: tuple[float, float]
    mood: str

    @property
    def has_quadrant(self) -> bool:
        """Whether the target lies inside a quadrant; a target on an axis has none (neutral's origin)."""
        return self.target[0] != 0 and self.target[1] != 0


def emotion_queries() -> tuple[EmotionQuery, ...]:
    """The seven queries, in ``EMOTIONS`` order."""
    targets = np.array([VA_ANCHORS[e] for e in EMOTIONS], dtype=np.float64)
    moods = mood_quadrant(targets)
    return tuple(
        EmotionQuery(emotion, (float(v), float(a)), MOODS[int(m)])
        for emotion, (v, a), m in zip(EMOTIONS, targets, moods, strict=True)
    )
