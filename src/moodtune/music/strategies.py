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

* ``journey`` — a whole playlist in playing order that starts at the listener's
  point and moves step by step to a destination (module ``journey``). Here
  ``target_mood`` gives the destination: one of the seven emotions (its anchor,
  its genres) or a named point of ``MOOD_POINTS`` (``calm``, ``content``,
  ``energetic``). Without a target, a negative mood (valence < 0) travels to
  ``happy`` — the mood-repair use of the iso principle — and any other mood winds
  down to ``calm``, its relaxation use: a listener who already feels fine gains
  little from being pushed further up, and a quieter end suits most listening.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from moodtune.affect import EMOTIONS, VA_ANCHORS, AffectState
from moodtune.errors import InputError

__all__ = [
    "JOURNEY_TARGETS",
    "MOOD_POINTS",
    "STRATEGIES",
    "MoodPoint",
    "MoodTarget",
    "default_journey_target",
    "mood_label",
    "target_mood",
]

STRATEGIES: Final[tuple[str, ...]] = ("match", "uplift", "calm", "journey")

UPLIFT_VALENCE_STEP, UPLIFT_VALENCE_GOAL = 0.6, 0.7
UPLIFT_AROUSAL_STEP, UPLIFT_AROUSAL_GOAL = 0.15, 0.35
#: Share of the uplift genre preference given to ``happy``; the rest follows the current emotions.
UPLIFT_HAPPY_SHARE = 0.5

CALM_AROUSAL_STEP, CALM_AROUSAL_GOAL = 0.6, -0.6
CALM_VALENCE_STEP, CALM_VALENCE_GOAL = 0.3, 0.15
CALM_EMOTION_SHARES: Final = MappingProxyType({"neutral": 0.5, "fear": 0.3, "sad": 0.2})


@dataclass(frozen=True)
class MoodPoint:
    """A named destination on the plane: its point and the emotions whose genres suit it."""

    valence: float
    arousal: float
    emotion_shares: Mapping[str, float]


#: Destinations a journey can end at besides the seven emotions' anchors. ``calm`` is the calm
#: strategy's goal with its soothing genres; ``content`` (pleased, unhurried) and ``energetic``
#: (bright and lively) sit in the two positive quadrants the emotion anchors leave empty.
MOOD_POINTS: Final = MappingProxyType(
    {
        "calm": MoodPoint(CALM_VALENCE_GOAL, CALM_AROUSAL_GOAL, CALM_EMOTION_SHARES),
        "content": MoodPoint(0.5, -0.35, MappingProxyType({"happy": 0.5, "neutral": 0.5})),
        "energetic": MoodPoint(0.45, 0.75, MappingProxyType({"happy": 0.5, "surprise": 0.5})),
    }
)

#: Every name ``target`` accepts for the journey strategy.
JOURNEY_TARGETS: Final[tuple[str, ...]] = EMOTIONS + tuple(MOOD_POINTS)

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
    destination : journey only: the destination's name (one of ``JOURNEY_TARGETS``); else None.
    """

    strategy: str
    valence: float
    arousal: float
    emotion_weights: Mapping[str, float]
    description: str
    destination: str | None = None


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


def default_journey_target(affect: AffectState) -> str:
    """``"happy"`` for a negative mood (valence < 0), else ``"calm"`` (see the module docstring)."""
    return "happy" if affect.valence < 0 else "calm"


def _destination(name: str) -> MoodPoint:
    if name in MOOD_POINTS:
        return MOOD_POINTS[name]
    valence, arousal = VA_ANCHORS[name]
    return MoodPoint(valence, arousal, MappingProxyType({name: 1.0}))


def target_mood(affect: AffectState, strategy: str, target: str | None = None) -> MoodTarget:
    """Where to aim for ``affect`` under ``strategy``.

    Parameters
    ----------
    affect : the current reading.
    strategy : one of ``STRATEGIES`` (case-insensitive); see the module docstring for the rules.
    target : journey only: where the journey ends, one of ``JOURNEY_TARGETS`` (case-insensitive);
        None picks ``default_journey_target(affect)``.

    Returns
    -------
    MoodTarget; for ``journey`` its point is the destination (``journey.plan_journey`` lays the steps).

    Raises
    ------
    InputError
        Unknown strategy or target, a target with another strategy, or ``affect`` is not an ``AffectState``.
    """
    if not isinstance(affect, AffectState):
        raise InputError(f"affect must be an AffectState, got {type(affect).__name__}")
    name = strategy.strip().lower() if isinstance(strategy, str) else strategy
    if name not in STRATEGIES:
        raise InputError(f"unknown strategy {strategy!r}; choose from {', '.join(STRATEGIES)}")

    v, a = affect.valence, affect.arousal
    current = dict(zip(EMOTIONS, affect.probabilities, strict=True))
    label = mood_label(v, a)
    if target is not None and name != "journey":
        raise InputError(f"a target applies to the journey strategy only, not to {name!r}")
    if name == "journey":
        goal = default_journey_target(affect) if target is None else target
        key = goal.strip().lower() if isinstance(goal, str) else goal
        if key not in JOURNEY_TARGETS:
            raise InputError(f"unknown journey target {goal!r}; choose from {', '.join(JOURNEY_TARGETS)}")
        point = _destination(key)
        words = f"a journey from your {label} mood to {key}"
        return MoodTarget(name, point.valence, point.arousal, _shares(point.emotion_shares), words, key)
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
