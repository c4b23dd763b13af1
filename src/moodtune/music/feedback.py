"""Listener feedback (like / skip / rating 1–5) kept in a real database through SQLAlchemy Core.

By default a SQLite file ``moodtune.db`` in ``data_dir()``; any SQLAlchemy URL
(``postgresql+psycopg://…``) through ``MOODTUNE_DATABASE_URL`` or the ``url``
argument. One table, ``feedback_events``: who reacted to which track, how
(``like``, ``skip``, or ``rate`` with a ``rating`` of 1–5), and in which mood,
with a UTC timestamp. Nothing else is stored: never an image, a video frame,
a face crop or an embedding.

Schema upgrade: databases written before ratings existed have no ``rating``
column and a check that allows only like/skip. ``open_feedback_db`` upgrades
them in place, in one transaction, keeping every row and its id: PostgreSQL
alters the table; SQLite, which cannot change a check constraint, copies the
rows into a new table and drops the old one.

The functions know nothing of HTTP; the web API and any other caller use them
the same way::

    db = open_feedback_db("sqlite://")            # in memory; leave db out for the default database
    record_feedback("u1", "adele--someone-like-you", "like", emotion="sad", db=db)
    record_feedback("u1", "adele--hello", "rate", emotion="sad", rating=4, db=db)
    feedback_for("u1", db=db)[0].rating           # 4
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
    SmallInteger,
    String,
    Table,
    create_engine,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlalchemy.schema import CreateIndex, CreateTable

from moodtune.affect import EMOTIONS
from moodtune.config import get_settings
from moodtune.errors import DataError, InputError

__all__ = [
    "ACTIONS",
    "DATABASE_URL_ENV_VAR",
    "RATINGS",
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
ACTIONS: Final[tuple[str, ...]] = ("like", "skip", "rate")
#: The ratings a ``rate`` event may carry: 1 (poor) … 5 (excellent).
RATINGS: Final = range(1, 6)

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
    Column("rating", SmallInteger, nullable=True),
    CheckConstraint("action IN ('like', 'skip', 'rate')", name="ck_feedback_action"),
    # A rating comes with "rate" and only with it.
    CheckConstraint(
        "(action = 'rate' AND rating IS NOT NULL AND rating BETWEEN 1 AND 5) OR (action <> 'rate' AND rating IS NULL)",
        name="ck_feedback_rating",
    ),
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
    rating : 1–5 for a ``rate`` event, else None.
    """

    id: int
    user_id: str
    track_id: str
    action: str
    emotion: str | None
    created_at: datetime
    rating: int | None = None


def default_database_url() -> str:
    """``MOODTUNE_DATABASE_URL`` if set, else a SQLite file ``moodtune.db`` in ``data_dir()``."""
    settings = get_settings()
    if settings.database_url:
        return settings.database_url
    return f"sqlite:///{settings.data_dir / 'moodtune.db'}"


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
        _upgrade_schema(engine)
        metadata.create_all(engine)
    except (SQLAlchemyError, ImportError) as exc:  # ImportError: the URL's driver is not installed
        raise DataError(f"cannot open feedback database {parsed.render_as_string(hide_password=True)}: {exc}") from exc
    log.info("feedback database: %s", parsed.render_as_string(hide_password=True))
    return engine


def _needs_upgrade(columns: list[str]) -> bool:
    # Only the version before ratings lacks the column; a missing table is created by create_all.
    return bool(columns) and "rating" not in columns


def _upgrade_schema(engine: Engine) -> None:
    """Bring a feedback table from before ratings to the current schema (see the module docstring)."""
    table = feedback_events.name
    if not inspect(engine).has_table(table) or not _needs_upgrade(
        [c["name"] for c in inspect(engine).get_columns(table)]
    ):
        return
    log.warning("upgrading the feedback table to store ratings")
    dialect = engine.dialect
    if dialect.name != "sqlite":
        # Plain SQL, not AddConstraint: that marks the shared Table's constraints as "added later",
        # and every CREATE TABLE after it in this process would leave the checks out.
        checks = {c.name: c.sqltext for c in feedback_events.constraints if isinstance(c, CheckConstraint)}
        with engine.begin() as conn:
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN rating SMALLINT")
            conn.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT ck_feedback_action")
            for name in ("ck_feedback_action", "ck_feedback_rating"):
                conn.exec_driver_sql(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({checks[name]})")
        return
    # SQLite: a check constraint cannot be altered, so the table is rebuilt. pysqlite would commit
    # the DDL statement by statement; with its own transaction control off, BEGIN IMMEDIATE makes
    # the copy one transaction that also locks out a second process upgrading at the same time.
    copied = "id, user_id, track_id, action, emotion, created_at"
    statements = [
        *(f"DROP INDEX IF EXISTS {index.name}" for index in feedback_events.indexes),
        f"ALTER TABLE {table} RENAME TO {table}_v1",
        str(CreateTable(feedback_events).compile(dialect=dialect)),
        *(str(CreateIndex(index).compile(dialect=dialect)) for index in feedback_events.indexes),
        f"INSERT INTO {table} ({copied}) SELECT {copied} FROM {table}_v1",
        f"DROP TABLE {table}_v1",
    ]
    raw = engine.raw_connection()
    try:
        sqlite = raw.driver_connection
        if sqlite is None:
            raise DataError("the SQLite connection closed before the feedback table could be upgraded")
        sqlite.isolation_level = None
        cursor = sqlite.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            columns = [row[1] for row in cursor.execute(f"PRAGMA table_info({table})")]
            if _needs_upgrade(columns):  # another process may have upgraded it meanwhile
                for statement in statements:
                    cursor.execute(statement)
            cursor.execute("COMMIT")
        except Exception:
            cursor.execute("ROLLBACK")
            raise
    finally:
        raw.close()


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
    rating: int | None = None,
    db: Engine | None = None,
    now: datetime | None = None,
) -> FeedbackEvent:
    """Store one like, skip or rating and return it with its id and timestamp.

    Parameters
    ----------
    user_id : opaque listener id.
    track_id : ``Track.id``.
    action : ``"like"``, ``"skip"`` or ``"rate"``.
    emotion : the listener's mood at the time, one of ``EMOTIONS``, or None.
    rating : 1–5 with ``"rate"``; must be None with the other actions.
    db : the database; None uses ``default_db()``.
    now : the timestamp to store (default: the current UTC time).

    Raises
    ------
    InputError : a malformed user id, an empty or over-long track id, an action
        not in ``ACTIONS``, an emotion not in ``EMOTIONS``, or a rating missing,
        out of 1–5 or given with like/skip.
    DataError : the database refused the write.
    """
    _check_user_id(user_id)
    if not isinstance(track_id, str) or not track_id.strip() or len(track_id) > MAX_TRACK_ID:
        raise InputError(f"track_id must be a non-empty string of at most {MAX_TRACK_ID} characters")
    if action not in ACTIONS:
        raise InputError(f"action must be one of {', '.join(ACTIONS)}, got {action!r}")
    if emotion is not None and emotion not in EMOTIONS:
        raise InputError(f"emotion must be one of {', '.join(EMOTIONS)} or absent, got {emotion!r}")
    if action == "rate":
        # bool is an int subclass; rating=True is a caller mistake, not 1.
        if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
            raise InputError(f"a rating must be an integer from 1 to 5, got {rating!r}")
    elif rating is not None:
        raise InputError(f"a rating goes with action 'rate', not with {action!r}")
    created = (now or datetime.now(UTC)).astimezone(UTC)
    row = {
        "user_id": user_id,
        "track_id": track_id,
        "action": action,
        "emotion": emotion,
        "created_at": created,
        "rating": rating,
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
        id=int(key[0]),
        user_id=user_id,
        track_id=track_id,
        action=action,
        emotion=emotion,
        created_at=created,
        rating=rating,
    )


def feedback_for(user_id: str, *, db: Engine | None = None, limit: int = 500) -> list[FeedbackEvent]:
    """A listener's likes, skips and ratings, newest first (at most ``limit``); ``db`` None uses ``default_db()``."""
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
            rating=r["rating"],
        )
        for r in rows
    ]
