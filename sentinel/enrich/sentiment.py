"""Sentiment of a comment: ``score(text, lang) -> float`` in [-1, 1].

A lexicon scorer in the manner of VADER (Hutto & Gilbert, ICWSM 2014), made
small and fast enough for every comment (the bulk of events):

- English words use VADER's own lexicon (``vader_lexicon.txt`` ships in the
  ``vaderSentiment`` wheel: nothing is downloaded); Swedish words use
  ``data/sv_lexicon.txt``; emoji use ``data/emoji_lexicon.txt`` in any language.
- Swedish inflections are found by stripping common suffixes, compounds by
  their last part ("skitdåligt", "jättebra", "avgiftshöjningen").
- Negation (inte, ej, aldrig, ingen, inga, inget / not, never, no, n't ...)
  flips the next sentiment word within three tokens, or, as in Swedish
  verb-second clauses ("jag gillar inte"), the sentiment word just before it.
- Intensifiers (så, väldigt, mycket, otroligt, jätte-, very, so ...) and
  dampeners (lite, ganska, slightly ...) scale the next sentiment word;
  "men"/"but" weights what follows; "!" and ALL CAPS add emphasis.
- The sum ``s`` is normalised as VADER does: ``s / sqrt(s² + 15)``.

Pure function, no per-message state kept between calls (results are memoised: an LRU cache per text and per word).
"""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path

NEGATORS_SV = frozenset({"inte", "ej", "aldrig", "ingen", "inga", "inget", "icke", "knappast", "varken"})
NEGATORS_EN = frozenset(
    {
        "not",
        "no",
        "never",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "cannot",
        "without",
        "isnt",
        "dont",
        "doesnt",
        "didnt",
        "wont",
        "cant",
        "wasnt",
        "arent",
        "aint",
        "havent",
        "hasnt",
        "couldnt",
        "shouldnt",
        "wouldnt",
    }
)
BOOSTERS = {
    # Swedish
    "så": 0.293,
    "väldigt": 0.293,
    "mycket": 0.293,
    "otroligt": 0.293,
    "extremt": 0.35,
    "riktigt": 0.293,
    "verkligen": 0.293,
    "helt": 0.2,
    "himla": 0.293,
    "jävla": 0.35,
    "fruktansvärt": 0.35,
    "sjukt": 0.293,
    "totalt": 0.293,
    "oerhört": 0.35,
    "enormt": 0.35,
    "galet": 0.293,
    "rejält": 0.293,
    "supert": 0.293,
    "lite": -0.293,
    "ganska": -0.2,
    "rätt": -0.1,
    "nästan": -0.293,
    "någorlunda": -0.293,
    # English
    "very": 0.293,
    "so": 0.293,
    "really": 0.293,
    "extremely": 0.35,
    "absolutely": 0.35,
    "totally": 0.293,
    "incredibly": 0.35,
    "completely": 0.293,
    "utterly": 0.35,
    "super": 0.293,
    "too": 0.2,
    "most": 0.293,
    "fucking": 0.35,
    "damn": 0.293,
    "slightly": -0.293,
    "somewhat": -0.293,
    "barely": -0.293,
    "kinda": -0.293,
    "partly": -0.293,
    "little": -0.2,
}
BOOST_PREFIXES = ("jätte", "super", "mega", "toppen", "skit", "sjukt", "asgrymt", "ur", "över")
CONTRASTS = frozenset({"men", "but", "fast", "although", "however"})
SV_SUFFIXES = (
    "arnas",
    "ernas",
    "ornas",
    "arna",
    "erna",
    "orna",
    "heten",
    "heter",
    "ande",
    "ende",
    "aste",
    "ast",
    "are",
    "ade",
    "ats",
    "en",
    "et",
    "na",
    "ar",
    "er",
    "or",
    "ad",
    "at",
    "a",
    "t",
    "e",
    "s",
)
N_SCALAR = -0.74  # VADER: a negated word keeps 74 % of its strength, flipped
CAPS_INCR = 0.733
EXCLAIM_INCR = 0.292
ALPHA = 15.0

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2764]|!")


def _read(name: str) -> dict[str, float]:
    return _parse((Path(__file__).parent / "data" / name).read_text(encoding="utf-8"))


def _parse(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 2:
            try:
                out[parts[0].strip().lower()] = float(parts[1])
            except ValueError:
                continue
    return out


def _vader_lexicon() -> dict[str, float]:
    try:
        import vaderSentiment
    except ImportError:  # pragma: no cover - installed with sentinel
        return {}
    path = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
    try:
        return _parse(path.read_text(encoding="utf-8"))
    except OSError:  # pragma: no cover
        return {}


SV = _read("sv_lexicon.txt")
EMOJI = _read("emoji_lexicon.txt")
EN = _vader_lexicon()
# Swedish words that are also English words with another meaning stay Swedish on 'sv' pages.
_SV_COMPOUND_MIN = 7


def _lookup_sv(word: str) -> float | None:
    v = SV.get(word)
    if v is not None:
        return v
    n = len(word)
    for suf in SV_SUFFIXES:
        if n - len(suf) >= 3 and word.endswith(suf):
            v = SV.get(word[: n - len(suf)])
            if v is not None:
                return v
    if n >= _SV_COMPOUND_MIN:
        for pre in BOOST_PREFIXES:
            if word.startswith(pre) and n - len(pre) >= 3:
                v = _lookup_sv(word[len(pre) :])
                if v is not None:
                    return v + (0.3 if v > 0 else -0.3)
        # compound: the last part carries the meaning ("avgiftshöjning", "kundtjänstkaos")
        for i in range(3, n - 3):
            tail = word[i:]
            v = SV.get(tail)
            if v is None and len(tail) > 4:
                for suf in ("en", "et", "na", "ar", "er", "a", "t"):
                    if tail.endswith(suf):
                        v = SV.get(tail[: -len(suf)])
                        if v is not None:
                            break
            if v is not None and abs(v) >= 1.0:
                return v
    return None


@functools.lru_cache(maxsize=65536)
def _lookup(word: str, lang: str | None) -> float | None:
    if lang == "sv":
        return _lookup_sv(word)
    if lang is None:
        v = _lookup_sv(word)
        return v if v is not None else EN.get(word)
    return EN.get(word)


@functools.lru_cache(maxsize=8192)
def score(text: str, lang: str | None) -> float:
    """Valence of ``text`` in [-1, 1] (0 = neutral or unknown). ``lang`` is an ISO 639-1 code or None."""
    if not text:
        return 0.0
    tokens = _TOKEN.findall(text)
    if not tokens:
        return 0.0
    negators = NEGATORS_SV if lang == "sv" else NEGATORS_EN if lang is not None else NEGATORS_SV | NEGATORS_EN
    mixed_case = not text.isupper()
    back_negation = lang != "en"
    total = 0.0
    exclaims = 0
    boost = 0.0
    negate_left = 0  # tokens left in which a pending negation applies
    last_sent_idx = -10  # index into ``vals`` of the last sentiment word
    last_sent_pos = -10  # token position of the last sentiment word
    vals: list[float] = []
    contrast_at = -1
    for pos, raw in enumerate(tokens):
        if raw == "!":
            exclaims += 1
            continue
        w = raw.lower().replace("’", "'")
        if w.endswith("n't"):
            w = w[:-3] + "nt"
            negate_left = 3
            continue
        w = w.replace("'", "")
        if w in negators:
            if back_negation and 0 < pos - last_sent_pos <= 2 and last_sent_idx >= 0:
                vals[last_sent_idx] *= N_SCALAR  # "jag gillar inte", "bra är det inte"
                last_sent_idx = -10
            else:
                negate_left = 3
            continue
        if w in CONTRASTS:
            contrast_at = len(vals)
            boost = 0.0
            continue
        b = BOOSTERS.get(w)
        if b is not None:
            boost += b
            if negate_left:
                negate_left -= 1
            continue
        v = EMOJI.get(raw.rstrip("\ufe0f")) if len(raw) <= 2 else None
        if v is None:
            v = _lookup(w, lang)
        if v is None or v == 0:
            if negate_left:
                negate_left -= 1
            continue
        if boost:
            v += boost if v > 0 else -boost
            boost = 0.0
        if mixed_case and len(raw) > 2 and raw.isupper():
            v += CAPS_INCR if v > 0 else -CAPS_INCR
        if negate_left:
            v *= N_SCALAR
            negate_left = 0
        vals.append(v)
        last_sent_idx = len(vals) - 1
        last_sent_pos = pos
    if not vals:
        return 0.0
    if contrast_at >= 0:
        total = sum(v * 0.5 for v in vals[:contrast_at]) + sum(v * 1.5 for v in vals[contrast_at:])
    else:
        total = sum(vals)
    if exclaims and total:
        e = min(exclaims, 4) * EXCLAIM_INCR
        total += e if total > 0 else -e
    s = total / math.sqrt(total * total + ALPHA)
    return max(-1.0, min(1.0, s))


@functools.lru_cache(maxsize=8192)
def score_on_page(text: str, lang: str | None) -> float:
    """``score`` in the page's language ``lang``; a text that scores 0 there (English on a Swedish page) is
    scored with both lexicons. Memoised as one answer: a neutral text, the most common, is looked up once."""
    value = score(text, lang)
    if value == 0.0 and lang is not None:
        value = score(text, None)
    return value
