"""`forum-server serve --workers N`: N server processes sharing one listening socket.

Why a supervisor of our own rather than `uvicorn.run(..., workers=N)`: uvicorn's
multi-process mode starts each worker from an import string and re-reads everything
from the environment, so the settings this command derived (the address served, the
origins allowed) would have to travel through environment variables, and every worker
would be alike. Here the parent binds the socket once (a port in use is one clear
error, before anything starts), migrates once, and starts each worker with the
settings object and the socket; the kernel spreads new connections over the workers
accepting on it. Worker 0 alone runs the periodic jobs (mail, digests, pruning, file
retention, webhooks, the session clock), so that hourly sweeps are not done N times;
they are all safe to run in several processes at once, which is what several hosts do.
A worker that dies is started again; SIGTERM or SIGINT stops them all gracefully.

Several processes share nothing in memory, so they need a database every process can
write (PostgreSQL) and a broker between them (Redis): `check_shareable` says so
before anything starts.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import time
from collections.abc import Callable
from multiprocessing.connection import Connection as Pipe
from multiprocessing.process import BaseProcess
from types import FrameType
from urllib.parse import urlsplit

from forum_server.settings import Settings

log = logging.getLogger(__name__)

MAX_WORKERS = 64
STARTUP_SECONDS = 60.0
STOP_SECONDS = 20.0
RESTART_PAUSE = 1.0  # a worker that dies at start-up is not restarted in a tight loop


def check_shareable(settings: Settings, workers: int) -> str | None:
    """Why these settings cannot run `workers` processes, or None."""
    if not 1 <= workers <= MAX_WORKERS:
        return f"--workers must be between 1 and {MAX_WORKERS}"
    if workers == 1:
        return None
    problems = []
    if not settings.database_url.startswith("postgresql"):
        problems.append(
            "a PostgreSQL database (FORUM_DATABASE_URL=postgresql+asyncpg://…): "
            "SQLite has one writer, and several processes writing one file collapse"
        )
    if urlsplit(settings.broker_url).scheme.lower() not in ("redis", "rediss"):
        problems.append(
            "the Redis broker (FORUM_BROKER_URL=redis://…): the memory broker only "
            "reaches sockets in its own process"
        )
    if not problems:
        return None
    return f"--workers {workers} needs " + "; and ".join(problems)


def _worker(settings: Settings, sock: socket.socket, index: int, ready: Pipe) -> None:
    """One worker process: serve the app on the shared socket until told to stop."""
    # Imported here: the parent never builds an app of its own.
    from forum_server.app import create_app
    from forum_server.cli import configure_logging
    from forum_server.web.server import AnnouncingServer, uvicorn_config

    configure_logging(settings)

    def started() -> None:
        ready.send(index)
        ready.close()

    config = uvicorn_config(
        create_app(settings, periodic=index == 0),
        proxy_headers=settings.trust_proxy_headers,
        timeout_graceful_shutdown=10,
    )
    AnnouncingServer(config, started).run(sockets=[sock])


class Supervisor:
    """Starts the workers, restarts any that dies, and stops them all on a signal."""

    def __init__(self, settings: Settings, sock: socket.socket, workers: int) -> None:
        self.settings = settings
        self.sock = sock
        self.count = workers
        self.context = multiprocessing.get_context("spawn")
        self.processes: dict[int, BaseProcess] = {}
        self.stopping = False

    def _start(self, index: int) -> Pipe:
        receiving, sending = self.context.Pipe(duplex=False)
        process = self.context.Process(
            target=_worker,
            args=(self.settings, self.sock, index, sending),
            name=f"forum-server worker {index}",
        )
        process.start()
        sending.close()
        self.processes[index] = process
        return receiving

    def run(self, announce: Callable[[], None]) -> int:
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            pipes = [self._start(index) for index in range(self.count)]
            if not self._wait_started(pipes):
                self._stop_all()
                return 1
            announce()
            while not self.stopping:
                time.sleep(0.5)
                self._restart_dead()
            return 0 if self._stop_all() else 1
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _wait_started(self, pipes: list[Pipe]) -> bool:
        deadline = time.monotonic() + STARTUP_SECONDS
        for index, pipe in enumerate(pipes):
            while not self.stopping:
                if pipe.poll(0.1):
                    try:
                        pipe.recv()
                        break
                    except EOFError:  # died before it started
                        pass
                process = self.processes[index]
                if not process.is_alive() or time.monotonic() > deadline:
                    log.error("worker %d did not start (exit code %s)", index, process.exitcode)
                    return False
            pipe.close()
        return not self.stopping

    def _restart_dead(self) -> None:
        for index, process in list(self.processes.items()):
            if self.stopping or process.is_alive():
                continue
            log.warning("worker %d ended (exit %s); starting it again", index, process.exitcode)
            time.sleep(RESTART_PAUSE)
            self._start(index).close()

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self.stopping = True

    def _stop_all(self) -> bool:
        """SIGTERM to each worker (uvicorn's graceful shutdown), SIGKILL to stragglers;
        whether every one stopped cleanly."""
        for process in self.processes.values():
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for process in self.processes.values():
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                log.warning("worker %s did not stop in time; killing it", process.name)
                process.kill()
                process.join()
        # uvicorn ends by raising the signal again once it has shut down gracefully.
        return all(p.exitcode in (0, -signal.SIGTERM) for p in self.processes.values())
