"""Latency of reading a text's mood: median and 95th-percentile ms per message, one message at a time.

Messages: the first ``--n`` GoEmotions test comments (``--data``), or built-in
sentences when no data folder is given, plus a 2,000-character message (the
truncation limit). Timed: ``read_text_mood`` end to end (language check,
featuriser, model), after one warm-up call that loads the model.

    python benchmarks/text_latency.py --data ../shared/data/text
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

from moodtune.perception.text import MAX_TEXT_CHARS, read_text_mood

SAMPLES = [
    "I am so happy today, everything is wonderful!",
    "honestly not sure how I feel about the new job, kind of nervous but also excited",
    "this is the worst day ever and I hate everyone 😡",
    "i feel so alone and sad lately",
    "The meeting moved to 3pm, room 4.",
]


def _time(texts: list[str], repeat: int = 1) -> list[float]:
    times = []
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            read_text_mood(text)
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="folder holding goemotions/ (else built-in sentences)")
    parser.add_argument("--n", type=int, default=1000, help="GoEmotions test comments to time")
    args = parser.parse_args()
    if args.data:
        from moodtune.training.text.data import load_goemotions

        texts = list(load_goemotions(args.data, "test").texts[: args.n])
    else:
        texts = SAMPLES * 200
    read_text_mood("warm up")
    typical = _time(texts)
    long_text = ("I was so nervous before the interview but it went really well and I am relieved. " * 30)[
        :MAX_TEXT_CHARS
    ]
    longest = _time([long_text], repeat=50)
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    for name, t in (("typical", typical), (f"{MAX_TEXT_CHARS}-char", longest)):
        q95 = statistics.quantiles(t, n=20)[-1]
        print(f"{name:>10}: n={len(t)}  median {statistics.median(t):.3f} ms  p95 {q95:.3f} ms  max {max(t):.3f} ms")


if __name__ == "__main__":
    main()
