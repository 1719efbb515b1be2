"""Reading a message received by mail: its text, its subject and ids, and whether a
machine sent it (an auto-reply, a bounce, a list) — those are never answered.

Hostile or broken input is expected: unknown or wrong charsets, bad transfer
encodings, malformed headers, HTML with scripts, huge attachments. Reading never
raises for any of them; it takes what it can read (text/plain first, else the HTML
turned into text) and the attached files as they came (what becomes of each is
decided where web uploads are: mail/attachments.py).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses

from forum_server.mail.html_text import html_to_text

# Beyond this, the text is not read further (a post holds at most 20,000 characters;
# the quoted history below a reply can be long, the reply itself cannot).
MAX_TEXT_CHARS = 200_000
MAX_PARTS = 100  # a message with more parts than this is read up to here
# Labels mail programs use for a wider charset than they name.
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "iso-8859-1": "windows-1252", "ascii": "utf-8"}
_AUTOMATIC_SENDERS = {"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"}
_REPLY_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|wg|tr|rv|sv|vs|antw|ответ|回复|答复|رد)\s*[:：]\s*)+", re.I
)


@dataclass(frozen=True)
class MailFile:
    """An attached file: the name it was sent with (unchecked) and its decoded bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Incoming:
    message_id: str | None  # with its angle brackets, as it came
    has_sender: bool  # a From: header at all (every message a person sends has one)
    references: tuple[str, ...]
    subject: str
    sender: str  # the From: address, for the log only (the token says who writes)
    text: str  # the whole text, quotes and all
    automatic: str | None  # why a machine sent it, if one did
    files: tuple[MailFile, ...] = ()


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
        return "" if value is None else str(value)
    except Exception:  # a header the parser cannot make sense of is as good as absent
        return ""


def _decode(payload: bytes, charset: str | None) -> str:
    name = (charset or "utf-8").strip().strip('"').lower()
    name = _WIDER.get(name, name)
    try:
        codecs.lookup(name)
    except LookupError:
        name = "utf-8"
    text = payload.decode(name, errors="replace")
    if name == "utf-8" and "\ufffd" in text and charset is None:
        text = payload.decode("windows-1252", errors="replace")  # undeclared 8-bit text
    return text


def _unflow(text: str, delsp: bool) -> str:
    """RFC 3676 format=flowed: a line ending in a space goes on in the next one."""
    out: list[str] = []
    carry = ""
    for line in text.split("\n"):
        if line.startswith(" "):
            line = line[1:]  # space-stuffing
        if line.endswith(" ") and line != "-- ":
            carry += line[:-1] if delsp else line
            continue
        out.append(carry + line)
        carry = ""
    if carry:
        out.append(carry)
    return "\n".join(out)


def _param(part: Message, name: str) -> str:
    value = part.get_param(name, "")
    return value.lower() if isinstance(value, str) else ""


def _part_text(part: Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        return ""
    if not isinstance(payload, bytes):
        return ""
    text = _decode(payload[: MAX_TEXT_CHARS * 4], part.get_content_charset())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _param(part, "format") == "flowed":
        text = _unflow(text, _param(part, "delsp") == "yes")
    return text[:MAX_TEXT_CHARS]


def _text_of(message: Message) -> str:
    """The first text/plain part that is not an attachment; else the first HTML one."""
    plain = html = None
    for count, part in enumerate(message.walk()):
        if count > MAX_PARTS:
            break
        if part.is_multipart() or (part.get_content_disposition() or "") == "attachment":
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and plain is None:
            plain = part
        elif kind == "text/html" and html is None:
            html = part
    if plain is not None:
        return _part_text(plain)
    if html is not None:
        return html_to_text(_part_text(html))
    return ""


def _is_attached_file(part: Message) -> bool:
    """A file the writer attached: a part marked as an attachment, or an inline one
    with a file name that no HTML body refers to (no Content-ID). Pictures a mail
    program placed inside its HTML (signature logos) are not the writer's files."""
    disposition = part.get_content_disposition() or ""
    if disposition == "attachment":
        return True
    if disposition == "inline" and part.get_filename() and not _header(part, "Content-ID"):
        return not part.get_content_type().startswith("text/")
    return False


def _files_of(message: Message) -> tuple[MailFile, ...]:
    files = []
    for count, part in enumerate(message.walk()):
        if count > MAX_PARTS:
            break
        if part.is_multipart() or not _is_attached_file(part):
            continue
        try:
            payload = part.get_payload(decode=True)
            name = part.get_filename() or ""
        except Exception:  # a part the parser cannot decode is as good as absent
            continue
        if isinstance(payload, bytes):
            files.append(MailFile(str(name), payload))
    return tuple(files)


def _address(value: str) -> str:
    try:
        found = getaddresses([value])
    except Exception:
        return ""
    return found[0][1].strip().lower() if found else ""


def automatic_reason(message: Message, envelope_from: str) -> str | None:
    """Why this message came from a machine (RFC 3834 and what bounces look like),
    or None if a person sent it."""
    auto = _header(message, "Auto-Submitted").split(";")[0].strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = _header(message, "Precedence").strip().lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply", "List-Id"):
        if _header(message, name):
            return f"{name} header"
    if not envelope_from.strip("<> "):
        return "empty envelope sender (a bounce)"
    if _header(message, "Return-Path").strip() in {"<>", ""} and "Return-Path" in message:
        return "empty Return-Path (a bounce)"
    if message.get_content_type() == "multipart/report":
        return "a delivery or read report"
    for who in (envelope_from, _header(message, "From"), _header(message, "Sender")):
        local = _address(who).split("@")[0] if who else ""
        if local in _AUTOMATIC_SENDERS:
            return f"sent by {local}"
    return None


def topic_title(subject: str) -> str:
    """A subject as a topic's title: one line, without Re:/Fwd: and their kin, nor the
    invisible marks mail programs add (direction marks around Arabic, for one), which
    a title may not hold."""
    visible = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Zl", "Zp"} else ch
        for ch in subject
        if unicodedata.category(ch) != "Cf"
    )
    return _REPLY_PREFIX.sub("", " ".join(visible.split())).strip()


def parse(raw: bytes, envelope_from: str = "") -> Incoming:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    message_id = _header(message, "Message-ID").strip()
    references = tuple(re.findall(r"<[^<>\s]+>", _header(message, "References")))
    return Incoming(
        message_id=message_id if re.fullmatch(r"<[^<>\s]{1,250}>", message_id) else None,
        references=references[-10:],
        subject=" ".join(_header(message, "Subject").split())[:1000],
        has_sender=bool(_header(message, "From").strip()),
        sender=_address(_header(message, "From")),
        text=_text_of(message),
        automatic=automatic_reason(message, envelope_from),
        files=_files_of(message),
    )
