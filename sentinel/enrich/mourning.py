"""Condolences: grief said to the page is sympathy, not a complaint.

When a page posts that a colleague has died, or about an accident in its town, hundreds of comments may say how sad
it is: "Beklagar sorgen, så otroligt sorgligt", "RIP, so sad", "Hvil i fred 💔". A sentiment lexicon reads every one
as negative (sad, tragic and loss are negative words), and the crisis rules would page an angry surge on a memorial
post. What the crisis rules count as negative is displeasure with the page, so a comment that **condoles** (one of
the phrases below: "vila i frid", "beklagar sorgen", "my condolences", "mine tanker går til ...") has its words of
**grief** (sad, tragic, loss, tears, 😢, ...) read as neutral. Everything else in it counts as before: anger, a
complaint or a churn threat beside the condolence is still negative ("Beklagar sorgen, men ni borde skämmas").
Grief without a condolence ("Så sorgligt att ni stänger butiken") is not changed: sadness at a decision is what a
crisis is made of.

The phrases and words are written from knowledge of how people condole in each language, not taken from any
labelled text. The condolence phrase itself reads as neutral (its words, "sorgen", "frid", are skipped).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sentinel.enrich.phrases import languages

__all__ = ["GRIEF", "GRIEF_EMOJI", "condolences", "is_grief"]

_PEOPLE_SV = r"(?:er|dig|familjen|de anhöriga|anhöriga|alla|honom|henne|dem|hans|hennes|deras)"
_PEOPLE_DA = r"(?:jer|dig|familien|de pårørende|pårørende|alle|ham|hende|dem|hans|hendes|deres)"
_PEOPLE_NO = r"(?:dere|deg|familien|de pårørende|pårørende|alle|ham|han|henne|dem|hans|hennes|deres)"
_PEOPLE_EN = r"(?:you|the family|his family|her family|their family|everyone|all of you|his|her|their|them|him|all)"

MARKERS: Mapping[str, tuple[str, ...]] = {
    "sv": (
        r"vila i frid",
        r"må (?:han|hon|de|hen) vila",
        r"beklagar (?:(?:verkligen|så|innerligt|djupt|varmt) )?(?:sorgen|förlusten|er förlust|din förlust)",
        r"(?:deltar|delar) i (?:er |din )?sorg(?:en)?",
        r"kondoleans(?:er)?",
        r"styrkekram(?:ar|en)?",
        r"(?:varma |stora |många )?kramar till",
        r"(?:mina|våra|alla) (?:varmaste |varma )?tankar (?:går|är) (?:till|hos|med)",
        rf"tänker på {_PEOPLE_SV}",
        r"r\.?i\.?p\.?(?!\s*off)",
    ),
    "da": (
        r"hvil i fred",
        r"kondolence(?:r)?",
        r"kondolerer",
        r"(?:dybeste |dyb |stor |min |vores )?medfølelse",
        r"(?:mine|vores|alle) (?:varmeste )?tanker går til",
        rf"tænker på {_PEOPLE_DA}",
        r"(?:varme |store )?knus til",
        r"æret være (?:hans|hendes) minde",
        r"r\.?i\.?p\.?(?!\s*off)",
    ),
    "no": (
        r"hvil i fred",
        r"kondolerer",
        r"(?:dypeste |dyp |stor |min |vår )?medfølelse",
        r"(?:mine|våre|alle) (?:varmeste )?tanker går til",
        rf"tenker på {_PEOPLE_NO}",
        r"(?:varme |store )?klemmer til",
        r"æret være (?:hans|hennes) minne",
        r"r\.?i\.?p\.?(?!\s*off)",
    ),
    "en": (
        r"rest in peace",
        r"r\.?i\.?p\.?(?!\s*off)",
        r"(?:my |our )?(?:deepest |sincere |heartfelt )?condolences",
        r"sorry for (?:your|the|their|his|her) loss",
        r"(?:my|our) (?:deepest |heartfelt )?sympath(?:y|ies)",
        r"thoughts (?:and prayers )?(?:are|go|goes|going) (?:out )?(?:to|with)",
        rf"thinking (?:of|about) {_PEOPLE_EN}",
        r"praying for",
        r"(?:love and )?hugs to",
    ),
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


GRIEF: Mapping[str, frozenset[str]] = {
    "sv": _words(
        "sorg sorgen sorgligt sorglig sorgliga sorgset sorgsen sorgsna ledsen ledset ledsna tragiskt tragisk tragiska "
        "tragedi tragedin tråkigt tråkig tråkiga hemskt hemsk hemska fruktansvärt fruktansvärd fruktansvärda "
        "förfärligt förfärlig ofattbart ofattbar chock chocken chockad chockade chockerande saknad saknaden saknar "
        "sakna förlust förlusten död döden dött dog bortgång bortgången tårar tårarna gråter grät gråta trist tungt "
        "smärtsamt hjärtskärande förkrossad förkrossade förkrossande olycka olyckan sörjer sörja sörjande"
    ),
    "da": _words(
        "sorg sorgen sørgelig sørgeligt trist tragisk tragiske tragedie tragedien forfærdeligt forfærdelig frygteligt "
        "frygtelig chok chokeret chokerende savn savnet savner død døden døde tab tabet tårer græder græd "
        "hjerteskærende ked knust sørger ulykke ulykken"
    ),
    "no": _words(
        "sorg sorgen sørgelig sørgelige trist tragisk tragiske tragedie tragedien forferdelig forferdelige fryktelig "
        "sjokk sjokkert sjokkerende savn savnet savner død døden døde tap tapet tårer gråter gråt hjerteskjærende "
        "lei knust sørger ulykke ulykken"
    ),
    "en": _words(
        "sad sadly saddened saddening sadness tragic tragedy tragically loss lost heartbroken heartbreaking "
        "devastated devastating terrible awful horrible shocked shocking shock grief grieving sorrow sorry miss "
        "missed missing passed passing death dead died die tears crying cry pain painful unbelievable accident"
    ),
}
GRIEF_EMOJI = frozenset("😢😭💔😔😞🥺😥😪🕯")


def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation, whole words only; a line break or two spaces part words too."""
    alternation = "|".join("(?:" + p.replace(" ", r"\s+") + ")" for p in patterns)
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")


_COMPILED = {lang: _compile(patterns) for lang, patterns in MARKERS.items()}


def condolences(lower: str, lang: str | None) -> list[tuple[int, int]]:
    """The spans of the condolence phrases in ``lower`` (a lower-cased text) for ``lang`` (``None``: Swedish and
    English), in order."""
    out: list[tuple[int, int]] = []
    for code in languages(lang):
        pattern = _COMPILED.get(code)
        if pattern is not None:
            out += [m.span() for m in pattern.finditer(lower)]
    return sorted(out)


def is_grief(word: str, lang: str | None) -> bool:
    """Whether ``word`` (a lower-cased token, or an emoji) is a word of grief in ``lang``."""
    return word in GRIEF_EMOJI or any(word in GRIEF.get(code, ()) for code in languages(lang))
