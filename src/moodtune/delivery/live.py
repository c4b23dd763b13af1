"""``moodtune live``: read the mood from a webcam or a video file and follow it with playlists.

``run_live`` reads frames with OpenCV, analyses about ``fps`` of them per second
(of video time for a file, of wall-clock time for a camera), smooths the
readings with ``MoodSmoother`` and prints one timeline line per analysed frame;
when the smoothed mood settles on a new emotion it prints a fresh playlist.
Frames are analysed in memory and dropped; nothing is written anywhere.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
from rich.console import Console
from rich.text import Text

from moodtune.affect import AffectState
from moodtune.affect.smoothing import MoodSmoother
from moodtune.errors import ImageError, InputError
from moodtune.music import Catalog, Recommendation
from moodtune.perception.faces import DEFAULT_DETECTOR
from moodtune.pipeline import analyze_image, recommend

__all__ = ["LiveEvent", "open_source", "run_live"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LiveEvent:
    """One analysed frame.

    Attributes
    ----------
    t : seconds from the start: the frame's timestamp in a file, wall-clock time for a camera.
    frame : index of the frame in the source (0-based; counts frames read, analysed or not).
    faces : number of faces found.
    reading : this frame's affect, None without a face.
    mood : the smoothed dominant mood after this frame, None until a face was seen.
    smoothed : the smoothed affect, None until a face was seen.
    changed : True when this frame set or switched the mood.
    playlist : the new recommendations when ``changed``, else empty.
    """

    t: float
    frame: int
    faces: int
    reading: AffectState | None
    mood: str | None
    smoothed: AffectState | None
    changed: bool
    playlist: tuple[Recommendation, ...] = ()


def open_source(source: int | str | os.PathLike[str]) -> tuple[cv2.VideoCapture, bool]:
    """Open a camera index (``0``, or ``"0"``), a video file or a stream URL; returns (capture, is_file).

    Raises
    ------
    ImageError : the source cannot be opened.
    """
    if isinstance(source, str) and source.strip().isdigit():
        source = int(source)
    if isinstance(source, int):
        capture, is_file, name = cv2.VideoCapture(source), False, f"camera {source}"
    else:
        path = Path(source)
        is_file = path.exists()
        if is_file and not path.is_file():
            raise ImageError(f"{path} is not a video file")
        name = os.fspath(source)
        capture = cv2.VideoCapture(name)
    if not capture.isOpened():
        capture.release()
        raise ImageError(f"cannot open video source {name}: not a readable video file, stream or camera")
    return capture, is_file


def _print_event(console: Console, event: LiveEvent, strategy: str) -> None:
    # Text, not markup: titles and reasons are data ("[feat. X]" must print as written).
    line = Text(f"{int(event.t // 60):02d}:{event.t % 60:05.2f}  ")
    if event.reading is None:
        line.append("no face", "dim")
    else:
        line.append(f"{event.reading.emotion:<8} {event.reading.confidence:4.0%}")
    if event.mood is not None and event.smoothed is not None:
        line.append("   mood ").append(f"{event.mood:<8}", "bold")
        line.append(f" {event.smoothed.probability_of(event.mood):4.0%}")
    console.print(line)
    if event.changed and event.playlist:
        console.print(Text.assemble((f"♫ mood is now {event.mood}", "bold"), f" — playlist ({strategy}):"))
        for i, rec in enumerate(event.playlist, start=1):
            console.print(Text.assemble(f"   {i}. {rec.track.title} — {rec.track.artist}  ", (rec.reason, "dim")))


def run_live(
    source: int | str | os.PathLike[str],
    *,
    fps: float = 4.0,
    strategy: str = "match",
    k: int = 5,
    model: str | None = None,
    detector: str = DEFAULT_DETECTOR,
    max_seconds: float | None = None,
    smoother: MoodSmoother | None = None,
    console: Console | None = None,
    on_event: Callable[[LiveEvent], None] | None = None,
    catalog: Catalog | None = None,
) -> list[LiveEvent]:
    """Follow the mood in a video source until it ends, ``max_seconds`` pass, or Ctrl-C.

    Parameters
    ----------
    source : camera index (``0``), or a video file path or stream URL.
    fps : frames analysed per second; the others are skipped without decoding where possible.
    strategy, k : playlist strategy (``match``, ``uplift``, ``calm``) and length.
    model, detector : expression model and face detector names; model None takes
        ``MOODTUNE_EXPRESSION_MODEL``, else the shipped default.
    max_seconds : stop after this much video (file) or wall-clock (camera) time.
    smoother : how readings become a mood; default ``MoodSmoother()``.
    console : a ``rich.console.Console`` to print the timeline on; None prints nothing.
    on_event : called with every ``LiveEvent`` as it happens.
    catalog : the tracks to recommend from; None uses the starter catalog.

    Returns
    -------
    list of LiveEvent, one per analysed frame.

    Raises
    ------
    InputError : bad ``fps``/``strategy``/``k``; ``ImageError`` (a subclass) for an unreadable source.
    ModelError : the expression model is missing.
    """
    if not fps > 0:
        raise InputError(f"fps must be positive, got {fps}")
    # Validates strategy, k and the catalog up front.
    recommend(AffectState.from_emotion("neutral"), strategy=strategy, k=k, catalog=catalog)
    smoother = smoother or MoodSmoother()
    capture, is_file = open_source(source)
    events: list[LiveEvent] = []
    interval = 1.0 / fps
    next_due = 0.0
    start = time.monotonic()
    index = -1
    try:
        while True:
            if not capture.grab():
                break
            index += 1
            t = capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0 if is_file else time.monotonic() - start
            if max_seconds is not None and t > max_seconds:
                break
            if t + 1e-6 < next_due:
                continue  # skipped: grabbed but never decoded
            next_due = max(next_due + interval, t) if is_file else t + interval
            ok, bgr = capture.retrieve()
            if not ok:
                break
            analysis = analyze_image(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), model=model, detector=detector)
            smoothed = smoother.update(analysis.affect) if analysis.affect else None
            playlist: tuple[Recommendation, ...] = ()
            if smoothed and smoothed.changed:
                playlist = tuple(recommend(smoothed.affect, strategy=strategy, k=k, catalog=catalog))
            event = LiveEvent(
                t=round(t, 3),
                frame=index,
                faces=len(analysis.faces),
                reading=analysis.affect,
                mood=smoother.mood,
                smoothed=smoother.affect,
                changed=bool(smoothed and smoothed.changed),
                playlist=playlist,
            )
            events.append(event)
            if console is not None:
                _print_event(console, event, strategy)
            if on_event is not None:
                on_event(event)
    except KeyboardInterrupt:
        log.info("live: stopped by the user after %d analysed frames", len(events))
    finally:
        capture.release()
    return events
