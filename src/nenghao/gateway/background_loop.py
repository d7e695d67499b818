"""An asyncio event loop of its own in a daemon thread, so synchronous code (the poller, the
simulators) can run asyncio clients and servers whatever loop its own thread may be running."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any


class BackgroundLoop:
    """An asyncio loop in a daemon thread, run from synchronous code."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, make: Callable[[], Coroutine[Any, Any, Any]], timeout: float | None = 30) -> Any:
        """Run the coroutine `make()` on the loop and wait for its result (None: no limit)."""
        return asyncio.run_coroutine_threadsafe(make(), self.loop).result(timeout)

    def close(self) -> None:
        """Stop the loop and its thread."""
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
