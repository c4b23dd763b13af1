"""Affect: the 7-emotion scale, the valence–arousal plane, and states built from evidence."""

from .emotions import EMOTIONS, VA_ANCHORS, emotion_index
from .state import AffectState, combine_affects

__all__ = ["EMOTIONS", "VA_ANCHORS", "AffectState", "combine_affects", "emotion_index"]
