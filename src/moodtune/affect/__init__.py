"""Affect: the 7-emotion scale, the valence–arousal plane, and states built from evidence."""

from .emotions import EMOTIONS, VA_ANCHORS, emotion_index
from .fusion import FusedAffect, SourceReading, fuse
from .state import AffectState, combine_affects

__all__ = [
    "EMOTIONS",
    "VA_ANCHORS",
    "AffectState",
    "FusedAffect",
    "SourceReading",
    "combine_affects",
    "emotion_index",
    "fuse",
]
