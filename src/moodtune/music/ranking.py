"""Scoring every track of a catalog against a mood target, and picking a diverse top k.

Score (each part in [0, 1], so the total is too)::

    score = 0.7 · mood fit + 0.2 · genre affinity + 0.1 · popularity

* mood fit = exp(−d² / (2 · 0.35²)), with d the Euclidean distance between the
  track's and the target's (valence, arousal). A linear ``1 − d / 2√2`` would put
  every plausible candidate (d < 1) between 0.65 and 1, letting genre and
  popularity decide the order; the kernel keeps near tracks near 1 (d = 0.1 → 0.96)
  and drops off where a song stops fitting (d = 0.5 → 0.36, d = 1 → 0.02).
* genre affinity = the largest blended mapping weight among the track's genres
  (max, not sum, so a track tagged with many genres gains nothing by that alone).
* popularity = the track's popularity; unknown counts as 0.5, neither help nor harm.

Diversity: greedy, MMR-style selection over the ranked tracks. Each step takes
the best remaining adjusted score; a track is skipped once any of its credited
artists has ``max_per_artist`` picks, and every pick lowers the adjusted score
of tracks sharing its primary (first) genre by 0.1. Ties go to the higher
unpenalised score, then to the smaller track id. Only a top slice of the
catalog is examined; the slice grows until no track outside it could beat the
picks, so the result equals a full scan.
"""

from __future__ import annotations

import math
import weakref
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from moodtune.errors import InputError

from .catalog import Catalog

__all__ = [
    "GENRE_REPEAT_PENALTY",
    "GENRE_WEIGHT",
    "MOOD_SIGMA",
    "MOOD_WEIGHT",
    "NEUTRAL_POPULARITY",
    "POPULARITY_WEIGHT",
    "TrackScores",
    "artist_keys",
    "score_tracks",
    "select_diverse",
]

MOOD_WEIGHT, GENRE_WEIGHT, POPULARITY_WEIGHT = 0.7, 0.2, 0.1
MOOD_SIGMA = 0.35
NEUTRAL_POPULARITY = 0.5
GENRE_REPEAT_PENALTY = 0.1

# First slice of the ranking handed to the greedy selection; grows ×4 when too small.
_MIN_POOL, _POOL_PER_PICK = 64, 8


@dataclass(frozen=True)
class TrackScores:
    """Per-track score parts, all arrays of shape (n_tracks,) in catalog order.

    Attributes
    ----------
    distance : Euclidean distance to the target on the valence–arousal plane, in [0, 2√2].
    mood_fit, genre_affinity, popularity : the parts, each in [0, 1].
    total : the weighted sum, in [0, 1].
    """

    distance: np.ndarray
    mood_fit: np.ndarray
    genre_affinity: np.ndarray
    popularity: np.ndarray
    total: np.ndarray


@dataclass(frozen=True)
class _CatalogFeatures:
    genre_codes: Mapping[str, int]
    codes: np.ndarray  # (n_tracks, max_genres) int; padding = len(genre_codes)
    artist_codes: np.ndarray  # (n_tracks, max_credited) int; padding = -1
    popularity: np.ndarray  # (n_tracks,) float in [0, 1]
    id_rank: np.ndarray  # (n_tracks,) int, position of each track in id order


# Keyed by id() with a weak reference: Catalog's generated __hash__ would hash
# every track on each lookup, which defeats the point of caching on big catalogs.
_FEATURES: dict[int, tuple[weakref.ref, _CatalogFeatures]] = {}


def _build_features(catalog: Catalog) -> _CatalogFeatures:
    genre_codes: dict[str, int] = {}
    for track in catalog.tracks:
        for genre in track.genres:
            genre_codes.setdefault(genre, len(genre_codes))
    width = max((len(t.genres) for t in catalog.tracks), default=1) or 1
    codes = np.full((len(catalog), width), len(genre_codes), dtype=np.int64)
    for row, track in enumerate(catalog.tracks):
        codes[row, : len(track.genres)] = [genre_codes[g] for g in track.genres]
    artist_ids: dict[str, int] = {}
    credits = [[artist_ids.setdefault(a, len(artist_ids)) for a in artist_keys(t.artist)] for t in catalog.tracks]
    artist_codes = np.full((len(catalog), max(map(len, credits), default=1)), -1, dtype=np.int64)
    for row, codes_of_track in enumerate(credits):
        artist_codes[row, : len(codes_of_track)] = codes_of_track
    popularity = np.array(
        [NEUTRAL_POPULARITY if t.popularity is None else t.popularity for t in catalog.tracks],
        dtype=np.float64,
    )
    id_rank = np.empty(len(catalog), dtype=np.int64)
    id_rank[sorted(range(len(catalog)), key=lambda i: catalog.tracks[i].id)] = np.arange(len(catalog))
    return _CatalogFeatures(genre_codes, codes, artist_codes, np.clip(popularity, 0.0, 1.0), id_rank)


def _features(catalog: Catalog) -> _CatalogFeatures:
    key = id(catalog)
    hit = _FEATURES.get(key)
    if hit is not None and hit[0]() is catalog:
        return hit[1]
    features = _build_features(catalog)
    _FEATURES[key] = (weakref.ref(catalog), features)
    weakref.finalize(catalog, _FEATURES.pop, key, None)
    return features


def score_tracks(catalog: Catalog, target: tuple[float, float], genre_weights: Mapping[str, float]) -> TrackScores:
    """Score every track of ``catalog``.

    Parameters
    ----------
    catalog : n tracks.
    target : (valence, arousal) to aim at, each in [-1, 1].
    genre_weights : genre → weight in [0, 1] (as from ``EmotionMapping.genre_weights``);
        genres absent from the catalog are ignored.

    Returns
    -------
    TrackScores with arrays of shape (n,).
    """
    features = _features(catalog)
    offset = catalog.va - np.asarray(target, dtype=np.float64)
    distance = np.hypot(offset[:, 0], offset[:, 1])
    mood_fit = np.exp(-(distance**2) / (2 * MOOD_SIGMA**2))
    # One extra slot of weight 0 so the padding code needs no masking.
    weights = np.zeros(len(features.genre_codes) + 1)
    for genre, weight in genre_weights.items():
        code = features.genre_codes.get(genre)
        if code is not None:
            weights[code] = weight
    genre_affinity = np.clip(weights[features.codes].max(axis=1), 0.0, 1.0)
    total = MOOD_WEIGHT * mood_fit + GENRE_WEIGHT * genre_affinity + POPULARITY_WEIGHT * features.popularity
    return TrackScores(distance, mood_fit, genre_affinity, features.popularity, total)


def artist_keys(artist: str) -> tuple[str, ...]:
    """The credited artists of a track ("A, B" credits both), case-folded, for per-artist limits."""
    keys = tuple(part.strip().casefold() for part in artist.split(", ") if part.strip())
    return keys or (artist.casefold(),)


def _ranked_slice(total: np.ndarray, id_rank: np.ndarray, size: int) -> tuple[np.ndarray, float]:
    """Indices of at least ``size`` best tracks, best first, and the best total left outside."""
    n = len(total)
    if size >= n:
        inside = np.arange(n)
    else:
        threshold = np.partition(total, n - size)[n - size]
        # Everything tied with the threshold comes in, so the id tie-break sees all ties.
        inside = np.flatnonzero(total >= threshold)
    inside = inside[np.lexsort((id_rank[inside], -total[inside]))]
    if len(inside) == n:
        return inside, -math.inf
    outside = np.ones(n, dtype=bool)
    outside[inside] = False
    return inside, float(total[outside].max())


def _greedy(
    pool: np.ndarray,
    total: np.ndarray,
    primary: np.ndarray,
    no_genre: int,
    artist_codes: np.ndarray,
    k: int,
    max_per_artist: int,
    genre_penalty: float,
    bound: float,
) -> list[tuple[int, float]] | None:
    """Greedy picks from ``pool``; None when a track outside the pool might have won a step."""
    adjusted = total[pool].astype(np.float64)
    eligible = np.ones(len(pool), dtype=bool)
    pool_primary = primary[pool]
    pool_artists = artist_codes[pool]
    counts: Counter[int] = Counter()
    picks: list[tuple[int, float]] = []
    while len(picks) < k:
        candidates = np.where(eligible, adjusted, -np.inf)
        j = int(np.argmax(candidates))
        if not eligible[j]:
            return picks if bound == -math.inf else None
        # Outside tracks are unpenalised at most `bound`; on a tie their id might win.
        if candidates[j] <= bound:
            return None
        picks.append((int(pool[j]), float(adjusted[j])))
        eligible[j] = False
        for code in pool_artists[j][pool_artists[j] >= 0].tolist():
            counts[code] += 1
            if counts[code] >= max_per_artist:
                eligible &= ~(pool_artists == code).any(axis=1)
        if pool_primary[j] != no_genre:
            adjusted[pool_primary == pool_primary[j]] -= genre_penalty
    return picks


def select_diverse(
    catalog: Catalog,
    total: np.ndarray,
    k: int,
    *,
    max_per_artist: int = 1,
    genre_penalty: float = GENRE_REPEAT_PENALTY,
) -> list[tuple[int, float]]:
    """Pick up to ``k`` tracks, best first, with the artist limit and genre-repeat penalty.

    Parameters
    ----------
    catalog : n tracks.
    total : shape (n,), the scores to rank by (``TrackScores.total``).
    k : how many to pick (fewer come back if the artist limit leaves too few tracks).
    max_per_artist : picks allowed per credited artist, ≥ 1.
    genre_penalty : subtracted from a track's score for each earlier pick with its primary genre.

    Returns
    -------
    list of (catalog index, adjusted score) with adjusted scores non-increasing and ≥ 0.
    """
    if np.shape(total) != (len(catalog),):
        raise InputError(f"expected {len(catalog)} scores, one per track, got shape {np.shape(total)}")
    if not catalog.tracks:
        return []
    features = _features(catalog)
    primary = features.codes[:, 0]
    no_genre = len(features.genre_codes)
    n = len(total)
    size = min(n, max(_MIN_POOL, _POOL_PER_PICK * k))
    while True:
        pool, bound = _ranked_slice(total, features.id_rank, size)
        picks = _greedy(pool, total, primary, no_genre, features.artist_codes, k, max_per_artist, genre_penalty, bound)
        if picks is not None:
            return [(index, max(score, 0.0)) for index, score in picks]
        size = min(n, size * 4)
