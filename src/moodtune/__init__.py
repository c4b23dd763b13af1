"""moodtune: music recommendations from how you feel.

>>> import moodtune
>>> tracks = moodtune.recommend("sad", strategy="uplift", k=3)
>>> len(tracks)
3
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from moodtune.errors import CatalogError, DataError, ImageError, InputError, ModelError, MoodtuneError

if TYPE_CHECKING:
    from moodtune.affect import EMOTIONS, AffectState
    from moodtune.affect.fusion import FusedAffect, fuse
    from moodtune.music import Recommendation, Track
    from moodtune.perception.text import TextMood, read_text_mood
    from moodtune.pipeline import FaceReading, ImageAnalysis, ImageExplanation, analyze_image, explain_image, recommend

    __version__: str

__all__ = [
    "EMOTIONS",
    "AffectState",
    "CatalogError",
    "DataError",
    "FaceReading",
    "FusedAffect",
    "ImageAnalysis",
    "ImageExplanation",
    "ImageError",
    "InputError",
    "ModelError",
    "MoodtuneError",
    "Recommendation",
    "TextMood",
    "Track",
    "analyze_image",
    "explain_image",
    "fuse",
    "read_text_mood",
    "recommend",
]

# Where each public name lives. Names load on first use: every ``moodtune`` command imports this
# package, and most (``--help`` first) need neither numpy nor OpenCV nor the catalog.
_LAZY: dict[str, str] = {
    "EMOTIONS": "moodtune.affect",
    "AffectState": "moodtune.affect",
    "FusedAffect": "moodtune.affect.fusion",
    "fuse": "moodtune.affect.fusion",
    "Recommendation": "moodtune.music",
    "Track": "moodtune.music",
    "TextMood": "moodtune.perception.text",
    "read_text_mood": "moodtune.perception.text",
    "FaceReading": "moodtune.pipeline",
    "ImageAnalysis": "moodtune.pipeline",
    "ImageExplanation": "moodtune.pipeline",
    "analyze_image": "moodtune.pipeline",
    "explain_image": "moodtune.pipeline",
    "recommend": "moodtune.pipeline",
}


def _version() -> str:
    import importlib.metadata

    try:
        return importlib.metadata.version("moodtune")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _version()
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later lookups find it without coming here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, "__version__"})
