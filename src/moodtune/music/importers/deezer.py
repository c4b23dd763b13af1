"""``deezer``: the Deezer mood detection data set (``train.csv``, ``validation.csv``, ``test.csv``).

18,644 tracks with a Deezer id, Million Song Dataset ids and continuous valence/arousal labels,
no audio features, genre or popularity. The labels are standardised (mean near 0, standard
deviation near 1, observed range −2.33 … 2.76), so they are mapped to [-1, 1] by ``x / 3``:

* linear and zero-preserving, so the order of tracks, the sign of each axis (the quadrant) and
  the valence–arousal correlation are kept;
* the same constant for both axes, so distances on the plane keep their proportions;
* a fixed constant, not fitted per file, so the three splits land on the same scale;
* 3 standard deviations ↦ ±1: nothing in the published files reaches it; a value beyond ±3 (not in
  these files) is outside the format's range and its row is reported.

Zero is the data set's mean, not a calibrated neutral point, and most tracks land within ±0.7: the
labels are not stretched to fill the plane. Joint credits (``A / B``) become ``A, B``.
"""

from __future__ import annotations

from ._format import Format

__all__ = ["DEEZER_FORMAT", "DEEZER_SCALE"]

#: Standard deviations of the Deezer labels that map to ±1.
DEEZER_SCALE = 3.0


def _deezer_to_unit(value: float) -> float:
    return value / DEEZER_SCALE


DEEZER_FORMAT = Format(
    name="deezer",
    columns=(
        {
            "deezer_id": "dzr_sng_id",
            "msd_song_id": "MSD_sng_id",
            "msd_track_id": "MSD_track_id",
            "valence": "valence",
            "arousal": "arousal",
            "artist": "artist_name",
            "title": "track_name",
        },
    ),
    required=("deezer_id", "title", "artist", "valence", "arousal"),
    artist_separator=" / ",
    scale_va=_deezer_to_unit,
    va_range=(-DEEZER_SCALE, DEEZER_SCALE),
)
