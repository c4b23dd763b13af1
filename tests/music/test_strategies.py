"""Strategies: match stays put, uplift brightens by one gentle step, calm quietens (journey: test_journey)."""

from __future__ import annotations

import pytest

from moodtune.affect import EMOTIONS, AffectState
from moodtune.errors import InputError
from moodtune.music import STRATEGIES, load_mapping, target_mood
from moodtune.music.strategies import (
    CALM_AROUSAL_GOAL,
    UPLIFT_VALENCE_GOAL,
    UPLIFT_VALENCE_STEP,
    mood_label,
)

ALL_STATES = [AffectState.from_emotion(e) for e in EMOTIONS] + [
    AffectState.from_probabilities([0, 0, 0, 0, 0.6, 0, 0.4]),
    AffectState.from_probabilities([0.2, 0.1, 0.1, 0.2, 0.1, 0.1, 0.2]),
]


def test_strategies_are_the_four_documented() -> None:
    assert STRATEGIES == ("match", "uplift", "calm", "journey")


@pytest.mark.parametrize("state", ALL_STATES)
def test_match_aims_at_the_affect_point(state: AffectState) -> None:
    target = target_mood(state, "match")
    assert (target.valence, target.arousal) == (state.valence, state.arousal)
    assert target.strategy == "match"
    assert target.description.startswith("your ")


def test_match_prefers_genres_by_emotion_probability() -> None:
    state = AffectState.from_probabilities([0, 0, 0, 0, 0.6, 0, 0.4])
    target = target_mood(state, "match")
    assert dict(target.emotion_weights) == pytest.approx({"sad": 0.6, "neutral": 0.4})
    blended = load_mapping().genre_weights(target.emotion_weights)
    assert blended["blues"] == pytest.approx(0.6)
    assert blended["lo-fi"] == pytest.approx(0.4)


@pytest.mark.parametrize("state", ALL_STATES)
def test_uplift_never_darkens_and_brightens_below_the_goal(state: AffectState) -> None:
    target = target_mood(state, "uplift")
    assert target.valence >= state.valence
    assert target.arousal >= state.arousal
    if state.valence < UPLIFT_VALENCE_GOAL:
        assert target.valence > state.valence
        assert target.valence - state.valence <= UPLIFT_VALENCE_STEP + 1e-12
    assert target.emotion_weights["happy"] >= 0.5
    assert sum(target.emotion_weights.values()) == pytest.approx(1.0)


def test_uplift_from_sad_is_one_gentle_step_not_euphoria() -> None:
    sad = AffectState.from_emotion("sad")
    target = target_mood(sad, "uplift")
    assert sad.valence < target.valence < 0.3
    assert target.emotion_weights["sad"] == pytest.approx(0.5)
    assert "brighter" in target.description


def test_uplift_keeps_an_already_happy_target() -> None:
    happy = AffectState.from_emotion("happy")
    target = target_mood(happy, "uplift")
    assert (target.valence, target.arousal) == (happy.valence, happy.arousal)


@pytest.mark.parametrize("state", ALL_STATES)
def test_calm_lowers_arousal_and_never_darkens(state: AffectState) -> None:
    target = target_mood(state, "calm")
    if state.arousal > CALM_AROUSAL_GOAL:
        assert target.arousal < state.arousal
    assert target.arousal >= CALM_AROUSAL_GOAL
    assert target.valence >= state.valence
    assert target.valence <= max(state.valence, 0.15)
    assert set(target.emotion_weights) <= {"neutral", "fear", "sad"}
    assert sum(target.emotion_weights.values()) == pytest.approx(1.0)


def test_calm_from_angry_is_much_quieter() -> None:
    angry = AffectState.from_emotion("angry")
    target = target_mood(angry, "calm")
    assert angry.arousal - target.arousal == pytest.approx(0.6)
    assert "calmer" in target.description


def test_strategy_names_are_case_insensitive() -> None:
    assert target_mood(AffectState.from_emotion("sad"), " Uplift ").strategy == "uplift"


@pytest.mark.parametrize("bad", ["energise", "", None, 3])
def test_unknown_strategy_names_the_allowed_values(bad) -> None:
    with pytest.raises(InputError) as info:
        target_mood(AffectState.from_emotion("sad"), bad)
    for name in STRATEGIES:
        assert name in str(info.value)


def test_affect_must_be_an_affect_state() -> None:
    with pytest.raises(InputError):
        target_mood((0.1, 0.2), "match")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("point", "label"),
    [
        ((-0.63, -0.27), "calm-sad"),
        ((0.81, 0.51), "upbeat-happy"),
        ((0.0, 0.0), "neutral"),
        ((-0.5, 0.6), "tense"),
    ],
)
def test_mood_labels(point: tuple[float, float], label: str) -> None:
    assert mood_label(*point) == label
