"""Recommending at scale: index build time, memory and query latency on synthetic catalogs of 10 k to 10 M tracks.

Each catalog is built directly as columns (``Catalog.from_arrays``) with the shapes of
real catalogs:

* valence/arousal clustered like a real catalog: every track is drawn around a track of
  the starter catalog (Gaussian jitter, sd 0.07), so the clusters and empty regions of a
  curated catalog repeat at scale; ``--va-shape deezer`` draws around the Deezer mood
  labels instead (``--data``), a third of the tracks exactly on a label, as the coarse
  tag-derived labels of that set put them;
* genres from the mapping's and the starter catalog's vocabulary plus a long tail of
  rarer genres, 1–3 per track, Zipf-distributed; the primary genre follows the starter
  track drawn around in 70 % of tracks, so genres go with moods as in the real thing;
* artists with power-law track counts (n / 8 artists, p ∝ 1 / (rank + 10)^1.1),
  3 % of them joint credits ("A, B");
* popularity Zipf-like: play counts ∝ 1 / rank, shown on a log scale like Spotify's
  (``1 − ln rank / ln n``), to two decimals (so ties occur), 10 % unknown;
* audio features for 40 % of the tracks, correlated with valence/arousal, 5 % of those
  with some features missing;
* mood labels for the tracks with audio features, as the audio-mood model gives them: the
  label of the track's quadrant for 80 % of them (about the model's cross-validated accuracy),
  another at random for the rest, with a probability drawn from Beta(5, 2), at least 0.25.

Per size it prints: the time to build the catalog's arrays and its ranking index; memory
(catalog arrays, index, process RSS); wall-clock p50/p99 and CPU-time p50/p99 of
``rank_tracks`` (k = 10, diversity on: the retrieval, scoring and selection behind every
recommendation) and wall-clock p50/p99 of the whole ``recommend`` call (with reasons and
links), over random mood queries after a warm-up; the tracks a query read and scored in
full (medians); and the p50 of an exhaustive scan (``score_tracks`` over every track, then
``select_diverse`` over every track, without ``rank_tracks``'s bounded candidate pool) on the
first timed queries, in the same process, with how many of them picked exactly the list the
index did and how many picks the two lists share on average. Queries: a random emotion mix (Dirichlet) read as an
``AffectState`` and a random strategy (match, uplift, calm) give the target and genre
weights; every other ``rank_tracks`` query also carries a listener's affinities for 20 artists.

    python benchmarks/recommend_scale.py                          # 10k 100k 1M 10M, 300 queries
    python benchmarks/recommend_scale.py --sizes 10k 1M --queries 500
    python benchmarks/recommend_scale.py --va-shape deezer --data ../shared/data/music
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from machine import cpu_name

from moodtune.affect import EMOTIONS, AffectState
from moodtune.music import starter_catalog
from moodtune.music.catalog import Catalog
from moodtune.music.importers import read_file
from moodtune.music.mapping import default_mapping
from moodtune.music.ranking import (
    RankedTracks,
    catalog_index,
    mood_quadrant,
    rank_tracks,
    score_tracks,
    select_diverse,
)
from moodtune.music.recommend import recommend
from moodtune.music.strategies import target_mood
from moodtune.music.track import AUDIO_FEATURES, MOODS

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
K = 10
JITTER, DEEZER_JITTER = 0.07, 0.03
LONG_TAIL = 400


def _rss_mb(field: str = "VmRSS") -> float:
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _labels(prefix: str, n: int) -> np.ndarray:
    """``prefix`` + 8 hex digits of 0 … n − 1 as a fixed-width str array, built without a Python loop."""
    values = np.arange(n, dtype=np.uint32)
    width = len(prefix) + 8
    # A str array is UTF-32 code points: fill them as integers and view the rows as strings.
    chars = np.empty((n, width), dtype=np.uint32)
    chars[:, : len(prefix)] = [ord(c) for c in prefix]
    hexdigits = np.array([ord(c) for c in "0123456789abcdef"], dtype=np.uint32)
    for i in range(8):
        chars[:, len(prefix) + i] = hexdigits[(values >> np.uint32(4 * (7 - i))) & np.uint32(15)]
    return chars.view(f"<U{width}").ravel()


def _zipf_choice(rng: np.random.Generator, n_items: int, size: int, exponent: float, offset: float) -> np.ndarray:
    weights = 1.0 / (np.arange(n_items) + offset) ** exponent
    cumulative = np.cumsum(weights / weights.sum())
    return np.minimum(np.searchsorted(cumulative, rng.random(size)), n_items - 1)


def _va_sources(shape: str, data: Path | None) -> tuple[np.ndarray, np.ndarray | None, tuple[str, ...], float]:
    """Points to draw around, (m, 2); their primary genre codes into the returned vocabulary; jitter."""
    starter = starter_catalog()
    if shape == "starter":
        return starter.va.astype(np.float64), starter.genre_codes[:, 0], starter.genre_names, JITTER
    if data is None:
        raise SystemExit("--va-shape deezer needs --data (the shared music folder)")
    tracks = read_file(data / "deezer_mood_detection" / "train.csv", "deezer").tracks
    return np.array([(t.valence, t.arousal) for t in tracks]), None, starter.genre_names, DEEZER_JITTER


def synthetic_catalog(n: int, rng: np.random.Generator, shape: str = "starter", data: Path | None = None) -> Catalog:
    """A catalog of ``n`` tracks with the distributions in the module docstring."""
    sources, source_genres, starter_genres, jitter = _va_sources(shape, data)
    mapping = default_mapping()
    mapped = [g for e in EMOTIONS for g in mapping.weights[e]]
    head = list(dict.fromkeys([*starter_genres, *mapped]))
    genre_names = tuple(head + [f"genre-{i}" for i in range(LONG_TAIL)])

    drawn = rng.integers(0, len(sources), n)
    va = sources[drawn]
    if shape == "deezer":
        moved = rng.random(n) >= 1 / 3  # the rest sit exactly on a label
        va[moved] += rng.normal(0.0, jitter, (int(moved.sum()), 2))
    else:
        va += rng.normal(0.0, jitter, (n, 2))
    va = np.clip(va, -1.0, 1.0).astype(np.float32)

    genre_codes = _zipf_choice(rng, len(genre_names), n * 3, 1.1, 2.0).reshape(n, 3).astype(np.int32)
    if source_genres is not None:
        follows = (rng.random(n) < 0.7) & (source_genres[drawn] >= 0)
        genre_codes[follows, 0] = source_genres[drawn[follows]]
    extra = rng.integers(0, 3, n)  # 0–2 more genres
    genre_codes[extra < 1, 1] = -1
    genre_codes[extra < 2, 2] = -1
    genre_codes[:, 1:][genre_codes[:, 1:] == genre_codes[:, :1]] = -1

    n_artists = max(n // 8, 1)
    artist_names = [f"Artist {i:x}" for i in range(n_artists)]
    for i in np.flatnonzero(rng.random(n_artists) < 0.03).tolist():
        artist_names[i] = f"Artist {i:x}, Artist {int(rng.integers(n_artists)):x}"
    # Most prolific artists at random codes, so their tracks are not all in one place of the catalog.
    artist_codes = rng.permutation(n_artists)[_zipf_choice(rng, n_artists, n, 1.1, 10.0)].astype(np.int32)

    rank = rng.permutation(n) + 1
    popularity = np.round(np.clip(1.0 - np.log(rank) / np.log(max(n, 2)), 0.0, 1.0), 2).astype(np.float32)
    popularity[rng.random(n) < 0.10] = np.nan

    audio = np.full((n, len(AUDIO_FEATURES)), np.nan, dtype=np.float32)
    has = np.flatnonzero(rng.random(n) < 0.40)
    v, a = va[has, 0].astype(np.float64), va[has, 1].astype(np.float64)
    m = len(has)

    def unit(x: np.ndarray) -> np.ndarray:
        return np.clip(x, 0.0, 1.0)

    energy = unit((a + 1) / 2 + rng.normal(0, 0.12, m))
    columns = {
        "danceability": unit(0.55 + 0.2 * v + 0.1 * a + rng.normal(0, 0.12, m)),
        "energy": energy,
        "acousticness": unit(1 - energy + rng.normal(0, 0.15, m)),
        "instrumentalness": unit(rng.beta(0.3, 2.0, m)),
        "speechiness": unit(rng.gamma(1.5, 0.04, m)),
        "liveness": unit(rng.gamma(2.0, 0.09, m)),
        "loudness": np.clip(-30 + 25 * energy + rng.normal(0, 3, m), -60, 2),
        "tempo": np.clip(rng.normal(118 + 12 * a, 25, m), 50, 220),
        "mode": (rng.random(m) < 0.55 + 0.2 * v).astype(np.float64),
        "key": rng.integers(0, 12, m).astype(np.float64),
    }
    audio[has] = np.stack([columns[f] for f in AUDIO_FEATURES], axis=1)
    partial = has[rng.random(m) < 0.05]
    audio[partial[:, None], rng.integers(0, len(AUDIO_FEATURES), (len(partial), 3))] = np.nan

    mood_codes = np.full(n, -1, dtype=np.int8)
    mood_probability = np.full(n, np.nan, dtype=np.float32)
    right = rng.random(m) < 0.8
    # A wrong label is one of the other three: the right one shifted by 1–3 places.
    mood_codes[has] = (mood_quadrant(va[has]) + np.where(right, 0, rng.integers(1, len(MOODS), m))) % len(MOODS)
    mood_probability[has] = np.maximum(rng.beta(5.0, 2.0, m), 0.25)

    return Catalog.from_arrays(
        ids=_labels("t", n),
        titles=_labels("Song ", n),
        artist_codes=artist_codes,
        artist_names=artist_names,
        va=va,
        genre_codes=genre_codes,
        genre_names=genre_names,
        popularity=popularity,
        audio=audio,
        mood_codes=mood_codes,
        mood_probability=mood_probability,
    )


def _catalog_mb(catalog: Catalog) -> float:
    arrays = [v for v in vars(catalog).values() if isinstance(v, np.ndarray)]
    strings = sum(sys.getsizeof(s) for s in (*catalog.artist_names, *catalog.genre_names))
    return (sum(a.nbytes for a in arrays) + strings) / 1e6


@dataclass(frozen=True)
class _Query:
    affect: AffectState
    strategy: str
    target: tuple[float, float]
    genre_weights: dict[str, float]
    artist_weights: dict[str, float] | None


def _queries(rng: np.random.Generator, count: int, catalog: Catalog) -> list[_Query]:
    mapping = default_mapping()
    artist_names = catalog.artist_names
    queries = []
    for i in range(count):
        affect = AffectState.from_probabilities(rng.dirichlet(np.full(len(EMOTIONS), 0.3)))
        strategy = str(rng.choice(["match", "uplift", "calm"]))
        aim = target_mood(affect, strategy)
        artists = None
        if i % 2:  # a listener with likes and skips for 20 artists
            chosen = rng.integers(0, len(artist_names), 20)
            artists = {artist_names[c].split(", ")[0].casefold(): float(rng.uniform(-0.8, 0.8)) for c in chosen}
        genres = mapping.genre_weights(aim.emotion_weights)
        queries.append(_Query(affect, strategy, (aim.valence, aim.arousal), genres, artists))
    return queries


def _rank(catalog: Catalog, query: _Query) -> RankedTracks:
    return rank_tracks(catalog, query.target, query.genre_weights, K, artist_weights=query.artist_weights)


def _time_ranking(catalog: Catalog, queries: list[_Query]) -> tuple[np.ndarray, np.ndarray, list, list, list]:
    """Wall-clock and CPU milliseconds of ``rank_tracks`` per query, the picks, the tracks read and scored."""
    wall, cpu, picks, examined, scored = [], [], [], [], []
    for query in queries:
        start, start_cpu = time.perf_counter(), time.thread_time()
        ranked = _rank(catalog, query)
        wall.append(time.perf_counter() - start)
        cpu.append(time.thread_time() - start_cpu)
        picks.append([row for row, _ in ranked.picks])
        examined.append(ranked.examined)
        scored.append(len(ranked.scores.total))
    return np.array(wall) * 1000, np.array(cpu) * 1000, picks, examined, scored


def _time_recommend(catalog: Catalog, queries: list[_Query]) -> np.ndarray:
    """Wall-clock milliseconds of the whole ``recommend`` (target, ranking, tracks, reasons, links) per query."""
    mapping = default_mapping()
    times = []
    for query in queries:
        start = time.perf_counter()
        recommend(query.affect, catalog, strategy=query.strategy, k=K, mapping=mapping)
        times.append(time.perf_counter() - start)
    return np.array(times) * 1000


def _exhaustive(catalog: Catalog, queries: list[_Query]) -> tuple[np.ndarray, list]:
    times, picks = [], []
    for query in queries:
        start = time.perf_counter()
        total = score_tracks(catalog, query.target, query.genre_weights, artist_weights=query.artist_weights).total
        chosen = select_diverse(catalog, total, K)
        times.append(time.perf_counter() - start)
        picks.append([row for row, _ in chosen])
    return np.array(times) * 1000, picks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=list(SIZES))
    parser.add_argument("--queries", type=int, default=300, help="timed queries per size (after the warm-up)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--exhaustive", type=int, default=40, help="queries also run as a full scan (3 at 10M)")
    parser.add_argument("--va-shape", choices=["starter", "deezer"], default="starter")
    parser.add_argument("--data", type=Path, default=None, help="the shared music folder (for --va-shape deezer)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {cpu_name()}, {os.cpu_count()} cores, load average {load:.1f}; numpy {np.__version__}")
    print(f"VA shape: {args.va_shape}")
    print(f"k = {K}, {args.queries} timed queries per size after {args.warmup} warm-up; latency in ms")
    header = (
        f"{'tracks':>10} {'gen s':>6} {'build s':>7} {'catalog MB':>10} {'index MB':>8} {'RSS MB':>7} "
        f"{'p50':>6} {'p99':>6} {'cpu p50':>7} {'cpu p99':>7} {'rec p50':>7} {'rec p99':>7} "
        f"{'read':>7} {'scored':>7} {'scan p50':>9} {'×':>5} {'equal':>5} {'shared':>6}"
    )
    print(header)
    for name in args.sizes:
        n = SIZES[name]
        rng = np.random.default_rng(args.seed)
        start = time.perf_counter()
        catalog = synthetic_catalog(n, rng, args.va_shape, args.data)
        generated = time.perf_counter() - start
        start = time.perf_counter()
        tables = catalog_index(catalog)
        built = time.perf_counter() - start
        queries = _queries(rng, args.warmup + args.queries, catalog)
        for query in queries[: args.warmup]:
            _rank(catalog, query)
        timed = queries[args.warmup :]
        wall, cpu, picks, examined, scored = _time_ranking(catalog, timed)
        whole = _time_recommend(catalog, timed)
        compared = min(args.exhaustive, args.queries, 3 if n >= 5_000_000 else args.exhaustive)
        scan, scan_picks = _exhaustive(catalog, timed[:compared])
        equal = sum(a == b for a, b in zip(picks, scan_picks, strict=False))
        shared = np.mean([len(set(a) & set(b)) for a, b in zip(picks, scan_picks, strict=False)])
        p50, p99 = np.percentile(wall, [50, 99])
        cpu50, cpu99 = np.percentile(cpu, [50, 99])
        rec50, rec99 = np.percentile(whole, [50, 99])
        print(
            f"{n:>10,} {generated:>6.1f} {built:>7.2f} {_catalog_mb(catalog):>10.0f} {tables.nbytes / 1e6:>8.0f} "
            f"{_rss_mb():>7.0f} {p50:>6.2f} {p99:>6.2f} {cpu50:>7.2f} {cpu99:>7.2f} {rec50:>7.2f} {rec99:>7.2f} "
            f"{int(np.median(examined)):>7,} {int(np.median(scored)):>7,} {np.median(scan):>9.1f} "
            f"{np.median(scan) / p50:>5.0f} {equal:>2}/{compared:<2} {shared:>6.2f}",
            flush=True,
        )
        del catalog, tables
        gc.collect()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"peak RSS: {_rss_mb('VmHWM'):.0f} MB; load average at the end {load:.1f}")


if __name__ == "__main__":
    main()
