"""Facial-expression architectures, one per file, built through ``create_model``."""

from . import compact_cnn  # noqa: F401  (registers on import)
from ._registry import create_model, list_models, register_model

__all__ = ["create_model", "list_models", "register_model"]
