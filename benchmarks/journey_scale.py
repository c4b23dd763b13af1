"""Journeys and personalised lists at scale: ``recommend`` latency on synthetic catalogs.

Uses the catalogs of ``recommend_scale.py`` (same distributions, same seed). Per size it
prints p50/p99 latency of

* ``journey``: an 8-track journey (one indexed ranking per step) from each emotion in turn to
  happy, calm or energetic;
* ``match, personalised``: a 10-track list for a listener with 200 stored reactions
  (likes, skips and ratings over their moods; the profile is read from an in-memory SQLite
  database on every call, as the API does);
* ``match``: the same list for nobody in particular, for comparison.

    python benchmarks/journey_scale.py                      # 100k and 1M, 100 queries each
    python benchmarks/journey_scale.py --sizes 10k 100k 1M 10M --queries 50
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from recommend_scale import SIZES, synthetic_catalog  # the sibling script, on sys.path when run as a file
from sqlalchemy import Engine

from moodtune.affect import EMOTIONS, AffectState
from moodtune.music import Catalog, recommend
from moodtune.music.feedback import open_feedback_db, record_feedback
from moodtune.music.ranking import catalog_index

#: Journey destinations timed, in turn.
TARGETS = ("happy", "calm", "energetic")


def _percentiles(seconds: list[float]) -> str:
    ms = np.array(seconds) * 1000
    return f"p50 {np.percentile(ms, 50):7.1f} ms   p99 {np.percentile(ms, 99):7.1f} ms"


def _timed(catalog: Catalog, db: Engine, count: int, **kwargs: object) -> list[float]:
    """Seconds per ``recommend`` call, ``count`` calls after 5 of warm-up, the emotions in turn."""
    seconds = []
    for q in range(count + 5):
        affect = AffectState.from_emotion(EMOTIONS[q % len(EMOTIONS)])
        start = time.perf_counter()
        recommend(affect, catalog, db=db, **kwargs)
        if q >= 5:
            seconds.append(time.perf_counter() - start)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=["100k", "1M"])
    parser.add_argument("--queries", type=int, default=100, help="timed queries per size and kind")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    for size in args.sizes:
        rng = np.random.default_rng(args.seed)
        catalog = synthetic_catalog(SIZES[size], rng)
        catalog_index(catalog)  # built once, as a server does at start-up
        db = open_feedback_db("sqlite://")
        rows = rng.choice(len(catalog), 200, replace=False)
        for i, row in enumerate(rows.tolist()):
            action = ("like", "skip", "rate")[i % 3]
            rating = int(rng.integers(1, 6)) if action == "rate" else None
            emotion = EMOTIONS[i % len(EMOTIONS)]
            record_feedback("listener", str(catalog.ids[row]), action, emotion, rating=rating, db=db)

        per_target = max(args.queries // len(TARGETS), 1)
        journey = [
            s for target in TARGETS for s in _timed(catalog, db, per_target, strategy="journey", target=target, k=8)
        ]
        personal = _timed(catalog, db, args.queries, k=10, user_id="listener")
        print(f"{size:>5}  journey k=8              {_percentiles(journey)}")
        print(f"{size:>5}  match k=10, personalised {_percentiles(personal)}")
        print(f"{size:>5}  match k=10               {_percentiles(_timed(catalog, db, args.queries, k=10))}")


if __name__ == "__main__":
    main()
