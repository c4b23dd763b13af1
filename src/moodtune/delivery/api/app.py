"""``create_app(settings)``: the FastAPI application serving the REST API, the stream and the web page.

The expression model, the face detector and the catalog (with its ranking tables)
are loaded once in the lifespan (at server start-up), never at import. A missing
expression model does not stop the server: photo and stream analysis answer 503 and
``/api/v1/health`` says why, while mood-based recommendation keeps working.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response

import moodtune
from moodtune.config import get_settings
from moodtune.errors import ModelError
from moodtune.music import Catalog
from moodtune.music.feedback import open_feedback_db
from moodtune.music.ranking import catalog_index
from moodtune.music.store import open_catalog
from moodtune.perception.expression import load_expression_model
from moodtune.perception.faces import get_detector
from moodtune.settings import Settings

from .deps import AppState
from .errors import install_error_handlers
from .routes import api_router
from .uploads import UPLOAD_ENVELOPE, BodySizeLimit

__all__ = ["create_app", "static_dir"]

log = logging.getLogger(__name__)

# The page loads nothing from elsewhere; only the Spotify player may be framed, on request.
_CSP = (
    "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
    "connect-src 'self'; frame-src https://open.spotify.com; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# Swagger UI starts itself with an inline script, so its page alone allows inline code (still nothing remote).
_DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'"
)


def _docs_assets_dir() -> Path:
    """Swagger UI 5 (reads OpenAPI 3.1, which FastAPI writes), as packaged by ``fastapi-offline``."""
    return Path(str(resources.files("fastapi_offline") / "static"))


def static_dir() -> Path:
    """The folder holding the web page (index.html, app.js, style.css)."""
    return Path(str(resources.files("moodtune.delivery") / "web" / "static"))


def _load(settings: Settings, catalog: Catalog | None) -> AppState:
    catalog = catalog if catalog is not None else open_catalog(settings.catalog)
    db = open_feedback_db(settings.database_url)
    model_error = None
    try:
        load_expression_model(settings.expression_model)
        get_detector(settings.detector)
    except ModelError as exc:
        model_error = str(exc)
        log.warning("photo analysis is unavailable: %s", exc)
    model_name = settings.expression_model
    log.info("moodtune app ready: %d tracks, model %s", len(catalog), model_name)
    return AppState(settings=settings, catalog=catalog, db=db, model_name=model_name, model_error=model_error)


def create_app(settings: Settings | None = None, *, catalog: Catalog | None = None) -> FastAPI:
    """Build the app.

    Parameters
    ----------
    settings : default ``moodtune.config.get_settings()`` (the ``MOODTUNE_*`` variables).
    catalog : the tracks to recommend from; default the database ``settings.catalog`` names (see
        ``moodtune.music.store.open_catalog``), opened once at start-up.
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = _load(settings, catalog)
        # The ranking tables (2 s at 1 M tracks) are built now, not by the first request.
        catalog_index(state.catalog)
        app.state.moodtune = state
        try:
            yield
        finally:
            state.db.dispose()

    app = FastAPI(
        title="moodtune",
        summary="Music recommendations from how you feel: a face photo, a webcam stream, or a picked mood.",
        version=moodtune.__version__,
        lifespan=lifespan,
        # FastAPI's own docs pages load Swagger UI from a CDN; /docs below serves a packaged copy instead.
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        # A slash redirect would build its Location from the Host header; a wrong path is a plain 404.
        redirect_slashes=False,
    )
    install_error_handlers(app)
    # Caps every request body (JSON included); uploads are also checked part by part in uploads.py.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes + UPLOAD_ENVELOPE)
    # Added last, so it runs first: a request for another host name is refused before any work.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts), www_redirect=False)
    app.include_router(api_router)

    page = static_dir()
    app.mount("/static", StaticFiles(directory=page), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(page / "index.html", media_type="text/html")

    app.mount("/docs-assets", StaticFiles(directory=_docs_assets_dir()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        html = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/api/openapi.json",
            title="moodtune API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon.png",
        )
        html.headers["Content-Security-Policy"] = _DOCS_CSP
        return html

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Content-Security-Policy", _CSP)
        # Camera access for this page only; nothing else may ask for it.
        response.headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
        return response

    return app
