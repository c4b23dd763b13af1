"""Facial expression: crop detected faces and classify them with a shipped ONNX model."""

from .crop import FACE_REGIONS, CropFrame, crop_face, crop_frame, crop_square, face_region, to_gray
from .explain import explain_faces, heatmap_on_square, heatmaps_from_cams, require_cams
from .model_config import ExpressionModelConfig
from .predictor import DEFAULT_MODEL, ExpressionModel, list_expression_models, load_expression_model, softmax

__all__ = [
    "DEFAULT_MODEL",
    "FACE_REGIONS",
    "ExpressionModel",
    "ExpressionModelConfig",
    "CropFrame",
    "crop_face",
    "crop_frame",
    "crop_square",
    "explain_faces",
    "face_region",
    "heatmap_on_square",
    "heatmaps_from_cams",
    "list_expression_models",
    "require_cams",
    "load_expression_model",
    "softmax",
    "to_gray",
]
