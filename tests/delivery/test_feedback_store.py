"""The feedback store on a real SQLite file, through SQLAlchemy Core."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from moodtune.errors import InputError
from moodtune.music.feedback import (
    RATINGS,
    default_database_url,
    feedback_events,
    feedback_for,
    metadata,
    open_feedback_db,
    record_feedback,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A SQLite file, and a PostgreSQL database where ``MOODTUNE_TEST_POSTGRES_URL`` names one
    (e.g. ``postgresql+psycopg://moodtune:moodtune@127.0.0.1/moodtune_test``; its table is emptied)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fb' / 'moodtune.db'}"
    url = os.environ.get("MOODTUNE_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("set MOODTUNE_TEST_POSTGRES_URL to also test on PostgreSQL")
    engine = open_feedback_db(url)
    metadata.drop_all(engine)
    engine.dispose()
    return url


def test_default_url_is_a_sqlite_file_in_the_data_dir(data_dir):
    assert default_database_url() == f"sqlite:///{data_dir / 'moodtune.db'}"


def test_database_url_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("MOODTUNE_DATABASE_URL", "postgresql+psycopg://u@db.example/moodtune")
    assert default_database_url() == "postgresql+psycopg://u@db.example/moodtune"


def test_records_and_reads_back_newest_first(db_url):
    db = open_feedback_db(db_url)
    t0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    first = record_feedback("u1", "a--x", "like", "sad", db=db, now=t0)
    record_feedback("u1", "b--y", "skip", db=db, now=t0 + timedelta(minutes=1))
    record_feedback("u2", "a--x", "skip", db=db)
    assert first.id >= 1 and first.created_at == t0
    events = feedback_for("u1", db=db)
    assert [(e.track_id, e.action, e.emotion) for e in events] == [
        ("b--y", "skip", None),
        ("a--x", "like", "sad"),
    ]
    assert events[1].created_at == t0 and events[1].created_at.tzinfo is not None
    assert len(feedback_for("u1", db=db, limit=1)) == 1
    assert feedback_for("nobody", db=db) == []


def test_a_second_connection_sees_the_data(db_url):
    record_feedback("u", "t", "like", db=open_feedback_db(db_url))
    again = open_feedback_db(db_url)
    assert [e.action for e in feedback_for("u", db=again)] == ["like"]


def test_the_table_holds_no_image_or_embedding(db_url):
    db = open_feedback_db(db_url)
    columns = {c["name"]: str(c["type"]) for c in inspect(db).get_columns(feedback_events.name)}
    assert set(columns) == {"id", "user_id", "track_id", "action", "emotion", "created_at", "rating"}
    assert not any("BLOB" in t or "BINARY" in t for t in columns.values())
    assert inspect(db).get_table_names() == ["feedback_events"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"user_id": "", "track_id": "t", "action": "like"},
        {"user_id": "has space", "track_id": "t", "action": "like"},
        {"user_id": "u", "track_id": "", "action": "like"},
        {"user_id": "u", "track_id": "t" * 201, "action": "like"},
        {"user_id": "u", "track_id": "t", "action": "love"},
        {"user_id": "u", "track_id": "t", "action": "like", "emotion": "glee"},
        {"user_id": "u", "track_id": "t", "action": "rate"},
        {"user_id": "u", "track_id": "t", "action": "rate", "rating": 0},
        {"user_id": "u", "track_id": "t", "action": "rate", "rating": 6},
        {"user_id": "u", "track_id": "t", "action": "rate", "rating": True},
        {"user_id": "u", "track_id": "t", "action": "rate", "rating": 4.0},
        {"user_id": "u", "track_id": "t", "action": "like", "rating": 5},
    ],
)
def test_refuses_bad_values(db_url, kwargs):
    with pytest.raises(InputError):
        record_feedback(**kwargs, db=open_feedback_db(db_url))


def test_malformed_url_is_an_input_error():
    with pytest.raises(InputError):
        open_feedback_db("not a url at all")


def test_in_memory_database_is_shared_across_threads():
    import threading

    db = open_feedback_db("sqlite://")
    thread = threading.Thread(target=lambda: record_feedback("u", "t", "like", db=db))
    thread.start()
    thread.join()
    assert [e.action for e in feedback_for("u", db=db)] == ["like"]


def test_default_database_is_used_without_a_db_argument(data_dir):
    record_feedback("me", "a--b", "like")
    assert [e.track_id for e in feedback_for("me")] == ["a--b"]
    assert (data_dir / "moodtune.db").is_file()


def test_ratings_are_stored_and_read_back(db_url):
    db = open_feedback_db(db_url)
    for rating in RATINGS:
        event = record_feedback("rater", f"t{rating}", "rate", "neutral", rating=rating, db=db)
        assert event.rating == rating and event.action == "rate"
    record_feedback("rater", "t9", "like", db=db)
    events = feedback_for("rater", db=db)
    assert [(e.action, e.rating) for e in events] == [("like", None)] + [("rate", r) for r in reversed(RATINGS)]


def test_the_database_itself_refuses_a_rating_without_rate(db_url):
    db = open_feedback_db(db_url)
    bad = (
        "INSERT INTO feedback_events (user_id, track_id, action, created_at, rating) "
        "VALUES ('u', 't', :action, '2026-01-01 00:00:00', :rating)"
    )
    for action, rating in (("like", 4), ("rate", None), ("rate", 9), ("love", None)):
        with pytest.raises(IntegrityError), db.begin() as conn:
            conn.execute(text(bad), {"action": action, "rating": rating})


_V1_TABLE = {
    "sqlite": "id INTEGER NOT NULL PRIMARY KEY",
    "postgresql": "id SERIAL NOT NULL PRIMARY KEY",
}


def test_a_database_from_before_ratings_is_upgraded_in_place(db_url, tmp_path):
    """The first schema had no rating column and a check allowing only like/skip; its rows survive."""
    engine = open_feedback_db(db_url)
    metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                f"CREATE TABLE feedback_events ({_V1_TABLE[engine.dialect.name]}, user_id VARCHAR(64) NOT NULL, "
                "track_id VARCHAR(200) NOT NULL, action VARCHAR(8) NOT NULL, emotion VARCHAR(16), "
                "created_at TIMESTAMP WITH TIME ZONE NOT NULL, "
                "CONSTRAINT ck_feedback_action CHECK (action IN ('like', 'skip')))"
            )
        )
        conn.execute(text("CREATE INDEX ix_feedback_events_user_id ON feedback_events (user_id)"))
        conn.execute(
            text(
                "INSERT INTO feedback_events (user_id, track_id, action, emotion, created_at) VALUES "
                "('old', 'a', 'like', 'sad', '2025-05-01 10:00:00+00'), "
                "('old', 'b', 'skip', NULL, '2025-05-02 10:00:00+00')"
            )
        )
    engine.dispose()

    db = open_feedback_db(db_url)
    assert {c["name"] for c in inspect(db).get_columns("feedback_events")} >= {"rating"}
    assert inspect(db).get_table_names() == ["feedback_events"]
    assert [i["column_names"] for i in inspect(db).get_indexes("feedback_events")] == [["user_id"]]
    kept = feedback_for("old", db=db)
    assert [(e.id, e.track_id, e.action, e.emotion, e.rating) for e in kept] == [
        (2, "b", "skip", None, None),
        (1, "a", "like", "sad", None),
    ]
    new = record_feedback("old", "c", "rate", "happy", rating=5, db=db)
    assert new.id == 3  # ids continue after the kept rows
    assert [e.rating for e in feedback_for("old", db=open_feedback_db(db_url))] == [5, None, None]
    with pytest.raises(IntegrityError), db.begin() as conn:
        conn.execute(text("UPDATE feedback_events SET rating = 4 WHERE track_id = 'a'"))

    # Upgrading one database must not change how the next one is created: its checks stay.
    fresh = open_feedback_db(f"sqlite:///{tmp_path / 'fresh.db'}")
    with pytest.raises(IntegrityError), fresh.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO feedback_events (user_id, track_id, action, created_at, rating) "
                "VALUES ('u', 't', 'like', '2026-01-01 00:00:00', 4)"
            )
        )
