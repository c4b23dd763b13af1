"""The feedback store on a real SQLite file, through SQLAlchemy Core."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect

from moodtune.errors import InputError
from moodtune.music.feedback import (
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
    assert set(columns) == {"id", "user_id", "track_id", "action", "emotion", "created_at"}
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
