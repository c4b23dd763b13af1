"""Playlist export: extended M3U and JSON files from a list of recommendations, with Spotify URIs.

Extended M3U (``.m3u``, ``.m3u8``; UTF-8 either way)::

    #EXTM3U
    #PLAYLIST:moodtune: sad → happy
    #EXTINF:285,Adele - Someone Like You
    https://open.spotify.com/track/4kflIGfjdZJW4ot2ioixTB

One ``#EXTINF:<seconds>,<artist> - <title>`` line per track (seconds −1 when the
duration is unknown), then its URL: the Spotify track page when the track has a
Spotify id, else a Spotify search for "title artist" — players that understand
Spotify links open it, and a person can follow it in a browser.

JSON (``.json``): ``{"name", "tracks": [...], "spotify_uris": [...]}``; each track
has ``position`` (from 1, playing order), ``id``, ``title``, ``artist``, ``album``,
``duration_s``, ``url``, ``spotify_uri`` (``spotify:track:<id>``, or null),
``links``, ``reason``, ``score`` and ``waypoint`` (``[valence, arousal]`` on a
journey, else null). ``spotify_uris`` lists the known URIs in order, ready for
Spotify's "add items to playlist" call.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from moodtune.errors import InputError

from .links import track_links
from .recommend import Recommendation
from .track import Track

__all__ = ["EXPORT_FORMATS", "export_format", "playlist_json", "playlist_m3u", "spotify_uri", "write_playlist"]

#: File suffix → format name.
EXPORT_FORMATS: Final = {".m3u": "m3u", ".m3u8": "m3u", ".json": "json"}


def spotify_uri(track: Track) -> str | None:
    """``spotify:track:<id>`` when the track has a well-formed Spotify id, else None."""
    # track_links decides whether an id is well formed; a track page link means it is.
    if track.spotify_id and track_links(track)["spotify"].endswith(f"/track/{track.spotify_id}"):
        return f"spotify:track:{track.spotify_id}"
    return None


def _one_line(text: str) -> str:
    # A line break inside a title would end the #EXTINF line early and corrupt the file.
    return " ".join(text.split())


def playlist_m3u(recommendations: Sequence[Recommendation], *, name: str = "moodtune") -> str:
    """The playlist as extended M3U text (see the module docstring), ending in a newline."""
    lines = ["#EXTM3U", f"#PLAYLIST:{_one_line(name)}"]
    for rec in recommendations:
        track = rec.track
        seconds = round(track.duration_s) if track.duration_s is not None else -1
        lines.append(f"#EXTINF:{seconds},{_one_line(track.artist)} - {_one_line(track.title)}")
        lines.append(rec.links["spotify"])
    return "\n".join(lines) + "\n"


def playlist_json(recommendations: Sequence[Recommendation], *, name: str = "moodtune") -> str:
    """The playlist as a JSON document (see the module docstring)."""
    tracks = []
    for position, rec in enumerate(recommendations, start=1):
        track, links = rec.track, rec.links
        tracks.append(
            {
                "position": position,
                "id": track.id,
                "title": track.title,
                "artist": track.artist,
                "album": track.album,
                "duration_s": track.duration_s,
                "url": links["spotify"],
                "spotify_uri": spotify_uri(track),
                "links": links,
                "reason": rec.reason,
                "score": round(rec.score, 4),
                "waypoint": rec.rounded_waypoint(),
            }
        )
    uris = [t["spotify_uri"] for t in tracks if t["spotify_uri"]]
    return json.dumps({"name": name, "tracks": tracks, "spotify_uris": uris}, ensure_ascii=False, indent=2) + "\n"


def export_format(path: str | Path) -> str:
    """``"m3u"`` or ``"json"`` from a file name's suffix; raises ``InputError`` for any other suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXPORT_FORMATS:
        raise InputError(f"cannot export to {str(path)!r}: name it .m3u, .m3u8 or .json")
    return EXPORT_FORMATS[suffix]


def write_playlist(recommendations: Sequence[Recommendation], path: str | Path, *, name: str = "moodtune") -> Path:
    """Write the playlist to ``path`` in the format its suffix names (UTF-8).

    Raises
    ------
    InputError : an unknown suffix, or the file cannot be written.
    """
    path = Path(path)
    text = (playlist_m3u if export_format(path) == "m3u" else playlist_json)(recommendations, name=name)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path
