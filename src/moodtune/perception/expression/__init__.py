"""Facial expression: crop detected faces and classify them with a shipped ONNX model."""

from .crop import crop_face, crop_square, to_gray
from .explain import explain_faces
from .model_config import ExpressionModelConfig
from .predictor import DEFAULT_MODEL, ExpressionModel, list_expression_models, load_expression_model

__all__ = [
    "DEFAULT_MODEL",
    "ExpressionModel",
    "ExpressionModelConfig",
    "crop_face",
    "crop_square",
    "explain_faces",
    "list_expression_models",
    "load_expression_model",
    "to_gray",
]
