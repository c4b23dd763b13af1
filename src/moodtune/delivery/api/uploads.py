"""Reading an uploaded photo from a ``multipart/form-data`` body, in memory only.

Starlette's own form parser spools files over 1 MB to a temporary file on disk;
photos must never touch the disk (privacy), so uploads are parsed here with
``python_multipart`` straight into memory. The byte limit is enforced while the
body streams in: a client announcing or sending too much is refused (413)
without the server buffering more than the limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from moodtune.errors import ImageError, InputError
from moodtune.settings import Settings

from .errors import UnsupportedType, UploadTooLarge, error_body
from .schemas import ErrorResponse

__all__ = ["PHOTO_UPLOAD_ERRORS", "PHOTO_UPLOAD_SCHEMA", "BodySizeLimit", "Upload", "check_image_upload", "read_upload"]

# The OpenAPI request body of the photo routes; they parse multipart themselves (in memory), so FastAPI
# cannot infer it.
PHOTO_UPLOAD_SCHEMA = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary", "description": "the photo"}},
            }
        }
    },
}

# The error answers the photo routes document in OpenAPI.
PHOTO_UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "not a readable image"},
    413: {"model": ErrorResponse, "description": "over the upload size limit"},
    415: {"model": ErrorResponse, "description": "not an accepted image type"},
    422: {"model": ErrorResponse, "description": "no `file` field"},
    503: {"model": ErrorResponse, "description": "the expression model is not available"},
}


#: Room for the multipart boundaries, part headers and small text fields around the file.
UPLOAD_ENVELOPE = 64 * 1024
_MAX_PARTS = 8
#: Declared types that say nothing about the format; the decoder then sniffs the bytes.
_GENERIC_TYPES = ("", "application/octet-stream")


@dataclass(frozen=True)
class Upload:
    """The file part of a multipart body: its bytes, declared content type and file name."""

    data: bytes
    content_type: str
    filename: str | None

    def __repr__(self) -> str:  # never put image bytes in a log line or traceback
        return f"Upload({len(self.data)} bytes, {self.content_type!r}, {self.filename!r})"


class _Part:
    __slots__ = ("headers", "data", "overflow")

    def __init__(self) -> None:
        self.headers: dict[bytes, bytes] = {}
        self.data = bytearray()
        self.overflow = False


async def read_upload(request: Request, settings: Settings, field: str = "file") -> Upload:
    """The part named ``field`` of the request's multipart body.

    Raises
    ------
    UnsupportedType : the body is not ``multipart/form-data``.
    UploadTooLarge : the body or the file is over ``settings.max_upload_bytes``.
    InputError : there is no part named ``field``.
    ImageError : the body is not well-formed multipart.
    """
    ctype, params = parse_options_header(request.headers.get("content-type"))
    boundary = params.get(b"boundary")
    if ctype != b"multipart/form-data" or not boundary:
        raise UnsupportedType(f"send the photo as multipart/form-data with a field named {field!r}")
    limit = settings.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + UPLOAD_ENVELOPE:
        raise UploadTooLarge(f"the upload is {int(declared):,} bytes, over the limit of {limit:,} bytes")

    parts: list[_Part] = []
    header: dict[str, bytearray] = {"field": bytearray(), "value": bytearray()}

    def on_part_begin() -> None:
        if len(parts) >= _MAX_PARTS:
            raise ImageError(f"too many form fields (at most {_MAX_PARTS})")
        parts.append(_Part())

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header["field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header["value"] += data[start:end]

    def on_header_end() -> None:
        parts[-1].headers[bytes(header["field"]).lower()] = bytes(header["value"])
        header["field"], header["value"] = bytearray(), bytearray()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        part = parts[-1]
        if part.overflow:
            return
        part.data += data[start:end]
        if len(part.data) > limit:
            part.overflow = True
            part.data = bytearray()  # drop what we have; the answer is 413 anyway

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_part_data": on_part_data,
        },
    )
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit + UPLOAD_ENVELOPE:
                raise UploadTooLarge(f"the upload is over the limit of {limit:,} bytes")
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError as exc:
        raise ImageError(f"the upload is not a well-formed multipart/form-data body ({exc})") from None
    except ClientDisconnect:
        raise ImageError("the client disconnected before the upload was complete") from None

    for part in parts:
        _, disposition = parse_options_header(part.headers.get(b"content-disposition"))
        if disposition.get(b"name", b"").decode("utf-8", "replace") != field:
            continue
        if part.overflow:
            raise UploadTooLarge(f"the photo is over the limit of {limit:,} bytes")
        filename = disposition.get(b"filename")
        declared_type, _ = parse_options_header(part.headers.get(b"content-type"))
        return Upload(
            bytes(part.data),
            declared_type.decode("latin-1").lower(),
            filename.decode("utf-8", "replace") if filename is not None else None,
        )
    raise InputError(f"the form has no field named {field!r}; send the photo in it")


def check_image_upload(upload: Upload, settings: Settings) -> bytes:
    """The upload's bytes if its declared type is accepted and it is not empty.

    Raises
    ------
    UnsupportedType : the declared content type is not in ``settings.accepted_types``.
    ImageError : the file is empty.
    """
    if upload.content_type not in _GENERIC_TYPES and upload.content_type not in settings.accepted_types:
        names = [t.split("/")[-1].upper() for t in settings.accepted_types]
        accepted = " or ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
        raise UnsupportedType(f"{upload.content_type} is not a supported photo type; send a {accepted} image")
    if not upload.data:
        raise ImageError("the uploaded file is empty")
    return upload.data


class BodySizeLimit:
    """ASGI middleware capping every HTTP request body at ``max_bytes`` (JSON bodies included).

    A declared ``Content-Length`` over the cap is answered 413 at once; a body that
    streams past it raises ``UploadTooLarge`` from ``receive``, which the error
    handlers turn into the same 413.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        message = f"the request body is over the limit of {self.max_bytes:,} bytes"
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                response = JSONResponse(error_body("too_large", message), status_code=413)
                await response(scope, receive, send)
                return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            incoming = await receive()
            if incoming["type"] == "http.request":
                received += len(incoming.get("body", b""))
                if received > self.max_bytes:
                    raise UploadTooLarge(message)
            return incoming

        await self.app(scope, limited_receive, send)
