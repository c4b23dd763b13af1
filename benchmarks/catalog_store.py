"""How long writing a catalog database and reading it back into a columnar ``Catalog`` take.

    .venv/bin/python benchmarks/catalog_store.py --sizes 10000 100000

Builds synthetic tracks with every column filled (genres, popularity, album, duration, mood,
ten audio features, a second service id), writes them to a temporary SQLite file with
``write_tracks`` and reads them back with ``open_catalog`` (best of three reads). Wall-clock and
CPU time are both printed: on a busy machine the CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from moodtune.music.store import open_catalog, write_tracks
from moodtune.music.track import AUDIO_FEATURES, MOODS, Track


def synthetic_tracks(n: int, seed: int = 0) -> list[Track]:
    rng = np.random.default_rng(seed)
    genres = [f"genre {g}" for g in range(120)]
    va = rng.uniform(-1, 1, (n, 2))
    audio = rng.uniform(0, 1, (n, len(AUDIO_FEATURES)))
    return [
        Track(
            id=f"spotify:{i:022d}",
            title=f"Song number {i}",
            artist=f"Artist {i % (n // 10 + 1)}",
            year=1950 + i % 75,
            genres=tuple(genres[g] for g in rng.choice(len(genres), 1 + i % 3, replace=False)),
            valence=float(va[i, 0]),
            arousal=float(va[i, 1]),
            popularity=float(rng.uniform()),
            album=f"Album {i % (n // 5 + 1)}",
            duration_s=120.0 + i % 300,
            mood=MOODS[i % len(MOODS)],
            mood_probability=0.7,
            audio=tuple(audio[i].tolist()),
            external_ids=(("deezer", str(i)),),
            source="benchmark",
        )
        for i in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    for n in args.sizes:
        tracks = synthetic_tracks(n)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "catalog.db"
            start, cpu = time.perf_counter(), time.process_time()
            write_tracks(tracks, path)
            written = (time.perf_counter() - start, time.process_time() - cpu)
            reads = []
            for _ in range(3):
                start, cpu = time.perf_counter(), time.process_time()
                catalog = open_catalog(path)
                reads.append((time.perf_counter() - start, time.process_time() - cpu))
            size = path.stat().st_size / 1e6
        if len(catalog) != n:
            raise SystemExit(f"read {len(catalog)} tracks back, wrote {n}")
        read = min(reads)
        print(
            f"{n:>9,} tracks: write {written[0]:6.2f} s (CPU {written[1]:5.2f} s) · "
            f"read into a Catalog {read[0]:6.2f} s (CPU {read[1]:5.2f} s) · {size:6.1f} MB"
        )


if __name__ == "__main__":
    main()
