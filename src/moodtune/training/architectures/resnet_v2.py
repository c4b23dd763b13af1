"""ResNet50V2-style network: pre-activation bottleneck residual blocks, scaled to 48×48 faces.

He et al., "Identity Mappings in Deep Residual Networks" (ECCV 2016): each block
is BN–ReLU–1×1 conv → BN–ReLU–3×3 conv → BN–ReLU–1×1 conv (×4 expansion), added
to the identity (or a 1×1 projection when shape changes). Stage depths
(3, 4, 6, 3) as in ResNet-50; base width 16 instead of 64 and a 3×3 stem without
max-pooling, since the faces are 48 px, so the last maps are 6×6. ~1.5 M parameters.
"""

from __future__ import annotations

import torch
from torch import nn

from ._heads import PooledHeadNet, PooledLinearHead
from ._registry import register_model

__all__ = ["PreActBottleneck", "ResNetV2", "resnet50v2_style"]


class PreActBottleneck(nn.Module):
    expansion = 4

    def __init__(self, c_in: int, mid: int, stride: int) -> None:
        super().__init__()
        c_out = mid * self.expansion
        self.bn1, self.conv1 = nn.BatchNorm2d(c_in), nn.Conv2d(c_in, mid, 1, bias=False)
        self.bn2, self.conv2 = nn.BatchNorm2d(mid), nn.Conv2d(mid, mid, 3, stride=stride, padding=1, bias=False)
        self.bn3, self.conv3 = nn.BatchNorm2d(mid), nn.Conv2d(mid, c_out, 1, bias=False)
        self.act = nn.ReLU(inplace=True)
        self.shortcut = nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False) if stride != 1 or c_in != c_out else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pre = self.act(self.bn1(x))
        identity = self.shortcut(pre) if self.shortcut is not None else x
        out = self.conv1(pre)
        out = self.conv2(self.act(self.bn2(out)))
        out = self.conv3(self.act(self.bn3(out)))
        return out + identity


class ResNetV2(PooledHeadNet):
    def __init__(
        self,
        num_classes: int = 7,
        in_chans: int = 1,
        depths: tuple[int, ...] = (3, 4, 6, 3),
        base_width: int = 16,
        drop_rate: float = 0.3,
    ) -> None:
        super().__init__()
        self.stem = nn.Conv2d(in_chans, base_width * 2, 3, padding=1, bias=False)
        blocks: list[nn.Module] = []
        c_in = base_width * 2
        for stage, depth in enumerate(depths):
            mid = base_width * 2**stage
            for i in range(depth):
                blocks.append(PreActBottleneck(c_in, mid, stride=2 if i == 0 and stage > 0 else 1))
                c_in = mid * PreActBottleneck.expansion
        self.blocks = nn.Sequential(*blocks)
        # Pre-activation nets end with a BN–ReLU before pooling.
        self.final = nn.Sequential(nn.BatchNorm2d(c_in), nn.ReLU(inplace=True))
        self.num_features = c_in
        self.head = PooledLinearHead(c_in, num_classes, drop_rate)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C_in, 48, 48) → (N, 16·base_width·… , 6, 6)."""
        return self.final(self.blocks(self.stem(x)))


@register_model
def resnet50v2_style(**kwargs: object) -> ResNetV2:
    return ResNetV2(**kwargs)  # type: ignore[arg-type]
