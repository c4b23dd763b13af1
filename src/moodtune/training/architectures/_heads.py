"""The classifier head the architectures share: global average pooling → dropout → linear.

With this head the Grad-CAM of class c on the final feature maps is exact and
closed-form: the gradient of the logit reaches every position as W[c, k] / (h·w),
so the map is ``sum_k W[c, k] * features[k] / (h·w)`` — no backward pass needed.
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["PooledHeadNet", "PooledLinearHead"]


class PooledLinearHead(nn.Module):
    def __init__(self, in_features: int, num_classes: int, drop_rate: float) -> None:
        super().__init__()
        self.drop = nn.Dropout(drop_rate)
        self.fc = nn.Linear(in_features, num_classes)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        """(N, K, h, w) → logits (N, num_classes)."""
        return self.fc(self.drop(features.mean(dim=(2, 3))))

    def class_activation_maps(self, features: torch.Tensor) -> torch.Tensor:
        """(N, K, h, w) → Grad-CAM of every class before the ReLU, (N, num_classes, h, w)."""
        return torch.einsum("ck,nkhw->nchw", self.fc.weight, features) / (features.shape[2] * features.shape[3])


class PooledHeadNet(nn.Module):
    """An architecture ending in ``PooledLinearHead``: subclasses build ``self.head`` and ``forward_features``."""

    head: PooledLinearHead

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def forward_head(self, features: torch.Tensor) -> torch.Tensor:
        return self.head(features)

    def class_activation_maps(self, features: torch.Tensor) -> torch.Tensor:
        return self.head.class_activation_maps(features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))
