"""The exception hierarchy; each interface maps it to its own codes in one place."""

from __future__ import annotations

__all__ = ["MoodtuneError", "InputError", "ImageError", "DataError", "ModelError", "CatalogError"]


class MoodtuneError(Exception):
    """Base class of every error moodtune raises on purpose."""


class InputError(MoodtuneError, ValueError):
    """A caller-supplied value is unusable (wrong type, out of range, empty)."""


class ImageError(InputError):
    """An image or video could not be read or decoded, or breaks the size/pixel limits."""


class DataError(MoodtuneError):
    """A data file (dataset, catalog) is missing or malformed."""


class CatalogError(DataError):
    """A music catalog is missing or malformed."""


class ModelError(MoodtuneError):
    """A model file is missing, corrupt, or does not match its sidecar config."""
