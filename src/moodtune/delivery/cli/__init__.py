"""The ``moodtune`` command: a thin layer over the library, one module per group of commands.

Exit codes: 0 success · 1 internal/model problem · 2 wrong usage · 3 unusable input file
(unreadable image, no face, bad data file) or text without a readable mood (no signal, not English).
"""

from . import audio_mood, catalog, eval_recs, evaluate, recommend, serve, training  # noqa: F401  (each module registers its commands)
from .app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
