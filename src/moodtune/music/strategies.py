"""Strategies: where on the valence–arousal plane to aim, given how someone feels.

* ``match``  — stay with the feeling: aim at the affect's own (valence, arousal) and
  prefer the genres of its emotions, weighted by their probabilities.
* ``uplift`` — one step toward a brighter mood.
* ``calm``   — one step toward a quieter mood.

Uplift and calm follow the iso principle of music therapy: start from music that
matches the listener and move by small steps, because a jump straight to the
opposite mood tends to be rejected. Each call is *one* step; a session that
re-reads the mood after each song moves further step by step. A step moves each
axis by at most a fixed amount, never past a goal, and never backwards:

========  =====================================================  =======================================
strategy  valence                                                arousal
========  =====================================================  =======================================
uplift    up by ≤ 0.6, to at most +0.7 (higher stays higher)     up by ≤ 0.15, to at most +0.35
calm      up by ≤ 0.3, to at most +0.15 (mild positive)          down by ≤ 0.6, to at least −0.6
========  =====================================================  =======================================

So a sad listener (−0.63, −0.27) gets uplift target (−0.03, −0.12): about neutral,
not euphoric; an angry one (−0.51, +0.59) gets calm target (−0.21, −0.01).

Genre preferences are expressed as shares of emotions (the mapping file turns
them into genres): match uses the affect's probabilities; uplift blends them
half-and-half with ``happy``, so the familiar genres stay in the mix; calm uses
the soothing entries — ``neutral`` 0.5 (acoustic, lo-fi, indie), ``fear`` 0.3
(ambient, instrumental, chill), ``sad`` 0.2 (soft, classical, blues) — whatever
the current feeling, since an angry listener's own genres are not calming.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from moodtune.affect import EMOTIONS, AffectState
from moodtune.errors import InputError

__all__ = ["STRATEGIES", "MoodTarget", "mood_label", "target_mood"]

STRATEGIES: Final[tuple[str, ...]] = ("match", "uplift", "calm")

UPLIFT_VALENCE_STEP, UPLIFT_VALENCE_GOAL = 0.6, 0.7
UPLIFT_AROUSAL_STEP, UPLIFT_AROUSAL_GOAL = 0.15, 0.35
#: Share of the uplift genre preference given to ``happy``; the rest follows the current emotions.
UPLIFT_HAPPY_SHARE = 0.5

CALM_AROUSAL_STEP, CALM_AROUSAL_GOAL = 0.6, -0.6
CALM_VALENCE_STEP, CALM_VALENCE_GOAL = 0.3, 0.15
CALM_EMOTION_SHARES: Final = MappingProxyType({"neutral": 0.5, "fear": 0.3, "sad": 0.2})

# Beyond ±0.2 a listener would describe the axis as clearly leaning one way.
_AXIS_DEADBAND = 0.2
_LABELS: Final = {
    # (valence side, arousal side) → words; sides are -1, 0, +1.
    (1, 1): "upbeat-happy",
    (1, 0): "happy",
    (1, -1): "calm-happy",
    (0, 1): "energetic",
    (0, 0): "neutral",
    (0, -1): "calm",
    (-1, 1): "tense",
    (-1, 0): "sad",
    (-1, -1): "calm-sad",
}


@dataclass(frozen=True)
class MoodTarget:
    """Where a strategy aims, and which emotions' genres it prefers.

    Attributes
    ----------
    strategy : one of ``STRATEGIES``.
    valence, arousal : the target point, each in [-1, 1].
    emotion_weights : emotion → share in (0, 1], shares summing to 1; the mapping file
        turns these into genre weights.
    description : a few words for explanations, e.g. "a brighter step from your calm-sad mood".
    """

    strategy: str
    valence: float
    arousal: float
    emotion_weights: Mapping[str, float]
    description: str


def mood_label(valence: float, arousal: float) -> str:
    """A one- or two-word name for a point on the plane, e.g. "calm-sad" for (-0.6, -0.3)."""

    def side(x: float) -> int:
        return 0 if abs(x) <= _AXIS_DEADBAND else (1 if x > 0 else -1)

    return _LABELS[(side(valence), side(arousal))]


def _step_up(x: float, goal: float, step: float) -> float:
    return x if x >= goal else min(x + step, goal)


def _step_down(x: float, goal: float, step: float) -> float:
    return x if x <= goal else max(x - step, goal)


def _shares(weights: Mapping[str, float]) -> Mapping[str, float]:
    total = sum(weights.values())
    return MappingProxyType({e: weights[e] / total for e in EMOTIONS if weights.get(e, 0.0) > 0})


def target_mood(affect: AffectState, strategy: str) -> MoodTarget:
    """Where to aim for ``affect`` under ``strategy``.

    Parameters
    ----------
    affect : the current reading.
    strategy : one of ``STRATEGIES`` (case-insensitive); see the module docstring for the rules.

    Raises
    ------
    InputError
        Unknown strategy, or ``affect`` is not an ``AffectState``.
    """
    if not isinstance(affect, AffectState):
        raise InputError(f"affect must be an AffectState, got {type(affect).__name__}")
    name = strategy.strip().lower() if isinstance(strategy, str) else strategy
    if name not in STRATEGIES:
        raise InputError(f"unknown strategy {strategy!r}; choose from {', '.join(STRATEGIES)}")

    v, a = affect.valence, affect.arousal
    current = dict(zip(EMOTIONS, affect.probabilities, strict=True))
    label = mood_label(v, a)
    if name == "match":
        return MoodTarget(name, v, a, _shares(current), f"your {label} mood")
    if name == "uplift":
        tv = _step_up(v, UPLIFT_VALENCE_GOAL, UPLIFT_VALENCE_STEP)
        ta = _step_up(a, UPLIFT_AROUSAL_GOAL, UPLIFT_AROUSAL_STEP)
        blend = {e: (1 - UPLIFT_HAPPY_SHARE) * p for e, p in current.items()}
        blend["happy"] += UPLIFT_HAPPY_SHARE
        moved = (tv, ta) != (v, a)
        words = f"a brighter step from your {label} mood" if moved else f"your {label} mood, kept bright"
        return MoodTarget(name, tv, ta, _shares(blend), words)
    tv = _step_up(v, CALM_VALENCE_GOAL, CALM_VALENCE_STEP)
    ta = _step_down(a, CALM_AROUSAL_GOAL, CALM_AROUSAL_STEP)
    moved = (tv, ta) != (v, a)
    words = f"a calmer step from your {label} mood" if moved else f"your {label} mood, kept calm"
    return MoodTarget(name, tv, ta, _shares(CALM_EMOTION_SHARES), words)
