import numpy as np
import pytest

from moodtune.affect import EMOTIONS, VA_ANCHORS, AffectState, combine_affects, emotion_index
from moodtune.errors import InputError


def test_emotions_follow_fer2013_order():
    assert EMOTIONS == ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
    assert set(VA_ANCHORS) == set(EMOTIONS)
    for v, a in VA_ANCHORS.values():
        assert -1 <= v <= 1 and -1 <= a <= 1


def test_anchors_sit_in_their_circumplex_quadrants():
    assert VA_ANCHORS["happy"][0] > 0 and VA_ANCHORS["happy"][1] > 0
    assert VA_ANCHORS["sad"][0] < 0 and VA_ANCHORS["sad"][1] < 0
    for e in ("angry", "fear", "disgust"):
        assert VA_ANCHORS[e][0] < 0 and VA_ANCHORS[e][1] > 0
    assert VA_ANCHORS["neutral"] == (0.0, 0.0)


def test_from_emotion_puts_all_mass_on_it():
    s = AffectState.from_emotion("Sad ")
    assert s.emotion == "sad" and s.confidence == 1.0
    assert (s.valence, s.arousal) == pytest.approx(VA_ANCHORS["sad"])


def test_valence_arousal_is_probability_weighted():
    p = np.zeros(7)
    p[EMOTIONS.index("happy")] = 0.5
    p[EMOTIONS.index("sad")] = 0.5
    s = AffectState.from_probabilities(p)
    assert s.valence == pytest.approx((0.81 - 0.63) / 2)
    assert s.arousal == pytest.approx((0.51 - 0.27) / 2)


def test_probabilities_are_renormalised_and_validated():
    s = AffectState.from_probabilities([2, 0, 0, 2, 0, 0, 0])
    assert sum(s.probabilities) == pytest.approx(1.0)
    for bad in ([0] * 7, [1] * 6, [-1, 1, 1, 1, 1, 1, 1], [np.nan] + [1] * 6):
        with pytest.raises(InputError):
            AffectState.from_probabilities(bad)


def test_unknown_emotion_is_a_clear_error():
    with pytest.raises(InputError, match="choose from"):
        emotion_index("melancholy")


def test_combine_weights_states():
    happy, sad = AffectState.from_emotion("happy"), AffectState.from_emotion("sad")
    mix = combine_affects([happy, sad], [3, 1])
    assert mix.probability_of("happy") == pytest.approx(0.75)
    assert mix.emotion == "happy"
    with pytest.raises(InputError):
        combine_affects([happy], [0])


def test_as_dict_has_the_documented_keys():
    d = AffectState.from_emotion("fear").as_dict()
    assert set(d) == {"emotion", "confidence", "probabilities", "valence", "arousal"}
    assert list(d["probabilities"]) == list(EMOTIONS)
