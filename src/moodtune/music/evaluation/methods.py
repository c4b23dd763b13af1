"""The three recommenders compared: the seeds' two label-based baselines and moodtune itself.

Each method answers an ``EmotionQuery`` on an ``EvalSet`` with a list of at most ``k`` catalog
indices, best first:

* ``popularity_baseline`` (seed baseline A): the ``k`` most popular tracks carrying the query's
  mood label. Tracks of unknown popularity come after every known one; equal popularity — all
  of a catalog without popularity, such as the Deezer set — is ordered by the set's fixed random
  permutation (``EvalSet.tiebreak``), so without popularity A is a seeded random draw from
  the label.
* ``knn_baseline`` (seed baseline B): the ``k`` tracks of the label nearest to the label's
  centroid in z-scored audio-feature space (``metrics.audio_space``), the seeds' kNN. A catalog
  without audio features (the Deezer set) has only valence and arousal to describe its tracks,
  so there B runs on those two, z-scored. Ties go by the same permutation.
* ``moodtune_method``: ``moodtune.music.recommend`` with the ``match`` strategy for a listener
  who feels the query's emotion, the packaged genre mapping and no user — the engine as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

import numpy as np

from moodtune.affect import AffectState

from ..mapping import load_mapping
from ..recommend import recommend
from ..track import MOODS
from .datasets import EvalSet
from .queries import EmotionQuery

__all__ = ["METHODS", "Method", "knn_baseline", "moodtune_method", "popularity_baseline"]

#: (eval set, query, k) → catalog indices of the list, best first, at most k.
Method = Callable[[EvalSet, EmotionQuery, int], np.ndarray]


def _members(eval_set: EvalSet, query: EmotionQuery) -> np.ndarray:
    return np.flatnonzero(eval_set.labels == MOODS.index(query.mood))


def popularity_baseline(eval_set: EvalSet, query: EmotionQuery, k: int) -> np.ndarray:
    """Seed baseline A: the ``k`` most popular tracks with the query's mood label.

    Returns
    -------
    ndarray of shape (min(k, tracks with the label),), int catalog indices, most popular first.
    """
    members = _members(eval_set, query)
    popularity = eval_set.catalog.popularity[members].astype(np.float64)
    # Unknown popularity sorts after every known value.
    key = np.where(np.isnan(popularity), np.inf, -popularity)
    return members[np.lexsort((eval_set.tiebreak[members], key))[:k]]


def knn_baseline(eval_set: EvalSet, query: EmotionQuery, k: int) -> np.ndarray:
    """Seed baseline B: the ``k`` tracks with the query's label nearest to the label's feature centroid.

    Returns
    -------
    ndarray of shape (min(k, tracks with the label),), int catalog indices, nearest first.
    """
    members = _members(eval_set, query)
    if not len(members):
        return members
    points = eval_set.features[members]
    distance = np.linalg.norm(points - points.mean(axis=0), axis=1)
    return members[np.lexsort((eval_set.tiebreak[members], distance))[:k]]


def moodtune_method(eval_set: EvalSet, query: EmotionQuery, k: int) -> np.ndarray:
    """moodtune's ``recommend`` (strategy ``match``) for a listener who feels ``query.emotion``.

    Returns
    -------
    ndarray of shape (≤ k,), int catalog indices in the order ``recommend`` gives.
    """
    recommendations = recommend(
        AffectState.from_emotion(query.emotion),
        catalog=eval_set.catalog,
        strategy="match",
        k=k,
        # The packaged mapping, not $MOODTUNE_MAPPING: the figures must not depend on the shell.
        mapping=load_mapping(),
    )
    return np.array([eval_set.position[r.track.id] for r in recommendations], dtype=np.int64)


#: The methods in the order of the report: the two seed baselines, then moodtune.
METHODS: Final[Mapping[str, Method]] = MappingProxyType(
    {
        "A: popularity in label": popularity_baseline,
        "B: kNN in label": knn_baseline,
        "moodtune": moodtune_method,
    }
)
