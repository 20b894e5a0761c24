"""Text features: language, question or not, link domains. Offline, no I/O after import."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from sentinel.config.types import LANGUAGE_ALIASES

_URL = re.compile(r"https?://[^\s<>\"')]+", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
# zero-width space, non-joiner, joiner, direction marks and embeddings, word joiner and invisible operators, BOM,
# soft hyphen, Mongolian vowel separator (an emoji's joined sequence falls apart into its emoji: each still counts)
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# An @handle names someone; not the @ of an e-mail address. Its words are no words of the text's own.
HANDLE = re.compile(r"(?<![\w.@])@\w+")
MIN_LETTERS_FOR_LANGUAGE = 15
# What reads a text's words (its language, sentiment, whether it asks for an answer) reads this many characters
# from its start: a Facebook comment holds at most 8,000, and a longer post says what it is about at its start.
# Reading all of a 9 MB message took 9 s of the event loop; its links are still all found (``urls_in``).
READ_CHARS = 20_000


def reading(text: str) -> str:
    """What is read of a text's words: its first ``READ_CHARS`` characters, without the invisible characters that
    split a word for a filter but not for a reader ("bit\u200bcoin": zero-width spaces and joiners, soft hyphens,
    direction marks), in Unicode's compatibility form (NFKC), so that letters dressed up as others read as
    themselves: "𝐅𝐑𝐄𝐄 𝐁𝐈𝐓𝐂𝐎𝐈𝐍" (mathematical bold, what scam posts use to slip past word filters) and "ＦＲＥＥ" (full
    width) are "FREE BITCOIN" and "FREE"."""
    head = text[:READ_CHARS]
    if head.isascii():
        return head
    head = _INVISIBLE.sub("", head)
    return head if unicodedata.is_normalized("NFKC", head) else unicodedata.normalize("NFKC", head)


def strip_urls(text: str) -> str:
    return _URL.sub(" ", text)


@functools.lru_cache(maxsize=4096)
def language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language, or ``""`` when the text is too short to tell (memoised). Bokmål and
    Nynorsk are both ``no``, as a page's ``language: nb`` is (``sentinel.config.types.language_code``)."""
    plain = strip_urls(text)
    if len(_LETTERS.findall(plain)) < MIN_LETTERS_FOR_LANGUAGE:
        return ""
    lang, _ = _langid().classify(plain)
    return LANGUAGE_ALIASES.get(str(lang), str(lang))


def is_question(text: str) -> bool:
    """A customer's question: a '?' outside links (also the full-width and Spanish forms)."""
    if "?" not in text and "？" not in text and "¿" not in text:
        return False  # most comments: no need to strip links first
    plain = strip_urls(text)
    return "?" in plain or "？" in plain or "¿" in plain


MAX_HOST = 253  # characters of a DNS name (RFC 1035), its final dot left out


def urls_in(text: str) -> list[str]:
    return _URL.findall(text)


def domain_of(url: str) -> str | None:
    """The registered domain of ``url`` (``www.shop.example.co.uk`` -> ``example.co.uk``); None for a host longer
    than a DNS name can be (``MAX_HOST``): it names no site, and the profiles remember the domains they see."""
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host or len(host) > MAX_HOST:
        return None
    host = host.rstrip(".").lower()
    return _psl().privatesuffix(host) or host


def domains(urls: Iterable[str]) -> list[str]:
    """The registered domains of ``urls``, in order, once each."""
    return list(dict.fromkeys(d for u in urls if (d := domain_of(u))))


@functools.cache
def _langid() -> Any:
    import py3langid

    return py3langid


@functools.cache
def _psl() -> Any:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()
