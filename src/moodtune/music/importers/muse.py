"""``muse``: MuSe, the Musical Sentiment data set (Akiki & Burghardt 2021; ``muse_v3.csv``).

Columns: lastfm_url, track, artist, seeds, number_of_emotion_tags, valence_tags, arousal_tags,
dominance_tags, mbid, spotify_id, genre. The ``*_tags`` scores average the Warriner et al. (2013)
word norms of a song's Last.fm mood tags; those norms are ratings on a 1–9 scale (1 unhappy/calm,
9 happy/excited, 5 the scale's middle). They are mapped to [-1, 1] by ``(x − 5) / 4``: linear,
the scale's middle to 0 and its ends to ±1, the same for both axes, nothing fitted to the data.
Averages of word norms rarely reach the ends, so MuSe tracks cluster nearer the centre than the
starter catalog's; they are not stretched. Dominance has no place on moodtune's plane and is not
kept. A value outside 1–9 is reported as a malformed row. ``genre`` is a single tag.
"""

from __future__ import annotations

from ._format import Format

__all__ = ["MUSE_FORMAT"]

#: The Warriner norms' scale: 1 … 9 with its middle at 5.
WARRINER_LOW, WARRINER_MID, WARRINER_HIGH = 1.0, 5.0, 9.0


def _warriner_to_unit(value: float) -> float:
    return (value - WARRINER_MID) / (WARRINER_HIGH - WARRINER_MID)


MUSE_FORMAT = Format(
    name="muse",
    columns=(
        {
            "lastfm_url": "lastfm_url",
            "title": "track",
            "artist": "artist",
            "valence": "valence_tags",
            "arousal": "arousal_tags",
            "musicbrainz_id": "mbid",
            "spotify_id": "spotify_id",
            "genres": "genre",
        },
    ),
    required=("title", "artist", "valence", "arousal"),
    scale_va=_warriner_to_unit,
    va_range=(WARRINER_LOW, WARRINER_HIGH),
)
