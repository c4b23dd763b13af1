"""The text featuriser shared by training and inference (pure Python, no scikit-learn).

One function, ``extract_features``, turns a message into feature counts; the
trainer builds its vocabulary and IDF from exactly these counts and the runtime
model looks the same keys up, so the two can never drift apart.

Steps
-----
1. ``normalize``: Unicode NFKC, emoji and emoticons → words (``EMOJI_WORDS``),
   lower-case, curly quotes → ``'``, apostrophes dropped (``don't`` → ``dont``,
   matching the dair-ai data, which has no punctuation), letters repeated 3+
   times cut to 2 (``sooo`` → ``soo``).
2. ``tokenize``: runs of letters/digits; ``. , ! ? ; :`` are kept only as
   boundaries. A few slang words are expanded (``SLANG``).
3. Negation: the ``NEGATION_WINDOW`` tokens after a negator (``not``, ``never``,
   ``dont`` …) get a ``NOT_`` prefix, stopping early at punctuation or ``but``.
   ``"not happy"`` → ``not NOT_happy``, a different feature from ``happy``.
4. Features: word unigrams ``w:tok``, word bigrams ``b:tok1 tok2`` and
   character n-grams ``c:gram`` of 2–5 characters inside each space-padded token
   (like scikit-learn's ``char_wb``); a negated token's n-grams are keyed
   ``~gram`` so they stay apart from the plain word's.

Weighting (done by the model, see ``model.py``): sublinear tf ``1 + ln(count)``
× IDF, L2-normalised separately for the word block and the character block.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Final

__all__ = [
    "CHAR_NGRAMS",
    "EMOJI_WORDS",
    "NEGATION_PREFIX",
    "NEGATION_WINDOW",
    "NEGATORS",
    "SLANG",
    "extract_features",
    "normalize",
    "tokenize",
]

NEGATION_WINDOW: Final = 3
NEGATION_PREFIX: Final = "NOT_"
CHAR_NGRAMS: Final = (2, 5)

#: emoji / emoticon → the words it stands for (looked up before lower-casing).
EMOJI_WORDS: Final[dict[str, str]] = {
    "😂": "laughing",
    "🤣": "laughing",
    "😆": "laughing",
    "😄": "happy",
    "😃": "happy",
    "😀": "happy",
    "😁": "happy",
    "😊": "happy",
    "🙂": "happy",
    "☺": "happy",
    "😍": "love",
    "🥰": "love",
    "😘": "love",
    "❤": "love",
    "♥": "love",
    "💕": "love",
    "💖": "love",
    "💗": "love",
    "💜": "love",
    "💙": "love",
    "🎉": "excited",
    "🥳": "excited",
    "👍": "good",
    "😢": "sad",
    "😭": "crying sad",
    "😞": "sad",
    "😔": "sad",
    "🙁": "sad",
    "☹": "sad",
    "💔": "heartbroken sad",
    "😡": "angry",
    "😠": "angry",
    "🤬": "angry furious",
    "😤": "annoyed",
    "😨": "scared",
    "😰": "anxious scared",
    "😱": "terrified",
    "😟": "worried",
    "😮": "surprised",
    "😲": "shocked",
    "😯": "surprised",
    "🤯": "shocked",
    "🤢": "disgusted",
    "🤮": "disgusting",
    "😒": "annoyed",
    "🙄": "annoyed",
    "😐": "meh",
    ":-)": "happy",
    ":)": "happy",
    ":-d": "laughing",
    ":d": "laughing",
    ":-(": "sad",
    ":(": "sad",
    ":'(": "crying sad",
    "<3": "love",
}

#: slang token → standard words (after lower-casing and apostrophe removal).
SLANG: Final[dict[str, str]] = {
    "u": "you",
    "ur": "your",
    "luv": "love",
    "gr8": "great",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "ty": "thanks",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "idk": "i dont know",
    "tbh": "to be honest",
    "omg": "oh my god",
    "smh": "shaking my head",
    "ffs": "for fucks sake",
    "wtf": "what the fuck",
    "imo": "in my opinion",
    "rn": "right now",
    "gonna": "going to",
    "wanna": "want to",
    "dunno": "dont know",
    "cant": "cannot",
}

NEGATORS: Final = frozenset(
    "not no never nothing nobody none neither nor nowhere cannot dont didnt doesnt isnt wasnt arent werent "
    "wont wouldnt shouldnt couldnt aint havent hasnt hadnt without hardly".split()
)
_BREAKS: Final = frozenset(".,!?;:")
_EMOJI_RE: Final = re.compile("|".join(re.escape(k) for k in sorted(EMOJI_WORDS, key=len, reverse=True)))
_TOKEN_RE: Final = re.compile(r"[^\W_]+|[.,!?;:]")
_REPEAT_RE: Final = re.compile(r"(.)\1{2,}")


def normalize(text: str) -> str:
    """Emoji → words, lower case, apostrophes dropped, long letter runs shortened (step 1)."""
    text = unicodedata.normalize("NFKC", text).replace("\ufe0f", "")
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    text = _EMOJI_RE.sub(lambda m: f" {EMOJI_WORDS[m.group(0)]} ", text.lower())
    text = text.replace("'", "")
    return _REPEAT_RE.sub(r"\1\1", text)


def tokenize(text: str) -> list[str]:
    """Tokens of ``normalize(text)`` with slang expanded and negation marked (steps 1–3)."""
    tokens: list[str] = []
    scope = 0
    for raw in _TOKEN_RE.findall(normalize(text)):
        if raw in _BREAKS:
            scope = 0
            continue
        for tok in SLANG.get(raw, raw).split():
            if tok == "but":
                scope = 0
                tokens.append(tok)
            elif tok in NEGATORS:
                tokens.append(tok)
                scope = NEGATION_WINDOW
            elif scope > 0:
                tokens.append(NEGATION_PREFIX + tok)
                scope -= 1
            else:
                tokens.append(tok)
    return tokens


def extract_features(text: str) -> Counter[str]:
    """Feature key → count for one message (step 4); empty when the text has no tokens."""
    tokens = tokenize(text)
    feats: Counter[str] = Counter()
    lo, hi = CHAR_NGRAMS
    for i, tok in enumerate(tokens):
        feats["w:" + tok] += 1
        if i:
            feats["b:" + tokens[i - 1] + " " + tok] += 1
        if tok.startswith(NEGATION_PREFIX):
            mark, word = "c:~", tok[len(NEGATION_PREFIX) :]
        else:
            mark, word = "c:", tok
        padded = f" {word} "
        size = len(padded)
        for n in range(lo, min(hi, size) + 1):
            for start in range(size - n + 1):
                feats[mark + padded[start : start + n]] += 1
    return feats
