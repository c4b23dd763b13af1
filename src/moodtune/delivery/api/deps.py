"""Dependencies of the route functions, as ``Annotated`` aliases: ``def route(catalog: CatalogDep)``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends
from sqlalchemy import Engine
from starlette.requests import HTTPConnection

from moodtune.music.catalog import Catalog
from moodtune.settings import Settings

from .admission import AnalysisGate

__all__ = ["AppState", "CatalogDep", "DatabaseDep", "SettingsDep", "StateDep", "get_state"]


@dataclass
class AppState:
    """What the lifespan loads once and every request shares.

    Attributes
    ----------
    settings : the app's settings.
    catalog : the tracks to recommend from.
    db : the feedback database.
    model_name : the expression model's name (or path) as configured.
    model_error : why the expression model could not be loaded, or None when it is ready;
        photo analysis answers 503 while it is set, mood-based recommendation still works.
    track_ids : the catalog's ids, for checking feedback.
    """

    settings: Settings
    catalog: Catalog
    db: Engine
    model_name: str
    model_error: str | None = None
    track_ids: frozenset[str] = frozenset()
    #: Admits photo analyses (see ``admission``), sized by the settings.
    gate: AnalysisGate = field(init=False)

    def __post_init__(self) -> None:
        if not self.track_ids:
            self.track_ids = frozenset(self.catalog.ids.tolist())
        self.gate = AnalysisGate(self.settings.max_analyses, self.settings.max_waiting)


# The accessors are async so FastAPI calls them inline; a plain def would cost a worker-thread hop each.


async def get_state(conn: HTTPConnection) -> AppState:
    # HTTPConnection, not Request: the same dependency serves HTTP routes and the WebSocket.
    state: AppState = conn.app.state.moodtune
    return state


async def _settings(state: Annotated[AppState, Depends(get_state)]) -> Settings:
    return state.settings


async def _catalog(state: Annotated[AppState, Depends(get_state)]) -> Catalog:
    return state.catalog


async def _database(state: Annotated[AppState, Depends(get_state)]) -> Engine:
    return state.db


StateDep = Annotated[AppState, Depends(get_state)]
SettingsDep = Annotated[Settings, Depends(_settings)]
CatalogDep = Annotated[Catalog, Depends(_catalog)]
DatabaseDep = Annotated[Engine, Depends(_database)]
