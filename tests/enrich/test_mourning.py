"""Condolences are sympathy, not displeasure: their words of grief do not count as negative (``enrich.mourning``).

The sentences are written for these tests (none comes from a labelled evaluation set). ``negative`` is what the
crisis rules count: a sentiment at or below their ``negative_below``.
"""

from __future__ import annotations

import subprocess
import sys

import orjson
import pytest

from sentinel.detectors.rate_spike import RateSpikeParams
from sentinel.enrich.mourning import condolences
from sentinel.enrich.sentiment import score_on_page

NEGATIVE_BELOW = RateSpikeParams().negative_below


def negative(text: str, lang: str) -> bool:
    return score_on_page(text, lang) <= NEGATIVE_BELOW


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Beklagar sorgen, så otroligt sorgligt", "sv"),
        ("Vila i frid 💔", "sv"),
        ("Fruktansvärt tragiskt. Mina tankar går till familjen", "sv"),
        ("Så ledsen att läsa detta 😢 Styrkekramar till er alla", "sv"),
        ("Tragiskt. Tänker på de anhöriga", "sv"),
        ("Beklagar sorgen, det är fruktansvärt", "sv"),  # the intensifier that ends the text is grief too
        ("Hvil i fred. Det er så trist", "da"),
        ("Mine tanker går til familien 💔 frygtelig trist", "da"),
        ("Æret være hans minne. Forferdelig trist", "no"),
        ("Tenker på dere, så sjokkert og lei meg", "no"),
        ("RIP. So sad to hear this, my condolences to his family", "en"),
        ("Heartbreaking news. Thoughts and prayers are with everyone at the plant", "en"),
    ],
)
def test_a_condolence_with_grief_is_not_negative(text: str, lang: str) -> None:
    assert not negative(text, lang), score_on_page(text, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Beklagar sorgen, men ni borde skämmas över hur ni skött säkerheten", "sv"),  # anger beside it counts
        ("Vila i frid. Skandal att ingen tog larmen på allvar", "sv"),
        ("Så sorgligt att ni stänger butiken i vår by", "sv"),  # grief at a decision, no condolence
        ("Så tragiskt 😢", "sv"),
        ("My condolences, but this company is a disgrace", "en"),
        ("What a terrible rip off", "en"),  # "rip off" is no "RIP"
    ],
)
def test_grief_without_a_condolence_and_anger_beside_one_stay_negative(text: str, lang: str) -> None:
    assert negative(text, lang), score_on_page(text, lang)


def test_only_condolences_are_found() -> None:
    assert condolences("beklagar sorgen", "sv") == [(0, 15)]
    assert condolences("vila i\nfrid", "sv") == [(0, 11)]  # a line break parts words too
    assert condolences("what a rip off", "en") == []
    assert condolences("tänker på att byta bank", "sv") == []  # "thinking of switching" is no condolence
    assert condolences("rest in peace", None) == [(0, 13)]  # language unknown: Swedish and English


def test_sentinel_enrich_prints_a_condolence_as_not_negative() -> None:
    """At the command's boundary: ``negative`` is what the crisis rules count."""
    out = subprocess.run(
        [sys.executable, "-m", "sentinel", "enrich", "--text", "Beklagar sorgen, så sorgligt 😢", "--lang", "sv"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    features = orjson.loads(out.stdout)["features"]
    assert features["negative"] is False, features
