"""Evaluating recommenders: moodtune against the seeds' label-based baselines, on real catalogs.

``run_evaluation(data_dir)`` reads the Deezer mood detection test split and the Spotify moods
set (``datasets``), asks each method (``methods``) for k tracks for each of the seven emotion
queries (``queries``), scores the lists (``metrics``, ``harness``) and gives an ``EvalReport``;
``render_markdown`` (``report``) writes it up. ``moodtune eval-recs`` is the command.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .datasets import EvalSet, load_eval_sets
from .harness import DEFAULT_K, MOODTUNE, Check, EvalReport, ListScores, MethodScores, SetResult, evaluate_methods
from .methods import METHODS
from .queries import EmotionQuery, emotion_queries
from .report import render_markdown

__all__ = [
    "DEFAULT_K",
    "METHODS",
    "MOODTUNE",
    "Check",
    "EmotionQuery",
    "EvalReport",
    "EvalSet",
    "ListScores",
    "MethodScores",
    "SetResult",
    "emotion_queries",
    "evaluate_methods",
    "load_eval_sets",
    "render_markdown",
    "run_evaluation",
]


def run_evaluation(
    data_dir: str | Path, *, k: int = DEFAULT_K, progress: Callable[[int, int], None] | None = None
) -> EvalReport:
    """Every method on both evaluation sets under the music data folder ``data_dir``.

    ``progress`` is called with (methods run, methods to run) after each method on each set.

    Raises
    ------
    DataError : a file is missing or unusable.
    InputError : bad ``k``.
    """
    return evaluate_methods(load_eval_sets(data_dir), k=k, progress=progress)
