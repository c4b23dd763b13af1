"""The journey strategy: a planned path that is monotone and smooth, and tracks that follow it."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest

from moodtune.affect import EMOTIONS, VA_ANCHORS, AffectState
from moodtune.errors import InputError
from moodtune.music import Catalog, Track, load_mapping, recommend, starter_catalog
from moodtune.music.journey import MAX_STEP, ease, plan_journey
from moodtune.music.ranking import artist_keys
from moodtune.music.strategies import JOURNEY_TARGETS, MOOD_POINTS, default_journey_target, target_mood

MAPPING = load_mapping()
POINTS = [VA_ANCHORS[e] for e in EMOTIONS] + [(p.valence, p.arousal) for p in MOOD_POINTS.values()]
PAIRS = [(s, d) for s, d in itertools.product(POINTS, POINTS) if s != d]


def _steps(waypoints: np.ndarray) -> np.ndarray:
    return np.hypot(*np.diff(waypoints, axis=0).T)


# --- the planned path --------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 3, 5, 8, 12, 30])
@pytest.mark.parametrize(("start", "destination"), PAIRS)
def test_planned_path_is_monotone_towards_the_destination_on_each_axis(start, destination, n) -> None:
    plan = plan_journey(start, destination, n)
    assert plan.waypoints.shape == (n, 2)
    assert tuple(plan.waypoints[0]) == pytest.approx(start)
    direction = np.sign(np.subtract(destination, start))
    moves = np.diff(plan.waypoints, axis=0) * direction  # each axis: never away from the destination
    assert np.all(moves >= -1e-12)
    # ... and never past it
    remaining = (np.asarray(destination) - plan.waypoints) * direction
    assert np.all(remaining >= -1e-12)
    assert np.all(np.diff(plan.progress) >= 0)


@pytest.mark.parametrize("n", [2, 3, 5, 8, 12, 30])
@pytest.mark.parametrize(("start", "destination"), PAIRS)
def test_planned_path_is_smooth_with_bounded_steps(start, destination, n) -> None:
    plan = plan_journey(start, destination, n)
    steps = _steps(plan.waypoints)
    assert steps.max() <= MAX_STEP + 1e-12
    # Eased: step lengths rise to the middle and fall after it, symmetric.
    assert np.allclose(steps, steps[::-1])
    half = steps[: (len(steps) + 1) // 2]
    assert np.all(np.diff(half) >= -1e-12)
    # Bounded change of step: |e''| <= 6, so consecutive steps differ by at most 6 · travelled / (n - 1)^2.
    travelled = plan.reach * float(np.hypot(*np.subtract(destination, start)))
    if n > 2:
        assert np.abs(np.diff(steps)).max() <= 6 * travelled / (n - 1) ** 2 + 1e-12


def test_journey_arrives_when_it_has_enough_tracks_and_goes_as_far_as_it_can_otherwise() -> None:
    sad, happy = VA_ANCHORS["sad"], VA_ANCHORS["happy"]
    long = plan_journey(sad, happy, 8)
    assert long.arrives and tuple(long.waypoints[-1]) == pytest.approx(happy)
    short = plan_journey(sad, happy, 5)
    assert not short.arrives and 0.6 < short.reach < 0.8
    assert _steps(short.waypoints).max() == pytest.approx(MAX_STEP)
    # Short of the goal, but on the way there: the last point lies on the segment.
    expected = np.asarray(sad) + short.reach * (np.asarray(happy) - np.asarray(sad))
    assert short.waypoints[-1] == pytest.approx(expected)


def test_ease_is_smoothstep() -> None:
    t = np.linspace(0, 1, 101)
    e = ease(t)
    assert e[0] == 0 and e[-1] == 1 and np.all(np.diff(e) >= 0)
    assert e[50] == pytest.approx(0.5)


@pytest.mark.parametrize("n", [0, 1, True, 2.0])
def test_a_journey_needs_two_tracks(n) -> None:
    with pytest.raises(InputError, match="at least 2"):
        plan_journey((0, 0), (0.5, 0.5), n)


def test_points_off_the_plane_are_refused() -> None:
    with pytest.raises(InputError, match="destination"):
        plan_journey((0, 0), (1.5, 0), 5)


# --- the destination ---------------------------------------------------------------------------------


def test_default_destination_lifts_a_negative_mood_and_calms_the_rest() -> None:
    for emotion in ("sad", "angry", "fear", "disgust"):
        assert default_journey_target(AffectState.from_emotion(emotion)) == "happy"
    for emotion in ("happy", "surprise", "neutral"):
        assert default_journey_target(AffectState.from_emotion(emotion)) == "calm"
    target = target_mood(AffectState.from_emotion("sad"), "journey")
    assert (target.valence, target.arousal) == VA_ANCHORS["happy"]
    assert target.description == "a journey from your calm-sad mood to happy"


def test_named_targets() -> None:
    sad = AffectState.from_emotion("sad")
    calm = target_mood(sad, "journey", "Calm")
    assert (calm.valence, calm.arousal) == (MOOD_POINTS["calm"].valence, MOOD_POINTS["calm"].arousal)
    assert set(calm.emotion_weights) == {"neutral", "fear", "sad"}
    assert target_mood(sad, "journey", "neutral").emotion_weights == {"neutral": 1.0}
    assert set(JOURNEY_TARGETS) == set(EMOTIONS) | {"calm", "content", "energetic"}


def test_bad_targets_are_input_errors() -> None:
    sad = AffectState.from_emotion("sad")
    with pytest.raises(InputError, match="unknown journey target"):
        target_mood(sad, "journey", "ecstatic")
    with pytest.raises(InputError, match="journey strategy only"):
        target_mood(sad, "match", "happy")


# --- the tracks ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def starter() -> Catalog:
    return starter_catalog()


def _deviation(recs) -> np.ndarray:
    return np.array([np.hypot(r.track.valence - r.waypoint[0], r.track.arousal - r.waypoint[1]) for r in recs])


@pytest.mark.parametrize("k", [5, 8, 12])
@pytest.mark.parametrize("emotion", EMOTIONS)
def test_tracks_follow_the_planned_path_on_the_starter_catalog(starter, emotion, k) -> None:
    affect = AffectState.from_emotion(emotion)
    deviations = []
    for target in JOURNEY_TARGETS:
        if target == emotion:
            continue
        recs = recommend(affect, starter, strategy="journey", target=target, k=k, mapping=MAPPING)
        aim = target_mood(affect, "journey", target)
        plan = plan_journey((affect.valence, affect.arousal), (aim.valence, aim.arousal), k)
        assert len(recs) == k
        assert [r.waypoint for r in recs] == [tuple(w) for w in plan.waypoints.tolist()]  # playing order
        deviation = _deviation(recs)
        # Every track within one mood-kernel width of its waypoint, and most much closer.
        assert deviation.max() <= 0.35, (target, deviation)
        assert deviation.mean() <= 0.2, (target, deviation)
        deviations.append(deviation.mean())
    assert np.mean(deviations) <= 0.12


def test_a_sad_journey_climbs_to_happy_in_playing_order(starter) -> None:
    recs = recommend(AffectState.from_emotion("sad"), starter, strategy="journey", k=8, mapping=MAPPING)
    valence = np.array([r.track.valence for r in recs])
    assert valence[-1] - valence[0] > 1.2
    assert np.corrcoef(valence, np.arange(len(recs)))[0, 1] > 0.95
    assert recs[0].reason.startswith("Step 1 of 8, where you are: close to calm-sad")
    assert recs[3].reason.startswith("Step 4 of 8, towards happy: ")
    assert recs[-1].reason.startswith("Step 8 of 8, arriving at happy: ")
    assert recs[-1].waypoint == VA_ANCHORS["happy"]
    short = recommend(AffectState.from_emotion("sad"), starter, strategy="journey", k=5, mapping=MAPPING)
    assert short[-1].reason.startswith("Step 5 of 5, 71% of the way to happy: ")


def test_no_track_twice_one_slot_per_artist_and_varied_genres(starter) -> None:
    for emotion, target in [("sad", "happy"), ("angry", "calm"), ("happy", "calm"), ("neutral", "energetic")]:
        recs = recommend(AffectState.from_emotion(emotion), starter, strategy="journey", target=target, k=12)
        assert len({r.track.id for r in recs}) == 12
        credited = Counter(key for r in recs for key in artist_keys(r.track.artist))
        assert max(credited.values()) == 1
        primary = Counter(r.track.genres[0] for r in recs if r.track.genres)
        assert max(primary.values()) <= 6, primary


def _track(id: str, v: float, a: float, *, artist: str | None = None, genres=("indie",)) -> Track:
    return Track(
        id=id, title=f"Song {id}", artist=artist or f"Artist {id}", year=2000, genres=genres, valence=v, arousal=a
    )


def test_diversity_rules_hold_across_the_steps() -> None:
    # A prolific artist with a perfect track at every waypoint still gets one slot (two when allowed).
    sad = AffectState.from_emotion("sad")
    plan = plan_journey((sad.valence, sad.arousal), VA_ANCHORS["happy"], 8)
    tracks = [_track(f"p{i}", *w, artist="Prolific", genres=("indie",)) for i, w in enumerate(plan.waypoints)]
    # Others a quarter off each axis: worse than a Prolific track even after its genre-repeat penalty.
    tracks += [_track(f"o{i}", *(w - 0.25), genres=(f"g{i}",)) for i, w in enumerate(plan.waypoints)]
    recs = recommend(sad, Catalog.from_tracks(tracks), strategy="journey", k=8, mapping=MAPPING)
    assert sum(r.track.artist == "Prolific" for r in recs) == 1
    assert recs[0].track.id == "p0"
    two = recommend(sad, Catalog.from_tracks(tracks), strategy="journey", k=8, mapping=MAPPING, max_per_artist=2)
    assert sum(r.track.artist == "Prolific" for r in two) == 2


def test_journey_is_deterministic_and_validates_k(starter) -> None:
    sad = AffectState.from_emotion("sad")
    first = recommend(sad, starter, strategy="journey", target="calm", k=6)
    assert first == recommend(sad, starter, strategy="journey", target="calm", k=6)
    with pytest.raises(InputError, match="at least 2"):
        recommend(sad, starter, strategy="journey", k=1)


def test_every_reason_is_built_from_the_factors_that_ranked_the_track(starter) -> None:
    recs = recommend(AffectState.from_emotion("angry"), starter, strategy="journey", target="calm", k=8)
    for rec in recs:
        assert set(rec.factors) == {
            "distance",
            "mood_fit",
            "mood_label",
            "genre_affinity",
            "popularity",
            "audio_similarity",
            "personal_affinity",
        }
        assert f"(distance {rec.factors['distance']:.2f})" in rec.reason
        assert ("suits" in rec.reason or "suit " in rec.reason or "calming" in rec.reason) == (
            rec.factors["genre_affinity"] > 0
        )
        assert ("well known" in rec.reason) == (rec.track.popularity is not None and rec.track.popularity >= 0.75)
