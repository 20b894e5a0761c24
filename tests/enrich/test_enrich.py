from __future__ import annotations

import pytest

from sentinel.config.schema import PageConfig
from sentinel.enrich import Enriched, PageKnowledge
from sentinel.enrich.sentiment import score_on_page
from sentinel.enrich.text import READ_CHARS, domain_of, is_question, language
from sentinel.testing import at, event, page_actor

PAGE = PageConfig(id="druvan", timezone="Europe/Stockholm", language="sv", staffed_hours={"mon-fri": "08:00-17:00"})


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Finns den här i Karlskoga, undrar jag verkligen?", "sv"),
        ("BIG GIVEAWAY! To celebrate our anniversary we are giving away money", "en"),
        ("Hej!", ""),
    ],
)
def test_language(text: str, lang: str) -> None:
    assert language(text) == lang


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.druvan.se/x", "druvan.se"),
        ("http://a.b.example.co.uk/", "example.co.uk"),
        ("nonsense", "nonsense"),
    ],
)
def test_registered_domain(url: str, domain: str) -> None:
    assert domain_of(url) == domain


def test_question_ignores_query_strings() -> None:
    assert not is_question("se https://x.se/?a=1")
    assert is_question("Öppet i dag?")


def test_enriched_knows_staffed_hours_local_time_and_new_domains() -> None:
    know = PageKnowledge()
    first = event(
        "post.created",
        at("0s"),
        actor=page_actor(),
        links=["https://www.druvan.se/a"],
        admin={"id": "1"},
        app="Meta Business Suite",
        message="Nytt i butikerna denna vecka, välkomna in",
    )
    e1 = Enriched(first, PAGE, know)
    assert e1.staffed is False and e1.hour == 21 and e1.weekday == "fri"
    know.learn(e1)
    e2 = Enriched(
        event(
            "post.created",
            at("1m"),
            actor=page_actor(),
            links=["https://scam.shop/x", "https://druvan.se"],
            admin={"id": "1"},
            app="Other",
            message="x",
        ),
        PAGE,
        know,
    )
    assert e2.new_domains == ["scam.shop"] and e2.admin_known and not e2.app_known


def test_the_words_of_a_huge_text_are_read_from_its_start_and_all_its_links_are_found() -> None:
    filler = "Vi har öppet som vanligt i helgen. " * 1000  # 35,000 characters
    ev = event("post.created", at("0s"), post_id="p1", message=filler + "Usel! https://btc-doubler.live/x")
    e = Enriched(ev, PageConfig(id="druvan", language="sv"), PageKnowledge())
    assert len(e.words) == READ_CHARS and e.text.endswith("/x")
    assert e.sentiment == 0.0  # the insult after the 20,000 characters read is not
    assert e.domains == ["btc-doubler.live"]  # a link hidden after filler is still found


@pytest.mark.parametrize("lang", ["sv", "da", "no", "en", None])
def test_a_long_run_of_one_prefix_is_scored_not_recursed_into(lang: str | None) -> None:
    for text in ("jätte" * 1600, "super" * 1600, "a" * 8000, "jättearg" + "jätte" * 1600):
        assert -1.0 <= score_on_page(text, lang) <= 1.0  # RecursionError for "jätte" x 1600 before


def test_a_complaint_in_dressed_up_letters_is_read_as_the_plain_one() -> None:
    plain = "Usel service, ni är värdelösa"
    bold = "".join(chr(0x1D41A + ord(c) - 97) if "a" <= c <= "z" else c for c in plain)  # mathematical bold
    e = Enriched(
        event("comment.created", at("0s"), message=bold), PageConfig(id="druvan", language="sv"), PageKnowledge()
    )
    assert e.words != bold and e.sentiment == score_on_page(plain, "sv") < -0.25


@pytest.mark.parametrize(
    ("page_lang", "text", "foreign"),
    [
        ("da", "Vi har fået nye varer hjem i butikken i dag, kom forbi og se dem", False),
        ("no", "Vi har fått nye varer inn i butikken i dag, kom innom og se", False),
        ("no", "Vi har fået nye varer hjem i butikken i dag, kom forbi og se dem", False),  # read as Danish: kin
        ("da", "Vi har fått nye varer inn i butikken i dag, kom innom og se", False),
        ("da", "We have new arrivals in the shop today, come and have a look", True),
        ("sv", "Vi har fått nye varer inn i butikken i dag, kom innom og se", True),
    ],
)
def test_danish_and_norwegian_are_one_language_to_foreign_lang(page_lang: str, text: str, foreign: bool) -> None:
    """Written Danish and Norwegian Bokmål share most words: a second red team's Norwegian page's own post was read
    as Danish and warned as a post in a foreign language."""
    page = PageConfig(id="p", timezone="Europe/Oslo", language=page_lang, staffed_hours={"mon-fri": "08:00-17:00"})
    e = Enriched(event("post.created", at("0s"), actor=page_actor("p"), message=text), page, PageKnowledge())
    assert e.foreign_lang is foreign, e.lang
