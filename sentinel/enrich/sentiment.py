"""Sentiment of a comment: ``score(text, lang) -> float`` in [-1, 1].

A lexicon scorer in the manner of VADER (Hutto & Gilbert, ICWSM 2014), small and fast enough for every
comment (the bulk of events). What it knows, and how well it does, is in ``docs/negativity.md``.

- **Words**: one table per language (``lexicons.py``): Swedish, Danish, Norwegian, English; any other
  language is read with the English table. Swedish, Danish and Norwegian inflections are found by stripping
  common endings (and an adjective's doubled consonant: "grymma"), compounds by their last known part
  ("skitdåligt", "avgiftshöjningen", "lorteservice").
- **Phrases** (``phrases.py``): churn threats, repeated contact, waiting, things that do not work, sarcastic
  thanks ("säger upp", "ringt tre gånger", "tack för ingenting") count as one item each.
- **Complaints told as facts** (``complaints.py``): a service that fails or keeps one waiting ("my order never
  arrived", "the site is down", "on hold for three hours", "funker ikke"), one item each where no phrase is; not
  in a question that does not ask why, not when negated, not what is only pending ("hasn't arrived yet").
- **Signals that need no language**: emoji (the Emoji Sentiment Ranking, in every language) and emoticons;
  an eye-roll or unamused face turns the text's praise into its opposite ("Toppen service 🙄"); laughter
  beside a complaint is mockery and counts nothing; positive emoji with no word beside them count only when
  they add up to a thumbs-up per six words of text (``EMOJI_ONLY_POS``) and the text is not a question: a lone
  "😉", "Kommer ni i morgon? 😊" are neutral. Reactions: ``reaction_score``.
- **Negation** (inte, aldrig, ikke, not, n't ...) flips the next sentiment word within three tokens or, as in
  Scandinavian verb-second clauses ("jag gillar inte"), the sentiment word just before it; never an emoji.
- **Intensifiers** (så, väldigt, jätte-, meget, kjempe-, very ...) and dampeners (lite, lidt, litt, slightly)
  scale the next sentiment word, or, as the text's last word, count as one ("Det var fruktansvärt!"); a curse
  before a degree word is one too ("fan vad bra"); "men"/"but" weights what follows; "!" and ALL CAPS add
  emphasis.
- The sum ``s`` is normalised as VADER does: ``s / sqrt(s² + 15)``. In Swedish, a positive score below
  ``PRAISE_FLOOR_SV`` (one mild word alone: "tack", "bra") is neutral; negative scores are never floored.

Pure function, no per-message state kept between calls (results are memoised: an LRU cache per text and per
word).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from sentinel.enrich import mourning, phrases
from sentinel.enrich.asks import info_questions
from sentinel.enrich.complaints import merged as with_constructions
from sentinel.enrich.lexicons import DA, EMOJI, EN, NO, SV
from sentinel.enrich.text import HANDLE, language

N_SCALAR = -0.74  # VADER: a negated word keeps 74 % of its strength, flipped
CAPS_INCR = 0.733
EXCLAIM_INCR = 0.292
ALPHA = 15.0
# A phrase this strong is meant even in a question about one's own matter: leaving ("Hur säger jag upp mitt
# konto?" in a storm is a churn wave), exasperation, insults. Words of damage or trouble are the question's topic.
FEELING_IN_QUESTION = -2.5
SARCASM_SCALAR = -0.5  # praise beside an eye-roll: half its strength, turned
# Laughter beside complaints is mockery, not joy ("Vilken service 😂😂"): it then counts nothing.
LAUGHTER = frozenset({"😂", "🤣", "😆", "😹", "haha", "hahaha", "hahahaha", "lol", "xd", "lmao"})
SARCASM_MARKERS = frozenset({"🙄", "😒", "😑", "🤦"})

# Swedish: a positive score below 0.45 (one mild word alone: "tack", "ok", "bra") is neutral. VADER's own band
# (+-0.05) was set for English with a lexicon rated by people; the Swedish tables are translations whose values
# were carried over, and everyday Swedish politeness reads as praise in them. Chosen on the develop half of
# ../shared/sentiment-dev (docs/negativity.md); negatives keep VADER's band, so the crisis rules' -0.25 is untouched.
PRAISE_FLOOR_SV = 0.45

_UP, _MORE, _DOWN = 0.293, 0.35, -0.293
BOOSTERS_SV = {
    **dict.fromkeys(("så", "väldigt", "mycket", "otroligt", "riktigt", "verkligen", "himla"), _UP),
    **dict.fromkeys(("totalt", "galet", "rejält", "supert"), _UP),
    **dict.fromkeys(("extremt", "jävla", "fruktansvärt", "oerhört", "enormt", "förbannat", "sjukt"), _MORE),
    "helt": 0.2,
    **dict.fromkeys(("lite", "nästan", "någorlunda"), _DOWN),
    "ganska": -0.2,
    "rätt": -0.1,
}
BOOSTERS_DA = {
    **dict.fromkeys(("meget", "virkelig", "utrolig", "utroligt", "vildt", "total", "totalt", "så", "super"), _UP),
    "kæmpe": _UP,
    **dict.fromkeys(("ekstremt", "sindssygt", "pisse", "fandens", "møg"), _MORE),
    "helt": 0.2,
    **dict.fromkeys(("lidt", "næsten", "nogenlunde"), _DOWN),
    "ret": -0.1,
}
BOOSTERS_NO = {
    **dict.fromkeys(("veldig", "virkelig", "utrolig", "så", "totalt", "skikkelig", "sykt", "kjempe"), _UP),
    **dict.fromkeys(("ekstremt", "jævlig", "forbanna", "fryktelig"), _MORE),
    "helt": 0.2,
    **dict.fromkeys(("litt", "nesten", "noenlunde"), _DOWN),
}
BOOSTERS_EN = {
    **dict.fromkeys(("very", "so", "really", "totally", "completely", "super", "most"), _UP),
    **dict.fromkeys(("extremely", "absolutely", "incredibly", "utterly", "fucking"), _MORE),
    "damn": _UP,
    "too": 0.2,
    **dict.fromkeys(("slightly", "somewhat", "barely", "kinda", "partly"), _DOWN),
    "little": -0.2,
}
CURSES_SV = frozenset({"fan", "fasen", "jävlar", "satan", "tusan", "attans"})
NEGATORS_SV = frozenset({"inte", "ej", "aldrig", "ingen", "inga", "inget", "icke", "knappast", "varken"})
NEGATORS_DA = frozenset({"ikke", "ej", "aldrig", "ingen", "intet", "ingenting", "hverken", "næppe"})
NEGATORS_NO = frozenset({"ikke", "ikkje", "ei", "aldri", "ingen", "intet", "ingenting", "verken", "neppe"})
NEGATORS_EN = frozenset(
    {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "cannot", "without"}
    | {"isnt", "dont", "doesnt", "didnt", "wont", "cant", "wasnt", "arent", "aint", "havent", "hasnt"}
    | {"couldnt", "shouldnt", "wouldnt"}
)
SV_SUFFIXES: tuple[str, ...] = (
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
)
SV_SUFFIXES += ("are", "ade", "ats", "en", "et", "na", "ar", "er", "or", "ad", "at", "a", "t", "e", "s")
DA_SUFFIXES = ("erne", "ene", "ede", "ende", "este", "est", "ere", "en", "et", "er", "ne", "e", "t", "s")
NO_SUFFIXES = ("ene", "ende", "este", "est", "ere", "en", "et", "er", "ne", "a", "e", "t", "s")
HEAD_SUFFIXES = ("en", "et", "na", "ne", "ar", "er", "a", "t", "e")


@dataclass(frozen=True, slots=True)
class Language:
    """How one language is read: its words, negators, intensifiers and word formation."""

    words: Mapping[str, float]
    negators: frozenset[str]
    boosters: Mapping[str, float]
    suffixes: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()  # intensifying first parts of compounds ("jätte-", "kæmpe-")
    pejoratives: tuple[str, ...] = ()  # first parts that make any noun bad ("skitbank", "lorteservice")
    back_negation: bool = True  # "jag gillar inte": the negator follows the word
    curses: frozenset[str] = frozenset()  # before a degree word a curse intensifies: "fan vad bra"
    degree_words: frozenset[str] = frozenset()
    praise_floor: float = 0.0  # a positive score below this is politeness, not praise: neutral (``PRAISE_FLOOR_SV``)


SWEDISH = Language(
    SV,
    NEGATORS_SV,
    BOOSTERS_SV,
    SV_SUFFIXES,
    ("jätte", "super", "mega", "toppen", "skit", "as", "ur"),
    ("skit",),
    curses=CURSES_SV,
    degree_words=frozenset({"vad", "va", "så", "vilken", "vilket", "vilka"}),
    praise_floor=PRAISE_FLOOR_SV,
)
DANISH = Language(
    DA, NEGATORS_DA, BOOSTERS_DA, DA_SUFFIXES, ("kæmpe", "super", "mega", "møg", "lorte", "pisse"), ("lorte", "møg")
)
NORWEGIAN = Language(
    NO,
    NEGATORS_NO,
    BOOSTERS_NO,
    NO_SUFFIXES,
    ("kjempe", "super", "mega", "drit", "rå"),
    ("drit", "møkk"),
    curses=frozenset({"faen", "helvete"}),
    degree_words=frozenset({"så", "som", "hvor"}),
)
ENGLISH = Language(EN, NEGATORS_EN, BOOSTERS_EN, back_negation=False)
BOTH = Language(  # language unknown: Swedish words (endings stripped), then English ones as written
    SV,
    NEGATORS_SV | NEGATORS_EN,
    {**BOOSTERS_EN, **BOOSTERS_SV},
    SV_SUFFIXES,
    SWEDISH.prefixes,
    SWEDISH.pejoratives,
)
LANGUAGES: Mapping[str, Language] = {"sv": SWEDISH, "da": DANISH, "no": NORWEGIAN, "nb": NORWEGIAN, "nn": NORWEGIAN}
CONTRASTS = frozenset({"men", "but", "fast", "although", "however", "mens"})
# Negators that stand before what they negate ("ingen kan hjälpa", "inga problem"), never after it: they do not
# turn the word before them around as "inte" does in "jag gillar inte".
FORWARD_NEGATORS = frozenset({"ingen", "inga", "inget", "ingenting", "intet", "varken", "hverken", "verken"})
# Between a word and a "inte" after it, these end the clause: "spärrat, och inte ..." negates nothing before it.
_CLAUSE_BREAK = re.compile(r"[,.;:?!]|\b(?:och|eller|samt|men|fast|og|mens|and|or|but)\b")
EMOJI_ONLY_POS = 2.0  # an emoji alone milder than a thumbs-up (😉, 😂, 🙏) is not an opinion: neutral
EMOJI_ONLY_WORDS = 6  # ... one thumbs-up's worth per six words: in a long text an emoji is the tone, not the point
TRAILING_MIN = 1.5  # an intensifier at the end counts as a word if it is clearly one ("fruktansvärt", not "sjukt")
PEJORATIVE = -2.0  # "skit-" on a word of no sentiment of its own
_ADJ_ENDINGS = frozenset({"a", "e", "are", "ast", "aste", "ere", "est", "este"})  # not a noun's "hatten" (hat)
_COMPOUND_MIN = 7  # shorter words are not split
_HEAD_MIN = 4  # the known last part of a compound has at least this many letters
# A longer token is looked up only as written: no word people write is this long, and taking a long run of letters
# ("jättejätte..." a thousand times) apart as a compound costs time with its square and recursion with its length.
_WORD_MAX = 40

_EMOJI_CLASS = "\U0001f000-\U0001faff\u2600-\u27bf\u2b50\u2b06\u2194-\u21aa\u2764"
_TOKEN = re.compile(rf"[^\W\d_][\w'’-]*|[{_EMOJI_CLASS}]|!|<3|(?<!\w)[:;=][-'o^]?[()\[\]dDpP/\\|@3cCoO{{}}*](?!\w)")


def language_of(lang: str | None) -> Language:
    """The reading of ``lang`` (ISO 639-1); English for a language without its own table, Swedish and English
    together when the language is unknown."""
    if lang is None:
        return BOTH
    return LANGUAGES.get(lang, ENGLISH)


def _inflected(lx: Language, word: str) -> float | None:
    n = len(word)
    for suf in lx.suffixes:
        if n - len(suf) >= 3 and word.endswith(suf):
            stem = word[: n - len(suf)]
            v = lx.words.get(stem)
            if v is None and suf in _ADJ_ENDINGS and stem[-1] == stem[-2] and stem[-1] not in "aeiouyåäöæø":
                v = lx.words.get(stem[:-1])  # an adjective's doubled consonant: "grymma" is "grym", "dumme" "dum"
            if v is not None:
                return v
    return None


def _compound(lx: Language, word: str) -> float | None:
    """A compound's valence: an intensifying first part strengthens the rest, else the longest known last part
    ("avgiftshöjningen" -> "höjning") of at least ``_HEAD_MIN`` letters carries the meaning."""
    n = len(word)
    for pre in lx.prefixes:
        if word.startswith(pre) and n - len(pre) >= 3:
            v = _find(lx, word[len(pre) :])
            if v is not None:
                return v + (0.3 if v > 0 else -0.3) if v else 0.0  # "jättepris": no feeling to strengthen
    for pre in lx.pejoratives:
        if word.startswith(pre) and n - len(pre) >= 3:
            return PEJORATIVE
    for i in range(3, n - _HEAD_MIN + 1):
        tail = word[i:]
        v = lx.words.get(tail)
        if v is None and len(tail) > _HEAD_MIN + 1:
            for suf in HEAD_SUFFIXES:
                if tail.endswith(suf):
                    v = lx.words.get(tail[: -len(suf)])
                    if v is not None:
                        break
        if v is not None:
            return v if abs(v) >= 1.0 else None  # the longest known last part decides
    return None


def _find(lx: Language, word: str) -> float | None:
    v = lx.words.get(word)
    if v is None and lx.suffixes and len(word) <= _WORD_MAX:
        v = _inflected(lx, word)
        if v is None and len(word) >= _COMPOUND_MIN:
            v = _compound(lx, word)
    return v


@functools.lru_cache(maxsize=65536)
def _token_value(raw: str, lang: str | None, *, name: bool = False) -> float | None:
    """The valence of one token as written (memoised): an emoji or emoticon, else a word of ``lang``. A ``name``
    (a capitalised word within a sentence, ``_is_name``) is a word of its own only, never taken apart as an
    inflection or a compound ("Stavanger" is no "anger", "Egersund" no "sund")."""
    if not raw[0].isalpha():
        v = EMOJI.get(raw.rstrip("\ufe0f"))
        return v if v is not None else EN.get(raw.lower()) if raw[0] in ":;=<" else None
    word = raw.lower().replace("’", "").replace("'", "")
    lx = language_of(lang)
    v = lx.words.get(word) if name else _find(lx, word)
    return EN.get(word) if v is None and lang is None else v


def score(text: str, lang: str | None) -> float:
    """Valence of ``text`` in [-1, 1] (0 = neutral or unknown). ``lang`` is an ISO 639-1 code or None."""
    return _floored(_valence(text, lang), lang)


def _floored(value: float, lang: str | None) -> float:
    """``value`` with the language's weak praise read as neutral (``Language.praise_floor``)."""
    return 0.0 if 0.0 < value < language_of(lang).praise_floor else value


def _valence(text: str, lang: str | None) -> float:
    """The compound score before the praise floor."""
    return _reading(text, lang)[0]


@functools.lru_cache(maxsize=8192)
def _reading(text: str, lang: str | None) -> tuple[float, bool]:
    """The compound score before the praise floor, and whether the language's tables heard a feeling in ``text``
    at all (its words may cancel, or be a question's topic) (memoised)."""
    if not text:
        return 0.0, False
    lx = language_of(lang)
    lower = text.lower()
    # A handle is a name: it counts as a word, never as a feeling ("@Glad"), and breaks no phrase ("tack @X för inget")
    handles = {m.start() + 1 for m in HANDLE.finditer(text)} if "@" in text else set()
    plain = HANDLE.sub(lambda m: " " * len(m.group()), lower) if handles else lower
    spans = with_constructions(phrases.find(plain, lang), plain, lang)  # and complaints told as facts
    condoling = mourning.condolences(plain, lang)  # "Beklagar sorgen": its grief is sympathy (read as neutral)
    if condoling:
        spans = sorted(spans + [(start, end, 0.0) for start, end in condoling])
    asking = info_questions(lower)  # "Hur anmäler jag en skada?": its damage is the topic, not a feeling
    # Praise in a short first clause or last sentence around a complaint is irony: "Snyggt jobbat, tre veckor utan
    # svar", "... och sen avbröts samtalet. Magiskt." Where they are, and the first items read in and after them
    opener_end = _opener(lower)
    closer_at, closer_end = _closer(lower)
    opener_stop = closer_idx = closer_stop = -1
    complaints: list[int] = []  # the items that are a negative word or phrase (not an emoji)
    mixed_case = not text.isupper()
    sarcastic = any(m in text for m in SARCASM_MARKERS)
    exclaims = 0
    boost = 0.0
    negate_left = 0  # tokens left in which a pending negation applies
    last_sent_idx = -10  # index into ``vals`` of the last sentiment word
    last_sent_pos = -10  # token position of the last sentiment word
    last_sent_end = 0  # and where it ends in the text
    vals: list[float] = []
    contrast_at = -1
    skip_until = -1
    laughs: list[int] = []
    griefs: list[int] = []  # the items that are a word of grief ("sorgligt", "😢"), for a condolence
    words_seen = bool(spans)
    n_words = 0
    trailing, trailing_at = "", 0  # the last intensifier and the words seen up to it
    curse_pos = -10
    for pos, m in enumerate(_TOKEN.finditer(text)):
        raw = m.group()
        is_word = raw[0].isalpha()
        n_words += is_word
        if opener_stop < 0 and m.start() >= opener_end:
            opener_stop = len(vals)
        if closer_idx < 0 and m.start() >= closer_at:
            closer_idx = len(vals)
        if closer_stop < 0 and m.start() >= closer_end:
            closer_stop = len(vals)
        while spans and m.start() >= spans[0][0]:  # a phrase begins here: one item, its words skipped
            start, end, value = spans.pop(0)
            value = 0.0 if FEELING_IN_QUESTION < value < 0 and _inside(start, asking) else value
            if value <= COMPLAINT:
                complaints.append(len(vals))
            vals.append(value)
            skip_until, negate_left, boost, last_sent_idx = max(skip_until, end), 0, 0.0, -10
        if m.start() < skip_until or m.start() in handles:
            continue
        if raw == "!":
            exclaims += 1
            continue
        w = raw.lower().replace("’", "'")
        if w.endswith("n't"):
            negate_left = 3
            continue
        w = w.replace("'", "")
        if w in lx.negators:
            if (
                lx.back_negation
                and w not in FORWARD_NEGATORS
                and 0 < pos - last_sent_pos <= 2
                and last_sent_idx >= 0
                and not _CLAUSE_BREAK.search(lower, last_sent_end, m.start())
            ):
                vals[last_sent_idx] *= N_SCALAR  # "jag gillar inte", "bra är det inte"
                last_sent_idx = -10
            else:
                negate_left = 3
            continue
        if w in CONTRASTS:
            contrast_at = len(vals)
            boost = 0.0
            continue
        if w in lx.curses:
            curse_pos = pos
        elif pos == curse_pos + 1 and w in lx.degree_words:  # "fan vad bra": the curse is a degree, not anger
            if last_sent_pos == curse_pos:
                vals.pop()
                last_sent_idx = -10
            boost += _MORE
        b = lx.boosters.get(w)
        if b is not None:
            boost += b
            trailing, trailing_at = raw, n_words
            if negate_left:
                negate_left -= 1
            continue
        v = _token_value(raw, lang, name=_is_name(text, raw, m.start()))
        if v is not None and v < 0 and is_word and _inside(m.start(), asking):
            vals.append(0.0)  # heard, and read as the question's topic
            v = 0.0
        if v is None or v == 0:
            if negate_left:
                negate_left -= 1
            continue
        if boost:
            v += boost if v > 0 else -boost
            boost = 0.0
        if mixed_case and len(raw) > 2 and raw.isupper():
            v += CAPS_INCR if v > 0 else -CAPS_INCR
        if negate_left and is_word:  # "inte 😂" is not sad: an emoji stands outside the clause
            v *= N_SCALAR
            negate_left = 0
        if v > 0 and is_word and (sarcastic or _scare_quoted(text, m.start(), m.end())):
            v *= SARCASM_SCALAR
        if is_word:
            words_seen = True
            if v <= COMPLAINT:
                complaints.append(len(vals))
        if v > 0 and w in LAUGHTER:
            laughs.append(len(vals))
        if v < 0 and condoling and mourning.is_grief(w, lang):
            griefs.append(len(vals))
        vals.append(v)
        if is_word:  # only a word is negated by a "inte" after it
            last_sent_idx = len(vals) - 1
            last_sent_pos = pos
            last_sent_end = m.end()
    if boost and trailing and trailing_at == n_words:  # the last word an intensifier: "Det var fruktansvärt!"
        v = _token_value(trailing, lang)
        if v is not None and v < 0 and condoling and mourning.is_grief(trailing.lower(), lang):
            v = 0.0  # "Beklagar sorgen, det är fruktansvärt"
        if v is not None and abs(v) >= TRAILING_MIN:
            vals.append(v * N_SCALAR if negate_left else v)
            words_seen = True
    for _, _, value in spans:  # phrases begin at a word, so none is left here; kept so that none is ever lost
        vals.append(value)
    for i in griefs:  # said to condole: sad, not displeased with the page
        vals[i] = 0.0
    complaints = [i for i in complaints if vals[i] <= COMPLAINT] if griefs else complaints
    if not vals:
        return 0.0, False
    # Positive emoji with no sentiment word: an opinion only if they outweigh the text. A question with a smile
    # asks, a long message with one informs.
    emoji_only = not words_seen and sum(vals) > 0
    if emoji_only and ("?" in text or sum(vals) < EMOJI_ONLY_POS * max(1.0, n_words / EMOJI_ONLY_WORDS)):
        return 0.0, False
    if contrast_at < 0 and complaints:  # "men", "but": the praise is meant, and weighed against the complaint
        closing = 0 <= closer_idx < len(vals) and complaints[0] < closer_idx
        if 0 < opener_stop < len(vals) and complaints[-1] >= opener_stop:
            # unmixed, else "Don't worry, ... leave"; a closing remark without complaint is judged on its own, below
            after = vals[opener_stop:closer_idx] if closing and complaints[-1] < closer_idx else vals[opener_stop:]
            _ironic(vals, 0, opener_stop, after, unmixed=True)
        if closing:
            stop = closer_stop if closer_stop >= 0 else len(vals)
            _ironic(vals, closer_idx, stop, vals[:closer_idx], unmixed=False)  # the last word is the verdict
    if laughs and any(v < 0 for i, v in enumerate(vals) if i not in laughs):
        for i in laughs:
            vals[i] = 0.0
    if contrast_at >= 0:
        total = sum(v * 0.5 for v in vals[:contrast_at]) + sum(v * 1.5 for v in vals[contrast_at:])
    else:
        total = sum(vals)
    if exclaims and total:
        e = min(exclaims, 4) * EXCLAIM_INCR
        total += e if total > 0 else -e
    s = total / math.sqrt(total * total + ALPHA)
    return max(-1.0, min(1.0, s)), True


_EMOJI_CHAR = re.compile(rf"[{_EMOJI_CLASS}\ufe0f\u200d]")
_FIRST_CLAUSE = re.compile(r"\s*((?:[@#]\w+\s*)*[^,.!?\n:;]+?)\s*([,.!?\n:;]|$)")
_SINCERE = ("tack", "tak", "takk", "thanks", "thank", "tusen", "stort", "tusind", "mange")  # thanks, first word
# Saying one is satisfied is no irony: "Väldigt nöjd", "kjempefornøyd" (a compound ends in it), "Rekommenderar"
_CONTENT: tuple[str, ...] = ("nöjd", "nöjda", "fornøyd", "fornøjet", "tilfreds", "tacksam", "taknemmelig")
_CONTENT += ("takknemlig", "glad", "rekommenderar", "anbefaler", "recommend", "satisfied", "happy", "grateful")
_CONTENT += ("pleased",)
COMPLAINT = -1.0  # what closes with praise is a complaint when a word or phrase this negative comes before
_IRONIC_THANKS = ("tack för det", "tak for det", "takk for det", "thanks for that")
CLOSER_WORDS = 3


def _ironic(vals: list[float], start: int, stop: int, around: list[float], *, unmixed: bool) -> None:
    """Turn the praise of ``vals[start:stop]`` around when it is all praise and what is ``around`` it is, on
    balance, negative; ``unmixed``: and holds no praise at all."""
    praise = vals[start:stop]
    if praise and min(praise) >= 0 and max(praise) > 0 and sum(around) < 0 and not (unmixed and max(around) > 0):
        vals[start:stop] = [v * SARCASM_SCALAR for v in praise]


def _opener(lower: str) -> int:
    """Where the first clause of ``lower`` ends if it is short (at most ``CLOSER_WORDS`` words after any handles),
    said flatly and followed by more: "Snyggt jobbat, ...", "Super service X, ...". Thanks and saying one is
    satisfied are meant (as for ``_closer``). 0 (no item is before it) for any other text."""
    m = _FIRST_CLAUSE.match(lower, 0, 200)  # a clause of three words is short; the text may be long
    if m is None or m.group(2) in "!?":
        return 0
    words = [w for w in m.group(1).split() if w[0].isalpha()]
    if not 0 < len(words) <= CLOSER_WORDS or not _meant_as_irony(words):
        return 0
    return m.end()


def _meant_as_irony(words: list[str]) -> bool:
    """Whether a short clause of praise may be irony: not thanks (but the ironic "tack för det"), not laughter,
    not saying one is satisfied."""
    if (words[0] in _SINCERE and " ".join(words) not in _IRONIC_THANKS) or words[-1] in LAUGHTER:
        return False
    return not any(w.endswith(_CONTENT) for w in words)


def _closer(lower: str) -> tuple[int, int]:
    """Where the last sentence of ``lower`` begins and ends, without its emoji, handles and hashtags, if it is
    short (at most ``CLOSER_WORDS`` words), said flatly (no "!" or "?") and follows another one: "... och sen
    avbröts samtalet. Magiskt." A closing thanks is sincere ("Tusen tack") unless it is the ironic "tack för
    det". ``(len(lower), len(lower))`` (no item is there) for any other text."""
    none = len(lower), len(lower)
    end = _tail_start(lower)
    begin = max(lower.rfind(c, 0, end) for c in ".!?\n") + 1
    if not begin or "!" in lower[end:] or "?" in lower[end:]:
        return none
    words = [w for w in lower[begin:end].split() if w[0].isalpha()]
    if not 0 < len(words) <= CLOSER_WORDS or not _meant_as_irony(words):
        return none
    return begin, end


def _tail_start(lower: str) -> int:
    """Where the trailing spaces, full stops, exclamations, emoji, handles and hashtags of ``lower`` begin (one
    backward pass)."""
    end = len(lower)
    while end:
        c = lower[end - 1]
        if c.isspace() or c in ".!…" or _EMOJI_CHAR.match(c):
            end -= 1
            continue
        j = end
        while j and (lower[j - 1].isalnum() or lower[j - 1] == "_"):
            j -= 1
        if j < end and j and lower[j - 1] in "#@":
            end = j - 1
            continue
        return end
    return end


_QUOTES = "'\"’‘”“«»"


def _scare_quoted(text: str, start: int, end: int) -> bool:
    """One word in quotes, as in "Er 'smarta' assistent": praise held at arm's length, irony. (A word token keeps
    an apostrophe at its end.)"""
    return start > 0 and text[start - 1] in _QUOTES and (text[end - 1] in _QUOTES or text[end : end + 1] in _QUOTES)


def _is_name(text: str, raw: str, start: int) -> bool:
    """Whether the token ``raw`` at ``start`` is capitalised within a sentence (not after a full stop, "!", "?" or
    a line break, not in a hashtag): a name."""
    if not raw[0].isupper() or raw.isupper() or not raw[0].isalpha():
        return False
    j = start
    while j and text[j - 1] in " \t\"'“”«»(":
        j -= 1
    return j > 0 and text[j - 1] not in ".!?\n:#…"


def _inside(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= at < end for start, end in spans)


# A reaction needs no language: its valence on VADER's scale, normalised as a one-word text ("angry" -0.54,
# at or below the crisis rules' -0.25, so an angry reaction counts as negative; "haha" and "wow" are either).
REACTIONS: Mapping[str, float] = {"angry": -2.5, "sad": -1.5, "like": 1.5, "care": 2.0, "love": 3.0}


def reaction_score(reaction: object) -> float:
    """The sentiment of a reaction (``like``, ``love``, ``angry``, ...) in [-1, 1]; 0 for one of no clear tone."""
    v = REACTIONS.get(reaction.lower(), 0.0) if isinstance(reaction, str) else 0.0
    return v / math.sqrt(v * v + ALPHA)


@functools.lru_cache(maxsize=8192)
def score_on_page(text: str, lang: str | None) -> float:
    """``score`` in the page's language ``lang``. A text in which that language hears no feeling is read again: in
    its own language when that is another with its own table (a Norwegian's complaint on a Swedish page, a Danish
    page configured as Swedish); else, on a Swedish or English page, with the Swedish and English tables together
    (English on a Swedish page), and on a Danish or Norwegian page with the English one as written (loanwords):
    taking a Danish word apart as a Swedish compound finds feelings that are not there ("returnere" ends in
    Swedish "nere", down). Memoised as one answer: a neutral text, the most common, is looked up once (its
    language is told in about 0.04 ms)."""
    value, heard = _reading(text, lang)
    if heard or lang is None:
        return _floored(value, lang)
    own = language(text)
    if own in LANGUAGES and LANGUAGES[own] is LANGUAGES.get(lang):
        return _floored(value, lang)  # the page's language, in which nothing is felt: no English "sin" in "sin bank"
    if own in LANGUAGES:
        return _floored(_valence(text, own), own)
    return _floored(_valence(text, "en" if lang in LANGUAGES and lang != "sv" else None), lang)
