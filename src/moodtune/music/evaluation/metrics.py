"""Measures of one recommended list, and of all the lists a method gave for the seven queries.

A list is an int array of catalog indices, best first. Every measure reads only catalog
columns, so the same function scores the baselines and moodtune:

* congruence — ``mean_distance`` (mean valence–arousal distance to the target point, lower
  is better) and ``quadrant_share`` (share of the list in the target's quadrant);
* ``precision_at_k`` — share of the k slots holding a track with the target's mood label;
* diversity — ``mean_pairwise_distance`` in the z-scored audio-feature space of
  ``audio_space`` and ``distinct_share`` of artists or primary genres;
* ``coverage`` — share of the catalog that any of the lists shows;
* popularity — ``mean_popularity`` of the listed tracks, to set beside the catalog's.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "audio_space",
    "coverage",
    "distinct_share",
    "mean_distance",
    "mean_pairwise_distance",
    "mean_popularity",
    "precision_at_k",
    "quadrant_share",
]


def audio_space(audio: np.ndarray) -> np.ndarray | None:
    """Z-scored audio features: each known, non-constant feature scaled to mean 0 and sd 1.

    Parameters
    ----------
    audio : shape (n, f), NaN where a value is unknown.

    Returns
    -------
    ndarray of shape (n, f') with f' ≤ f: features that no track knows, or that are the same for
    every track, are left out (they cannot tell tracks apart); a value unknown for one track is
    put at the feature's mean (0), so it neither pulls tracks together nor apart on that axis.
    None when no feature is left (a catalog without audio features).
    """
    audio = np.asarray(audio, dtype=np.float64)
    known = ~np.isnan(audio)
    counts = known.sum(axis=0)
    filled = np.where(known, audio, 0.0)
    mean = np.divide(filled.sum(axis=0), counts, out=np.zeros(audio.shape[1]), where=counts > 0)
    centred = np.where(known, audio - mean, 0.0)
    sd = np.sqrt(np.divide((centred**2).sum(axis=0), counts, out=np.zeros(audio.shape[1]), where=counts > 0))
    keep = sd > 0
    if not keep.any():
        return None
    return centred[:, keep] / sd[keep]


def mean_distance(va: np.ndarray, picks: np.ndarray, target: tuple[float, float]) -> float:
    """Mean Euclidean distance of the picked tracks' (valence, arousal) to ``target``.

    Parameters
    ----------
    va : shape (n, 2), the catalog's valence and arousal.
    picks : shape (m,), m ≥ 1, indices into the catalog.
    target : (valence, arousal).
    """
    offset = np.asarray(va, dtype=np.float64)[picks] - np.asarray(target, dtype=np.float64)
    return float(np.hypot(offset[:, 0], offset[:, 1]).mean())


def quadrant_share(quadrants: np.ndarray, picks: np.ndarray, mood: int) -> float:
    """Share of the picked tracks whose quadrant is ``mood``.

    Parameters
    ----------
    quadrants : shape (n,), each track's quadrant as a ``MOODS`` index (``mood_quadrant(va)``).
    picks : shape (m,), m ≥ 1, indices into the catalog.
    mood : the target's quadrant, a ``MOODS`` index.
    """
    return float(np.mean(quadrants[picks] == mood))


def precision_at_k(labels: np.ndarray, picks: np.ndarray, mood: int, k: int) -> float:
    """Share of the ``k`` slots filled with a track labelled ``mood``; an unfilled slot counts as a miss.

    Parameters
    ----------
    labels : shape (n,), each track's mood label as a ``MOODS`` index.
    picks : shape (m,), m ≤ k, indices into the catalog.
    mood : the target label, a ``MOODS`` index.
    k : the list length asked for.
    """
    return float(np.sum(labels[picks] == mood) / k)


def mean_pairwise_distance(points: np.ndarray, picks: np.ndarray) -> float:
    """Mean Euclidean distance over all pairs of picked tracks (intra-list diversity).

    Parameters
    ----------
    points : shape (n, d), e.g. ``audio_space(catalog.audio)``.
    picks : shape (m,), m ≥ 2, indices into the catalog.
    """
    x = np.asarray(points, dtype=np.float64)[picks]
    gaps = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=-1))
    m = len(picks)
    return float(gaps.sum() / (m * (m - 1)))


def distinct_share(codes: np.ndarray, picks: np.ndarray) -> float:
    """Distinct values among the picked tracks' codes, per picked track (1 = no repeats).

    Parameters
    ----------
    codes : shape (n,), e.g. ``catalog.artist_codes`` or the primary genre ``genre_codes[:, 0]``.
    picks : shape (m,), m ≥ 1, indices into the catalog.
    """
    return len(np.unique(codes[picks])) / len(picks)


def coverage(lists: Sequence[np.ndarray], n: int) -> float:
    """Share of a catalog of ``n`` tracks shown by at least one of ``lists`` (each of catalog indices)."""
    shown = np.unique(np.concatenate([np.asarray(p, dtype=np.int64) for p in lists]))
    return len(shown) / n


def mean_popularity(popularity: np.ndarray, picks: np.ndarray) -> float | None:
    """Mean known popularity of the picked tracks; None when none of them has one.

    Parameters
    ----------
    popularity : shape (n,), in [0, 1], NaN when unknown.
    picks : shape (m,), indices into the catalog (e.g. all lists concatenated).
    """
    values = np.asarray(popularity, dtype=np.float64)[picks]
    values = values[~np.isnan(values)]
    return float(values.mean()) if len(values) else None
