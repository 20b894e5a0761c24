"""Negativity in everyday Swedish, Danish and Norwegian, and the signals that need no language.

The sentences are written for these tests (none comes from a labelled evaluation set). ``negative`` is what the
crisis rules count: a sentiment at or below their ``negative_below``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sentinel.config import PageConfig
from sentinel.detectors.rate_spike import RateSpikeParams
from sentinel.enrich import Enriched, PageKnowledge
from sentinel.enrich.sentiment import score, score_on_page
from sentinel.model import Actor, Event

NEGATIVE_BELOW = RateSpikeParams().negative_below


def negative(text: str, lang: str | None) -> bool:
    return score_on_page(text, lang) <= NEGATIVE_BELOW


@pytest.mark.parametrize(
    "text",
    [
        "Jag säger upp mitt konto i morgon.",
        "Nu byter jag bank.",
        "Aldrig mer att jag handlar här.",
        "Har ringt fyra gånger och ingen svarar",
        "Väntat i tre veckor på pengarna",
        "Appen fungerar fortfarande inte",
        "Jag vill ha mina pengar tillbaka",
        "Hur svårt kan det vara att svara på ett mejl",
        "Tack för ingenting.",
        "Under all kritik",
        "Ni har förlorat en kund",
        "Skitbank",
        "Oproffsigt och segt",
        "Varför svarar ni inte?",
        "Hur kan ni behandla folk så?",
        "Ingen har hört av sig fast jag har skickat fyra mejl",
        "Varför tar det så lång tid?",
    ],
)
def test_swedish_churn_threats_and_everyday_complaints_count_as_negative(text: str) -> None:
    assert negative(text, "sv")


@pytest.mark.parametrize(
    "text",
    [
        "Har ni öppet på lördag?",
        "Hur stor är den?",
        "Vad är priset på den blå?",
        "Som sagt, jag hämtar den i morgon",
        "Jag har en fråga om min försäkring",
        "Kan ni ringa mig i eftermiddag",
        "Varför inte?",
    ],
)
def test_plain_swedish_questions_are_not_given_sentiment_by_translation_artefacts(text: str) -> None:
    assert score(text, "sv") == 0.0


def test_an_intensifier_that_ends_the_text_speaks_for_itself() -> None:
    assert negative("Det var fruktansvärt!", "sv")
    assert score("Fruktansvärt dåligt", "sv") < score("Dåligt", "sv") < 0
    assert score("Det blev en jävla bit kvar att gå", "sv") == 0.0  # it strengthens no word, and is not last


def test_an_adjectives_doubled_consonant_is_found_but_a_nouns_is_not_read_into_another_word() -> None:
    assert score("Ni är grymma!", "sv") > 0.05 and negative("Vilka dumma regler", "sv")
    assert score("Finns den i blått?", "sv") == 0.0 and score("Hatten finns i butik", "sv") == 0.0


def test_a_curse_before_a_degree_word_intensifies_instead_of_being_anger() -> None:
    assert score("Fan vad bra ni är", "sv") > score("Bra ni är!", "sv") > 0
    assert negative("Fan vad segt det går", "sv") and negative("Fan, det funkar inte", "sv")
    assert score("Faen så bra", "no") > 0


def test_thanks_for_what_was_given_is_praise_and_thanks_for_nothing_is_not() -> None:
    assert score("Tack för hjälpen!", "sv") > 0.05 and score("Tack för snabbt svar", "sv") > 0.05
    assert negative("Tack för ingenting", "sv")


def test_a_handle_breaks_no_phrase_and_carries_no_feeling() -> None:
    assert negative("Tack @Banken för ingenting", "sv") and negative("Thanks @bank for nothing", "en")
    assert negative("Tack för\ningenting", "sv")  # a line break parts words as a space does
    assert score("@Glad hej", "sv") == score("@Kalle hej", "sv") == 0.0  # a name, whatever it says
    assert score("@Glad 😍", "sv") == score("@Kalle 😍", "sv")  # ... but still a word beside the emoji


def test_praise_beside_an_eye_roll_is_sarcasm() -> None:
    assert score("Toppen service", "sv") > 0
    assert negative("Toppen service 🙄", "sv")


def test_laughter_beside_a_complaint_is_mockery_not_joy() -> None:
    assert score("Haha så kul 😂", "sv") > 0
    assert score("Vilken kass service 😂😂", "sv") == score("Vilken kass service", "sv") < 0


def test_a_phrase_is_one_item_and_its_words_are_not_counted_again() -> None:
    # "tack" alone is thanks; inside "tack för ingenting" it is not also counted as thanks
    assert score("Tack tack!", "sv") > 0 > score("Tack för ingenting", "sv")
    # "fungerar inte" is a complaint, and its "inte" does not also flip the next word
    assert negative("Fungerar inte, bra jobbat", "sv") is False or score("Fungerar inte", "sv") < 0


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Elendig kundeservice, jeg skifter bank", "da"),
        ("Det virker ikke, og ingen svarer", "da"),
        ("Tak for ingenting", "da"),
        ("Lorteservice", "da"),
        ("Forferdelig kundeservice, jeg sier opp avtalen", "no"),
        ("Fungerer ikke, har ringt tre ganger", "no"),
        ("Drittselskap", "nb"),
        ("ikke bra", "no"),
    ],
)
def test_danish_and_norwegian_complaints_count_as_negative(text: str, lang: str) -> None:
    assert negative(text, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hvordan kan I gøre sådan mod jeres ansatte?", "da"),  # "mod": against, not courage
        ("Hvorfor siger I ingenting?", "da"),
        ("Boykot!!", "da"),
        ("Kundeservice tager ikke telefonen, har ventet i en time", "da"),
        ("Hvordan kan dere gjøre sånn mot de ansatte?", "no"),
        ("Hvorfor sier dere ingenting?", "no"),
        ("Boikott!!", "no"),
        ("Synd at dere har fjernet kaffen fra sortimentet", "no"),
    ],
)
def test_a_danish_or_norwegian_storms_everyday_anger_counts_as_negative(text: str, lang: str) -> None:
    assert negative(text, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hej! Kan man returnere uden kvittering?", "da"),  # not a Swedish compound ending in "nere", down
        ("Hei! Kan man returnere uten kvittering?", "no"),
        ("Gælder tilbuddet også på nettet?", "da"),  # "gælder" applies: no "gæld", debt
    ],
)
def test_a_plain_danish_or_norwegian_question_has_no_feeling(text: str, lang: str) -> None:
    assert score_on_page(text, lang) == 0.0


def test_swedish_slut_is_the_end_not_the_english_insult_and_a_strengthened_nothing_is_nothing() -> None:
    assert score_on_page("Är den slut i lager?", "sv") == 0.0  # read -0.59 through the English table
    assert score_on_page("Varför är det alltid slut på kaffet?", "sv") == 0.0
    assert score_on_page("jätteslut", "sv") == 0.0  # an intensifier on a word of no feeling gave -0.3


@pytest.mark.parametrize(
    ("text", "page_lang"),
    [
        ("Jeg er så skuffet over jeres elendige service, jeg skifter bank", "sv"),  # a Dane on a Swedish page
        ("Dere er elendige, jeg er rasende over denne behandlingen", "sv"),  # a Norwegian
        ("Jeg er rasende, jeres kundeservice er håbløs", "en"),
    ],
)
def test_a_nordic_neighbours_complaint_is_read_in_its_own_words_on_a_page_of_another_language(
    text: str, page_lang: str
) -> None:
    assert score(text, page_lang) == 0.0  # the page language's words know none of it
    assert negative(text, page_lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Tusind tak for hjælpen, dejligt", "da"), ("Tusen takk, kjempebra service!", "no"), ("Flott!", "nn")],
)
def test_danish_and_norwegian_praise_is_positive(text: str, lang: str) -> None:
    assert score(text, lang) > 0.25


@pytest.mark.parametrize("lang", ["sv", "da", "no", "en", "de", "fi", None])
def test_negative_emoji_and_emoticons_count_in_any_language(lang: str | None) -> None:
    assert negative("😡😡", lang)
    assert negative("🤬", lang)
    assert score(":(", lang) < 0 < score(":)", lang)
    assert score("❤️", lang) > 0


def reaction(kind: str) -> Enriched:
    ev = Event(
        id="r1",
        time=datetime(2025, 5, 6, 9, tzinfo=UTC),
        platform="facebook",
        page="p",
        kind="reaction.created",
        actor=Actor(id="7", type="person"),
        object={"target_id": "post1", "reaction": kind},
    )
    return Enriched(ev, PageConfig(id="p", language="da"), PageKnowledge())


def test_an_angry_reaction_is_negative_without_any_text() -> None:
    assert reaction("angry").sentiment <= NEGATIVE_BELOW
    assert reaction("sad").sentiment <= NEGATIVE_BELOW
    assert reaction("love").sentiment > reaction("like").sentiment > 0
    assert reaction("haha").sentiment == reaction("wow").sentiment == reaction("unknown").sentiment == 0.0


def test_a_lone_mild_emoji_is_not_an_opinion_but_a_strong_one_is() -> None:
    assert score("😉", "sv") == score("🙏", "da") == 0.0
    assert score("😍", "sv") > 0 and score("👍", "no") > 0
    assert score("Bra 😉", "sv") > score("Bra!", "sv") > 0  # beside a word it adds as before
