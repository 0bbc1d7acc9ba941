"""The bound on running SPARQL queries: slots taken on the event loop, given back from any thread.

A query that finds no free slot waits for one, up to a bounded time, as a future on the event loop (no
thread is held while it waits); a slot given back is handed to the oldest waiter at once, so waiters are
served in order and a newcomer never takes the slot of a query that waited.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque

_Waiter = tuple[asyncio.AbstractEventLoop, "asyncio.Future[None]"]


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class QuerySlots:
    """``count`` slots: :meth:`acquire` on the event loop, :meth:`release` from any thread."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._free = count
        self._lock = threading.Lock()
        self._waiters: deque[_Waiter] = deque()

    def try_acquire(self) -> bool:
        """Take a free slot if there is one, without waiting."""
        with self._lock:
            if self._free > 0:
                self._free -= 1
                return True
            return False

    async def acquire(self, seconds: float) -> bool:
        """Take a slot, waiting at most ``seconds`` for one; ``False`` if none was free in time."""
        if self.try_acquire():
            return True
        if seconds <= 0:
            return False
        loop = asyncio.get_running_loop()
        waiter: _Waiter = (loop, loop.create_future())
        with self._lock:
            if self._free > 0:
                self._free -= 1
                return True
            self._waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter[1], seconds)
        except BaseException as exc:  # late, or the request was cancelled: leave the queue, or give the slot back
            if not self._leave(waiter):
                self.release()
            if isinstance(exc, TimeoutError):
                return False
            raise
        return True

    def _leave(self, waiter: _Waiter) -> bool:
        """Remove a waiter from the queue; ``False`` if it was handed a slot meanwhile."""
        with self._lock:
            try:
                self._waiters.remove(waiter)
            except ValueError:
                return False
            return True

    def release(self) -> None:
        """Give a slot back: to the oldest waiter if any, else to the free ones. Safe from any thread."""
        with self._lock:
            if not self._waiters:
                if self._free >= self.count:
                    raise ValueError("a query slot released more often than taken")
                self._free += 1
                return
            loop, future = self._waiters.popleft()
        if _running_loop() is loop:
            _wake(future)  # on the waiter's own loop: no wake-up through the loop's self-pipe
            return
        try:
            loop.call_soon_threadsafe(_wake, future)
        except RuntimeError:  # that waiter's loop is closed: the next one gets the slot
            self.release()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
