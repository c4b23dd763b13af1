"""Compact VGG-style CNN for 48×48 grayscale faces.

Four stages of 3×3 conv → BN → ReLU (2, 2, 3, 3 convs; 32→256 channels), each
closed by 2×2 max-pooling, then global average pooling and one linear layer.
``forward_features`` stops before the last max-pool, at 6×6 maps: there the
Grad-CAM of class c is exactly ``relu(sum_k W[c, k] * features[k]) / 36`` (each
2×2 window passes the gradient W[c, k] / 9 to its maximum, so every channel's
mean gradient is W[c, k] / 36), and explanations need no gradients at inference.
About 1.9 M parameters, ~0.1 GMAC per face.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ._registry import register_model

__all__ = ["CompactCNN", "compact_cnn"]


def _conv_bn_relu(c_in: int, c_out: int) -> list[nn.Module]:
    return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)]


class CompactCNN(nn.Module):
    def __init__(
        self,
        num_classes: int = 7,
        in_chans: int = 1,
        widths: tuple[int, ...] = (32, 64, 128, 256),
        depths: tuple[int, ...] = (2, 2, 3, 3),
        drop_rate: float = 0.3,
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        c_in = in_chans
        for width, depth in zip(widths, depths, strict=True):
            for _ in range(depth):
                layers += _conv_bn_relu(c_in, width)
                c_in = width
            layers.append(nn.MaxPool2d(2))
        # The last pool moves to the head so that the features keep 6×6 resolution for Grad-CAM;
        # it has no weights, so checkpoints are unaffected.
        self.features = nn.Sequential(*layers[:-1])
        self.num_features = c_in
        self.drop = nn.Dropout(drop_rate)
        self.head = nn.Linear(c_in, num_classes)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C_in, H, W) → feature maps (N, num_features, H/8, W/8)."""
        return self.features(x)

    def forward_head(self, features: torch.Tensor) -> torch.Tensor:
        """Feature maps → logits (N, num_classes)."""
        return self.head(self.drop(F.max_pool2d(features, 2).mean(dim=(2, 3))))

    def class_activation_maps(self, features: torch.Tensor) -> torch.Tensor:
        """Feature maps (N, K, h, w) → Grad-CAM of every class before the ReLU, (N, num_classes, h, w)."""
        return torch.einsum("ck,nkhw->nchw", self.head.weight, features) / (features.shape[2] * features.shape[3])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


@register_model
def compact_cnn(**kwargs: object) -> CompactCNN:
    return CompactCNN(**kwargs)  # type: ignore[arg-type]
