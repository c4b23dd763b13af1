"""The one place where errors become HTTP responses.

Every error body has the same shape, ``{"error": {"code": "...", "message": "..."}}``,
and never carries a traceback. The mapping from ``moodtune.errors``:

=====================================  ======  ======================
exception                              status  code
=====================================  ======  ======================
``UploadTooLarge`` (bytes over limit)  413     ``too_large``
``UnsupportedType`` (content type)     415     ``unsupported_type``
``ImageError``                         400     ``bad_image``
``NoFaceError``                        422     ``no_face``
``InputError`` (and request checks)    422     ``invalid_input``
``ModelError``                         503     ``model_unavailable``
``ServerBusy`` (no analysis slot)      503     ``busy``, with ``Retry-After: 1``
``ClientGone`` (client disconnected)   499     ``client_gone`` (never seen: nobody is listening)
``DataError`` / ``CatalogError``       500     ``data_error``
any other ``MoodtuneError``            500     ``internal``
unknown route / method                 404/405 ``not_found`` / …
anything unexpected                    500     ``internal``
=====================================  ======  ======================
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from moodtune.errors import DataError, ImageError, InputError, ModelError, MoodtuneError

from .admission import ClientGone, ServerBusy

__all__ = [
    "NoFaceError",
    "UnsupportedType",
    "UploadTooLarge",
    "error_body",
    "error_status",
    "install_error_handlers",
    "public_message",
]

log = logging.getLogger(__name__)

#: What a 503 "busy" asks the client to wait: about as long as the line takes to drain.
RETRY_AFTER_SECONDS = 1


class UploadTooLarge(ImageError):
    """The uploaded file (or stream frame) has more bytes than the configured limit."""


class UnsupportedType(ImageError):
    """The upload is not declared as one of the accepted image types."""


class NoFaceError(InputError):
    """A mood was asked of an analysis that found no face."""


_STATUS: tuple[tuple[type[MoodtuneError], int, str], ...] = (
    # Most specific first.
    (UploadTooLarge, 413, "too_large"),
    (UnsupportedType, 415, "unsupported_type"),
    (ImageError, 400, "bad_image"),
    (NoFaceError, 422, "no_face"),
    (InputError, 422, "invalid_input"),
    (ModelError, 503, "model_unavailable"),
    (ServerBusy, 503, "busy"),
    (ClientGone, 499, "client_gone"),
    (DataError, 500, "data_error"),
)

_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_type",
}


def error_status(exc: MoodtuneError) -> tuple[int, str]:
    """(HTTP status, error code) for a moodtune error; also used for WebSocket error messages."""
    for kind, status, code in _STATUS:
        if isinstance(exc, kind):
            return status, code
    return 500, "internal"


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def public_message(exc: MoodtuneError) -> str:
    """What a client is told: the message, except for the server's own problems (logged in full instead)."""
    if error_status(exc)[0] == 500:
        return "the server could not complete the request; see its log"
    return str(exc)


async def _moodtune_error(request: Request, exc: MoodtuneError) -> JSONResponse:
    status, code = error_status(exc)
    if status >= 500:
        log.error("%s %s failed: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
    else:
        log.info("%s %s refused (%d %s): %s", request.method, request.url.path, status, code, exc)
    # A busy server says when to come back; clients that honour it spread their retries.
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if isinstance(exc, ServerBusy) else None
    return JSONResponse(error_body(code, public_message(exc)), status_code=status, headers=headers)


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = []
    for err in exc.errors():
        where = ".".join(str(part) for part in err.get("loc", ()) if part not in ("body", "query"))
        problems.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
    return JSONResponse(error_body("invalid_input", "; ".join(problems) or "invalid request"), status_code=422)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    if exc.status_code == 404:
        message = f"no such endpoint or file: {request.url.path}"
    return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=getattr(exc, "headers", None))


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("%s %s crashed", request.method, request.url.path)
    return JSONResponse(error_body("internal", "internal server error"), status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on ``app``."""
    app.add_exception_handler(MoodtuneError, _moodtune_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected_error)
