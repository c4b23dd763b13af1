"""The editable emotion → genre mapping, read from TOML (``data/emotion_genres.toml`` by default).

A mapping file has one ``[genres]`` table whose keys are emotion names and
whose values are either a list of genres (each weighted 1.0) or a table of
``genre = weight`` with weights in (0, 1]. Users copy the packaged file, edit
it, and point ``MOODTUNE_MAPPING`` at the copy.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from moodtune.affect import EMOTIONS
from moodtune.config import get_settings
from moodtune.errors import CatalogError, InputError

__all__ = ["MAPPING_ENV_VAR", "EmotionMapping", "default_mapping", "load_mapping"]

log = logging.getLogger(__name__)

#: Environment variable naming a user's mapping file (``Settings.mapping``); used by ``default_mapping``.
MAPPING_ENV_VAR = "MOODTUNE_MAPPING"

_TOP_LEVEL_KEYS = ("genres",)


@dataclass(frozen=True)
class EmotionMapping:
    """Genre preferences per emotion.

    Attributes
    ----------
    weights : emotion → (genre → weight in (0, 1]); all seven ``EMOTIONS`` are keys,
        an emotion without preferences maps to an empty mapping. Genres are lower case.
    source : where the mapping came from (a file path, "<packaged>", "<dict>"), for messages.
    """

    weights: Mapping[str, Mapping[str, float]]
    source: str = "<dict>"

    def genres(self, emotion: str) -> tuple[str, ...]:
        """Genres listed for ``emotion``, in file order; raises ``InputError`` for an unknown emotion."""
        key = emotion.strip().lower()
        if key not in self.weights:
            raise InputError(f"unknown emotion {emotion!r}; choose from {', '.join(EMOTIONS)}")
        return tuple(self.weights[key])

    def genre_weights(self, emotion_weights: Mapping[str, float]) -> dict[str, float]:
        """Blend the emotions' genre lists into one genre → weight table.

        Parameters
        ----------
        emotion_weights : emotion → non-negative share; shares summing to 1 keep every
            result in [0, 1] (a genre listed by several emotions adds their shares).

        Returns
        -------
        dict mapping genre → sum over emotions of share × that emotion's weight for the genre;
        genres with weight 0 are left out.
        """
        blended: dict[str, float] = {}
        for emotion, share in emotion_weights.items():
            if share <= 0:
                continue
            for genre, weight in self.weights.get(emotion, {}).items():
                blended[genre] = blended.get(genre, 0.0) + share * weight
        return blended

    @classmethod
    def from_dict(cls, table: Mapping[str, Any], *, source: str = "<dict>") -> EmotionMapping:
        """Build from ``{emotion: [genre, ...] | {genre: weight}}``; raises ``InputError`` if malformed."""
        return cls(_parse_genres(table, source, InputError), source)


def _parse_entry(value: Any, where: str, error: type[Exception]) -> dict[str, float]:
    if isinstance(value, list):
        pairs = [(genre, 1.0) for genre in value]
    elif isinstance(value, Mapping):
        pairs = list(value.items())
    else:
        raise error(f"{where}: expected a list of genres or a table of genre = weight, got {value!r}")
    genres: dict[str, float] = {}
    for genre, weight in pairs:
        if not isinstance(genre, str) or not genre.strip():
            raise error(f"{where}: genre names must be non-empty strings, got {genre!r}")
        # bool is an int subclass; `true` as a weight is a typo, not 1.0.
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 1:
            raise error(f"{where}: weight of {genre!r} must be a number in (0, 1], got {weight!r}")
        name = genre.strip().lower()
        if name in genres:
            raise error(f"{where}: genre {name!r} is listed twice")
        genres[name] = float(weight)
    return genres


def _parse_genres(table: Mapping[str, Any], source: str, error: type[Exception]) -> Mapping[str, Mapping[str, float]]:
    if not isinstance(table, Mapping):
        raise error(f"{source}: [genres] must be a table of emotion = genres")
    parsed: dict[str, Mapping[str, float]] = {}
    for key, value in table.items():
        emotion = str(key).strip().lower()
        if emotion not in EMOTIONS:
            raise error(f"{source}: genres.{key}: unknown emotion; choose from {', '.join(EMOTIONS)}")
        if emotion in parsed:
            raise error(f"{source}: genres.{key}: emotion given twice")
        parsed[emotion] = MappingProxyType(_parse_entry(value, f"{source}: genres.{key}", error))
    missing = [e for e in EMOTIONS if e not in parsed]
    if missing:
        log.warning("%s: no genres for %s; those emotions express no genre preference", source, missing)
    return MappingProxyType({e: parsed.get(e, MappingProxyType({})) for e in EMOTIONS})


def _read_toml(path: Path, source: str) -> EmotionMapping:
    try:
        with open(path, "rb") as handle:
            document = tomllib.load(handle)
    except OSError as exc:
        raise CatalogError(f"{source}: cannot read genre mapping ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{source}: not valid TOML ({exc})") from exc
    unknown = [k for k in document if k not in _TOP_LEVEL_KEYS]
    if unknown:
        raise CatalogError(f"{source}: unknown top-level keys {unknown}; expected only {list(_TOP_LEVEL_KEYS)}")
    if "genres" not in document:
        raise CatalogError(f"{source}: missing the [genres] table")
    return EmotionMapping(_parse_genres(document["genres"], source, CatalogError), source)


def load_mapping(path: str | Path | None = None) -> EmotionMapping:
    """Read an emotion → genre mapping file.

    Parameters
    ----------
    path : a TOML file in the format of ``data/emotion_genres.toml``; None reads that packaged file.

    Raises
    ------
    CatalogError
        The file is missing, is not TOML, or has an unknown emotion or malformed value
        (the message names the file and the key).
    InputError
        ``path`` is not a path.
    """
    if path is None:
        return _packaged_mapping()
    if not isinstance(path, str | os.PathLike):
        raise InputError(f"mapping path must be a str or Path, got {type(path).__name__}")
    path = Path(path)
    return _read_toml(path, str(path))


@cache
def _packaged_mapping() -> EmotionMapping:
    # Cached: the packaged file cannot change while the process runs, and the
    # recommender asks for it on every call.
    with resources.as_file(resources.files("moodtune.music") / "data" / "emotion_genres.toml") as path:
        return _read_toml(path, "<packaged emotion_genres.toml>")


def default_mapping() -> EmotionMapping:
    """The file named by ``MOODTUNE_MAPPING`` if set, else the packaged one.

    The variable is read once per process (``get_settings()``); the user's file is re-read on every
    call, so edits to it apply without a restart.
    """
    override = get_settings().mapping
    if override:
        log.debug("using genre mapping %s from $%s", override, MAPPING_ENV_VAR)
        return load_mapping(override)
    return load_mapping()
