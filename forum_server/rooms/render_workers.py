"""Rendering posts' Markdown off the event loop, in worker processes.

markdown-it is pure Python: in a worker thread a render would hold the interpreter
lock against the event loop (four hostile renders at once took /healthz from a few
milliseconds to a second). So renders run in a small pool of worker processes, and
each process of ours hands it at most one text per lane at a time; the others wait
their turn while the event loop keeps serving. Guests have their own lane: a flood
of guest posts queues behind itself, never in front of signed-in participants.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
import weakref
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from forum_server.rooms.markdown import MAX_SOURCE_CHARS, People, render_markdown

RENDER_LANES = ("guest", "default")
_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Semaphore]] = (
    weakref.WeakKeyDictionary()
)
_pool: ProcessPoolExecutor | None = None


def _slot(lane: str) -> asyncio.Semaphore:
    if lane not in RENDER_LANES:
        raise ValueError(f"unknown render lane {lane!r}")
    lanes = _slots.setdefault(asyncio.get_running_loop(), {})
    if lane not in lanes:
        lanes[lane] = asyncio.Semaphore(1)
    return lanes[lane]


def _renderers() -> ProcessPoolExecutor:
    """The worker processes, started on first use (never at import) and kept for the
    life of the process: every app and event loop in it shares them. "spawn": a fork
    of a process running an event loop and threads is not safe."""
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(
            max_workers=len(RENDER_LANES),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_follow_parent,
            initargs=(os.getpid(),),
        )
    return _pool


def _follow_parent(parent: int) -> None:
    """In each worker: exit once the server process is gone, however it went (a
    server killed outright never tells its workers)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="follow-parent", daemon=True).start()


async def render_markdown_off_loop(
    source: str, *, lane: str = "default", people: People | None = None
) -> str:
    """The same, off the event loop: in a worker process, one at a time per lane (see
    RENDER_LANES), so hostile input costs neither the loop nor other lanes their time.
    Raises ValueError like `render_markdown`."""
    if len(source) > MAX_SOURCE_CHARS:
        return render_markdown(source)  # raises at once, nothing to render
    async with _slot(lane):
        pool = _renderers()
        try:
            return await asyncio.get_running_loop().run_in_executor(
                pool, render_markdown, source, dict(people or {})
            )
        except BrokenProcessPool:
            # A worker died (killed, out of memory): start afresh next time, and render
            # this one in a thread rather than fail the request.
            global _pool
            if _pool is pool:
                _pool = None
                pool.shutdown(wait=False, cancel_futures=True)
            return await asyncio.to_thread(render_markdown, source, people)
