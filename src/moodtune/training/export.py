"""Export a trained checkpoint to ONNX (+ JSON sidecar) and prove the file matches torch.

The ONNX graph has three outputs: ``logits``, ``features`` (the last convolutional
maps) and ``cams`` (every class's Grad-CAM on them, before the ReLU), so
explanations need no torch and no gradients at inference.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import torch

from moodtune.affect import EMOTIONS
from moodtune.errors import ModelError
from moodtune.perception.expression import ExpressionModel, ExpressionModelConfig, face_region

from .train import load_checkpoint, predict_logits

__all__ = ["export_onnx", "check_onnx_matches_torch"]

log = logging.getLogger(__name__)


class _WithFeatures(torch.nn.Module):
    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        # Every registered architecture has forward_features/forward_head; nn.Module's type does not say so.
        self.model: Any = model

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        features = self.model.forward_features(x)
        return self.model.forward_head(features), features, self.model.class_activation_maps(features)


def check_onnx_matches_torch(
    torch_model: torch.nn.Module,
    onnx_path: Path,
    images: np.ndarray,
    mean: float,
    std: float,
    *,
    max_abs_diff: float = 1e-3,
    min_agreement: float = 0.999,
) -> dict:
    """Compare logits of the ONNX file with torch (float32) on ``images`` (N, S, S) uint8.

    Raises ``ModelError`` unless max |Δlogit| ≤ ``max_abs_diff`` and the argmax
    agrees on at least ``min_agreement`` of the images.
    """
    exported = ExpressionModel(onnx_path)
    # The ONNX wrapper crops its face region itself; torch gets the same pixels.
    reference = predict_logits(torch_model, face_region(images, exported.config.face_region), mean, std, bf16=False)
    got = exported.predict_logits(images)
    diff = float(np.abs(reference - got).max())
    agreement = float((reference.argmax(1) == got.argmax(1)).mean())
    report = {"n": int(len(images)), "max_abs_logit_diff": diff, "argmax_agreement": agreement}
    if diff > max_abs_diff or agreement < min_agreement:
        raise ModelError(f"ONNX export does not match torch: {report}")
    return report


def export_onnx(
    checkpoint: str | Path,
    out_path: str | Path,
    *,
    check_images: np.ndarray,
    crop_scale: float = 1.25,
    crop_shift: float = 0.0,
) -> ExpressionModelConfig:
    """Write ``out_path`` (.onnx) and its ``.json`` sidecar from a training checkpoint, then verify it."""
    model, ckpt = load_checkpoint(checkpoint)
    cfg = ckpt["config"]
    history_file = Path(checkpoint).parent / "history.json"
    history = json.loads(history_file.read_text()) if history_file.is_file() else None
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    dummy = torch.zeros(1, 1, 48, 48)
    torch.onnx.export(
        _WithFeatures(model).eval(),
        (dummy,),
        str(out_path),
        input_names=["faces"],
        output_names=["logits", "features", "cams"],
        dynamic_axes={"faces": {0: "n"}, "logits": {0: "n"}, "features": {0: "n"}, "cams": {0: "n"}},
        opset_version=17,
        dynamo=False,
    )
    config = ExpressionModelConfig(
        name=out_path.stem,
        architecture=cfg["architecture"],
        labels=EMOTIONS,
        input_size=48,
        mean=cfg["mean"],
        std=cfg["std"],
        crop_scale=crop_scale,
        crop_shift=crop_shift,
        face_region=cfg.get("face_region", "full"),
        provenance={
            "exported": dt.date.today().isoformat(),
            "epoch": ckpt.get("epoch"),
            "val_accuracy": ckpt.get("val_accuracy"),
            "train_config": {k: v for k, v in cfg.items() if k not in ("mean", "std")},
            # The per-epoch curves travel with the weights, so reports can draw them.
            "history": history,
        },
    )
    config.to_json(out_path.with_suffix(".json"))
    report = check_onnx_matches_torch(model, out_path, check_images, cfg["mean"], cfg["std"])
    log.info("ONNX integrity check passed: %s", report)
    return config
