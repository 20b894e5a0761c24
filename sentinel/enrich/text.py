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
    lang = _scandinavian(plain, _langid().rank(plain))
    return LANGUAGE_ALIASES.get(lang, lang)


# Swedish, Danish and Norwegian are told apart by their letters before their words: Swedish writes "ä" and "ö" where
# Danish and Norwegian write "æ" and "ø" ("Öppettider i påsk" cannot be Norwegian, "Åbningstider i påsken" cannot be
# Swedish). Without those letters a short text's few words prove little between them ("Paketet kom aldrig fram" is
# Swedish and reads as Norwegian): unless one of the two leads the other by ``KIN_ODDS`` (in natural log-odds, 20 to
# 1) the text's language is not told (""), as for a text too short to tell at all.
_SWEDISH_ONLY = re.compile("[äöÄÖ]")
_DANISH_NORWEGIAN_ONLY = re.compile("[æøÆØ]")
_SCANDINAVIAN = {"sv": "sv", "da": "da", "no": "da", "nn": "da", "nb": "da"}  # Danish and Norwegian read alike here
KIN_ODDS = 3.0


def _scandinavian(plain: str, ranked: list[tuple[str, float]]) -> str:
    """The language of ``plain`` from the classifier's ``ranked`` (best first, with log-probabilities), with Swedish
    told from Danish and Norwegian as above."""
    best = str(ranked[0][0])
    if best not in _SCANDINAVIAN:
        return best
    swedish, danish = bool(_SWEDISH_ONLY.search(plain)), bool(_DANISH_NORWEGIAN_ONLY.search(plain))
    if swedish != danish:  # the letters decide: drop the languages that cannot have written them
        cannot = "da" if swedish else "sv"
        return next((str(k) for k, _ in ranked if _SCANDINAVIAN.get(str(k)) != cannot), best)
    first = _SCANDINAVIAN[best]
    other = next((v for k, v in ranked if _SCANDINAVIAN.get(str(k), first) != first), None)
    return best if other is None or ranked[0][1] - other >= KIN_ODDS else ""


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
