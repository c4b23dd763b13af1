"""The config that travels with an expression model as a JSON sidecar next to its ``.onnx``.

Everything needed to feed the network and read its output lives here, so no
call site hard-codes input size, normalisation, face cropping or label order.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from moodtune.errors import ModelError

__all__ = ["ExpressionModelConfig"]


@dataclass(frozen=True)
class ExpressionModelConfig:
    """Preprocessing, labels and provenance of one expression model.

    Attributes
    ----------
    name : registry name of the model file (``<name>.onnx``).
    architecture : the training architecture it was built from.
    labels : class names in output order.
    input_size : side of the square grayscale input, pixels.
    mean, std : input normalisation applied to pixel/255.
    crop_scale : side of the square crop taken around a detected face, as a
        multiple of the detector box's larger side (FER2013 crops are looser
        than detector boxes).
    crop_shift : vertical offset of the crop centre, as a fraction of the box
        height (positive = down).
    face_region : ``"full"``, or ``"upper"`` for a model that sees only the brows and eyes
        (see ``crop.face_region``).
    temperature : the logits are divided by it before the softmax; fitted on held-out
        faces at export so that confidences are calibrated (1.0: as trained).
    outputs : ONNX output names: logits, the last feature maps, and per-class Grad-CAM maps.
    provenance : when and from what training run the file was made.
    """

    name: str
    architecture: str
    labels: tuple[str, ...]
    input_size: int = 48
    mean: float = 0.5
    std: float = 0.25
    crop_scale: float = 1.25
    crop_shift: float = 0.0
    face_region: str = "full"
    temperature: float = 1.0
    outputs: tuple[str, ...] = ("logits", "features", "cams")
    provenance: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.temperature > 0:  # also refuses NaN
            raise ValueError(f"temperature must be > 0, got {self.temperature}")

    def to_json(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, path: str | Path) -> ExpressionModelConfig:
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
            raw["labels"] = tuple(raw["labels"])
            raw["outputs"] = tuple(raw.get("outputs", cls.outputs))
            return cls(**raw)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"{path}: unreadable model config ({exc})") from exc
