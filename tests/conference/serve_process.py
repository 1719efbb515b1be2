"""A real server process for the multi-process presence test: the app from FORUM_
variables, on its own Redis channel prefix (Redis pub/sub is shared by every database
number, so tests never use the default one) and quick presence timings, under uvicorn.

    python -m tests.conference.serve_process PORT PREFIX
"""

from __future__ import annotations

import asyncio
import sys

import uvicorn

from forum_server.app import create_app
from forum_server.live import LiveConfig
from forum_server.settings import load_settings
from forum_server.web.server import uvicorn_config

# Presence goes out quickly and another process's word lasts a few seconds only, so a
# process that is killed drops out of the others' lists within the test's patience.
TIMINGS = LiveConfig(
    poll_interval=0.5,
    heartbeat_interval=600.0,
    presence_delay=0.1,
    presence_repeat=1.0,
    presence_expiry=3.0,
)


def main() -> None:
    port, prefix = int(sys.argv[1]), sys.argv[2]
    app = create_app(load_settings(), broker_prefix=prefix, live=TIMINGS)
    server = uvicorn.Server(uvicorn_config(app, host="127.0.0.1", port=port))
    asyncio.run(server.serve())


if __name__ == "__main__":
    main()
