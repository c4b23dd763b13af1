import numpy as np
import pytest

from moodtune.affect import EMOTIONS, AffectState
from moodtune.affect.smoothing import MoodSmoother
from moodtune.errors import InputError


def leaning(emotion: str, strength: float = 0.8) -> np.ndarray:
    """A reading with ``strength`` on ``emotion`` and the rest spread evenly."""
    p = np.full(len(EMOTIONS), (1 - strength) / (len(EMOTIONS) - 1))
    p[EMOTIONS.index(emotion)] = strength
    return p


def test_first_update_sets_the_mood_and_reports_a_change():
    s = MoodSmoother()
    assert s.mood is None and s.affect is None
    out = s.update(leaning("happy"))
    assert out.mood == "happy" and out.changed and out.previous is None
    assert s.mood == "happy"
    assert out.affect.probabilities == pytest.approx(tuple(leaning("happy")))


def test_ema_follows_every_reading():
    s = MoodSmoother(alpha=0.25)
    s.update(leaning("happy", 1.0))
    out = s.update(leaning("sad", 1.0))
    assert out.affect.probability_of("happy") == pytest.approx(0.75)
    assert out.affect.probability_of("sad") == pytest.approx(0.25)


def test_a_single_odd_frame_never_switches_the_mood():
    s = MoodSmoother(alpha=0.5, margin=0.1, patience=3)
    for _ in range(5):
        s.update(leaning("happy"))
    changes = []
    for reading in [leaning("angry", 1.0)] + [leaning("happy")] * 5:
        changes.append(s.update(reading).changed)
    assert not any(changes)
    assert s.mood == "happy"


def test_switches_after_patience_consecutive_leads():
    s = MoodSmoother(alpha=0.5, margin=0.1, patience=3)
    for _ in range(5):
        s.update(leaning("happy"))
    moods = [s.update(leaning("sad")) for _ in range(8)]
    first = next(i for i, m in enumerate(moods) if m.changed)
    # EMA needs one update for sad to lead happy by the margin, then 3 leading updates.
    assert [m.mood for m in moods[:first]] == ["happy"] * first
    assert moods[first].mood == "sad" and moods[first].previous == "happy"
    assert first >= 2
    assert all(m.mood == "sad" and not m.changed for m in moods[first + 1 :])


def test_a_lead_below_the_margin_does_not_count():
    s = MoodSmoother(alpha=1.0, margin=0.2, patience=1)
    s.update(leaning("happy", 0.5))
    near = np.full(7, 0.5 / 6)
    near[EMOTIONS.index("happy")] = 0.2
    near[EMOTIONS.index("sad")] = 0.3 + 0.5 / 6 - 0.5 / 6  # sad leads happy by 0.1 < margin
    out = s.update(near)
    assert out.affect.emotion == "sad" and out.mood == "happy" and not out.changed
    out = s.update(leaning("sad", 0.9))
    assert out.mood == "sad" and out.changed


def test_an_interrupted_streak_starts_again():
    s = MoodSmoother(alpha=1.0, margin=0.1, patience=3)
    s.update(leaning("happy"))
    for reading in ["sad", "sad", "happy", "sad", "sad"]:
        assert not s.update(leaning(reading)).changed
    assert s.update(leaning("sad")).changed


def test_accepts_affect_states_and_resets():
    s = MoodSmoother()
    s.update(AffectState.from_emotion("fear"))
    assert s.mood == "fear"
    s.reset()
    assert s.mood is None and s.affect is None
    assert s.update(AffectState.from_emotion("neutral")).changed


@pytest.mark.parametrize(
    "kwargs",
    [{"alpha": 0}, {"alpha": 1.5}, {"margin": -0.1}, {"margin": 1}, {"patience": 0}, {"patience": 1.5}],
)
def test_rejects_bad_parameters(kwargs):
    with pytest.raises(InputError):
        MoodSmoother(**kwargs)


def test_rejects_bad_readings():
    with pytest.raises(InputError):
        MoodSmoother().update([0.5, 0.5])
