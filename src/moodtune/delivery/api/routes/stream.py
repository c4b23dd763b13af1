"""WebSocket /api/v1/stream: live mood from camera frames.

Protocol
--------
Client → server
    * binary message: one encoded frame (JPEG; any format ``decode_image`` reads);
    * text message ``{"type": "config", "strategy": "calm", "k": 5}``: change the
      playlist; the server answers with a fresh playlist once a mood is known.
    Query parameters ``?strategy=…&k=…`` set the same at connect time.

Server → client, JSON text messages, one per binary frame received:
    * ``{"type": "frame", ...}`` (``StreamFrame``): faces, this frame's affect, the
      smoothed mood (``MoodSmoother``) and whether it just changed;
    * ``{"type": "dropped", ...}``: the frame came faster than ``MOODTUNE_STREAM_MAX_FPS``
      allows for one connection and was not analysed;
    * ``{"type": "error", ...}``: the frame could not be used (the stream goes on).
    In addition, ``{"type": "playlist", ...}`` (``StreamPlaylist``) follows a frame
    whose smoothed mood is set for the first time or switches, and answers a config message.

Frames are analysed in memory and dropped; nothing is stored. If the expression
model is unavailable the server sends one error and closes with code 1011.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from moodtune.affect.smoothing import MoodSmoother, SmoothedMood
from moodtune.errors import InputError, ModelError, MoodtuneError
from moodtune.music import STRATEGIES
from moodtune.pipeline import recommend as recommend_tracks

from ..admission import run_admitted
from ..deps import AppState, StateDep
from ..errors import UploadTooLarge, error_status, public_message
from ..schemas import (
    AffectOut,
    ErrorDetail,
    StreamConfig,
    StreamDropped,
    StreamError,
    StreamFrame,
    StreamPlaylist,
)
from ..services import analyze_bytes, faces_out, recommendations_out

router = APIRouter(tags=["stream"])
log = logging.getLogger(__name__)

#: A config message is a few dozen characters; anything far longer is not one.
MAX_CONFIG_CHARS = 1_024

#: A frame may arrive this much early and still count as within the rate (network jitter).
_JITTER = 0.9


class StreamSession:
    """The state of one connection: its smoother, playlist settings and frame clock."""

    def __init__(self, state: AppState, *, strategy: str, k: int | str) -> None:
        self.state = state
        self.smoother = MoodSmoother()
        self.strategy, self.k = _check_strategy(strategy), _check_k(k)
        self.seq = 0
        self._last_accepted = -math.inf

    def admit(self, now: float) -> bool:
        """Whether a frame arriving at ``now`` (seconds, monotonic) is within the rate cap."""
        if now - self._last_accepted < _JITTER / self.state.settings.stream_max_fps:
            return False
        self._last_accepted = now
        return True

    def process(self, data: bytes) -> list[dict[str, Any]]:
        """Analyse one frame; the messages to send back (a frame, maybe a playlist)."""
        start = time.perf_counter()
        analysis = analyze_bytes(data, self.state)
        smoothed = self.smoother.update(analysis.affect) if analysis.affect else None
        frame = StreamFrame(
            seq=self.seq,
            faces=faces_out(analysis),
            affect=AffectOut.of(analysis.affect) if analysis.affect else None,
            mood=AffectOut.of(self.smoother.affect) if self.smoother.affect else None,
            mood_label=self.smoother.mood,
            changed=bool(smoothed and smoothed.changed),
            elapsed_ms=round((time.perf_counter() - start) * 1000, 1),
        )
        messages = [frame.model_dump(mode="json")]
        if smoothed and smoothed.changed:
            messages.append(self.playlist(smoothed))
        return messages

    def playlist(self, smoothed: SmoothedMood | None = None) -> dict[str, Any]:
        affect = smoothed.affect if smoothed else self.smoother.affect
        if affect is None or self.smoother.mood is None:
            raise InputError("no mood yet: no face has been seen on this stream")
        recs = recommend_tracks(affect, strategy=self.strategy, k=self.k, catalog=self.state.catalog)
        return StreamPlaylist(
            mood=self.smoother.mood,
            previous=smoothed.previous if smoothed else None,
            strategy=self.strategy,
            affect=AffectOut.of(affect),
            tracks=recommendations_out(recs),
        ).model_dump(mode="json")

    def configure(self, text: str) -> list[dict[str, Any]]:
        if len(text) > MAX_CONFIG_CHARS:
            raise InputError(f"a text message holds at most {MAX_CONFIG_CHARS:,} characters, got {len(text):,}")
        try:
            # pydantic's own JSON parser: nesting past its depth limit is a ValidationError, not a RecursionError.
            config = StreamConfig.model_validate_json(text)
        except ValidationError as exc:
            raise InputError(f'text messages must be {{"type": "config", "strategy": …, "k": …}} ({exc})') from None
        if config.strategy is not None:
            self.strategy = _check_strategy(config.strategy)
        if config.k is not None:
            self.k = config.k
        return [self.playlist()] if self.smoother.mood else []


def _check_strategy(strategy: str) -> str:
    name = strategy.strip().lower()
    if name not in STRATEGIES:
        raise InputError(f"unknown strategy {strategy!r}; choose from {', '.join(STRATEGIES)}")
    return name


def _check_k(k: Any) -> int:
    try:
        value = int(k)
    except (TypeError, ValueError):
        raise InputError(f"k must be an integer from 1 to 50, got {k!r}") from None
    if not 1 <= value <= 50:
        raise InputError(f"k must be an integer from 1 to 50, got {k!r}")
    return value


def _error(exc: MoodtuneError, seq: int | None) -> dict[str, Any]:
    status, code = error_status(exc)
    if status >= 500:
        log.error("stream: %s: %s", type(exc).__name__, exc)
    message = public_message(exc)
    return StreamError(seq=seq, error=ErrorDetail(code=code, message=message)).model_dump(mode="json")


def same_origin(origin: str | None, host: str | None) -> bool:
    """Whether a WebSocket's ``Origin`` is the page this server served (or absent: not a browser).

    Browsers let any page open a WebSocket to any server and only say where the page came from;
    refusing other origins (``null`` included) keeps other sites from reading a listener's camera mood.
    """
    if origin is None:
        return True
    parsed = urlsplit(origin)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and parsed.netloc.lower() == (host or "").lower()


@router.websocket("/stream")
async def stream(websocket: WebSocket, state: StateDep) -> None:
    if not same_origin(websocket.headers.get("origin"), websocket.headers.get("host")):
        await websocket.close(code=1008)  # before accept: the handshake is answered 403
        return
    await websocket.accept()
    params = websocket.query_params
    try:
        session = StreamSession(
            state,
            strategy=params.get("strategy", "match"),
            k=params.get("k", state.settings.stream_playlist_size),
        )
    except InputError as exc:
        await websocket.send_json(_error(exc, None))
        await websocket.close(code=1008)
        return
    limit = state.settings.max_upload_bytes
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            data, text = message.get("bytes"), message.get("text")
            try:
                if data is not None:
                    session.seq += 1
                    if not session.admit(time.monotonic()):
                        dropped = StreamDropped(
                            seq=session.seq,
                            reason="over the frame-rate limit; this frame was not analysed",
                            max_fps=state.settings.stream_max_fps,
                        )
                        await websocket.send_json(dropped.model_dump(mode="json"))
                        continue
                    if len(data) > limit:
                        raise UploadTooLarge(f"the frame is {len(data):,} bytes, over the limit of {limit:,} bytes")
                    replies = await run_admitted(state.gate, None, session.process, data)
                elif text is not None:
                    replies = session.configure(text)
                else:
                    continue
            except ModelError as exc:
                await websocket.send_json(_error(exc, session.seq))
                await websocket.close(code=1011)
                return
            except MoodtuneError as exc:
                await websocket.send_json(_error(exc, session.seq if data is not None else None))
                continue
            for reply in replies:
                await websocket.send_json(reply)
    except WebSocketDisconnect:
        pass
