"""Running every method on every query of every evaluation set, and scoring the lists.

``evaluate_methods`` gives an ``EvalReport``: per set and method, the scores of each query's
list (``ListScores``) and the set-wide figures (``MethodScores``: coverage, popularity), plus
the checks the issue asks for (``Check``: moodtune closer to the targets than each baseline,
its lists no less diverse). Everything is deterministic: the same catalogs give the same report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from moodtune.errors import InputError

from ..track import MOODS
from .datasets import EvalSet
from .methods import METHODS, Method
from .metrics import (
    coverage,
    distinct_share,
    mean_distance,
    mean_pairwise_distance,
    mean_popularity,
    precision_at_k,
    quadrant_share,
)
from .queries import EmotionQuery, emotion_queries

__all__ = [
    "DEFAULT_K",
    "HIGHER_IS_BETTER",
    "MOODTUNE",
    "Check",
    "EvalReport",
    "LabelPoint",
    "ListScores",
    "MethodScores",
    "SetResult",
    "evaluate_methods",
]

DEFAULT_K = 10
#: The name of moodtune's entry in ``METHODS``; every other method is a baseline.
MOODTUNE = "moodtune"

#: The measures of one list (``ListScores``), in report order → True where higher is better.
HIGHER_IS_BETTER: Mapping[str, bool] = {
    "distance": False,
    "quadrant_share": True,
    "precision": True,
    "audio_diversity": True,
    "artist_share": True,
    "genre_share": True,
}
CONGRUENCE = ("distance", "quadrant_share")
DIVERSITY = ("audio_diversity", "artist_share", "genre_share")


@dataclass(frozen=True)
class ListScores:
    """One method's list for one query, and its measures (None where a measure does not apply).

    Attributes
    ----------
    emotion : the query.
    track_ids : the list, best first (at most k).
    distance : mean valence–arousal distance of the tracks to the target; None for an empty list.
    quadrant_share : share of the tracks in the target's quadrant; None for an empty list, and
        for a target on an axis, which lies in no quadrant (``EmotionQuery.has_quadrant``).
    precision : precision@k of the target's mood label; None where the set has no human labels.
    audio_diversity : mean pairwise distance in z-scored audio-feature space; None without audio
        features or with fewer than 2 tracks.
    artist_share : distinct artists per track; None for an empty list.
    genre_share : distinct primary genres per track; None where the catalog has no genres.
    """

    emotion: str
    track_ids: tuple[str, ...]
    distance: float | None
    quadrant_share: float | None
    precision: float | None
    audio_diversity: float | None
    artist_share: float | None
    genre_share: float | None


@dataclass(frozen=True)
class MethodScores:
    """One method on one set.

    Attributes
    ----------
    method : its name in ``METHODS``.
    lists : one per query, in query order.
    coverage : share of the catalog in at least one of the lists.
    popularity : mean known popularity of all listed tracks (a track listed twice counts twice);
        None where none is known.
    """

    method: str
    lists: tuple[ListScores, ...]
    coverage: float
    popularity: float | None

    def mean(self, measure: str) -> float | None:
        """Mean of a ``ListScores`` measure over the queries where it applies; None where it never does."""
        values = [v for v in (getattr(s, measure) for s in self.lists) if v is not None]
        return float(np.mean(values)) if values else None


@dataclass(frozen=True)
class Check:
    """moodtune against one baseline on one measure.

    Attributes
    ----------
    measure : a ``ListScores`` measure.
    baseline : the baseline's name.
    moodtune, other : the two means over the queries.
    passed : moodtune strictly better on a congruence measure's distance, at least as good on
        the others (higher share, more diverse).
    """

    measure: str
    baseline: str
    moodtune: float
    other: float
    passed: bool


@dataclass(frozen=True)
class LabelPoint:
    """Where a set's tracks of one human mood label lie on the valence–arousal plane.

    Attributes
    ----------
    mood : one of ``MOODS``.
    tracks : how many tracks carry it.
    valence, arousal : their mean position.
    in_quadrant : share of them in the label's own quadrant (``ranking.mood_quadrant``).
    """

    mood: str
    tracks: int
    valence: float
    arousal: float
    in_quadrant: float


@dataclass(frozen=True)
class SetResult:
    """Every method on one evaluation set.

    Attributes
    ----------
    name, notes, human_labels : from the ``EvalSet``.
    tracks : catalog size.
    catalog_popularity : mean known popularity of the catalog; None where none is known.
    methods : in ``METHODS`` order.
    label_points : one per label present, for sets with human labels (else empty): how the
        set's valence/arousal and its labels relate.
    """

    name: str
    notes: tuple[str, ...]
    human_labels: bool
    tracks: int
    catalog_popularity: float | None
    methods: tuple[MethodScores, ...]
    label_points: tuple[LabelPoint, ...] = ()

    def method(self, name: str) -> MethodScores:
        return next(m for m in self.methods if m.method == name)

    def checks(self) -> tuple[Check, ...]:
        """moodtune against each baseline on congruence and on every diversity measure that applies."""
        ours = self.method(MOODTUNE)
        checks = []
        for other in self.methods:
            if other.method == MOODTUNE:
                continue
            for measure in (*CONGRUENCE, *DIVERSITY):
                mine, theirs = ours.mean(measure), other.mean(measure)
                if mine is None or theirs is None:
                    continue
                # The distance must improve; the shares and diversities must not fall.
                passed = mine >= theirs if HIGHER_IS_BETTER[measure] else mine < theirs
                checks.append(Check(measure, other.method, mine, theirs, passed))
        return tuple(checks)


@dataclass(frozen=True)
class EvalReport:
    """The whole comparison: k, the queries, and one ``SetResult`` per evaluation set."""

    k: int
    queries: tuple[EmotionQuery, ...]
    sets: tuple[SetResult, ...]

    def as_dict(self) -> dict:
        """Plain JSON-ready data: everything above, plus each method's means and the checks."""
        return {
            "k": self.k,
            "queries": [asdict(q) for q in self.queries],
            "sets": [
                {
                    **{f: getattr(s, f) for f in ("name", "notes", "human_labels", "tracks", "catalog_popularity")},
                    "label_points": [asdict(p) for p in s.label_points],
                    "methods": [
                        {
                            "method": m.method,
                            "means": {measure: m.mean(measure) for measure in HIGHER_IS_BETTER},
                            "coverage": m.coverage,
                            "popularity": m.popularity,
                            "lists": [asdict(x) for x in m.lists],
                        }
                        for m in s.methods
                    ],
                    "checks": [asdict(c) for c in s.checks()],
                }
                for s in self.sets
            ],
        }


def _label_points(eval_set: EvalSet) -> tuple[LabelPoint, ...]:
    va = eval_set.catalog.va.astype(np.float64)
    points = []
    for code, mood in enumerate(MOODS):
        members = eval_set.labels == code
        if members.any():
            valence, arousal = va[members].mean(axis=0).tolist()
            share = float(np.mean(eval_set.quadrants[members] == code))
            points.append(LabelPoint(mood, int(members.sum()), valence, arousal, share))
    return tuple(points)


def _score_list(eval_set: EvalSet, query: EmotionQuery, picks: np.ndarray, k: int) -> ListScores:
    catalog = eval_set.catalog
    mood = MOODS.index(query.mood)
    filled = len(picks) > 0
    return ListScores(
        emotion=query.emotion,
        track_ids=tuple(str(i) for i in catalog.ids[picks].tolist()),
        distance=mean_distance(catalog.va, picks, query.target) if filled else None,
        quadrant_share=quadrant_share(eval_set.quadrants, picks, mood) if filled and query.has_quadrant else None,
        precision=precision_at_k(eval_set.labels, picks, mood, k) if eval_set.human_labels else None,
        audio_diversity=(
            mean_pairwise_distance(eval_set.audio, picks) if eval_set.audio is not None and len(picks) > 1 else None
        ),
        artist_share=distinct_share(catalog.artist_codes, picks) if filled else None,
        genre_share=distinct_share(catalog.genre_codes[:, 0], picks) if filled and catalog.genre_names else None,
    )


def _run(eval_set: EvalSet, name: str, method: Method, queries: Sequence[EmotionQuery], k: int) -> MethodScores:
    lists = [np.asarray(method(eval_set, q, k), dtype=np.int64) for q in queries]
    for query, picks in zip(queries, lists, strict=True):
        if len(picks) > k or len(np.unique(picks)) != len(picks):
            raise InputError(f"{name} gave {len(picks)} tracks for {query.emotion} (k = {k}), or one twice")
    return MethodScores(
        method=name,
        lists=tuple(_score_list(eval_set, q, p, k) for q, p in zip(queries, lists, strict=True)),
        coverage=coverage(lists, len(eval_set.catalog)),
        popularity=mean_popularity(eval_set.catalog.popularity, np.concatenate(lists)),
    )


def evaluate_methods(
    eval_sets: Sequence[EvalSet],
    *,
    k: int = DEFAULT_K,
    methods: Mapping[str, Method] = METHODS,
    progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    """Run each method on the seven emotion queries of each set and score the lists.

    Parameters
    ----------
    eval_sets : the catalogs with their labels.
    k : list length asked of every method, ≥ 1.
    methods : name → method; must include ``MOODTUNE`` for the checks.
    progress : called with (methods run, methods to run over all sets) after each one.

    Raises
    ------
    InputError : bad ``k``, no moodtune among the methods, or a method returning more than
        ``k`` tracks or a track twice.
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InputError(f"k must be a positive integer, got {k!r}")
    if MOODTUNE not in methods:
        raise InputError(f"the methods must include {MOODTUNE!r} to compare against, got {list(methods)}")
    queries = emotion_queries()
    sets = []
    for done_sets, eval_set in enumerate(eval_sets):
        scores: list[MethodScores] = []
        for name, method in methods.items():
            scores.append(_run(eval_set, name, method, queries, k))
            if progress is not None:
                progress(done_sets * len(methods) + len(scores), len(eval_sets) * len(methods))
        catalog = eval_set.catalog
        sets.append(
            SetResult(
                name=eval_set.name,
                notes=eval_set.notes,
                human_labels=eval_set.human_labels,
                tracks=len(catalog),
                catalog_popularity=mean_popularity(catalog.popularity, np.arange(len(catalog))),
                methods=tuple(scores),
                label_points=_label_points(eval_set) if eval_set.human_labels else (),
            )
        )
    return EvalReport(k, queries, tuple(sets))
