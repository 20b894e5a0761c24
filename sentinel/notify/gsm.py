"""SMS text that fits one segment: 160 GSM-7 characters.

Swedish å, ä, ö (and Å, Ä, Ö, é, ü ...) are in the GSM-7 basic set; any
other character would switch the whole SMS to UCS-2 (70 characters), so it
is replaced: accents are stripped, typographic quotes and dashes become
ASCII, the rest becomes ``?``. Characters of the GSM-7 extension table
(``€ [ ] { } \\ ^ ~ |``) cost two and are replaced too, so that one
character is one septet and ``len(text) <= 160`` is exact.
"""

from __future__ import annotations

import re
import unicodedata

SEGMENT = 160

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)

_REPLACE = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\t": " ",
    "€": "EUR",
    "[": "(",
    "]": ")",
    "{": "(",
    "}": ")",
    "\\": "/",
    "^": "",
    "~": "-",
    "|": "/",
    "\u2022": "*",
    "`": "'",
}


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC for c in text)


def sanitize(text: str) -> str:
    """``text`` in GSM-7 basic characters only; whitespace runs collapsed to one space."""
    out: list[str] = []
    for c in text:
        if c in GSM7_BASIC:
            out.append(c)
            continue
        if c in _REPLACE:
            out.append(_REPLACE[c])
            continue
        base = "".join(ch for ch in unicodedata.normalize("NFKD", c) if not unicodedata.combining(ch))
        out.append(base if base and all(ch in GSM7_BASIC for ch in base) else "?")
    return re.sub(r"\s+", " ", "".join(out)).strip()


def fit(head: str, tail: str, limit: int = SEGMENT) -> str:
    """``head`` cut (with ``...``) so that ``head + " " + tail`` fits ``limit``; ``tail`` is never cut."""
    head, tail = sanitize(head), sanitize(tail)
    room = limit - len(tail) - 1 if tail else limit
    if room <= 3:
        return tail[:limit]
    if len(head) > room:
        head = head[: room - 3].rstrip() + "..."
    return f"{head} {tail}".strip() if head else tail


def reply_code(incident: str) -> str:
    """The number in an incident id (``inc-000012`` → ``12``), used in reply codes ``12a``/``12c``."""
    m = re.search(r"(\d+)\D*$", incident)
    if m:
        return str(int(m.group(1)))
    return re.sub(r"[^A-Za-z0-9]", "", incident)[:8] or "0"
