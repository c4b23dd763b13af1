"""Batch augmentation for grayscale faces, done on tensors so it costs little next to the model.

Geometric: random rotation, zoom, shift and horizontal flip in one affine warp.
Photometric: brightness and contrast jitter. Occlusion: random erasing, which
teaches the model not to lean on a single facial region.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

__all__ = ["AugmentConfig", "augment_batch"]


@dataclass(frozen=True)
class AugmentConfig:
    max_rotation_deg: float = 15.0
    zoom: tuple[float, float] = (0.85, 1.15)
    max_shift: float = 0.1  # fraction of the side
    flip_prob: float = 0.5
    brightness: float = 0.2  # additive, images in [0, 1]
    contrast: float = 0.25  # multiplicative factor range 1 ± contrast
    erase_prob: float = 0.5
    erase_area: tuple[float, float] = (0.02, 0.15)


def augment_batch(x: torch.Tensor, cfg: AugmentConfig, generator: torch.Generator | None = None) -> torch.Tensor:
    """Augment a batch of images in [0, 1].

    Parameters
    ----------
    x : tensor of shape (N, 1, H, W), float in [0, 1]
    Returns a new tensor of the same shape, values clipped to [0, 1].
    """
    n, _, h, w = x.shape
    dev = x.device

    def uniform(lo: float, hi: float, size: int = n) -> torch.Tensor:
        return torch.rand(size, generator=generator, device=dev) * (hi - lo) + lo

    angle = uniform(-cfg.max_rotation_deg, cfg.max_rotation_deg) * (math.pi / 180)
    scale = 1.0 / uniform(*cfg.zoom)  # the grid maps output to input, so zoom-in shrinks it
    flip = torch.where(torch.rand(n, generator=generator, device=dev) < cfg.flip_prob, -1.0, 1.0)
    cos, sin = torch.cos(angle) * scale, torch.sin(angle) * scale
    theta = torch.stack(
        [
            torch.stack([cos * flip, -sin, uniform(-cfg.max_shift, cfg.max_shift) * 2], dim=1),
            torch.stack([sin * flip, cos, uniform(-cfg.max_shift, cfg.max_shift) * 2], dim=1),
        ],
        dim=1,
    )
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    out = F.grid_sample(x, grid, mode="bilinear", padding_mode="reflection", align_corners=False)

    mean = out.mean(dim=(1, 2, 3), keepdim=True)
    contrast = uniform(1 - cfg.contrast, 1 + cfg.contrast).view(n, 1, 1, 1)
    brightness = uniform(-cfg.brightness, cfg.brightness).view(n, 1, 1, 1)
    out = ((out - mean) * contrast + mean + brightness).clamp_(0.0, 1.0)

    if cfg.erase_prob > 0:
        area = uniform(*cfg.erase_area) * h * w
        aspect = torch.exp(uniform(math.log(0.5), math.log(2.0)))
        eh = torch.sqrt(area * aspect).clamp(1, h).long()
        ew = torch.sqrt(area / aspect).clamp(1, w).long()
        top = (torch.rand(n, generator=generator, device=dev) * (h - eh + 1)).long()
        left = (torch.rand(n, generator=generator, device=dev) * (w - ew + 1)).long()
        rows = torch.arange(h, device=dev).view(1, h, 1)
        cols = torch.arange(w, device=dev).view(1, 1, w)
        box = (
            (rows >= top.view(n, 1, 1))
            & (rows < (top + eh).view(n, 1, 1))
            & (cols >= left.view(n, 1, 1))
            & (cols < (left + ew).view(n, 1, 1))
        )
        apply = (torch.rand(n, generator=generator, device=dev) < cfg.erase_prob).view(n, 1, 1)
        noise = torch.rand(out.shape, generator=generator, device=dev)
        out = torch.where((box & apply).unsqueeze(1), noise, out)
    return out
