"""What the server's logs may carry, and how much of it: no query strings, no floods.

The access log would otherwise record listener ids and searches (they travel in query strings),
and a crowd of broken or hostile connections makes uvicorn log a warning each: 144 MB in 30 s
was seen from 1,100 slow clients. Both filters sit on uvicorn's own loggers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

__all__ = ["RateLimit", "install_log_filters", "without_query"]


def without_query(record: logging.LogRecord) -> bool:
    """Access-log filter: the path without its query string, where listener ids and searches travel."""
    args = record.args
    if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
        record.args = (*args[:2], args[2].partition("?")[0], *args[3:])
    return True


class RateLimit(logging.Filter):
    """Lets at most ``per_second`` records through each second; says how many it held back."""

    def __init__(self, per_second: int, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.per_second = per_second
        self._clock = clock
        self._second = -1
        self._passed = 0
        self._held = 0

    def filter(self, record: logging.LogRecord) -> bool:
        second = int(self._clock())
        if second != self._second:
            if self._held:
                record.msg = f"({self._held} similar messages suppressed) {record.msg}"
            self._second, self._passed, self._held = second, 0, 0
        if self._passed >= self.per_second:
            self._held += 1
            return False
        self._passed += 1
        return True


#: Warnings and errors uvicorn may write per second before the rest of that second is dropped.
ERRORS_PER_SECOND = 20


def install_log_filters() -> None:
    """Put both filters on uvicorn's loggers (adding a filter twice is a no-op)."""
    logging.getLogger("uvicorn.access").addFilter(without_query)
    logging.getLogger("uvicorn.error").addFilter(_ERROR_LIMIT)


_ERROR_LIMIT = RateLimit(ERRORS_PER_SECOND)
