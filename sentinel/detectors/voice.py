"""How like the page's own voice a text is: character n-gram TF-IDF cosine to the page's recent posts.

After COMPA's message similarity (Egele et al., NDSS 2013), which compares a new message with the account's
earlier ones. Here a text is the bag of the character 3-grams of its words (lower-cased, links removed,
digits folded to ``0``, each word padded with spaces so that its start and end count): robust to Swedish and
Danish inflection, and unlike across languages. Weights are TF-IDF over the page's remembered posts (so
the words every post of the page uses, "butik", "välkommen", count less than its topical ones), and the
similarity of a text is the mean cosine to its ``k`` nearest remembered posts: a new topic written in the
page's words keeps some similarity, a crypto pitch in English keeps next to none.

Pure functions over plain values; the memory (a bounded list of texts) lives in the profile's state.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Sequence

_URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d+")
N = 3
MAX_CHARS = 400  # what of a text is remembered and compared


def strip_links(text: str) -> str:
    return _URL.sub(" ", text)


@functools.lru_cache(maxsize=8192)
def grams(text: str) -> Counter[str]:
    """The character 3-grams of ``text``'s words (links removed, digits as ``0``). Memoised: every comparison
    reads the page's remembered posts again (callers must not change the result)."""
    plain = _DIGITS.sub("0", strip_links(text[:MAX_CHARS]).lower())
    out: Counter[str] = Counter()
    for w in _WORD.findall(plain):
        padded = f" {w} "
        for i in range(len(padded) - N + 1):
            out[padded[i : i + N]] += 1
    return out


def _vector(counts: Counter[str], idf: dict[str, float], unseen: float) -> dict[str, float]:
    v = {g: (1.0 + math.log(c)) * idf.get(g, unseen) for g, c in counts.items()}
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {g: x / norm for g, x in v.items()}


def similarity(text: str, memory: Sequence[str], k: int = 3) -> float | None:
    """Mean cosine of ``text`` to its ``k`` most similar texts in ``memory`` (0..1); None without words or memory."""
    mine = grams(text)
    if not mine or not memory:
        return None
    bags = [grams(m) for m in memory]
    df: Counter[str] = Counter()
    for b in bags:
        df.update(b.keys())
    n = len(bags)
    idf = {g: math.log((1 + n) / (1 + c)) + 1.0 for g, c in df.items()}
    unseen = math.log(1 + n) + 1.0
    q = _vector(mine, idf, unseen)
    sims = []
    for b in bags:
        if not b:
            continue
        v = _vector(b, idf, unseen)
        sims.append(sum(x * v[g] for g, x in q.items() if g in v))
    if not sims:
        return None
    sims.sort(reverse=True)
    top = sims[:k]
    return sum(top) / len(top)
