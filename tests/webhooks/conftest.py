"""Webhook tests run with private addresses allowed, so that deliveries can reach a
receiver on loopback; the address rule itself is tested apart, with a stubbed name
resolution (tests send traffic to loopback only)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from forum_server.settings import Settings
from tests.helpers import make_settings
from tests.webhooks.receiver import Receiver


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url, webhooks_allow_private=True)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    found = Receiver()
    await found.start()
    yield found
    await found.stop()
