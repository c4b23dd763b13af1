"""What each install costs on disk: the wheel, then a fresh venv per set of extras.

Builds the wheel, installs it into one new venv per extras set (``core``, ``server``,
``server,train``), and prints the size of each venv's site-packages, its package count and its largest folders.
For ``train`` the CPU build of PyTorch (2.13.0) is installed first, as ``scripts/setup.sh`` does.
Needs the package registry, like the set-up command.

    python benchmarks/install_size.py
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
EXTRAS = ("", "server", "server,train")


def _pip(python: Path, *args: str | Path) -> str:
    command = [str(python), "-m", "pip", *map(str, args)]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _size_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--extras", action="append", help="extras to measure (default: none, server, server,train)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _pip(Path(sys.executable), "wheel", "--quiet", "--no-deps", "--wheel-dir", work / "dist", REPO_ROOT)
        (wheel,) = (work / "dist").glob("moodtune-*.whl")
        print(f"wheel {wheel.name}: {wheel.stat().st_size / 1e6:.1f} MB")
        print(f"{'install':<32} {'site-packages':>14} {'packages':>9}")
        for extras in args.extras or EXTRAS:
            env_dir = work / f"venv-{extras.replace(',', '-') or 'core'}"
            venv.create(env_dir, with_pip=True)
            python = env_dir / "bin" / "python"
            if "train" in extras.split(","):
                _pip(python, "install", "--quiet", "torch==2.13.0")
            _pip(python, "install", "--quiet", f"{wheel}[{extras}]" if extras else wheel)
            _pip(python, "check")
            (site,) = env_dir.glob("lib/python*/site-packages")
            # pip and setuptools come with every venv; they are not part of what moodtune installs.
            freeze = _pip(python, "list", "--format", "freeze", "--exclude", "pip", "--exclude", "setuptools")
            count = len(freeze.split())
            label = f"pip install moodtune{f'[{extras}]' if extras else ''}"
            largest = sorted(site.iterdir(), key=_size_mb, reverse=True)[:4]
            parts = ", ".join(f"{p.name} {_size_mb(p):.0f}" for p in largest)
            print(f"{label:<32} {_size_mb(site):>11.0f} MB {count:>9}   largest (MB): {parts}")


if __name__ == "__main__":
    main()
