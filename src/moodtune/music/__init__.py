"""Music: catalogs of tracks on the valence–arousal plane, and recommending from them by mood."""

from .catalog import Catalog, load_catalog, starter_catalog
from .links import track_links
from .mapping import EmotionMapping, load_mapping
from .recommend import Recommendation, recommend
from .strategies import STRATEGIES, target_mood
from .track import Track

__all__ = [
    "STRATEGIES",
    "Catalog",
    "EmotionMapping",
    "Recommendation",
    "Track",
    "load_catalog",
    "load_mapping",
    "recommend",
    "starter_catalog",
    "target_mood",
    "track_links",
]
