"""Ranking: find the tracks near a mood point, score them on six factors, pick a diverse top k.

Score of a track (every factor in [0, 1] and the effective weights summing to 1, so the total is too)::

    total = Σ_f w_f · factor_f      over the active factors f

=================  ======  =========================================================================
factor             weight  value
=================  ======  =========================================================================
mood_fit           0.56    exp(−d² / (2 · 0.35²)), d the distance to the target on the VA plane
mood_label         0.22    0.5 ± p / 2: + when the track's mood label is the target region's
                           (``mood_quadrant``), − when it is another; p the label's probability
                           (1 for a label that came with the data set); no label → 0.5
genre_affinity     0.16    the largest genre weight among the track's genres, 0 for none
popularity         0.08    the track's popularity; unknown → 0.5
audio_similarity   0.12    exp(−msd / 2) to a reference sound (below); no audio features → 0.5
personal_affinity  0.08    (1 + a) / 2, a the mean of the listener's artist affinities (−1 … 1) over
                           the track's credited artists, 0 for an artist without evidence
=================  ======  =========================================================================

The weights are relative (``FACTOR_WEIGHTS``): the active factors' are rescaled to sum to 1.
A factor is *active* when it can tell tracks apart: the mood label when at least one track of
the catalog has one, audio similarity when at least one has audio features, personal affinity
when ``artist_weights`` are given. Inactive factors get weight 0, so a catalog without labels
or audio features ranked for nobody in particular scores 0.7 · mood + 0.2 · genre + 0.1 ·
popularity, and one where all six apply 0.459 · mood fit + 0.181 · label + 0.131 · genre +
0.066 · popularity + 0.098 · audio + 0.066 · personal. The listener's genre taste needs no
factor of its own: ``personalization`` folds it into ``genre_weights``.

* **Mood fit.** A linear ``1 − d / 2√2`` would put every plausible candidate (d < 1)
  between 0.65 and 1, letting the other factors decide the order; the kernel keeps
  near tracks near 1 (d = 0.1 → 0.96) and drops off where a song stops fitting
  (d = 0.5 → 0.36, d = 1 → 0.02).
* **Mood label.** A label (Happy, Sad, Energetic, Calm) is a second, coarser reading of
  a track's mood: a person's, or the audio-mood model's with its probability. It names
  a region of the plane, the quadrant (``mood_quadrant``, the one rule for that, which
  the evaluation's queries use too). Its weight follows one rule fixed in advance:
  *a certain label is worth one kernel width of distance*, i.e. agreeing rather than
  disagreeing with certainty (factor 1 against 0) weighs what the mood fit loses from
  the target to σ away: w_label = w_mood · (1 − e^{−1/2}) = 0.393 · 0.56 = 0.22. So,
  all else equal, among tracks within σ of the target, where the mood fit says they
  all still fit, the label decides; it cannot bring in a track from farther than that
  against one at the target. A label of probability p moves the factor by p / 2 either way: an uncertain
  model label counts little, a missing one not at all.
* **Genre affinity.** Max, not sum, so a track tagged with many genres gains nothing
  by that alone; weights are clipped to [0, 1].
* **Audio similarity** is the seeds' kNN on z-scored audio features, turned from a
  filter into a factor. The reference sound is ``seed_audio`` when given ("more
  like this track"), else the centroid of the ``AUDIO_NEIGHBOURS`` tracks with audio
  features nearest the target on the VA plane (and any tied with the farthest of
  them): what music at that mood point typically sounds like. Among tracks equally
  near the target, those that sound like their neighbourhood rise, and a track whose
  valence/arousal put it near the target although it sounds unlike anything there
  (an estimate gone wrong, a spoken-word intro) sinks. Features: ``AUDIO_FEATURES``
  without ``key`` (a pitch class is nominal and circular: z-scored, C would sit next
  to C♯ and far from B), each z-scored with the catalog's mean and standard
  deviation; ``msd`` is the mean squared difference over the features known for both
  the track and the reference. The reference itself scores 1, a track one standard
  deviation off on every feature 0.61, two off 0.14.
* **Personal affinity** takes ``personalization``'s signed affinities, keyed by
  ``artist_keys``; an artist without evidence counts 0, i.e. the neutral 0.5.

**Diversity** (``select_diverse``): greedy, MMR-style selection. Each step takes the
best remaining adjusted score; a track is skipped once any of its credited artists
has ``max_per_artist`` picks; every pick lowers the adjusted score of tracks sharing
its primary (first) genre by ``genre_penalty`` (0.1); and, where the catalog has audio
features, a track's adjusted score is lowered by ``sound_penalty`` (0.1) times how much
more it sounds like its closest earlier pick than two random tracks of the catalog do
— MMR's "maximal marginal relevance" in sound. Likeness is the audio similarity
factor's kernel s = exp(−msd / 2) over the features both tracks know; two tracks drawn
at random differ by msd = 2 on z-scored features (each has variance 1), s = 1/e, so the
repeat is (s − 1/e) / (1 − 1/e), clipped at 0: 1 for the same sound, 0.38 for tracks
one standard deviation apart on every feature, 0 for any pair no more alike than
chance, or sharing no feature. The two penalties are the same size on purpose: a
track that sounds exactly like one already listed is as much a repeat as one of the
same primary genre. Ties go to the higher unpenalised score, then to the smaller track
id. ``previous`` rows (a list being extended, as a journey's steps are) count as
earlier picks. The greedy compares sounds lazily: a track's score computed against
fewer picks bounds its true score from above, so only tracks whose bound could still
be the best are compared with the latest picks.

**Retrieval** (``rank_tracks``, the way to recommend from a catalog of any size). The
tracks live in a grid index over the VA square (``music.index``), cut into blocks of at
most ``BLOCK_SIZE`` tracks; inside a grid cell the tracks are sorted by whether they have
audio features, then mood label, then primary genre, then popularity, so a block is narrow
in all four. Nothing needs a block's tracks to bound their totals from above:

* mood fit at the distance from the target to the block's bounding box;
* mood label: the block's best label factor for the target's region (kept per region);
* genre and popularity together: the block's best popularity for tracks without a
  preferred genre, and for each preferred genre the genre's weight plus the best
  popularity among the block's tracks that carry it (kept per genre bit and block);
* audio similarity 1, or 0.5 for a block without audio features;
* personal affinity: the best the listener's weights allow in a block holding one of
  their positively weighted artists, 0.5 elsewhere.

A track's own bound is its exact score with 1 (or 0.5) for the audio similarity, which
is the only factor that costs a second pass over its features.

A query has two stages. **Retrieval is exact**: it finds the m = ``candidate_pool(k, p)``
= max(200, 20 · k) + p best tracks by total (the relevance score, every factor, no
diversity penalty; p the distinct ``previous`` rows), ties by track id, exactly as a
scan of every track would:

1. guess the m-th best total τ: the m-th best among the best-bounded tracks of the
   best-bounded blocks near the target and the m nearest tracks, scored in full (the
   m-th best of a subset is at most the m-th best of the catalog);
2. read only the blocks within the radius at which a track perfect in every other
   factor still reaches τ, keep the blocks whose bound reaches τ and the tracks among
   them whose own bound does, and score those in full. Every track with a total ≥ τ,
   so each of the m best, is among them; the pass is accepted when the m-th best
   scored beats the best bound of everything left out (blocks and tracks dropped, and
   anything beyond the radius), and otherwise τ is lowered (by 0.02, then twice as
   much each time) and (2) repeats, at worst over the whole catalog.

**The diverse selection runs over that pool only**: ``select_diverse`` (exact greedy,
artist limit, genre and sound penalties) on the m tracks. If the artist limit and the
earlier picks leave fewer than k picks in it, the pool grows ×4 and both stages run
again, until k picks or the whole catalog. So ``rank_tracks`` equals ``select_diverse``
over the best m of ``score_tracks`` for every input; it equals ``select_diverse`` over
*every* track only when no pick of the unbounded greedy lies outside the pool, which
the penalties make rare but not impossible: a track below the m-th total is picked
only when every pool track still eligible has lost more to the penalties than the
gap. The pool is bounded because the penalties have no bound from below for a track
left unread: with them in the exact search, the bar a track must reach was the k-th
pick's score after its penalties, about 0.1 below the best on large catalogs, and
every track in that band had to be read and compared with the picks' sounds (9 ms a
query at 1 M tracks instead of 3). How often the pool changes the picks, on the
starter catalog and synthetic catalogs of 10 k to 10 M tracks, and why 200 and 20 · k:
``docs/music/scale.md``.

Bounds are raised by 1e-9 so that floating-point rounding between a bound and the score
it bounds cannot break the retrieval's exactness. ``benchmarks/recommend_scale.py``
measures the work saved; see ``docs/music/scale.md``.
"""

from __future__ import annotations

import math
import sys
import weakref
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Real
from types import MappingProxyType
from typing import Final

import numpy as np

from moodtune.errors import CatalogError, InputError

from .catalog import Catalog
from .index import VAIndex, build_index, concat_ranges
from .track import AUDIO_FEATURES, MOODS

__all__ = [
    "AUDIO_NEIGHBOURS",
    "BLOCK_SIZE",
    "FACTORS",
    "FACTOR_WEIGHTS",
    "GENRE_REPEAT_PENALTY",
    "MOOD_SIGMA",
    "NEUTRAL",
    "POOL_MIN",
    "POOL_PER_PICK",
    "SIMILARITY_FEATURES",
    "SOUND_REPEAT_PENALTY",
    "CatalogIndex",
    "MoodLabels",
    "RankedTracks",
    "TrackScores",
    "artist_keys",
    "candidate_pool",
    "catalog_index",
    "mood_quadrant",
    "rank_tracks",
    "score_tracks",
    "select_diverse",
]

#: The score's factors, in the order of ``FACTOR_WEIGHTS``.
FACTORS: Final[tuple[str, ...]] = (
    "mood_fit",
    "mood_label",
    "genre_affinity",
    "popularity",
    "audio_similarity",
    "personal_affinity",
)
MOOD_SIGMA: Final = 0.35
_MOOD_FIT_WEIGHT: Final = 0.56
#: Relative weight of each factor; the active factors' are rescaled to sum to 1 (module docstring).
FACTOR_WEIGHTS: Final = MappingProxyType(
    {
        "mood_fit": _MOOD_FIT_WEIGHT,
        # A certain label weighs what the mood fit loses from the target to one kernel width away.
        "mood_label": _MOOD_FIT_WEIGHT * (1.0 - math.exp(-0.5)),
        "genre_affinity": 0.16,
        "popularity": 0.08,
        "audio_similarity": 0.12,
        "personal_affinity": 0.08,
    }
)
#: Value of a factor for a track it knows nothing about: neither help nor harm.
NEUTRAL: Final = 0.5
GENRE_REPEAT_PENALTY: Final = 0.1
#: Most a track loses for sounding like an earlier pick: the genre penalty's size (module docstring).
SOUND_REPEAT_PENALTY: Final = GENRE_REPEAT_PENALTY
#: Tracks whose sound defines the reference of the audio similarity.
AUDIO_NEIGHBOURS: Final = 25
#: Audio features compared by the audio similarity (all but the pitch class ``key``).
SIMILARITY_FEATURES: Final[tuple[str, ...]] = tuple(f for f in AUDIO_FEATURES if f != "key")

#: Most tracks per index block: small blocks keep their bounds tight, large ones make fewer bounds.
BLOCK_SIZE: Final = 16

_SIMILARITY_COLUMNS = np.array([AUDIO_FEATURES.index(f) for f in SIMILARITY_FEATURES])
_MOOD, _LABEL, _GENRE, _POPULARITY, _AUDIO, _PERSONAL = range(len(FACTORS))
# MOODS index of each quadrant, looked up by 2 · (arousal > 0) + (valence ≥ 0).
_QUADRANT_MOODS = np.array([MOODS.index(m) for m in ("Sad", "Calm", "Energetic", "Happy")])
#: The diverse selection of ``rank_tracks`` runs over the best max(200, 20 · k) tracks by total
#: (``candidate_pool``; module docstring, "Retrieval").
POOL_MIN: Final = 200
POOL_PER_PICK: Final = 20
# The greedy selection first reads this many of the best tracks (at least 64, or 8 per pick).
_SLICE_MIN, _SLICE_PER_PICK = 64, 8
# The first guess of the pool's lowest total comes from up to 2 × m tracks for a pool of m: the
# m best-bounded of those in the best-bounded blocks (8 × m), and the m nearest.
_GUESS_SPREAD = 8
# First step by which the bar is lowered when a pass cannot certify its pool (then doubled).
_STEP = 0.02
# Added to every bound: a bound and the score it bounds are computed along different float
# paths (a box distance against a track's own), which may round apart by a few ulps.
_BOUND_SLACK = 1e-9
# The audio similarity of two tracks drawn at random: z-scored features differ by a mean square of
# 2 (each has variance 1), and exp(−2 / 2) = 1/e. Only likeness beyond that makes a sound repeat.
_CHANCE: Final = math.exp(-1.0)
# Stale tracks the lazy greedy selection first compares with the latest picks' sounds.
_LAZY_BATCH = 16
# Tracks scored at a time by an exhaustive scan.
_SCAN_CHUNK = 1 << 18
# Genres with a bit of their own in a block's genre mask; the rest share the last bit.
_GENRE_BITS = 63


def artist_keys(artist: str) -> tuple[str, ...]:
    """The credited artists of a track ("A, B" credits both), case-folded, for per-artist limits."""
    keys = tuple(part.strip().casefold() for part in artist.split(", ") if part.strip())
    return keys or (artist.casefold(),)


def mood_quadrant(va: np.ndarray | Sequence[float]) -> np.ndarray:
    """The mood label of the region of the plane each point lies in: its quadrant.

    =========  =======  =======
    mood       valence  arousal
    =========  =======  =======
    Happy      ≥ 0      > 0
    Energetic  < 0      > 0
    Sad        < 0      ≤ 0
    Calm       ≥ 0      ≤ 0
    =========  =======  =======

    The four labels of ``MOODS`` placed as in Thayer's and Russell's models: Happy is
    pleasant and aroused, Calm pleasant and quiet, Sad unpleasant and quiet, Energetic the
    aroused, tense side (of the four labels, the one that fits angry or fearful listening).
    A point on an axis belongs to a side by the ties above; the origin, on both, is Calm,
    the restful side that neutral's genres (acoustic, lo-fi, indie) stand for. This is the
    one rule that turns a point into a label: the ranking's mood-label factor and the
    evaluation's queries (``music.evaluation``) both use it.

    Parameters
    ----------
    va : shape (n, 2) or (2,), valence and arousal.

    Returns
    -------
    ndarray of shape (n,), int: indices into ``MOODS`` (n = 1 for a single point).
    """
    va = np.asarray(va, dtype=np.float64).reshape(-1, 2)
    return _QUADRANT_MOODS[2 * (va[:, 1] > 0) + (va[:, 0] >= 0)]


# --- per-catalog tables ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class MoodLabels:
    """The mood labels of a catalog's tracks, in index order, for the mood-label factor.

    Attributes
    ----------
    codes : (n,) int8, ``MOODS`` index of each track's label, -1 for none.
    certainty : (n,) float32, the label's probability p in [0, 1]: the model's where it
        estimated the label, 1 for a label that came with the data set, 0 for no label.
    block_best : (len(MOODS), b) float64, per target region (a ``MOODS`` index) and block, the
        highest mood-label factor among the block's tracks.
    best : (len(MOODS),) float64, per target region, the highest factor in the catalog.
    """

    codes: np.ndarray
    certainty: np.ndarray
    block_best: np.ndarray
    best: np.ndarray

    @property
    def nbytes(self) -> int:
        return self.codes.nbytes + self.certainty.nbytes + self.block_best.nbytes + self.best.nbytes


@dataclass(frozen=True, eq=False)
class CatalogIndex:
    """What ranking keeps per catalog, built once (``catalog_index``) and reused by every query.

    The scoring columns are copies in index order (``index.order``): a query reads the tracks
    of a block as one contiguous slice instead of a scattered row per track, which is what
    makes it fast on large catalogs.

    Attributes
    ----------
    index : all tracks, by cell, then audio features (present first), mood label, primary genre
        and popularity (most popular first). ``index.points`` are the valence/arousal.
    position : (n,) int64, the index position of each catalog row.
    popularity : (n,) float32, popularity in index order, unknown → ``NEUTRAL``.
    genre_codes : (n, g) int32, ``catalog.genre_codes`` in index order.
    artist_codes : (n,) int32, ``catalog.artist_codes`` in index order.
    audio : (n, len(SIMILARITY_FEATURES)) float32 z-scored features in index order (NaN where
        unknown), or None when no track has any.
    has_audio : (n,) bool, in index order: the track has at least one comparable feature.
    labels : the tracks' mood labels (``MoodLabels``), or None when no track has one.
    audio_index : the tracks with audio features (``index`` itself when that is all of them),
        or None when none has any.
    credits : (n_artist_names, c) int32, the credited-artist keys of each entry of
        ``catalog.artist_names`` as numbers of ``credit_ids``; -1 fills unused slots.
    credit_ids : credited-artist key (``artist_keys``) → its number, 0 … m − 1.
    credited_in : (m + 1,) int64 offsets into ``credited_names``: the entries of
        ``catalog.artist_names`` that credit key i are ``credited_names[credited_in[i]:credited_in[i + 1]]``.
    credited_names : int32, see ``credited_in``.
    by_artist : (n,) int64, index positions grouped by artist name code; ``by_artist_in`` (n_artist_names
        + 1,) int64 offsets: the tracks of artist name a are at ``by_artist[by_artist_in[a]:by_artist_in[a + 1]]``.
    genre_code : genre name → its code in ``catalog.genre_names``.
    genre_bit : (n_genres + 1,) int8, each genre's bit number in a genre mask: the 63 most common
        genres have one each, the others share bit 63; -1 for the trailing "no genre" slot that
        code -1 reaches.
    block_genres : (b,) uint64, OR of the genre masks of each block's tracks.
    block_genre_popularity : (64, b) uint8, per mask bit and block: the highest popularity among
        the block's tracks that have a genre of that bit, rounded up to 1/255 (meaningful where the
        block's mask has the bit). It ties genre to popularity in a block's bound: the track with
        the liked genre is rarely also the block's most popular one.
    block_popularity : (b,) float32, highest popularity in each block.
    block_audio : (b,) bool, whether any track of the block has audio features.
    max_popularity : highest popularity in the catalog.
    audio_mean, audio_std : (len(SIMILARITY_FEATURES),) float64, the z-scoring of the features;
        NaN for a feature no track has or that never varies (it is then left out).
    """

    index: VAIndex
    position: np.ndarray
    popularity: np.ndarray
    genre_codes: np.ndarray
    artist_codes: np.ndarray
    audio: np.ndarray | None
    has_audio: np.ndarray
    labels: MoodLabels | None
    audio_index: VAIndex | None
    credits: np.ndarray
    credit_ids: Mapping[str, int]
    credited_in: np.ndarray
    credited_names: np.ndarray
    by_artist: np.ndarray
    by_artist_in: np.ndarray
    genre_code: Mapping[str, int]
    genre_bit: np.ndarray
    block_genres: np.ndarray
    block_genre_popularity: np.ndarray
    block_popularity: np.ndarray
    block_audio: np.ndarray
    max_popularity: float
    audio_mean: np.ndarray
    audio_std: np.ndarray

    @property
    def nbytes(self) -> int:
        """Memory held by these tables (the indexes included), in bytes."""
        arrays = [
            self.position,
            self.popularity,
            self.genre_codes,
            self.artist_codes,
            self.has_audio,
            self.credits,
            self.credited_in,
            self.credited_names,
            self.by_artist,
            self.by_artist_in,
            self.genre_bit,
            self.block_genres,
            self.block_genre_popularity,
            self.block_popularity,
            self.block_audio,
        ]
        total = self.index.nbytes + sum(a.nbytes for a in arrays)
        if self.audio is not None:
            total += self.audio.nbytes
        if self.labels is not None:
            total += self.labels.nbytes
        if self.audio_index is not None and self.audio_index is not self.index:
            total += self.audio_index.nbytes
        # The key dictionary: its table, the key strings and the (mostly boxed) numbers.
        ids = self.credit_ids
        return total + sys.getsizeof(ids) + sum(sys.getsizeof(key) + sys.getsizeof(i) for key, i in ids.items())


_INDEXES: weakref.WeakKeyDictionary[Catalog, CatalogIndex] = weakref.WeakKeyDictionary()


def _credits(artist_names: Sequence[str]) -> tuple[np.ndarray, dict[str, int]]:
    ids: dict[str, int] = {}
    keyed = [[ids.setdefault(key, len(ids)) for key in artist_keys(name)] for name in artist_names]
    credits = np.full((len(keyed), max(map(len, keyed), default=1)), -1, dtype=np.int32)
    counts = np.array([len(keys) for keys in keyed], dtype=np.int64)
    if len(keyed):
        rows = np.repeat(np.arange(len(keyed)), counts)
        slots = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
        credits[rows, slots] = [key for keys in keyed for key in keys]
    return credits, ids


def _audio_scaling(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of each column over its known values; NaN where none or constant."""
    mean, std = np.full(raw.shape[1], np.nan), np.full(raw.shape[1], np.nan)
    for j in range(raw.shape[1]):
        known = raw[:, j][~np.isnan(raw[:, j])]
        if len(known):
            mean[j], std[j] = known.mean(dtype=np.float64), known.std(dtype=np.float64)
    std[~(std > 0)] = np.nan  # no data, or no variation: nothing to compare
    mean[np.isnan(std)] = np.nan
    return mean, std


def _label_factor(codes: np.ndarray, certainty: np.ndarray, region: int) -> np.ndarray:
    """The mood-label factor, shape (m,), of tracks with label ``codes`` and ``certainty`` (m,) for a target region."""
    return NEUTRAL + 0.5 * certainty.astype(np.float64) * np.where(codes == region, 1.0, -1.0)


def _mood_labels(catalog: Catalog, index: VAIndex) -> MoodLabels | None:
    labelled = catalog.mood_codes >= 0
    if not labelled.any():
        return None
    probability = catalog.mood_probability
    outside = np.flatnonzero(~np.isnan(probability) & ~((probability >= 0) & (probability <= 1)))
    if len(outside):
        row = int(outside[0])
        raise CatalogError(
            f"track {catalog.ids[row]}: mood_probability must lie in [0, 1], got {float(probability[row])}"
        )
    # A label that came with the data set has no probability: it is as certain as a label gets.
    certainty = np.where(labelled, np.nan_to_num(probability, nan=1.0), 0.0).astype(np.float32)[index.order]
    codes = catalog.mood_codes[index.order]
    starts = index.block_starts[:-1]
    block_best = np.stack(
        [np.maximum.reduceat(_label_factor(codes, certainty, region), starts) for region in range(len(MOODS))]
    )
    return MoodLabels(codes, certainty, block_best, block_best.max(axis=1))


def _build(catalog: Catalog) -> CatalogIndex:
    n_genres = len(catalog.genre_names)
    codes = catalog.genre_codes
    counts = np.bincount(codes[codes >= 0], minlength=n_genres)
    # The most common genres get a bit each, so a block's mask tells them apart; rarer genres share one.
    rank = np.empty(n_genres, dtype=np.int64)
    rank[np.argsort(-counts, kind="stable")] = np.arange(n_genres)
    genre_bit = np.append(np.minimum(rank, _GENRE_BITS), -1).astype(np.int8)
    genre_mask = np.where(genre_bit >= 0, np.uint64(1) << genre_bit.clip(0).astype(np.uint64), np.uint64(0))
    popularity = np.nan_to_num(catalog.popularity, nan=NEUTRAL)

    raw = catalog.audio[:, _SIMILARITY_COLUMNS]
    mean, std = _audio_scaling(raw)
    has_audio = ~np.isnan(raw[:, ~np.isnan(std)]).all(axis=1)

    # Inside a cell: tracks with audio features first, then by mood label, then by primary genre,
    # then most popular first, so that each block is narrow in what its bound is made of.
    primary = codes[:, 0].astype(np.int64) + 1
    label = catalog.mood_codes.astype(np.int64) + 1
    group = (np.where(has_audio, 0, len(MOODS) + 1) + label) * (n_genres + 1) + primary
    within_cell = group * 1024 + (1023 - np.round(popularity * 1023).astype(np.int64))
    index = build_index(catalog.va, within_cell=within_cell, block_size=BLOCK_SIZE)
    order = index.order
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    audio = None
    if has_audio.any():
        audio = (raw[order] - mean.astype(np.float32)) / std.astype(np.float32)
    if has_audio.all():
        audio_index: VAIndex | None = index
    elif has_audio.any():
        audio_index = build_index(catalog.va, rows=np.flatnonzero(has_audio))
    else:
        audio_index = None
    genre_popularity = np.zeros((_GENRE_BITS + 1, index.n_blocks), dtype=np.uint8)
    block_of = np.repeat(np.arange(index.n_blocks), np.diff(index.block_starts))
    rounded_up = np.ceil(popularity[order].astype(np.float64) * 255).astype(np.uint8)
    for slot in range(codes.shape[1]):
        number = genre_bit[codes[order, slot]]
        has = number >= 0
        np.maximum.at(genre_popularity, (number[has], block_of[has]), rounded_up[has])
    artist_codes = catalog.artist_codes[order]
    by_artist_in = np.concatenate(([0], np.cumsum(np.bincount(artist_codes, minlength=len(catalog.artist_names)))))
    credits, credit_ids = _credits(catalog.artist_names)
    names, slots = np.nonzero(credits >= 0)
    by_key = np.argsort(credits[names, slots], kind="stable")
    credited_in = np.concatenate(([0], np.cumsum(np.bincount(credits[names, slots], minlength=len(credit_ids)))))
    return CatalogIndex(
        index=index,
        position=position,
        popularity=popularity[order],
        genre_codes=np.ascontiguousarray(codes[order]),
        artist_codes=artist_codes,
        audio=audio,
        has_audio=has_audio[order],
        labels=_mood_labels(catalog, index),
        audio_index=audio_index,
        credits=credits,
        credit_ids=credit_ids,
        credited_in=credited_in.astype(np.int64),
        credited_names=names[by_key].astype(np.int32),
        by_artist=np.argsort(artist_codes),
        by_artist_in=by_artist_in.astype(np.int64),
        genre_code=MappingProxyType({name: code for code, name in enumerate(catalog.genre_names)}),
        genre_bit=genre_bit,
        block_genres=index.block_or(np.bitwise_or.reduce(genre_mask[codes], axis=1)),
        block_genre_popularity=genre_popularity,
        block_popularity=index.block_max(popularity),
        block_audio=index.block_max(has_audio),
        max_popularity=float(popularity.max()) if len(popularity) else NEUTRAL,
        audio_mean=mean,
        audio_std=std,
    )


def catalog_index(catalog: Catalog) -> CatalogIndex:
    """The ranking tables of ``catalog``: built on first use, then kept as long as the catalog lives."""
    if not isinstance(catalog, Catalog):
        raise InputError(f"catalog must be a Catalog, got {type(catalog).__name__}")
    tables = _INDEXES.get(catalog)
    if tables is None:
        tables = _INDEXES[catalog] = _build(catalog)
    return tables


# --- one query ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Query:
    target: tuple[float, float]
    region: int  # MOODS index of the target's region (mood_quadrant), for the mood-label factor
    weights: np.ndarray  # (len(FACTORS),) effective weights
    genre_weights: np.ndarray  # (n_genres + 1,) weight per genre code, trailing 0 for code -1
    genre_bits: tuple[tuple[int, float], ...]  # (mask bit number, largest weight among its genres)
    reference: np.ndarray | None  # (len(SIMILARITY_FEATURES),) z-scored reference sound
    artist_codes: np.ndarray  # (a,) int32, sorted codes of the artist names crediting a weighted artist
    artist_affinity: np.ndarray  # (a,) their mean affinity over their credited artists, in [-1, 1]
    best_personal: float  # highest personal affinity any track can have
    static_max: float  # bound on the weighted sum of every factor but the mood fit, over all tracks

    def bound_beyond(self, distance: float) -> float:
        """Highest total a track at least ``distance`` from the target can reach."""
        return float(self.weights[_MOOD] * _mood_fit(distance) + self.static_max) + _BOUND_SLACK

    def radius(self, bar: float) -> float:
        """Distance beyond which no track reaches ``bar``; inf when a track at any distance might."""
        fit = (bar - self.static_max) / self.weights[_MOOD] if self.weights[_MOOD] > 0 else 0.0
        if fit <= 0:
            return math.inf
        return MOOD_SIGMA * math.sqrt(2.0 * max(-math.log(fit), 0.0))


def _mood_fit(distance: np.ndarray | float) -> np.ndarray:
    return np.exp(np.square(distance) * (-0.5 / MOOD_SIGMA**2))


def _check_target(target: object) -> tuple[float, float]:
    try:
        v, a = (float(x) for x in target)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        raise InputError(f"target must be a (valence, arousal) pair, got {target!r}") from None
    if not (abs(v) <= 1 and abs(a) <= 1):
        raise InputError(f"target valence and arousal must lie in [-1, 1], got ({v}, {a})")
    return v, a


def _check_weights(name: str, weights: object, lo: float, hi: float) -> Mapping[str, float]:
    if not isinstance(weights, Mapping):
        raise InputError(f"{name} must be a mapping of name → weight, got {type(weights).__name__}")
    for key, value in weights.items():
        if not isinstance(key, str) or isinstance(value, bool) or not isinstance(value, Real):
            raise InputError(f"{name} must map names to numbers, got {key!r}: {value!r}")
        if not (math.isfinite(number := float(value)) and lo <= number <= hi):
            allowed = "a finite number" if math.isinf(lo) else f"a number in [{lo}, {hi}]"
            raise InputError(f"{name}[{key!r}] must be {allowed}, got {value}")
    return weights


def _query(
    catalog: Catalog,
    tables: CatalogIndex,
    target: object,
    genre_weights: Mapping[str, float],
    artist_weights: Mapping[str, float] | None,
    seed_audio: np.ndarray | Sequence[float] | None,
) -> _Query:
    point = _check_target(target)
    # Genre weights are clipped to [0, 1] (documented): blends of mapping weights may stray by rounding.
    genre_weights = _check_weights("genre_weights", genre_weights, -math.inf, math.inf)
    dense = np.zeros(len(catalog.genre_names) + 1)
    for genre, weight in genre_weights.items():
        code = tables.genre_code.get(genre)
        if code is not None:
            dense[code] = min(max(float(weight), 0.0), 1.0)
    bits: dict[int, float] = {}
    for code in np.flatnonzero(dense[:-1] > 0).tolist():
        bit = int(tables.genre_bit[code])
        bits[bit] = max(bits.get(bit, 0.0), float(dense[code]))

    artist_codes, affinity = np.empty(0, dtype=np.int32), np.empty(0)
    if artist_weights is not None:
        folded = {
            name.strip().casefold(): float(weight)
            for name, weight in _check_weights("artist_weights", artist_weights, -1.0, 1.0).items()
        }
        known = [(tables.credit_ids[name], weight) for name, weight in folded.items() if name in tables.credit_ids]
        keys = np.array([key for key, _ in known], dtype=np.int64)
        values = np.array([weight for _, weight in known])
        if len(keys):
            # Per artist name crediting a weighted artist: the mean over its credits (0 for the others).
            order = np.argsort(keys)
            keys, values = keys[order], values[order]
            starts, stops = tables.credited_in[keys], tables.credited_in[keys + 1]
            artist_codes = np.unique(tables.credited_names[concat_ranges(starts, stops)])
            credits = tables.credits[artist_codes]
            slot = np.minimum(np.searchsorted(keys, credits), len(keys) - 1)
            hit = (credits >= 0) & (keys[slot] == credits)
            affinity = np.where(hit, values[slot], 0.0).sum(axis=1) / (credits >= 0).sum(axis=1)

    reference = _reference(catalog, tables, point, seed_audio)
    region = int(mood_quadrant(point)[0])
    active = np.array([True, tables.labels is not None, True, True, reference is not None, bool(artist_weights)])
    weights = np.array([FACTOR_WEIGHTS[f] for f in FACTORS]) * active
    weights /= weights.sum()
    best_personal = (1.0 + max(float(affinity.max(initial=0.0)), 0.0)) / 2.0
    static_max = float(
        weights[_LABEL] * (tables.labels.best[region] if tables.labels is not None else NEUTRAL)
        + weights[_GENRE] * dense.max(initial=0.0)
        + weights[_POPULARITY] * tables.max_popularity
        + weights[_AUDIO] * 1.0
        + weights[_PERSONAL] * best_personal
    )
    return _Query(
        point, region, weights, dense, tuple(bits.items()), reference, artist_codes, affinity, best_personal, static_max
    )


def _reference(
    catalog: Catalog, tables: CatalogIndex, target: tuple[float, float], seed_audio: object
) -> np.ndarray | None:
    if seed_audio is not None:
        seed = np.asarray(seed_audio, dtype=np.float64)
        if seed.shape != (len(AUDIO_FEATURES),):
            raise InputError(f"seed_audio must hold the {len(AUDIO_FEATURES)} AUDIO_FEATURES, got shape {seed.shape}")
        if np.isnan(seed[_SIMILARITY_COLUMNS]).all():
            raise InputError(f"seed_audio knows none of {', '.join(SIMILARITY_FEATURES)}")
    if tables.audio is None or tables.audio_index is None:
        return None
    if seed_audio is not None:
        reference = (seed[_SIMILARITY_COLUMNS] - tables.audio_mean) / tables.audio_std
    else:
        # Every track as near as the farthest neighbour too, so the reference does not depend on row order.
        neighbours = tables.audio_index.nearest(target, AUDIO_NEIGHBOURS, ties=True)
        z = tables.audio[tables.position[neighbours]].astype(np.float64)
        known = ~np.isnan(z)
        with np.errstate(invalid="ignore", divide="ignore"):
            reference = np.nansum(z, axis=0) / known.sum(axis=0)
    # Features that never vary in the catalog, or that the reference lacks, cannot be compared;
    # with none left the factor has nothing to say.
    return None if np.isnan(reference).all() else reference


# --- scores --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackScores:
    """Each factor of the score, per scored track.

    Every array has shape (m,): one value per row of ``rows``, or, when ``rows`` is None, per
    track of the catalog in catalog order (m = n).

    Attributes
    ----------
    distance : Euclidean distance to the target on the valence–arousal plane, in [0, 2√2].
    mood_fit, mood_label, genre_affinity, popularity, audio_similarity, personal_affinity :
        the factors (``FACTORS``), each in [0, 1]; 0.5 where a factor knows nothing of a track,
        and for every track when the factor is inactive.
    total : Σ weight · factor, in [0, 1].
    weights : factor name → the weight it had in ``total`` (0 when inactive).
    rows : the catalog rows scored, or None for all of them in catalog order.
    """

    distance: np.ndarray
    mood_fit: np.ndarray
    mood_label: np.ndarray
    genre_affinity: np.ndarray
    popularity: np.ndarray
    audio_similarity: np.ndarray
    personal_affinity: np.ndarray
    total: np.ndarray
    weights: Mapping[str, float]
    rows: np.ndarray | None = None

    def position(self, row: int) -> int:
        """Where catalog row ``row`` sits in the arrays; raises ``InputError`` if it was not scored."""
        if self.rows is None:
            if not 0 <= row < len(self.total):
                raise InputError(f"row {row} is not in a catalog of {len(self.total)} tracks")
            return row
        found = np.flatnonzero(self.rows == row)
        if not len(found):
            raise InputError(f"row {row} was not among the {len(self.rows)} tracks scored")
        return int(found[0])

    def factors(self, row: int) -> dict[str, float]:
        """Catalog row ``row``'s distance, factors and total, by name."""
        i = self.position(row)
        return {name: float(getattr(self, name)[i]) for name in ("distance", *FACTORS, "total")}


@dataclass(frozen=True)
class _Partial:
    """Every factor but the audio similarity, for the tracks at some index positions."""

    positions: np.ndarray
    squared_distance: np.ndarray
    mood_fit: np.ndarray
    mood_label: np.ndarray
    genre_affinity: np.ndarray
    popularity: np.ndarray
    personal_affinity: np.ndarray
    total: np.ndarray  # weighted sum without the audio similarity

    def take(self, keep: np.ndarray) -> _Partial:
        return _Partial(*(getattr(self, f)[keep] for f in self.__dataclass_fields__))


def _partial(tables: CatalogIndex, query: _Query, positions: np.ndarray) -> _Partial:
    points = tables.index.points[positions].astype(np.float64)
    # Squared distance: the mood fit needs no square root, and most tracks here are only bounded.
    squared = np.square(points[:, 0] - query.target[0]) + np.square(points[:, 1] - query.target[1])
    mood_fit = np.exp(squared * (-0.5 / MOOD_SIGMA**2))
    label = np.full(len(positions), NEUTRAL)
    if tables.labels is not None:
        label = _label_factor(tables.labels.codes[positions], tables.labels.certainty[positions], query.region)
    genre = query.genre_weights[tables.genre_codes[positions]].max(axis=1)
    popularity = tables.popularity[positions].astype(np.float64)
    personal = np.full(len(positions), NEUTRAL)
    if len(query.artist_codes):
        codes = tables.artist_codes[positions]
        slot = np.minimum(np.searchsorted(query.artist_codes, codes), len(query.artist_codes) - 1)
        personal = np.where(query.artist_codes[slot] == codes, (1.0 + query.artist_affinity[slot]) / 2.0, NEUTRAL)
    w = query.weights
    total = (
        w[_MOOD] * mood_fit
        + w[_LABEL] * label
        + w[_GENRE] * genre
        + w[_POPULARITY] * popularity
        + w[_PERSONAL] * personal
    )
    return _Partial(positions, squared, mood_fit, label, genre, popularity, personal, total)


def _sound_similarity(audio: np.ndarray, references: np.ndarray, unknown: float) -> np.ndarray:
    """exp(−msd / 2) of each row of ``audio`` (m, f) to each of ``references`` (r, f): shape (m, r).

    Both are z-scored float64 with NaN where unknown; ``msd`` is the mean squared difference
    over the features known for both, and a pair sharing no known feature gets ``unknown``.
    """
    # (m, r, f): each pair's sums run over the contiguous last axis, the same way whatever m and r
    # are, so a pair's value never depends on which other rows came along.
    diff = audio[:, None, :] - references[None, :, :]
    known = ~np.isnan(diff)
    count = known.sum(axis=2)
    msd = np.square(np.where(known, diff, 0.0)).sum(axis=2) / np.maximum(count, 1)
    return np.where(count > 0, np.exp(-msd / 2.0), unknown)


def _audio_similarity(tables: CatalogIndex, query: _Query, positions: np.ndarray) -> np.ndarray:
    if query.reference is None or tables.audio is None:
        return np.full(len(positions), NEUTRAL)
    return _sound_similarity(tables.audio[positions].astype(np.float64), query.reference[None], NEUTRAL)[:, 0]


def _complete(query: _Query, partial: _Partial, audio: np.ndarray, rows: np.ndarray | None) -> TrackScores:
    total = partial.total + query.weights[_AUDIO] * audio
    return TrackScores(
        distance=np.sqrt(partial.squared_distance),
        mood_fit=partial.mood_fit,
        mood_label=partial.mood_label,
        genre_affinity=partial.genre_affinity,
        popularity=partial.popularity,
        audio_similarity=audio,
        personal_affinity=partial.personal_affinity,
        total=np.clip(total, 0.0, 1.0),
        weights=MappingProxyType(dict(zip(FACTORS, query.weights.tolist(), strict=True))),
        rows=rows,
    )


def _check_rows(catalog: Catalog, rows: object, name: str) -> np.ndarray:
    array = np.asarray(rows if rows is not None else (), dtype=np.int64).reshape(-1)
    if len(array) and (array.min() < 0 or array.max() >= len(catalog)):
        raise InputError(f"{name} must be catalog rows in [0, {len(catalog)})")
    return array


def score_tracks(
    catalog: Catalog,
    target: tuple[float, float],
    genre_weights: Mapping[str, float],
    *,
    artist_weights: Mapping[str, float] | None = None,
    seed_audio: np.ndarray | Sequence[float] | None = None,
    candidates: np.ndarray | Sequence[int] | None = None,
) -> TrackScores:
    """Score tracks of ``catalog`` against a mood target (see the module docstring).

    Parameters
    ----------
    catalog : n tracks.
    target : (valence, arousal) to aim at, each in [-1, 1].
    genre_weights : genre → weight (as from ``EmotionMapping.genre_weights``, possibly
        personalised); clipped to [0, 1]; genres absent from the catalog are ignored.
    artist_weights : artist key (``artist_keys``) → the listener's affinity in [-1, 1], as
        ``personalization.personalize`` gives; None or empty leaves the factor inactive.
    seed_audio : (len(AUDIO_FEATURES),) raw audio features of a track to sound like (NaN for
        unknown); None uses the sound of the target's neighbourhood.
    candidates : (m,) catalog rows to score; None scores every track (an exhaustive scan).

    Returns
    -------
    TrackScores over ``candidates`` (``rows`` set), or over every track (``rows`` None).

    Raises
    ------
    InputError
        A target outside [-1, 1]², a non-finite weight or an artist weight outside [-1, 1],
        a malformed ``seed_audio`` or a row outside the catalog.
    """
    tables = catalog_index(catalog)
    query = _query(catalog, tables, target, genre_weights, artist_weights, seed_audio)
    if candidates is not None:
        rows = _check_rows(catalog, candidates, "candidates")
        positions = tables.position[rows]
        return _complete(query, _partial(tables, query, positions), _audio_similarity(tables, query, positions), rows)
    # Every track: scored in index order, a slice at a time (the temporaries of ten million rows
    # at once would take gigabytes), then put in catalog order.
    pieces = []
    for start in range(0, len(catalog), _SCAN_CHUNK):
        positions = np.arange(start, min(start + _SCAN_CHUNK, len(catalog)))
        partial = _partial(tables, query, positions)
        pieces.append(_complete(query, partial, _audio_similarity(tables, query, positions), None))
    columns = {
        name: np.concatenate([getattr(piece, name) for piece in pieces])[tables.position] if pieces else np.empty(0)
        for name in ("distance", *FACTORS, "total")
    }
    return TrackScores(**columns, weights=MappingProxyType(dict(zip(FACTORS, query.weights.tolist(), strict=True))))


# --- diverse selection ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _History:
    """Earlier picks of the list: rows taken, how often each artist key and primary genre was, their sound.

    ``rows`` are the earlier picks as given (a row given twice counts twice); ``sounds`` is
    (p, f) float64, the z-scored audio features of the p distinct rows taken (NaN where
    unknown); (0, 0) when the catalog has no audio features.
    """

    rows: np.ndarray
    taken: np.ndarray
    artists: Counter[int]
    genres: Counter[int]
    sounds: np.ndarray

    @classmethod
    def of(cls, catalog: Catalog, tables: CatalogIndex, previous: np.ndarray) -> _History:
        credits = tables.credits[catalog.artist_codes[previous]]
        primary = catalog.genre_codes[previous, 0]
        taken = np.unique(previous)
        sounds = np.empty((0, 0))
        if tables.audio is not None:
            sounds = tables.audio[tables.position[taken]].astype(np.float64)
        return cls(
            previous, taken, Counter(credits[credits >= 0].tolist()), Counter(primary[primary >= 0].tolist()), sounds
        )

    def extended(self, catalog: Catalog, tables: CatalogIndex, picks: list[tuple[int, float]]) -> _History:
        """This history with ``picks`` (catalog row, score) added after it."""
        return _History.of(catalog, tables, np.concatenate([self.rows, [row for row, _ in picks]]).astype(np.int64))


def _by_score(catalog: Catalog, rows: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Positions sorting ``rows`` by total (best first), ties by track id."""
    order = np.argsort(-total, kind="stable")
    ranked = total[order]
    tied = np.flatnonzero(ranked[1:] == ranked[:-1])
    if len(tied):
        # Only the runs of equal totals need their ids compared.
        spots = np.union1d(tied, tied + 1)
        order[spots] = order[spots][np.lexsort((catalog.ids[rows[order[spots]]], -ranked[spots]))]
    return order


@dataclass(frozen=True)
class _Diversity:
    """The rules of the selection (see ``select_diverse``)."""

    max_per_artist: int
    genre_penalty: float
    sound_penalty: float


def _greedy(
    catalog: Catalog,
    tables: CatalogIndex,
    rows: np.ndarray,
    total: np.ndarray,
    k: int,
    rules: _Diversity,
    bound: float,
    history: _History,
) -> tuple[list[tuple[int, float]], bool]:
    """Greedy picks among catalog ``rows`` scored ``total``, and whether they are certain.

    Uncertain (False) when some step's best adjusted score does not beat ``bound``, the
    highest total a track left out may have; the picks made up to then come back (each of
    them certain).

    A track's adjusted score is ``total − genre_penalty · (earlier picks of its primary genre)
    − sound_penalty · (its likeness beyond chance to its closest earlier pick)``, computed
    afresh from that count and that maximum, so it depends only on which tracks were picked
    before, never on the order of the arithmetic that got there.
    """
    if not len(rows):
        return [], bound == -math.inf
    order = _by_score(catalog, rows, total)
    rows = rows[order]
    total = total[order].astype(np.float64)
    positions = tables.position[rows]
    primary = tables.genre_codes[positions, 0]
    credits = tables.credits[tables.artist_codes[positions]]
    eligible = ~np.isin(rows, history.taken) if len(history.taken) else np.ones(len(rows), dtype=bool)
    artists, genres = Counter(history.artists), Counter(history.genres)
    for code, count in artists.items():
        if count >= rules.max_per_artist:
            eligible &= ~(credits == code).any(axis=1)
    repeats = np.zeros(len(rows))
    for code, count in genres.items():
        repeats[primary == code] = count
    adjusted = total - rules.genre_penalty * repeats
    # Sound, lazily: `similar` is each track's likeness beyond chance to its closest one among the
    # first `seen` of the earlier picks' sounds (`earlier`). Further picks can only raise it, so a
    # score computed with fewer of them bounds the true one from above, and only the tracks that
    # might be the best need comparing. A track without audio features is like nothing: never stale.
    sounds = tables.audio[positions].astype(np.float64) if tables.audio is not None and rules.sound_penalty else None
    earlier = list(history.sounds) if sounds is not None else []
    similar, seen = np.zeros(len(rows)), np.zeros(len(rows), dtype=np.int64)
    if sounds is not None:
        seen[~tables.has_audio[positions]] = np.iinfo(np.int64).max
    # The adjusted scores as they stand (upper bounds where `seen` lags), -inf for the ineligible.
    candidates = np.where(eligible, adjusted - rules.sound_penalty * similar, -np.inf)
    descending = -total  # ascending: where tracks with a total of at least x end is a binary search

    def compare(sounds: np.ndarray, tracks: np.ndarray) -> None:
        """Bring ``tracks`` (eligible, stale) up to date with every earlier sound, in place."""
        if not len(tracks):
            return
        # From the sound the least up-to-date of them has not seen: comparing a pair again is
        # harmless (the same value, and the maximum keeps it) and cheaper than grouping.
        likeness = _sound_similarity(sounds[tracks], np.array(earlier[int(seen[tracks].min()) :]), _CHANCE)
        beyond_chance = (likeness.max(axis=1) - _CHANCE) / (1.0 - _CHANCE)
        similar[tracks] = np.maximum(similar[tracks], beyond_chance)
        seen[tracks] = len(earlier)
        candidates[tracks] = adjusted[tracks] - rules.sound_penalty * similar[tracks]

    picks: list[tuple[int, float]] = []
    while len(picks) < k:
        # The first eligible tracks in order (the best totals) give a score the best reaches at least;
        # a track whose total (its score before any penalty) is below that cannot beat it, so only
        # the tracks before `reach` count, and among them only those whose bound reaches it need
        # to be up to date. The best of them is then exact, and first in order among equals: the
        # best score, ties broken as a full pass would.
        head = np.flatnonzero(eligible[: 4 * _LAZY_BATCH])[:_LAZY_BATCH]
        if not len(head):
            head = np.flatnonzero(eligible)[:_LAZY_BATCH]
        if not len(head):
            return picks, bound == -math.inf
        if sounds is not None and (seen[head] < len(earlier)).all():
            compare(sounds, head)
        floor = float(candidates[head][seen[head] >= len(earlier)].max())
        reach = int(np.searchsorted(descending, -floor, side="right"))
        if sounds is not None:
            stale = np.flatnonzero((seen[:reach] < len(earlier)) & (candidates[:reach] >= floor))
            compare(sounds, stale)
        j = int(np.argmax(candidates[:reach]))
        # Tracks left out are unpenalised at most `bound`; on a tie their id might win.
        if candidates[j] <= bound:
            return picks, False
        picks.append((int(rows[j]), float(candidates[j])))
        eligible[j], candidates[j] = False, -np.inf
        for code in credits[j][credits[j] >= 0].tolist():
            artists[code] += 1
            if artists[code] >= rules.max_per_artist:
                spent = (credits == code).any(axis=1)
                eligible &= ~spent
                candidates[spent] = -np.inf
        if (genre := int(primary[j])) >= 0:
            genres[genre] += 1
            same = np.flatnonzero((primary == genre) & eligible)
            adjusted[same] = total[same] - rules.genre_penalty * genres[genre]
            candidates[same] = adjusted[same] - rules.sound_penalty * similar[same]
        if sounds is not None:
            earlier.append(sounds[j])
    return picks, True


def _check_selection(k: int, max_per_artist: int, genre_penalty: float, sound_penalty: float) -> _Diversity:
    for name, value in (("k", k), ("max_per_artist", max_per_artist)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InputError(f"{name} must be an integer >= 1, got {value!r}")
    # A negative penalty would raise scores, and the bounds that make retrieval exact assume it cannot.
    for name, penalty in (("genre_penalty", genre_penalty), ("sound_penalty", sound_penalty)):
        if isinstance(penalty, bool) or not isinstance(penalty, Real) or not 0 <= float(penalty) < math.inf:
            raise InputError(f"{name} must be a finite number >= 0, got {penalty!r}")
    return _Diversity(max_per_artist, float(genre_penalty), float(sound_penalty))


def select_diverse(
    catalog: Catalog,
    total: np.ndarray,
    k: int,
    *,
    candidates: np.ndarray | Sequence[int] | None = None,
    max_per_artist: int = 1,
    genre_penalty: float = GENRE_REPEAT_PENALTY,
    sound_penalty: float = SOUND_REPEAT_PENALTY,
    previous: np.ndarray | Sequence[int] = (),
) -> list[tuple[int, float]]:
    """Pick up to ``k`` tracks, best first, with the artist limit and the genre- and sound-repeat penalties.

    An exact greedy over ``candidates``; it reads only as much of the ranking as the picks need.

    Parameters
    ----------
    catalog : n tracks.
    total : (m,) scores to rank by (``TrackScores.total``), one per candidate.
    k : how many to pick (fewer come back if the artist limit leaves too few tracks), ≥ 1.
    candidates : (m,) catalog rows that ``total`` scores; None: every track, m = n.
    max_per_artist : picks allowed per credited artist, ≥ 1.
    genre_penalty : subtracted from a track's score for each earlier pick with its primary genre.
    sound_penalty : times a track's likeness beyond chance (in [0, 1], module docstring) to its
        closest earlier pick, subtracted from its score; nothing where the catalog has no audio
        features.
    previous : catalog rows already in the list (e.g. a journey's earlier steps): never picked
        again, and counted toward the artist limit and both penalties.

    Returns
    -------
    list of (catalog row, adjusted score) with adjusted scores non-increasing and ≥ 0.

    Raises
    ------
    InputError
        Bad ``k``, ``max_per_artist``, ``genre_penalty`` or ``sound_penalty``, a row outside the
        catalog, or ``total`` not one score per candidate.
    """
    rules = _check_selection(k, max_per_artist, genre_penalty, sound_penalty)
    rows = np.arange(len(catalog)) if candidates is None else _check_rows(catalog, candidates, "candidates")
    total = np.asarray(total, dtype=np.float64)
    if total.shape != rows.shape:
        raise InputError(f"expected {len(rows)} scores, one per candidate, got shape {total.shape}")
    if not len(rows):
        return []
    tables = catalog_index(catalog)
    history = _History.of(catalog, tables, _check_rows(catalog, previous, "previous"))
    picks = _select(catalog, tables, rows, total, k, rules, history)
    return [(row, max(score, 0.0)) for row, score in picks]


def _select(
    catalog: Catalog,
    tables: CatalogIndex,
    rows: np.ndarray,
    total: np.ndarray,
    k: int,
    rules: _Diversity,
    history: _History,
) -> list[tuple[int, float]]:
    """``_greedy`` over ``rows``, reading only the top of their ranking as far as the picks need.

    The greedy runs on the best ``size`` tracks with the best total below them as its bound;
    the slice grows ×4 until the picks are certain or it holds every row, each round going
    on from the picks the last one made (each of them certain) as earlier picks. The picks
    equal a plain greedy over ``rows``.
    """
    size = min(len(rows), max(_SLICE_MIN, _SLICE_PER_PICK * k) + len(history.taken))
    picks: list[tuple[int, float]] = []
    while True:
        if size >= len(rows):
            inside, bound = np.arange(len(rows)), -math.inf
        else:
            threshold = np.partition(total, len(rows) - size)[len(rows) - size]
            # Everything tied with the threshold comes in, so the id tie-break sees all ties.
            inside = np.flatnonzero(total >= threshold)
            bound = float(total[total < threshold].max(initial=-math.inf))
        more, certain = _greedy(catalog, tables, rows[inside], total[inside], k - len(picks), rules, bound, history)
        picks += more
        if certain or size >= len(rows):
            return picks
        # The picks made are certain: go on from them with more of the ranking.
        if more:
            history = history.extended(catalog, tables, more)
        size = min(len(rows), size * 4)


# --- retrieval -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedTracks:
    """The result of ``rank_tracks``.

    Attributes
    ----------
    picks : (catalog row, adjusted score) best first, adjusted scores non-increasing and ≥ 0.
    scores : the factors of the tracks scored in full in the last pass (the picks among them).
    examined : tracks whose factors other than the audio similarity were read, over all passes
        (a measure of the work done; the catalog size for a full scan).
    """

    picks: list[tuple[int, float]]
    scores: TrackScores
    examined: int


def _liked_blocks(tables: CatalogIndex, query: _Query) -> np.ndarray:
    """Sorted numbers of the blocks holding a track by an artist the listener likes (affinity > 0)."""
    liked = query.artist_codes[query.artist_affinity > 0]
    positions = tables.by_artist[concat_ranges(tables.by_artist_in[liked], tables.by_artist_in[liked + 1])]
    return np.unique(np.searchsorted(tables.index.block_starts, positions, side="right") - 1)


def _block_bounds(
    tables: CatalogIndex, query: _Query, blocks: np.ndarray, distance: np.ndarray, liked: np.ndarray, bar: float
) -> np.ndarray:
    """Upper bound of the total of any track in each of ``blocks``, shape (len(blocks),).

    ``distance`` : each block's ``block_distance`` to the target.
    ``liked`` : sorted blocks that may hold a track with a personal affinity above neutral.
    Bounds below ``bar`` may be returned looser (still bounds, still below ``bar``): the
    genre-by-genre part is worked out only for the blocks a coarser bound lets through.
    """
    w = query.weights
    personal: np.ndarray | float = NEUTRAL
    if len(liked):
        slot = np.minimum(np.searchsorted(liked, blocks), len(liked) - 1)
        personal = np.where(liked[slot] == blocks, query.best_personal, NEUTRAL)
    popularity = tables.block_popularity[blocks]
    rest = (
        w[_MOOD] * _mood_fit(distance)
        + w[_AUDIO] * np.where(tables.block_audio[blocks], 1.0, NEUTRAL)
        + w[_PERSONAL] * personal
    )
    if tables.labels is not None:
        rest += w[_LABEL] * tables.labels.block_best[query.region, blocks]
    bounds = rest + w[_POPULARITY] * popularity + w[_GENRE] * query.genre_weights.max(initial=0.0)
    open_ = np.flatnonzero(bounds >= bar)
    # Genre and popularity together: a track without a liked genre scores at most the block's
    # best popularity; one with genre bit j at most its weight plus the best popularity under j.
    blocks, masks = blocks[open_], tables.block_genres[blocks[open_]]
    static = w[_POPULARITY] * popularity[open_]
    for bit, weight in query.genre_bits:
        has = (masks >> np.uint64(bit)) & np.uint64(1) == 1
        under = w[_GENRE] * weight + w[_POPULARITY] / 255.0 * tables.block_genre_popularity[bit, blocks]
        static = np.where(has, np.maximum(static, under), static)
    bounds[open_] = rest[open_] + static
    return bounds + _BOUND_SLACK


def _track_bounds(tables: CatalogIndex, query: _Query, partial: _Partial) -> np.ndarray:
    """Upper bound of each track's total: exact but for the audio similarity (1, or 0.5 without features)."""
    audio_bound = np.where(tables.has_audio[partial.positions], 1.0, NEUTRAL)
    return partial.total + query.weights[_AUDIO] * audio_bound + _BOUND_SLACK


def _scored(tables: CatalogIndex, query: _Query, partial: _Partial) -> tuple[TrackScores, np.ndarray]:
    rows = tables.index.order[partial.positions]
    return _complete(query, partial, _audio_similarity(tables, query, partial.positions), rows), rows


def candidate_pool(k: int, previous: int = 0) -> int:
    """How many of the best tracks by total ``rank_tracks`` selects ``k`` from: max(200, 20 · k) + ``previous``.

    ``previous`` is the number of distinct earlier picks, which the pool may hold but the
    selection skips.
    """
    return max(POOL_MIN, POOL_PER_PICK * k) + previous


def rank_tracks(
    catalog: Catalog,
    target: tuple[float, float],
    genre_weights: Mapping[str, float],
    k: int,
    *,
    artist_weights: Mapping[str, float] | None = None,
    seed_audio: np.ndarray | Sequence[float] | None = None,
    max_per_artist: int = 1,
    genre_penalty: float = GENRE_REPEAT_PENALTY,
    sound_penalty: float = SOUND_REPEAT_PENALTY,
    previous: np.ndarray | Sequence[int] = (),
) -> RankedTracks:
    """The ``k`` best tracks for a mood target, diverse, found through the index.

    Equal, for every input, to ``select_diverse`` over the ``candidate_pool(k, p)`` best
    tracks of the exhaustive scan ``score_tracks(catalog, target, …).total`` (ties by track
    id; p the distinct ``previous`` rows), the pool growing ×4 while it yields fewer than
    ``k`` picks and the catalog has more tracks: see "Retrieval" in the module docstring.
    It scores only the tracks that could be in the pool.

    Parameters
    ----------
    catalog, target, genre_weights, artist_weights, seed_audio : as for ``score_tracks``.
    k, max_per_artist, genre_penalty, sound_penalty, previous : as for ``select_diverse``.

    Returns
    -------
    RankedTracks: the picks, and the factors of the tracks scored in full (the picks among them).

    Raises
    ------
    InputError
        As ``score_tracks`` and ``select_diverse`` do for their arguments.
    """
    rules = _check_selection(k, max_per_artist, genre_penalty, sound_penalty)
    tables = catalog_index(catalog)
    query = _query(catalog, tables, target, genre_weights, artist_weights, seed_audio)
    history = _History.of(catalog, tables, _check_rows(catalog, previous, "previous"))
    if not len(catalog):
        scores, _ = _scored(tables, query, _partial(tables, query, np.empty(0, dtype=np.int64)))
        return RankedTracks([], scores, 0)
    liked = _liked_blocks(tables, query)
    size, examined = candidate_pool(k, len(history.taken)), 0
    while True:
        scores, rows, pool, read = _best_tracks(catalog, tables, query, liked, size)
        examined += read
        picks = _select(catalog, tables, rows[pool], scores.total[pool], k, rules, history)
        # The artist limit and earlier picks may leave too few eligible tracks in the pool.
        if len(picks) == k or len(pool) == len(scores.total) == len(catalog):
            return RankedTracks([(row, max(score, 0.0)) for row, score in picks], scores, examined)
        size *= 4


def _best_tracks(
    catalog: Catalog, tables: CatalogIndex, query: _Query, liked: np.ndarray, size: int
) -> tuple[TrackScores, np.ndarray, np.ndarray, int]:
    """The ``size`` best tracks by total (ties by track id), exactly, through the index.

    Returns the scores of every track scored in full, their catalog rows, the positions of
    the ``size`` best among them (best first; all of them when the catalog is smaller) and how
    many tracks were read.
    """
    index = tables.index
    # (1) A first guess of the size-th best total, from the best-bounded tracks around the target
    # and the nearest ones (the two differ when, say, one liked artist fills the former).
    wide = _GUESS_SPREAD * size
    reach = int(math.sqrt(wide / max(len(index) / index.side**2, 1e-9)) / 2)
    window = index.window(query.target, reach)
    while len(window.positions) < min(2 * wide, len(index)):
        reach = 2 * reach + 1
        window = index.window(query.target, reach)
    distance = index.block_distance(query.target, window.blocks)
    bounds = _block_bounds(tables, query, window.blocks, distance, liked, -math.inf)
    by_bound = window.blocks[np.argsort(-bounds, kind="stable")]
    by_distance = window.blocks[np.argsort(distance, kind="stable")]
    sizes = np.diff(index.block_starts)
    first = [
        blocks[: int(np.searchsorted(np.cumsum(sizes[blocks]), count)) + 1]
        for blocks, count in ((by_bound, wide), (by_distance, size))
    ]
    partial = _partial(tables, query, index.block_positions(np.union1d(*first)))
    examined = len(partial.positions)
    best = np.argsort(-_track_bounds(tables, query, partial), kind="stable")[:size]
    nearest = np.argsort(partial.squared_distance, kind="stable")[:size]
    guess, _ = _scored(tables, query, partial.take(np.union1d(best, nearest)))
    # The size-th best of a subset is at most the size-th best of the catalog.
    bar = float(np.partition(guess.total, len(guess.total) - size)[-size]) if len(guess.total) >= size else -math.inf
    # (2) Every track whose bound reaches the bar, scored in full. The size best all reach it, so
    # one pass settles it; the check below only guards the argument against rounding.
    step = _STEP
    while True:
        radius = query.radius(bar)
        reach = index.side if radius == math.inf else int(math.ceil(radius * index.side / 2.0))
        window = index.window(query.target, reach)
        while window.clearance < radius:
            reach += 1
            window = index.window(query.target, reach)
        distance = index.block_distance(query.target, window.blocks)
        bounds = _block_bounds(tables, query, window.blocks, distance, liked, bar)
        keep = bounds >= bar
        partial = _partial(tables, query, index.block_positions(window.blocks[keep]))
        examined += len(partial.positions)
        track_bounds = _track_bounds(tables, query, partial)
        close = track_bounds >= bar
        left_out = max(
            float(bounds[~keep].max(initial=-math.inf)),
            float(track_bounds[~close].max(initial=-math.inf)),
            query.bound_beyond(window.clearance) if window.clearance < math.inf else -math.inf,
        )
        scores, rows = _scored(tables, query, partial.take(close))
        pool = _by_score(catalog, rows, scores.total)[:size]
        # Certain when everything left out scores below the pool's last track (nothing is left
        # out at all once the bar is -inf).
        if left_out == -math.inf or (len(pool) == size and scores.total[pool[-1]] > left_out):
            return scores, rows, pool, examined
        bar -= step
        step *= 2
        if bar <= 0.0:
            bar = -math.inf
