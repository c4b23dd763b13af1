"""Mood from audio features: a mood label with its probability, and a valence–arousal point.

Tracks that come with Spotify-style audio features (``AUDIO_FEATURES``) but no valence/arousal
get both from here. Plain numpy at run time; the fitted model is one JSON file of plain numbers
(``models/audio_mood.json``), read once per process.

The point lies on moodtune's plane, the valence–arousal plane of Russell's circumplex that the
emotion anchors (``moodtune.affect.VA_ANCHORS``) and the starter catalog use: calm, relaxed music
is *pleasant* and quiet (+valence, −arousal), not sad. Spotify's own "valence" (musical
positiveness) rates quiet acoustic music low, so it cannot be the valence axis itself; it only
places a track *within* its mood's region.

How a track is placed (``AudioMoodModel``):

1. **Standardise** the model's features (``MODEL_FEATURES``: the eight continuous audio features;
   ``key`` carries no order and ``mode`` is not in the training data) with the training means and
   standard deviations. A missing feature (NaN) takes the training mean, i.e. it adds nothing.
2. **Mood label**: multinomial logistic regression (L2, ``C``) over ``MOODS``, trained on the
   human labels of the Spotify moods data set; ``label`` is the most probable mood,
   ``probability`` its probability, and the four probabilities p_c weigh step 4.
3. **Signals**, one per axis, on Spotify's 0–1 scales: *positiveness*, Spotify valence predicted
   by a ridge regression on the standardised features (Spotify valence is no ``AUDIO_FEATURES``
   column, so catalogs do not keep it), and *energy*, Spotify's "intensity and activity".
4. **Place**: ``point = Σ_c p_c·anchor_c + gain·(signals − Σ_c p_c·mean_c)``, clipped to [-1, 1].
   ``anchor_c`` is mood c's point on the circumplex (``MOOD_ANCHORS``, fixed in advance, not
   fitted) and ``mean_c`` the mean signals of the training tracks labelled c. The mood sets the
   region; how much more or less positive and energetic the track is than a typical track of its
   mood moves it within the region, ``gain`` 2 converting Spotify's 0–1 width into the plane's
   −1…1 width. A typical track of a mood, classified with certainty, lands on its anchor.

Example
-------
>>> import numpy as np
>>> from moodtune.music.audio_mood import estimate_mood
>>> loud_dance = [0.8, 0.9, 0.05, 0.0, 0.05, 0.1, -4.0, 124.0, 1, 5]  # AUDIO_FEATURES order
>>> piano = [0.3, 0.08, 0.98, 0.9, 0.04, 0.1, -25.0, 70.0, 1, 0]
>>> est = estimate_mood(np.array([loud_dance, piano]))
>>> est.label.tolist()
['Happy', 'Calm']
>>> np.round(np.column_stack([est.valence, est.arousal]), 2).tolist()  # the piano: pleasant and quiet
[[0.93, 0.79], [0.47, -0.72]]
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import numpy as np

from moodtune.affect import VA_ANCHORS
from moodtune.errors import InputError, ModelError

from .track import AUDIO_FEATURES, MOODS

__all__ = [
    "DEFAULT_AUDIO_MOOD_MODEL",
    "MODEL_FEATURES",
    "MOOD_ANCHORS",
    "AudioMoodEstimate",
    "AudioMoodModel",
    "estimate_mood",
    "load_audio_mood_model",
]

#: The audio features the model reads: all but mode (missing from data_moods.csv) and key (a pitch class, not a scale).
MODEL_FEATURES: Final[tuple[str, ...]] = tuple(f for f in AUDIO_FEATURES if f not in ("mode", "key"))

#: Mood → its (valence, arousal) on moodtune's plane, where a typical track of the mood lands.
#: Happy and Sad are the anchors of the emotions of the same name (``VA_ANCHORS``, Russell &
#: Mehrabian 1977), so happy music sits where a happy listener's mood does. Calm and Energetic
#: name no emotion of that scale; they lie on Russell's (1980) circumplex at the angle of the
#: category they name, at 0.80 from neutral (the mean distance of the six non-neutral anchors):
#: Calm at relaxation, 315°; Energetic between excitement (45°) and arousal (90°), at 67.5°, as
#: energetic music is defined by its intensity more than by its pleasantness.
MOOD_ANCHORS: Final = MappingProxyType(
    {
        "Happy": VA_ANCHORS["happy"],
        "Sad": VA_ANCHORS["sad"],
        "Energetic": (0.31, 0.74),
        "Calm": (0.57, -0.57),
    }
)

#: The shipped model file, inside the package.
DEFAULT_AUDIO_MOOD_MODEL: Final = "audio_mood.json"

#: ``format`` written into every model file; a reader refuses any other. Version 2 places tracks
#: on the circumplex (``MOOD_ANCHORS``); version 1 files, on Spotify's valence scale, are refused.
MODEL_FORMAT: Final = "moodtune.audio_mood/2"

# Newton's method on a 36-parameter convex problem converges in ~10 steps; the cap only guards
# against a pathological input.
_MAX_NEWTON_STEPS = 100
_GRADIENT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class AudioMoodEstimate:
    """Per track: valence, arousal (each on [-1, 1]), the most probable mood and its probability.

    Attributes
    ----------
    valence, arousal : ndarray of shape (n,), float64, in [-1, 1].
    label : ndarray of shape (n,), str, each one of ``MOODS``.
    probability : ndarray of shape (n,), float64, the probability of ``label``, in [1/4, 1].
    """

    valence: np.ndarray
    arousal: np.ndarray
    label: np.ndarray
    probability: np.ndarray

    def __len__(self) -> int:
        return len(self.label)


def _softmax(scores: np.ndarray) -> np.ndarray:
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _check_audio(X: object, name: str = "X") -> np.ndarray:
    """``X`` as float64 of shape (n, len(AUDIO_FEATURES)); NaN allowed, ±inf not."""
    try:
        arr = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} must be numbers, shape (n, {len(AUDIO_FEATURES)}): {exc}") from None
    if arr.ndim != 2 or arr.shape[1] != len(AUDIO_FEATURES):
        raise InputError(f"{name} must have shape (n, {len(AUDIO_FEATURES)}) in AUDIO_FEATURES order, got {arr.shape}")
    if np.isinf(arr).any():
        raise InputError(f"{name} holds an infinite value; use NaN for a missing feature")
    return arr


def _check_spotify_valence(spotify_valence: object, n: int) -> np.ndarray:
    """Spotify valence as float64 of shape (n,), NaN where unknown, else in [0, 1]."""
    try:
        sv = np.asarray(spotify_valence, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"spotify_valence must be numbers: {exc}") from None
    if sv.shape != (n,):
        raise InputError(f"spotify_valence must have shape ({n},), got {sv.shape}")
    known = sv[~np.isnan(sv)]
    if ((known < 0) | (known > 1)).any():
        raise InputError("spotify_valence must lie in [0, 1] (Spotify's scale), or be NaN where unknown")
    return sv


def _anchor_array(anchors: object) -> np.ndarray:
    """``anchors`` (mood → (valence, arousal)) as ndarray of shape (4, 2) in ``MOODS`` order.

    Raises
    ------
    InputError : not exactly the ``MOODS``, or a point that is not two numbers in [-1, 1].
    """
    if not isinstance(anchors, Mapping) or set(anchors) != set(MOODS):
        got = sorted(anchors) if isinstance(anchors, Mapping) else type(anchors).__name__
        raise InputError(f"anchors must map each of {MOODS} to a (valence, arousal) point, got {got}")
    try:
        points = np.array([[float(x) for x in anchors[m]] for m in MOODS], dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"anchors must be (valence, arousal) pairs of numbers: {exc}") from None
    if points.shape != (len(MOODS), 2) or not (np.abs(points) <= 1).all():
        raise InputError(f"anchors must be (valence, arousal) pairs in [-1, 1], got {points.tolist()}")
    return points


def _fit_multinomial_logistic(Z: np.ndarray, y: np.ndarray, n_classes: int, C: float) -> np.ndarray:
    """Newton's method for L2 multinomial logistic regression (same objective as scikit-learn's).

    Minimises ``Σ_i −log p(y_i | z_i) + ‖W‖² / (2C)`` (intercepts unpenalised).

    Parameters
    ----------
    Z : ndarray of shape (n, d), standardised features without NaN.
    y : ndarray of shape (n,), int class indices in [0, n_classes).

    Returns
    -------
    ndarray of shape (d + 1, n_classes): weights, then the intercepts in the last row.
    """
    n, d = Z.shape
    A = np.hstack([Z, np.ones((n, 1))])
    Y = np.eye(n_classes)[y]
    penalty = np.full((d + 1, 1), 1.0 / C)
    penalty[-1] = 0.0
    theta = np.zeros((d + 1, n_classes))

    def objective(t: np.ndarray) -> float:
        logits = A @ t
        m = logits.max(axis=1, keepdims=True)
        log_norm = (m + np.log(np.exp(logits - m).sum(axis=1, keepdims=True)))[:, 0]
        return float(np.sum(log_norm - logits[np.arange(n), y]) + 0.5 * np.sum(penalty * t**2))

    value = objective(theta)
    for _ in range(_MAX_NEWTON_STEPS):
        P = _softmax(A @ theta)
        grad = A.T @ (P - Y) + penalty * theta
        if np.abs(grad).max() < _GRADIENT_TOLERANCE * n:
            break
        # Hessian over (feature a, class k) × (feature b, class l): Σ_i A_ia A_ib P_ik (δ_kl − P_il).
        W = np.einsum("ik,kl->ikl", P, np.eye(n_classes)) - np.einsum("ik,il->ikl", P, P)
        H = np.einsum("ia,ikl,ib->akbl", A, W, A).reshape((d + 1) * n_classes, (d + 1) * n_classes)
        H += np.diag(np.repeat(penalty[:, 0], n_classes))
        # Adding one constant to every intercept changes nothing: H is singular along that
        # direction, so take the least-squares (minimum-norm) Newton step.
        step = np.linalg.lstsq(H, grad.reshape(-1), rcond=None)[0].reshape(d + 1, n_classes)
        rate = 1.0
        while rate > 1e-10 and objective(theta - rate * step) > value:
            rate /= 2
        if rate <= 1e-10:
            break  # no step lowers the objective: converged as far as float64 allows
        theta = theta - rate * step
        value = objective(theta)
    theta[-1] -= theta[-1].mean()  # the intercepts' free constant, fixed for a reproducible file
    return theta


class AudioMoodModel:
    """Mood label and valence/arousal from audio features; scikit-learn-style estimator.

    Parameters
    ----------
    C : inverse L2 strength of the logistic regression (> 0; scikit-learn's default 1.0).
    valence_alpha : ridge penalty of the positiveness regression (> 0), on standardised features.
    gain : plane units per unit of a signal (positiveness, energy), ≥ 0. The default 2 maps
        Spotify's 0–1 width onto the plane's −1…1 width; 0 puts every track at the probability-
        weighted mean of the anchors.
    anchors : mood → (valence, arousal) in [-1, 1], where a typical track of the mood lands
        (default ``MOOD_ANCHORS``).
    features : the ``AUDIO_FEATURES`` the model reads; must include ``energy`` (the arousal signal).

    Attributes (after ``fit``)
    --------------------------
    classes_ : tuple of str, ``MOODS``.
    mean_, scale_ : ndarray of shape (len(features),), training means (also the imputed values) and
        standard deviations.
    coef_ : ndarray of shape (len(features), 4); ``intercept_`` : ndarray of shape (4,).
    valence_coef_ : ndarray of shape (len(features),); ``valence_intercept_`` : float; the ridge
        regression of Spotify valence (positiveness) on the standardised features.
    anchors_ : ndarray of shape (4, 2), ``anchors`` in ``classes_`` order.
    signal_means_ : ndarray of shape (4, 2), mean positiveness and energy of the training tracks of
        each mood, both as computed for a new track (positiveness predicted).
    provenance_ : dict, where the model came from (data, date, cross-validated figures); empty
        after ``fit``, read from the file by ``load``.

    Example
    -------
    >>> model = AudioMoodModel().fit(X, y, spotify_valence=sv)  # doctest: +SKIP
    >>> model.estimate(X_new).label                             # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        C: float = 1.0,
        valence_alpha: float = 1.0,
        gain: float = 2.0,
        anchors: Mapping[str, Sequence[float]] = MOOD_ANCHORS,
        features: Sequence[str] = MODEL_FEATURES,
    ) -> None:
        self.C = C
        self.valence_alpha = valence_alpha
        self.gain = gain
        self.anchors = anchors
        self.features = tuple(features)

    # --- parameters and inputs -------------------------------------------------------------------

    def _validate_params(self) -> None:
        if not (isinstance(self.C, int | float) and math.isfinite(self.C) and self.C > 0):
            raise InputError(f"C must be a positive number, got {self.C!r}")
        if not (isinstance(self.valence_alpha, int | float) and 0 < self.valence_alpha < math.inf):
            raise InputError(f"valence_alpha must be a positive number, got {self.valence_alpha!r}")
        if not (isinstance(self.gain, int | float) and 0 <= self.gain < math.inf):
            raise InputError(f"gain must be a number ≥ 0, got {self.gain!r}")
        _anchor_array(self.anchors)
        unknown = [f for f in self.features if f not in AUDIO_FEATURES]
        if unknown or not self.features or len(set(self.features)) != len(self.features):
            raise InputError(
                f"features must be distinct names from AUDIO_FEATURES {AUDIO_FEATURES}, got {self.features}"
            )
        if "energy" not in self.features:
            raise InputError("features must include 'energy': it is the arousal signal")

    @property
    def _columns(self) -> list[int]:
        return [AUDIO_FEATURES.index(f) for f in self.features]

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise ModelError("this AudioMoodModel is not fitted yet: call fit() or load a model file")

    def _standardise(self, X: np.ndarray) -> np.ndarray:
        """(n, len(AUDIO_FEATURES)) raw → (n, len(features)) standardised, NaN → 0 (the mean)."""
        Z = (X[:, self._columns] - self.mean_) / self.scale_
        return np.where(np.isnan(Z), 0.0, Z)

    def _signals(self, Z: np.ndarray, X: np.ndarray) -> np.ndarray:
        """(n, 2) positiveness (predicted Spotify valence) and energy, on [0, 1]; NaN energy → its mean."""
        positiveness = Z @ self.valence_coef_ + self.valence_intercept_
        energy = X[:, AUDIO_FEATURES.index("energy")]
        energy = np.where(np.isnan(energy), self.mean_[self.features.index("energy")], energy)
        return np.clip(np.column_stack([positiveness, energy]), 0.0, 1.0)

    # --- scikit-learn contract -------------------------------------------------------------------

    def fit(self, X: np.ndarray, y: Sequence[str] | np.ndarray, *, spotify_valence: np.ndarray) -> AudioMoodModel:
        """Fit on labelled tracks.

        Parameters
        ----------
        X : ndarray of shape (n_samples, len(AUDIO_FEATURES)), AUDIO_FEATURES order, NaN where unknown.
        y : array-like of shape (n_samples,), mood names from ``MOODS``; every mood must occur.
        spotify_valence : ndarray of shape (n_samples,), Spotify valence on [0, 1] (NaN where
            unknown): the target of the positiveness regression.

        Returns
        -------
        self
        """
        self._validate_params()
        X = _check_audio(X)
        labels = np.asarray(y, dtype=object)
        if labels.shape != (len(X),):
            raise InputError(f"y must have shape ({len(X)},), got {labels.shape}")
        unknown = sorted({str(v) for v in labels} - set(MOODS))
        if unknown:
            raise InputError(f"y holds labels outside {MOODS}: {unknown[:5]}")
        codes = np.array([MOODS.index(v) for v in labels], dtype=np.int64)
        absent = [m for i, m in enumerate(MOODS) if not (codes == i).any()]
        if absent:
            raise InputError(f"y must contain every mood; missing: {absent}")
        sv = _check_spotify_valence(spotify_valence, len(X))
        if (~np.isnan(sv)).sum() < 2:
            raise InputError("spotify_valence must be known for at least two training tracks")
        raw = X[:, self._columns]
        empty = [f for f, known in zip(self.features, (~np.isnan(raw)).any(axis=0), strict=True) if not known]
        if empty:
            raise InputError(f"features {empty} have no value in the training data; leave them out of `features`")

        self.mean_ = np.nanmean(raw, axis=0)
        scale = np.nanstd(raw, axis=0)
        self.scale_ = np.where(scale > 0, scale, 1.0)  # a constant feature stays 0 after centring
        Z = self._standardise(X)
        theta = _fit_multinomial_logistic(Z, codes, len(MOODS), float(self.C))
        self.coef_, self.intercept_ = theta[:-1], theta[-1]

        known = ~np.isnan(sv)
        Zk, svk = Z[known], sv[known]
        self.valence_intercept_ = float(svk.mean())
        # Ridge on centred data: (ZᵀZ + αI) w = Zᵀ(sv − mean); the intercept is the mean.
        Zc = Zk - Zk.mean(axis=0)
        gram = Zc.T @ Zc + self.valence_alpha * np.eye(Z.shape[1])
        self.valence_coef_ = np.linalg.solve(gram, Zc.T @ (svk - svk.mean()))
        self.valence_intercept_ -= float(Zk.mean(axis=0) @ self.valence_coef_)

        # The moods' mean signals as a new track gets them (positiveness predicted, not Spotify's
        # own): a regression is narrower than its target, so centring on the true means would
        # shift every mood by the regression's shrinkage.
        signals = self._signals(Z, X)
        self.signal_means_ = np.array([signals[codes == i].mean(axis=0) for i in range(len(MOODS))])
        self.anchors_ = _anchor_array(self.anchors)
        self.classes_ = MOODS
        self.provenance_: dict[str, Any] = {}
        return self

    def _proba(self, Z: np.ndarray) -> np.ndarray:
        return _softmax(Z @ self.coef_ + self.intercept_)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Mood probabilities, ndarray of shape (n_samples, 4) in ``classes_`` (``MOODS``) order; rows sum to 1."""
        self._check_fitted()
        return self._proba(self._standardise(_check_audio(X)))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The most probable mood of each track, ndarray of shape (n_samples,) of str."""
        proba = self.predict_proba(X)
        return np.asarray(self.classes_, dtype=object)[proba.argmax(axis=1)]

    def predict_positiveness(self, X: np.ndarray) -> np.ndarray:
        """Spotify valence ("musical positiveness") predicted from the features: the valence signal.

        Returns
        -------
        ndarray of shape (n_samples,), on [0, 1].
        """
        self._check_fitted()
        X = _check_audio(X)
        return self._signals(self._standardise(X), X)[:, 0]

    def estimate(self, X: np.ndarray) -> AudioMoodEstimate:
        """Valence, arousal, mood label and probability of each track.

        Parameters
        ----------
        X : ndarray of shape (n_samples, len(AUDIO_FEATURES)), AUDIO_FEATURES order, NaN where unknown.
        """
        self._check_fitted()
        X = _check_audio(X)
        Z = self._standardise(X)
        proba = self._proba(Z)
        offset = self._signals(Z, X) - proba @ self.signal_means_
        va = np.clip(proba @ self.anchors_ + self.gain * offset, -1.0, 1.0)
        best = proba.argmax(axis=1)
        return AudioMoodEstimate(
            valence=va[:, 0],
            arousal=va[:, 1],
            label=np.asarray(self.classes_, dtype=object)[best],
            probability=proba[np.arange(len(X)), best],
        )

    # --- the model file ----------------------------------------------------------------------------

    def to_dict(self, provenance: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The fitted model as plain JSON-able numbers and names (the model file's content)."""
        self._check_fitted()
        return {
            "format": MODEL_FORMAT,
            "features": list(self.features),
            "labels": list(self.classes_),
            "params": {"C": self.C, "valence_alpha": self.valence_alpha, "gain": self.gain},
            "mean": self.mean_.tolist(),
            "scale": self.scale_.tolist(),
            "coef": self.coef_.tolist(),
            "intercept": self.intercept_.tolist(),
            "valence_coef": self.valence_coef_.tolist(),
            "valence_intercept": self.valence_intercept_,
            "anchors": self.anchors_.tolist(),
            "signal_means": self.signal_means_.tolist(),
            "provenance": dict(provenance or {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AudioMoodModel:
        """Rebuild a fitted model from ``to_dict`` output.

        Raises
        ------
        ModelError : another format, labels other than ``MOODS``, or arrays of the wrong shape.
        """
        try:
            if data.get("format") != MODEL_FORMAT:
                raise ModelError(
                    f"not an audio-mood model of format {MODEL_FORMAT!r}: {data.get('format')!r}; "
                    "refit it with `moodtune audio-mood fit`"
                )
            if tuple(data["labels"]) != MOODS:
                raise ModelError(f"model labels {data['labels']} are not {list(MOODS)}")
            params = data["params"]
            anchors = data["anchors"]
            if not (isinstance(anchors, list) and len(anchors) == len(MOODS)):
                raise ModelError(f"malformed audio-mood model: 'anchors' must be {len(MOODS)} points")
            model = cls(
                C=float(params["C"]),
                valence_alpha=float(params["valence_alpha"]),
                gain=float(params["gain"]),
                anchors=dict(zip(MOODS, anchors, strict=True)),
                features=tuple(data["features"]),
            )
            model._validate_params()
            d, k = len(model.features), len(MOODS)
            arrays = {
                "mean": (d,),
                "scale": (d,),
                "coef": (d, k),
                "intercept": (k,),
                "valence_coef": (d,),
                "signal_means": (k, 2),
            }
            values = {name: np.asarray(data[name], dtype=np.float64) for name in arrays}
            valence_intercept = float(data["valence_intercept"])
        except (KeyError, TypeError, ValueError, InputError) as exc:
            raise ModelError(f"malformed audio-mood model: {exc}") from None
        for name, shape in arrays.items():
            if values[name].shape != shape or not np.isfinite(values[name]).all():
                raise ModelError(f"malformed audio-mood model: {name!r} must be finite numbers of shape {shape}")
        if not math.isfinite(valence_intercept) or (values["scale"] <= 0).any():
            raise ModelError("malformed audio-mood model: non-finite intercept or non-positive scale")
        model.mean_, model.scale_ = values["mean"], values["scale"]
        model.coef_, model.intercept_ = values["coef"], values["intercept"]
        model.valence_coef_, model.valence_intercept_ = values["valence_coef"], valence_intercept
        model.anchors_ = _anchor_array(model.anchors)
        model.signal_means_ = values["signal_means"]
        model.classes_ = MOODS
        model.provenance_ = dict(data.get("provenance") or {})
        return model

    def save(self, path: str | Path, provenance: Mapping[str, Any] | None = None) -> None:
        """Write the model file (JSON, UTF-8)."""
        text = json.dumps(self.to_dict(provenance), indent=1, ensure_ascii=False)
        Path(path).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> AudioMoodModel:
        """Read a model file written by ``save``; raises ``ModelError`` when it is missing or malformed."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(f"{Path(path).name}: cannot read audio-mood model ({exc})") from exc
        if not isinstance(data, dict):
            raise ModelError(f"{Path(path).name}: an audio-mood model file holds one JSON object")
        return cls.from_dict(data)


@lru_cache(maxsize=4)
def load_audio_mood_model(path: str | None = None) -> AudioMoodModel:
    """The shipped model (``path`` None) or the model file at ``path``, loaded once per process."""
    if path is not None:
        return AudioMoodModel.load(path)
    with resources.as_file(resources.files("moodtune.music") / "models" / DEFAULT_AUDIO_MOOD_MODEL) as shipped:
        if not shipped.is_file():
            raise ModelError(
                f"the audio-mood model {DEFAULT_AUDIO_MOOD_MODEL} is missing from the package; "
                "fit it with `moodtune audio-mood fit`"
            )
        return AudioMoodModel.load(shipped)


def estimate_mood(audio: np.ndarray, *, model: AudioMoodModel | None = None) -> AudioMoodEstimate:
    """Valence/arousal on [-1, 1] and a mood label with its probability, from audio features.

    Parameters
    ----------
    audio : ndarray of shape (n, len(AUDIO_FEATURES)), AUDIO_FEATURES order on Spotify's scales,
        NaN where a feature is unknown (it then takes the training mean).
    model : default the shipped model (``load_audio_mood_model()``).

    Raises
    ------
    InputError : ``audio`` of the wrong shape, or holding an infinite value.
    ModelError : the model file is missing or malformed.
    """
    return (model or load_audio_mood_model()).estimate(audio)
