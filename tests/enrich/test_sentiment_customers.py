"""How customers write to a company, in the sentences' own words (written for these tests, not taken from any
labelled text): questions about their own matter, irony around a complaint, names, complaints told as facts."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinel.enrich.sentiment import score, score_on_page

NEGATIVE = -0.25  # the crisis rules' negative_below


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hur anmäler jag en vattenskada?", "sv"),
        ("@Banken kan man spärra kortet i appen om det blir stulet?", "sv"),
        ("Hej, vad gäller om grannens träd faller på vårt garage?", "sv"),
        ("Gäller hemförsäkringen vid inbrott i förrådet?", "sv"),
        ("Hvordan klager man over en afgørelse?", "da"),
        ("Dekker innboforsikringen tyveri av sykkel?", "no"),
        ("How do I report a stolen card?", "en"),
        ("Vet någon om hemförsäkringen täcker stöld ur förrådet?", "sv"),  # asking the others
        ("Vad händer med sparkontot om banken går i konkurs?", "sv"),
        ("Hur funkar självrisken om någon backar in i min bil?", "sv"),
        ("Ved nogen om indboforsikringen dækker tyveri?", "da"),
    ],
)
def test_a_question_about_ones_own_matter_is_not_a_complaint(text: str, lang: str) -> None:
    """Its words of damage, theft or trouble are what it asks about."""
    assert score_on_page(text, lang) > NEGATIVE


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hur kan ni ta så mycket betalt för så dålig service?", "sv"),  # to the page
        ("Varför måste jag legitimera mig fyra gånger?", "sv"),  # "varför": annoyed
        ("Hur svårt kan det va att svara på ett mejl?", "sv"),
        ("Varför tar det en månad att få ersättning?", "sv"),
        ("Hur ska jag kunna betala när ni höjer avgiften igen?", "sv"),  # the page does something: a complaint
        ("Hur säger jag upp mitt konto?", "sv"),  # leaving is meant in a question too: in a storm, a churn wave
        ("Kan man skifte til en anden bank online?", "da"),
    ],
)
def test_a_question_at_the_page_or_asking_why_still_complains(text: str, lang: str) -> None:
    assert score_on_page(text, lang) <= NEGATIVE


def test_a_text_whose_feeling_is_the_questions_topic_is_not_read_again_with_other_tables() -> None:
    """Its language heard a feeling ("problem") and set it aside: reading it again with English would find one in
    "hand" (i andra hand, sublet)."""
    text = "Blir det något problem med försäkringen om jag hyr ut i andra hand?"
    assert score_on_page(text, "sv") == 0.0


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Tre veckor utan svar och ingen tar telefonen. Snyggt.", "sv"),
        ("Samtalet bröts efter en timme i kö. Magiskt", "sv"),
        ("Kortet spärrades igen utan förklaring. Tack för det", "sv"),
        ("Snyggt jobbat, fyra veckor och ingen har svarat", "sv"),
        ("Appen har været nede hele dagen. Super.", "da"),
        ("Er 'smarta' chatt skickade mig runt i tio minuter och kunde inte hjälpa mig", "sv"),
        ("Snyggt jobbat, appen har legat nere hela dagen. Magiskt.", "sv"),  # praise on both sides of it
        ("Fantastisk, toget er aflyst igen. Elsker det.", "da"),
    ],
)
def test_praise_around_a_complaint_is_irony(text: str, lang: str) -> None:
    assert score_on_page(text, lang) <= NEGATIVE


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Kortet blev stulet i helgen. Tusen tack för snabb hjälp", "sv"),  # thanks are meant
        ("Det var krångligt i början men ni löste det. Bra jobbat", "sv"),  # "men": weighed, not turned
        ("Skärmen var trasig när den kom. Bytt på en dag, kjempefornøyd", "no"),  # saying one is satisfied
        ("Appen krånglade i morse. Nu funkar den igen, toppen!", "sv"),
    ],
)
def test_meant_praise_after_trouble_is_not_irony(text: str, lang: str) -> None:
    assert score_on_page(text, lang) > NEGATIVE


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Blev kund i våras och ångrar inget", "sv"),
        ("Stort tack till handläggaren", "sv"),
        ("Tusind tak for hjælpen med skaden", "da"),
        ("Ble kunde i fjor og angrer ikke", "no"),
    ],
)
def test_strengthened_thanks_and_no_regrets_are_praise(text: str, lang: str) -> None:
    """Swedish "tack" alone is politeness (the floor), "stort tack" and "tusen tack" are meant. "Ångrar inget": a
    negator after the word it turns, which "inget" otherwise never does."""
    assert score_on_page(text, lang) > 0.05
    assert score("Tack till handläggaren", "sv") == 0.0 and score("Blev kund och ångrar det", "sv") < 0


def test_without_trouble_is_praise_and_a_companys_sympathy_is_no_complaint() -> None:
    """ "Utan krångel" turns "krångel" around; "Tråkigt att höra" is how a company answers, not what it feels."""
    assert score_on_page("Fick ersättningen utan krångel", "sv") > NEGATIVE
    assert score_on_page("Uten problemer i det hele tatt", "no") > 0.05
    assert score_on_page("Hej! Tråkigt att höra. Skicka ett DM så tittar vi på det. /Lisa", "sv") == 0.0
    assert score_on_page("Hej! Vi förstår att det är frustrerande. Skriv till oss privat.", "sv") == 0.0


def test_a_text_in_the_pages_language_with_no_feeling_is_not_read_again_in_english() -> None:
    """Swedish "sin" (their own) is English "sin", "lag" (law) English "lag": a text that the language tells is
    Swedish and in which Swedish hears nothing is neutral."""
    assert score_on_page("ICA Banken flyttar sin kundtjänst från Solna till Helsingborg under våren.", "sv") == 0.0
    assert score_on_page("Terrible service, never again", "sv") <= NEGATIVE  # English on a Swedish page still reads


def test_scare_quotes_turn_praise_but_not_a_plain_word() -> None:
    assert score("Er 'fantastiska' assistent", "sv") < 0 < score("Er fantastiska assistent", "sv")
    assert score("Vilken ”hjälpsam” kundtjänst", "sv") < 0


def test_a_capitalised_word_within_a_sentence_is_a_name_not_a_compound() -> None:
    """ "Stavanger" ends in Danish "anger" (remorse) and "Egersund" in "sund" (healthy)."""
    assert score_on_page("Kan man ta med sykkel på toget Stavanger–Egersund?", "no") == 0.0
    assert score("Vi åkte till Stavanger i helgen", "sv") == 0.0
    assert score("Usel service", "sv") < NEGATIVE  # the first word of a sentence is no name
    assert score("#Skitservice igen", "sv") < NEGATIVE  # nor a hashtag
    # A mention is a full name, of which the handle pattern takes the first word: the rest is a name too ("Mitchell"
    # taken apart is -3.6, and a contest's tagging entries read as complaints)
    assert score("@Harry Mitchell den här måste vi vinna!", "sv") > 0.05


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Har suttit i kö i 50 minuter nu", "sv"),
        ("Det har gått tre veckor sedan jag skickade in allt", "sv"),
        ("Fem samtal, fem olika svar", "sv"),
        ("Ingen kan förklara varför mitt konto är låst", "sv"),
        ("Nu funderar jag på allvar på att byta", "sv"),
        ("nettbanken har vært nede hele formiddagen", "no"),
        ("null svar på e-post, tredje gang jeg skriver", "no"),
        ("20 år som kunde og dette er takken", "no"),
        ("ingen tager telefonen og intet svar på mail", "da"),
        ("Vi overvejer seriøst at skifte", "da"),
        ("har siddet i kø i 45 minutter", "da"),
        ("Hvorfor tager det tre uger at få en afgørelse?", "da"),
        ("Det har tatt fem dager nå", "no"),
        ("Väntar fortfarande på ersättningen för cykeln", "sv"),
        ("Ni höjde räntan utan någon förvarning", "sv"),
        ("Att man ska behöva ringa för att få ett kontoutdrag", "sv"),
        ("Det är inte normalt att appen ligger nere varje lönedag", "sv"),
        ("Nu får ni skärpa er", "sv"),
        ("De lukkede min konto uden varsel", "da"),
        ("Dere må skjerpe dere", "no"),
        # Danish and Norwegian forms of Swedish complaint phrases they lacked
        ("I er fuldstændig ligeglade med jeres kunder", "da"),
        ("Kan stadig ikke logge ind i netbanken", "da"),
        ("Nu er det nok, jeg giver op", "da"),
        ("Dere bryr dere ikke om kundene", "no"),
        ("Får ikke tak i noen hos dere", "no"),
        ("Ikke verdt pengene", "no"),
        # the page not answering, a queue told by its number, nothing paid, indignation asked
        ("Handläggaren svarar inte på mejl", "sv"),
        ("Sitter i kö hos banken. Plats 143.", "sv"),
        ("kö 87 min till kundtjänst", "sv"),
        ("Reseförsäkringen täckte inte ett skit", "sv"),
        ("Ingen sa ett ord om karenstiden när jag tecknade den", "sv"),
        ("Appen loggade ut mig 5 ggr på en kvart", "sv"),
        ("Ni flyttade mina pengar utan att säga något", "sv"),
        ("Sen när kostar det 50 kr att ta ut pengar", "sv"),
        ("Har sendt e-post to ganger uten svar", "no"),
        ("Sagsbehandleren svarer ikke på mails", "da"),
        ("The bank still doesn't answer my emails", "en"),
    ],
)
def test_complaints_told_as_facts(text: str, lang: str) -> None:
    assert score_on_page(text, lang) <= NEGATIVE


_PIECES = st.sampled_from(
    [
        "bra", "inte", "Snyggt", "tack för det", "Tusen tack", "ingen", "?", "!", ".", ",", "\n", " ", "'", "”",
        "@bank", "#usel", "😡", "😂", "👍", "\ufe0f", "hur", "jag", "kan", "men", "Stavanger", "super", "kjempe",
        "har vært nede", "varför", "…", "ok", ":", "a" * 50,
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40), st.sampled_from(["sv", "da", "no", "en", "de", None]))
def test_any_arrangement_of_the_rules_pieces_scores_within_bounds(pieces: list[str], lang: str | None) -> None:
    """The irony, question and name rules look around sentence ends, quotes and handles: no arrangement of those
    pieces may raise or leave the scale (a raise would fail the worker's batch)."""
    text = "".join(pieces)
    assert -1.0 <= score_on_page(text, lang) <= 1.0
    assert -1.0 <= score(text, lang) <= 1.0


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Där tappade ni en trogen kund", "sv"),  # the adjective used to break the churn phrase and read as praise
        ("Ni har förlorat en nöjd kund", "sv"),
        ("I har lige mistet en loyal kunde", "da"),
        ("Dere har mistet en trofast kunde", "no"),
        ("You just lost a loyal customer", "en"),
    ],
)
def test_a_customer_lost_with_an_adjective_is_still_churn(text: str, lang: str) -> None:
    assert score_on_page(text, lang) <= NEGATIVE


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Vi har inte tappat en enda kund i år", "sv"), ("We have not lost a single customer this year", "en")],
)
def test_not_a_single_customer_lost_is_no_churn(text: str, lang: str) -> None:
    assert score_on_page(text, lang) > NEGATIVE
