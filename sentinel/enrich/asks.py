"""``asks_reply``: does a customer's text ask the page for an answer? Swedish, English, Danish and Norwegian
(Bokmål, and Nynorsk's question words), offline, no I/O.

A text asks when any of its sentences is
- a question: a ``?`` outside links; a question word followed by a verb ("hur gör jag", "when does the shop
  open"), not by a subject ("när jag kom dit", "when I got there": a clause, not a question); a verb first
  followed by a subject ("har ni öppet", "do you ship"); "jag undrar", "I wonder";
- a request for help or action: an imperative first ("ring mig", "call me back"), or a phrase that asks
  ("vill ha svar", "behöver hjälp", "please", "I want a refund", "still waiting for an answer").

A bare complaint, thanks, praise or statement asks nothing; a request inside a complaint does. How well this
does on labelled sentences: ``tests/enrich/asks_reply_cases.jsonl`` and docs/community.md.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator

from sentinel.enrich.text import HANDLE, is_question, reading, strip_urls


def words(text: str) -> frozenset[str]:
    """A word list written as text, one word per space."""
    return frozenset(text.split())


# (a "." or ":" between digits is a time or a number, "07:12", "10.30", not the end of a sentence)
_SENTENCES = re.compile(r"(?:[!?…\n;]|(?<!\d)[.:]|[.:](?!\d))+")
_SENTENCE = re.compile(r"[^.!?…\n;:]+[.!?…\n;:]*")  # a sentence and its marks, in one pass
_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)

# Subjects: after a question word they make a clause ("när jag kom"), after a verb a question ("har ni").
SUBJECTS = words("""
jag du ni vi han hon de dom det man någon nån den detta ert er era
i you we he she they it there someone anyone anybody somebody your this that
jeg eg dere hun ho dei der nogen noen nokon jer
""")

# Question words (interrogatives).
QUESTION_WORDS = words("""
vad var vart varifrån varför när hur vem vems vilken vilket vilka hurdan
what where when why how who whom whose which what's where's how's who's when's why's
hvad hva kva hvor hvorfor kvifor hvornår når hvordan korleis hvem kven hvilken hvilket hvilke
""")
# Danish "hvor" is also "how" in an exclamation: "Hvor er det flot!", "Hvor er I søde" (a pronoun after the verb)
_EXCLAIMING = frozenset({"hvor"})
# Question words that ask "which": a noun follows them ("vilken tid", "which size", "hvilke farver")
_WHICH = words("vilken vilket vilka which hvilken hvilket hvilke")

# Finite verbs that begin a yes/no question when a subject follows ("har ni", "is there", "can I").
LEADING_VERBS = words("""
har hade är var finns fanns kan kunde ska skall skulle vill ville får fick måste bör borde går gick gör gjorde
vet visste brukar blir blev kommer kom tar säljer levererar skickar erbjuder behöver gäller stämmer fungerar funkar
tänker planerar accepterar tillåter hjälper öppnar stänger
do does did is are was were can could will would should shall have has had may might must
er havde hadde findes finnes fandtes fantes kunne skulle ville fik fikk burde gik gikk gør gjør ved vet
vidste visste plejer pleier bliver ble tager sælger selger sender tilbyder tilbyr trenger gælder gjelder passer
virker hjælper hjelper åbner åpner opnar lukker stenger leverer
""")

# After a question word: a verb (English auxiliaries; Swedish finite forms, mostly -r, -de, -te, -s).
_EN_AUX = words("""
do does did is are was were can could will would should shall have has had may might must
is'nt isn't don't doesn't didn't can't won't wasn't aren't
""")
_EN_DETERMINERS = words("the a an my your our his her their these those any")  # "is the shop open"
_SV_VERB_END = ("r", "de", "te", "dde", "s")
_SV_SHORT_VERBS = words("kan ska skall vill får må bör gick kom fick var tog gav blev fanns sa sade")
_DA_NO_SHORT_VERBS = words("er har skal vil fik fikk gik gikk tok ga ble sagde")

# Imperatives that open a request to the page.
IMPERATIVES = words("""
ring kontakta svara hjälp skicka återkom hör fixa ändra lös ge berätta förklara meddela maila mejla mejl
rätta avboka avbeställ stoppa ersätt återbetala
call contact reply respond answer help send fix tell explain email dm refund cancel
remove let please pls plz
hjælp hjelp fortæl fortell forklar giv gi løs fiks ændr endre afbestil avbestill refunder
""")

# After an imperative, someone other than the page and the speaker: "ring någon på banken", "call them" tells other
# visitors what to do; a request to the page asks for the speaker ("ring mig") or for nothing named ("svara!").
OTHERS = words("""
någon nån någonting dem dom honom henne polisen alla varandra
someone somebody anyone anybody them him her everyone police
nogen noen nokon ham hende politiet hinanden hverandre
""")

# Verbs of getting in touch: with the page's own name after them ("Ring Kraftverket och säg att sidan är kapad",
# "Contact Druvan about it") a visitor tells the others whom to reach, which asks the page nothing.
_CONTACT = words("ring kontakta maila mejla mejl skriv call contact email phone kontakt mail")

_QUESTION_NOUN = r"(?:fråga|frågor|fundering|funderingar|spørgsmål|spørsmål|question|questions|query|queries)"

# Phrases that ask for an answer or an action anywhere in a sentence (lower case, whole words).
REQUEST_PHRASES = tuple(
    re.compile(r"\b" + p + r"\b")
    for p in (
        # Swedish
        r"vill (?:ha|få) (?:ett |en )?(?:svar|hjälp|besked|återkoppling|pengarna|ersättning|förklaring|kvitto)",
        # "vill veta", "vill prata med": the page must answer. "Jag vill säga upp/avboka" states what the speaker will
        # do (often a churn threat in a protest): a statement, counted by the crisis rules, not a request
        r"vill (?:veta|prata|tala)",
        r"(?:behöver|önskar|begär|kräver) (?:\w+ )?(?:hjälp|svar|besked|ersättning|återbetalning|pengarna)",
        r"hjälp mig",
        r"(?<!tack )snälla",
        r"tacksam om",
        # "det vore fint om ni kunde", "fint om dere kan sjekke", "dejligt hvis I vil": a polite request
        r"(?:fint|bra|snällt|schysst|kjekt|flott|godt|dejligt|rart) (?:om|hvis) (?:ni|dere|i) "
        r"(?:kan|kunne|kunde|vil|ville)",
        r"tacksam för (?:ett |snabbt |ert )?svar",
        r"hoppas på (?:ett )?svar",
        r"väntar (?:\w+ )?på (?:ett |ert |något )?(?:svar|besked|återkoppling|pengarna)",
        r"(?:jag )?undrar",
        r"någon som vet",
        r"hör av er",
        r"ring (?:mig|oss)",
        r"kontakta (?:mig|oss)",
        r"återkom",
        # English
        r"please",
        r"pls",
        r"plz",
        r"(?:i|we)(?: want| need| demand| expect| would like|'d like|’d like) (?:a |an |my |our |to )?"
        r"(?:refund|answer|reply|response|help|money|explanation|know|speak|talk)",
        r"(?:need|needs|needed) (?:some )?help",
        r"help me",
        r"help us",
        r"(?:i|we) (?:wonder|was wondering|am wondering)",
        r"still waiting",
        r"waiting (?:for|on) (?:a |an |your |my )?(?:reply|answer|response|refund)",
        r"let me know",
        r"get back to (?:me|us)",
        r"call me",
        r"contact me",
        r"anyone know",
        r"does anyone",
        r"would appreciate",
        r"kindly",
        r"(?:i'd|i’d|i would) appreciate",
        # Danish and Norwegian
        r"venligst",
        r"vennligst",
        r"vær så (?:venlig|snill)",
        r"(?:ring|kontakt|hjælp|hjelp|skriv til|send) (?:mig|meg|os|oss)",
        r"svar (?:venligst|vennligst|gerne|gjerne|tilbage|tilbake|mig|meg|os|oss)",
        r"vil (?:gerne |gjerne )?(?:have|ha|få) (?:et |en )?"
        r"(?:svar|hjælp|hjelp|besked|beskjed|pengene|refusion|refusjon|forklaring)",
        r"vil (?:gerne |gjerne )?(?:vide|vite|tale med|snakke med)",
        r"(?:har brug for|behøver|trenger) (?:\w+ )?(?:hjælp|hjelp|svar|besked|beskjed)",
        r"venter (?:\w+ )?på (?:et |jeres |deres |noget |noe )?"
        r"(?:svar|besked|beskjed|pengene|refusion|refusjon|tilbagemelding|tilbakemelding)",
        r"(?:lurer|undrer mig|undres) på",  # "jeg lurer på", I wonder
        r"gad vide",
        r"(?:giv|gi) (?:mig |meg |os |oss )?(?:besked|beskjed|svar)",
        r"(?:vend|kom) tilbage",
        r"kom tilbake",
        r"(?:tag|ta) kontakt",
        r"nogen der ved",
        r"noen som vet",
        # Announcing a question asks for the answer to come: "Hej, jag har en fråga om min faktura", "I've got a
        # quick question", "Jeg har et spørgsmål", "Eg har eit spørsmål", "Snabb fråga:", "Quick question re my bill"
        r"(?:har|hade|have|had|got|havde|hadde|fått|fik|fikk) (?:en|ett|et|eit|ein|a|an|one|some|a few|a couple of|"
        r"ett par|et par|några|nogle|noen|nokre|nokon) (?:\w+ )?" + _QUESTION_NOUN,
        r"(?:snabb|kort|liten|quick|short|small|hurtigt|hurtig|lille|kjapt|kjapp|lite|lita)(?: \w+)? " + _QUESTION_NOUN,
    )
)


# In a private message the customer writes to the page alone, so saying what they want done asks the page to do it:
# "Hej, jeg vil gerne ændre leveringsadressen på ordre 3400192", "Jag vill avboka min tid", "I'd like to cancel my
# order". In a public comment the same form is often a protest's churn threat ("Jag vill säga upp mitt konto"),
# which the crisis rules count, so there it asks only as the phrases above do. Not what the speaker will never do
# again, nor "I just want to say thanks".
_WANTS = re.compile(
    r"\b(?:(?:jag|vi) (?:vill|skulle vilja|önskar)(?: gärna)?"
    r"|(?:jeg|eg|vi) (?:vil|ville|skulle|ønsker|ønskjer)(?: gerne| gjerne| godt)?(?: have| ha)?"
    r"|(?:i|we)(?:'d|’d| would)? (?:like|want|wish|need) to)"
    r" (?!(?:inte|ikke|ikkje|aldrig|aldri|never|not|bara|bare|just|kun|säga|sige|si|seie|say|tacka|takke|thank)\b)"
    r"[^\W\d_]+"
)


@functools.lru_cache(maxsize=4096)
def asks_reply(text: str, page: frozenset[str] = frozenset(), private: bool = False) -> bool:
    """Whether ``text`` asks the page for an answer: a question (with or without a ``?``) or a request for help or
    action (memoised: a thread's quotes and reposts ask again). ``page``: the page's names (``page_names``); a
    sentence that opens with a handle asks the page when the handle names it, and asks nothing when it names
    someone else ("@lisa har du sett": a friend tagged, not the page; with no names given, no handle names it).
    A rhetorical question asks nothing, with or without its ``?`` (``_rhetorical``); in an outburst ("79 kr for
    fragt?? Er I sindssyge") a ``?`` is the outburst's, and only a question's own form asks. ``private``: the text
    is a private message to the page, where saying what one wants done asks for it (``_WANTS``)."""
    parts = list(_parts(strip_urls(text).lower()))
    if private and any(_WANTS.search(s) for s, _ in parts):
        return True
    outburst = any(_outburst(_WORDS.findall(s)) for s, _ in parts)
    return any(_part_asks(s, marks, page, outburst) for s, marks in parts if s.strip() or is_question(marks))


def _parts(plain: str) -> Iterator[tuple[str, str]]:
    """``plain``'s sentences, each with the marks that end it ("" for the last when none do)."""
    start = 0
    for m in _SENTENCES.finditer(plain):
        yield plain[start : m.start()], m.group()
        start = m.end()
    if start < len(plain):
        yield plain[start:], ""


def _part_asks(sentence: str, marks: str, page: frozenset[str], outburst: bool) -> bool:
    """Whether one sentence asks: with a ``?`` (in its marks, or a full-width or Spanish one in it) unless it is
    rhetorical, part of an outburst without a question's form, or put to someone else it opens by tagging."""
    if not (is_question(marks) or is_question(sentence)) or outburst:
        return _sentence_asks(sentence, page)
    if "@" in sentence and not _after_greeting(sentence.lstrip() + marks, page):
        return False  # a question put to someone the sentence opens by tagging is theirs: "@lisa har du sett?"
    ws = _WORDS.findall(_after_greeting(sentence, page))
    return not _rhetorical(ws, sentence) or any(p.search(sentence) for p in REQUEST_PHRASES)


def asks_for_answer(text: str, page: frozenset[str] = frozenset(), private: bool = False) -> bool:
    """Whether a message's ``text`` asks the page for an answer, as every part of Sentinel decides it (the rules'
    ``asks_reply``, ``sentinel report``, the daemon's SLA metrics): ``asks_reply`` of what is read of it
    (``reading``: NFKC, invisible characters removed, at most its start), so that "Är" typed as A + combining
    diaeresis (NFD, as some keyboards send it) reads as "Är". ``page``: the page's names (``page_names``);
    ``private``: a private message to the page (``message.received``)."""
    return bool(text) and asks_reply(reading(text), page, private)


@functools.lru_cache(maxsize=1024)  # asked for every comment's event: a page's names, made once
def page_names(page_id: str, name: str | None) -> frozenset[str]:
    """How a handle may name the page: its id and its name in letters and digits only, lower case, and the name's
    first word ("@druvan" for "Druvan Vin & Mat")."""
    names = {_handle_form(page_id)}
    if name:
        names.add(_handle_form(name))
        first = _WORDS.findall(name.lower())
        if first:
            names.add(first[0])
    names.discard("")
    return frozenset(names)


def _handle_form(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


# How a comment greets before it asks: "Hej, har ni ...", "Hi there, do you ...", "God morgon Druvan, när ...".
# One or two greeting words open the sentence; when a comma follows within the next few words, what came before it
# is the greeting and the name greeted, and the question starts after it.
GREETINGS = words("""
hej hejsan hallå tjena tja tjenare hejhej morrn
hi hello hey hiya dear greetings
hei hallo heisann hejsa goddag morn kære kjære
""")
_TIMED_GREETINGS = words("morgon morning dag day kväll kvällen evening eftermiddag afternoon aften kveld morgen")
_GREETING_FIRST = words("god good")
_VOCATIVE_WORDS = 3  # "hej kära kundtjänst,": at most this many words between the greeting and its comma
_LEADING_HANDLES = re.compile(r"^\s*(?:@\w+[\s,:]*)+")  # "@druvan har ni ...": whom is asked, not a word of it
# Words a question word or a verb never is, though they end like a verb: "Varför inte!" exclaims.
# Words ending as a Swedish verb does that are none: "hos" (at: a preposition ending as a passive does), and the
# adverbs and prepositions after which Swedish "var" is "was", not "where" ("Var där i lördags", "Var kvar till
# stängning", "Var över en timme kö": statements)
_NOT_VERBS = words("inte icke ikke ikkje not hos där här kvar mer över under efter super")
# A curse right after "what" makes it an outburst ("Vad fan håller ni på med", "Hvad fanden har I gang
# i", "What the hell are you doing"): a complaint, which counts towards a crisis, not a question the team owes an
# answer. Written with a "?" it is still a question (``asks_reply`` reads those first).
_CURSES = words("fan fasen jävlar satan tusan helvete faen fanden helvede søren pokker hell fuck fucking heck")
_BEFORE_CURSE = words("i the in")  # "vad i helvete", "what the hell", "hva i helvete"
_WHAT = words("vad hvad hva kva what")  # "why the hell is my refund late" and "hur fan når jag er" still ask


def _after_greeting(sentence: str, page: frozenset[str]) -> str:
    """``sentence`` without its opening greeting and the name it greets ("hej druvan, när kommer ..." -> "när
    kommer ..."), and without the handles it opens with when they name the page; "" when they name someone else
    (the sentence is theirs to answer). Unchanged when it opens otherwise."""
    if "@" in sentence and not (sentence := _to_page(sentence, page)):
        return ""
    head = _WORDS.findall(sentence[:60])
    if not head:
        return sentence
    n = 0
    if head[0] in GREETINGS:
        n = 2 if len(head) > 1 and head[1] in GREETINGS else 1  # "hej hej", "hello hello"
    elif head[0] in _GREETING_FIRST and len(head) > 1 and head[1] in _TIMED_GREETINGS:
        n = 2  # "god morgon", "good evening"
    if not n:
        return sentence
    rest = sentence[_word_end(sentence, n) :]
    comma = rest.find(",")
    if comma >= 0 and len(_WORDS.findall(rest[:comma])) <= _VOCATIVE_WORDS:
        rest = rest[comma + 1 :]
    return _to_page(rest, page) if "@" in rest else rest


def _to_page(sentence: str, page: frozenset[str]) -> str:
    """``sentence`` without the handles it opens with, when one of them names the page; "" when they name only
    others; unchanged when it opens with none."""
    m = _LEADING_HANDLES.match(sentence)
    if m is None:
        return sentence
    handles = {_handle_form(h) for h in HANDLE.findall(m.group())}
    return sentence[m.end() :] if handles & page else ""


def _word_end(text: str, n: int) -> int:
    """Where the ``n``-th word of ``text`` ends."""
    end = 0
    for m in itertools.islice(_WORDS.finditer(text), n):
        end = m.end()
    return end


# Wondering what someone else says or thinks ("undrar vad grannen säger", "I wonder what my husband will say") is
# musing the page cannot answer; wondering what the page (or the reader) thinks still asks ("undrar vad ni tycker").
_OTHERS_OPINION = re.compile(
    r"\b(?:undrar|wonder|lurer på|undrer mig|undres på|gad vide)\s+(?:vad|what|hvad|hva|kva)\s+"
    r"(?!(?:ni|du|i|you|dere|de|jer|dykk|dokker)\b)\w+(?:\s+\w+)?\s+(?:will |would |kommer att |kommer til at )?"
    r"(?:säger|säga|sa|sade|tycker|tycka|tänker|tänka|tror|tro|says|said|say|thinks|think|siger|sige|sagde|synes|"
    r"tænker|tænke|sier|si|mener|mene|tenker|tenke)\b"
)


def _sentence_asks(sentence: str, page: frozenset[str] = frozenset()) -> bool:
    sentence = _OTHERS_OPINION.sub(" ", _after_greeting(sentence, page))
    words = _WORDS.findall(sentence)
    if not words:
        return False
    if _rhetorical(words, sentence):
        return any(p.search(sentence) for p in REQUEST_PHRASES)  # "Hur kan ni vara så dumma, ring mig"
    first, second = words[0], words[1] if len(words) > 1 else ""
    numbered = sentence.lstrip()[:1].isdigit()  # "07:12 was a hit": the number is its subject, the verb is not first
    if _question_word_opens(words):
        return True
    if "," in sentence and any(
        _question_word_opens(ws) and not _rhetorical(ws, c)
        for c in sentence.split(",")[1:]
        if (ws := _WORDS.findall(c))
    ):
        return True  # "order 51877, när skickas den": the question after what it is about (a verb first after a
        # comma is no question in Swedish: "när jag kom dit, var det stängt")
    leading = (
        first in LEADING_VERBS
        and (second in SUBJECTS or (first in _EN_AUX and second in _EN_DETERMINERS))
        and not _comma_after_first_word(sentence)  # "Stämmer, jag har legat däckad": "right, I ...", an answer
    )
    if leading and not numbered:
        return not (first == "have" and second in ("a", "an"))  # "Have a nice day" wishes
    if first in IMPERATIVES and second not in OTHERS and not (first in _CONTACT and second in page):
        return True
    return any(p.search(sentence) for p in REQUEST_PHRASES)


def _comma_after_first_word(sentence: str) -> bool:
    """Whether a comma follows the sentence's first word: a verb there is an answer or an aside ("Stämmer, jag har
    ...", "Gäller, men ..."), not the verb of a question whose subject follows."""
    m = _WORDS.search(sentence)
    return m is not None and sentence[m.end() :].lstrip().startswith(",")


# Rhetorical questions: the speaker has judged already, and wants no information but the conduct to stop. They count
# as complaints towards a crisis. Three forms, in the four languages:
# - "how can/could ... like this / so <adjective>" and "how dare": "Hur kan man behandla kunder så här", "How can
#   you be so stupid", "Hvordan kan I tage så meget", "Hvordan tør dere"; not when the speaker asks how they can do
#   something ("Hur kan jag byta lösenord", "How can I change my address like this?": the speaker as subject);
# - "why ... always" and "why ... (do) this / like this": "Varför alltid så rörigt", "Varför ska det alltid vara så
#   krångligt", "Why is a university doing this?", "Hvorfor behandler I folk sådan"; a why-question about one fact
#   still asks ("Varför är butiken stängd idag", "Why is my order late?");
# - an insult or disbelief put as a yes/no question to the page (``_outburst``).
_HOW = words("hur how hvordan korleis")
_CAN = words("kan kunde can could kunne")
_DARE = words("vågar dare dares tør tor")
_SPEAKER = words("jag vi jeg eg me we")
_WHY = words("varför why hvorfor kvifor")
_ALWAYS = ("alltid", "altid", "always", "jämt", "ständigt", "constantly")  # as a word's start: "alltids å rörigt"
_MANNER = re.compile(
    r"\b(?:så här|såhär|så där|sådär|på det här sättet|like this|like that|this way|that way|sådan|sådant|sånn|sånt|"
    r"slik|slikt|på den måde|på denne måten|hela tiden|all the time|every time|varje gång|hele tiden|hver gang)\b"
)
_DEGREE = re.compile(r"\b(?:så|so|such)\s+(?!(?:att|at|som|as|that|det|ni|i|du|jag|you|we|vi|jeg|dere)\b)[^\W\d_]+")
_CONDUCT = re.compile(
    r"\b(?:do|does|did|doing|done|gör|gjorde|göra|gør|gøre|gjør|gjøre)\s+(?:\w+\s+)?"
    r"(?:this|that|så här|det här|detta|det her|dette|sådan|slik|sånn)(?!\s+[^\W\d_])"
)
# Insults and disbelief after "are you": "Er I sindssyge", "Är ni inte kloka", "Are you out of your mind".
_INSULTS = words("""
galna galen galet dumma dum dumt idioter idiot sinnessjuka sinnessjuk knäppa knäpp tokiga kloka vettet seriösa
sindssyge sindssyg skøre skør tossede gale gal dumme vanvittige forstanden seriøse seriøs
sprø sinnssyke sinnssyk dust vettet
insane crazy mad stupid nuts idiots mental deranged kidding joking serious
""")
_JOKING = words("skämtar skojar driver tuller kødder kidding joking")  # "Skämtar ni", "Tuller dere", "Kidding me"
_BE = words("är e er har are is have has")
_ADDRESSED = words("ni du i dere de dom dei you they jer")


# Disbelief or a verdict alone as a sentence: "Seriöst?", "Seriously?", "Really?!", "På riktigt?", "Skämt.", "Joke.":
# the other sentences' "?" is then the outburst's ("35 kr i månaden för ett kort?! Skämt.").
_DISBELIEF = words("""
seriöst allvarligt skämt skandal seriøst alvorlig alvorligt virkelig skandale seriously really wtf joke
""")
_DISBELIEF_PAIRS = (("på", "riktigt"), ("for", "real"), ("på", "alvor"))
# "Who can afford that", "vem bryr sig", "hvem gider": who-questions that answer themselves ("nobody").
_WHO = words("vem hvem kven who")
_SELF_ANSWERING = re.compile(
    r"\b(?:har|haver|have|has|can|could|kan|kunne)\s+(?:\w+\s+)?(?:råd|afford)\b"
    r"|\b(?:bryr|bryder|bryar|cares|care|gider|gidder|orkar|orker)\b"
)


def _outburst(words: list[str]) -> bool:
    """Whether a sentence's words insult the page as a yes/no question ("är ni helt galna", "er I sindssyge", "are
    you out of your mind", "skämtar ni"): an outburst, in which a "?" is the outburst's. ("Vad fan håller ni på
    med" is one only without its "?": ``_question_word_opens``.)"""
    if len(words) == 1 or (len(words) == 2 and tuple(words) in _DISBELIEF_PAIRS):
        return words[0] in _DISBELIEF or tuple(words) in _DISBELIEF_PAIRS
    if len(words) < 2:
        return False
    if words[0] in _JOKING and words[1] in _ADDRESSED | {"me", "med", "mig", "meg"}:
        return True
    return (
        words[0] in _BE
        and words[1] in _ADDRESSED
        and (any(w in _INSULTS for w in words[2:7]) or " ".join(words[2:6]).startswith("out of your mind"))
    )


def _rhetorical(words: list[str], sentence: str) -> bool:
    """Whether a sentence's words (``sentence``: its lower-case text) put a rhetorical question: see above."""
    if len(words) < 2:
        return False
    first = words[0]
    if first in _HOW and words[1] in _DARE:
        return True
    if first in _WHO and _SELF_ANSWERING.search(sentence):
        return True
    if first in _HOW and words[1] in _CAN:
        subject = words[2] if len(words) > 2 else ""
        speaker = subject in _SPEAKER or (first == "how" and subject == "i")
        return not speaker and bool(_MANNER.search(sentence) or _DEGREE.search(sentence))
    if first in _WHY:
        return (
            any(w.startswith(_ALWAYS) for w in words[1:])
            or bool(_MANNER.search(sentence))
            or bool(_CONDUCT.search(sentence))
        )
    return _outburst(words)


def _question_word_opens(words: list[str]) -> bool:
    """Whether ``words`` open with a question word and then, soon, a verb ("hur länge ska", "what time do"); not
    when a subject comes first ("när jag kom": a clause)."""
    if not words or words[0] not in QUESTION_WORDS:
        return False
    curse = words[2:3] if words[1:2] and words[1] in _BEFORE_CURSE else words[1:2]
    if words[0] in _WHAT and curse and curse[0] in _CURSES:
        return False  # "vad fan håller ni på med": an outburst
    if words[0] == "what" and words[1:2] in (["a"], ["an"]):
        return False  # "What a player", "What an evening": an exclamation ("what is a ..." has its verb first)
    if words[0] in _EXCLAIMING and words[1:2] in (["er"], ["var"]) and len(words) > 2 and words[2] in SUBJECTS:
        return False  # "Hvor er det flot", "Hvor er I søde": an exclamation, not "where is"
    if words[0] == "var" and not (len(words) > 1 and (_verb_like(words[1]) or words[1] == "någonstans")):
        return False  # Swedish "where" is followed by its verb ("var finns ni"); "var innom Hamar": Norwegian "was"
    for k, w in enumerate(words[1:4]):
        if k == 0 and w == "er":
            return True  # "hvorfor er", "hvor er": Danish and Norwegian "is" (Swedish "er", your, comes later)
        if w in SUBJECTS:
            return False
        if k == 0 and words[0] in _WHICH and not _known_verb(w):
            continue  # "vilka tider har ni": the noun it asks about, whatever its ending ("vilket pris!" exclaims)
        if _verb_like(w):
            return True
    return False


def _known_verb(word: str) -> bool:
    """A verb form the word lists know (not guessed from its ending)."""
    return word in _EN_AUX or word in _SV_SHORT_VERBS or word in _DA_NO_SHORT_VERBS or word in LEADING_VERBS


def _verb_like(word: str) -> bool:
    """A finite verb after a question word: an English auxiliary, or a Swedish, Danish or Norwegian present or past
    form (they end alike: "åbner", "åpner", "öppnar"; "kom", "fik")."""
    return word not in _NOT_VERBS and (
        _known_verb(word)
        or (len(word) > 2 and word.endswith(_SV_VERB_END) and not word.endswith(("ers", "ors")) and word.isalpha())
    )  # "he's" ends as a verb does, but is a subject and its verb


# Who asks about their own matter: a question with the speaker (or anyone: "man") as subject, or one of the
# impersonal openings below, asks for information ("Hur säger jag upp avtalet?", "Gäller försäkringen vid
# stöld?"); its words of damage, theft or problems are the topic, not a feeling. "Hur kan ni ...", "Varför ...",
# "Är det bara jag ...": not here.
_SELF = words("jag man vi jeg eg me")
_OPENINGS = (
    "går det att",
    "finns det",
    "gäller det",
    "blir det",
    "täcker",
    "gäller",
    "ingår",
    "findes der",
    "er der",
    "dækker",
    "gælder",
    "finnes det",
    "går det an",
    "dekker",
    "gjelder",
    "vad gäller",
    "vad händer om",
    "hvad gælder",
    "hvad sker der hvis",
    "hva gjelder",
    "hva skjer hvis",
    "vet nån",
    "vet någon",
    "nån som vet",
    "någon som vet",
    "hur funkar",
    "hur fungerar",
    "vad händer med",
    "ved nogen",
    "nogen der ved",
    "hvordan fungerer",
    "hvordan virker",
    "hvad sker der med",
    "vet noen",
    "noen som vet",
    "hva skjer med",
    "is there",
    "are there",
    "does it cover",
    "can i",
    "how do i",
    "how can i",
    "where do i",
    "where can i",
    "what do i",
    "who do i",
    "do i need",
    "does anyone know",
    "anyone know",
    "how does",
    "what happens",
)
_NOT_INFO = words("varför hvorfor kvifor why")
_CLAUSE = re.compile(r"[^,]+")
# A question in which the page does something asks about what it did: "Hur ska jag kunna betala när ni höjer
# avgiften?" is a complaint. (Swedish "ni" and Norwegian "dere" are the page as subject; "er", "jer" are objects.)
_PAGE_DOES = re.compile(r"\b(?:ni|dere|you)\b")


def info_questions(lower: str) -> list[tuple[int, int]]:
    """Where ``lower`` (lower-cased text) asks for information about the speaker's own matter: the ``(start, end)``
    of each such question sentence. Among its clauses one opens with a question word or a verb and then the speaker
    as subject ("var hittar jag", "kan man", "hvordan klager man"), or with one of ``_OPENINGS`` ("gäller det",
    "dækker", "is there", "can i": English "i" is listed in full phrases, as in Danish it is "you")."""
    if "?" not in lower:
        return []
    if "@" in lower:  # "@bank kan jag ...": a handle names whom is asked, it is no word of the question
        lower = HANDLE.sub(lambda m: " " * len(m.group()), lower)
    out: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(lower):
        if "?" not in m.group() or _PAGE_DOES.search(m.group()):
            continue
        for clause in _CLAUSE.finditer(m.group()):
            ws = _WORDS.findall(clause.group())
            if ws and _clause_asks_info(ws):
                out.append((m.start(), m.end()))
                break
    return out


def _clause_asks_info(ws: list[str]) -> bool:
    """Whether a clause's words (lower case) open a question about the speaker's own matter."""
    if ws[0] in ("hej", "hejsan", "hallå", "hei", "hallo", "hi", "hello") and len(ws) > 1:
        ws = ws[1:]
    head = " ".join(ws[:3])
    if any(head == p or head.startswith(p + " ") for p in _OPENINGS):
        return True
    first = ws[0]
    if first in _NOT_INFO:
        return False
    if first in QUESTION_WORDS or first in LEADING_VERBS:
        for w in ws[1:4]:
            if w in SUBJECTS:
                return w in _SELF
    return False
