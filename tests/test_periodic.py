"""The loop background work runs in: it survives a failing pass and ends when asked."""

from __future__ import annotations

import asyncio
import logging

import pytest

from forum_server.app import create_app
from forum_server.periodic import repeat
from forum_server.settings import Settings


async def test_a_failing_pass_is_logged_and_the_next_one_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stop = asyncio.Event()
    passes: list[int] = []

    async def work() -> None:
        passes.append(len(passes))
        if len(passes) == 1:
            raise RuntimeError("database is locked")
        if len(passes) == 3:
            stop.set()

    with caplog.at_level(logging.ERROR):
        await asyncio.wait_for(repeat(work, stop, every=0.01, what="the test pass"), 2)
    assert passes == [0, 1, 2]
    assert "the test pass failed" in caplog.text


async def test_a_stop_ends_the_wait_between_passes_at_once() -> None:
    stop = asyncio.Event()
    calls = 0

    async def work() -> None:
        nonlocal calls
        calls += 1

    loop = asyncio.create_task(repeat(work, stop, every=3600, what="hourly"))
    await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(loop, 1)
    assert calls == 1


async def test_a_server_process_that_leaves_the_jobs_to_another_runs_none(
    settings: Settings,
) -> None:
    """`serve --workers`: only worker 0 runs the periodic jobs; the others start and
    stop cleanly without them."""
    names = {task.get_name() for task in asyncio.all_tasks()}
    app = create_app(settings, periodic=False)
    async with app.router.lifespan_context(app):
        started = {task.get_name() for task in asyncio.all_tasks()} - names
        assert "session-scheduler" not in started and "mail-sender" not in started
        assert "live-feed" in started  # live delivery still runs in every process
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        started = {task.get_name() for task in asyncio.all_tasks()} - names
        assert {"session-scheduler", "mail-sender", "event-pruning"} <= started
