"""Listener commands: recommend for a photo, a text or a picked mood; store feedback; explain a photo."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.style import Style
from rich.table import Table
from rich.text import Text

from moodtune.errors import InputError, MoodtuneError

from .app import (
    CatalogOption,
    NoFaceError,
    Strategy,
    UnreadableTextError,
    app,
    err,
    fail,
    out,
)

if TYPE_CHECKING:
    import numpy as np

    from moodtune.pipeline import ImageAnalysis


@app.command()
def recommend(
    image: Annotated[Path | None, typer.Option("--image", "-i", help="Photo to read the mood from.")] = None,
    mood: Annotated[
        str | None,
        typer.Option("--mood", "-m", help="Say the mood instead: angry, disgust, fear, happy, sad, surprise, neutral."),
    ] = None,
    strategy: Annotated[
        Strategy,
        typer.Option(
            "--strategy", "-s", help="match the mood, uplift it, calm it, or journey: a playlist from it to --target."
        ),
    ] = Strategy.match,
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            help="Where a journey ends: an emotion or calm, content, energetic "
            "(default: happy from a negative mood, else calm).",
        ),
    ] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="Number of tracks (a journey needs 2 or more).")] = 5,
    user: Annotated[
        str | None,
        typer.Option("--user", help="Personalise with this listener's stored likes, skips and ratings."),
    ] = None,
    export: Annotated[
        Path | None,
        typer.Option("--export", help="Also write the playlist to this .m3u, .m3u8 or .json file."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    annotate: Annotated[
        Path | None,
        typer.Option("--annotate", help="Write the photo with a box and label per face to this PNG/JPEG."),
    ] = None,
    model: Annotated[str | None, typer.Option(help="Expression model name or .onnx path.")] = None,
    text: Annotated[
        str | None, typer.Option("--text", "-t", help="Read the mood from this text (English), alone or with --image.")
    ] = None,
    catalog: CatalogOption = None,
) -> None:
    """Recommend songs for the mood in a photo, in a text, or for a mood you name.

    Give exactly one of --image or --mood, or --text alone or with --image (face and text are
    fused, weighted by their confidence). --mood with --text always wins: a picked mood overrides.
    A journey lists its tracks in playing order, each with the waypoint it aims at.
    """
    from moodtune.affect.fusion import fuse
    from moodtune.music.export import export_format, spotify_uri, write_playlist
    from moodtune.music.store import open_catalog
    from moodtune.music.strategies import target_mood
    from moodtune.perception.text import read_text_mood
    from moodtune.pipeline import recommend as recommend_tracks

    if text is None and (image is None) == (mood is None):
        fail(InputError("give exactly one of --image or --mood, or --text (alone or with --image)"))
    if annotate is not None and image is None:
        fail(InputError("--annotate needs --image"))
    try:
        if export is not None:
            export_format(export)  # a bad file name is refused before any work
        faces: list[dict] = []
        face_affect = None
        text_mood = read_text_mood(text) if text is not None else None
        if image is not None:
            from moodtune.perception.images import decode_image
            from moodtune.pipeline import analyze_image

            rgb = decode_image(image)
            analysis = analyze_image(rgb, model=model)
            if analysis.affect is None and mood is None and (text_mood is None or text_mood.affect is None):
                raise NoFaceError(f"no face found in {image}; try a clearer, frontal photo, or name a --mood")
            faces = [f.as_dict() for f in analysis.faces]
            face_affect = analysis.affect
            if annotate is not None:
                _write_annotated(rgb, analysis, annotate)
        if text_mood is not None and text_mood.affect is None:
            if face_affect is None and mood is None:
                raise UnreadableTextError(f"no mood could be read from the text: {text_mood.note}")
            err.print(f"note: the text was not used: {text_mood.note}")
        elif text_mood is not None and text_mood.note:
            err.print(f"note: {text_mood.note}")
        fused = fuse(faces=face_affect, text=text_mood.affect if text_mood else None, picked=mood)
        aim = target_mood(fused.affect, strategy.value, target)
        tracks = recommend_tracks(
            fused.affect,
            strategy=strategy.value,
            target=target,
            k=k,
            user_id=user,
            catalog=open_catalog(catalog),
        )
        if export is not None:
            write_playlist(tracks, export, name=f"moodtune: {aim.description}")
            err.print(f"wrote {len(tracks)} tracks to {export}")
    except MoodtuneError as exc:
        fail(exc)

    payload = {
        "faces": faces,
        "affect": fused.as_dict(),
        "strategy": strategy.value,
        "target": aim.destination,
        "user": user,
        "tracks": [
            {
                "position": position,
                "id": r.track.id,
                "title": r.track.title,
                "artist": r.track.artist,
                "year": r.track.year,
                "genres": list(r.track.genres),
                "valence": r.track.valence,
                "arousal": r.track.arousal,
                "waypoint": r.rounded_waypoint(),
                "score": round(r.score, 4),
                "factors": dict(r.factors),
                "reason": r.reason,
                "links": r.links,
                "spotify_uri": spotify_uri(r.track),
            }
            for position, r in enumerate(tracks, start=1)
        ],
    }
    if text_mood is not None:
        payload["text"] = text_mood.as_dict()
    if as_json:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    _print_recommendation(payload)


@app.command()
def feedback(
    track: Annotated[str, typer.Argument(help="Track id, as `recommend --json` and `catalog search` show it.")],
    user: Annotated[str, typer.Option("--user", help="Listener name (letters, digits, _ . : -).")],
    like: Annotated[bool, typer.Option("--like", help="You liked it.")] = False,
    skip: Annotated[bool, typer.Option("--skip", help="You skipped it.")] = False,
    rate: Annotated[int | None, typer.Option("--rate", min=1, max=5, help="Your rating, 1 (poor) to 5.")] = None,
    mood: Annotated[
        str | None, typer.Option("--mood", "-m", help="The mood you were in; personalization learns per mood.")
    ] = None,
    catalog: CatalogOption = None,
) -> None:
    """Store a like, skip or rating; `recommend --user` then ranks with it.

    Give exactly one of --like, --skip or --rate. Reactions are learnt per mood, so without
    --mood one is stored but does not personalise.
    """
    from moodtune.music.feedback import record_feedback
    from moodtune.music.store import open_catalog

    given = [name for name, on in (("like", like), ("skip", skip), ("rate", rate is not None)) if on]
    if len(given) != 1:
        fail(InputError("give exactly one of --like, --skip or --rate N"))
    try:
        if track not in set(open_catalog(catalog).ids.tolist()):
            raise InputError(f"unknown track {track!r}; `moodtune catalog search` finds ids")
        emotion = mood.strip().lower() if mood is not None else None
        event = record_feedback(user, track, given[0], emotion, rating=rate)
    except MoodtuneError as exc:
        fail(exc)
    what = {"like": "liked", "skip": "skipped", "rate": f"rated {event.rating}"}[event.action]
    out.print(f"{event.user_id} {what} {event.track_id}" + (f" when {event.emotion}" if event.emotion else ""))


def _write_annotated(rgb: np.ndarray, analysis: ImageAnalysis, path: Path) -> None:
    import cv2

    from moodtune.delivery.annotate import annotate_image

    bgr = cv2.cvtColor(annotate_image(rgb, analysis), cv2.COLOR_RGB2BGR)
    if not cv2.imwrite(str(path), bgr):
        raise InputError(f"cannot write {path}: use a .png or .jpg name in an existing folder")


def _print_recommendation(payload: dict) -> None:
    affect = payload["affect"]
    for i, face in enumerate(payload["faces"], start=1):
        out.print(
            Text.assemble(f"face {i} at {face['box']}: ", (face["emotion"], "bold"), f" ({face['confidence']:.0%})")
        )
    out.print(
        Text.assemble(
            "mood: ",
            (affect["emotion"], "bold"),
            f" ({affect['confidence']:.0%}) · valence {affect['valence']:+.2f} · arousal {affect['arousal']:+.2f} · "
            f"strategy {payload['strategy']}" + (f" to {payload['target']}" if payload["target"] else ""),
        )
    )
    if len(affect["sources"]) > 1:
        out.print("sources: " + " · ".join(f"{s['source']} {s['weight']:.0%}" for s in affect["sources"]))
    journey = payload["target"] is not None
    table = Table(show_lines=False)
    for col in ("#", "track", "genres", *(["waypoint"] if journey else []), "why"):
        table.add_column(col)
    for t in payload["tracks"]:
        waypoint = [f"{t['waypoint'][0]:+.2f}, {t['waypoint'][1]:+.2f}"] if journey else []
        table.add_row(
            str(t["position"]),
            f"{t['title']} — {t['artist']}" + (f" ({t['year']})" if t["year"] else ""),
            ", ".join(t["genres"][:3]),
            *waypoint,
            t["reason"],
        )
    out.print(table)
    _print_links(payload["tracks"])


def _print_links(tracks: list[dict]) -> None:
    """Every link in full on a line of its own, clickable where the terminal allows: a table column
    would cut them short at the terminal's width."""
    out.print("listen:")
    for t in tracks:
        for i, (site, url) in enumerate(t["links"].items()):
            number = f"{t['position']:>3}." if i == 0 else "    "
            out.print(Text.assemble(f"{number} {site:<8} ", (url, Style(link=url))))


@app.command()
def explain(
    image: Annotated[Path, typer.Option("--image", "-i", help="Photo with one or more faces.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the photo with heat maps (.png/.jpg).")
    ],
    model: Annotated[str | None, typer.Option(help="Expression model name or .onnx path.")] = None,
) -> None:
    """Show where the model saw each face's emotion: a Grad-CAM heat map over every face."""
    import cv2

    from moodtune.delivery.annotate import overlay_heatmaps
    from moodtune.perception.images import decode_image
    from moodtune.pipeline import explain_image

    try:
        rgb = decode_image(image)
        explanation = explain_image(rgb, model=model)
        if not explanation.heatmaps:
            raise NoFaceError(f"no face found in {image}; try a clearer, frontal photo")
        drawn = cv2.cvtColor(overlay_heatmaps(rgb, explanation), cv2.COLOR_RGB2BGR)
        if not cv2.imwrite(str(output), drawn):
            raise InputError(f"cannot write {output}: use a .png or .jpg name in an existing folder")
    except MoodtuneError as exc:
        fail(exc)
    for reading in explanation.analysis.faces:
        out.print(f"face at {list(reading.face.box)}: {reading.affect.emotion} ({reading.affect.confidence:.0%})")
    out.print(f"wrote {output}")
