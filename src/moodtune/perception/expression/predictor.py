"""Expression model inference on onnxruntime (no torch needed).

``ExpressionModel`` wraps one ``.onnx`` file and its JSON sidecar:
``preprocess`` → ``infer`` → ``postprocess`` (softmax), with optional
horizontal-flip test-time augmentation.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from moodtune.config import get_settings
from moodtune.errors import InputError, ModelError

from ..onnx_session import open_session
from .crop import face_region
from .model_config import ExpressionModelConfig

__all__ = ["ExpressionModel", "load_expression_model", "list_expression_models", "DEFAULT_MODEL", "softmax"]

log = logging.getLogger(__name__)

# The shipped model every entry point (API, CLI, live stream, Python) reads faces with unless told otherwise
# (``moodtune.settings.Settings.expression_model``'s default, which a test keeps equal to this).
DEFAULT_MODEL = "vgg_style"


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax of logits (N, C)."""
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class ExpressionModel:
    """A 7-emotion facial-expression classifier.

    Parameters
    ----------
    onnx_path : the model file; its config is read from the ``.json`` beside it.
    threads : onnxruntime intra-op threads (None: onnxruntime's default).
    """

    def __init__(self, onnx_path: str | Path, *, threads: int | None = None) -> None:
        onnx_path = Path(onnx_path)
        sidecar = onnx_path.with_suffix(".json")
        if not onnx_path.is_file() or not sidecar.is_file():
            raise ModelError(f"expression model {onnx_path.name} or its config {sidecar.name} is missing")
        self.config = ExpressionModelConfig.from_json(sidecar)
        self._session = open_session(onnx_path, threads=threads)
        self._input = self._session.get_inputs()[0].name
        names = [o.name for o in self._session.get_outputs()]
        if list(self.config.outputs) != names:
            raise ModelError(f"{onnx_path}: outputs {names} do not match config {list(self.config.outputs)}")

    @property
    def labels(self) -> tuple[str, ...]:
        return self.config.labels

    def preprocess(self, faces: np.ndarray) -> np.ndarray:
        """uint8 faces (N, S, S) → float32 network input (N, 1, S, S)."""
        faces = np.asarray(faces)
        size = self.config.input_size
        if faces.ndim == 2:
            faces = faces[None]
        if faces.ndim != 3 or faces.shape[1:] != (size, size):
            raise InputError(f"expected faces of shape (N, {size}, {size}), got {faces.shape}")
        x = face_region(faces, self.config.face_region).astype(np.float32) / 255.0
        return ((x - self.config.mean) / self.config.std)[:, None]

    def infer(self, x: np.ndarray) -> dict[str, np.ndarray]:
        """Network input (N, 1, S, S) → every output by name: ``logits`` (N, C),
        ``features`` (N, K, s, s) and ``cams`` (N, C, s, s)."""
        return dict(zip(self.config.outputs, self._session.run(None, {self._input: x}), strict=True))

    def predict_logits(self, faces: np.ndarray, *, flip_tta: bool = False) -> np.ndarray:
        """Logits of shape (N, C); with ``flip_tta`` the mean over the face and its mirror image."""
        x = self.preprocess(faces)
        logits = self.infer(x)["logits"]
        if flip_tta:
            logits = (logits + self.infer(np.ascontiguousarray(x[..., ::-1]))["logits"]) / 2
        return logits

    def proba_from_logits(self, logits: np.ndarray) -> np.ndarray:
        """Logits (N, C) → calibrated probabilities (N, C): softmax at the model's temperature."""
        return softmax(logits / self.config.temperature)

    def predict_proba(self, faces: np.ndarray, *, flip_tta: bool = False) -> np.ndarray:
        """Class probabilities of shape (N, C), rows summing to 1, columns in ``labels`` order."""
        return self.proba_from_logits(self.predict_logits(faces, flip_tta=flip_tta))

    def predict(self, faces: np.ndarray) -> np.ndarray:
        """Predicted class indices, shape (N,)."""
        return self.predict_logits(faces).argmax(axis=1)


def _models_dir() -> Path:
    return Path(str(resources.files("moodtune.perception.expression") / "models"))


def list_expression_models() -> list[str]:
    """Names of the expression models shipped in the package."""
    return sorted(p.stem for p in _models_dir().glob("*.onnx"))


def load_expression_model(name_or_path: str | None = None) -> ExpressionModel:
    """A shipped model by name, or any ``.onnx`` path with its sidecar; cached per process.

    None takes ``MOODTUNE_EXPRESSION_MODEL``, else ``DEFAULT_MODEL``; a name or path given here
    always wins over the variable.
    """
    return _load_expression_model(name_or_path or get_settings().expression_model)


# Cached on the resolved name, not on load_expression_model's argument, so None follows the settings.
@lru_cache(maxsize=4)
def _load_expression_model(name_or_path: str) -> ExpressionModel:
    path = Path(name_or_path)
    if path.suffix != ".onnx":
        path = _models_dir() / f"{name_or_path}.onnx"
        if not path.is_file():
            raise ModelError(f"no expression model {name_or_path!r}; shipped: {list_expression_models()}")
    return ExpressionModel(path)
