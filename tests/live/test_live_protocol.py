"""The wire format, the frame limiter and the bounded connection queue, without sockets."""

from __future__ import annotations

import asyncio
import json

import pytest

from forum_server.live import LiveConfig
from forum_server.live.connection import Connection
from forum_server.live.protocol import (
    CLOSE_SIGNED_OUT,
    CLOSE_TOO_SLOW,
    NOT_FOUND,
    Ping,
    ProtocolError,
    Subscribe,
    Unsubscribe,
    error_frame,
    parse,
)
from forum_server.live.ratelimit import FrameLimiter, Verdict
from forum_server.live.retention import needs_resync
from forum_server.policy import ANONYMOUS


def test_parse_requests() -> None:
    assert parse('{"type":"subscribe","session_id":7}') == Subscribe(7, None)
    assert parse('{"type":"subscribe","session_id":7,"after":0}') == Subscribe(7, 0)
    assert parse('{"type":"subscribe","session_id":7,"after":1234}') == Subscribe(7, 1234)
    assert parse('{"type":"unsubscribe","session_id":7}') == Unsubscribe(7)
    assert parse('{"type":"ping"}') == Ping()


@pytest.mark.parametrize(
    ("text", "code", "field"),
    [
        ("{not json", "bad_frame", None),
        ("", "bad_frame", None),
        ("[1, 2]", "bad_frame", None),
        ('"subscribe"', "bad_frame", None),
        ("[" * 2000 + "]" * 2000, "bad_frame", None),
        ('{"type":"dance"}', "unknown_type", None),
        ('{"session_id":7}', "invalid", "type"),
        ('{"type":7}', "invalid", "type"),
        ('{"type":"subscribe"}', "invalid", "session_id"),
        ('{"type":"subscribe","session_id":"7"}', "invalid", "session_id"),
        ('{"type":"subscribe","session_id":true}', "invalid", "session_id"),
        ('{"type":"subscribe","session_id":0}', "invalid", "session_id"),
        ('{"type":"subscribe","session_id":1e3}', "invalid", "session_id"),
        ('{"type":"subscribe","session_id":99999999999999999999}', "invalid", "session_id"),
        ('{"type":"subscribe","session_id":7,"after":-1}', "invalid", "after"),
        ('{"type":"subscribe","session_id":7,"after":"5"}', "invalid", "after"),
        ('{"type":"unsubscribe"}', "invalid", "session_id"),
    ],
)
def test_parse_refuses_everything_else(text: str, code: str, field: str | None) -> None:
    with pytest.raises(ProtocolError) as caught:
        parse(text)
    assert (caught.value.code, caught.value.field) == (code, field)


def test_error_frames() -> None:
    assert json.loads(error_frame("invalid", "Bad.", field="after")) == {
        "type": "error",
        "error": {"code": "invalid", "message": "Bad.", "field": "after"},
    }


async def test_error_frames_speak_the_language_the_connection_was_opened_in() -> None:
    english, french = Connection(ANONYMOUS), Connection(ANONYMOUS, language="fr")
    for connection in (english, french):
        connection.offer_error(*NOT_FOUND, session_id=7)
        connection.close(1000, drain=True)
    assert json.loads((await pumped(english))[0]) == {
        "type": "error",
        "session_id": 7,
        "error": {"code": "not_found", "message": "No such session."},
    }
    said = json.loads((await pumped(french))[0])["error"]
    assert said == {"code": "not_found", "message": "Session introuvable."}


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_limiter_allows_bursts_and_the_rate() -> None:
    clock = Clock()
    limiter = FrameLimiter(20, 40, clock=clock)
    assert [limiter.check() for _ in range(40)] == [Verdict.ALLOW] * 40
    assert limiter.check() is Verdict.REFUSE
    clock.now += 1.0  # 20 more tokens
    assert [limiter.check() for _ in range(20)] == [Verdict.ALLOW] * 20
    assert limiter.check() is Verdict.REFUSE


def test_limiter_closes_only_on_sustained_abuse() -> None:
    clock = Clock()
    grazing = FrameLimiter(20, 40, clock=clock)
    # 25 frames a second for a minute: refused now and then, never closed.
    verdicts = []
    for _ in range(25 * 60):
        clock.now += 1 / 25
        verdicts.append(grazing.check())
    assert Verdict.CLOSE not in verdicts and Verdict.REFUSE in verdicts

    flooding = FrameLimiter(20, 40, clock=clock)
    verdicts = [flooding.check() for _ in range(200)]  # all at once
    assert verdicts[:40] == [Verdict.ALLOW] * 40
    assert verdicts[40:80] == [Verdict.REFUSE] * 40
    assert verdicts[80] is Verdict.CLOSE


@pytest.mark.parametrize(
    ("after", "oldest", "newest", "resync"),
    [
        (0, None, None, False),  # nothing ever happened
        (5, None, None, True),  # a position this database never had
        (0, 1, 10, False),
        (10, 1, 10, False),
        (11, 1, 10, True),  # ahead of the database: it was replaced
        (3, 5, 10, True),  # event 4 was pruned
        (4, 5, 10, False),  # everything after 4 is still here
        (0, 2, 10, True),  # event 1 was pruned
    ],
)
def test_needs_resync(after: int, oldest: int | None, newest: int | None, resync: bool) -> None:
    assert needs_resync(after, oldest, newest) is resync


async def pumped(connection: Connection) -> list[str]:
    """What the connection's pump sends before it ends."""
    out: list[str] = []

    async def send(frame: str) -> None:
        out.append(frame)

    await asyncio.wait_for(connection.pump(send), 1)
    return out


async def test_connection_queue_is_bounded_and_a_full_one_closes() -> None:
    connection = Connection(ANONYMOUS, config=LiveConfig(queue_size=3))
    assert all(connection.offer(f"frame {n}") for n in range(3))
    assert connection.offer("one too many") is False
    assert connection.close_code == CLOSE_TOO_SLOW
    assert connection.free_slots == 3  # what was queued is dropped, not kept
    assert await pumped(connection) == []
    connection.close(CLOSE_SIGNED_OUT)  # the first reason stays
    assert connection.close_code == CLOSE_TOO_SLOW


async def test_connection_drains_before_closing_when_asked() -> None:
    connection = Connection(ANONYMOUS)
    connection.offer("last words")
    connection.close(1009, "frame too large", drain=True)
    assert connection.offer("later") is False
    assert await pumped(connection) == ["last words"]


class Socket:
    """A socket's `write_now` that takes frames only while `open`."""

    def __init__(self) -> None:
        self.open = True
        self.written: list[str] = []

    def write_now(self, frame: str) -> bool:
        if self.open:
            self.written.append(frame)
        return self.open


async def test_frames_go_straight_out_while_the_socket_keeps_up_and_never_overtake() -> None:
    connection = Connection(ANONYMOUS, config=LiveConfig(queue_size=3))
    socket = Socket()
    connection.write_now = socket.write_now
    assert connection.offer("1") and socket.written == ["1"]
    assert connection.free_slots == 3  # nothing queued
    socket.open = False  # its buffer is full
    assert connection.offer("2") and connection.offer("3")
    socket.open = True
    assert connection.offer("4")  # queued behind 2 and 3, not written before them
    assert socket.written == ["1"]
    connection.close(1000, drain=True)
    assert await pumped(connection) == []  # the pump used write_now too
    assert socket.written == ["1", "2", "3", "4"]


async def test_a_socket_that_never_takes_frames_fills_the_queue_and_closes() -> None:
    connection = Connection(ANONYMOUS, config=LiveConfig(queue_size=2))
    socket = Socket()
    socket.open = False
    connection.write_now = socket.write_now
    assert connection.offer("1") and connection.offer("2")
    assert connection.offer("3") is False
    assert connection.close_code == CLOSE_TOO_SLOW
