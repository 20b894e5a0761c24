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
    assert score("väldigt nöjd", "sv") > score("nöjd", "sv") > 0
    assert score("very good", "en") > score("good", "en") > 0
    assert score("inte bra", "sv") < 0


def test_a_negator_after_a_word_turns_it_only_within_its_clause_and_only_if_it_can_stand_after_it() -> None:
    # "ingen" negates what follows ("ingen kan hjälpa"), never the word before it
    assert score("Mitt kort är spärrat och ingen kan hjälpa mig", "sv") < -0.25
    assert score("ingen kan hjälpa mig", "sv") < 0
    # "inte" after a word turns it ("jag gillar inte"), but not across a comma or a conjunction
    assert score("jag gillar inte", "sv") < 0
    assert score("Det var dåligt och inte värt pengarna", "sv") < 0
    assert score("Helt värdelöst, inte en enda gång har ni svarat", "sv") < -0.25


def test_swedish_mild_praise_alone_is_neutral_and_negatives_keep_vaders_band() -> None:
    # one mild word is politeness in Swedish ("Bra, tack"); strengthened or exclaimed it is praise
    assert score("bra", "sv") == 0.0 and score("tack", "sv") == 0.0
    assert score("väldigt bra", "sv") > 0.05 and score("Bra!", "sv") > 0.05
    assert score("good", "en") > 0.05  # English keeps VADER's +-0.05
    assert score("lite segt", "sv") < -0.05  # the floor is for praise only
    assert score_on_page("bra", "sv") == 0.0  # and it is not undone by scoring the text again with both lexicons


def test_a_negation_does_not_turn_an_emoji() -> None:
    assert score("Jag har inte sett den än 😂", "sv") >= 0
    assert score("Det var inte meningen 😊", "sv") >= 0
    assert score("Inte bra 😡", "sv") < -0.25


def test_positive_emoji_without_words_are_an_opinion_only_when_they_outweigh_the_text() -> None:
    assert score("Ses på fredag 😍", "sv") > 0.05
    assert score("Kommer ni till mässan i helgen? 😊😊", "sv") == 0.0  # a question with a smile asks
    long = "Vi har flyttat kontoret till andra sidan gatan och har öppet som vanligt från klockan nio 👍"
    assert score(long, "sv") == 0.0
    assert score(long.replace("👍", "😍😍😍"), "sv") > 0.05
    assert score("Varför svarar ni inte? 😡", "sv") < -0.25  # the rule is for positive emoji only


def test_a_text_neutral_in_the_pages_language_is_scored_with_both_lexicons() -> None:
    english = "Horrible, disgusting and stupid"
    assert score(english, "sv") == 0.0 and score_on_page(english, "sv") == score(english, None) < 0
    assert score_on_page("Jättebra service!", "sv") == score("Jättebra service!", "sv") > 0
    assert score_on_page("Har ni öppet i morgon?", "sv") == 0.0
    assert score_on_page(english, None) == score(english, None)
