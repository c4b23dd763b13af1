"""``recommend``: from a reading of someone's feelings to a short, explained, diverse list of tracks.

The scoring and diversity rules live in ``ranking``, the targets in ``strategies``;
this module validates the call, wires them together and writes the reasons.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from moodtune.affect import AffectState
from moodtune.errors import CatalogError, InputError

from .catalog import Catalog, starter_catalog
from .links import track_links
from .mapping import EmotionMapping, default_mapping
from .ranking import score_tracks, select_diverse
from .strategies import MoodTarget, target_mood
from .track import Track

__all__ = ["MAX_K", "Recommendation", "recommend"]

log = logging.getLogger(__name__)

MAX_K = 100

# Distance thresholds for the wording of the mood part of a reason; 0.35 is the
# kernel width in ranking, beyond which the mood fit falls below 0.6.
_CLOSE, _NEAR = 0.15, 0.35
_WELL_KNOWN, _LESSER_KNOWN = 0.75, 0.25

# The starter CSV is parsed once per process rather than on every call.
_cached_starter = cache(starter_catalog)


@dataclass(frozen=True)
class Recommendation:
    """One recommended track.

    Attributes
    ----------
    track : the track.
    score : in [0, 1], higher is better; the ranking score after the diversity penalty,
        so a list is sorted by it (non-increasing).
    reason : one line naming the factors that placed the track, parts joined with " · ".
    links : "spotify" and "youtube" URLs (see ``track_links``).
    """

    track: Track
    score: float
    reason: str
    links: dict[str, str]


def _check_int(name: str, value: object, lo: int, hi: int | None) -> int:
    # bool is an int subclass; k=True is a caller mistake, not k=1.
    if isinstance(value, bool) or not isinstance(value, int) or value < lo or (hi is not None and value > hi):
        allowed = f"{lo}..{hi}" if hi is not None else f">= {lo}"
        raise InputError(f"{name} must be an integer in {allowed}, got {value!r}")
    return value


def _genre_phrase(
    track: Track, genre_weights: Mapping[str, float], target: MoodTarget, mapping: EmotionMapping
) -> str | None:
    matched = [g for g in track.genres if genre_weights.get(g, 0.0) > 0]
    if not matched:
        return None

    def top_emotion(genre: str) -> str:
        # The emotion contributing most to the genre's blended weight.
        return max(target.emotion_weights, key=lambda e: target.emotion_weights[e] * mapping.weights[e].get(genre, 0))

    best = max(matched, key=lambda g: genre_weights[g])
    if target.strategy == "calm":
        # Calm borrows other emotions' entries for their soothing genres; naming
        # those emotions ("ambient suits fear moods") would confuse a calm request.
        shown = [best] + [g for g in matched if g != best][:1]
        return f"calming {', '.join(shown)}"
    emotion = top_emotion(best)
    shown = [best] + [g for g in matched if g != best and top_emotion(g) == emotion][:1]
    verb = "suit" if len(shown) > 1 else "suits"
    return f"{', '.join(shown)} {verb} {emotion} moods"


def _reason(
    track: Track,
    distance: float,
    genre_weights: Mapping[str, float],
    target: MoodTarget,
    mapping: EmotionMapping,
) -> str:
    if distance <= _CLOSE:
        lead = "Close to"
    elif distance <= _NEAR:
        lead = "Near"
    else:
        lead = "Loosely fits"
    parts = [f"{lead} {target.description} (distance {distance:.2f})"]
    genre = _genre_phrase(track, genre_weights, target, mapping)
    if genre:
        parts.append(genre)
    if track.popularity is not None and track.popularity >= _WELL_KNOWN:
        parts.append("well known")
    elif track.popularity is not None and track.popularity <= _LESSER_KNOWN:
        parts.append("a lesser-known find")
    return " · ".join(parts)


def recommend(
    affect: AffectState,
    *,
    strategy: str = "match",
    k: int = 5,
    catalog: Catalog | None = None,
    mapping: EmotionMapping | None = None,
    max_per_artist: int = 1,
) -> list[Recommendation]:
    """Recommend up to ``k`` tracks for ``affect``.

    Parameters
    ----------
    affect : how the listener feels.
    strategy : "match", "uplift" or "calm" (see ``strategies``).
    k : list length, 1..100; fewer come back only when the artist limit leaves too few tracks.
    catalog : tracks to choose from; None uses the starter catalog.
    mapping : emotion → genre preferences; None uses ``default_mapping()`` ($MOODTUNE_MAPPING
        or the packaged file).
    max_per_artist : how many tracks one credited artist may have in the list, ≥ 1.

    Returns
    -------
    Recommendations sorted by score (non-increasing); the same inputs always give the same list.

    Raises
    ------
    InputError
        Bad ``k``, ``strategy``, ``max_per_artist``, or argument types.
    CatalogError
        The catalog is empty, or the default catalog or mapping file is unusable.
    """
    k = _check_int("k", k, 1, MAX_K)
    max_per_artist = _check_int("max_per_artist", max_per_artist, 1, None)
    target = target_mood(affect, strategy)
    if catalog is None:
        catalog = _cached_starter()
    elif not isinstance(catalog, Catalog):
        raise InputError(f"catalog must be a Catalog, got {type(catalog).__name__}")
    if not catalog.tracks:
        raise CatalogError("the catalog has no tracks to recommend")
    if mapping is None:
        mapping = default_mapping()
    elif not isinstance(mapping, EmotionMapping):
        raise InputError(f"mapping must be an EmotionMapping, got {type(mapping).__name__}")

    genre_weights = mapping.genre_weights(target.emotion_weights)
    scores = score_tracks(catalog, (target.valence, target.arousal), genre_weights)
    picks = select_diverse(catalog, scores.total, k, max_per_artist=max_per_artist)
    log.debug(
        "%s: target (%.2f, %.2f), %d tracks scored, %d picked",
        target.strategy,
        target.valence,
        target.arousal,
        len(catalog),
        len(picks),
    )
    if len(picks) < k:
        log.info("only %d of %d tracks fit the per-artist limit of %d", len(picks), k, max_per_artist)
    return [
        Recommendation(
            track=catalog.tracks[index],
            score=score,
            reason=_reason(catalog.tracks[index], float(scores.distance[index]), genre_weights, target, mapping),
            links=track_links(catalog.tracks[index]),
        )
        for index, score in picks
    ]
