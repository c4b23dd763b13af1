"""Text folding for track ids and search, in every script: "Группа крови" by "Кино" → ``kino--gruppa-krovi``.

Ids must be readable ASCII and stable: catalogs store them and listener feedback refers to them.
Latin text folds as it always has (accents dropped: "Beyoncé" → ``beyonce``). Letters of other
scripts, which used to vanish (so that every Cyrillic title by one artist shared an id), are
transliterated with ``anyascii``; a part left with nothing to show ("🔥🔥") becomes a short hash.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from anyascii import anyascii

__all__ = ["fold_text", "search_forms", "track_key"]

#: Hex digits of the hash standing in for a title or artist that has no letter or digit to show.
HASH_DIGITS = 10

# Up to U+024F every character is Latin, a digit, punctuation or a symbol, so text without anything
# beyond needs no transliteration and takes the quick whole-string fold (most catalog rows do).
_BEYOND_LATIN = re.compile(r"[^\x00-\u024f]")


def fold_text(text: str) -> str:
    """Lower-case ``text`` without accents ("Beyoncé" → "beyonce"), for matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_forms(text: str) -> tuple[str, ...]:
    """``fold_text(text)``, then its Latin transliteration where that differs: "Кино" → ("кино", "kino").

    A search matches either form, so a title is found by its own script and by its spelling in Latin.
    """
    folded = fold_text(text)
    if text.isascii():
        return (folded,)
    latin = fold_text(anyascii(text))
    return (folded,) if latin == folded else (folded, latin)


def _transliteration(char: str) -> str:
    """The Latin spelling of a letter, digit or vowel sign of a non-Latin script, else ""."""
    # Latin letters that do not decompose (ø, ß, ł), anything else up to U+024F (µ) and
    # script-neutral combining accents stay dropped, as they always were: transliterating them
    # would change existing ids.
    if (
        char <= "\u024f"
        or unicodedata.name(char, "").startswith(("LATIN", "COMBINING"))
        or unicodedata.category(char)[0] not in "LMN"
    ):
        return ""
    latin = anyascii(char)
    return latin if any(c.isalnum() for c in latin) else ""


def _ascii_part(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _key_part(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # First what ids were always made of, the ASCII in the compatibility decomposition ("é" → "e",
    # "ﬁ" → "fi"), so that every id made before transliteration stays the same; then the rest.
    if _BEYOND_LATIN.search(text) is None:
        latin = _ascii_part(text)
    else:
        latin = "".join(_ascii_part(char) or _transliteration(char) for char in text)
    folded = re.sub(r"[^a-z0-9]+", "-", latin.lower()).strip("-")
    if folded or not text.strip():
        return folded
    # Nothing readable (emoji, symbols): a hash of the exact text still tells titles apart.
    return hashlib.blake2b(text.encode("utf-8"), digest_size=HASH_DIGITS // 2).hexdigest()


def track_key(title: str, artist: str) -> str:
    """``artist--title``: accent-, case- and punctuation-insensitive, for ids and for matching catalogs.

    Any script gives a readable key ("夜に駆ける" by "YOASOBI" → ``yoasobi--yeniqukeru``); a part
    with no letter or digit at all becomes a stable 10-digit hash of its text.
    """
    return f"{_key_part(artist)}--{_key_part(title)}"
