"""Scam, giveaway and crypto pitches in a post's words: a curated pattern list (``data/pitch.txt``).

A *category* (crypto, account-threat, prize-claim, send-money, too-good, engagement-bait, urgency, giveaway)
has a weight and regular expressions written in Swedish, English, Danish and Norwegian. A text has a
category when any of its patterns matches (all languages are tried: a hijacker often writes English on a
Swedish page). The pitch of a text is ``1 - prod(1 - weight)`` over the categories it has: a shop's own
contest ("giveaway", 0.15) or sale that ends ("urgency", 0.3) stays small, while "your comment won, claim
your prize within 24 hours" (prize-claim + urgency + giveaway) or any crypto pitch is large. A category with a
negative weight damps instead ("warns": a bank telling its customers "we never ask for your card details" uses
a scam's words): the pitch keeps ``1 + weight`` of itself.

Loaded once at import; no I/O after that.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from sentinel.detectors.voice import strip_links

DATA = Path(__file__).parent / "data" / "pitch.txt"
LANGS = ("sv", "en", "da", "no")


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    weight: float
    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # (language, pattern)
    any: re.Pattern[str] | None = None  # all of them as one alternation: one search a text, not one a pattern

    @classmethod
    def of(cls, name: str, weight: float, patterns: tuple[tuple[str, re.Pattern[str]], ...]) -> Category:
        joined = "|".join(f"(?:{p.pattern})" for _, p in patterns)
        return cls(name, weight, patterns, re.compile(joined, re.IGNORECASE) if patterns else None)


@dataclass(frozen=True, slots=True)
class Pitch:
    score: float  # 0..1
    categories: tuple[str, ...]  # the categories found, heaviest first


def parse(text: str, where: str = "pitch.txt") -> tuple[Category, ...]:
    """The categories of a pitch file; ``ValueError`` names the line of a mistake."""
    out: list[Category] = []
    name, weight, pats = "", 0.0, list[tuple[str, re.Pattern[str]]]()
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            if name:
                out.append(Category.of(name, weight, tuple(pats)))
            parts = line.strip("[]").split()
            if len(parts) != 2:
                raise ValueError(f"{where}:{n}: a category is '[name weight]', got {line!r}")
            name, weight, pats = parts[0], float(parts[1]), []
            if not (0.0 < weight <= 1.0 or -1.0 < weight < 0.0):
                raise ValueError(f"{where}:{n}: weight must be in (0, 1], or in (-1, 0) to damp, got {weight}")
            continue
        lang, sep, pattern = line.partition(":")
        if not sep or lang not in LANGS or not name:
            raise ValueError(f"{where}:{n}: expected '<{'|'.join(LANGS)}>: <regex>' inside a category")
        try:
            pats.append((lang, re.compile(pattern.strip(), re.IGNORECASE)))
        except re.error as e:
            raise ValueError(f"{where}:{n}: {e}") from None
    if name:
        out.append(Category.of(name, weight, tuple(pats)))
    return tuple(out)


CATEGORIES = parse(DATA.read_text(encoding="utf-8"), str(DATA.name))


def pitch(text: str, categories: tuple[Category, ...] = CATEGORIES) -> Pitch:
    """How much ``text`` reads as a scam, giveaway or crypto pitch (0: not at all). With the shipped list, memoised:
    a page's canned replies come again and again, and every one of the page's posts, comments and messages is read."""
    if categories is CATEGORIES:
        return _shipped(text)
    return _pitch(text, categories)


@functools.lru_cache(maxsize=4096)
def _shipped(text: str) -> Pitch:
    return _pitch(text, CATEGORIES)


def without(pt: Pitch, names: frozenset[str] | set[str], categories: tuple[Category, ...] = CATEGORIES) -> Pitch:
    """``pt`` with the categories ``names`` taken out (a page's own habits), scored again as ``pitch`` scores."""
    if not names or not any(c in names for c in pt.categories):
        return pt
    by_name = {c.name: c for c in categories}
    return _score([by_name[n] for n in pt.categories if n not in names and n in by_name])


def _pitch(text: str, categories: tuple[Category, ...]) -> Pitch:
    plain = strip_links(text)
    if not plain.strip():
        return Pitch(0.0, ())
    return _score([c for c in categories if c.any is not None and c.any.search(plain)])


def _score(found: list[Category]) -> Pitch:
    keep, damp = 1.0, 1.0
    for c in found:
        if c.weight > 0:
            keep *= 1.0 - c.weight
        else:
            damp *= 1.0 + c.weight
    found.sort(key=lambda c: -c.weight)
    return Pitch(round((1.0 - keep) * damp, 3), tuple(c.name for c in found))
