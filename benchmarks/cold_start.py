"""Cold start of the ``moodtune`` command: whole processes, as a user waits for them.

Times, as separate processes run interleaved (so drifting load hits them all alike),
``python -c pass``, ``import moodtune``, ``moodtune --help``, ``recommend --mood sad``
and ``recommend --image`` on a 640×480 JPEG with one face, built from a FER2013
PrivateTest face (``--data``) the way ``latency.py`` builds its scenes. Prints each
median and its ratio to ``python -c pass``; figures are for the machine it runs on.

    python benchmarks/cold_start.py --data ../shared/data/fer2013/fer2013.csv.gz
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
from machine import cpu_name

from moodtune.perception.faces import detect_faces
from moodtune.training.data.fer2013 import load_fer2013
from moodtune.training.data.photos import compose_photo


def _write_photo(data: Path, folder: Path) -> Path:
    """The first composed scene whose face the detector finds, as a JPEG in ``folder``."""
    rng = np.random.default_rng(0)
    for face in load_fer2013(data, "PrivateTest").images:
        scene, _ = compose_photo(face[None], rng)
        if detect_faces(scene):
            path = folder / "face.jpg"
            cv2.imwrite(str(path), cv2.cvtColor(scene, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])
            return path
    raise SystemExit(f"no detectable face among the PrivateTest faces of {data}")


def _moodtune() -> list[str]:
    """The installed console script beside this interpreter, else ``python -m moodtune``."""
    script = Path(sys.executable).parent / "moodtune"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "moodtune"]


def _seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/fer2013/fer2013.csv.gz"))
    parser.add_argument("--runs", type=int, default=15, help="runs of each command")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        photo = _write_photo(args.data, Path(folder))
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "python -c 'import moodtune'": [sys.executable, "-c", "import moodtune"],
            "moodtune --help": [*_moodtune(), "--help"],
            "moodtune recommend --mood sad": [*_moodtune(), "recommend", "--mood", "sad"],
            "moodtune recommend --image <photo>": [*_moodtune(), "recommend", "--image", str(photo)],
        }
        for command in commands.values():  # warm-up: the OS file cache, compiled bytecode
            _seconds(command)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(_seconds(command))

    medians = {name: statistics.median(t) * 1000 for name, t in times.items()}
    baseline = medians["python -c pass"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {cpu_name()}, {os.cpu_count()} cores, load average {load:.1f}; {args.runs} runs each")
    for name, median in medians.items():
        print(f"  {name:<36} median {median:7.0f} ms  {median / baseline:5.1f}x python -c pass")


if __name__ == "__main__":
    main()
