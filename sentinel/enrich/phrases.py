"""Complaint, churn and sarcasm phrases: what customers say that no single word carries.

"Jag säger upp mitt konto", "byter bank", "aldrig mer", "har ringt tre gånger", "tack för ingenting": every
word of them is neutral or even positive, the phrase is not. Each language has a list of ``(pattern,
valence)``; ``find(text, lang)`` gives the character spans of the phrases in a text with their valence (VADER's
scale, -4..+4). The scorer counts a phrase as one sentiment item and skips the words inside it (so "tack" in
"tack för ingenting" is not also counted as thanks, and "inte" in "fungerar inte" is not a negation of the
next word as well).

The phrases are written from knowledge of how customers complain in each language (churn threats, repeated
contact, waiting, things that do not work, demands for money back, sarcastic thanks), not taken from any
labelled text. One is praise: Swedish thanks for what was given ("tack för hjälpen"), stronger than "tack"
alone. Patterns match lower-cased text, whole words only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sentinel.config.types import LANGUAGE_ALIASES

_SUBJECT_SV = r"(?: (?:jag|vi|man|ni)(?: nu)?)?"  # verb-second: "nu byter jag bank"
_ACCOUNT_DA = r"(?:bank|selskab|forsikring|udbyder|abonnement)"
_UNITS_DA = r"(?:minutter|minut|timer|time|dage|dag|uger|uge|måneder|måned|år)"
_ACCOUNT_NO = r"(?:bank|selskap|forsikring|leverandør|abonnement)"
_UNITS_NO = r"(?:minutter|minutt|timer|time|dager|dag|uker|uke|måneder|måned|år)"
_AUX_EN = r"(?:do|does|did|can|can't|cant|won't|wont|don't|dont|doesn't|doesnt|isn't|isnt)"
_FAIL_EN = r"(?:not|never|answer|reply|respond|work)"
_CONTACT_SV = r"(?:ringt|mejlat|mailat|skrivit|skickat|chattat|hört av mig|klagat|påmint|försökt)"
_TIMES_SV = r"(?:\d+|två|tre|fyra|fem|sex|sju|åtta|nio|tio|flera|många|otaliga|x) (?:gånger|ggr)"
_UNITS_SV = r"(?:minuter|min|timmar|timme|h|dagar|dygn|veckor|vecka|månader|månad|år)"
_ACCOUNT_SV = r"(?:bank|banken|bolag|försäkring|försäkringsbolag|operatör|leverantör|elbolag|abonnemang|mobilbolag)"

PHRASES: Mapping[str, tuple[tuple[str, float], ...]] = {
    "sv": (
        # churn: leaving, or threatening to
        (rf"(?:säger|sagt|säga|sade|sa){_SUBJECT_SV} upp", -2.5),
        (rf"(?:byter|byta|bytt|bytte){_SUBJECT_SV} (?:till (?:en )?annan |till annat )?{_ACCOUNT_SV}", -2.5),
        (rf"(?:byter|byta|går|gå|flyttar|flytta){_SUBJECT_SV} till (?:en )?(?:annan|annat|konkurrent\w*)", -2.5),
        (r"aldrig (?:mer|igen)", -2.5),
        (r"sista gången", -2.0),
        # "där tappade ni en trogen kund": the verb's tenses, its subject and an adjective too (not "en enda")
        (rf"(?:förlorat|förlorar|förlorade|tappat|tappar|tappade){_SUBJECT_SV} en (?:(?!enda )\w+ )?kund", -3.0),
        (r"(?:avslutar|avsluta|avslutat) (?:mitt|mina|min|kontot|konto|abonnemanget|avtalet)", -2.0),
        # repeated contact and waiting
        (rf"{_CONTACT_SV}(?: \w+){{0,3}} {_TIMES_SV}", -2.0),
        (rf"{_TIMES_SV} (?:nu|redan)", -1.0),
        (rf"(?:väntat|väntar|väntade)(?: \w+){{0,3}} (?:\d+|en|ett|två|tre|fyra|fem|flera|många) {_UNITS_SV}", -2.0),
        (r"i (?:telefon)?kö(?:n)? i", -1.5),  # "i kö i 40 minuter"
        (rf"(?:\d+|en|ett|två|tre|fyra|fem|flera) {_UNITS_SV} i (?:telefon)?kö(?:n)?", -1.5),
        (r"plats (?:\d+|nummer \d+) i (?:telefon)?kön", -1.5),
        (rf"(?:det )?har (?:gått|tagit) (?:\d+|två|tre|fyra|fem|sex|flera|många) {_UNITS_SV}", -1.5),
        (r"(?:tredje|fjärde|femte|\d+:e) gången", -1.5),
        (
            r"(?:ingen|inget|inga) (?:svar|svarar|har svarat|återkoppling|återkommer|hör av sig|bryr sig|hjälp|vet"
            r"|info|information|besked|förstår|tar telefonen|kan (?:svara|förklara|hjälpa|ge (?:besked|svar)|säga))",
            -2.0,
        ),
        (
            r"(?:ingen|inget|inga) har (?:ens )?(?:hört av sig|återkommit|ringt tillbaka|brytt sig|tittat|svarat"
            r"|kollat|hjälpt)",
            -2.0,
        ),
        (r"(?:fortfarande|ännu) (?:ingen|inget|inga)", -1.5),
        (r"utan (?:något |ett )?(?:svar|återkoppling|besked)", -1.5),
        (r"inte (?:ett|ett enda) (?:ord|svar|ljud)", -1.5),
        (
            r"(?:två|tre|fyra|fem|\d+) (?:samtal|mejl|mail|handläggare|personer)[,.]? (?:två|tre|fyra|fem|\d+) "
            r"olika svar",
            -2.0,
        ),
        (
            r"(?:skickat|skrivit|mejlat|mailat) (?:\d+|två|tre|fyra|fem|flera|många|otaliga) "
            r"(?:mejl|mail|meddelanden|brev|sms)",
            -2.0,
        ),
        (r"(?:tar|tog|tagit) (?:det )?(?:så |sån |sådan |en )?(?:lång tid|evig tid|evighet(?:er)?)", -1.5),
        (r"inte ens|aldrig ens", -1.0),
        # complaints asked as questions
        (r"varför (?:\w+ )?(?:ni|er) (?:\w+ ){0,2}(?:inte|aldrig|ingen|inget|ingenting)", -1.5),  # to the page
        (r"varför (?:funkar|fungerar|går|kommer) (?:\w+ ){0,2}(?:inte|aldrig)", -1.5),
        (r"hur kan (?:ni|man|ett företag) (?:\w+ ){0,2}(?:så|sånt|såhär|på det här sättet)", -2.0),
        (
            r"(?:har|fått|får) (?:fortfarande |ännu )?(?:inte|inget|ej) (?:fått )?(?:svar|hjälp|pengar\w*|tillbaka)",
            -2.0,
        ),
        (r"fortfarande inte", -1.5),
        (r"(?:väntar|väntat) (?:fortfarande|ännu)|(?:fortfarande|ännu) (?:väntar|väntat)", -2.0),
        (
            r"utan (?:någon )?(?:förvarning|förklaring|motivering|att fråga|att meddela|att säga till"
            r"|att säga (?:nåt|något|ett ord)|att höra av sig)",
            -1.5,
        ),
        (r"(?:ska|skall)(?: jag| man| vi)? (?:behöva|tvingas)", -1.5),  # "att man ska behöva ringa tre gånger"
        (r"skärp (?:er|dig)|(?:måste|får|borde) (?:\w+ )?skärpa (?:er|sig)", -2.0),
        (r"(?:hör|hörs) (?:inget|ingenting)", -1.5),
        (r"(?:svarar|svarade|svarat) (?:fortfarande |ju |ändå )?(?:inte|aldrig|ej)", -2.0),  # the page does not
        (r"(?:ringer|ringde|hör|hörde) (?:\w+ )?(?:inte|aldrig) (?:tillbaka|upp|av sig)", -2.0),
        (r"ingen (?:sa|sade|nämnde|berättade) (?:ett ord|något|nåt)", -1.5),
        (r"sitter (?:fortfarande |fast |och väntar )?i (?:telefon)?kö(?:n)?", -1.5),  # "sitter i kö hos X. Plats 143."
        (rf"kö(?:n|tid|tiden)?:? (?:på |i )?(?:\d+|en|två|tre) {_UNITS_SV}", -1.5),  # "kö 87 min"
        (rf"{_TIMES_SV} (?:på|inom) (?:en|ett|\d+) (?:kvart|{_UNITS_SV})", -1.5),  # "utloggad 5 ggr på en kvart"
        (r"sen(?:an)? när (?:kostar|har|ska|skall|måste|får|tar|är)", -1.5),  # indignation asked: "sen när kostar det"
        # things that do not work
        (r"(?:fungerar|funkar|funkade|fungerade|går) (?:fortfarande |ju |ändå )?inte", -2.0),
        (r"går inte att", -2.0),
        (r"(?:ligger|är|var|har varit) nere", -1.5),
        (r"(?:kan|kommer) (?:fortfarande )?inte (?:logga in|in|fram|åt)", -2.0),
        (r"får inte tag på", -2.0),
        (r"hänger sig", -1.5),
        (r"bryr (?:sig|er|ni) (?:inte|ej|inte ett dugg)", -2.0),
        (r"skiter (?:i|fullständigt i) (?:oss|mig|kunderna|sina kunder|er)", -2.5),
        (r"inte (?:värt|värd) (?:pengarna|priset|det)", -2.0),
        (r"inte (?:ett|en) (?:skit|dugg|jävla|öre)", -2.0),  # "täckte inte ett skit": no negated "skit"
        (r"ingen skam (?:i kroppen|alls)", -2.0),
        (r"(?:lägg|lägga) ner", -2.0),
        (r"fy (?:fan|faen|skäms|på er)", -3.0),
        # money back, charges
        (r"(?:mina |våra )?pengar(?:na)? tillbaka", -2.0),
        (r"(?:dragit|drar|drog) (?:pengar|dubbelt|för mycket)", -2.0),
        (r"dubbel(?:debiter\w*|dragn\w*)", -2.5),
        # exasperation
        (r"hur svårt kan det (?:vara|va)", -2.5),
        (r"(?:hur kan|varför ska|varför måste) det ta|varför tar det", -2.0),  # "hur kan det ta tio dagar"
        (r"varför (?:måste|ska|skall) (?:man|jag|vi)", -1.5),  # "varför måste man legitimera sig tre gånger"
        (rf"(?:funderar|tänker){_SUBJECT_SV}(?: seriöst| på allvar)? på att (?:byta|säga upp|flytta|avsluta)", -2.0),
        (r"(?:det här|detta|så) är tacken", -2.0),
        (r"inte (?:riktigt |direkt |alls )?(?:vad|det) (?:jag|man|vi) (?:förväntade|förväntar|hade förväntat)", -2.0),
        (r"vad (?:håller|sysslar) ni på med", -2.5),
        (r"under all kritik", -3.0),
        (r"(?:inte|ej) (?:okej|ok|acceptabelt|rimligt|seriöst|normalt)", -2.0),
        (r"(?:blir |är )?inte klokt", -2.0),
        (r"nu räcker det", -2.5),
        (r"(?:jag )?ger upp", -2.0),
        (r"orkar inte|orka med", -2.0),
        (r"(?:trött|less|led) på", -2.0),
        (r"skäms(?: på er)?", -2.5),
        (r"vilket skämt", -2.5),
        (r"(?:hör av er|svara (?:nu|då|mig|för fan))", -1.0),
        # sarcasm: thanks and praise that mean the opposite
        (r"tack för (?:ingenting|inget|inga svar)", -3.0),
        (r"tack (?:så )?(?:jävla|förbannat) mycket", -2.5),
        (r"(?:bra|snyggt|fint|strålande) jobbat[^.!?]*\b(?:inte|igen|som vanligt)", -2.0),
        (r"(?<=\")(?:service|kundservice|kundtjänst|hjälp|snabb\w*)(?=\")", -2.0),
        (r"(?:som (?:vanligt|alltid)|varje gång)[^.!?]{0,3}$", -1.0),
        # thanks for what was given (after the sarcastic thanks above, which win where both match)
        (
            r"tack (?:så mycket |snälla )?för (?:hjälpen|svaret|all hjälp|ett bra|en bra|bra|snabb\w*|trevlig\w*)",
            2.5,
        ),
        (r"(?:tusen|ett stort|stort|jättestort|varmt|ett varmt|innerligt) tack", 2.5),  # thanks made stronger
        (r"ångrar (?:inget|ingenting|inte)|ångrar mig inte", 2.0),  # "bytte i våras och ångrar inget"
        (r"(?:utan|inga) (?:något |några |minsta )?(?:krångel|problem|strul|bekymmer|konstigheter|tjafs)", 1.5),
        # a company's reply: sympathy is its formula, not its feeling (and the page's own replies count in no rule)
        (r"(?:tråkigt|ledsen|ledsna|synd) att (?:höra|läsa)", 0.0),
        (r"(?:vi )?(?:förstår|beklagar) (?:verkligen )?(?:att det är |din |er )?(?:frustrerande|frustration\w*)", 0.0),
    ),
    "da": (
        (r"(?:siger|sagde|sige|opsiger|opsagt) (?:op|min|mit|mine|aftalen|abonnementet)", -2.5),
        (
            rf"(?:skifter|skifte|skiftet) (?:til en anden |til et andet )?{_ACCOUNT_DA}",
            -2.5,
        ),
        (r"aldrig (?:mere|igen)", -2.5),
        (r"sidste gang", -2.0),
        (r"(?:mistet|mister) en (?:(?!eneste )\w+ )?kunde", -3.0),
        (r"(?:ringet|skrevet|sendt|mailet|rykket)(?: \w+){0,3} (?:\d+|to|tre|fire|fem|flere|mange) gange", -2.0),
        (
            rf"(?:ventet|venter)(?: \w+){{0,3}} (?:\d+|en|et|to|tre|fire|flere|mange) {_UNITS_DA}",
            -2.0,
        ),
        (r"venter (?:stadig|endnu)", -2.0),
        (r"i (?:telefon)?kø(?:en)? i", -1.5),
        (rf"(?:\d+|en|et|to|tre|fire|fem|flere) {_UNITS_DA} i (?:telefon)?kø(?:en)?", -1.5),
        (rf"(?:det )?har (?:taget|varet) (?:\d+|to|tre|fire|fem|seks|flere|mange) {_UNITS_DA}", -1.5),
        (r"(?:hvordan kan|hvorfor skal) det tage|hvorfor tager det", -2.0),
        (r"hvorfor skal (?:jeg|man|vi)", -1.5),
        (r"stadig (?:ikke|ingen|intet)", -1.5),
        (r"uden (?:nogen )?(?:varsel|forklaring|begrundelse|at spørge|at sige til|at sige noget|at give besked)", -1.5),
        (r"(?:skal|skulle)(?: jeg| man| vi)? (?:være nødt til|tvinges)", -1.5),
        (r"tag jer sammen", -2.0),
        (
            r"(?:ingen|intet) (?:svar|svarer|hjælp|tilbagemelding|ved|forstår|info|besked|tager telefonen"
            r"|kan (?:svare|forklare|hjælpe))",
            -2.0,
        ),
        (r"ikke (?:et|ét|et eneste) (?:ord|svar)", -1.5),
        (r"(?:tredje|fjerde|femte) gang", -1.5),
        (r"(?:to|tre|fire|fem|\d+) (?:opkald|samtaler|mails)[,.]? (?:to|tre|fire|fem|\d+) forskellige svar", -2.0),
        (r"(?:trækker|trække|trukket|trak)(?: mig| os)? (?:2|to|dobbelt) (?:gange)?", -2.0),
        (r"overvejer(?: seriøst| kraftigt)? at (?:skifte|opsige|sige op)", -2.0),
        (r"det er takken", -2.0),
        (r"hvorfor (?:\w+ ){1,3}(?:ikke|aldrig|ingen|intet|ingenting)", -1.5),
        (r"hvordan kan (?:i|man|et firma|en virksomhed) (?:\w+ ){0,2}(?:sådan|sådant|det her|på den måde)", -2.0),
        (r"svar (?:nu|så|dog|mig)", -1.0),
        (r"(?:virker|fungerer|virkede|fungerede) (?:stadig )?ikke", -2.0),
        (r"(?:ligger|er|har været) nede", -1.5),
        (r"(?:pengene|mine penge|vores penge) tilbage", -2.0),
        (r"(?:som sædvanlig|hver gang)[^.!?]{0,3}$", -1.0),
        (r"hvor svært kan det være", -2.5),
        (r"under al kritik", -3.0),
        (r"ikke (?:okay|ok|acceptabelt|i orden|normalt)", -2.0),
        (r"(?:træt|led) af", -2.0),
        (r"skam(?:me)? jer", -3.0),
        # mirrored from the Swedish list, which had these and Danish not
        (r"ingen har (?:vendt tilbage|kontaktet mig|ringet tilbage|svaret)", -2.0),
        (r"(?:tager|tog|taget) (?:så )?(?:lang tid|en evighed)", -1.5),
        (r"ikke engang", -1.0),
        (r"kan (?:stadig )?ikke (?:logge ind|komme ind|komme igennem)", -2.0),
        (r"kan ikke få fat i", -2.0),
        (r"(?:er|virker) (?:fuldstændig |totalt )?ligeglade?|skider på (?:os|mig|kunderne|jeres kunder)", -2.0),
        (r"ikke pengene værd", -2.0),
        (r"fy for (?:fanden|satan|helvede|søren)", -3.0),
        (r"nu er det nok", -2.5),
        (r"(?:jeg )?giver op", -2.0),
        (r"gider ikke (?:mere|længere)", -2.0),
        (r"(?:sikke|hvilken) en (?:joke|vittighed|farce)", -2.5),
        (r"tak for (?:ingenting|intet)", -3.0),
        (r"(?:tusind|mange|stor|en stor|kæmpe) tak", 2.5),
        (r"fortryder (?:ikke|intet|ingenting)", 2.0),
        (r"(?:svarer|svarede|svaret) (?:stadig |jo )?(?:ikke|aldrig)", -2.0),
        (r"(?:ringer|ringede) (?:\w+ )?(?:ikke|aldrig) tilbage", -2.0),
        (r"ingen (?:sagde|nævnte|fortalte) (?:et ord|noget)", -1.5),
        (r"sidder (?:stadig |fast )?i (?:telefon)?kø(?:en)?", -1.5),
        (rf"kø(?:en|tid|tiden)?:? (?:på )?(?:\d+|en|to|tre) {_UNITS_DA}", -1.5),
        (r"siden hvornår (?:koster|har|skal|må|tager|er)", -1.5),
        (r"ikke (?:en|et) (?:skid|klap|pind|øre)", -2.0),
        (r"aldrig engang", -1.0),
        (r"uden (?:noget |et )?(?:svar|tilbagemelding|besked)", -1.5),
        (r"(?:uden|ingen) (?:nogen |noget |nogle )?(?:problemer|bøvl|besvær|ballade)", 1.5),
        (r"(?:ked|trist|ærgerligt) at (?:høre|læse)", 0.0),
        (r"(?:vi )?forstår (?:godt )?(?:at det er |din |jeres )?(?:frustrerende|frustration\w*)", 0.0),
    ),
    "no": (
        (r"(?:sier|sa|si|sagt) opp", -2.5),
        (
            rf"(?:bytter|bytte|byttet) (?:til en annen |til et annet )?{_ACCOUNT_NO}",
            -2.5,
        ),
        (r"aldri (?:mer|igjen)", -2.5),
        (r"siste gang", -2.0),
        (r"(?:mistet|mister) en (?:(?!eneste )\w+ )?kunde", -3.0),
        (r"(?:ringt|skrevet|sendt|mailet|purret)(?: \w+){0,3} (?:\d+|to|tre|fire|fem|flere|mange) ganger", -2.0),
        (
            rf"(?:ventet|venter)(?: \w+){{0,3}} (?:\d+|en|ett|to|tre|fire|flere|mange) {_UNITS_NO}",
            -2.0,
        ),
        (r"venter (?:fortsatt|enda)", -2.0),
        (r"i (?:telefon)?kø(?:en)? i", -1.5),
        (rf"(?:\d+|en|ett|to|tre|fire|fem|flere) {_UNITS_NO} i (?:telefon)?kø(?:en)?", -1.5),
        (rf"(?:det )?har (?:tatt|gått) (?:\d+|to|tre|fire|fem|seks|flere|mange) {_UNITS_NO}", -1.5),
        (r"(?:hvordan kan|hvorfor skal) det ta|hvorfor tar det", -2.0),
        (r"hvorfor må (?:jeg|man|vi)", -1.5),
        (r"fortsatt (?:ikke|ingen|intet)", -1.5),
        (r"uten (?:noe )?(?:varsel|forklaring|begrunnelse|å spørre|å si fra|å si noe|å gi beskjed)", -1.5),
        (r"(?:skal|skulle)(?: jeg| man| vi)? (?:måtte|tvinges)", -1.5),
        (r"skjerp (?:dere|deg)|(?:må|får|bør) (?:\w+ )?skjerpe (?:dere|seg)", -2.0),
        (
            r"(?:ingen|ikke fått|null) (?:svar|hjelp|tilbakemelding|svarer|vet|skjønner|forstår|info|beskjed"
            r"|tar telefonen|kan (?:svare|forklare|hjelpe))",
            -2.0,
        ),
        (r"ikke (?:et|ett|ett eneste|et eneste) (?:ord|svar)", -1.5),
        (r"(?:tredje|fjerde|femte) gang", -1.5),
        (
            r"(?:to|tre|fire|fem|\d+) (?:samtaler|telefoner|eposter|mailer)[,.]? (?:to|tre|fire|fem|\d+) "
            r"forskjellige svar",
            -2.0,
        ),
        (r"(?:trekker|trekke|trukket|trakk)(?: meg| oss)? (?:2|to|dobbelt) (?:ganger)?", -2.0),
        (r"vurderer(?: seriøst| sterkt)? å (?:bytte|si opp)", -2.0),
        (r"(?:dette|det) er takken", -2.0),
        (r"hva (?:holder|driver) dere (?:på )?med", -2.5),
        (r"hvorfor (?:\w+ ){1,3}(?:ikke|aldri|ingen|intet|ingenting)", -1.5),
        (
            r"hvordan kan (?:dere|man|et firma|en bedrift) (?:\w+ ){0,2}(?:sånn|sånt|slik|slikt|dette|på denne måten)",
            -2.0,
        ),
        (r"svar (?:nå|da|meg)", -1.0),
        (r"(?:virker|fungerer|virket|fungerte) (?:fortsatt )?ikke", -2.0),
        (r"(?:ligger|er|har vært) nede", -1.5),
        (r"(?:pengene|penga)(?: mine| våre)? tilbake", -2.0),
        (r"(?:som (?:vanlig|alltid)|hver gang)[^.!?]{0,3}$", -1.0),
        (r"hvor vanskelig kan det være", -2.5),
        (r"under enhver kritikk", -3.0),
        (r"ikke (?:greit|ok|akseptabelt|i orden|normalt)", -2.0),
        (r"lei av", -2.0),
        (r"skam(?:me)? dere", -3.0),
        # mirrored from the Swedish list, which had these and Norwegian not
        (r"ingen har (?:tatt kontakt|kontaktet meg|ringt tilbake|svart)", -2.0),
        (r"(?:tar|tok|tatt) (?:så )?(?:lang tid|en evighet)", -1.5),
        (r"ikke engang|ikke en gang", -1.0),
        (r"får (?:fortsatt )?ikke (?:logget inn|logge inn|kommet inn|kommet gjennom)", -2.0),
        (r"får ikke tak i", -2.0),
        (r"bryr (?:seg|dere) ikke|driter i (?:oss|meg|kundene|kundane)", -2.0),
        (r"ikke verdt pengene", -2.0),
        (r"nå (?:er det|holder det) nok", -2.5),
        (r"(?:jeg )?gir opp", -2.0),
        (r"orker ikke (?:mer|lenger)", -2.0),
        (r"for en (?:vits|spøk|farse)", -2.5),
        (r"takk for (?:ingenting|ingen ting)", -3.0),
        (r"(?:tusen|mange|stor|en stor|kjempe) takk", 2.5),
        (r"angrer (?:ikke|ingenting)", 2.0),
        (r"(?:svarer|svarte|svart) (?:fortsatt |jo )?(?:ikke|aldri)", -2.0),
        (r"(?:ringer|ringte) (?:\w+ )?(?:ikke|aldri) tilbake", -2.0),
        (r"ingen (?:sa|nevnte|fortalte) (?:et ord|ett ord|noe)", -1.5),
        (r"sitter (?:fortsatt |fast )?i (?:telefon)?kø(?:en)?", -1.5),
        (rf"kø(?:en|tid|tiden)?:? (?:på )?(?:\d+|en|to|tre) {_UNITS_NO}", -1.5),
        (r"siden når (?:koster|har|skal|må|tar|er)", -1.5),
        (r"ikke (?:en|et|ett) (?:dritt|døyt|øre)", -2.0),
        (r"aldri engang", -1.0),
        (r"uten (?:noe |et |ett )?(?:svar|tilbakemelding|beskjed)", -1.5),
        (r"(?:uten|ingen) (?:noen |noe )?(?:problemer|styr|mas|knot|bøll)", 1.5),
        (r"(?:leit|trist|kjedelig) å (?:høre|lese)", 0.0),
        (r"(?:vi )?forstår (?:godt )?(?:at det er |din |deres )?(?:frustrerende|frustrasjon\w*)", 0.0),
    ),
    "en": (
        (r"cancel(?:l?ing|l?ed)? my (?:account|subscription|order|membership|policy|contract|plan)", -2.5),
        (r"(?:switching|switch|moving|move|going) to (?:a |an )?(?:another|different|competitor\w*)", -2.0),
        (r"take my (?:business|money) elsewhere", -3.0),
        (r"(?:lost|losing) (?:a|another) (?:(?!single )\w+ )?customer", -3.0),
        (r"never (?:again|ever again)", -2.5),
        (
            r"(?:called|emailed|messaged|contacted|tried)(?: \w+){0,3} (?:\d+|two|three|four|five|several|many) times",
            -2.0,
        ),
        (r"on hold for", -2.0),
        (r"still waiting", -2.0),
        (rf"why {_AUX_EN} (?:\w+ ){{0,2}}(?:you|it|this|anyone|nobody|no one)(?: \w+){{0,2}} {_FAIL_EN}", -1.5),
        (r"(?:no one|nobody|noone) (?:answers|answered|replies|replied|responds|responded|helps|cares)", -2.0),
        (r"(?:does not|doesn't|doesnt|did not|didn't|didnt|is not|isn't|isnt|still not|not) work(?:ing)?", -2.0),
        (r"(?:my|get my|want my) money back", -2.0),
        (r"ripp?(?:ed)? ?off", -2.5),
        (r"thanks for nothing", -3.0),
        (r"how hard (?:is|can) it", -2.5),
        (r"(?:fed up|sick and tired|sick of)", -2.5),
        (r"what a joke", -2.5),
        (r"yeah,? right", -1.5),
        (
            r"(?:doesn't|doesnt|does not|don't|dont|do not|never|still not|won't|wont) (?:answer|reply|respond"
            r"|call back)",
            -2.0,
        ),
        (r"since when (?:do|does|did|is|are|can|has|have)", -1.5),
        (r"without (?:an? |any )?(?:answer|reply|response)", -1.5),
        (r"without (?:any )?(?:problems?|issues?|hassle|fuss)", 1.5),
        (r"sorry to hear", 0.0),
        (r"(?:we )?understand (?:your|the) frustration", 0.0),
    ),
}


def _compile(pairs: tuple[tuple[str, float], ...]) -> tuple[re.Pattern[str], tuple[tuple[re.Pattern[str], float], ...]]:
    """One alternation of every phrase, whole words only, finds where phrases are in one scan (a leading word
    boundary lets the scan skip most positions: about 15 µs for a comment); which phrase it was is then asked of
    each pattern at that place alone."""
    pairs = tuple((p.replace(" ", r"\s+"), v) for p, v in pairs)  # a line break or two spaces part words too
    scan = re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p, _ in pairs) + r")(?!\w)")
    return scan, tuple((re.compile(f"(?:{p})(?!\\w)"), v) for p, v in pairs)


_COMPILED = {lang: _compile(pairs) for lang, pairs in PHRASES.items()}


def languages(lang: str | None) -> tuple[str, ...]:
    """The lists to read a text of ``lang`` with: its own (an alias as its code: ``nb`` is ``no``), or Swedish and
    English when the language is unknown."""
    return ("sv", "en") if lang is None else (LANGUAGE_ALIASES.get(lang, lang),)


def find(text: str, lang: str | None) -> list[tuple[int, int, float]]:
    """``(start, end, valence)`` of each complaint phrase in ``text`` (lower-cased) for ``lang``, in order; none
    for a language without a list. ``None`` (language unknown) tries Swedish and English."""
    langs = languages(lang)
    out: list[tuple[int, int, float]] = []
    for code in langs:
        compiled = _COMPILED.get(code)
        if compiled is None:
            continue
        scan, patterns = compiled
        for m in scan.finditer(text):
            for pattern, value in patterns:
                if pattern.match(text, m.start()) is not None:
                    out.append((m.start(), m.end(), value))
                    break
    if len(langs) > 1:
        out.sort()
    return out
