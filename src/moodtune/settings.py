"""Every ``MOODTUNE_*`` setting in one frozen object, shared by the library, the CLI, the API and the stream.

Read it through ``moodtune.config.get_settings()``, which reads the environment once per process.
``Settings(**explicit)`` builds one where explicit values win over the environment (tests, the web
app's ``create_app(settings)``). A value that is set but empty counts as unset.

==================================  ======================================  =====================================
variable                            meaning                                 default
==================================  ======================================  =====================================
``MOODTUNE_DATA_DIR``               database and user state folder          ``$XDG_DATA_HOME/moodtune``, else
                                                                            ``~/.local/share/moodtune``
``MOODTUNE_CACHE_DIR``              derived, re-creatable files             ``$XDG_CACHE_HOME/moodtune``, else
                                                                            ``~/.cache/moodtune``
``MOODTUNE_DATABASE_URL``           SQLAlchemy URL of the feedback store    SQLite ``<data dir>/moodtune.db``
``MOODTUNE_CATALOG``                catalog database (a SQLite file)        ``<data dir>/catalog.db`` (the
                                                                            starter catalog until an import)
``MOODTUNE_MAPPING``                emotion → genre mapping TOML file       the packaged ``emotion_genres.toml``
``MOODTUNE_EXPRESSION_MODEL``       expression model name or ``.onnx``      ``vgg_style``
``MOODTUNE_DETECTOR``               registered face detector (web app)      ``blazeface``
``MOODTUNE_MAX_UPLOAD_BYTES``       largest photo (or stream frame), bytes  10 MB (10,485,760)
``MOODTUNE_MAX_PIXELS``             largest photo, width × height           40,000,000 (``decode_image``'s)
``MOODTUNE_ACCEPTED_TYPES``         comma-separated upload content types    JPEG, PNG, WebP, GIF, BMP, TIFF
``MOODTUNE_ALLOWED_HOSTS``          comma-separated host names the web app  ``localhost,127.0.0.1,::1`` (plus
                                    answers to (``*.example.com`` allowed)  ``serve --host`` when it names one)
``MOODTUNE_MAX_ANALYSES``           photo analyses the web app runs at once one per CPU core
``MOODTUNE_MAX_WAITING``            analyses that may wait; more get 503    4 per CPU core
``MOODTUNE_MAX_CONNECTIONS``        open connections; more get 503 at once  512
``MOODTUNE_STREAM_MAX_FPS``         frames analysed per second per stream   8 (the page sends 4)
``MOODTUNE_STREAM_PLAYLIST_SIZE``   tracks pushed when a stream's mood      5
                                    changes (1–50)
==================================  ======================================  =====================================

Numbers may use ``_`` between digits (``1_000_000``). An unusable value raises ``InputError``
naming the variable.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from moodtune.errors import InputError

__all__ = ["ENV_PREFIX", "Settings"]

ENV_PREFIX = "MOODTUNE_"


def _xdg_home(variable: str, fallback: str) -> Path:
    return Path(os.environ.get(variable) or Path.home() / fallback)


def _default_data_dir() -> Path:
    return _xdg_home("XDG_DATA_HOME", ".local/share") / "moodtune"


def _default_cache_dir() -> Path:
    return _xdg_home("XDG_CACHE_HOME", ".cache") / "moodtune"


class Settings(BaseSettings):
    """Everything moodtune can be configured with; each field is ``MOODTUNE_<FIELD NAME>``.

    The defaults of ``expression_model``, ``detector`` and ``max_pixels`` are the library's own
    (``DEFAULT_MODEL``, ``DEFAULT_DETECTOR``, ``DEFAULT_MAX_PIXELS``), written out rather than
    imported: importing perception here would load OpenCV whenever any setting is read.

    Raises
    ------
    InputError : a value (from the environment or given explicitly) is unusable; the message
        names its variable.
    """

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="forbid")

    data_dir: Path = Field(default_factory=_default_data_dir)
    cache_dir: Path = Field(default_factory=_default_cache_dir)
    #: None: a SQLite file in ``data_dir`` (``moodtune.music.feedback.default_database_url``).
    database_url: str | None = None
    #: None: ``catalog.db`` in ``data_dir`` (``moodtune.music.store.catalog_location``).
    catalog: str | None = None
    #: None: the packaged mapping. The file itself is re-read on every use, so edits apply at once.
    mapping: str | None = None
    expression_model: str = "vgg_style"
    detector: str = "blazeface"
    max_upload_bytes: int = Field(10 * 1024 * 1024, gt=0)
    max_pixels: int = Field(40_000_000, gt=0)
    # NoDecode: the variable is a comma-separated list, not the JSON pydantic-settings expects.
    accepted_types: Annotated[tuple[str, ...], NoDecode] = (
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/gif",
        "image/bmp",
        "image/tiff",
    )
    #: Host names the web app answers to (the ``Host`` header; a WebSocket's ``Origin`` too). Other
    #: names get 400: a page on another site cannot reach this server through DNS rebinding.
    allowed_hosts: Annotated[tuple[str, ...], NoDecode] = ("localhost", "127.0.0.1", "::1")
    #: Photo analyses (uploads, heat maps, stream frames) the web app runs at once; one per core.
    max_analyses: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    #: Analyses that may wait for a slot; any more are refused at once with 503 "busy".
    max_waiting: int = Field(default_factory=lambda: 4 * (os.cpu_count() or 1), ge=0)
    #: Open connections the server keeps; beyond them a request gets 503 at once. Below the usual
    #: 1,024 file descriptors, so idle or slow clients can never take every descriptor.
    max_connections: int = Field(512, ge=1)
    stream_max_fps: float = Field(8.0, gt=0)
    # The same bounds as the API's ``k``.
    stream_playlist_size: int = Field(5, ge=1, le=50)

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise InputError(f"invalid moodtune settings: {_describe(exc)}") from None

    @model_validator(mode="before")
    @classmethod
    def _blank_is_unset(cls, data: Any) -> Any:
        # An exported-but-empty variable (MOODTUNE_CATALOG=) means "use the default", as it always has.
        if not isinstance(data, dict):
            return data
        stripped = {key: value.strip() if isinstance(value, str) else value for key, value in data.items()}
        return {key: value for key, value in stripped.items() if value != ""}

    @field_validator("accepted_types", "allowed_hosts", mode="before")
    @classmethod
    def _split_list(cls, value: Any) -> Any:
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            return value
        entries = tuple(str(item).strip().lower() for item in items if str(item).strip())
        if not entries:
            raise ValueError("must name at least one entry")
        return entries


def _describe(exc: ValidationError) -> str:
    """One line per problem, each naming the environment variable of the field at fault."""
    problems = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "?"
        if error["type"] == "extra_forbidden":
            problems.append(f"unknown setting {field!r}")
            continue
        message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{ENV_PREFIX}{field.upper()}: {message[:1].lower()}{message[1:]}, got {error['input']!r}")
    return "; ".join(problems)
