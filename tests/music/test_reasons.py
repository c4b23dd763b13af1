"""Reasons are written from the factors that ranked each track: mood, genre, taste, sound, popularity."""

from __future__ import annotations

import numpy as np

from moodtune.affect import AffectState
from moodtune.music import Catalog, Track, load_mapping, recommend
from moodtune.music.feedback import open_feedback_db, record_feedback
from moodtune.music.track import AUDIO_FEATURES

MAPPING = load_mapping()
SAD = AffectState.from_emotion("sad")


def _track(i: int, *, genres=("soft",), artist=None, audio=None, pop=None, dv=0.0) -> Track:
    return Track(
        id=f"t{i:03d}",
        title=f"Song {i}",
        artist=artist or f"Band {i}",
        year=2010,
        genres=genres,
        valence=SAD.valence + dv,
        arousal=SAD.arousal,
        popularity=pop,
        audio=audio,
    )


def test_the_sound_is_named_only_when_the_audio_factor_counted_and_was_high() -> None:
    rng = np.random.default_rng(5)
    base = np.array([0.4, 0.3, 0.7, 0.1, 0.05, 0.1, -9.0, 90.0, 0.0, 5.0])
    tracks = []
    for i in range(40):
        off = 0.02 if i < 20 else 0.6  # half sound like each other, half do not
        audio = base * (1 + rng.normal(0, off, len(AUDIO_FEATURES)))
        tracks.append(_track(i, audio=tuple(float(x) for x in audio), dv=0.002 * i))
    recs = recommend(SAD, Catalog.from_tracks(tracks), k=40, mapping=MAPPING)
    said = [("sounds like the music around this mood" in r.reason) for r in recs]
    assert said == [r.factors["audio_similarity"] >= 0.8 for r in recs]
    assert any(said) and not all(said)
    plain = recommend(SAD, Catalog.from_tracks([_track(i, dv=0.01 * i) for i in range(5)]), k=5, mapping=MAPPING)
    assert all(r.factors["audio_similarity"] == 0.5 and "sounds like" not in r.reason for r in plain)


def test_taste_names_the_liked_artist_first_then_the_liked_genre() -> None:
    tracks = [
        _track(0, artist="Adele, Guest", genres=("polka",)),
        _track(1, genres=("polka",), dv=0.05),
        _track(2, genres=("soft",), dv=0.1),
        _track(3, genres=("polka",), dv=0.5),
    ]
    catalog = Catalog.from_tracks(tracks)
    db = open_feedback_db("sqlite://")
    record_feedback("me", "t000", "like", "sad", db=db)
    record_feedback("me", "t003", "rate", "sad", rating=5, db=db)  # polka: two likes' worth, affinity 1/3
    recs = {r.track.id: r.reason for r in recommend(SAD, catalog, k=4, user_id="me", mapping=MAPPING, db=db)}
    assert "you liked Adele when sad" in recs["t000"]
    assert "you liked polka when sad" in recs["t001"]
    assert "you liked" not in recs["t002"]


def test_a_genre_the_listener_skipped_to_zero_is_no_longer_said_to_suit() -> None:
    # Uplift from sad weighs sad's and happy's genres 0.5 each: four skips (affinity −0.5) cancel soft.
    tracks = [_track(0, genres=("soft", "pop"))] + [_track(i, genres=("soft",), dv=0.01 * i) for i in range(1, 6)]
    catalog = Catalog.from_tracks(tracks)
    before = recommend(SAD, catalog, strategy="uplift", k=6, mapping=MAPPING)
    assert "soft suits sad moods" in before[[r.track.id for r in before].index("t000")].reason
    db = open_feedback_db("sqlite://")
    for i in range(1, 5):
        record_feedback("me", f"t{i:03d}", "skip", "sad", db=db)
    after = {
        r.track.id: r for r in recommend(SAD, catalog, strategy="uplift", k=6, user_id="me", mapping=MAPPING, db=db)
    }
    assert "pop suits happy moods" in after["t000"].reason and "soft" not in after["t000"].reason
    assert after["t005"].factors["genre_affinity"] == 0 and "suit" not in after["t005"].reason
