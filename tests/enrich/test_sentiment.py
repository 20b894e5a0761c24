import pytest

from sentinel.enrich.sentiment import score, score_on_page


@pytest.mark.parametrize(
    ("text", "lang", "sign"),
    [
        ("Så fint!", "sv", 1),
        ("Skandal! Ni borde skämmas.", "sv", -1),
        ("Jag gillar inte det här", "sv", -1),
        ("Inte bra alls", "sv", -1),
        ("Skitdåligt bemötande", "sv", -1),
        ("😡😡😡", "sv", -1),
        ("Tack för snabbt svar 😊", "sv", 1),
        ("This is absolutely terrible service, never again!", "en", -1),
        ("I love it", "en", 1),
        ("Finns den här i Karlskoga?", "sv", 0),
        ("", None, 0),
    ],
)
def test_score_has_the_expected_sign(text: str, lang: str | None, sign: int) -> None:
    s = score(text, lang)
    assert -1.0 <= s <= 1.0
    assert (s > 0.05) - (s < -0.05) == sign


def test_intensifier_strengthens_and_negation_flips() -> None:
    assert score("väldigt bra", "sv") > score("bra", "sv") > 0
    assert score("inte bra", "sv") < 0


def test_a_text_neutral_in_the_pages_language_is_scored_with_both_lexicons() -> None:
    english = "Horrible, disgusting and stupid"
    assert score(english, "sv") == 0.0 and score_on_page(english, "sv") == score(english, None) < 0
    assert score_on_page("Jättebra service!", "sv") == score("Jättebra service!", "sv") > 0
    assert score_on_page("Har ni öppet i morgon?", "sv") == 0.0
    assert score_on_page(english, None) == score(english, None)
