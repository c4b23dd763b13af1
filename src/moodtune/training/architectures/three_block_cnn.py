"""The seeds' baseline: three blocks of two 3×3 convolutions (32, 64, 128 channels).

Each block is conv–BN–ReLU twice, 2×2 max-pooling and dropout 0.25, as in the
classic FER2013 Keras baselines; the dense head is replaced by global average
pooling → linear so that Grad-CAM is exact (see ``_heads``). ~0.29 M parameters.
"""

from __future__ import annotations

import torch
from torch import nn

from ._heads import PooledHeadNet, PooledLinearHead
from ._registry import register_model

__all__ = ["ThreeBlockCNN", "three_block_cnn"]


def _block(c_in: int, c_out: int, drop: float) -> list[nn.Module]:
    return [
        nn.Conv2d(c_in, c_out, 3, padding=1, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
        nn.Conv2d(c_out, c_out, 3, padding=1, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(2),
        nn.Dropout(drop),
    ]


class ThreeBlockCNN(PooledHeadNet):
    def __init__(self, num_classes: int = 7, in_chans: int = 1, drop_rate: float = 0.5) -> None:
        super().__init__()
        self.features = nn.Sequential(*_block(in_chans, 32, 0.25), *_block(32, 64, 0.25), *_block(64, 128, 0.25))
        self.num_features = 128
        self.head = PooledLinearHead(128, num_classes, drop_rate)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C_in, 48, 48) → (N, 128, 6, 6)."""
        return self.features(x)


@register_model
def three_block_cnn(**kwargs: object) -> ThreeBlockCNN:
    return ThreeBlockCNN(**kwargs)  # type: ignore[arg-type]
