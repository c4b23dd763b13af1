"""Text mood: read how a message feels with a small numpy-only model (no scikit-learn at run time)."""

from .featurize import extract_features, normalize, tokenize
from .model import DEFAULT_TEXT_MODEL, TextMoodModel, TextVectorizer, load_text_model
from .reader import MAX_TEXT_CHARS, TextMood, read_text_mood

__all__ = [
    "DEFAULT_TEXT_MODEL",
    "MAX_TEXT_CHARS",
    "TextMood",
    "TextMoodModel",
    "TextVectorizer",
    "extract_features",
    "load_text_model",
    "normalize",
    "read_text_mood",
    "tokenize",
]
