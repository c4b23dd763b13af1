"""The catalogs the recommenders are compared on, read through the catalog importers.

* **Deezer test split** (``deezer_mood_detection/test.csv``, format ``deezer``): valence and
  arousal are the data set's labels, mapped to [-1, 1] by the importer (``x / 3``). The set has
  no mood labels, popularity, genres or audio features; the label-based baselines filter on the
  quadrant of each track's own valence/arousal (``ranking.mood_quadrant``).
* **Spotify moods set** (``data_moods.csv``, format ``moods``): 686 tracks with audio features
  and a human mood label. Their valence/arousal come from the audio-mood model
  (``moodtune.music.audio_mood``), which is trained on these very labels; scoring moodtune's
  picks against the labels with the shipped model's valence/arousal would let each track's own
  label leak into its position. So the model is cross-fitted: refitted on four of five
  stratified folds and applied to the fifth, and every track gets the valence/arousal of the
  model that never saw it. The baselines filter on the human labels.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Final

import numpy as np

from moodtune.errors import DataError

from ..catalog import Catalog
from ..ranking import mood_quadrant
from ..track import AUDIO_FEATURES, MOODS
from .metrics import audio_space

__all__ = [
    "CROSS_FIT_FOLDS",
    "DEEZER_TEST",
    "MOODS_FILE",
    "TIE_SEED",
    "EvalSet",
    "deezer_eval_set",
    "load_eval_sets",
    "moods_eval_set",
]

#: Where the two files lie under the music data folder.
DEEZER_TEST: Final = Path("deezer_mood_detection") / "test.csv"
MOODS_FILE: Final = Path("data_moods.csv")

#: Seed of the permutation that breaks the baselines' ties, and of the cross-fitting folds.
TIE_SEED: Final = 0
CROSS_FIT_FOLDS: Final = 5


@dataclass(frozen=True, eq=False)
class EvalSet:
    """A catalog to evaluate on, with the mood label of every track.

    Attributes
    ----------
    name : short name for the report.
    catalog : the tracks; ``catalog.va`` is the valence/arousal every method and measure uses.
    labels : shape (n,), int ``MOODS`` indices: the label the baselines filter on and
        precision@k is scored against.
    human_labels : True when ``labels`` are annotations (precision@k is reported), False when
        they are derived from ``catalog.va`` (precision@k would repeat the quadrant share).
    notes : how the valence/arousal and labels were obtained, one sentence each, for the report.
    """

    name: str
    catalog: Catalog
    labels: np.ndarray
    human_labels: bool
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        labels = np.asarray(self.labels, dtype=np.int64)
        if labels.shape != (len(self.catalog),) or (labels < 0).any() or (labels >= len(MOODS)).any():
            raise DataError(f"{self.name}: need one mood label (0..{len(MOODS) - 1}) per track, got {labels.shape}")
        object.__setattr__(self, "labels", labels)

    @cached_property
    def quadrants(self) -> np.ndarray:
        """(n,) int ``MOODS`` index of each track's valence–arousal quadrant."""
        return mood_quadrant(self.catalog.va)

    @cached_property
    def audio(self) -> np.ndarray | None:
        """(n, f) z-scored audio features (``metrics.audio_space``), None without audio features."""
        return audio_space(self.catalog.audio)

    @cached_property
    def features(self) -> np.ndarray:
        """(n, f) the space of baseline B: ``audio``, or z-scored valence/arousal where there is none."""
        if self.audio is not None:
            return self.audio
        space = audio_space(self.catalog.va)
        return np.zeros((len(self.catalog), 1)) if space is None else space

    @cached_property
    def tiebreak(self) -> np.ndarray:
        """(n,) int: a fixed random rank of each track (seed ``TIE_SEED``) that breaks the baselines' ties."""
        return np.random.default_rng(TIE_SEED).permutation(len(self.catalog))

    @cached_property
    def position(self) -> dict[str, int]:
        """Track id → catalog index."""
        return {str(track_id): i for i, track_id in enumerate(self.catalog.ids.tolist())}


def _read(path: Path, fmt: str) -> Catalog:
    from ..importers import read_file

    if not path.is_file():
        raise DataError(f"{path}: not found")
    result = read_file(path, fmt)
    return Catalog.from_tracks(result.tracks, result.problems)


def deezer_eval_set(path: str | Path) -> EvalSet:
    """The Deezer mood detection test split; labels are the quadrants of the tracks' valence/arousal."""
    catalog = _read(Path(path), "deezer")
    notes = [
        "valence/arousal: the data set's labels, mapped to [-1, 1] by the deezer importer (x / 3)",
        "mood labels: the quadrant of each track's valence/arousal",
        "no popularity, genres or audio features",
    ]
    if catalog.problems:
        notes.append(f"{len(catalog.problems)} malformed rows skipped by the importer")
    return EvalSet("Deezer test", catalog, mood_quadrant(catalog.va), human_labels=False, notes=tuple(notes))


def moods_eval_set(path: str | Path, *, folds: int = CROSS_FIT_FOLDS) -> EvalSet:
    """The Spotify moods set with cross-fitted valence/arousal (see the module docstring).

    The catalog comes from the ``moods`` importer; the cross-fitting needs the file's Spotify
    valence too (the audio-mood model's training target, which catalogs do not keep), so the
    model's own training reader supplies it, matched to the catalog by Spotify id.

    Raises
    ------
    DataError : the file is missing or malformed, or the two readers disagree on its tracks.
    """
    from moodtune.training.audio_mood import cross_fitted_estimates, load_moods_data

    path = Path(path)
    catalog = _read(path, "moods")
    data = load_moods_data(path)
    row_of = {spotify_id: i for i, spotify_id in enumerate(data.spotify_ids)}
    rows = np.array([row_of.get(catalog.track(i).spotify_id or "", -1) for i in range(len(catalog))])
    if (rows < 0).any():
        raise DataError(f"{path}: the catalog's tracks and the training reader's rows do not match by Spotify id")
    labels = catalog.mood_codes.astype(np.int64)
    if labels.tolist() != [MOODS.index(m) for m in data.labels[rows]]:
        raise DataError(f"{path}: the catalog's mood labels differ from the training reader's")
    estimate = cross_fitted_estimates(data.audio, data.labels, data.spotify_valence, n_splits=folds, seed=TIE_SEED)
    va = np.column_stack([estimate.valence, estimate.arousal])[rows]
    notes = [
        "valence/arousal: the audio-mood model's (`moodtune.music.audio_mood`), which is fitted on these "
        f"tracks' labels; to keep each track's own label out of its position they are cross-fitted: "
        f"refitted on {folds - 1} of {folds} stratified folds (seed {TIE_SEED}) and applied to the one left out, "
        "so every track is placed by a model that never saw it",
        "mood labels: the data set's human labels (the baselines filter on them, precision@k is scored against them)",
        f"popularity: Spotify's, 0–100 scaled to 0–1; no genres; audio features: {_audio_names(catalog)}",
    ]
    if catalog.problems:
        notes.append(f"{len(catalog.problems)} malformed rows skipped by the importer")
    catalog = replace(catalog, va=va.astype(np.float32))
    return EvalSet("Spotify moods", catalog, labels, human_labels=True, notes=tuple(notes))


def _audio_names(catalog: Catalog) -> str:
    known = ~np.isnan(catalog.audio).all(axis=0)
    return ", ".join(name for name, k in zip(AUDIO_FEATURES, known, strict=True) if k)


def load_eval_sets(data_dir: str | Path) -> tuple[EvalSet, ...]:
    """Both evaluation sets from the music data folder (``DEEZER_TEST`` and ``MOODS_FILE`` under it)."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError(f"{data_dir}: not a folder")
    return deezer_eval_set(data_dir / DEEZER_TEST), moods_eval_set(data_dir / MOODS_FILE)
