"""Complaints told as facts: a service that fails, and waiting for it.

"The website is down again", "three hours on hold", "still no refund", "my order never arrived", "appen funkar
inte", "ligger nere", "har ventet i tre uger": no word in them is a feeling, so a word table scores them 0, yet
each tells of a service failure. ``find(text, lang)`` gives the spans of such **constructions**, each built from
families of words, not from sentences:

- **failure**: a delivery or function verb that is negated as an outcome ("never arrived", "didn't work", "kom
  aldrig", "virker ikke", "funker ikke");
- **no access**: a negated access verb ("can't log in", "unable to pay", "kan inte logga in");
- **outage**: a service noun that is down, offline or crashing ("the app is down", "site keeps crashing");
- **waiting**: waiting, a queue or hold with a duration ("on hold for 3 hours", "waited two weeks", "väntat
  sedan i måndags", "40 minutes in the queue");
- **still nothing**: "still" with the absence of what was owed ("still no refund", "still haven't heard back");
- **unanswered contact**: nobody answers, no reply since ("no one is picking up", "no response to my emails").

They are narrower than the complaint phrases in ``phrases.py`` on purpose, and what is left out is left out on
principle:

- **what is only pending** is no failure: "hasn't arrived yet", "har inte kommit än", "er ikke kommet endnu" are
  what ordinary customers ask about every day (the first attempt at complaint phrases counted them and raised false
  crisis warnings on ordinary pages: ``docs/negativity.md``). Only "never", a past failure ("didn't arrive"),
  "still" or a duration make it one;
- **a question** is no complaint: in a sentence that ends in "?" a construction counts nothing ("Does the app
  work on iPad?", "Is the site down?"), unless the question asks why ("Why is the site down again?");
- **negated complaints** cancel: a negator in the three words before a construction, within its clause ("never
  had to wait more than two minutes", "har aldrig legat nere") takes it away.

Each construction counts as one item of ``VALUE`` on VADER's scale (as a phrase does), so alone it makes a text
negative for the crisis rules (-0.36, past their -0.25), and praise beside it can outweigh it ("waited two weeks
but it's gorgeous, love it"). Where a complaint phrase of ``phrases.py`` already covers the place, the phrase is
read and the construction is not. Patterns match lower-cased text, whole words only; all are written from
knowledge of the languages, none taken from a labelled text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping

from sentinel.enrich.phrases import languages

VALUE = -1.5  # one construction: as the waiting and outage phrases of ``phrases.py``

# --- English ---------------------------------------------------------------------------------------------------
_NUM_EN = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty"
    r"|several|many|a few|a couple of)"
)
_UNIT_EN = r"(?:minutes|minute|mins|min|hours|hour|hrs|hr|days|day|weeks|week|months|month)"
_DUR_EN = rf"(?:(?:over|more than|almost|nearly|about|at least) )?{_NUM_EN}(?: and a half)? {_UNIT_EN}"
_SINCE_EN = (
    r"since (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|last \w+|the \d+\w*"
    r"|this morning|early|\d+)"
)
_SERVICE_EN = (
    r"(?:site|website|web site|app|apps|server|servers|system|systems|service|page|network|login|log in|checkout"
    r"|payment|payments|portal|platform|internet|wifi|wi-fi|broadband|signal|phone line|phone lines|online banking"
    r"|card|cards|terminal|terminals|tills|booking|bookings|tracking)"
)
_THING_EN = (
    r"(?:order|orders|package|parcel|delivery|refund|money|replacement|item|items|goods|card|tickets?|invoice"
    r"|confirmation|engineer|technician|driver|courier|reply|response|answer|callback|call back|email)"
)
_ARRIVE_EN = (
    r"(?:arrived|arrive|came|come|showed up|show up|turned up|turn up|got delivered|been delivered|delivered"
    r"|received|receive|got here|get here|came through|come through|went through|go through|called back"
    r"|call back|got back to me|get back to me)"
)
_NOT_PRAISE_EN = r"(?! (?:across|close|cheap|such|so|a better|better|anything like|to mind))"
_WORK_EN = (
    r"(?:work|works|working|worked|load|loads|loading|open|opens|connect|connects|connecting|function|go through"
    r"|going through|went through)"
)
_NO_EN = r"(?:no|zero|not a single|not one|not an?)"
EN: tuple[str, ...] = (
    # failure: never, or a past failure; "hasn't arrived yet" is pending
    rf"never {_ARRIVE_EN}{_NOT_PRAISE_EN}",  # not "never came across a better shop"
    rf"(?:didn't|didnt|did not) (?:even )?{_ARRIVE_EN}{_NOT_PRAISE_EN}",
    rf"still (?:hasn't|hasnt|haven't|havent|has not|have not|not) (?:been )?{_ARRIVE_EN}|yet to {_ARRIVE_EN}",
    rf"(?:hasn't|hasnt|haven't|havent|has not|have not|still hasn't|still haven't) {_ARRIVE_EN} (?:in|after|for) "
    rf"{_DUR_EN}",
    rf"(?:won't|wont|will not|doesn't|doesnt|does not|didn't|didnt|did not|isn't|isnt|is not|aren't|arent)"
    rf" {_WORK_EN}",
    r"(?:stopped|has stopped|have stopped|keeps|keep) (?:working|loading|crashing|freezing|logging me out"
    r"|cutting out|dropping)",
    r"(?:is|are|was|has been|have been|keeps|keep) (?:broken|crashing|freezing|glitching)",
    # no access
    r"(?:can't|cant|cannot|can not|couldn't|couldnt|could not|unable to|won't let me|wont let me|not able to)"
    r" (?:log ?in|login|sign ?in|log on|access|get in|get into|get through|reach|contact|pay|check ?out|book"
    r"|order|top up|transfer|withdraw|use (?:the|my) (?:app|card|account))",
    # outage
    rf"{_SERVICE_EN} (?:is|are|was|were|has been|have been|went|goes|keeps going|been) (?:down|offline)",
    rf"(?:is|are|was|were|has been) (?:the |your |my |our )?{_SERVICE_EN} (?:down|offline)(?: again)?",
    rf"(?:{_SERVICE_EN} )?(?:outage|outages|downtime)",
    rf"{_SERVICE_EN} (?:crashed|crashes|keeps crashing|is crashing|won't load|wont load|doesn't load|not loading)",
    # waiting: with its duration
    rf"(?:on hold|waiting|waited|been waiting|in (?:the |a )?queue|in line|hold time|wait time|queue)(?: \w+){{0,3}}"
    rf" (?:for )?{_DUR_EN}",
    rf"{_DUR_EN} (?:on hold|waiting|in (?:the |a )?queue|in line|of waiting|and counting|and still|later and still)",
    rf"(?:waiting|waited|been waiting|offline|broken)(?: \w+){{0,3}} {_SINCE_EN}",
    # still nothing
    r"still (?:nothing|no word|no news|no sign)",
    rf"{_NO_EN} {_THING_EN}(?: yet)? (?:after|in|for) {_DUR_EN}",  # "no refund yet after three weeks": waited
    rf"still (?:no|zero|not a single|not one|waiting for|haven't|havent|hasn't|hasnt)(?: received| got| had| seen)?"
    rf"(?: (?:my|the|a|an|any|our))? {_THING_EN}",
    r"still (?:not|isn't|isnt|aren't|arent|hasn't been|haven't been) (?:fixed|resolved|sorted|solved|refunded"
    r"|answered|back|here|back up|up)",
    # unanswered contact
    r"(?:no one|nobody|noone|no-one) (?:is |ever )?(?:answering|picks up|picking up|picked up|gets back|got back"
    r"|has replied|has answered|has responded|has called|has got(?:ten)? back|calls back|called back|replies"
    r"|responds|answers)",
    rf"{_NO_EN} (?:reply|response|answer|word|update|callback|call back)(?: \w+)? (?:to|from|in|after|for|since|yet)",
    r"(?:haven't|havent|have not|hasn't|hasnt|has not|never|didn't|didnt) (?:heard back|heard anything|had (?:a|any)"
    r" (?:reply|response|answer)|received (?:a|any) (?:reply|response|answer)|got (?:a|any) (?:reply|response|answer)"
    r"|gotten (?:a|any) (?:reply|response|answer))",
    r"(?:ignored|ignoring|ignores) (?:my|our|all my|all our) (?:emails|messages|calls|complaints|requests)",
)

# --- Swedish ---------------------------------------------------------------------------------------------------
_NUM_SV = r"(?:\d+|en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|femton|tjugo|flera|många|några)"
_UNIT_SV = r"(?:minuter|minut|min|timmar|timme|h|dagar|dag|dygn|veckor|vecka|månader|månad)"
_DAYS_SV = r"(?:måndags|tisdags|onsdags|torsdags|fredags|lördags|söndags|går|förrgår)"
_SINCE_SV = rf"(?:sedan|sen) (?:i {_DAYS_SV}|förra (?:veckan|månaden)|i morse|\d+ \w+|början av \w+)"
_SERVICE_SV = (
    r"(?:sidan|sajten|hemsidan|webbsidan|webbplatsen|appen|appar|systemet|systemen|servern|servrarna|tjänsten"
    r"|nätet|internet|bredbandet|inloggningen|kassan|kassorna|kortterminalen|betalningen|bankid|internetbanken"
    r"|mobilbanken|bokningen|spårningen)"
)
_ARRIVE_SV = (
    r"(?:kommit|kom|kommit fram|kom fram|levererats|levererades|dykt upp|dök upp|anlänt|anlände"
    r"|ringt tillbaka|ringde tillbaka|hört av sig|hörde av sig)"
)
_DUR_SV = rf"(?:över |nästan |snart )?{_NUM_SV} {_UNIT_SV}"
_THING_SV = (
    r"(?:återbetalning|återbetalningen|pengar|pengarna|paket|paketet|leverans|leveransen|order|ordern|beställning"
    r"|beställningen|svar|återkoppling|ersättning|ersättningen|kort|kortet|faktura|fakturan|bekräftelse)"
)
SV: tuple[str, ...] = (
    rf"(?:har|hade) aldrig {_ARRIVE_SV}|{_ARRIVE_SV} aldrig",
    # pending for a stated time is waiting: "har inte kommit på tre veckor", "ingen återbetalning än efter en månad"
    rf"(?:har|hade) (?:fortfarande |ännu )?(?:inte|ej) {_ARRIVE_SV}(?: än| ännu)? (?:på|efter|i) {_DUR_SV}",
    rf"(?:ingen|inget|inga) {_THING_SV}(?: än| ännu)? (?:på|efter|i) {_DUR_SV}",
    r"(?:fungerar|funkar|fungerade|funkade) (?:fortfarande |ju |ändå )?(?:ej|aldrig|inte längre)",
    r"(?:slutat|slutade) (?:att )?(?:fungera|funka|fungerar|funkar)",
    r"(?:kan|kunde|går|gick) (?:fortfarande )?(?:inte|ej) (?:att )?(?:logga in|betala|beställa|boka|komma åt|komma in"
    r"|nå er|få tag på|ta ut|föra över|swisha)",
    rf"{_SERVICE_SV} (?:har legat|låg|ligger|är|var|har varit) (?:nere|offline|ur funktion)",
    rf"{_SERVICE_SV} (?:kraschar|har kraschat|kraschade|strular|krånglar|hänger sig)",
    rf"(?:väntat|väntar|väntade|köat|stått i kö|suttit i kö)(?: \w+){{0,3}} {_SINCE_SV}",
    rf"(?:nere|ur funktion|fungerat|funkat)(?: \w+){{0,2}} {_SINCE_SV}",
    rf"(?:i|på) (?:över |nästan |snart )?{_NUM_SV} {_UNIT_SV} (?:i (?:telefon)?kö|i telefon|väntetid)",
    r"(?:ingen|inte en kotte|ingen människa) (?:svarar|har svarat|tar (?:telefonen|emot)|ringer tillbaka"
    r"|hör av sig|återkommer)",
)

# --- Danish ----------------------------------------------------------------------------------------------------
_NUM_DA = r"(?:\d+|en|et|to|tre|fire|fem|seks|syv|otte|ni|ti|tolv|femten|tyve|flere|mange|nogle)"
_UNIT_DA = r"(?:minutter|minut|min|timer|time|dage|dag|døgn|uger|uge|måneder|måned)"
_SINCE_DA = (
    r"(?:siden (?:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|i går|i forgårs|sidste \w+|i morges|\d+\.? \w+))"
)
_SERVICE_DA = (
    r"(?:siden|sitet|hjemmesiden|websiden|appen|systemet|systemerne|serveren|tjenesten|nettet|internettet"
    r"|bredbåndet|login|mitid|netbanken|mobilbanken|betalingen|booking|bookingen|sporingen|kassen|kasserne)"
)
_ARRIVE_DA = (
    r"(?:kommet|kom|kommet frem|kom frem|leveret|blevet leveret|blev leveret|dukket op|dukkede op|ankommet"
    r"|ankom|modtaget|ringet tilbage|ringede tilbage|vendt tilbage|vendte tilbage)"
)
_DUR_DA = rf"(?:over |næsten |snart )?{_NUM_DA} {_UNIT_DA}"
_THING_DA = (
    r"(?:tilbagebetaling|tilbagebetalingen|refusion|refusionen|penge|pengene|pakke|pakken|levering|leveringen|ordre"
    r"|ordren|bestilling|bestillingen|svar|erstatning|erstatningen|kort|kortet|faktura|fakturaen|bekræftelse)"
)
DA: tuple[str, ...] = (
    rf"(?:er|har|var|havde) aldrig (?:blevet )?{_ARRIVE_DA}|{_ARRIVE_DA} aldrig",
    rf"(?:er|har|var|havde) (?:stadig )?(?:ikke|ik) (?:blevet )?{_ARRIVE_DA}(?: endnu)? (?:på|efter|i) {_DUR_DA}",
    rf"(?:ingen|intet) {_THING_DA}(?: endnu)? (?:på|efter|i) {_DUR_DA}",
    r"(?:virker|fungerer|virkede|fungerede|spiller) (?:stadig |jo |bare )?(?:aldrig|ikke længere|ikke mere)",
    r"(?:stoppet|holdt op) med at (?:virke|fungere)",
    r"(?:kan|kunne) (?:stadig )?(?:ikke|ik) (?:betale|bestille|booke|komme på|få adgang|logge på|hæve|overføre"
    r"|bruge (?:appen|kortet|mitid))",
    rf"{_SERVICE_DA} (?:har ligget|lå|ligger|er|var|har været) (?:nede|offline|ude af drift)",
    rf"{_SERVICE_DA} (?:crasher|er crashet|crashede|går ned|gik ned|hænger|driller)",
    rf"(?:ventet|venter|ventede|stået i kø|siddet i kø)(?: \w+){{0,3}} {_SINCE_DA}",
    rf"(?:nede|ude af drift)(?: \w+){{0,2}} {_SINCE_DA}",
    rf"(?:i|på) (?:over |næsten |snart )?{_NUM_DA} {_UNIT_DA} (?:i (?:telefon)?kø|i telefonen|ventetid)",
    r"(?:ingen|ikke en kat) (?:tager (?:telefonen|den)|ringer tilbage|vender tilbage|har svaret|svarer på)",
)

# --- Norwegian (Bokmål, some Nynorsk) -------------------------------------------------------------------------
_NUM_NO = r"(?:\d+|en|ei|ett|to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|tolv|femten|tjue|flere|mange|noen)"
_UNIT_NO = r"(?:minutter|minutt|min|timer|time|dager|dag|døgn|uker|uke|måneder|måned)"
_SINCE_NO = (
    r"(?:siden (?:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|i går|i forgårs|sist \w+|i morges|\d+\.? \w+))"
)
_SERVICE_NO = (
    r"(?:siden|sida|nettsiden|nettsida|hjemmesiden|appen|appene|systemet|systemene|serveren|tjenesten|nettet"
    r"|internett|bredbåndet|innloggingen|bankid|vipps|nettbanken|mobilbanken|betalingen|bestillingen|sporingen"
    r"|kassa|kassene)"
)
_ARRIVE_NO = (
    r"(?:kommet|kom|kommet fram|kom fram|levert|blitt levert|ble levert|dukket opp|dukka opp|ankommet|ankom|mottatt"
    r"|ringt tilbake|ringte tilbake|tatt kontakt|tok kontakt)"
)
_DUR_NO = rf"(?:over |nesten |snart )?{_NUM_NO} {_UNIT_NO}"
_THING_NO = (
    r"(?:tilbakebetaling|tilbakebetalingen|refusjon|refusjonen|penger|pengene|pakke|pakken|levering|leveringen|ordre"
    r"|ordren|bestilling|bestillingen|svar|erstatning|erstatningen|kort|kortet|faktura|fakturaen|bekreftelse)"
)
NO: tuple[str, ...] = (
    rf"(?:har|er|hadde) aldri (?:blitt )?{_ARRIVE_NO}|{_ARRIVE_NO} aldri",
    rf"(?:har|er|hadde) (?:fortsatt |ennå )?(?:ikke|ikkje) (?:blitt )?{_ARRIVE_NO}(?: ennå| enda)? (?:på|etter|i)"
    rf" {_DUR_NO}",
    rf"(?:ingen|ikke noe|ikkje noko) {_THING_NO}(?: ennå| enda)? (?:på|etter|i) {_DUR_NO}",
    r"(?:funker|funka|funket|virker|virka|fungerer|fungerte|virket) (?:fortsatt |jo |bare |enda )?(?:ikke|ikkje"
    r"|aldri|ikke lenger|ikkje lenger)",
    r"(?:slutta|sluttet) (?:å )?(?:virke|fungere|funke)",
    r"(?:får|fikk|kan|kunne) (?:fortsatt )?(?:ikke|ikkje) (?:betalt|betale|bestilt|bestille|logget på|logge på"
    r"|logga inn|tatt ut|overført|brukt (?:appen|kortet|bankid|vipps))",
    rf"{_SERVICE_NO} (?:har ligget|lå|ligger|er|var|har vært|har vore) (?:nede|offline|ute av drift)",
    rf"{_SERVICE_NO} (?:krasjer|har krasjet|krasjet|krasja|går ned|gikk ned|henger|tuller)",
    rf"(?:ventet|venta|venter|stått i kø|sittet i kø)(?: \w+){{0,3}} {_SINCE_NO}",
    rf"(?:nede|ute av drift)(?: \w+){{0,2}} {_SINCE_NO}",
    rf"(?:i|på) (?:over |nesten |snart )?{_NUM_NO} {_UNIT_NO} (?:i (?:telefon)?kø|i telefonen|ventetid)",
    r"(?:ingen|ikke en kjeft) (?:tar (?:telefonen|den)|ringer tilbake|svarer|har svart|tar kontakt)",
)

CONSTRUCTIONS: Mapping[str, tuple[str, ...]] = {"en": EN, "sv": SV, "da": DA, "no": NO}

# Every construction holds one of its language's anchor words (or, in English, a "n't"): a text without any is
# not scanned. The scan of all constructions costs tens of microseconds a comment; most comments hold no anchor.
_UNITS_EN = ("minutes", "minute", "mins", "min", "hours", "hour", "hrs", "hr", "days", "day", "weeks", "week")
ANCHORS: Mapping[str, frozenset[str]] = {
    "en": frozenset(
        {"never", "did", "didnt", "still", "yet", "not", "no", "zero", "nobody", "noone", "no-one", "wont"}
        | {"doesnt", "isnt", "arent", "cant", "cannot", "couldnt", "havent", "hasnt", "unable", "stopped", "keeps"}
        | {"keep", "broken", "crashing", "crashed", "crashes", "freezing", "glitching", "down", "offline"}
        | {"outage", "outages", "downtime", "hold", "waiting", "waited", "queue", "line", "wait", "ignored"}
        | {"ignoring", "ignores", "months", "month", *_UNITS_EN}
    ),
    "sv": frozenset(
        {"aldrig", "ej", "inte", "slutat", "slutade", "nere", "offline", "funktion", "kraschar", "kraschat"}
        | {"kraschade", "strular", "krånglar", "hänger", "sedan", "sen", "kö", "telefonkö", "telefon", "väntetid"}
        | {"ingen"}
    ),
    "da": frozenset(
        {"aldrig", "ikke", "ik", "stoppet", "holdt", "nede", "offline", "drift", "crasher", "crashet", "crashede"}
        | {"går", "gik", "hænger", "driller", "siden", "kø", "telefonkø", "telefonen", "ventetid", "ingen"}
    ),
    "no": frozenset(
        {"aldri", "ikke", "ikkje", "slutta", "sluttet", "nede", "offline", "drift", "krasjer", "krasjet", "krasja"}
        | {"går", "gikk", "henger", "tuller", "siden", "sida", "kø", "telefonkø", "telefonen", "ventetid", "ingen"}
    ),
}
_ANCHOR_WORD = re.compile(r"[^\W\d_][\w-]*")

# A negator just before a construction, in its clause, takes it away: "never had to wait two hours".
_NEGATORS: Mapping[str, frozenset[str]] = {
    "en": frozenset(
        {
            "not",
            "never",
            "no",
            "without",
            "didn't",
            "didnt",
            "don't",
            "dont",
            "wasn't",
            "wasnt",
            "isn't",
            "isnt",
            "hardly",
            "rarely",
            "barely",
            "nobody",
        }
    ),
    "sv": frozenset({"inte", "aldrig", "ej", "utan", "knappt", "sällan", "ingen"}),
    "da": frozenset({"ikke", "ik", "aldrig", "uden", "næppe", "sjældent", "ingen"}),
    "no": frozenset({"ikke", "ikkje", "aldri", "uten", "neppe", "sjelden", "ingen"}),
}
# Questions that ask why are complaints: "Why is the site down again?"
_WHY = re.compile(r"\b(?:why|how come|varför|hur kommer det sig|hvorfor|hvordan kan det)\b")
_REACH = 200  # how far a question mark or a negator is looked for: a sentence, not a whole long text
_SENTENCE_END = re.compile(r"[.!?\n]")
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:and|but|or|och|men|eller|og|men|eller)\b")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    body = "|".join(f"(?:{p})" for p in patterns).replace(" ", r"\s+")
    return re.compile(rf"\b(?:{body})(?!\w)")


_COMPILED = {lang: _compile(p) for lang, p in CONSTRUCTIONS.items()}


def find(text: str, lang: str | None) -> list[tuple[int, int, float]]:
    """``(start, end, VALUE)`` of each complaint construction in ``text`` (lower-cased) for ``lang``, in order;
    none for a language without constructions. ``None`` (language unknown) tries Swedish and English. A
    construction in a question that does not ask why, or negated just before, is left out."""
    langs = languages(lang)
    out: list[tuple[int, int, float]] = []
    for code in langs:
        pattern = _COMPILED.get(code)
        if pattern is None or not _anchored(text, code):
            continue
        for m in pattern.finditer(text):
            if _in_question(text, m.start(), m.end()) or _negated_before(text, m.start(), _NEGATORS[code]):
                continue
            out.append((m.start(), m.end(), VALUE))
    if len(langs) > 1:
        out.sort()
    return out


def _anchored(text: str, code: str) -> bool:
    """Whether ``text`` holds one of the anchor words of ``code``'s constructions."""
    if code == "en" and ("n't" in text or "n’t" in text):
        return True
    anchors = ANCHORS[code]
    return any(w in anchors for w in _ANCHOR_WORD.findall(text.replace("'", "").replace("’", "")))


def _in_question(text: str, start: int, end: int) -> bool:
    """Whether ``start:end`` is in a sentence that ends in "?" and does not ask why."""
    stop = _SENTENCE_END.search(text, end, end + _REACH)
    if stop is None or stop.group() != "?":
        return False
    begin = _sentence_start(text, start)
    return _WHY.search(text, begin, stop.start()) is None


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence around ``at`` begins, looked for at most ``_REACH`` characters back."""
    low = max(0, at - _REACH)
    return max(max(text.rfind(c, low, at) for c in ".!?\n") + 1, low)


def _negated_before(text: str, start: int, negators: frozenset[str]) -> bool:
    """Whether one of the three words before ``start``, in its clause, is a negator."""
    begin = _sentence_start(text, start)
    before = text[begin:start]
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(before)]
    if breaks:
        before = before[breaks[-1] :]
    words = [w.replace("’", "'") for w in _WORD.findall(before)][-3:]
    return any(w in negators for w in words)


def merged(spans: list[tuple[int, int, float]], text: str, lang: str | None) -> list[tuple[int, int, float]]:
    """``spans`` (complaint phrases, ``phrases.find``) with the constructions of ``text`` that overlap none of
    them, in order: where a phrase is, the phrase is read."""
    found = find(text, lang)
    if not found:
        return spans
    starts = [s for s, _, _ in spans]
    extra = []
    for c in found:  # ``spans`` are in order and do not overlap: only the one before ``c``'s end can reach it
        i = bisect.bisect_left(starts, c[1]) - 1
        if i < 0 or spans[i][1] <= c[0]:
            extra.append(c)
    return sorted(spans + extra) if extra else spans
