"""moodtune: music recommendations from how you feel.

>>> import moodtune
>>> tracks = moodtune.recommend("sad", strategy="uplift", k=3)
>>> len(tracks)
3
"""

import importlib.metadata

from moodtune.affect import EMOTIONS, AffectState
from moodtune.affect.fusion import FusedAffect, fuse
from moodtune.errors import CatalogError, DataError, ImageError, InputError, ModelError, MoodtuneError
from moodtune.music import Recommendation, Track
from moodtune.perception.text import TextMood, read_text_mood
from moodtune.pipeline import FaceReading, ImageAnalysis, ImageExplanation, analyze_image, explain_image, recommend

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

try:
    __version__ = importlib.metadata.version("moodtune")
except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
