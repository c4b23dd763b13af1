"""Late fusion of face, text and a picked mood."""

from __future__ import annotations

import numpy as np
import pytest

from moodtune.affect import EMOTIONS, AffectState
from moodtune.affect.fusion import SOURCE_PRIOR, fuse
from moodtune.errors import InputError


def _state(**probs: float) -> AffectState:
    return AffectState.from_probabilities([probs.get(e, 0.0) for e in EMOTIONS])


def test_a_single_source_passes_through_with_weight_one():
    face = _state(happy=0.7, neutral=0.3)
    fused = fuse(faces=face)
    assert fused.affect == face
    assert [(s.source, s.weight) for s in fused.sources] == [("face", 1.0)]


def test_when_face_and_text_disagree_the_more_confident_source_wins():
    face = _state(happy=0.5, neutral=0.3, surprise=0.2)  # confidence 0.5
    text = _state(sad=0.9, neutral=0.1)  # confidence 0.9
    fused = fuse(faces=face, text=text)
    weights = {s.source: s.weight for s in fused.sources}
    assert weights["face"] == pytest.approx(0.5 / 1.4) and weights["text"] == pytest.approx(0.9 / 1.4)
    assert fused.affect.emotion == "sad"
    expected = (0.5 * np.array(face.probabilities) + 0.9 * np.array(text.probabilities)) / 1.4
    assert np.allclose(fused.affect.probabilities, expected)
    assert fused.affect.valence < 0  # pulled towards sad


def test_equal_confidence_means_equal_weight_with_the_default_priors():
    assert SOURCE_PRIOR["face"] == SOURCE_PRIOR["text"] == 1.0
    fused = fuse(faces=_state(angry=0.8, neutral=0.2), text=_state(happy=0.8, neutral=0.2))
    assert [s.weight for s in fused.sources] == pytest.approx([0.5, 0.5])
    assert fused.affect.probability_of("angry") == pytest.approx(0.4)
    assert fused.affect.probability_of("happy") == pytest.approx(0.4)


def test_a_pick_overrides_every_reading_but_keeps_them_for_display():
    fused = fuse(faces=_state(happy=1.0), text=_state(happy=1.0), picked="sad")
    assert fused.affect.emotion == "sad" and fused.affect.confidence == 1.0
    assert [(s.source, s.weight) for s in fused.sources] == [("pick", 1.0), ("face", 0.0), ("text", 0.0)]


def test_as_dict_adds_sources_with_probabilities_and_weights():
    d = fuse(faces=_state(fear=0.6, sad=0.4), text=_state(sad=1.0)).as_dict()
    assert d["emotion"] == "sad" and set(d) >= {"probabilities", "valence", "arousal", "sources"}
    assert [s["source"] for s in d["sources"]] == ["face", "text"]
    assert set(d["sources"][0]["probabilities"]) == set(EMOTIONS)
    assert sum(s["weight"] for s in d["sources"]) == pytest.approx(1.0, abs=1e-3)


def test_nothing_to_fuse_and_unknown_picks_are_input_errors():
    with pytest.raises(InputError):
        fuse()
    with pytest.raises(InputError):
        fuse(picked="elated")
