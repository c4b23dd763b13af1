"""``recommend``: from a reading of someone's feelings to a short, explained, diverse list of tracks.

The scoring and diversity rules live in ``ranking``, the targets in ``strategies``,
the journey's path in ``journey`` and the listener's learnt taste in
``personalization``; this module validates the call, wires them together and
writes the reasons.

A reason is built from the factors that ranked the track, as ``ranking.TrackScores``
reports them for it, in a fixed order: how close it is to the mood aimed at (for a
journey: its step and waypoint), the mapping's genres that suit the mood, what the
listener's own likes say, how much it sounds like the music nearest the mood, and
how well known it is. A part appears only when its factor counted: a genre the
mapping does not prefer is never named, an unknown popularity is never called well
known. ``Recommendation.factors`` carries the numbers themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING

from moodtune.affect import EMOTIONS, AffectState
from moodtune.errors import CatalogError, InputError

from .catalog import Catalog, starter_catalog
from .journey import JourneyPlan, blend_shares, pick_journey, plan_journey
from .links import track_links
from .mapping import EmotionMapping, default_mapping
from .personalization import TasteProfile, load_profile, personalize
from .ranking import FACTORS, TrackScores, artist_keys, rank_tracks
from .strategies import MoodTarget, mood_label, target_mood
from .track import Track

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = ["MAX_K", "Recommendation", "recommend"]

log = logging.getLogger(__name__)

MAX_K = 100

# Distance thresholds for the wording of the mood part of a reason; 0.35 is the
# kernel width in ranking, beyond which the mood fit falls below 0.6.
_CLOSE, _NEAR = 0.15, 0.35
_WELL_KNOWN, _LESSER_KNOWN = 0.75, 0.25
# A learnt affinity below this (about one like) is too weak to claim as a reason.
_PERSONAL_MENTION = 0.15
# Audio similarity of a track about two thirds of a standard deviation from the reference sound
# on every feature (ranking: exp(−msd / 2)); closer than that is worth saying.
_SOUNDS_ALIKE = 0.8

# The starter CSV is parsed once per process rather than on every call.
_cached_starter = cache(starter_catalog)


@dataclass(frozen=True)
class Recommendation:
    """One recommended track.

    Attributes
    ----------
    track : the track.
    score : in [0, 1], higher is better; the ranking score after the diversity penalty.
        A list is sorted by it, except a journey's, which is in playing order.
    reason : one line naming the factors that placed the track, parts joined with " · ".
    links : "spotify" and "youtube" URLs (see ``track_links``).
    factors : each per-track part of ``ranking.TrackScores`` for this track (distance to
        the point aimed at, mood fit, genre affinity, popularity, …), rounded to 4 places.
    waypoint : on a journey, the (valence, arousal) this track's step aims at; else None.
    """

    track: Track
    score: float
    reason: str
    links: dict[str, str]
    factors: Mapping[str, float] = field(default_factory=dict)
    waypoint: tuple[float, float] | None = None

    def rounded_waypoint(self) -> list[float] | None:
        """The waypoint to 3 places, as the API, CLI and exports print it.

        The field itself keeps full precision, so a journey's tracks can be checked
        against the planned path exactly.
        """
        return [round(x, 3) for x in self.waypoint] if self.waypoint is not None else None


def _check_int(name: str, value: object, lo: int, hi: int | None) -> int:
    # bool is an int subclass; k=True is a caller mistake, not k=1.
    if isinstance(value, bool) or not isinstance(value, int) or value < lo or (hi is not None and value > hi):
        allowed = f"{lo}..{hi}" if hi is not None else f">= {lo}"
        raise InputError(f"{name} must be an integer in {allowed}, got {value!r}")
    return value


def _factors(scores: TrackScores, row: int) -> dict[str, float]:
    """The distance and every factor of catalog row ``row`` (``TrackScores``' per-track arrays but the total)."""
    at = scores.position(row)
    return {name: round(float(getattr(scores, name)[at]), 4) for name in ("distance", *FACTORS)}


@dataclass(frozen=True)
class _Explainer:
    """What the reasons of one list draw on besides each track's factors."""

    mapping: EmotionMapping
    emotion: str  # the listener's dominant emotion, for "you liked … when sad"
    liked_genres: Mapping[str, float]  # the listener's genre affinities for this reading (personalization)
    liked_artists: Mapping[str, float]  # … and artist affinities, by artist key

    def genre_phrase(self, track: Track, aim: MoodTarget) -> str | None:
        # The mapping's own weights, not the personalised ones: a genre is said to "suit" a mood
        # only when the mapping says so; what the listener's likes add is its own part.
        genre_weights = self.mapping.genre_weights(aim.emotion_weights)
        # ... and only those the listener's skips have not taken to 0 (personalization adds the affinity).
        matched = [
            g
            for g in track.genres
            if genre_weights.get(g, 0.0) > 0 and genre_weights[g] + self.liked_genres.get(g, 0.0) > 0
        ]
        if not matched:
            return None
        shares = aim.emotion_weights

        def top_emotion(genre: str) -> str:
            # The emotion contributing most to the genre's blended weight.
            return max(shares, key=lambda e: shares[e] * self.mapping.weights[e].get(genre, 0))

        best = max(matched, key=lambda g: genre_weights[g])
        if aim.strategy == "calm":
            # Calm borrows other emotions' entries for their soothing genres; naming
            # those emotions ("ambient suits fear moods") would confuse a calm request.
            shown = [best] + [g for g in matched if g != best][:1]
            return f"calming {', '.join(shown)}"
        emotion = top_emotion(best)
        shown = [best] + [g for g in matched if g != best and top_emotion(g) == emotion][:1]
        verb = "suit" if len(shown) > 1 else "suits"
        return f"{', '.join(shown)} {verb} {emotion} moods"

    def personal_phrase(self, track: Track) -> str | None:
        # The most liked of the track's credited artists, else of its genres; artists are more specific.
        credited = [name.strip() for name in track.artist.split(", ") if name.strip()] or [track.artist]
        candidates = [(self.liked_artists.get(artist_keys(name)[0], 0.0), name) for name in credited]
        if not candidates or max(candidates)[0] < _PERSONAL_MENTION:
            candidates = [(self.liked_genres.get(g, 0.0), g) for g in track.genres]
        if not candidates:
            return None
        affinity, name = max(candidates, key=lambda c: c[0])  # on a tie, the first credited
        return f"you liked {name} when {self.emotion}" if affinity >= _PERSONAL_MENTION else None

    def reason(
        self, track: Track, factors: Mapping[str, float], weights: Mapping[str, float], aim: MoodTarget, lead: str
    ) -> str:
        parts = [lead]
        genre = self.genre_phrase(track, aim) if factors["genre_affinity"] > 0 else None
        for part in (genre, self.personal_phrase(track)):
            if part:
                parts.append(part)
        if weights["audio_similarity"] > 0 and factors["audio_similarity"] >= _SOUNDS_ALIKE:
            parts.append("sounds like the music around this mood")
        if track.popularity is not None and track.popularity >= _WELL_KNOWN:
            parts.append("well known")
        elif track.popularity is not None and track.popularity <= _LESSER_KNOWN:
            parts.append("a lesser-known find")
        return " · ".join(parts)


def _closeness(distance: float) -> str:
    return "close to" if distance <= _CLOSE else "near" if distance <= _NEAR else "loosely fits"


def _journey_lead(plan: JourneyPlan, step: int, destination: str, distance: float) -> str:
    n = len(plan.waypoints)
    waypoint = plan.waypoints[step]
    where = f"{_closeness(distance)} {mood_label(float(waypoint[0]), float(waypoint[1]))} (distance {distance:.2f})"
    if step == 0:
        heading = "where you are"
    elif step < n - 1:
        heading = f"towards {destination}"
    elif plan.arrives:
        heading = f"arriving at {destination}"
    else:
        heading = f"{plan.reach:.0%} of the way to {destination}"
    return f"Step {step + 1} of {n}, {heading}: {where}"


def _shares(affect: AffectState) -> dict[str, float]:
    return {e: p for e, p in zip(EMOTIONS, affect.probabilities, strict=True) if p > 0}


def recommend(
    affect: AffectState,
    catalog: Catalog | None = None,
    *,
    strategy: str = "match",
    target: str | None = None,
    k: int = 5,
    user_id: str | None = None,
    mapping: EmotionMapping | None = None,
    max_per_artist: int = 1,
    db: Engine | None = None,
) -> list[Recommendation]:
    """Recommend up to ``k`` tracks for ``affect``.

    Parameters
    ----------
    affect : how the listener feels.
    catalog : tracks to choose from; None uses the starter catalog.
    strategy : "match", "uplift", "calm" or "journey" (see ``strategies`` and ``journey``).
    target : journey only: the destination, one of ``strategies.JOURNEY_TARGETS``; None picks
        happy for a negative mood and calm otherwise.
    k : list length, 1..100 (2..100 for a journey); fewer come back only when the artist limit
        leaves too few tracks.
    user_id : a listener whose stored feedback personalises the ranking (``personalization``);
        None ranks for nobody in particular.
    mapping : emotion → genre preferences; None uses ``default_mapping()`` ($MOODTUNE_MAPPING
        or the packaged file).
    max_per_artist : how many tracks one credited artist may have in the list, ≥ 1.
    db : the feedback database for ``user_id``; None uses the default one.

    Returns
    -------
    Recommendations sorted by score (non-increasing), or for a journey in playing order, each
    with its waypoint; the same inputs (and stored feedback) always give the same list.

    Raises
    ------
    InputError
        Bad ``k``, ``strategy``, ``target``, ``user_id``, ``max_per_artist``, or argument types.
    CatalogError
        The catalog is empty, or the default catalog or mapping file is unusable.
    DataError
        The feedback database cannot be read.
    """
    k = _check_int("k", k, 1, MAX_K)
    max_per_artist = _check_int("max_per_artist", max_per_artist, 1, None)
    aim = target_mood(affect, strategy, target)
    if catalog is None:
        catalog = _cached_starter()
    elif not isinstance(catalog, Catalog):
        raise InputError(f"catalog must be a Catalog, got {type(catalog).__name__}")
    if not len(catalog):
        raise CatalogError("the catalog has no tracks to recommend")
    if mapping is None:
        mapping = default_mapping()
    elif not isinstance(mapping, EmotionMapping):
        raise InputError(f"mapping must be an EmotionMapping, got {type(mapping).__name__}")
    profile = load_profile(user_id, catalog, db=db) if user_id is not None else None
    explainer = _Explainer(
        mapping,
        affect.emotion,
        MappingProxyType(profile.genre_affinity(affect)) if profile else MappingProxyType({}),
        MappingProxyType(profile.artist_affinity(affect)) if profile else MappingProxyType({}),
    )
    if aim.strategy == "journey":
        return _journey(affect, aim, k, catalog, mapping, profile, explainer, max_per_artist)

    genre_weights, artist_weights = _weights_for(mapping.genre_weights(aim.emotion_weights), profile, affect)
    ranked = rank_tracks(
        catalog,
        (aim.valence, aim.arousal),
        genre_weights,
        k,
        artist_weights=artist_weights,
        max_per_artist=max_per_artist,
    )
    picks = ranked.picks
    log.debug(
        "%s: target (%.2f, %.2f), %d tracks scored, %d picked",
        aim.strategy,
        aim.valence,
        aim.arousal,
        len(catalog),
        len(picks),
    )
    if len(picks) < k:
        log.info("only %d of %d tracks fit the per-artist limit of %d", len(picks), k, max_per_artist)
    recommendations = []
    for row, score in picks:
        track = catalog.track(row)
        factors = _factors(ranked.scores, row)
        lead = f"{_closeness(factors['distance']).capitalize()} {aim.description} (distance {factors['distance']:.2f})"
        reason = explainer.reason(track, factors, ranked.scores.weights, aim, lead)
        recommendations.append(Recommendation(track, score, reason, track_links(track), factors))
    return recommendations


def _weights_for(
    genre_weights: dict[str, float], profile: TasteProfile | None, affect: AffectState
) -> tuple[dict[str, float], dict[str, float] | None]:
    return personalize(genre_weights, profile, affect) if profile else (genre_weights, None)


def _journey(
    affect: AffectState,
    aim: MoodTarget,
    k: int,
    catalog: Catalog,
    mapping: EmotionMapping,
    profile: TasteProfile | None,
    explainer: _Explainer,
    max_per_artist: int,
) -> list[Recommendation]:
    plan = plan_journey((affect.valence, affect.arousal), (aim.valence, aim.arousal), k)
    start = _shares(affect)
    # Each step prefers the genres of a blend of where the listener is and where the journey goes.
    step_aims = [
        MoodTarget("journey", float(w[0]), float(w[1]), blend_shares(start, aim.emotion_weights, float(p)), "")
        for w, p in zip(plan.waypoints, plan.progress, strict=True)
    ]
    # The listener's affinities follow the mood they are in now, so the artist weights are one table.
    weights = [_weights_for(mapping.genre_weights(step.emotion_weights), profile, affect) for step in step_aims]
    picks = pick_journey(
        catalog,
        plan,
        [genre for genre, _ in weights],
        artist_weights=weights[0][1],
        max_per_artist=max_per_artist,
    )
    if len(picks) < k:
        log.info("the journey has %d of %d steps: the per-artist limit of %d ran out", len(picks), k, max_per_artist)
    recommendations = []
    for pick in picks:
        track = catalog.track(pick.row)
        factors = _factors(pick.scores, pick.row)
        lead = _journey_lead(plan, pick.step, aim.destination or "", factors["distance"])
        reason = explainer.reason(track, factors, pick.scores.weights, step_aims[pick.step], lead)
        recommendations.append(
            Recommendation(track, pick.score, reason, track_links(track), factors, waypoint=pick.waypoint)
        )
    return recommendations
