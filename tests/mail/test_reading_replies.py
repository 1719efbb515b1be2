"""Reading replies as mail programs send them: tests/mail/corpus holds real-looking
messages (Gmail, Outlook, Thunderbird, Apple Mail, Foxmail; HTML only; English,
French, Spanish, Russian, Arabic, Chinese; UTF-8, ISO-8859-1, windows-1251,
windows-1252, gb2312, gbk; quoted-printable, base64, 8bit, format=flowed), each
beside the text a participant meant to post."""

from __future__ import annotations

from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from forum_server.mail import reply_tokens
from forum_server.mail.incoming import parse, topic_title
from forum_server.mail.quoting import reply_text
from forum_server.mail.reply_tokens import ReplyTarget, ReplyToken, new_token
from tests.helpers import make_settings

CORPUS = Path(__file__).parent / "corpus"
MESSAGES = sorted(p.stem for p in CORPUS.glob("*.eml"))
UNUSED_DB = "sqlite+aiosqlite:///unused.db"


def test_the_corpus_covers_the_programs_languages_and_charsets() -> None:
    assert len(MESSAGES) >= 18
    raw = b"".join((CORPUS / f"{name}.eml").read_bytes().lower() for name in MESSAGES)
    for charset in (b"utf-8", b"iso-8859-1", b"windows-1251", b"gb2312", b"gbk", b"windows-1252"):
        assert b'charset="' + charset + b'"' in raw, charset
    for encoding in (b"quoted-printable", b"base64", b"8bit", b'format="flowed"'):
        assert encoding in raw, encoding
    for program in ("gmail", "outlook", "thunderbird", "html_only", "iphone", "foxmail"):
        assert any(name.startswith(program) for name in MESSAGES), program


@pytest.mark.parametrize("name", MESSAGES)
def test_the_reply_is_read_without_quotes_or_signature(name: str) -> None:
    incoming = parse((CORPUS / f"{name}.eml").read_bytes(), "sender@example.org")
    expected = (CORPUS / f"{name}.txt").read_text(encoding="utf-8").rstrip("\n")
    assert reply_text(incoming.text) == expected
    assert incoming.automatic is None
    assert incoming.message_id is not None and incoming.message_id.startswith("<")
    assert incoming.references[-1] == "<post-481.u27@forum.example.org>"
    assert "=?" not in incoming.subject  # encoded words decoded, whatever the charset


def _message(body: str = "Hello", **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = headers.pop("From", "Someone <someone@example.org>")
    message["To"] = "reply+x@forum.example.org"
    message["Subject"] = "Re: a question"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return bytes(message)


@pytest.mark.parametrize(
    ("headers", "envelope_from", "automatic"),
    [
        ({}, "someone@example.org", False),
        ({"Auto_Submitted": "no"}, "someone@example.org", False),
        ({"Auto_Submitted": "auto-replied"}, "someone@example.org", True),
        ({"Auto_Submitted": "auto-generated; owner-email=x@example.org"}, "x@example.org", True),
        ({"Precedence": "bulk"}, "someone@example.org", True),
        ({"Precedence": "junk"}, "someone@example.org", True),
        ({"Precedence": "list"}, "someone@example.org", True),
        ({"List_Id": "<list.example.org>"}, "someone@example.org", True),
        ({"X_Autoreply": "yes"}, "someone@example.org", True),
        ({}, "<>", True),  # a bounce: MAIL FROM:<>
        ({}, "", True),
        ({"Return_Path": "<>"}, "someone@example.org", True),
        ({"From": "Mail Delivery System <MAILER-DAEMON@mx.example.org>"}, "x@example.org", True),
        ({"From": "postmaster@example.org"}, "x@example.org", True),
        ({}, "postmaster@example.org", True),
    ],
)
def test_mail_from_programs_is_recognized(
    headers: dict[str, str], envelope_from: str, automatic: bool
) -> None:
    assert (parse(_message(**headers), envelope_from).automatic is not None) is automatic


def test_a_delivery_report_is_a_bounce() -> None:
    report = (
        b"From: MAILER-DAEMON@mx.example.org\r\nTo: reply+x@forum.example.org\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you...\r\n"
        b"--b\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--b--\r\n"
    )
    assert parse(report, "someone@example.org").automatic is not None


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\x01\x02 not a message at all \xff\xfe",
        b"Subject: =?utf-8?b?!!!?=\r\nContent-Type: text/plain; charset=no-such-charset\r\n"
        b"\r\n\xe9t\xe9",
        b'Content-Type: multipart/alternative; boundary="never"\r\n\r\nno parts here',
        b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@not base64@@@",
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=E9=\r\n",
        b"From: <<<@@@>>>\r\nMessage-ID: <<<>>>\r\nReferences: <a> <b\r\n\r\nbody",
        b"Content-Type: text/html\r\n\r\n" + b"<div>" * 5000 + b"deep" + b"</div>" * 10,
        b"Content-Type: text/html\r\n\r\n<scr<script>ipt>alert(1)</script><p onclick=x>hi</p><!--",
    ],
)
def test_hostile_or_broken_mail_is_read_without_raising(raw: bytes) -> None:
    incoming = parse(raw, "someone@example.org")
    assert "<script" not in reply_text(incoming.text).lower()


def test_html_never_passes_through() -> None:
    raw = (
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<p>Keep <b>this</b> &lt;b&gt;literal&lt;/b&gt;</p><script>steal()</script>"
        b'<style>p{}</style><img src="https://tracker.example/x.gif" alt="">'
        b'<a href="javascript:alert(1)">link</a>'
    )
    text = reply_text(parse(raw).text)
    assert text == "Keep this <b>literal</b>\nlink"  # text; Markdown escapes it as on the web


def test_an_undeclared_charset_is_guessed_not_refused() -> None:
    raw = b"Content-Type: text/plain\r\n\r\nCaf\xe9 cr\xe8me"  # Latin-1 bytes, no charset
    assert parse(raw).text.strip() == "Café crème"


@pytest.mark.parametrize(
    ("subject", "title"),
    [
        ("Training needs in the Pacific", "Training needs in the Pacific"),
        ("Re: Fwd:  Training\tneeds", "Training needs"),
        ("回复：培训需求", "培训需求"),
        ("\u200fاحتياجات التدريب\u200f", "احتياجات التدريب"),
        ("   ", ""),
    ],
)
def test_a_subject_becomes_a_topic_title(subject: str, title: str) -> None:
    assert topic_title(subject) == title


def test_a_reply_address_survives_lower_casing_and_refuses_forgeries(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path, "sqlite+aiosqlite:///unused.db", mail_domain="Forum.Example.org"
    )
    token = new_token(27, ReplyTarget("post", 481, 3), date(2025, 1, 6))
    address = reply_tokens.address(settings, token)
    local = address.split("@")[0]
    assert len(local) <= 64 and local == local.lower()  # fits any mail system
    assert reply_tokens.token_of(settings, address) == token
    assert reply_tokens.token_of(settings, address.upper()) == token
    assert reply_tokens.token_of(settings, f"<{address}>") == token
    assert (
        reply_tokens.token_of(settings, address.replace("forum.example.org", "other.org")) is None
    )
    assert reply_tokens.token_of(settings, "forum@forum.example.org") is None
    flipped = local[:-1] + ("a" if local[-1] != "a" else "b")
    assert reply_tokens.token_of(settings, f"{flipped}@forum.example.org") is None
    other_site = make_settings(
        tmp_path,
        "sqlite+aiosqlite:///unused.db",
        secret_key="another-secret-key-of-32-characters!!",
    )
    assert reply_tokens.decode(other_site.secret_key, local.removeprefix("reply+")) is None


def test_a_reply_address_expires_after_a_year() -> None:
    token = ReplyToken("thread", 1, 2, date(2025, 1, 6), 0)
    assert not token.expired(date(2025, 1, 6) + timedelta(days=365))
    assert token.expired(date(2025, 1, 6) + timedelta(days=366))
