"""The web app and REST API: ``create_app(settings)`` builds it, ``serve(host, port)`` runs it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from moodtune.config import get_settings
from moodtune.settings import Settings

from .server_logs import install_log_filters

if TYPE_CHECKING:
    from fastapi import FastAPI

    from moodtune.music import Catalog

__all__ = ["Settings", "create_app", "serve", "settings_for_host"]

log = logging.getLogger(__name__)

#: Seconds an idle keep-alive connection stays open.
KEEP_ALIVE_SECONDS = 5

#: Addresses that listen on every interface: clients then arrive under names only they know.
_WILDCARDS = ("0.0.0.0", "::", "")


def create_app(settings: Settings | None = None, *, catalog: Catalog | None = None) -> FastAPI:
    """Build the FastAPI app (see ``moodtune.delivery.api.app.create_app``)."""
    from .app import create_app as _create_app

    return _create_app(settings, catalog=catalog)


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    settings: Settings | None = None,
    catalog: Catalog | None = None,
    log_level: str = "info",
) -> None:
    """Run the app with uvicorn until interrupted (Ctrl-C).

    Parameters
    ----------
    host : interface to listen on; the default keeps the server on this machine.
        Use ``0.0.0.0`` to let phones on the network in (the camera then needs
        HTTPS or ``localhost``, a browser rule).
    port : TCP port.
    settings : app settings; default ``moodtune.config.get_settings()`` (the ``MOODTUNE_*`` variables).
    catalog : the tracks to recommend from; default the one ``settings.catalog`` names.
    log_level : uvicorn's log level.
    """
    import uvicorn

    settings = settings_for_host(settings or get_settings(), host)
    if host in _WILDCARDS:
        log.warning(
            "listening on every interface; clients are answered only under the host names %s "
            "(set MOODTUNE_ALLOWED_HOSTS to the names or addresses other devices use)",
            ", ".join(settings.allowed_hosts),
        )
    install_log_filters()
    uvicorn.run(
        create_app(settings, catalog=catalog),
        host=host,
        port=port,
        log_level=log_level,
        # A stream frame is an upload too; the WebSocket layer refuses bigger messages outright.
        ws_max_size=settings.max_upload_bytes + 1024,
        server_header=False,
        limit_concurrency=settings.max_connections,
        # An idle keep-alive connection is closed after this many seconds, freeing its descriptor.
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


def settings_for_host(settings: Settings, host: str) -> Settings:
    """``settings`` with ``host`` among the allowed host names when it names one interface."""
    name = host.strip("[]").lower()
    if host in _WILDCARDS or name in settings.allowed_hosts:
        return settings
    return settings.model_copy(update={"allowed_hosts": (*settings.allowed_hosts, name)})
