"""Ranking: the six factors, the indexed retrieval (exact pool, then the diverse pick), diversity with history."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from moodtune.errors import CatalogError, InputError
from moodtune.music import Catalog, Track
from moodtune.music.ranking import (
    AUDIO_NEIGHBOURS,
    FACTOR_WEIGHTS,
    FACTORS,
    GENRE_REPEAT_PENALTY,
    MOOD_SIGMA,
    NEUTRAL,
    SOUND_REPEAT_PENALTY,
    artist_keys,
    candidate_pool,
    catalog_index,
    mood_quadrant,
    rank_tracks,
    score_tracks,
    select_diverse,
)
from moodtune.music.track import AUDIO_FEATURES, MOODS

GENRES = tuple(f"g{i}" for i in range(40))


def _random_catalog(rng: np.random.Generator, n: int, *, audio_share: float | None = None) -> Catalog:
    """Clustered valence/arousal (some rounded, so scores tie), joint credits, unknown popularity, NaN audio,
    mood labels (in half the catalogs) given with the data set or estimated with a probability, or none."""
    n_artists = max(1, n // 4)
    names = [f"Artist {i}" if i % 9 else f"Artist {i}, artist {i + 1}" for i in range(n_artists)]
    centres = rng.uniform(-0.8, 0.8, (4, 2))
    va = np.clip(centres[rng.integers(0, 4, n)] + rng.normal(0, 0.25, (n, 2)), -1, 1)
    if rng.random() < 0.5:
        va = va.round(1)
    genres = rng.integers(-1, len(GENRES), (n, 3)).astype(np.int32)
    popularity = rng.random(n).round(1)
    popularity[rng.random(n) < 0.3] = np.nan
    audio = rng.normal(0.5, 0.2, (n, len(AUDIO_FEATURES)))
    audio[rng.random(n) >= (rng.random() if audio_share is None else audio_share)] = np.nan
    audio[rng.random(audio.shape) < 0.1] = np.nan
    moods = np.full(n, -1)
    probability = np.full(n, np.nan)
    if rng.random() < 0.5:
        moods = rng.integers(-1, len(MOODS), n)
        estimated = rng.random(n) < 0.5
        probability[estimated] = rng.random(int(estimated.sum())).round(1)
    return Catalog.from_arrays(
        ids=np.array([f"id{rng.integers(10**9)}-{i}" for i in range(n)]),
        titles=np.array([f"Song {i}" for i in range(n)]),
        artist_codes=rng.integers(0, n_artists, n),
        artist_names=names,
        va=va,
        genre_codes=genres,
        genre_names=GENRES,
        popularity=popularity,
        audio=audio,
        mood_codes=moods,
        mood_probability=probability,
    )


def _random_query(rng: np.random.Generator, n: int) -> dict:
    return {
        "target": (float(rng.uniform(-1, 1)), float(rng.uniform(-1, 1))),
        "genre_weights": {str(rng.choice(GENRES)): float(rng.random()) for _ in range(int(rng.integers(0, 8)))},
        "artist_weights": (
            {f"artist {i}": float(rng.uniform(-1, 1)) for i in rng.integers(0, max(1, n // 4), 6)}
            if rng.random() < 0.5
            else None
        ),
        "seed_audio": rng.normal(0.5, 0.2, len(AUDIO_FEATURES)) if rng.random() < 0.2 else None,
    }


def _pooled_scan(
    catalog: Catalog, total: np.ndarray, k: int, previous: np.ndarray, **rules: float
) -> list[tuple[int, float]]:
    """The contract of rank_tracks written out by brute force: select_diverse over the best
    candidate_pool(k, p) of every track's total (ties by id), the pool growing ×4 while it yields
    fewer than k picks."""
    order = np.lexsort((catalog.ids, -total))
    size = candidate_pool(k, len(np.unique(previous)))
    while True:
        pool = order[:size]
        picks = select_diverse(catalog, total[pool], k, candidates=pool, previous=previous, **rules)
        if len(picks) == k or size >= len(catalog):
            return picks
        size *= 4


@pytest.mark.parametrize("seed", range(100))
def test_indexed_ranking_equals_the_pooled_scan(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 5000))
    catalog = _random_catalog(rng, n)
    for _ in range(3):
        query = _random_query(rng, n)
        k, cap = int(rng.integers(1, 25)), int(rng.integers(1, 4))
        previous = rng.integers(0, n, int(rng.integers(0, 4)))
        # Diversity as shipped, none in sound, or a heavy penalty on sound (stronger than any factor).
        rules = {"max_per_artist": cap, "sound_penalty": float(rng.choice([SOUND_REPEAT_PENALTY, 0.0, 0.5]))}
        full = score_tracks(catalog, **query)
        ranked = rank_tracks(catalog, k=k, previous=previous, **rules, **query)
        assert ranked.picks == _pooled_scan(catalog, full.total, k, previous, **rules)
        # The factors handed back are the exhaustive scan's, track for track.
        for row, _ in ranked.picks:
            assert ranked.scores.factors(row) == full.factors(row)


def test_a_small_catalog_is_one_pool_and_equals_the_exhaustive_scan() -> None:
    rng = np.random.default_rng(5)
    catalog = _random_catalog(rng, candidate_pool(10), audio_share=0.5)
    query = {"target": (-0.2, 0.4), "genre_weights": {"g3": 1.0}}
    ranked = rank_tracks(catalog, k=10, **query)
    assert ranked.picks == select_diverse(catalog, score_tracks(catalog, **query).total, 10)


def test_the_pool_grows_when_the_artist_limit_empties_it() -> None:
    # Every track of the best pool is by one artist: one pick from it, the rest from further down.
    n = 3 * candidate_pool(3)
    tracks = [
        _track(i, 0.5, 0.5, artist="star" if i < n // 2 else f"band {i}", genres=("pop",), popularity=0.5)
        for i in range(n)
    ]
    catalog = Catalog.from_tracks(tracks)
    ranked = rank_tracks(catalog, (0.5, 0.5), {"pop": 1.0}, 3)
    assert len(ranked.picks) == 3
    assert [catalog.track(row).artist for row, _ in ranked.picks].count("star") == 1


def test_the_index_scores_only_part_of_a_large_catalog() -> None:
    rng = np.random.default_rng(11)
    catalog = _random_catalog(rng, 40_000, audio_share=0.5)
    query = {"target": (0.3, -0.2), "genre_weights": {"g1": 1.0, "g2": 0.5}}
    ranked = rank_tracks(catalog, k=10, **query)
    assert ranked.picks == _pooled_scan(catalog, score_tracks(catalog, **query).total, 10, np.empty(0, dtype=np.int64))
    assert len(ranked.scores.total) < len(catalog) // 10
    assert ranked.examined < len(catalog) // 2


@pytest.mark.parametrize("seed", range(10))
def test_factors_lie_in_zero_one_and_make_the_total(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    catalog = _random_catalog(rng, int(rng.integers(1, 500)))
    scores = score_tracks(catalog, **_random_query(rng, len(catalog)))
    assert sum(scores.weights.values()) == pytest.approx(1.0)
    expected = sum(scores.weights[f] * getattr(scores, f) for f in FACTORS)
    assert np.allclose(scores.total, expected)
    for name in (*FACTORS, "total"):
        values = getattr(scores, name)
        assert values.shape == (len(catalog),)
        assert np.isfinite(values).all() and (values >= 0).all() and (values <= 1).all(), name
    assert (scores.distance >= 0).all() and (scores.distance <= 2 * np.sqrt(2)).all()


def _track(i: int, v: float, a: float, **kwargs) -> Track:
    fields = {"artist": f"Artist {i}", "year": 2000, "genres": ("indie",)} | kwargs
    return Track(id=f"t{i:03d}", title=f"Song {i}", valence=v, arousal=a, **fields)


def test_without_audio_or_listener_the_weights_are_seven_two_one() -> None:
    catalog = Catalog.from_tracks([_track(i, 0.1 * i, 0.0, popularity=0.5) for i in range(5)])
    scores = score_tracks(catalog, (0.0, 0.0), {"indie": 1.0})
    assert dict(scores.weights) == pytest.approx(
        {
            "mood_fit": 0.7,
            "mood_label": 0.0,
            "genre_affinity": 0.2,
            "popularity": 0.1,
            "audio_similarity": 0.0,
            "personal_affinity": 0.0,
        }
    )
    for factor in ("mood_label", "audio_similarity", "personal_affinity"):
        assert (getattr(scores, factor) == NEUTRAL).all(), factor
    assert scores.mood_fit[0] == 1.0 and scores.mood_fit[4] == pytest.approx(np.exp(-0.16 / (2 * 0.35**2)))


def test_genre_affinity_is_the_best_weight_clipped() -> None:
    catalog = Catalog.from_tracks(
        [_track(0, 0, 0, genres=("rock", "jazz")), _track(1, 0, 0, genres=("polka",)), _track(2, 0, 0, genres=())]
    )
    scores = score_tracks(catalog, (0.0, 0.0), {"rock": 0.3, "jazz": 1.7, "polka": -2.0})
    assert scores.genre_affinity.tolist() == [1.0, 0.0, 0.0]
    with pytest.raises(InputError, match="finite"):
        score_tracks(catalog, (0.0, 0.0), {"rock": float("nan")})


def test_quadrant_borders() -> None:
    points = [(0.5, 0.5), (-0.5, 0.5), (-0.5, -0.5), (0.5, -0.5), (0.0, 0.0), (0.0, 0.1), (-0.1, 0.0)]
    assert [MOODS[m] for m in mood_quadrant(np.array(points))] == [
        "Happy",
        "Energetic",
        "Sad",
        "Calm",
        "Calm",  # the origin: valence 0 counts as positive, arousal 0 as not aroused
        "Happy",
        "Sad",
    ]
    assert mood_quadrant((0.81, 0.51)).tolist() == [MOODS.index("Happy")]


def test_mood_label_agrees_with_the_target_region_by_its_probability() -> None:
    # Target (0.5, 0.5) lies in Happy's region. Human labels count as certain, the model's by
    # their probability, a track without a label not at all.
    tracks = [
        _track(0, 0.5, 0.5, mood="Happy"),
        _track(1, 0.5, 0.5, mood="Sad"),
        _track(2, 0.5, 0.5, mood="Happy", mood_probability=0.6),
        _track(3, 0.5, 0.5, mood="Calm", mood_probability=0.6),
        _track(4, 0.5, 0.5),
    ]
    scores = score_tracks(Catalog.from_tracks(tracks), (0.5, 0.5), {})
    assert scores.mood_label.tolist() == pytest.approx([1.0, 0.0, 0.8, 0.2, NEUTRAL])
    assert scores.weights["mood_label"] / scores.weights["mood_fit"] == pytest.approx(1 - math.exp(-0.5))
    assert FACTOR_WEIGHTS["mood_label"] == pytest.approx(0.56 * (1 - math.exp(-0.5)))
    # In Sad's region the same labels say the opposite.
    sad = score_tracks(Catalog.from_tracks(tracks), (-0.5, -0.5), {})
    assert sad.mood_label.tolist() == pytest.approx([0.0, 1.0, 0.2, 0.2, NEUTRAL])


@pytest.mark.parametrize(("distance", "label_wins"), [(0.9 * MOOD_SIGMA, True), (1.1 * MOOD_SIGMA, False)])
def test_a_certain_label_is_worth_one_kernel_width(distance: float, label_wins: bool) -> None:
    # At the target, a track with another label; σ·0.9 (or 1.1) away, one with the target's label.
    target = (0.5, 0.5)
    tracks = [_track(0, *target, mood="Sad"), _track(1, target[0] - distance, target[1], mood="Happy")]
    ranked = rank_tracks(Catalog.from_tracks(tracks), target, {}, 1)
    assert (ranked.picks[0][0] == 1) is label_wins


def test_mood_probabilities_outside_zero_one_are_a_catalog_error() -> None:
    catalog = Catalog.from_arrays(
        ids=["a", "b"],
        titles=["A", "B"],
        artist_codes=np.array([0, 0]),
        artist_names=["X"],
        va=np.zeros((2, 2), dtype=np.float32),
        mood_codes=np.array([0, 1]),
        mood_probability=np.array([np.nan, 1.5]),
    )
    with pytest.raises(CatalogError, match="mood_probability"):
        score_tracks(catalog, (0.0, 0.0), {})


def _audio(**values: float) -> tuple[float, ...]:
    return tuple(values.get(f, np.nan) for f in AUDIO_FEATURES)


def test_audio_similarity_is_to_the_sound_of_the_target_neighbourhood() -> None:
    # The target's neighbourhood sounds alike; one track a little farther sounds different, one has
    # no features, one knows only its energy (the neighbours').
    common = {"danceability": 0.5, "energy": 0.4, "acousticness": 0.6, "tempo": 100.0, "loudness": -10.0}
    near = [_track(i, 0.01 * i, 0.0, audio=_audio(**common)) for i in range(AUDIO_NEIGHBOURS + 5)]
    far = [_track(100 + i, 0.9, 0.9, audio=_audio(danceability=0.9, energy=0.95, acousticness=0.05)) for i in range(5)]
    odd = _track(200, 0.0, 0.3, audio=_audio(danceability=0.95, energy=0.99, acousticness=0.01, tempo=180.0))
    silent = _track(201, 0.0, 0.02)
    partial = _track(202, 0.0, 0.03, audio=_audio(energy=0.4))
    catalog = Catalog.from_tracks([*near, *far, odd, silent, partial])
    scores = score_tracks(catalog, (0.0, 0.0), {})
    by_id = {catalog.track(i).id: i for i in range(len(catalog))}
    assert scores.weights["audio_similarity"] > 0
    assert scores.audio_similarity[by_id["t000"]] == pytest.approx(1.0)
    assert scores.audio_similarity[by_id["t200"]] < 0.2
    assert scores.audio_similarity[by_id["t201"]] == NEUTRAL
    assert scores.audio_similarity[by_id["t202"]] == pytest.approx(1.0)  # compared on the one feature it has
    # A seed sound changes the reference: the far tracks now sound right.
    seeded = score_tracks(catalog, (0.0, 0.0), {}, seed_audio=np.array(far[0].audio))
    assert seeded.audio_similarity[by_id["t100"]] == pytest.approx(1.0)
    assert seeded.audio_similarity[by_id["t000"]] < 0.2


def test_audio_that_cannot_be_compared_leaves_the_factor_inactive() -> None:
    # Only the pitch class is known, and key is not compared; elsewhere one feature never varies.
    only_key = Catalog.from_tracks([_track(i, 0, 0, audio=_audio(key=float(i))) for i in range(4)])
    assert score_tracks(only_key, (0.0, 0.0), {}).weights["audio_similarity"] == 0
    constant = Catalog.from_tracks([_track(i, 0, 0, audio=_audio(energy=0.5)) for i in range(4)])
    assert score_tracks(constant, (0.0, 0.0), {}).weights["audio_similarity"] == 0


@pytest.mark.parametrize(
    "seed_audio",
    [np.zeros(3), np.full(len(AUDIO_FEATURES), np.nan), np.array(_audio(key=3.0))],
)
def test_malformed_seed_audio_is_an_input_error(seed_audio: np.ndarray) -> None:
    catalog = Catalog.from_tracks([_track(0, 0, 0, audio=_audio(energy=0.5))])
    with pytest.raises(InputError, match="seed_audio"):
        score_tracks(catalog, (0.0, 0.0), {}, seed_audio=seed_audio)


def test_personal_affinity_from_artist_weights() -> None:
    catalog = Catalog.from_tracks(
        [
            _track(0, 0, 0, artist="Loved"),
            _track(1, 0, 0, artist="Loved, Stranger"),
            _track(2, 0, 0, artist="Disliked"),
            _track(3, 0, 0, artist="Stranger"),
        ]
    )
    scores = score_tracks(catalog, (0.0, 0.0), {}, artist_weights={"LOVED": 0.8, "disliked": -0.6})
    assert scores.personal_affinity.tolist() == pytest.approx([0.9, 0.7, 0.2, 0.5])
    assert scores.weights["personal_affinity"] > 0
    assert score_tracks(catalog, (0.0, 0.0), {}, artist_weights={}).weights["personal_affinity"] == 0
    with pytest.raises(InputError, match="artist_weights"):
        score_tracks(catalog, (0.0, 0.0), {}, artist_weights={"loved": 1.5})


def test_a_liked_artist_rises_in_the_ranking() -> None:
    tracks = [_track(i, 0.0, 0.01 * i, artist=f"Band {i}") for i in range(10)]
    catalog = Catalog.from_tracks(tracks)
    plain = rank_tracks(catalog, (0.0, 0.0), {}, 3)
    liked = rank_tracks(catalog, (0.0, 0.0), {}, 3, artist_weights={"band 9": 1.0})
    assert 9 not in [row for row, _ in plain.picks]
    assert liked.picks[0][0] == 9


def test_candidates_score_a_subset_and_positions_find_rows() -> None:
    rng = np.random.default_rng(4)
    catalog = _random_catalog(rng, 300)
    full = score_tracks(catalog, (0.2, 0.1), {"g3": 1.0})
    rows = np.array([5, 17, 250])
    subset = score_tracks(catalog, (0.2, 0.1), {"g3": 1.0}, candidates=rows)
    assert subset.rows is not None and subset.rows.tolist() == rows.tolist()
    for name in ("distance", *FACTORS, "total"):
        assert np.array_equal(getattr(subset, name), getattr(full, name)[rows]), name
    assert subset.position(17) == 1 and full.position(17) == 17
    assert subset.factors(250) == full.factors(250)
    with pytest.raises(InputError, match="not among"):
        subset.position(6)
    with pytest.raises(InputError, match="candidates"):
        score_tracks(catalog, (0.2, 0.1), {}, candidates=[300])


def test_previous_picks_count_toward_the_limits() -> None:
    tracks = [
        _track(0, 0.0, 0.0, artist="Same", genres=("soft",)),
        _track(1, 0.0, 0.01, artist="Same", genres=("soft",)),
        _track(2, 0.0, 0.02, artist="Other", genres=("soft",)),
        _track(3, 0.0, 0.03, artist="Third", genres=("jazz",)),
    ]
    catalog = Catalog.from_tracks(tracks)
    total = score_tracks(catalog, (0.0, 0.0), {"soft": 1.0, "jazz": 1.0}).total
    fresh = select_diverse(catalog, total, 2)
    assert [row for row, _ in fresh] == [0, 3]  # 1: same artist; 2: "soft" again, penalised
    # After track 0: never again, its artist is spent, and "soft" carries one penalty.
    after = select_diverse(catalog, total, 2, previous=[0])
    assert [row for row, _ in after] == [3, 2]
    assert after[1][1] == pytest.approx(total[2] - GENRE_REPEAT_PENALTY)
    ranked = rank_tracks(catalog, (0.0, 0.0), {"soft": 1.0, "jazz": 1.0}, 2, previous=[0])
    assert ranked.picks == after


def test_picks_are_diverse_in_sound() -> None:
    # Tracks 0 and 1 sound the same, track 2 quite different; 1 fits the mood a little better
    # than 2, by less than the sound penalty.
    alike = _audio(danceability=0.5, energy=0.4, acousticness=0.6, tempo=100.0, loudness=-10.0)
    other = _audio(danceability=0.8, energy=0.9, acousticness=0.1, tempo=150.0, loudness=-4.0)
    tracks = [
        _track(0, 0.0, 0.00, audio=alike, genres=("a",)),
        _track(1, 0.0, 0.05, audio=alike, genres=("b",)),
        _track(2, 0.0, 0.07, audio=other, genres=("c",)),
    ]
    catalog = Catalog.from_tracks(tracks)
    scores = score_tracks(catalog, (0.0, 0.0), {})
    assert scores.total[1] > scores.total[2] > scores.total[1] - SOUND_REPEAT_PENALTY
    plain = select_diverse(catalog, scores.total, 2, sound_penalty=0.0)
    assert [row for row, _ in plain] == [0, 1]
    picks = select_diverse(catalog, scores.total, 2)
    assert [row for row, _ in picks] == [0, 2]
    # Z-scored over these three tracks the two sounds lie 3 / √2 standard deviations apart on each
    # of their five features (msd 4.5): less alike than two random tracks (msd 2), so no penalty.
    assert picks[1][1] == scores.total[2]
    assert rank_tracks(catalog, (0.0, 0.0), {}, 2).picks == picks
    # An earlier pick's sound counts too (a journey's previous steps): track 1 now repeats it.
    after = select_diverse(catalog, scores.total, 1, previous=[0])
    assert [row for row, _ in after] == [2]


def test_the_sound_penalty_is_the_likeness_beyond_chance_to_the_closest_pick() -> None:
    energy = [0.20, 0.24, 0.30, 0.90, 0.10]
    dance = [0.30, 0.33, 0.20, 0.80, 0.35]
    tracks = [
        _track(i, 0.0, 0.01 * i, audio=_audio(energy=e, danceability=d), genres=(f"g{i}",))
        for i, (e, d) in enumerate(zip(energy, dance, strict=True))
    ]
    catalog = Catalog.from_tracks(tracks)
    total = score_tracks(catalog, (0.0, 0.0), {}).total
    picks = select_diverse(catalog, total, 5)
    # Recompute each pick's score from the definition: the catalog's z-scoring, the similarity
    # kernel exp(−msd / 2), its excess over chance (1/e) and the closest earlier pick.
    z = np.column_stack([(np.array(x) - np.mean(x)) / np.std(x) for x in (dance, energy)])

    def beyond_chance(a: int, b: int) -> float:
        kernel = math.exp(-np.mean((z[a] - z[b]) ** 2) / 2)
        return max(0.0, (kernel - math.exp(-1)) / (1 - math.exp(-1)))

    for step, (row, score) in enumerate(picks):
        closest = max((beyond_chance(row, earlier) for earlier, _ in picks[:step]), default=0.0)
        assert score == pytest.approx(total[row] - SOUND_REPEAT_PENALTY * closest, abs=1e-6)
    assert [row for row, _ in picks] != list(range(5))  # the penalty reordered the list
    assert rank_tracks(catalog, (0.0, 0.0), {}, 5).picks == picks


def _eager_selection(catalog: Catalog, total: np.ndarray, k: int, cap: int, previous: np.ndarray) -> list:
    """select_diverse written out plainly: every track's adjusted score recomputed at every step."""
    tables = catalog_index(catalog)
    audio = tables.audio[tables.position] if tables.audio is not None else None
    primary = catalog.genre_codes[:, 0]
    keys = [artist_keys(catalog.artist_names[code]) for code in catalog.artist_codes]
    id_rank = np.argsort(np.argsort(catalog.ids))  # ties go to the smaller id
    chosen = [int(row) for row in previous]
    picks: list[tuple[int, float]] = []
    while len(picks) < k:
        artists = Counter(key for row in chosen for key in keys[row])
        genres = Counter(int(primary[row]) for row in chosen if primary[row] >= 0)
        best = None
        for i in range(len(catalog)):
            if i in chosen or any(artists[key] >= cap for key in keys[i]):
                continue
            score = total[i] - GENRE_REPEAT_PENALTY * genres[int(primary[i])] if primary[i] >= 0 else total[i]
            if audio is not None and chosen:
                diff = audio[i].astype(np.float64) - audio[chosen].astype(np.float64)
                known = ~np.isnan(diff)
                count = known.sum(axis=1)
                msd = np.where(known, diff**2, 0.0).sum(axis=1) / np.maximum(count, 1)
                kernel = np.where(count > 0, np.exp(-msd / 2), math.exp(-1))
                score -= SOUND_REPEAT_PENALTY * max(0.0, (kernel.max() - math.exp(-1)) / (1 - math.exp(-1)))
            key = (score, total[i], -id_rank[i])
            if best is None or key > best[0]:
                best = (key, i, score)
        if best is None:
            break
        picks.append((best[1], max(best[2], 0.0)))
        chosen.append(best[1])
    return picks


@pytest.mark.parametrize("seed", range(30))
def test_the_lazy_greedy_equals_a_plain_one(seed: int) -> None:
    rng = np.random.default_rng(500 + seed)
    catalog = _random_catalog(rng, int(rng.integers(1, 300)), audio_share=float(rng.uniform(0.3, 1.0)))
    total = score_tracks(catalog, **_random_query(rng, len(catalog))).total
    k, cap = int(rng.integers(1, 15)), int(rng.integers(1, 3))
    previous = rng.integers(0, len(catalog), int(rng.integers(0, 3)))
    expected = _eager_selection(catalog, total, k, cap, previous)
    picks = select_diverse(catalog, total, k, max_per_artist=cap, previous=previous)
    assert [row for row, _ in picks] == [row for row, _ in expected]
    assert [score for _, score in picks] == pytest.approx([score for _, score in expected], abs=1e-9)


def test_tracks_without_audio_are_never_penalised_for_sound() -> None:
    tracks = [_track(i, 0.0, 0.01 * i, genres=(f"g{i}",)) for i in range(4)]
    catalog = Catalog.from_tracks(tracks)
    total = score_tracks(catalog, (0.0, 0.0), {}).total
    picks = select_diverse(catalog, total, 4, sound_penalty=1.0)
    assert picks == [(i, pytest.approx(total[i])) for i in range(4)]


def test_ties_break_by_id_whatever_the_catalog_order() -> None:
    tracks = [_track(i, 0.0, 0.0, genres=()) for i in (7, 3, 9, 1, 5)]
    forward = rank_tracks(Catalog.from_tracks(tracks), (0.0, 0.0), {}, 5)
    backward_catalog = Catalog.from_tracks(tracks[::-1])
    backward = rank_tracks(backward_catalog, (0.0, 0.0), {}, 5)
    ids = [Catalog.from_tracks(tracks).track(r).id for r, _ in forward.picks]
    assert ids == ["t001", "t003", "t005", "t007", "t009"]
    assert [backward_catalog.track(r).id for r, _ in backward.picks] == ids


def test_empty_catalog_and_caching() -> None:
    empty = Catalog.from_tracks([])
    assert rank_tracks(empty, (0.0, 0.0), {}, 5).picks == []
    assert select_diverse(empty, np.empty(0), 5) == []
    catalog = Catalog.from_tracks([_track(0, 0, 0)])
    assert catalog_index(catalog) is catalog_index(catalog)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target": (1.5, 0.0)}, "target"),
        ({"target": "happy"}, "target"),
        ({"target": (np.nan, 0.0)}, "target"),
        ({"genre_weights": ["rock"]}, "genre_weights"),
        ({"k": 0}, "k must be"),
        ({"k": True}, "k must be"),
        ({"max_per_artist": 0}, "max_per_artist"),
        ({"genre_penalty": -0.1}, "genre_penalty"),
        ({"sound_penalty": float("inf")}, "sound_penalty"),
        ({"previous": [10]}, "previous"),
    ],
)
def test_bad_arguments_are_input_errors(kwargs: dict, message: str) -> None:
    catalog = Catalog.from_tracks([_track(i, 0, 0) for i in range(3)])
    arguments = {"target": (0.0, 0.0), "genre_weights": {}, "k": 2} | kwargs
    with pytest.raises(InputError, match=message):
        rank_tracks(catalog, **arguments)


def test_select_diverse_checks_its_scores() -> None:
    catalog = Catalog.from_tracks([_track(i, 0, 0) for i in range(3)])
    with pytest.raises(InputError, match="one per candidate"):
        select_diverse(catalog, np.zeros(2), 2)
    picks = select_diverse(catalog, np.array([0.2, 0.9]), 2, candidates=[2, 0])
    assert picks == [(0, 0.9), (2, pytest.approx(0.2 - GENRE_REPEAT_PENALTY))]
