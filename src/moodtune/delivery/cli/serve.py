"""Long-running commands: the web app and REST API, and the live camera loop."""

from __future__ import annotations

from typing import Annotated

import typer

from moodtune.errors import ImageError, MoodtuneError

from .app import CatalogOption, Strategy, app, fail, out


@app.command()
def serve(
    host: Annotated[
        str,
        typer.Option(help="Interface to listen on; 0.0.0.0 lets other devices in, under MOODTUNE_ALLOWED_HOSTS."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    catalog: CatalogOption = None,
) -> None:
    """Run the web app and REST API; open http://HOST:PORT/ in a browser."""
    from moodtune.delivery.api import serve as serve_app
    from moodtune.music.store import open_catalog

    try:  # a core install lacks the server extra: say so in one line rather than a traceback
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        fail(MoodtuneError("the web app needs the server extra: pip install 'moodtune[server]'"))
    try:
        serve_app(host, port, catalog=open_catalog(catalog))
    except MoodtuneError as exc:
        fail(exc)


@app.command()
def live(
    source: Annotated[str, typer.Option("--source", help="Camera index (0, 1, …) or a video file.")] = "0",
    fps: Annotated[float, typer.Option(min=0.1, max=30, help="Frames analysed per second.")] = 4.0,
    strategy: Annotated[Strategy, typer.Option("--strategy", "-s")] = Strategy.match,
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="Tracks per playlist.")] = 5,
    seconds: Annotated[float | None, typer.Option(help="Stop after this many seconds.")] = None,
    model: Annotated[str | None, typer.Option(help="Expression model name or .onnx path.")] = None,
    catalog: CatalogOption = None,
) -> None:
    """Follow your mood on a webcam or in a video, with a new playlist whenever it changes."""
    from moodtune.delivery.live import run_live
    from moodtune.music.store import open_catalog

    try:
        events = run_live(
            source,
            fps=fps,
            strategy=strategy.value,
            k=k,
            model=model,
            max_seconds=seconds,
            console=out,
            catalog=open_catalog(catalog),
        )
    except MoodtuneError as exc:
        fail(exc)
    if not events:
        fail(ImageError(f"no frames could be read from {source}"))
