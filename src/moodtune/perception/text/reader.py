"""``read_text_mood``: a message → its mood, or a clear reason why there is none.

Rules, applied in order:

1. Text longer than ``MAX_TEXT_CHARS`` (2,000) characters is cut there (at the
   last space before the limit when there is one); ``truncated`` is set and
   ``note`` says so.
2. No letters at all (empty, whitespace, punctuation, digits) and no mapped
   emoji → ``no_signal``.
3. Unsupported language: letters mostly outside the Latin script (more than
   half of them) → ``unsupported_language``. With at least ``MIN_WORDS_FOR_LANGUAGE``
   (3) words, the text is English when at least ``MIN_ENGLISH_SHARE`` (50%) of
   its words are English stopwords or words of the model's vocabulary, or at
   least 15% are stopwords; otherwise ``unsupported_language``.
4. No word the model knows (e.g. ``"asdf qwer"``) → ``no_signal``.
5. Otherwise ``ok`` with the model's probabilities as an ``AffectState``, after one
   negation rule: when an emotion word of ``NEGATED_CUES`` occurs only negated
   (``"not happy"``, ``"don't feel scared"``; negation as marked by the featuriser),
   the probability of its class is multiplied by ``NEGATED_CUE_FACTOR`` (0.25) and
   the rest renormalised. The model sees negation too (``NOT_`` features), but its
   training data has few negated emotion words and labels them inconsistently
   (dair-ai tags "not happy" tweets as joy about as often as sadness), so the rule
   makes sure a negated feeling is not read as that feeling.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

import numpy as np

from moodtune.affect import EMOTIONS, AffectState
from moodtune.errors import InputError

from .featurize import NEGATION_PREFIX, tokenize
from .model import DEFAULT_TEXT_MODEL, load_text_model

__all__ = ["MAX_TEXT_CHARS", "NEGATED_CUES", "TextMood", "read_text_mood"]

MAX_TEXT_CHARS: Final = 2000
MIN_WORDS_FOR_LANGUAGE: Final = 3
MIN_ENGLISH_SHARE: Final = 0.5
MIN_STOPWORD_SHARE: Final = 0.15

# Common English function words (apostrophes dropped, as the featuriser does).
STOPWORDS: Final = frozenset(
    "a about after again all am an and any are as at be because been before being but by can could did do does "
    "doing dont down for from had has have having he her here him his how i if im in into is it its ive just me "
    "more most my myself no not now of off on once only or other our out over own same she should so some such "
    "than that the their them then there these they this those to too under until up very was we were what when "
    "where which while who why will with would you your yours feel feeling really".split()
)

#: emotion word → the class it names; see rule 5.
NEGATED_CUES: Final = MappingProxyType(
    {
        **dict.fromkeys(
            "happy glad joyful cheerful excited thrilled delighted pleased great good fine".split(), "happy"
        ),
        **dict.fromkeys("sad unhappy depressed miserable upset heartbroken".split(), "sad"),
        **dict.fromkeys("angry mad furious annoyed pissed".split(), "angry"),
        **dict.fromkeys("scared afraid frightened worried anxious nervous terrified".split(), "fear"),
        **dict.fromkeys("surprised shocked amazed astonished".split(), "surprise"),
        **dict.fromkeys("disgusted grossed".split(), "disgust"),
    }
)
NEGATED_CUE_FACTOR: Final = 0.25

Status = Literal["ok", "no_signal", "unsupported_language"]


@dataclass(frozen=True)
class TextMood:
    """The mood read from a message.

    Attributes
    ----------
    affect : the reading; None unless ``status == "ok"``.
    status : ``ok``, ``no_signal`` (nothing to read) or ``unsupported_language``.
    note : why there is no reading, or that the text was truncated.
    truncated : True when only the first ``MAX_TEXT_CHARS`` characters were read.
    """

    affect: AffectState | None
    status: Status
    note: str | None = None
    truncated: bool = False

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "affect": self.affect.as_dict() if self.affect else None,
            "note": self.note,
            "truncated": self.truncated,
        }


def _latin_share(text: str) -> tuple[int, float]:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0, 1.0
    latin = sum(1 for ch in letters if ch.isascii() or "LATIN" in unicodedata.name(ch, ""))
    return len(letters), latin / len(letters)


def read_text_mood(text: str, *, model: str = DEFAULT_TEXT_MODEL) -> TextMood:
    """Read the mood of ``text`` (English; see the module docstring for the rules)."""
    if not isinstance(text, str):
        raise InputError(f"text must be a string, got {type(text).__name__}")
    truncated = len(text) > MAX_TEXT_CHARS
    note = None
    if truncated:
        cut = text[:MAX_TEXT_CHARS]
        space = cut.rfind(" ")
        text = cut[:space] if space > MAX_TEXT_CHARS // 2 else cut
        note = f"only the first {MAX_TEXT_CHARS:,} characters were read"

    def without(status: Status, why: str) -> TextMood:
        return TextMood(None, status, why + (f"; {note}" if note else ""), truncated)

    marked = tokenize(text)
    tokens = [t.removeprefix(NEGATION_PREFIX) for t in marked]
    n_letters, latin = _latin_share(text)
    if n_letters == 0 and not any(t.isalpha() for t in tokens):
        return without("no_signal", "the text has no words to read a mood from")
    if latin < 0.5:
        return without("unsupported_language", "only English text is supported")
    m = load_text_model(model)
    words = [t for t in tokens if t.isalpha()]
    known = [t for t in words if t in STOPWORDS or ("w:" + t) in m.vectorizer.vocab]
    if len(words) >= MIN_WORDS_FOR_LANGUAGE:
        stop_share = sum(t in STOPWORDS for t in words) / len(words)
        if len(known) / len(words) < MIN_ENGLISH_SHARE and stop_share < MIN_STOPWORD_SHARE:
            return without("unsupported_language", "only English text is supported")
    if not any(("w:" + t) in m.vectorizer.vocab for t in words):
        return without("no_signal", "none of the words says anything the model knows about mood")
    p = m.predict_proba(text)
    plain = {t for t in marked if not t.startswith(NEGATION_PREFIX)}
    negated = {NEGATED_CUES[w] for t in marked if (w := t.removeprefix(NEGATION_PREFIX)) != t and w in NEGATED_CUES}
    negated -= {NEGATED_CUES[t] for t in plain if t in NEGATED_CUES}
    for emotion in negated:
        p[EMOTIONS.index(emotion)] *= NEGATED_CUE_FACTOR
    return TextMood(AffectState.from_probabilities(np.asarray(p)), "ok", note, truncated)
