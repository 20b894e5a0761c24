"""``asks_reply``: questions with or without '?', requests for help or action, in Swedish, English, Danish and
Norwegian; a bare complaint, thanks or praise asks nothing, a request inside a complaint does. Measured on our own
labelled sentences (tests/enrich/asks_reply_cases.jsonl): batch 1 (sv, en) was written first and the rules fixed on
its misses; batch 2 was written afterwards and is scored as it came out (the held-out figures in docs/community.md).
Batches 3 and 4 (da, no) were written together before any Danish or Norwegian rule: the rules were fixed on batch
3's misses; batch 4 is scored as it came out. Batches 5 and 6 (all four languages, written together by someone who
had not read the rules, on how real comments open: greetings, names, handles) likewise: 5 fixed on, 6 held out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sentinel.config.schema import PageConfig
from sentinel.enrich import Enriched, PageKnowledge
from sentinel.enrich.asks import asks_reply, page_names
from sentinel.testing import event, person

CASES = [json.loads(line) for line in (Path(__file__).parent / "asks_reply_cases.jsonl").read_text().splitlines()]


def scores(batch: int) -> tuple[float, float, int]:
    rows = [r for r in CASES if r.get("batch", 1) == batch]
    tp = sum(1 for r in rows if r["asks"] and asks_reply(r["text"]))
    fp = sum(1 for r in rows if not r["asks"] and asks_reply(r["text"]))
    fn = sum(1 for r in rows if r["asks"] and not asks_reply(r["text"]))
    return tp / (tp + fp), tp / (tp + fn), len(rows)


@pytest.mark.parametrize(
    "text",
    [
        "Vill ha svar på mitt mejl från förra veckan.",
        "Ring mig",
        "Har ni öppet i morgon",
        "Hur länge ska jag vänta",
        "How do I change my booking",
        "Please call me back",
        "Usel service. Ring mig i dag.",
        "Terrible service, I want my money back.",
        "Svara!",
        "Hvornår åbner I på lørdag",
        "Jeg lurer på om dere har gavekort",
    ],
)
def test_questions_without_a_question_mark_and_requests_ask_for_an_answer(text: str) -> None:
    assert asks_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "Tack för snabb hjälp!",
        "Värsta kundtjänsten jag varit med om.",
        "När jag kom fram var det stängt.",
        "Vad bra ni är!",
        "Thanks for the quick help!",
        "Worst customer service ever.",
        "When I got there the shop was closed.",
        "What a joke.",
        "",
        "👍👍",
        "https://example.com/?q=1",
        "Ring någon på banken, något är fel.",
        "Call them, the page has been hacked.",
        "Hvor er det flot!",  # Danish "how lovely", not "where is"
        "Må han vila i frid.",  # Swedish "may he rest in peace": Danish "må jeg" is not a leading verb here
        "Når jeg bestiller på nett får jeg alltid feil vare.",
    ],
)
def test_bare_complaints_thanks_praise_and_statements_ask_nothing(text: str) -> None:
    assert not asks_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hej, har ni öppet på lördag",
        "Hej Druvan, när kommer min beställning 48213",
        "God morgon, finns det lediga tider idag",
        "Hi, do you ship to Norway",
        "Hello, is anyone there",
        "Order 51877, när skickas den",  # the question after what it is about
        "Dear Ryanair, kindly refund the seat fee",
        "Hei Telenor, fint om dere kan sjekke regningen",
    ],
)
def test_a_greeting_or_what_it_is_about_before_the_question_still_asks(text: str) -> None:
    assert asks_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hej! Tack för hjälpen igår",
        "Hej Druvan, tack för hjälpen igår",
        "Hi there, thanks for the quick reply",
        "Varför inte!",  # "inte" ends as a verb does, but is none
        "Wow, vilket pris!",  # "which" and its noun: an exclamation
        "När jag kom dit, var det stängt",  # a verb first after a comma is Swedish word order, not a question
        "Have a nice day",
        "@Lisa vill du hänga med",  # a friend tagged: hers to answer
        "@Lisa har du sett?",
    ],
)
def test_greetings_exclamations_and_questions_to_someone_tagged_ask_the_page_nothing(text: str) -> None:
    assert not asks_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "Vad fan sysslar ni med",
        "Hvad fanden laver I",
        "Hva i helvete tenker dere på",
        "What the hell were you thinking",
    ],
)
def test_what_and_a_curse_is_an_outburst_not_a_question(text: str) -> None:
    assert not asks_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "Vad fan sysslar ni med?",  # written as a question, it asks
        "Why the hell is my refund still not here",  # only "what" and a curse is an outburst
        "Hur fan når man er på telefon",
    ],
)
def test_a_curse_in_a_real_question_still_asks(text: str) -> None:
    assert asks_reply(text)


def test_a_handle_that_names_the_page_asks_it() -> None:
    page = page_names("druvan", "Druvan Vin & Mat")
    assert asks_reply("@Druvan har ni öppet på lördag", page)
    assert asks_reply("@DruvanVinMat öppet idag?", page)
    assert not asks_reply("@Lisa har ni öppet på lördag", page)
    assert asks_reply("@Lisa kolla här. Har ni fler storlekar?", page)  # the second sentence is the page's


def test_telling_the_others_to_contact_the_page_by_name_asks_it_nothing() -> None:
    """A seventh red team's visitors, during a takeover: "Ring Kraftverket och säg att sidan är kapad" started the
    reply clock on the page they told the others to call."""
    page = page_names("druvan", "Druvan Vin & Mat")
    assert not asks_reply("Ring Druvan och säg att något är fel med sidan", page)
    assert not asks_reply("Contact Druvan directly, this page has been hacked", page)
    assert asks_reply("Ring mig Druvan", page)  # the speaker: a request to the page
    assert asks_reply("Svara Druvan!", page)  # the page addressed by name: not a verb of getting in touch
    assert asks_reply("Ring Druvan och säg att något är fel med sidan")  # no names given: nothing names the page


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("Undrar vad svärmor tycker om det här 😂", False),  # musing: what someone else thinks
        ("undrar vad min man kommer att säga", False),
        ("I wonder what my kids will say", False),
        ("Gad vide hvad naboerne synes", False),
        ("Jeg lurer på hva sjefen min tenker", False),
        ("Undrar vad ni tycker om förslaget", True),  # what the page thinks: asks
        ("I wonder what you think about the new opening hours", True),
        ("Undrar vad min beställning kostar i frakt", True),  # "kostar" is no opinion: a question about the order
        ("Undrar vad svärmor tycker. Har ni öppet på söndag", True),  # the second sentence asks
    ],
)
def test_wondering_what_someone_else_thinks_is_musing(text: str, asks: bool) -> None:
    """An eighth red team's ordinary comment "Undrar vad grannen säger 😅" (wonder what the neighbour says) started
    the reply clock on every page it was written on (23 of its 63 false alarms)."""
    assert asks_reply(text) is asks


def test_the_labelled_sentences_in_every_language_score_as_documented() -> None:
    p1, r1, n1 = scores(1)
    p2, r2, n2 = scores(2)
    p3, r3, n3 = scores(3)
    p4, r4, n4 = scores(4)
    p5, r5, n5 = scores(5)
    p6, r6, n6 = scores(6)
    assert {r["lang"] for r in CASES} == {"sv", "en", "da", "no"}
    assert (n1, n2, n3, n4, n5, n6) == (142, 51, 40, 30, 70, 70)
    # batches 5 and 6 (sv, en, da, no; greetings, names, handles, order numbers first) were written together by
    # someone who had not seen these rules; the greeting rules were made on batch 5's misses, batch 6 held out
    assert (round(p5, 2), round(r5, 2)) == (0.94, 0.91)
    # held out: docs/community.md quotes these. Its one false alarm before, the rhetorical "Varför ska det alltid vara
    # så krångligt", is read as rhetorical since a third red team's anger waves (1.00 since, no longer held out)
    assert (round(p6, 2), round(r6, 2)) == (1.0, 0.77)
    assert (p3, r3) == (1.0, 1.0)  # the Danish and Norwegian batch the rules were fixed on
    assert (p4, r4) == (1.0, 0.8)  # held out: docs/community.md quotes these
    # the batch the rules were fixed on; its three misses are statements of intent ("Jag vill avboka min tid"),
    # which the rules read as statements since a protest's "jag vill säga upp" is one (docs/community.md)
    assert (p1, round(r1, 3)) == (1.0, 0.965)
    # held out: docs/community.md quotes these; 0.90 before the rhetorical forms took "Hur kan man vara så
    # inkompetent." off the clock (a known miss when they were written: no longer held out for that sentence)
    assert (round(p2, 2), round(r2, 2)) == (0.93, 0.93)


def test_the_enriched_event_exposes_asks_reply_to_rules() -> None:
    page = PageConfig(id="druvan")
    ev = event("comment.created", actor=person(), comment_id="c1", message="Ring mig")
    assert Enriched(ev, page, PageKnowledge()).asks_reply is True
    assert Enriched(event("comment.created", comment_id="c2"), page, PageKnowledge()).asks_reply is False


@pytest.mark.parametrize(
    "text",
    [
        "Var innom Hamar i helgen, helt topp",  # Norwegian "was": the town read as a Swedish verb in "-ar"
        "Var hos dere i går, kjempefornøyd",
        "The 07:12 was a hit at the party",  # ":" in a time is no sentence's end
        # Swedish "var" is "was" before an adverb or preposition ending as a verb does (a seventh red team's pages:
        # "Var där i lördags" started the clock on every page it was written on)
        "Var där med barnen i söndags",
        "Var kvar ända till stängning",
        "Var över en halvtimme kö i kassan",
    ],
)
def test_praise_with_its_subject_dropped_or_a_time_first_asks_nothing(text: str) -> None:
    """A second black-box red team's Danish and Norwegian pages: 23 of its 34 false alarms were praise like these."""
    assert not asks_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "Var ligger butiken i Umeå",
        "Var någonstans hämtar jag paketet",
        "Öppnar ni kl. 10:00 på lördag",
        "Var där ni har öppet på söndag?",  # "where" made a question by its "?"
        "Var hittar jag kvittot",
    ],
)
def test_where_with_its_verb_and_a_question_with_a_time_still_ask(text: str) -> None:
    assert asks_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hej, jag har en fråga om min faktura 4711",
        "Jag hade en fråga angående min bokning",
        "Snabb fråga: gäller rabatten online också",
        "Hi, I have a question about my bill",
        "I've got a quick question regarding the delivery",
        "Quick question re order 5512",
        "Hej, jeg har et spørgsmål til min regning",
        "Jeg har et spørsmål om fakturaen",
        "Eg har eit spørsmål om billetten",
        "Kjapt spørsmål om leveringen",
    ],
)
def test_announcing_a_question_asks_for_its_answer(text: str) -> None:
    """A third black-box red team's private messages "Hej, jag har en fråga om min faktura ..." (no "?"): the
    customer waits for the page to ask back; the clock did not start and the SLA warning came late."""
    assert asks_reply(text)


@pytest.mark.parametrize("text", ["Det är bara en fråga om tid", "Jag har inga frågor, allt funkade", "No questions"])
def test_a_question_that_is_no_announcement_asks_nothing(text: str) -> None:
    assert not asks_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hur kan man behandla kunder så här",
        "Hur kan ni vara så inkompetenta?",
        "How can you treat people like this?",
        "Hvordan kan I tage så meget for fragt",
        "Hvordan kan dere behandle folk slik",
        "Hur vågar ni",
        "How dare you",
        "Varför alltid så rörigt i kassan",
        "Varför alltids å rörigt i kassan",  # typed in a hurry: "alltid" still opens the word
        "Why is it always so hard to reach you?",
        "Hvorfor er det altid så besværligt",
        "Why is a university doing this?",
        "Varför behandlar ni folk så här?",
        "Er I sindssyge",
        "Är ni helt galna?",
        "Er dere gale?",
        "Are you out of your mind",
        "Are you kidding me?",
        "Skämtar ni?",
        "79 kr for fragt?? Er I sindssyge",  # in an outburst a "?" without a question's form is the outburst's
    ],
)
def test_rhetorical_questions_and_insults_put_as_questions_ask_nothing(text: str) -> None:
    """A third black-box red team's anger waves: "Hur kan man behandla kunder så här", "Varför alltid så rörigt i
    kassan", "79 kr for fragt?? Er I sindssyge", "Why is a university doing this?" started the reply clock and gave
    false `sla.unanswered` warnings. The speaker has judged already; these count as complaints."""
    assert not asks_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hur kan jag byta lösenord",
        "Hur kan man byta lösenord",
        "How can I change my address like this?",  # the speaker asks how they can do something
        "Hur kan jag göra så att paketet kommer fram på fredag",
        "Varför är butiken stängd idag",
        "Why is my order late?",
        "Hvorfor er min pakke ikke kommet",
        "Varför svarar ni aldrig",  # a nudge to answer, not a pattern complained of
        "Do you mind sending the receipt",
        "Er I sindssyge? Hvornår kommer min pakke",  # a question's own form asks in an outburst
        "Hur kan man behandla kunder så här? Ring mig",  # a request inside a complaint
        "Are you open today?",
        "Finns tröjan i större storlek?!",  # excited, not indignant: a question's own form
        "Vem har ansvar för min beställning?",  # a who-question that wants a name
        "Who can I call about my order?",
        "Stämmer det att ni har stängt på lördag",  # a verb first, and its subject, no comma between
        "What are your opening hours",
    ],
)
def test_real_questions_beside_the_rhetorical_forms_still_ask(text: str) -> None:
    assert asks_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "What a player, what a leader.",
        "What an organiser",
        "Stämmer, vi var där i går.",
        "Kommer, vi ses där!",
        "90 kr för en kaffe, vem har råd med det.",
        "Who can afford that anyway?",
        "Vem bryr sig.",
        "Hvem gider det",
        "Seriously? A fee for paper invoices in 2026?",
        "Seriöst? Ännu en prishöjning?",
        "49 kr i frakt?! Skandal.",
        "A fee for paper bills? Joke.",
    ],
)
def test_exclamations_answers_and_self_answering_questions_ask_nothing(text: str) -> None:
    """A fifth black-box red team's pages: "What a player and what a man" (a condolence) read as a question, the
    answer "Stämmer, jag har ..." as a verb-first question, "vem har råd med det" and "Seriøst? '...' i 2025?" as
    questions to the page: each started the reply clock and gave a false `sla.unanswered` warning. "What a/an"
    exclaims; a verb followed by a comma answers; "who can afford / cares / bothers" answers itself ("nobody"); and
    disbelief or a verdict alone as a sentence ("Seriously?", "Skandal.") makes the message an outburst, in which a
    "?" asks only by a question's own form. (These sentences are written for this test, not the red team's.)"""
    assert not asks_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hej, jeg vil gerne ændre leveringsadressen på ordre 3400192.",
        "Jag vill avboka min tid på torsdag.",
        "I'd like to cancel my subscription.",
        "Hei, jeg ønsker å bytte størrelse",
        "We would like to move our booking to Friday",
    ],
)
def test_in_a_private_message_what_the_customer_wants_done_asks_and_in_public_it_does_not(text: str) -> None:
    assert asks_reply(text, private=True)
    assert not asks_reply(text)  # a public "I want to ..." is often a protest's churn threat


@pytest.mark.parametrize(
    "text",
    [
        "Jag vill bara säga tack för hjälpen",
        "I just want to say thanks",
        "Jeg vil aldrig handle her igen",
        "Vi vill inte",
    ],
)
def test_a_private_message_of_thanks_or_never_again_asks_nothing(text: str) -> None:
    assert not asks_reply(text, private=True)
