"""VGG-style network for 48×48 faces: four stages of two 3×3 convolutions (64 → 512 channels).

Conv–BN–ReLU pairs with 2×2 max-pooling after the first three stages, so the
last maps are 6×6; then the shared pooled-linear head (exact Grad-CAM, see
``_heads``). Wider and deeper than ``compact_cnn``: ~4.7 M parameters.
"""

from __future__ import annotations

import torch
from torch import nn

from ._heads import PooledHeadNet, PooledLinearHead
from ._registry import register_model

__all__ = ["VGGStyle", "vgg_style"]


def _conv(c_in: int, c_out: int) -> list[nn.Module]:
    return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)]


class VGGStyle(PooledHeadNet):
    def __init__(
        self,
        num_classes: int = 7,
        in_chans: int = 1,
        widths: tuple[int, ...] = (64, 128, 256, 512),
        drop_rate: float = 0.4,
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        c_in = in_chans
        for i, width in enumerate(widths):
            layers += _conv(c_in, width) + _conv(width, width)
            if i < len(widths) - 1:
                layers.append(nn.MaxPool2d(2))
            c_in = width
        self.features = nn.Sequential(*layers)
        self.num_features = c_in
        self.head = PooledLinearHead(c_in, num_classes, drop_rate)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C_in, 48, 48) → (N, 512, 6, 6)."""
        return self.features(x)


@register_model
def vgg_style(**kwargs: object) -> VGGStyle:
    return VGGStyle(**kwargs)  # type: ignore[arg-type]
