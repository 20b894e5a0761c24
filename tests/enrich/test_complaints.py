"""Complaints told as facts (``sentinel/enrich/complaints.py``): a service that fails or keeps one waiting, in
sentences written for these tests (none taken from a labelled text)."""

import json
from pathlib import Path

import pytest

from sentinel.enrich import complaints
from sentinel.enrich.sentiment import score, score_on_page

NEGATIVE = -0.25  # the crisis rules' negative_below
CASES = Path(__file__).with_name("complaint_cases.jsonl")


def _develop() -> list[tuple[str, str, str]]:
    rows = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["text"], r["lang"], r["label"]) for r in rows if r["split"] == "develop"]


@pytest.mark.parametrize(("text", "lang", "label"), _develop())
def test_develop_cases(text: str, lang: str, label: str) -> None:
    """The develop half of the labelled sentences (the held-out half is scored by ``bench/complaint_cases.py``)."""
    assert (score_on_page(text, lang) <= NEGATIVE) == (label == "complaint")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the website is down again", "en"),
        ("three hours on hold", "en"),
        ("still no refund", "en"),
        ("can't log in since Monday", "en"),
        ("my order never arrived", "en"),
        ("Why is the app down again?", "en"),  # a question that asks why complains
        ("Hemsidan kraschar hela tiden", "sv"),
        ("Paketet kom aldrig", "sv"),
        ("Pakken er aldrig kommet", "da"),
        ("Nettsiden funker ikke", "no"),
        ("Har ventet siden fredag", "no"),
    ],
)
def test_a_service_failure_told_as_a_fact_is_negative(text: str, lang: str) -> None:
    assert score(text, lang) <= NEGATIVE


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Does the app work on iPad?", "en"),  # a question whether it works
        ("Is the site down?", "en"),
        ("My order hasn't arrived yet", "en"),  # only pending
        ("It still came on time", "en"),
        ("I still haven't decided which colour", "en"),
        ("Never had to wait more than two minutes, great service", "en"),  # the complaint negated
        ("Never came across a better shop", "en"),  # praise
        ("Min beställning har inte kommit än", "sv"),
        ("Fungerar appen på iPad?", "sv"),
        ("Har aldrig legat nere, bra jobbat", "sv"),
        ("Min bestilling er ikke kommet endnu", "da"),
        ("Bestillingen min har ikke kommet ennå", "no"),
        ("Funker appen på iPad?", "no"),
    ],
)
def test_what_is_no_complaint_is_not_negative(text: str, lang: str) -> None:
    assert score(text, lang) > NEGATIVE


def test_praise_beside_a_construction_outweighs_it() -> None:
    assert score("waited two weeks but it's gorgeous, love it", "en") > 0


def test_a_phrase_wins_where_both_match() -> None:
    """ "fungerar inte" is a phrase of ``phrases.py``; a construction on the same words is not counted again."""
    plain = "appen fungerar inte"
    assert complaints.merged([(6, 19, -2.0)], plain, "sv") == [(6, 19, -2.0)]


def test_unknown_language_reads_swedish_and_english() -> None:
    assert complaints.find("the site is down", None)
    assert complaints.find("paketet kom aldrig", None)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Ingen återbetalning än efter tre veckor", "sv"),
        ("Paketet har inte kommit på två veckor", "sv"),
        ("Ingen refusion endnu efter en måned", "da"),
        ("Pakken er ikke kommet efter to uger", "da"),
        ("Ingen refusjon etter tre uker", "no"),
        ("Pakken har ikke kommet på to uker", "no"),
        ("No refund yet after three weeks", "en"),
    ],
)
def test_pending_for_a_stated_time_is_waiting(text: str, lang: str) -> None:
    """ "Not yet" alone is what ordinary customers ask about; "not yet, after three weeks" is a complaint."""
    assert score_on_page(text, lang) <= NEGATIVE


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Min beställning har inte kommit än", "sv"), ("Min pakke er ikke kommet endnu", "da")],
)
def test_pending_without_a_time_stays_neutral(text: str, lang: str) -> None:
    assert score_on_page(text, lang) > NEGATIVE
