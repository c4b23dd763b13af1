"""read_text_mood on edge inputs, negation, emoji, truncation and language detection."""

from __future__ import annotations

import pytest

from moodtune.affect import EMOTIONS
from moodtune.errors import InputError
from moodtune.perception.text import MAX_TEXT_CHARS, normalize, read_text_mood, tokenize


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("I am so happy today, everything is wonderful!", "happy"),
        ("i feel so alone and sad, i miss her", "sad"),
        ("I am furious, this is outrageous and I hate them", "angry"),
        ("I am scared and terrified of what comes next", "fear"),
        ("that is disgusting, absolutely gross", "disgust"),
        ("The meeting is at 3pm in room 4.", "neutral"),
    ],
)
def test_clear_messages_read_as_their_emotion(text, emotion):
    mood = read_text_mood(text)
    assert mood.status == "ok" and mood.affect is not None and mood.note is None and not mood.truncated
    assert mood.affect.emotion == emotion
    assert sum(mood.affect.probabilities) == pytest.approx(1.0)


@pytest.mark.parametrize("text", ["", "   \n\t ", "?!... ,,, ;;", "12345 678", "---", "asdfgh qwrtzp"])
def test_empty_punctuation_numbers_and_noise_give_no_signal(text):
    mood = read_text_mood(text)
    assert mood.status == "no_signal" and mood.affect is None and mood.note


@pytest.mark.parametrize(
    "text",
    [
        "Estoy muy triste hoy porque perdí mi trabajo y no sé qué hacer",
        "Ich bin heute sehr traurig und müde, weil alles schief geht",
        "我今天很开心，因为天气很好",
        "Я сегодня очень счастлив",
        "今日はとても悲しいです",
    ],
)
def test_non_english_text_is_unsupported_rather_than_guessed(text):
    mood = read_text_mood(text)
    assert mood.status == "unsupported_language" and mood.affect is None and "English" in (mood.note or "")


def test_negation_is_marked_in_the_shared_featuriser():
    assert tokenize("I am not happy at all. Great!") == ["i", "am", "not", "NOT_happy", "NOT_at", "NOT_all", "great"]
    assert tokenize("don't like it but fine") == ["dont", "NOT_like", "NOT_it", "but", "fine"]


@pytest.mark.parametrize("text", ["I am not happy", "i'm not happy at all", "I don't feel happy about this"])
def test_negated_happiness_does_not_read_as_happy(text):
    mood = read_text_mood(text)
    assert mood.status == "ok" and mood.affect is not None
    assert mood.affect.emotion != "happy"
    assert mood.affect.probability_of("happy") < read_text_mood(
        text.replace("not ", "").replace("don't", "")
    ).affect.probability_of("happy")  # type: ignore[union-attr]


def test_emoji_and_emoticons_become_words():
    assert "sad" in normalize("😢").split() and "laughing" in normalize("😂").split()
    assert "love" in normalize("❤️").split() and "happy" in normalize(":)").split()
    assert read_text_mood("😢😢").affect.emotion == "sad"  # type: ignore[union-attr]
    assert read_text_mood("love this ❤️😍").affect.emotion == "happy"  # type: ignore[union-attr]
    assert read_text_mood("😡😡").affect.emotion == "angry"  # type: ignore[union-attr]


def test_slang_and_stretched_words_are_normalised():
    assert tokenize("luv u sooooo much") == ["love", "you", "soo", "much"]
    assert read_text_mood("luv u sooooo much, ur the best!!!").affect.emotion == "happy"  # type: ignore[union-attr]


def test_very_long_text_is_truncated_with_a_note():
    text = "I am so happy and grateful today. " * 200
    assert len(text) > MAX_TEXT_CHARS
    mood = read_text_mood(text)
    assert mood.status == "ok" and mood.truncated and mood.affect is not None and mood.affect.emotion == "happy"
    assert "2,000" in (mood.note or "")
    d = mood.as_dict()
    assert d["truncated"] is True and d["status"] == "ok" and set(d["affect"]["probabilities"]) == set(EMOTIONS)


def test_truncation_note_survives_a_no_signal_result():
    mood = read_text_mood("!" * (MAX_TEXT_CHARS + 10))
    assert mood.status == "no_signal" and mood.truncated and "2,000" in (mood.note or "")


def test_non_string_input_is_an_input_error():
    with pytest.raises(InputError):
        read_text_mood(None)  # type: ignore[arg-type]
