"""Where to listen to a track: Spotify and YouTube URLs built from its metadata, no network needed."""

from __future__ import annotations

import logging
import re
from urllib.parse import quote, urlencode

from .track import Track

__all__ = ["track_links"]

log = logging.getLogger(__name__)

# Spotify ids are 22 base-62 characters; anything else would give a dead link.
_SPOTIFY_ID = re.compile(r"[0-9A-Za-z]{22}")


def track_links(track: Track) -> dict[str, str]:
    """Listening links for ``track``.

    Returns
    -------
    dict with
        ``"spotify"``: ``https://open.spotify.com/track/<id>`` when the track has a valid
        ``spotify_id``, else ``https://open.spotify.com/search/<"title artist", percent-encoded>``;
        ``"youtube"``: ``https://www.youtube.com/results?search_query=<"title artist", form-encoded>``.
    """
    query = f"{track.title} {track.artist}"
    if track.spotify_id and _SPOTIFY_ID.fullmatch(track.spotify_id):
        spotify = f"https://open.spotify.com/track/{track.spotify_id}"
    else:
        if track.spotify_id:
            log.debug("track %s: ignoring malformed spotify_id %r", track.id, track.spotify_id)
        # The query is a path segment here, so "/" and "?" must be escaped too (safe="").
        spotify = f"https://open.spotify.com/search/{quote(query, safe='')}"
    youtube = "https://www.youtube.com/results?" + urlencode({"search_query": query})
    return {"spotify": spotify, "youtube": youtube}
