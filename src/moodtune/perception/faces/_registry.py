"""Name → constructor registry for face detectors: ``create_detector(name)`` builds one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from moodtune.errors import ImageError, InputError

from .face import Face

__all__ = ["FaceDetector", "register_detector", "create_detector", "list_detectors", "require_rgb"]


class FaceDetector(Protocol):
    def detect(self, image_rgb: np.ndarray) -> list[Face]:
        """Faces in an (H, W, 3) uint8 RGB image, largest box first."""
        ...


def require_rgb(image: np.ndarray) -> None:
    """Detectors take decoded images only; anything else is a caller's mistake, said plainly."""
    if not (isinstance(image, np.ndarray) and image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3):
        raise ImageError("detect() needs an (H, W, 3) uint8 RGB array; use decode_image() first")


_DETECTORS: dict[str, Callable[..., FaceDetector]] = {}


# What every entry point (API, CLI, live stream, Python) detects with unless told otherwise.
DEFAULT_DETECTOR = "blazeface"


def register_detector(fn: Callable[..., FaceDetector]) -> Callable[..., FaceDetector]:
    """Decorator: make ``fn`` buildable as ``create_detector(fn.__name__, **kwargs)``."""
    if fn.__name__ in _DETECTORS:
        raise ValueError(f"face detector {fn.__name__!r} is registered twice")
    _DETECTORS[fn.__name__] = fn
    return fn


def create_detector(name: str = DEFAULT_DETECTOR, **kwargs: Any) -> FaceDetector:
    """Build a registered detector; ``kwargs`` go to its constructor (e.g. ``min_score``)."""
    try:
        factory = _DETECTORS[name]
    except KeyError:
        raise InputError(f"unknown face detector {name!r}; choose from {list_detectors()}") from None
    return factory(**kwargs)


def list_detectors() -> list[str]:
    return sorted(_DETECTORS)
