"""What a reply by mail says, without the history it quotes or its signature.

Mail programs put the message answered below (or, rarely, above) the reply under an
attribution line ("On … wrote:", in the writer's language), an Outlook header block
("From: … Sent: …") or a separator; quote it line by line with '>'; and end with a
signature ("-- ") or a "Sent from my phone" line. The text is cut at the first of
these and '>' lines are dropped, wherever they are (answers between quotes stay).
"""

from __future__ import annotations

import re
import unicodedata

_COLON = r"\s*[:：]"
# Attribution lines, which may be wrapped over two or three lines by the sender.
_ATTRIBUTION = re.compile(
    "|".join(
        (
            r"^on\b.{4,}\bwrote" + _COLON + "$",  # English: Gmail, Thunderbird, Apple Mail
            r"^le\b.{4,}\ba\s+écrit" + _COLON + "$",  # French
            r"^el\b.{4,}\bescribió" + _COLON + "$",  # Spanish
            r"^em\b.{4,}\bescreveu" + _COLON + "$",  # Portuguese
            r"^il\b.{4,}\bha\s+scritto" + _COLON + "$",  # Italian
            r"^am\b.{4,}\bschrieb\b.*" + _COLON + "$",  # German
            r"^op\b.{4,}\bschreef\b.*" + _COLON + "$",  # Dutch
            r"^.{4,}\b(?:пишет|написал|написала|написал\(а\))" + _COLON + "$",  # Russian
            r"^(?:في|فى)\s.{4,}(?:كتب|كتابة).*" + _COLON + "$",  # Arabic ("On … wrote")
            r"^.{4,}\sكتب" + _COLON + "$",  # Arabic, the writer first
            r"^(?:在|于|於).{4,}(?:写道|寫道)" + _COLON + "$",  # Chinese
            r"^.{2,}(?:写道|寫道)" + _COLON + "$",
        )
    ),
    re.IGNORECASE,
)
# Separators Outlook and others put above the message answered, in several languages.
_SEPARATOR = re.compile(
    r"^(?:-{3,}|_{3,})\s*(?:original message|message d'origine|mensaje original|"
    r"исходное сообщение|原始邮件|原始郵件|الرسالة الأصلية|ursprüngliche nachricht|"
    r"messaggio originale|mensagem original|oorspronkelijk bericht)\s*(?:-{3,}|_{3,})?$"
    r"|^_{10,}$",
    re.IGNORECASE,
)
# An Outlook header block: a From: line, with a Sent: or Date: line just after.
_FROM = re.compile(r"^\**\s*(?:from|de|von|da|van|от|发件人|寄件者|من)\s*\**" + _COLON, re.I)
_SENT = re.compile(
    r"^\**\s*(?:sent|date|envoyé|enviado(?:\s+el)?|fecha|gesendet|datum|inviato|data|"
    r"verzonden|отправлено|дата|发送时间|時間|时间|日期|寄件日期|تاريخ الإرسال|أرسل|التاريخ)"
    r"\s*\**" + _COLON,
    re.IGNORECASE,
)
_MOBILE = re.compile(
    r"^(?:sent from my \w+|sent from (?:mail|outlook|yahoo mail|samsung)\b.*|"
    r"get outlook for \w+|envoyé de mon \w+|enviado desde mi \w+|enviado do meu \w+|"
    r"von meinem \w+ gesendet|inviato da(?:l mio)? \w+|отправлено с (?:моего )?\w+|"
    r"发自我的\w+|從我的 ?\w+ 傳送|أرسلت من (?:الـ )?\w+|مرسل من \w+)",
    re.IGNORECASE,
)
# Gmail in Russian and other languages: "пн, 1 янв. 2024 г. в 10:00, Name <a@b.c>:".
_ADDRESS_COLON = re.compile(r"^.*\d.*<[^<>@\s]+@[^<>\s]+>\s*[:：]$")
_SIGNATURE = {"-- ", "--"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _normalize(line: str) -> str:
    # Marks of direction (Arabic, Hebrew) and zero-width characters say nothing here.
    return "".join(ch for ch in line if unicodedata.category(ch) != "Cf").strip()


def _starts_history(lines: list[str], index: int) -> bool:
    line = _normalize(lines[index])
    if not line:
        return False
    if _SEPARATOR.match(line) or _MOBILE.match(line):
        return True
    joined = line
    for extra in range(3):  # an attribution wrapped over up to three lines
        if _ATTRIBUTION.match(joined):
            return True
        more = _normalize(lines[index + extra + 1]) if index + extra + 1 < len(lines) else ""
        # Only a line with a date or an address is the start of a wrapped attribution.
        if not more or not re.search(r"[\d@]", line):
            break
        joined = f"{joined} {more}"
    if _FROM.match(line):
        return any(_SENT.match(_normalize(n)) for n in lines[index + 1 : index + 5])
    if _ADDRESS_COLON.match(line):
        after = [_normalize(n) for n in lines[index + 1 : index + 4] if _normalize(n)]
        return bool(after) and after[0].startswith(">")
    return False


def _is_signature(line: str) -> bool:
    return line in _SIGNATURE or line.rstrip() in _SIGNATURE


def _kept(lines: list[str], *, below_quote: bool) -> str:
    kept: list[str] = []
    for index, line in enumerate(lines):
        if _is_signature(line):
            break
        if _starts_history(lines, index):
            if not below_quote:
                break
            # Written below the quote: only its attribution line goes.
            continue
        if _normalize(line).startswith(">"):
            continue
        kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def reply_text(text: str) -> str:
    """The words of a reply: before its quoted history and signature, without '>'
    lines, trailing spaces and surplus blank lines. A reply written below the quote
    (nothing above it) is what follows the quote."""
    lines = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    return _kept(lines, below_quote=False) or _kept(lines, below_quote=True)
