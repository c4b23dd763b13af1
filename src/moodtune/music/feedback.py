"""Listener feedback (like / skip) kept in a real database through SQLAlchemy Core.

By default a SQLite file ``moodtune.db`` in ``data_dir()``; any SQLAlchemy URL
(``postgresql+psycopg://…``) through ``MOODTUNE_DATABASE_URL`` or the ``url``
argument. One table, ``feedback_events``: who reacted to which track, how, and
in which mood, with a UTC timestamp. Nothing else is stored: never an image,
a video frame, a face crop or an embedding.

The functions know nothing of HTTP; the web API and any other caller use them
the same way::

    db = open_feedback_db("sqlite://")            # in memory; leave db out for the default database
    record_feedback("u1", "adele--someone-like-you", "like", emotion="sad", db=db)
    feedback_for("u1", db=db)[0].action           # 'like'
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Final

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    insert,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from moodtune.affect import EMOTIONS
from moodtune.config import data_dir
from moodtune.errors import DataError, InputError

__all__ = [
    "ACTIONS",
    "DATABASE_URL_ENV_VAR",
    "FeedbackEvent",
    "default_database_url",
    "default_db",
    "feedback_for",
    "feedback_events",
    "metadata",
    "open_feedback_db",
    "record_feedback",
]

log = logging.getLogger(__name__)

DATABASE_URL_ENV_VAR: Final = "MOODTUNE_DATABASE_URL"
ACTIONS: Final[tuple[str, ...]] = ("like", "skip")

MAX_USER_ID, MAX_TRACK_ID = 64, 200
# Opaque ids from the client (the web page makes a random UUID); no names or e-mails needed.
_USER_ID = re.compile(rf"[A-Za-z0-9_.:-]{{1,{MAX_USER_ID}}}")

metadata = MetaData()

feedback_events = Table(
    "feedback_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", String(MAX_USER_ID), nullable=False, index=True),
    Column("track_id", String(MAX_TRACK_ID), nullable=False),
    Column("action", String(8), nullable=False),
    Column("emotion", String(16), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("action IN ('like', 'skip')", name="ck_feedback_action"),
)


@dataclass(frozen=True)
class FeedbackEvent:
    """One stored reaction.

    Attributes
    ----------
    id : database row id, increasing with time.
    user_id : opaque listener id.
    track_id : ``Track.id`` in the catalog.
    action : one of ``ACTIONS``.
    emotion : the mood the listener was in (one of ``EMOTIONS``), or None.
    created_at : when it was recorded, timezone-aware UTC.
    """

    id: int
    user_id: str
    track_id: str
    action: str
    emotion: str | None
    created_at: datetime


def default_database_url() -> str:
    """``MOODTUNE_DATABASE_URL`` if set, else a SQLite file ``moodtune.db`` in ``data_dir()``."""
    explicit = os.environ.get(DATABASE_URL_ENV_VAR, "").strip()
    if explicit:
        return explicit
    return f"sqlite:///{data_dir() / 'moodtune.db'}"


def open_feedback_db(url: str | None = None) -> Engine:
    """Connect to the feedback database and create its table if missing.

    Parameters
    ----------
    url : a SQLAlchemy URL; None uses ``default_database_url()``. For a SQLite
        file the folder is created.

    Raises
    ------
    InputError : the URL is malformed.
    DataError : the database cannot be reached or the table cannot be created.
    """
    url = url or default_database_url()
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InputError(f"database URL is malformed: {exc}") from None
    options: dict = {"pool_pre_ping": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(parsed.database)), exist_ok=True)
        else:  # in memory: one connection shared by every thread, or each would see its own empty database
            options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    try:
        engine = create_engine(parsed, **options)
        metadata.create_all(engine)
    except (SQLAlchemyError, ImportError) as exc:  # ImportError: the URL's driver is not installed
        raise DataError(f"cannot open feedback database {parsed.render_as_string(hide_password=True)}: {exc}") from exc
    log.info("feedback database: %s", parsed.render_as_string(hide_password=True))
    return engine


@cache
def _engine_for(url: str) -> Engine:
    return open_feedback_db(url)


def default_db() -> Engine:
    """The database at ``default_database_url()``, opened once per URL and process."""
    return _engine_for(default_database_url())


def _check_user_id(user_id: str) -> str:
    if not isinstance(user_id, str) or not _USER_ID.fullmatch(user_id):
        allowed = "letters, digits, '_', '.', ':' or '-'"
        raise InputError(f"user_id must be 1-{MAX_USER_ID} characters of {allowed}, got {user_id!r}")
    return user_id


def record_feedback(
    user_id: str,
    track_id: str,
    action: str,
    emotion: str | None = None,
    *,
    db: Engine | None = None,
    now: datetime | None = None,
) -> FeedbackEvent:
    """Store one like/skip and return it with its id and timestamp.

    Parameters
    ----------
    user_id : opaque listener id.
    track_id : ``Track.id``.
    action : ``"like"`` or ``"skip"``.
    emotion : the listener's mood at the time, one of ``EMOTIONS``, or None.
    db : the database; None uses ``default_db()``.
    now : the timestamp to store (default: the current UTC time).

    Raises
    ------
    InputError : a malformed user id, an empty or over-long track id, an action
        not in ``ACTIONS`` or an emotion not in ``EMOTIONS``.
    DataError : the database refused the write.
    """
    _check_user_id(user_id)
    if not isinstance(track_id, str) or not track_id.strip() or len(track_id) > MAX_TRACK_ID:
        raise InputError(f"track_id must be a non-empty string of at most {MAX_TRACK_ID} characters")
    if action not in ACTIONS:
        raise InputError(f"action must be one of {', '.join(ACTIONS)}, got {action!r}")
    if emotion is not None and emotion not in EMOTIONS:
        raise InputError(f"emotion must be one of {', '.join(EMOTIONS)} or absent, got {emotion!r}")
    created = (now or datetime.now(UTC)).astimezone(UTC)
    row = {
        "user_id": user_id,
        "track_id": track_id,
        "action": action,
        "emotion": emotion,
        "created_at": created,
    }
    db = db if db is not None else default_db()
    try:
        with db.begin() as conn:
            key = conn.execute(insert(feedback_events).values(**row)).inserted_primary_key
    except SQLAlchemyError as exc:
        raise DataError(f"cannot store feedback: {exc}") from exc
    if key is None:
        raise DataError("the database did not return the new feedback row's id")
    return FeedbackEvent(
        id=int(key[0]), user_id=user_id, track_id=track_id, action=action, emotion=emotion, created_at=created
    )


def feedback_for(user_id: str, *, db: Engine | None = None, limit: int = 500) -> list[FeedbackEvent]:
    """A listener's reactions, newest first (at most ``limit``); ``db`` None uses ``default_db()``."""
    _check_user_id(user_id)
    db = db if db is not None else default_db()
    if limit < 1:
        raise InputError(f"limit must be >= 1, got {limit}")
    query = (
        select(feedback_events)
        .where(feedback_events.c.user_id == user_id)
        .order_by(feedback_events.c.id.desc())
        .limit(limit)
    )
    try:
        with db.connect() as conn:
            rows = conn.execute(query).mappings().all()
    except SQLAlchemyError as exc:
        raise DataError(f"cannot read feedback: {exc}") from exc
    return [
        FeedbackEvent(
            id=int(r["id"]),
            user_id=r["user_id"],
            track_id=r["track_id"],
            action=r["action"],
            emotion=r["emotion"],
            # SQLite keeps no zone; every value was written as UTC.
            created_at=r["created_at"] if r["created_at"].tzinfo else r["created_at"].replace(tzinfo=UTC),
        )
        for r in rows
    ]
