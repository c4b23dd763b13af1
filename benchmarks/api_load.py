"""Load on the web API: requests/s and latency of analyze and recommend, frames/s on the stream.

Drives a server on 127.0.0.1 only (never anything else), with a bounded number
of requests and a time limit per phase:

* ``analyze``: concurrent clients POST a 640×480 JPEG with one face
  (a FER2013 PrivateTest face upscaled 4× on gray, ``--data``);
* ``recommend``: concurrent clients POST ``{"mood", "strategy", "k": 5}``;
* ``stream``: ``--stream-clients`` WebSocket connections each send the same photo
  as frames, the next one as soon as the previous answer came (or paced at
  ``--stream-fps``), and count analysed frames per second per connection.

Without ``--url`` the script starts its own server (``moodtune.delivery.api.serve``)
on a free loopback port, with the stream's per-connection frame cap lifted so
the stream phase measures capacity (``--server-max-fps``), and stops it afterwards:

    python benchmarks/api_load.py --data ../shared/data/fer2013/fer2013.csv.gz
    python benchmarks/api_load.py --stream-fps 4 --server-max-fps 8   # the web page's pace and cap
    python benchmarks/api_load.py --url http://127.0.0.1:8000 --clients 8 --requests 400
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import cv2
import httpx
import numpy as np

EMOTIONS = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
STRATEGIES = ("match", "uplift", "calm")


def face_photo(data: Path) -> bytes:
    """A 640×480 JPEG with one FER2013 face, 192 px, in the middle."""
    from moodtune.training.data.fer2013 import load_fer2013

    face = load_fer2013(data, "PrivateTest").images[0]
    frame = np.full((480, 640), 128, np.uint8)
    frame[144:336, 224:416] = cv2.resize(face, (192, 192), interpolation=cv2.INTER_CUBIC)
    return cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes()


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def run_phase(base_url: str, name: str, clients: int, total: int, seconds: float, call) -> dict:  # type: ignore[no-untyped-def]
    """``clients`` threads call ``call(http_client)`` until ``total`` calls or ``seconds`` pass."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    remaining = [total]
    deadline = time.perf_counter() + seconds

    def worker(base_url: str) -> None:
        with httpx.Client(base_url=base_url, timeout=30) as http:
            while time.perf_counter() < deadline:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                t0 = time.perf_counter()
                try:
                    response = call(http)
                    ok = response.status_code == 200
                    problem = f"{response.status_code}" if not ok else ""
                except httpx.HTTPError as exc:
                    ok, problem = False, type(exc).__name__
                elapsed = time.perf_counter() - t0
                with lock:
                    (latencies if ok else errors).append(elapsed if ok else problem)  # type: ignore[arg-type]

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(base_url,)) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    ms = [x * 1000 for x in latencies]
    result = {
        "phase": name,
        "clients": clients,
        "ok": len(latencies),
        "errors": len(errors),
        "req_per_s": len(latencies) / wall,
        "p50_ms": percentile(ms, 50),
        "p99_ms": percentile(ms, 99),
    }
    print(
        f"{name:<10} {clients:>2} clients  {result['ok']:>5} ok  {result['errors']:>3} errors  "
        f"{result['req_per_s']:7.1f} req/s  p50 {result['p50_ms']:7.1f} ms  p99 {result['p99_ms']:7.1f} ms"
    )
    if errors:
        print(f"           errors seen: {sorted(set(errors))}")
    return result


def stream_phase(base_url: str, clients: int, seconds: float, frame: bytes, pace_fps: float) -> None:
    from websockets.sync.client import connect

    ws_url = base_url.replace("http://", "ws://") + "/api/v1/stream"
    per_client: list[tuple[int, int, float, list[float]]] = []
    lock = threading.Lock()

    def worker() -> None:
        analysed = dropped = 0
        latencies: list[float] = []
        with connect(ws_url, max_size=None) as ws:
            start = time.perf_counter()
            end = start + seconds
            next_send = start
            while time.perf_counter() < end:
                if pace_fps > 0:
                    delay = next_send - time.perf_counter()
                    if delay > 0:
                        time.sleep(delay)
                    next_send += 1 / pace_fps
                t0 = time.perf_counter()
                ws.send(frame)
                while True:  # the answer to this frame; a playlist may follow a frame
                    reply = ws.recv()
                    if '"type":"frame"' in reply or '"type": "frame"' in reply:
                        analysed += 1
                        latencies.append((time.perf_counter() - t0) * 1000)
                        break
                    if '"type":"dropped"' in reply or '"type":"error"' in reply:
                        dropped += 1
                        break
            wall = time.perf_counter() - start
        with lock:
            per_client.append((analysed, dropped, wall, latencies))

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rates = [a / w for a, _, w, _ in per_client]
    all_ms = [x for *_, lat in per_client for x in lat]
    paced = f"paced at {pace_fps:g} fps" if pace_fps > 0 else "unpaced"
    print(
        f"stream     {clients:>2} connections ({paced}): analysed frames/s per connection "
        f"mean {statistics.mean(rates):.1f} (min {min(rates):.1f}, max {max(rates):.1f}), "
        f"total {sum(rates):.1f}/s; dropped {sum(d for _, d, _, _ in per_client)}; "
        f"answer p50 {percentile(all_ms, 50):.1f} ms p99 {percentile(all_ms, 99):.1f} ms"
    )


def start_server(max_fps: float) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, MOODTUNE_STREAM_MAX_FPS=str(max_fps))
    env.setdefault("MOODTUNE_DATABASE_URL", "sqlite://")  # benchmark feedback is not kept
    code = f"from moodtune.delivery.api import serve; serve('127.0.0.1', {port}, log_level='warning')"
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/api/v1/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit("the server did not start")
        time.sleep(0.1)
    proc.terminate()
    raise SystemExit("the server did not answer within 30 s")


def main() -> None:
    repo = Path(__file__).resolve().parents[1]
    shared = Path(os.environ.get("MOODTUNE_SHARED_DATA") or repo.parent / "shared" / "data")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running server on 127.0.0.1 / localhost; default: start one")
    parser.add_argument("--data", type=Path, default=shared / "fer2013" / "fer2013.csv.gz")
    parser.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients")
    parser.add_argument("--requests", type=int, default=200, help="requests per HTTP phase (upper bound)")
    parser.add_argument("--seconds", type=float, default=30, help="time limit per phase")
    parser.add_argument("--stream-clients", type=int, default=4)
    parser.add_argument("--stream-seconds", type=float, default=10)
    parser.add_argument("--stream-fps", type=float, default=0, help="pace each connection (0: as fast as answered)")
    parser.add_argument(
        "--server-max-fps", type=float, default=1000, help="the started server's per-connection frame cap"
    )
    args = parser.parse_args()

    proc = None
    if args.url:
        host = urlparse(args.url).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit(f"refusing to load {host}: this benchmark drives loopback servers only")
        base_url = args.url.rstrip("/")
    else:
        proc, base_url = start_server(max_fps=args.server_max_fps)
    try:
        health = httpx.get(base_url + "/api/v1/health", timeout=10).json()
        if not health["model"]["loaded"]:
            raise SystemExit(f"the server has no expression model: {health['model']['error']}")
        photo = face_photo(args.data)
        check = httpx.post(base_url + "/api/v1/analyze", files={"file": ("f.jpg", photo, "image/jpeg")}).json()
        print(
            f"moodtune API load on {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}; photo 640×480 JPEG {len(photo) / 1024:.0f} KB, "
            f"{len(check['faces'])} face(s) found; catalog {health['catalog_size']} tracks"
        )
        run_phase(
            base_url,
            "analyze",
            args.clients,
            args.requests,
            args.seconds,
            lambda http: http.post("/api/v1/analyze", files={"file": ("f.jpg", photo, "image/jpeg")}),
        )
        rng = np.random.default_rng(0)
        run_phase(
            base_url,
            "recommend",
            args.clients,
            args.requests,
            args.seconds,
            lambda http: http.post(
                "/api/v1/recommend",
                json={"mood": str(rng.choice(EMOTIONS)), "strategy": str(rng.choice(STRATEGIES)), "k": 5},
            ),
        )
        stream_phase(base_url, args.stream_clients, args.stream_seconds, photo, args.stream_fps)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
