"""The ``journey`` strategy: an iso-principle playlist that walks from the listener's mood to a destination.

Music therapy's iso principle: meet listeners where they are, then lead them by
small steps; a jump straight to the opposite mood tends to be rejected. A
journey of ``n`` tracks is planned before any track is chosen:

1. **Path.** Waypoint ``i`` (0-based) of ``n`` lies on the straight segment from
   the listener's point ``s`` to the destination ``d``::

       w_i = s + r · e(i / (n − 1)) · (d − s),   e(t) = 3t² − 2t³  (smoothstep)

   A straight segment is monotone on each axis (valence and arousal each move
   only towards the destination); the smoothstep easing starts and ends gently
   (zero slope at both ends, so the first tracks stay with the listener and the
   last settle at the destination) and keeps the change of step length bounded:
   ``|e''| ≤ 6``, so consecutive steps differ by at most ``6 · r · |d − s| / (n − 1)²``.
2. **Bounded steps.** No step may move more than ``MAX_STEP`` on the plane. When
   ``n`` is too small to cover the distance in such steps, the whole path is
   shortened: ``r = min(1, MAX_STEP / largest eased step)`` and the journey ends
   short of the destination, as far as the steps allow (``JourneyPlan.reach``);
   a longer list gets there. ``MAX_STEP`` = 0.4, a little over the mood kernel's
   width (0.35 in ``ranking``), so consecutive tracks' mood windows overlap.
   From sad to happy (distance 1.64) 7 tracks or more arrive; 5 get 71 % of the way.
3. **Tracks.** Each step, in playing order, ranks the catalog against its
   waypoint with genre preferences that blend the listener's emotions into the
   destination's in proportion to the progress made, and takes the best track
   not yet in the list (``ranking.rank_tracks`` with the earlier steps as
   ``previous``), under the same diversity rules as one ranked list: at most
   ``max_per_artist`` tracks per credited artist over the whole journey, and
   ``GENRE_REPEAT_PENALTY`` off a track's score for every earlier pick sharing
   its primary genre. Ties go to the smaller id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from moodtune.errors import InputError

from .catalog import Catalog
from .ranking import GENRE_REPEAT_PENALTY, TrackScores, rank_tracks

__all__ = ["MAX_STEP", "JourneyPick", "JourneyPlan", "blend_shares", "ease", "pick_journey", "plan_journey"]

#: Largest move on the valence–arousal plane between consecutive waypoints.
MAX_STEP: Final = 0.4


def ease(t: np.ndarray) -> np.ndarray:
    """Smoothstep ``3t² − 2t³``: 0 → 0, 1 → 1, non-decreasing on [0, 1], zero slope at both ends."""
    return t * t * (3.0 - 2.0 * t)


@dataclass(frozen=True)
class JourneyPlan:
    """The planned path of a journey, one waypoint per track.

    Attributes
    ----------
    start : the listener's (valence, arousal).
    destination : where the journey heads, (valence, arousal).
    waypoints : shape (n, 2), the (valence, arousal) each track aims at, in playing order;
        the first is ``start``.
    progress : shape (n,), the share of the way from ``start`` to ``destination`` at each
        waypoint, non-decreasing from 0 to ``reach``.
    reach : share of the way the last waypoint gets to, in [0, 1]; 1 when the journey arrives.
    """

    start: tuple[float, float]
    destination: tuple[float, float]
    waypoints: np.ndarray
    progress: np.ndarray
    reach: float

    @property
    def arrives(self) -> bool:
        """True when the last waypoint is the destination."""
        return self.reach >= 1.0


def plan_journey(
    start: tuple[float, float], destination: tuple[float, float], n: int, *, max_step: float = MAX_STEP
) -> JourneyPlan:
    """Lay out ``n`` waypoints from ``start`` towards ``destination`` (see the module docstring).

    Parameters
    ----------
    start, destination : (valence, arousal) points, each coordinate in [-1, 1].
    n : number of tracks, ≥ 2 (the first matches the listener, the last is the end).
    max_step : largest distance between consecutive waypoints, > 0.

    Raises
    ------
    InputError
        ``n`` < 2, ``max_step`` ≤ 0, or a point outside [-1, 1]².
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise InputError(f"a journey needs at least 2 tracks (one to start from, one to arrive), got {n!r}")
    if not max_step > 0:
        raise InputError(f"max_step must be positive, got {max_step!r}")
    s, d = np.asarray(start, dtype=np.float64), np.asarray(destination, dtype=np.float64)
    for name, point in (("start", s), ("destination", d)):
        if point.shape != (2,) or not np.all(np.abs(point) <= 1.0):
            raise InputError(f"{name} must be a (valence, arousal) pair in [-1, 1], got {point.tolist()}")
    eased = ease(np.linspace(0.0, 1.0, n))
    distance = float(np.hypot(*(d - s)))
    largest = float(np.diff(eased).max()) * distance
    reach = 1.0 if largest <= max_step else max_step / largest
    progress = reach * eased
    # Written as a weighted mean, so the ends are exactly ``start`` and (on arrival) ``destination``.
    waypoints = (1.0 - progress[:, None]) * s + progress[:, None] * d
    return JourneyPlan(
        start=(float(s[0]), float(s[1])),
        destination=(float(d[0]), float(d[1])),
        waypoints=waypoints,
        progress=progress,
        reach=reach,
    )


def blend_shares(start: Mapping[str, float], end: Mapping[str, float], progress: float) -> dict[str, float]:
    """Emotion shares ``(1 − progress) · start + progress · end``: a step's genre preference.

    Both inputs are emotion → share mappings summing to 1, so the blend does too.
    """
    blended = {e: (1.0 - progress) * w for e, w in start.items()}
    for emotion, share in end.items():
        blended[emotion] = blended.get(emotion, 0.0) + progress * share
    return {e: w for e, w in blended.items() if w > 0}


@dataclass(frozen=True)
class JourneyPick:
    """The track chosen for one step.

    Attributes
    ----------
    row : the track's position in the catalog.
    step : 0-based position in playing order.
    waypoint : the step's (valence, arousal).
    score : the step's score after the genre-repeat penalty, ≥ 0.
    scores : the factors of the tracks the step scored (``TrackScores.position(row)`` finds this one).
    """

    row: int
    step: int
    waypoint: tuple[float, float]
    score: float
    scores: TrackScores


def pick_journey(
    catalog: Catalog,
    plan: JourneyPlan,
    step_genre_weights: Sequence[Mapping[str, float]],
    *,
    artist_weights: Mapping[str, float] | None = None,
    max_per_artist: int = 1,
    genre_penalty: float = GENRE_REPEAT_PENALTY,
) -> list[JourneyPick]:
    """Choose one track per waypoint, in playing order, with no track twice.

    Each step is ``ranking.rank_tracks`` for one track at its waypoint, with the earlier
    steps' tracks as ``previous``: never picked again, and counted toward the artist limit
    and the genre-repeat penalty — the same rules as one ranked list.

    Parameters
    ----------
    catalog : n tracks.
    plan : from ``plan_journey``; one pick per waypoint.
    step_genre_weights : one genre → weight table per waypoint (as ``EmotionMapping.genre_weights`` gives).
    artist_weights : the listener's artist affinities (``personalization``), the same at every step.
    max_per_artist : tracks allowed per credited artist over the whole journey, ≥ 1.
    genre_penalty : subtracted from a track's score per earlier pick with its primary genre.

    Returns
    -------
    Picks in playing order; fewer than the waypoints only when the artist limit runs out of tracks.
    """
    if len(step_genre_weights) != len(plan.waypoints):
        raise InputError(
            f"expected {len(plan.waypoints)} genre tables, one per waypoint, got {len(step_genre_weights)}"
        )
    picks: list[JourneyPick] = []
    for step, (waypoint, genre_weights) in enumerate(zip(plan.waypoints, step_genre_weights, strict=True)):
        point = (float(waypoint[0]), float(waypoint[1]))
        ranked = rank_tracks(
            catalog,
            point,
            genre_weights,
            1,
            artist_weights=artist_weights,
            max_per_artist=max_per_artist,
            genre_penalty=genre_penalty,
            previous=[p.row for p in picks],
        )
        if not ranked.picks:
            break
        row, score = ranked.picks[0]
        picks.append(JourneyPick(row=row, step=step, waypoint=point, score=score, scores=ranked.scores))
    return picks
