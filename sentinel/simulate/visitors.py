"""What a page's visitors write, by language: Swedish (``texts``, the default), Danish and Norwegian (Bokmål).

``sentinel simulate --visitors da`` makes a Danish page's customers write Danish: their questions, praise and
complaints, their private messages, a storm's and a slow burn's anger, a complaint wave, a contest's entries and a
live night's chat, and their replies to a hijacker's scam. The page's own posts follow ``--language``. The Danish
and Norwegian sentences are written for the simulator, as the Swedish ones are; none comes from a labelled set.
"""

from __future__ import annotations

from dataclasses import dataclass

from sentinel.simulate import texts

LANGUAGES = ("sv", "da", "no")


@dataclass(frozen=True, slots=True)
class Visitors:
    visitor_posts: tuple[str, ...]
    questions: tuple[str, ...]
    praise: tuple[str, ...]
    neutral: tuple[str, ...]
    complaints: tuple[str, ...]
    thread_replies: tuple[str, ...]
    messages_in: tuple[str, ...]
    messages_thanks: tuple[str, ...]
    scam_replies: tuple[str, ...]
    scam_messages: tuple[str, ...]
    crisis_comments: tuple[str, ...]
    crisis_messages: tuple[str, ...]
    contest_entries: tuple[str, ...]
    live_comments: tuple[str, ...]
    complaint_wave: tuple[str, ...]


SWEDISH = Visitors(
    visitor_posts=texts.VISITOR_POSTS,
    questions=texts.QUESTIONS,
    praise=texts.PRAISE,
    neutral=texts.NEUTRAL,
    complaints=texts.COMPLAINTS,
    thread_replies=texts.THREAD_REPLIES,
    messages_in=texts.MESSAGES_IN,
    messages_thanks=texts.MESSAGES_THANKS,
    scam_replies=texts.SCAM_REPLIES,
    scam_messages=texts.SCAM_MESSAGES,
    crisis_comments=texts.CRISIS_COMMENTS,
    crisis_messages=texts.CRISIS_MESSAGES,
    contest_entries=texts.CONTEST_ENTRIES,
    live_comments=texts.LIVE_COMMENTS,
    complaint_wave=texts.COMPLAINT_WAVE,
)

DANISH = Visitors(
    visitor_posts=(
        "Vil bare takke personalet i {city} for fantastisk hjælp i dag!",
        "Har I {product} på lager i {city}?",
        "Har ventet på min bestilling i to uger nu, hvad sker der?",
        "Byens bedste butik, ingen tvivl.",
        "Hvornår åbner I i {city}?",
    ),
    questions=(
        "Findes den i {city}?",
        "Hej! Kan man returnere uden kvittering?",
        "Har I åbent på søndag?",
        "Kan man bestille til butik og hente samme dag?",
        "Hvornår kommer {product} på lager igen?",
        "Hvad koster fragten til {city}?",
        "Gælder tilbuddet også på nettet?",
        "Findes den i en større størrelse?",
        "Hvor længe varer udsalget?",
        "Har butikken i {city} parkering?",
        "Tager I MobilePay?",
        "Hvor kan jeg finde jeres {product}?",
    ),
    praise=(
        "Super!",
        "I gør det godt.",
        "Fantastisk!",
        "Hvor fint!",
        "Elsker jeres {product}!",
        "Sødt personale i {city} 👍",
        "Bedste butik!",
        "Ser lækkert ud",
        "Glæder mig til at prøve",
        "Tak for hurtig hjælp i går!",
    ),
    neutral=("👍", "❤️", "😍", "@{first} se her", "Interessant", "Hmm", "Flot", "@{first} vi skal derhen!"),
    complaints=(
        "Lang kø ved kassen i {city} i dag",
        "Ærgerligt at I har fjernet {product} fra sortimentet",
        "Min bestilling er ikke kommet endnu",
        "Dårlig service i butikken i {city} desværre",
        "Alt for dyrt synes jeg",
        "Hvorfor er der altid udsolgt af {product}?",
    ),
    thread_replies=("Samme oplevelse her", "Enig!", "Nej, det passer ikke", "Præcis!", "Haha ja"),
    messages_in=(
        "Hej, min bestilling til {city} er ikke kommet endnu. Ordrenummer {order}. Hvor lang tid plejer det at tage?",
        "Kan jeg skifte afhentningsbutik på min ordre {order}? På forhånd tak for svar",
        "Hej! Jeg har fået en forkert vare i min levering, hvad gør jeg?",
        "Har I gavekort?",
        "Hej, laver I firmabestillinger?",
        "Jeg vil gerne reklamere over en vare jeg købte i {city}.",
        "Hej",
    ),
    messages_thanks=("Tusind tak!", "Tak for hjælpen!", "Perfekt, tak!", "👍"),
    scam_replies=(
        "Svindel, klik ikke på linket!!",
        "Det her er bedrageri, pas på.",
        "Er I blevet hacket?",
        "Advarsel! Falsk giveaway.",
        "Det her er ikke jer.",
        "Legit! Got paid in 10 minutes.",
        "Done ✅ waiting for my reward",
    ),
    scam_messages=("Hej, er I blevet hacket? Mærkelige opslag på jeres side", "Jeres side spreder svindel!!", "Hej"),
    crisis_comments=(
        "Skandale! Jeg handler aldrig her igen.",
        "Hvordan kan I gøre sådan mod jeres ansatte?",
        "Boykot!!",
        "Forfærdelig dårlig beslutning.",
        "Hvorfor siger I ingenting?",
        "Skam jer",
        "Jeg har allerede opsagt mit medlemskab.",
        "Svar nu! Hvad sker der med min butik i {city}?",
        "Fuldstændig uacceptabelt 😡",
        "Deler det her så alle ser det.",
    ),
    crisis_messages=(
        "Jeg vil have mine penge tilbage nu.",
        "Hvad sker der med min butik i {city}?",
        "I burde skamme jer.",
    ),
    contest_entries=(
        "Jeg vil vinde! 🤞",
        "Ja tak!",
        "Deltager! @{first}",
        "@{first} se, vi er med i konkurrencen!",
        "Gerne! Elsker jeres ting",
        "Krydser fingre 🍀",
        "Ville blive så glad!",
        "Med i konkurrencen",
    ),
    live_comments=(
        "Hej fra {city}! 👋",
        "Hvor fin!",
        "Findes den i flere farver?",
        "❤️",
        "Hvad koster den?",
        "Hyggeligt med live igen",
        "Hej alle!",
        "Kan I vise bagsiden?",
        "Bestilt!",
        "👍",
    ),
    complaint_wave=(
        "Tredje gang min levering er forsinket. Jeg vil have svar nu",
        "Kundeservice tager ikke telefonen, har ventet i en time",
        "Jeg opsiger mit kundekort",
        "I burde skamme jer",
        "Har ventet to uger på mine penge tilbage",
        "Svar mig dog",
        "Har skrevet fire gange uden svar",
        "Aldrig mere bestiller jeg fra jer",
        "Ring til mig, ordrenummer {order}",
        "Min ordre {order} står stadig som pakket siden mandag",
        "Samme her, ingen pakke og intet svar",
        "Det her er ikke i orden",
        "Giv mig mine penge tilbage",
        "Jeg klager til Forbrugerklagenævnet",
    ),
)

NORWEGIAN = Visitors(
    visitor_posts=(
        "Vil bare takke de ansatte i {city} for fantastisk hjelp i dag!",
        "Har dere {product} på lager i {city}?",
        "Har ventet på bestillingen min i to uker nå, hva skjer?",
        "Byens beste butikk, ingen tvil.",
        "Når åpner dere i {city}?",
    ),
    questions=(
        "Finnes den i {city}?",
        "Hei! Kan man returnere uten kvittering?",
        "Har dere åpent på søndag?",
        "Kan man bestille til butikk og hente samme dag?",
        "Når kommer {product} tilbake på lager?",
        "Hva koster frakten til {city}?",
        "Gjelder tilbudet også på nett?",
        "Finnes den i større størrelse?",
        "Hvor lenge varer salget?",
        "Har butikken i {city} parkering?",
        "Tar dere Vipps?",
        "Hvor finner jeg {product} hos dere?",
    ),
    praise=(
        "Topp!",
        "Dere gjør en god jobb.",
        "Knallbra!",
        "Så fint!",
        "Elsker deres {product}!",
        "Hyggelig personale i {city} 👍",
        "Beste butikken!",
        "Ser kjempegodt ut",
        "Gleder meg til å prøve",
        "Takk for rask hjelp i går!",
    ),
    neutral=("👍", "❤️", "😍", "@{first} se her", "Interessant", "Hmm", "Fin", "@{first} vi må dit!"),
    complaints=(
        "Lang kø i kassen i {city} i dag",
        "Synd at dere har fjernet {product} fra sortimentet",
        "Bestillingen min har ikke kommet ennå",
        "Dårlig service i butikken i {city} dessverre",
        "Altfor dyrt synes jeg",
        "Hvorfor er det alltid utsolgt for {product}?",
    ),
    thread_replies=("Samme opplevelse her", "Enig!", "Nei, det stemmer ikke", "Akkurat!", "Haha ja"),
    messages_in=(
        "Hei, bestillingen min til {city} har ikke kommet ennå. Ordrenummer {order}. Hvor lang tid pleier det å ta?",
        "Kan jeg bytte hentebutikk på ordre {order}? Takk for svar",
        "Hei! Jeg har fått feil vare i leveringen min, hva gjør jeg?",
        "Har dere gavekort?",
        "Hei, tar dere bedriftsbestillinger?",
        "Jeg vil reklamere på en vare jeg kjøpte i {city}.",
        "Hei",
    ),
    messages_thanks=("Tusen takk!", "Takk for hjelpen!", "Perfekt, takk!", "👍"),
    scam_replies=(
        "Svindel, ikke klikk på lenken!!",
        "Dette er bedrageri, pass dere.",
        "Er dere hacket?",
        "Advarsel! Falsk giveaway.",
        "Dette er ikke dere.",
        "Legit! Got paid in 10 minutes.",
        "Done ✅ waiting for my reward",
    ),
    scam_messages=("Hei, er dere hacket? Rare innlegg på siden deres", "Siden deres sprer svindel!!", "Hei"),
    crisis_comments=(
        "Skandale! Jeg handler aldri her igjen.",
        "Hvordan kan dere gjøre sånn mot de ansatte?",
        "Boikott!!",
        "Forferdelig dårlig beslutning.",
        "Hvorfor sier dere ingenting?",
        "Skam dere",
        "Jeg har allerede sagt opp medlemskapet mitt.",
        "Svar da! Hva skjer med butikken min i {city}?",
        "Helt uakseptabelt 😡",
        "Deler dette så alle ser det.",
    ),
    crisis_messages=(
        "Jeg vil ha pengene tilbake nå.",
        "Hva skjer med butikken min i {city}?",
        "Dere burde skamme dere.",
    ),
    contest_entries=(
        "Jeg vil vinne! 🤞",
        "Ja takk!",
        "Deltar! @{first}",
        "@{first} se, vi er med i konkurransen!",
        "Gjerne! Elsker tingene deres",
        "Krysser fingrene 🍀",
        "Hadde blitt så glad!",
        "Med i konkurransen",
    ),
    live_comments=(
        "Hei fra {city}! 👋",
        "Så fin!",
        "Finnes den i flere farger?",
        "❤️",
        "Hva koster den?",
        "Koselig med live igjen",
        "Hei alle sammen!",
        "Kan dere vise baksiden?",
        "Bestilt!",
        "👍",
    ),
    complaint_wave=(
        "Tredje gang leveringen min er forsinket. Jeg vil ha svar nå",
        "Kundeservice tar ikke telefonen, har ventet i en time",
        "Jeg sier opp kundekortet mitt",
        "Dere burde skamme dere",
        "Har ventet to uker på pengene tilbake",
        "Svar meg da",
        "Har sendt e-post fire ganger uten svar",
        "Aldri mer bestiller jeg fra dere",
        "Ring meg, ordrenummer {order}",
        "Ordre {order} står fortsatt som pakket siden mandag",
        "Samme her, ingen pakke og ikke noe svar",
        "Dette er ikke greit",
        "Gi meg pengene tilbake",
        "Jeg klager til Forbrukerrådet",
    ),
)

VISITORS = {"sv": SWEDISH, "da": DANISH, "no": NORWEGIAN}
GREETINGS = frozenset({"Hej", "Hei"})  # a private message that only greets: the question comes next
