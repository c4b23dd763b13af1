"""Personal re-ranking: what one listener's likes, skips and ratings say about genres and artists, per emotion.

The scheme is a Beta–Bernoulli model per (listener, emotion, genre) and per
(listener, emotion, artist), shrunk to an even prior — small enough to check by hand.

**Evidence.** Each stored reaction becomes a like-weight ``l`` and a skip-weight
``s``: a like is (1, 0), a skip (0, 1), a rating ``r`` of 1–5 is
((r − 1)/4, (5 − r)/4), so 5 counts as a like, 1 as a skip and 3 as half of each
(more evidence, no lean). Only the newest reaction per (emotion, track) counts,
so pressing like twice is one like and a like later turned into a skip is a
skip. Reactions without an emotion, or to tracks no longer in the catalog, are
left out: a taste is learnt *per mood*, and liking sad blues says nothing about
what suits the same listener when happy. A reaction credits every genre tag of
its track and every credited artist (``ranking.artist_keys``).

**Posterior.** For listener ``u``, emotion ``e`` and genre ``g`` with summed
weights ``L`` (likes) and ``S`` (skips), the posterior of "``u`` likes ``g``
when ``e``" is Beta(α₀ + L, β₀ + S) with the prior α₀ = β₀ = ``PRIOR_STRENGTH`` / 2
= 2 (mean ½: no lean until there is evidence). Its mean ``m = (2 + L) / (4 + L + S)``
becomes a signed affinity::

    a(u, e, g) = 2m − 1 = (L − S) / (L + S + 4)     in (−1, 1)

0 without evidence; 1 like gives 0.2, 4 likes 0.5, 12 likes 0.75; as many
skips as likes give 0. Artists follow the same formula.

**Mood mix.** A reading is a distribution ``p`` over the seven emotions; the
affinity used is ``a(u, g) = Σₑ p(e) · a(u, e, g)``, so a picked mood uses only
its own evidence and a mixed reading blends.

**Re-ranking.** The genre preferences given to ``ranking.score_tracks`` become
``w'(g) = clip(w(g) + a(u, g), 0, 1)``: a liked genre rises (a genre missing
from the mapping can earn up to the mapping's own weight), a skipped one sinks,
never outside [0, 1]. Artists go in as ``artist_weights`` = ``a(u, artist)``
in (−1, 1), which the ranker turns into its personal-affinity factor.
"""

from __future__ import annotations

import logging
import weakref
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from moodtune.affect import EMOTIONS, AffectState
from moodtune.errors import DataError

from .catalog import Catalog
from .ranking import artist_keys

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from .feedback import FeedbackEvent

__all__ = [
    "MAX_EVENTS",
    "PRIOR_STRENGTH",
    "Evidence",
    "TasteProfile",
    "affinity",
    "learn_profile",
    "load_profile",
    "personalize",
]

log = logging.getLogger(__name__)

#: α₀ + β₀ of the Beta prior: how many reactions' worth of "no lean" each affinity starts with.
PRIOR_STRENGTH: Final = 4.0
#: Newest reactions read per listener; older ones no longer shape the profile.
MAX_EVENTS: Final = 5000


@dataclass(frozen=True)
class Evidence:
    """Summed like- and skip-weights for one (emotion, genre or artist)."""

    likes: float = 0.0
    skips: float = 0.0

    @property
    def affinity(self) -> float:
        """``(likes − skips) / (likes + skips + PRIOR_STRENGTH)``, in (−1, 1)."""
        return affinity(self.likes, self.skips)


def affinity(likes: float, skips: float) -> float:
    """Posterior mean of Beta(α₀ + likes, β₀ + skips), mapped from [0, 1] to (−1, 1) (see the module docstring)."""
    return (likes - skips) / (likes + skips + PRIOR_STRENGTH)


def _weights(event: FeedbackEvent) -> tuple[float, float]:
    if event.action == "like":
        return 1.0, 0.0
    if event.action == "skip":
        return 0.0, 1.0
    if event.rating is None:
        raise DataError(f"feedback event {event.id} is a rating without a value")
    return (event.rating - 1.0) / 4.0, (5.0 - event.rating) / 4.0


Table = Mapping[str, Mapping[str, Evidence]]


@dataclass(frozen=True)
class TasteProfile:
    """One listener's evidence, per emotion.

    Attributes
    ----------
    user_id : the listener.
    genres : emotion → genre → ``Evidence``.
    artists : emotion → artist key (``ranking.artist_keys``) → ``Evidence``.
    events_used : reactions that counted (newest per emotion and track, with an emotion, in the catalog).
    """

    user_id: str
    genres: Table
    artists: Table
    events_used: int

    def genre_affinity(self, affect: AffectState) -> dict[str, float]:
        """Genre → ``Σₑ p(e) · a(e, genre)`` for the reading ``affect``; genres without evidence left out."""
        return _mix(self.genres, affect)

    def artist_affinity(self, affect: AffectState) -> dict[str, float]:
        """Artist key → ``Σₑ p(e) · a(e, artist)``; artists without evidence left out."""
        return _mix(self.artists, affect)


def _mix(table: Table, affect: AffectState) -> dict[str, float]:
    mixed: dict[str, float] = defaultdict(float)
    for emotion, p in zip(EMOTIONS, affect.probabilities, strict=True):
        if p <= 0:
            continue
        for name, evidence in table.get(emotion, {}).items():
            mixed[name] += p * evidence.affinity
    return {name: a for name, a in mixed.items() if a != 0.0}


# Per catalog (weakly held, so a dropped catalog frees its table): track id → row, built on first use.
_ROWS: weakref.WeakKeyDictionary[Catalog, dict[str, int]] = weakref.WeakKeyDictionary()


def _rows_of(catalog: Catalog, track_ids: set[str]) -> dict[str, int]:
    """Catalog row of each of ``track_ids`` found in it."""
    rows = _ROWS.get(catalog)
    if rows is None:
        rows = {str(track_id): row for row, track_id in enumerate(catalog.ids.tolist())}
        _ROWS[catalog] = rows
    return {track_id: rows[track_id] for track_id in track_ids if track_id in rows}


def learn_profile(user_id: str, events: Iterable[FeedbackEvent], catalog: Catalog) -> TasteProfile:
    """Sum a listener's reactions into per-emotion genre and artist evidence.

    Parameters
    ----------
    user_id : the listener (events of other listeners are ignored).
    events : the listener's reactions, newest first (as ``feedback_for`` returns them).
    catalog : resolves track ids to genres and artists.
    """
    latest: dict[tuple[str, str], FeedbackEvent] = {}
    for event in events:
        if event.user_id == user_id and event.emotion is not None:
            latest.setdefault((event.emotion, event.track_id), event)
    rows = _rows_of(catalog, {track_id for _, track_id in latest})
    genres: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    artists: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    used = 0
    for (emotion, track_id), event in latest.items():
        row = rows.get(track_id)
        if row is None:
            log.debug("feedback on %s: not in the catalog, not used", track_id)
            continue
        like, skip = _weights(event)
        credited = artist_keys(catalog.artist_names[catalog.artist_codes[row]])
        for table, names in ((genres, catalog.genres_of(row)), (artists, credited)):
            for name in names:
                table[emotion][name][0] += like
                table[emotion][name][1] += skip
        used += 1

    def freeze(table: dict[str, dict[str, list[float]]]) -> Table:
        return MappingProxyType(
            {e: MappingProxyType({n: Evidence(*w) for n, w in names.items()}) for e, names in table.items()}
        )

    return TasteProfile(user_id, freeze(genres), freeze(artists), used)


def load_profile(user_id: str, catalog: Catalog, *, db: Engine | None = None) -> TasteProfile:
    """``learn_profile`` over the listener's newest ``MAX_EVENTS`` stored reactions (``db`` None: the default)."""
    from .feedback import feedback_for  # SQLAlchemy loads only when a listener is named

    return learn_profile(user_id, feedback_for(user_id, db=db, limit=MAX_EVENTS), catalog)


def personalize(
    genre_weights: Mapping[str, float], profile: TasteProfile, affect: AffectState
) -> tuple[dict[str, float], dict[str, float]]:
    """The listener's genre preferences and artist weights for a reading.

    Parameters
    ----------
    genre_weights : genre → weight in [0, 1], from the mapping.
    profile : the listener's evidence.
    affect : the reading the list is for; its probabilities mix the per-emotion affinities.

    Returns
    -------
    (genre weights ``clip(w + a, 0, 1)`` over the mapping's and the profile's genres,
    artist key → affinity in (−1, 1)) — the ``genre_weights`` and ``artist_weights``
    of ``ranking.score_tracks``.
    """
    adjusted = dict(genre_weights)
    for genre, a in profile.genre_affinity(affect).items():
        adjusted[genre] = min(1.0, max(0.0, adjusted.get(genre, 0.0) + a))
    return adjusted, profile.artist_affinity(affect)
