"""``run_live`` on video files the tests write: happy frames, then sad frames."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from rich.console import Console

import moodtune.delivery.live as live
from moodtune.delivery.live import run_live
from moodtune.errors import InputError


def write_video(path, segments, fps: int = 8) -> None:
    """``segments``: [(list of RGB frames to cycle through, seconds), ...] → an MJPG .avi."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (640, 480))
    assert writer.isOpened()
    for frames, seconds in segments:
        for i in range(int(seconds * fps)):
            writer.write(cv2.cvtColor(frames[i % len(frames)], cv2.COLOR_RGB2BGR))
    writer.release()


def flat(level: int) -> np.ndarray:
    return np.full((480, 640, 3), level, np.uint8)


def check_happy_then_sad(events, output: str, seconds: float, fps: float) -> None:
    assert abs(len(events) - seconds * fps) <= 1
    steps = np.diff([e.t for e in events])
    assert np.allclose(steps, 1 / fps, atol=0.02), steps
    changes = [e for e in events if e.changed]
    assert [c.mood for c in changes] == ["happy", "sad"]
    assert all(len(c.playlist) == 3 for c in changes)
    switch = changes[1]
    assert switch.t > seconds / 2  # after the cut, not before
    assert switch.t - seconds / 2 < 2.5  # and within a couple of seconds of it
    assert all(e.mood == "happy" for e in events if e.t < seconds / 2)
    assert "mood is now happy" in output and "mood is now sad" in output
    assert "00:00.00" in output and "00:00.25" in output


def test_follows_the_mood_of_a_video_with_a_stand_in_model(tmp_path, monkeypatch, photos):
    monkeypatch.setattr(live, "analyze_image", photos.fake_analyze_image)
    video = tmp_path / "moods.avi"
    write_video(video, [([flat(photos.level("happy"))], 3), ([flat(photos.level("sad"))], 3)])
    console = Console(file=io.StringIO(), width=160)
    events = run_live(str(video), fps=4, strategy="uplift", k=3, console=console)
    check_happy_then_sad(events, console.file.getvalue(), seconds=6, fps=4)


def test_follows_real_faces_with_the_real_model(tmp_path, fer_faces):
    video = tmp_path / "faces.avi"
    write_video(video, [(fer_faces["happy"][:2], 4), (fer_faces["sad"][:2], 4)])
    console = Console(file=io.StringIO(), width=160)
    events = run_live(video, fps=4, k=3, console=console)
    assert all(e.faces == 1 for e in events)
    check_happy_then_sad(events, console.file.getvalue(), seconds=8, fps=4)


def test_max_seconds_and_on_event(tmp_path, monkeypatch, photos):
    monkeypatch.setattr(live, "analyze_image", photos.fake_analyze_image)
    video = tmp_path / "short.avi"
    write_video(video, [([flat(photos.level("neutral"))], 4)])
    seen = []
    events = run_live(str(video), fps=2, max_seconds=1.9, on_event=seen.append)
    assert [e.t for e in events] == pytest.approx([0, 0.5, 1.0, 1.5], abs=0.02)
    assert seen == events and events[0].mood == "neutral"


def test_bad_arguments(tmp_path):
    with pytest.raises(InputError, match="cannot open"):
        run_live(str(tmp_path / "missing.avi"))
    with pytest.raises(InputError, match="not a video file"):
        run_live(tmp_path)
    with pytest.raises(InputError, match="fps"):
        run_live("whatever.avi", fps=0)
    with pytest.raises(InputError, match="strategy"):
        run_live("whatever.avi", strategy="sideways")
