"""Personalization: per-listener, per-emotion Beta affinities from likes, skips and ratings, fed to the ranker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from moodtune.affect import AffectState
from moodtune.music import Catalog, Track, load_mapping, recommend
from moodtune.music.feedback import FeedbackEvent, open_feedback_db, record_feedback
from moodtune.music.personalization import (
    PRIOR_STRENGTH,
    affinity,
    learn_profile,
    load_profile,
    personalize,
)

MAPPING = load_mapping()
SAD, HAPPY = AffectState.from_emotion("sad"), AffectState.from_emotion("happy")
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def _catalog() -> Catalog:
    """Around the sad and happy anchors: tracks of the mapping's genres and of "polka", which no emotion lists."""
    rng = np.random.default_rng(3)
    tracks = []
    for mood, (v, a) in (("s", (SAD.valence, SAD.arousal)), ("h", (HAPPY.valence, HAPPY.arousal))):
        for i in range(60):
            genre = ("polka", "soft", "blues", "pop", "dance", "indie")[i % 6]
            dv, da = rng.uniform(-0.3, 0.3, 2)
            tracks.append(
                Track(
                    id=f"{mood}{i:02d}",
                    title=f"Song {mood}{i}",
                    artist=f"Band {mood}{i:02d}",
                    year=2000,
                    genres=(genre,),
                    valence=float(np.clip(v + dv, -1, 1)),
                    arousal=float(np.clip(a + da, -1, 1)),
                    popularity=0.5,
                )
            )
    return Catalog.from_tracks(tracks)


CATALOG = _catalog()


def _event(i: int, track_id: str, action: str, emotion: str | None, user: str = "u1", rating=None) -> FeedbackEvent:
    # Newest first, as the store returns them: a larger i is older.
    return FeedbackEvent(i, user, track_id, action, emotion, T0 - timedelta(minutes=i), rating)


def test_affinity_is_the_shrunk_beta_mean_mapped_to_minus_one_one() -> None:
    assert affinity(0, 0) == 0
    assert affinity(4, 0) == pytest.approx(0.5)  # Beta(2 + 4, 2): mean 0.75
    assert affinity(0, 4) == pytest.approx(-0.5)
    assert affinity(3, 3) == 0
    assert affinity(1, 0) == pytest.approx(1 / (1 + PRIOR_STRENGTH))
    assert 0 < affinity(1000, 0) < 1


def test_profile_counts_the_newest_reaction_per_emotion_and_track() -> None:
    events = [
        _event(0, "s00", "skip", "sad"),  # newest: the like below no longer counts
        _event(1, "s00", "like", "sad"),
        _event(2, "s06", "like", "sad"),
        _event(3, "s06", "like", "sad"),  # a repeated like counts once
        _event(4, "s12", "rate", "sad", rating=5),
        _event(5, "s18", "rate", "sad", rating=3),
        _event(6, "h00", "like", None),  # no mood: says nothing about any mood
        _event(7, "gone", "like", "sad"),  # not in the catalog
        _event(8, "s24", "like", "sad", user="u2"),  # someone else
    ]
    profile = learn_profile("u1", events, CATALOG)
    polka = profile.genres["sad"]["polka"]  # s00, s06, s12, s18 are all polka
    assert (polka.likes, polka.skips) == pytest.approx((1 + 1 + 0.5, 1 + 0.5))
    assert profile.events_used == 4
    assert set(profile.genres) == {"sad"}
    assert profile.artists["sad"]["band s06"].likes == 1


def test_liked_genre_rises_for_that_listener_and_mood_only() -> None:
    likes = [_event(i, f"s{6 * i:02d}", "like", "sad") for i in range(5)]  # five polka tracks, when sad
    u1 = learn_profile("u1", likes, CATALOG)
    u2 = learn_profile("u2", [], CATALOG)
    base = MAPPING.genre_weights({"sad": 1.0})
    assert "polka" not in base

    sad_u1, artists = personalize(base, u1, SAD)
    assert sad_u1["polka"] == pytest.approx(affinity(5, 0))
    assert all(sad_u1[g] == base[g] for g in base)  # nothing else moved
    assert artists == {f"band s{6 * i:02d}": pytest.approx(affinity(1, 0)) for i in range(5)}
    assert personalize(base, u2, SAD) == (base, {})
    happy_base = MAPPING.genre_weights({"happy": 1.0})
    assert personalize(happy_base, u1, HAPPY) == (happy_base, {})


def test_skips_sink_a_genre_but_never_below_zero() -> None:
    skips = [_event(i, f"s{6 * i + 1:02d}", "skip", "sad") for i in range(8)]  # soft tracks
    profile = learn_profile("u1", skips, CATALOG)
    adjusted, _ = personalize(MAPPING.genre_weights({"sad": 1.0}), profile, SAD)
    assert adjusted["soft"] == pytest.approx(1 - 8 / 12)
    many = learn_profile("u1", [_event(i, f"s{6 * (i % 10) + 1:02d}", "skip", "sad") for i in range(10)], CATALOG)
    assert personalize({"soft": 0.1}, many, SAD)[0]["soft"] >= 0


def test_a_mixed_reading_blends_the_emotions_evidence() -> None:
    profile = learn_profile("u1", [_event(i, f"s{6 * i:02d}", "like", "sad") for i in range(4)], CATALOG)
    half = AffectState.from_probabilities([0, 0, 0, 0.5, 0.5, 0, 0])
    assert profile.genre_affinity(half)["polka"] == pytest.approx(0.5 * affinity(4, 0))


def _polka_share(recs) -> float:
    return sum(r.track.genres[0] == "polka" for r in recs) / len(recs)


@pytest.mark.parametrize("strategy", ["match", "journey"])
def test_after_likes_in_one_mood_recommendations_change_for_that_listener_and_mood_only(strategy) -> None:
    db = open_feedback_db("sqlite://")
    for i in range(6):  # u1 likes six polka tracks while sad
        record_feedback("u1", f"s{6 * i:02d}", "like", "sad", db=db, now=T0 + timedelta(seconds=i))
    record_feedback("u2", "h01", "like", "happy", db=db)
    target = "neutral" if strategy == "journey" else None
    kw = {"catalog": CATALOG, "mapping": MAPPING, "k": 8, "strategy": strategy, "target": target, "db": db}

    anonymous = recommend(SAD, **kw)
    mine = recommend(SAD, user_id="u1", **kw)
    theirs = recommend(SAD, user_id="u2", **kw)
    assert _polka_share(mine) > _polka_share(anonymous)
    assert [r.track.id for r in theirs] == [r.track.id for r in anonymous]
    assert any("you liked" in r.reason for r in mine)
    assert not any("you liked" in r.reason for r in anonymous)
    if strategy == "match":  # the same listener in another mood: as if anonymous
        happy = {**kw, "strategy": "match"}
        assert [r.track.id for r in recommend(HAPPY, user_id="u1", **happy)] == [
            r.track.id for r in recommend(HAPPY, **happy)
        ]


def test_load_profile_reads_the_store() -> None:
    db = open_feedback_db("sqlite://")
    record_feedback("u1", "s00", "rate", "sad", rating=4, db=db)
    profile = load_profile("u1", CATALOG, db=db)
    assert profile.genres["sad"]["polka"].likes == pytest.approx(0.75)
    assert profile.genres["sad"]["polka"].skips == pytest.approx(0.25)
