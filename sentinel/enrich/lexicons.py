"""The word and emoji valences sentiment scores with, one table per language, on VADER's scale (-4 .. +4).

Built once at import from the lists in ``data/`` (their sources and licences: ``data/lexicons/NOTICE.md``):

- **Swedish**: the Swedish VADER translation (MIT) and AFINN-sv-165 (Apache-2.0) together (the mean of the
  two where both have a word, AFINN's -5..+5 read as 0.8 x on VADER's scale), then ``sv_curation.txt``
  (translation artefacts set right: ``stor`` "great" is only "big", ``dyrt`` "dear" is "expensive"), then the
  hand-written ``sv_lexicon.txt`` and ``sv_complaints.txt`` (customer comments' own words) last, so they win.
- **Danish**: AFINN-da-32 (Apache-2.0) and the hand-written ``da_lexicon.txt``; **Norwegian** (``no``, ``nb``,
  ``nn``): the hand-written ``no_lexicon.txt`` over the Danish table (written Bokmål shares most of its
  sentiment words with Danish).
- **English**: VADER's own lexicon from the ``vaderSentiment`` wheel.
- **Emoji**, in every language: the Emoji Sentiment Ranking 1.0 (CC BY-SA 4.0; read at run time, the file
  unchanged), each emoji's score ``(positive - negative) / (occurrences + 3)`` (the +3 a uniform prior over
  the three labels, so a rare emoji stays near 0) scaled by ``EMOJI_SCALE``; the hand-written
  ``emoji_lexicon.txt`` overrides it, except where its value is a mild guess that the ranking measured the
  other way round (``merge_emoji``: 😳 and 😏 are neither negative nor positive).

The copies in ``data/lexicons/`` are byte for byte the upstream files: every choice made here is in code or in
the hand-written lists beside them, never an edit of a licensed file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

DATA = Path(__file__).parent / "data"
LICENSED = DATA / "lexicons"
AFINN_TO_VADER = 0.8  # AFINN's -5..+5 onto VADER's -4..+4
EMOJI_SCALE = 4.0  # the Emoji Sentiment Ranking's -1..+1 onto VADER's scale
EMOJI_MIN_OCCURRENCES = 5  # the ranking's own cut: fewer tweets say nothing
EMOJI_MILD = 1.5  # an own emoji value this weak is a guess the ranking's measured sign overrules


def parse_tab(text: str) -> dict[str, list[float]]:
    """``term<TAB>value[<TAB>...]`` lines -> term: every value given (lower-cased; ``#`` lines skipped)."""
    out: dict[str, list[float]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        try:
            value = float(parts[1])
        except ValueError:
            continue
        out.setdefault(parts[0].strip().lower(), []).append(value)
    return out


def _read(path: Path) -> dict[str, list[float]]:
    try:
        return parse_tab(path.read_text(encoding="utf-8"))
    except OSError:  # pragma: no cover - shipped with the package
        return {}


def _means(table: Mapping[str, list[float]], scale: float = 1.0) -> dict[str, float]:
    return {k: scale * sum(v) / len(v) for k, v in table.items() if v}


def _hand(name: str) -> dict[str, float]:
    """A hand-written list: the last value given for a term wins."""
    return {k: v[-1] for k, v in _read(DATA / name).items()}


def combine(*tables: Mapping[str, float]) -> dict[str, float]:
    """Where two or more tables have a word, the mean of their values."""
    sums: dict[str, list[float]] = {}
    for t in tables:
        for k, v in t.items():
            sums.setdefault(k, []).append(v)
    return {k: sum(v) / len(v) for k, v in sums.items()}


def overlay(base: Mapping[str, float], *tops: Mapping[str, float]) -> dict[str, float]:
    """``base`` with each of ``tops`` written over it in turn. A value of 0 stays: the word is known to carry no
    sentiment, so no ending is stripped from it to find another word ("fråga" is not "fråg")."""
    out = dict(base)
    for top in tops:
        out.update(top)
    return out


def single_words(table: Mapping[str, float]) -> dict[str, float]:
    """Scoring looks up one token at a time: multi-word terms are left to the phrase rules."""
    return {k: v for k, v in table.items() if " " not in k}


def emoji_ranking(text: str, min_occurrences: int = EMOJI_MIN_OCCURRENCES) -> dict[str, float]:
    """The Emoji Sentiment Ranking's CSV -> emoji: valence on VADER's scale."""
    out: dict[str, float] = {}
    for row in csv.DictReader(io.StringIO(text)):
        try:
            n, neg, pos = int(row["Occurrences"]), int(row["Negative"]), int(row["Positive"])
        except (KeyError, ValueError):
            continue
        if n >= min_occurrences:
            out[row["Emoji"].rstrip("\ufe0f")] = round(EMOJI_SCALE * (pos - neg) / (n + 3), 3)
    return out


def _vader_en() -> dict[str, float]:
    try:
        import vaderSentiment
    except ImportError:  # pragma: no cover - installed with sentinel
        return {}
    return _means(_read(Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"))


def merge_emoji(ranking: Mapping[str, float], own: Mapping[str, float]) -> dict[str, float]:
    """The own list over the measured ranking, except where the own value is a mild guess (at most
    ``EMOJI_MILD``) and the ranking measured the opposite sign: such an emoji (😳, 😏, 😬) is neutral."""
    out = overlay(ranking, own)
    for e, v in own.items():
        measured = ranking.get(e)
        if measured is not None and measured * v <= 0 and abs(v) <= EMOJI_MILD:
            out[e] = 0.0
    return out


def _emoji() -> dict[str, float]:
    try:
        ranking = emoji_ranking((LICENSED / "Emoji_Sentiment_Data_v1.0.csv.txt").read_text(encoding="utf-8"))
    except OSError:  # pragma: no cover - shipped with the package
        ranking = {}
    return merge_emoji(ranking, {k.rstrip("\ufe0f"): v for k, v in _hand("emoji_lexicon.txt").items()})


def _swedish() -> dict[str, float]:
    vader = _means(_read(LICENSED / "VADER-sv-vader_lexicon.txt"))
    afinn = _means(_read(LICENSED / "AFINN-sv-165.txt"), AFINN_TO_VADER)
    hand = (_hand("sv_curation.txt"), _hand("sv_lexicon.txt"), _hand("sv_complaints.txt"))
    return single_words(overlay(combine(vader, afinn), *hand))


def _danish() -> dict[str, float]:
    afinn = _means(_read(LICENSED / "AFINN-da-32.txt"), AFINN_TO_VADER)
    return single_words(overlay(afinn, _hand("da_lexicon.txt")))


def words(tables: Iterable[Mapping[str, float]]) -> frozenset[str]:
    return frozenset(k for t in tables for k in t)


SV = _swedish()
DA = _danish()
NO = single_words(overlay(DA, _hand("no_lexicon.txt")))
EN = _vader_en()
EMOJI = _emoji()
