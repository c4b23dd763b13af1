"""The web app's settings: one frozen dataclass, read from ``MOODTUNE_*`` environment variables.

==============================  ======================================  =====================================
variable                        meaning                                 default
==============================  ======================================  =====================================
``MOODTUNE_MAX_UPLOAD_BYTES``   largest photo (or stream frame), bytes  10 MB (10,485,760)
``MOODTUNE_MAX_PIXELS``         largest photo, width × height           40,000,000 (``decode_image``'s)
``MOODTUNE_ACCEPTED_TYPES``     comma-separated upload content types    JPEG, PNG, WebP, GIF, BMP, TIFF
``MOODTUNE_STREAM_MAX_FPS``     frames analysed per second per stream   8 (the page sends 4)
``MOODTUNE_DATABASE_URL``       SQLAlchemy URL of the feedback store    SQLite ``data_dir()/moodtune.db``
``MOODTUNE_CATALOG``            catalog database (a SQLite file)        ``data_dir()/catalog.db`` (the
                                                                        starter catalog until an import)
``MOODTUNE_EXPRESSION_MODEL``   expression model name or ``.onnx``      ``vgg_style``
``MOODTUNE_DETECTOR``           registered face detector                ``blazeface``
==============================  ======================================  =====================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from moodtune.errors import InputError
from moodtune.perception.expression import DEFAULT_MODEL
from moodtune.perception.faces import DEFAULT_DETECTOR
from moodtune.perception.images import DEFAULT_MAX_PIXELS

__all__ = ["ACCEPTED_TYPES", "Settings"]

#: What browsers send for the formats ``decode_image`` reads.
ACCEPTED_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "image/tiff")


@dataclass(frozen=True)
class Settings:
    """Everything the app can be configured with; ``Settings.from_env()`` reads the environment."""

    max_upload_bytes: int = 10 * 1024 * 1024
    max_pixels: int = DEFAULT_MAX_PIXELS
    accepted_types: tuple[str, ...] = ACCEPTED_TYPES
    stream_max_fps: float = 8.0
    database_url: str | None = None  # None: open_feedback_db's default (SQLite in data_dir())
    catalog: str | None = None  # None: open_catalog's default (catalog.db in data_dir())
    model: str = DEFAULT_MODEL
    detector: str = DEFAULT_DETECTOR
    #: Tracks pushed to a stream when its mood changes.
    stream_playlist_size: int = 5

    def __post_init__(self) -> None:
        if self.max_upload_bytes < 1:
            raise InputError(f"max_upload_bytes must be positive, got {self.max_upload_bytes}")
        if self.max_pixels < 1:
            raise InputError(f"max_pixels must be positive, got {self.max_pixels}")
        if not self.stream_max_fps > 0:
            raise InputError(f"stream_max_fps must be positive, got {self.stream_max_fps}")
        if not self.accepted_types:
            raise InputError("accepted_types must name at least one content type")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ``MOODTUNE_*`` variables (see the module docstring); unset ones keep their defaults.

        Raises
        ------
        InputError : a variable is set to something unusable; the message names it.
        """
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(f"MOODTUNE_{name}", "").strip()
            return value or None

        def number(name: str, kind: type[int] | type[float]) -> int | float | None:
            text = get(name)
            if text is None:
                return None
            try:
                return kind(text.replace("_", ""))
            except ValueError:
                raise InputError(f"MOODTUNE_{name} must be a {kind.__name__}, got {text!r}") from None

        values: dict[str, object] = {
            "max_upload_bytes": number("MAX_UPLOAD_BYTES", int),
            "max_pixels": number("MAX_PIXELS", int),
            "stream_max_fps": number("STREAM_MAX_FPS", float),
            "database_url": get("DATABASE_URL"),
            "catalog": get("CATALOG"),
            "model": get("EXPRESSION_MODEL"),
            "detector": get("DETECTOR"),
        }
        types = get("ACCEPTED_TYPES")
        if types is not None:
            values["accepted_types"] = tuple(t.strip().lower() for t in types.split(",") if t.strip())
        try:
            return cls(**{k: v for k, v in values.items() if v is not None})  # type: ignore[arg-type]
        except InputError as exc:
            raise InputError(f"moodtune settings from the environment: {exc}") from None
