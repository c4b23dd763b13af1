"""Fit, cross-validate and check the audio-mood model (``moodtune.music.audio_mood``).

* ``load_moods_data``: the Spotify moods data set (``data_moods.csv``: 686 tracks, audio
  features, Spotify valence, a human Happy/Sad/Energetic/Calm label). Read here rather than
  through the catalog importer because training needs the Spotify valence column, which catalogs
  do not keep, and must not depend on the model it trains.
* ``cross_validate``: stratified k-fold accuracy and macro-F1 (mean ± sd over folds) of our model
  and, on the same folds, of the seeds' k-nearest-neighbours classifier (z-scored audio
  features; k = 5, and k chosen by an inner cross-validation on each training fold), with
  scikit-learn's MLP and gradient boosting as optional references. Every hyperparameter is fixed
  in advance or chosen inside the training folds; the test folds only score.
* ``cross_fitted_estimates``: out-of-fold estimates (each track from a model fitted without it),
  for evaluations that score against the same labels.
* ``check_va``: the valence/arousal estimates against independent annotations — the Deezer mood
  set and the starter catalog — on the songs they share (by artist and title) with the Spotify
  catalogs that have audio features; and where the labelled tracks land, mood by mood.

scikit-learn is needed only for the kNN and reference classifiers (the ``[train]`` extra).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import numpy as np

from moodtune.errors import DataError, InputError
from moodtune.music.audio_mood import MODEL_FEATURES, MOOD_ANCHORS, AudioMoodEstimate, AudioMoodModel
from moodtune.music.track import AUDIO_FEATURES, MOODS
from moodtune.training.metrics import confusion_matrix

__all__ = [
    "CHECK_SOURCES",
    "KNN_GRID",
    "MoodsData",
    "check_va",
    "cross_fitted_estimates",
    "cross_validate",
    "fit_audio_mood",
    "load_moods_data",
    "match_key",
    "spotify_scale_anchors",
    "stratified_folds",
]

#: k values of the kNN sweep; the tuned kNN picks one of them by inner cross-validation.
KNN_GRID: Final[tuple[int, ...]] = (1, 3, 5, 7, 9, 11, 15, 21, 31, 45, 61)
#: The seeds' default k.
KNN_DEFAULT_K: Final = 5

# data_moods.csv column → AUDIO_FEATURES name; the file has no ``mode`` column.
_MOODS_AUDIO_COLUMNS: Final = {name: name for name in AUDIO_FEATURES if name != "mode"}
_MOODS_REQUIRED: Final = ("name", "artist", "id", "valence", "mood", *_MOODS_AUDIO_COLUMNS.values())


@dataclass(frozen=True, eq=False)
class MoodsData:
    """The labelled tracks of ``data_moods.csv``.

    Attributes
    ----------
    audio : ndarray of shape (n, len(AUDIO_FEATURES)), AUDIO_FEATURES order; NaN for ``mode``.
    labels : ndarray of shape (n,), str, each one of ``MOODS``.
    spotify_valence : ndarray of shape (n,), on [0, 1].
    titles, artists, spotify_ids : per track, in file order.
    file : the file's name; ``sha256`` : its contents' hash.
    """

    audio: np.ndarray
    labels: np.ndarray
    spotify_valence: np.ndarray
    titles: tuple[str, ...]
    artists: tuple[str, ...]
    spotify_ids: tuple[str, ...]
    file: str
    sha256: str

    def __len__(self) -> int:
        return len(self.labels)


def load_moods_data(path: str | Path) -> MoodsData:
    """Read ``data_moods.csv``.

    Raises
    ------
    DataError : the file is missing or unreadable, lacks a column, or has a row that is not a
        labelled track (the first few bad lines are named).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read the moods data set ({exc})") from exc
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in _MOODS_REQUIRED if c not in (reader.fieldnames or ())]
    if missing:
        raise DataError(f"{path}: not a moods data set, missing columns {missing}")
    audio, labels, valence, titles, artists, ids = [], [], [], [], [], []
    bad: list[str] = []
    for line, row in enumerate(reader, start=2):
        try:
            features = [
                float(row[_MOODS_AUDIO_COLUMNS[f]]) if f in _MOODS_AUDIO_COLUMNS else np.nan for f in AUDIO_FEATURES
            ]
            sv = float(row["valence"])
            if np.isinf(features).any():
                raise ValueError("an audio feature is infinite")
            if not 0 <= sv <= 1:
                raise ValueError(f"valence {sv} is outside [0, 1]")
            if row["mood"] not in MOODS:
                raise ValueError(f"mood {row['mood']!r} is not one of {MOODS}")
        except (TypeError, ValueError) as exc:
            bad.append(f"line {line}: {exc}")
            continue
        audio.append(features)
        valence.append(sv)
        labels.append(row["mood"])
        titles.append(row["name"])
        artists.append(row["artist"])
        ids.append(row["id"])
    if bad:
        raise DataError(f"{path}: {len(bad)} malformed rows; " + "; ".join(bad[:5]))
    if not labels:
        raise DataError(f"{path}: no tracks")
    return MoodsData(
        audio=np.array(audio, dtype=np.float64),
        labels=np.array(labels, dtype=object),
        spotify_valence=np.array(valence),
        titles=tuple(titles),
        artists=tuple(artists),
        spotify_ids=tuple(ids),
        file=path.name,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def stratified_folds(labels: np.ndarray, n_splits: int = 5, seed: int = 0) -> np.ndarray:
    """Fold number (0 … n_splits − 1) of each sample, every class spread evenly over the folds.

    Each class's samples are shuffled (``seed``), the classes laid end to end, and folds dealt
    round-robin along them: fold sizes differ by at most one, and so do a class's counts per fold.

    Returns
    -------
    ndarray of shape (n_samples,), int64.
    """
    labels = np.asarray(labels)
    counts = {c: int((labels == c).sum()) for c in np.unique(labels)}
    if n_splits < 2 or min(counts.values()) < n_splits:
        raise InputError(f"{n_splits} folds need n_splits ≥ 2 and every class at least that often: {counts}")
    rng = np.random.default_rng(seed)
    order = np.concatenate([rng.permutation(np.flatnonzero(labels == c)) for c in counts])
    folds = np.empty(len(labels), dtype=np.int64)
    folds[order] = np.arange(len(labels)) % n_splits
    return folds


def cross_fitted_estimates(
    audio: np.ndarray,
    labels: np.ndarray,
    spotify_valence: np.ndarray,
    *,
    n_splits: int = 5,
    seed: int = 0,
    params: Mapping[str, Any] | None = None,
) -> AudioMoodEstimate:
    """Out-of-fold estimates: each track's from the model fitted on the other folds.

    Parameters
    ----------
    audio : ndarray of shape (n, len(AUDIO_FEATURES)); labels : (n,) ``MOODS`` names;
    spotify_valence : (n,) on [0, 1], NaN where unknown.
    n_splits, seed : the stratified folds (``stratified_folds``).
    params : ``AudioMoodModel`` keyword arguments; default the shipped settings.
    """
    labels = np.asarray(labels, dtype=object)
    folds = stratified_folds(labels, n_splits, seed)
    n = len(labels)
    valence, arousal, probability = np.empty(n), np.empty(n), np.empty(n)
    label = np.empty(n, dtype=object)
    for f in range(n_splits):
        test = folds == f
        model = AudioMoodModel(**(params or {})).fit(
            audio[~test], labels[~test], spotify_valence=spotify_valence[~test]
        )
        est = model.estimate(audio[test])
        valence[test], arousal[test], label[test], probability[test] = (
            est.valence,
            est.arousal,
            est.label,
            est.probability,
        )
    return AudioMoodEstimate(valence=valence, arousal=arousal, label=label, probability=probability)


# --- cross-validation ------------------------------------------------------------------------------


def _zscore(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both standardised with the training part's mean and sd; NaN → 0 (the training mean)."""
    mean = np.nanmean(train, axis=0)
    sd = np.nanstd(train, axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    return np.nan_to_num((train - mean) / sd, nan=0.0), np.nan_to_num((test - mean) / sd, nan=0.0)


def _knn_predict(train: np.ndarray, y: np.ndarray, test: np.ndarray, k: int) -> np.ndarray:
    from sklearn.neighbors import KNeighborsClassifier

    ztrain, ztest = _zscore(train, test)
    return KNeighborsClassifier(n_neighbors=k).fit(ztrain, y).predict(ztest)


def _knn_tuned_predict(train: np.ndarray, y: np.ndarray, test: np.ndarray, seed: int) -> tuple[np.ndarray, int]:
    """kNN with k from ``KNN_GRID`` chosen by 5-fold CV accuracy inside ``train`` (ties: smaller k)."""
    inner = stratified_folds(y, 5, seed)
    grid = [k for k in KNN_GRID if k <= min(int((inner != f).sum()) for f in range(5))]
    accuracy = []
    for k in grid:
        hits = [
            np.mean(_knn_predict(train[inner != f], y[inner != f], train[inner == f], k) == y[inner == f])
            for f in range(5)
        ]
        accuracy.append(np.mean(hits))
    k = grid[int(np.argmax(accuracy))]
    return _knn_predict(train, y, test, k), k


def _mlp_predict(train: np.ndarray, y: np.ndarray, test: np.ndarray) -> np.ndarray:
    from sklearn.neural_network import MLPClassifier

    ztrain, ztest = _zscore(train, test)
    mlp = MLPClassifier(hidden_layer_sizes=(16,), alpha=1e-2, max_iter=3000, random_state=0)
    return mlp.fit(ztrain, y).predict(ztest)


def _boosting_predict(train: np.ndarray, y: np.ndarray, test: np.ndarray) -> np.ndarray:
    from sklearn.ensemble import HistGradientBoostingClassifier

    hgb = HistGradientBoostingClassifier(max_depth=3, learning_rate=0.05, max_iter=200, random_state=0)
    return hgb.fit(train, y).predict(test)


def _scores(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[float, float]:
    """Accuracy and macro-F1 of label arrays."""
    cm = _confusion(y_true, y_pred)
    return float(np.trace(cm) / cm.sum()), float(_f1(cm).mean())


def _confusion(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    code = {m: i for i, m in enumerate(MOODS)}
    return confusion_matrix(np.array([code[v] for v in y_true]), np.array([code[v] for v in y_pred]), len(MOODS))


def _f1(cm: np.ndarray) -> np.ndarray:
    tp = np.diag(cm).astype(np.float64)
    denominator = cm.sum(axis=0) + cm.sum(axis=1)
    return np.divide(2 * tp, denominator, out=np.zeros_like(tp), where=denominator > 0)


def _mean_sd(values: Sequence[float] | np.ndarray) -> dict[str, float]:
    return {"mean": float(np.mean(values)), "sd": float(np.std(values))}


def cross_validate(
    data: MoodsData,
    *,
    n_splits: int = 5,
    seed: int = 0,
    repeats: int = 1,
    references: bool = False,
) -> dict[str, Any]:
    """Stratified k-fold accuracy and macro-F1 of our model and the kNN baselines, on the same folds.

    Parameters
    ----------
    data : the labelled tracks.
    n_splits, seed : the folds (``stratified_folds``); repeat r uses seed ``seed + r``.
    repeats : how many fold draws (1 = plain k-fold).
    references : also score scikit-learn's MLP and gradient boosting (fixed hyperparameters).

    Returns
    -------
    dict (JSON-able): ``methods`` → name → accuracy / macro-F1 mean and sd over all folds,
    per-class F1 and the confusion matrix of the pooled out-of-fold predictions; ``knn_sweep``
    (k → mean accuracy/macro-F1 on the test folds: optimistic, for orientation only);
    ``paired`` → method → ours minus it, fold by fold (mean, sd, folds won and lost on accuracy);
    ``positiveness_vs_spotify_valence_r``: Pearson r of our out-of-fold positiveness (the valence
    signal, ``AudioMoodModel.predict_positiveness``) with the tracks' own Spotify valence, which
    the model never reads, mean over the draws.
    """
    if repeats < 1:
        raise InputError(f"repeats must be ≥ 1, got {repeats}")
    X, y, sv = data.audio, data.labels, data.spotify_valence
    model_cols = [AUDIO_FEATURES.index(f) for f in MODEL_FEATURES]
    # The seeds' kNN, "normalized audio-feature space" read literally: every audio feature the data
    # set has, z-scored, key included.
    knn_features = tuple(f for i, f in enumerate(AUDIO_FEATURES) if not np.isnan(X[:, i]).all())
    knn_cols = [AUDIO_FEATURES.index(f) for f in knn_features]
    tuned_k: list[int] = []
    # Out-of-fold positiveness, per draw: how well the held-out tracks' Spotify valence is recovered.
    oof_positiveness = np.empty((repeats, len(y)))

    def ours(tr: np.ndarray, te: np.ndarray, fold_seed: int) -> np.ndarray:
        model = AudioMoodModel().fit(X[tr], y[tr], spotify_valence=sv[tr])
        oof_positiveness[fold_seed - seed, te] = model.predict_positiveness(X[te])
        return model.predict(X[te])

    def knn_tuned(tr: np.ndarray, te: np.ndarray, fold_seed: int) -> np.ndarray:
        predicted, k = _knn_tuned_predict(X[tr][:, knn_cols], y[tr], X[te][:, knn_cols], fold_seed)
        tuned_k.append(k)
        return predicted

    methods = [
        ("audio_mood", "ours: logistic regression (C = 1) on the 8 model features, numpy", ours),
        (
            f"knn_k{KNN_DEFAULT_K}",
            f"seeds' kNN, k = {KNN_DEFAULT_K}, z-scored {len(knn_features)} audio features",
            lambda tr, te, _s: _knn_predict(X[tr][:, knn_cols], y[tr], X[te][:, knn_cols], KNN_DEFAULT_K),
        ),
        ("knn_tuned", "seeds' kNN, k chosen from the sweep by inner 5-fold CV on each training fold", knn_tuned),
        (
            f"knn_k{KNN_DEFAULT_K}_model_features",
            f"kNN, k = {KNN_DEFAULT_K}, on our 8 model features (same inputs as ours)",
            lambda tr, te, _s: _knn_predict(X[tr][:, model_cols], y[tr], X[te][:, model_cols], KNN_DEFAULT_K),
        ),
    ]
    if references:
        methods += [
            (
                "mlp",
                "reference: scikit-learn MLP, 16 hidden units, alpha 0.01, on the 8 model features",
                lambda tr, te, _s: _mlp_predict(X[tr][:, model_cols], y[tr], X[te][:, model_cols]),
            ),
            (
                "gradient_boosting",
                "reference: scikit-learn HistGradientBoosting, depth 3, 200 rounds, rate 0.05, 8 model features",
                lambda tr, te, _s: _boosting_predict(X[tr][:, model_cols], y[tr], X[te][:, model_cols]),
            ),
        ]
    fold_scores: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in methods}
    pooled: dict[str, np.ndarray] = {name: np.zeros((len(MOODS), len(MOODS)), dtype=np.int64) for name, _, _ in methods}
    sweep: dict[int, list[tuple[float, float]]] = {k: [] for k in KNN_GRID}
    for r in range(repeats):
        folds = stratified_folds(y, n_splits, seed + r)
        for f in range(n_splits):
            te, tr = folds == f, folds != f
            for name, _, predict in methods:
                predicted = predict(tr, te, seed + r)
                fold_scores[name].append(_scores(y[te], predicted))
                pooled[name] += _confusion(y[te], predicted)
            for k in (k for k in KNN_GRID if k <= tr.sum()):
                sweep[k].append(_scores(y[te], _knn_predict(X[tr][:, knn_cols], y[tr], X[te][:, knn_cols], k)))

    result_methods = {}
    for name, description, _ in methods:
        scores = np.array(fold_scores[name])
        result_methods[name] = {
            "description": description,
            "accuracy": _mean_sd(scores[:, 0]),
            "macro_f1": _mean_sd(scores[:, 1]),
            "per_class_f1": dict(zip(MOODS, _f1(pooled[name]).round(4).tolist(), strict=True)),
            "confusion_matrix": pooled[name].tolist(),
        }
    result_methods["knn_tuned"]["chosen_k"] = tuned_k
    ours_scores = np.array(fold_scores["audio_mood"])
    paired = {}
    for name, _, _ in methods[1:]:
        diff = ours_scores - np.array(fold_scores[name])
        paired[name] = {
            "accuracy_difference": _mean_sd(diff[:, 0]),
            "macro_f1_difference": _mean_sd(diff[:, 1]),
            "folds_won": int((diff[:, 0] > 0).sum()),
            "folds_lost": int((diff[:, 0] < 0).sum()),
        }
    return {
        "data": {
            "file": data.file,
            "sha256": data.sha256,
            "rows": len(data),
            "classes": {m: int((y == m).sum()) for m in MOODS},
        },
        "folds": n_splits,
        "seed": seed,
        "repeats": repeats,
        "features": {"model": list(MODEL_FEATURES), "knn": list(knn_features)},
        "methods": result_methods,
        "knn_sweep": {
            str(k): {"accuracy": float(np.mean([s[0] for s in v])), "macro_f1": float(np.mean([s[1] for s in v]))}
            for k, v in sweep.items()
            if v
        },
        "paired": paired,
        "positiveness_vs_spotify_valence_r": float(np.mean([np.corrcoef(v, sv)[0, 1] for v in oof_positiveness])),
    }


def fit_audio_mood(data: MoodsData, *, n_splits: int = 5, seed: int = 0) -> tuple[AudioMoodModel, dict[str, Any]]:
    """The model fitted on every track, and its provenance (data hash, date, cross-validated figures)."""
    import moodtune

    cv = cross_validate(data, n_splits=n_splits, seed=seed)
    model = AudioMoodModel().fit(data.audio, data.labels, spotify_valence=data.spotify_valence)
    summary = {
        name: {"accuracy": m["accuracy"], "macro_f1": m["macro_f1"]}
        for name, m in cv["methods"].items()
        if name in ("audio_mood", f"knn_k{KNN_DEFAULT_K}", "knn_tuned")
    }
    provenance = {
        "data": cv["data"],
        "date": datetime.now(UTC).date().isoformat(),
        "moodtune": moodtune.__version__,
        "trained_by": f"moodtune audio-mood fit --data {data.file}",
        "cross_validation": {"folds": n_splits, "seed": seed, "stratified": True, "methods": summary},
        "valence_arousal": (
            "on Russell's circumplex: Σ p_c·anchor_c + gain·(signals − Σ p_c·mean_c), the anchors fixed in "
            "advance (Happy, Sad: VA_ANCHORS; Calm 315°, Energetic 67.5°, radius 0.80), not fitted"
        ),
    }
    return model, provenance


# --- the valence/arousal check ---------------------------------------------------------------------

#: Catalogs with audio features whose songs are looked up in the references (format, path under the music folder).
CHECK_SOURCES: Final = (
    ("top-hits", "songs_normalize.csv"),
    ("spotify-tracks", "spotify_music_dataset/high_popularity_spotify_data.csv"),
    ("spotify-tracks", "spotify_music_dataset/low_popularity_spotify_data.csv"),
)
DEEZER_SPLITS: Final = ("train", "validation", "test")

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def match_key(title: str, artist: str) -> str:
    """Key under which the same song matches across data sets.

    The first credited artist, and the title without bracketed parts or a " - " suffix
    ("Song - Remastered 2011", "Song (feat. X)"), folded by ``track_key``.
    """
    from moodtune.music.catalog import track_key

    first_artist = re.split(r",| / | feat\.? | featuring ", artist, maxsplit=1)[0]
    plain_title = _BRACKETS.sub("", title).split(" - ")[0]
    return track_key(plain_title, first_artist)


def _agreement(estimate: np.ndarray, reference: np.ndarray) -> dict[str, Any]:
    """Pearson r per axis, quadrant agreement (signs of both axes), means and sds; arrays (n, 2)."""
    return {
        "n": len(estimate),
        "r_valence": float(np.corrcoef(estimate[:, 0], reference[:, 0])[0, 1]),
        "r_arousal": float(np.corrcoef(estimate[:, 1], reference[:, 1])[0, 1]),
        "quadrant_agreement": float(np.mean(np.all(np.sign(estimate) == np.sign(reference), axis=1))),
        "mean": estimate.mean(axis=0).round(3).tolist(),
        "sd": estimate.std(axis=0).round(3).tolist(),
        "reference_mean": reference.mean(axis=0).round(3).tolist(),
        "reference_sd": reference.std(axis=0).round(3).tolist(),
    }


def spotify_scale_anchors(data: MoodsData) -> dict[str, tuple[float, float]]:
    """Each mood's mean Spotify point over its tracks in ``data``: (2·valence − 1, 2·energy − 1).

    With these as ``anchors`` the model keeps Spotify's own scale (the placement before the
    circumplex anchors), for comparison.
    """
    energy = data.audio[:, AUDIO_FEATURES.index("energy")]
    points = {}
    for mood in MOODS:
        of_mood = data.labels == mood
        v, a = 2 * np.nanmean(data.spotify_valence[of_mood]) - 1, 2 * np.nanmean(energy[of_mood]) - 1
        points[mood] = (float(v), float(a))
    return points


def _variants(data: MoodsData) -> dict[str, tuple[str, dict[str, Any]]]:
    """Versions of the valence/arousal placement that ``check_va`` compares: name → (description, params).

    The Spotify-scale anchors are means over all of ``data``, in the cross-fitted placement too:
    a reference to compare with, not an estimate.
    """
    return {
        "shipped": ("circumplex anchors + signals (gain 2)", {}),
        "anchors only": ("circumplex anchors, no signals (gain 0)", {"gain": 0.0}),
        "Spotify scale": (
            "anchors at each mood's mean Spotify valence and energy (the placement before the circumplex)",
            {"anchors": spotify_scale_anchors(data)},
        ),
    }


def _where_moods_land(data: MoodsData, params: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """Where the tracks of each human label of ``data`` land, placed by models that never saw them.

    Per label: the cross-fitted mean and sd of (valence, arousal), and the share of its tracks in
    the quadrant of the label's ``MOOD_ANCHORS`` point.
    """
    est = cross_fitted_estimates(data.audio, data.labels, data.spotify_valence, seed=seed, params=params)
    points = np.column_stack([est.valence, est.arousal])
    result = {}
    for mood in MOODS:
        of_mood = points[data.labels == mood]
        quadrant = np.sign(MOOD_ANCHORS[mood])
        result[mood] = {
            "n": len(of_mood),
            "mean": of_mood.mean(axis=0).round(3).tolist(),
            "sd": of_mood.std(axis=0).round(3).tolist(),
            "in_anchor_quadrant": float(np.mean(np.all(np.sign(of_mood) == quadrant, axis=1))),
        }
    return result


def check_va(music_dir: str | Path, data: MoodsData, *, seed: int = 0) -> dict[str, Any]:
    """Our valence/arousal against the Deezer labels and the starter catalog, on shared songs.

    The songs of ``CHECK_SOURCES`` (audio features, no valence/arousal of their own) are matched
    by ``match_key`` to the Deezer mood set (all splits; labels mapped to [-1, 1] by the importer)
    and to the starter catalog; songs of ``data`` itself are left out, so no estimate comes from
    a model that saw the song's mood label. Three versions of the model (``variants``), all fitted
    on ``data``: as shipped, the circumplex anchors alone, and Spotify's own scale; for each, the
    agreement and, per label it gives, the mean point of ours and of the reference. The agreement
    of the two references with each other, on the songs they share, is the ceiling. ``moods``:
    where the tracks of ``data`` land per human label, each placed by a model fitted without its
    fold (``cross_fitted_estimates``, folds drawn with ``seed``) — a description, not a check.

    Raises
    ------
    DataError : a file is missing or unreadable.
    """
    from moodtune.music.catalog import starter_catalog
    from moodtune.music.importers import read_file

    music_dir = Path(music_dir)
    exclude = {match_key(t, a) for t, a in zip(data.titles, data.artists, strict=True)}
    audio_of: dict[str, tuple[float, ...]] = {}
    for fmt, name in CHECK_SOURCES:
        for track in read_file(music_dir / name, fmt).tracks:
            key = match_key(track.title, track.artist)
            if track.audio is not None and key not in exclude:
                audio_of.setdefault(key, track.audio)
    deezer: dict[str, tuple[float, float]] = {}
    for split in DEEZER_SPLITS:
        for track in read_file(music_dir / "deezer_mood_detection" / f"{split}.csv", "deezer").tracks:
            deezer.setdefault(match_key(track.title, track.artist), (track.valence, track.arousal))
    starter = starter_catalog()
    starter_va = {
        match_key(str(title), str(artist)): (float(v), float(a))
        for title, artist, (v, a) in zip(starter.titles, starter.artists, starter.va, strict=True)
    }
    variants = _variants(data)
    models = {
        name: AudioMoodModel(**params).fit(data.audio, data.labels, spotify_valence=data.spotify_valence)
        for name, (_, params) in variants.items()
    }
    result: dict[str, Any] = {
        "sources": [name for _, name in CHECK_SOURCES],
        "songs_with_audio": len(audio_of),
        "variants": {name: description for name, (description, _) in variants.items()},
    }
    for ref_name, ref in (("deezer", deezer), ("starter", starter_va)):
        keys = sorted(k for k in audio_of if k in ref)
        if len(keys) < 3:
            raise DataError(f"only {len(keys)} songs match the {ref_name} reference; is {music_dir} the music folder?")
        audio = np.array([audio_of[k] for k in keys], dtype=np.float64)
        reference = np.array([ref[k] for k in keys])
        result[ref_name] = {}
        for name, model in models.items():
            est = model.estimate(audio)
            points = np.column_stack([est.valence, est.arousal])
            result[ref_name][name] = _agreement(points, reference)
            result[ref_name][name]["by_label"] = {
                mood: {
                    "n": int((est.label == mood).sum()),
                    "mean": points[est.label == mood].mean(axis=0).round(3).tolist(),
                    "reference_mean": reference[est.label == mood].mean(axis=0).round(3).tolist(),
                }
                for mood in MOODS
                if (est.label == mood).any()
            }
    shared = sorted(k for k in starter_va if k in deezer)
    result["ceiling_starter_vs_deezer"] = _agreement(
        np.array([starter_va[k] for k in shared]), np.array([deezer[k] for k in shared])
    )
    result["moods"] = {
        "file": data.file,
        "seed": seed,
        "variants": {name: _where_moods_land(data, params, seed) for name, (_, params) in variants.items()},
    }
    return result
