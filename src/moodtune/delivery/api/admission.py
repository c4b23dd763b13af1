"""Backpressure for photo analyses: a bounded number run, a bounded number wait, the rest get 503 at once.

An analysis costs tens of milliseconds of CPU; a server that queues every one it is sent answers
none of them in time once it is overloaded (the queue only grows). The gate admits
``max_analyses`` at a time and lets ``max_waiting`` more wait their turn; any request beyond that
is refused immediately with ``ServerBusy`` (503 with ``Retry-After``), which costs nothing. Other
routes (``/health``, the page, mood picks) never pass through the gate. The event loop is the only
thread that touches the counters, so they need no lock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from moodtune.errors import MoodtuneError

__all__ = ["AnalysisGate", "ClientGone", "ServerBusy", "run_admitted"]

T = TypeVar("T")


class ServerBusy(MoodtuneError):
    """Every analysis slot and waiting place is taken; the client should retry shortly."""


class ClientGone(MoodtuneError):
    """The client disconnected before its analysis started; it is not run."""


class AnalysisGate:
    """At most ``running`` analyses at once and ``waiting`` more in line."""

    def __init__(self, running: int, waiting: int) -> None:
        self._slots = asyncio.Semaphore(running)
        self._capacity = running + waiting
        self._admitted = 0

    @property
    def admitted(self) -> int:
        """Analyses running or waiting now."""
        return self._admitted

    @asynccontextmanager
    async def admit(self) -> AsyncIterator[None]:
        """Hold a slot for the block; raises ``ServerBusy`` at once when none is free and the line is full."""
        if self._admitted >= self._capacity:
            raise ServerBusy("the server is busy analysing other photos; try again in a second")
        self._admitted += 1
        try:
            async with self._slots:
                yield
        finally:
            self._admitted -= 1


async def run_admitted(gate: AnalysisGate, request: Request | None, work: Callable[..., T], *args: object) -> T:
    """Run ``work(*args)`` in a worker thread once ``gate`` admits it.

    A request whose client left while it waited is dropped before it costs an analysis.
    """
    async with gate.admit():
        if request is not None and await request.is_disconnected():
            raise ClientGone("the client disconnected before its photo was analysed")
        return await run_in_threadpool(work, *args)
