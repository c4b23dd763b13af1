"""Facial-expression architectures, one per file, built through ``create_model``.

Every architecture maps (N, 1, 48, 48) faces to 7 logits and exposes
``forward_features`` (the last convolutional maps), ``forward_head`` and
``class_activation_maps`` (exact Grad-CAM on those maps), which export and
explanation rely on.
"""

from . import compact_cnn, resnet_v2, three_block_cnn, vgg_style  # noqa: F401  (register on import)
from ._registry import create_model, list_models, register_model

__all__ = ["create_model", "list_models", "register_model"]
