"""The CSRF token of a multipart form, read from the form's first field.

An upload form is checked before its file is accepted: the body is stream-parsed only
as far as the end of its first part, which must be the `csrf_token` field (our pages
put it first, and browsers send fields in document order). At most `LOOKAHEAD` bytes
(and the rest of the chunk that crossed it) are held while looking; they are then
replayed to the route, so the rest of the body — megabytes of file — is never read by
the check and never sits in memory. A form
whose first part is anything else, or that is still going after `LOOKAHEAD`, has no
token: a forger cannot push the token behind a large part to make us buffer it.
"""

from __future__ import annotations

from python_multipart.multipart import MultipartParseError, MultipartParser, parse_options_header
from starlette.types import Message, Receive

LOOKAHEAD = 16 * 1024
MAX_TOKEN = 256


class _FirstPart:
    """Collects the first part's headers and value through the parser's callbacks."""

    def __init__(self) -> None:
        self.header_field = b""
        self.header_value = b""
        self.disposition = b""
        self.value = b""
        self.ended = False
        self.too_long = False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        if not self.ended:
            self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        if not self.ended:
            self.header_value += data[start:end]

    def on_header_end(self) -> None:
        if not self.ended and self.header_field.lower() == b"content-disposition":
            self.disposition = self.header_value
        self.header_field = self.header_value = b""

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if not self.ended:
            self.value += data[start:end]
            self.too_long = len(self.value) > MAX_TOKEN

    def on_part_end(self) -> None:
        self.ended = True

    def field_name(self) -> str | None:
        kind, options = parse_options_header(self.disposition)
        if kind != b"form-data" or b"filename" in options:
            return None
        name = options.get(b"name")
        return name.decode("latin-1") if name is not None else None


async def first_field(
    content_type: str, receive: Receive, field: str
) -> tuple[str | None, Receive]:
    """The value of the form's first part when it is `field`, and a receive that gives
    the route the whole body again, from its first byte."""
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    held: list[Message] = []
    found: str | None = None
    if boundary:
        part = _FirstPart()
        parser = MultipartParser(
            boundary,
            {
                "on_header_field": part.on_header_field,
                "on_header_value": part.on_header_value,
                "on_header_end": part.on_header_end,
                "on_part_data": part.on_part_data,
                "on_part_end": part.on_part_end,
            },
        )
        seen = 0
        while not part.ended and not part.too_long and seen <= LOOKAHEAD:
            message = await receive()
            held.append(message)
            if message["type"] != "http.request":
                break
            body = message.get("body", b"")
            seen += len(body)
            try:
                parser.write(body)
            except MultipartParseError:
                break
            if not message.get("more_body", False):
                break
        if part.ended and not part.too_long and part.field_name() == field:
            found = part.value.decode("latin-1")
    return found, _replaying(held, receive)


def _replaying(held: list[Message], receive: Receive) -> Receive:
    queue = list(held)

    async def replay() -> Message:
        if queue:
            return queue.pop(0)
        return await receive()

    return replay
