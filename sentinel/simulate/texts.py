"""Words for simulated pages: Swedish names, posts, comments and messages, English scams.

Everything is a tuple built at import, so the hot loops only pick from lists.
Texts are fictional; any likeness to a real business is chance.
"""

from __future__ import annotations

FIRST_NAMES = (
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Anders",
    "Eva",
    "Johan",
    "Sara",
    "Per",
    "Lena",
    "Mikael",
    "Emma",
    "Karl",
    "Kristina",
    "Peter",
    "Linnea",
    "Fredrik",
    "Elin",
    "Jonas",
    "Ida",
    "Magnus",
    "Sofia",
    "Niklas",
    "Hanna",
    "Mattias",
    "Frida",
    "Oskar",
    "Malin",
    "Viktor",
    "Ebba",
    "Gustav",
    "Camilla",
    "Olle",
    "Åsa",
    "Björn",
    "Signe",
    "Göran",
    "Maja",
    "Hassan",
    "Amira",
    "Tomasz",
    "Yasmin",
    "Ali",
    "Nora",
    "Leo",
    "Astrid",
    "Pontus",
    "Stina",
    "Linus",
    "Tove",
    "Emelie",
    "Jesper",
    "Matilda",
    "Omar",
    "Sanna",
    "Ulf",
)
LAST_NAMES = (
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Lindström",
    "Olofsson",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lundgren",
    "Lundqvist",
    "Mattsson",
    "Berglund",
    "Fredriksson",
    "Sandberg",
    "Henriksson",
    "Forsberg",
    "Sjöberg",
    "Ali",
    "Håkansson",
    "Ek",
    "Holmqvist",
    "Nguyen",
    "Yilmaz",
    "Rahimi",
    "Haddad",
    "Björk",
)
CITIES = (
    "Stockholm",
    "Göteborg",
    "Malmö",
    "Uppsala",
    "Västerås",
    "Örebro",
    "Linköping",
    "Helsingborg",
    "Jönköping",
    "Norrköping",
    "Lund",
    "Umeå",
    "Gävle",
    "Borås",
    "Eskilstuna",
    "Södertälje",
    "Karlstad",
    "Täby",
    "Växjö",
    "Halmstad",
    "Sundsvall",
    "Luleå",
    "Trollhättan",
    "Östersund",
    "Kalmar",
    "Falun",
    "Karlskoga",
    "Nyköping",
)
SHOP_PREFIXES = (
    ("Hem", "home"),
    ("Cykel", "bike"),
    ("Bok", "books"),
    ("Kaffe", "cafe"),
    ("Trädgårds", "garden"),
    ("Sport", "sport"),
    ("Leksaks", "toys"),
    ("Järn", "hardware"),
    ("Foto", "photo"),
    ("Inrednings", "home"),
    ("Djur", "pets"),
    ("Musik", "music"),
    ("Sko", "shoes"),
    ("Vin", "wine"),
    ("Frukt", "food"),
)
SHOP_SUFFIXES = ("boden", "huset", "magasinet", "butiken", "kompaniet", "hörnan", "lagret")

PRODUCTS = {
    "home": ("ullplädar", "doftljus", "linnedukar", "keramikmuggar", "soffkuddar", "golvlampor"),
    "bike": ("elcyklar", "vinterdäck", "cykelhjälmar", "barncyklar", "cykellampor", "pakethållare"),
    "books": ("deckare", "kokböcker", "barnböcker", "pocketböcker", "ljudböcker", "almanackor"),
    "cafe": ("kanelbullar", "surdegsbröd", "semlor", "kardemummabullar", "mazariner", "kaffebönor"),
    "garden": ("tulpanlökar", "krukväxter", "fröer", "planteringsjord", "trädgårdsredskap", "utemöbler"),
    "sport": ("löparskor", "skidor", "träningskläder", "skridskor", "padelrack", "vandringsryggsäckar"),
    "toys": ("pussel", "byggklossar", "sällskapsspel", "gosedjur", "pysselsatser", "leksaksbilar"),
    "hardware": ("skruvdragare", "färg", "verktygslådor", "snöskyfflar", "stegar", "lim och fog"),
    "photo": ("kameror", "objektiv", "fotoböcker", "ramar", "stativ", "minneskort"),
    "pets": ("hundfoder", "kattsand", "hundkoppel", "kattleksaker", "fågelfrön", "hundbäddar"),
    "music": ("gitarrer", "vinylskivor", "hörlurar", "strängar", "keyboards", "notställ"),
    "shoes": ("vinterkängor", "gympaskor", "stövlar", "sandaler", "skovård", "innersulor"),
    "wine": ("alkoholfritt bubbel", "rödviner", "glöggen", "cider", "vinglas", "ekologiska viner"),
    "food": ("äpplen", "clementiner", "fruktkorgar", "bär", "juicer", "grönsakslådor"),
}

POST_TEMPLATES = (
    "Nyhet i sortimentet! Nu har vi {product} i alla butiker.",
    "Veckans tips: våra {product}. Fråga personalen i din butik!",
    "Inför helgen: våra butiker har öppet som vanligt, lördag 10–15. Välkommen!",
    "Nu öppnar vi i {city}! Kom förbi och säg hej – bjuder på kaffe hela dagen.",
    "Rea på {product} hela veckan, upp till 30 % rabatt. Läs mer: {link}",
    "Tack för att ni handlar lokalt ❤️ Vi ses i butiken!",
    "Vi söker medarbetare till butiken i {city}. Ansök senast på fredag: {link}",
    "Har du testat våra {product}? Berätta gärna vad du tycker i kommentarerna!",
    "Tävling! Kommentera med din favorit bland våra {product} så är du med i utlottningen.",
    "Ändrade öppettider i {city} på grund av inventering på torsdag.",
    "Bakom kulisserna: så packar vi era beställningar 📦",
    "Nu kan du beställa {product} på nätet och hämta i butik samma dag: {link}",
)
VISITOR_POSTS = (
    "Vill bara tacka personalen i {city} för fantastisk hjälp idag!",
    "Har ni {product} i lager i {city}?",
    "Väntat på min beställning i två veckor nu, vad händer?",
    "Bästa butiken i stan, ingen tvekan.",
    "När kommer ni att öppna i {city}?",
)
QUESTIONS = (
    "Finns den här i {city}?",
    "Hej! Går det att returnera utan kvitto?",
    "Har ni öppet på söndag?",
    "Kan man beställa till butik och hämta samma dag?",
    "När kommer {product} tillbaka i lager?",
    "Vad kostar frakten till {city}?",
    "Gäller erbjudandet även på nätet?",
    "Finns det i större storlek?",
    "Hur länge gäller rean?",
    "Har butiken i {city} parkering?",
    "Tar ni Swish?",
    "Var kan jag hitta era {product}?",
)
PRAISE = (
    "Toppen!",
    "Ni gör ett bra jobb.",
    "Kanon!",
    "Så fint!",
    "Älskar era {product}!",
    "Trevlig personal i {city} 👍",
    "Bästa butiken!",
    "Ser jättegott ut",
    "Ska bli kul att testa",
    "Tack för snabb hjälp igår!",
)
NEUTRAL = ("👍", "❤️", "😍", "@{first} kolla här", "Intressant", "Hmm", "Snyggt", "@{first} vi måste dit!")
COMPLAINTS = (
    "Lång kö i kassan i {city} idag",
    "Tråkigt att ni tog bort {product} ur sortimentet",
    "Min beställning har inte kommit än",
    "Dålig service i butiken i {city} tyvärr",
    "För dyrt tycker jag",
    "Varför är det alltid slut på {product}?",
)
THREAD_REPLIES = ("Samma upplevelse här", "Håller med!", "Nej, det stämmer inte", "Precis!", "Haha ja")
SPAM = (
    "Tjäna 5000 kr om dagen hemifrån! Läs mer: {link}",
    "Gratis presentkort till alla som klickar här: {link}",
)
SPAM_DOMAINS = ("snabba-pengar.click", "vinnare-idag.top", "presentkort-gratis.shop")

PAGE_REPLIES = (
    "Hej {first}! Tack för din fråga, vi kollar med butiken och återkommer. /{admin}",
    "Hej {first}! Ja, det går bra. Välkommen in! /{admin}",
    "Hej {first}! Skicka gärna ett privat meddelande så hjälper vi dig. /{admin}",
    "Hej {first}, tråkigt att höra! Vi tar det vidare till butiken. /{admin}",
    "Hej {first}! Det finns på hemsidan under Kundservice. /{admin}",
)
MESSAGES_IN = (
    "Hej, min beställning till {city} har inte kommit än. Ordernummer {order}. Hur lång tid brukar det ta?",
    "Kan jag ändra hämtbutik på min order {order}? Tacksam för svar",
    "Hej! Jag fick fel vara i min leverans, vad gör jag?",
    "Har ni presentkort?",
    "Hej, jobbar ni med företagsbeställningar?",
    "Jag vill reklamera en vara jag köpte i {city}.",
    "Hej",
)
MESSAGES_OUT = (
    "Hej {first}! Vi har kollat order {order}. Den levereras inom två arbetsdagar. Mvh {admin}",
    "Hej {first}! Det går bra, vi har ordnat det åt dig. Mvh {admin}",
    "Hej {first}! Tack för att du hör av dig. Kan du skicka en bild på kvittot? Mvh {admin}",
)
MESSAGES_THANKS = ("Tusen tack!", "Tack för hjälpen!", "Perfekt, tack!", "👍")
EDIT_SUFFIXES = (" Uppdatering: gäller även helgen.", " (Redigerat: rätt länk)", " (Uppdaterat med nya öppettider)")

APPS_KNOWN = ("Meta Business Suite", "Hootsuite", "Facebook for iPhone", "Facebook for Android")
REACTIONS = (
    ("like",) * 70 + ("love",) * 15 + ("care",) * 3 + ("haha",) * 4 + ("wow",) * 4 + ("sad",) * 2 + ("angry",) * 2
)

# --- hijack and crisis -------------------------------------------------------------------------------
HIJACK_PAGE_NAMES = ("Meta Business Support", "Page Recovery Center", "Crypto Giveaway Official", "Ray-Ban Outlet")
HIJACK_APPS = ("Post Planner Pro", "SocialBoost Scheduler", "Pages Manager X")
HIJACKERS = ("Kevin Lambert", "David Miller", "Meta Support Team", "Jessica Brown")
SCAM_WORDS = ("btc-doubler", "meta-appeal", "crypto-airdrop", "rayban-outlet", "page-verify", "giftcard-win")
SCAM_TLDS = ("live", "xyz", "help", "shop", "top", "click", "online")
SCAM_POSTS = (
    "Closing down sale! Ray-Ban sunglasses only $19.99 today. Free shipping worldwide: {link}",
    "Last chance! Only {n} wallets left in our crypto airdrop. Register now 👉 {link}",
    "⚠️ Meta Notice: this page has been scheduled for permanent deletion. Appeal within 24 hours: {link}",
    "We are partnering with a famous investor to DOUBLE your Bitcoin! Send 0.1 BTC and receive 0.2 BTC back: {link}",
    "Congratulations! You have been selected for a $500 gift card. Claim it here: {link}",
)
SCAM_REPLIES = (
    "Scam, klicka inte på länken!!",
    "Detta är bedrägeri, akta er.",
    "Är ni hackade?",
    "varning! Falsk giveaway.",
    "Detta är inte ni på riktigt.",
    "Legit! Got paid in 10 minutes.",
    "Done ✅ waiting for my reward",
)
SCAM_MESSAGES = ("Hej, är ni hackade? Konstiga inlägg på er sida", "Er sida sprider bedrägerier!!", "Hej")
CRISIS_POSTS = (
    "Viktig information: vi stänger tolv butiker och flyttar kundtjänsten utomlands. Läs mer: {link}",
    "Vi återkallar våra {product} på grund av ett säkerhetsfel. Lämna tillbaka dem i butik. Läs mer: {link}",
)
CRISIS_COMMENTS = (
    "Skandal! Jag handlar aldrig här igen.",
    "Hur kan ni göra så mot era anställda?",
    "Bojkott!!",
    "Fruktansvärt dåligt beslut.",
    "Varför säger ni ingenting?",
    "Skäms på er",
    "Jag har redan sagt upp mitt medlemskap.",
    "Svara då! Vad händer med min butik i {city}?",
    "Helt oacceptabelt 😡",
    "Delar detta så alla ser.",
)
CRISIS_MESSAGES = ("Jag vill ha pengarna tillbaka nu.", "Vad händer med min butik i {city}?", "Ni borde skämmas.")
CRISIS_REACTIONS = ("angry",) * 60 + ("sad",) * 20 + ("haha",) * 10 + ("like",) * 10


# --- quiet spikes and a complaint wave (sentinel.simulate.waves) ---------------------------------------
CONTEST_ENTRIES = (
    "Jag vill vinna! 🤞",
    "Ja tack!",
    "Deltar! @{first}",
    "@{first} kolla, vi tävlar!",
    "Gärna! Älskar era grejer",
    "Håller tummarna 🍀",
    "Skulle bli så glad!",
    "Med i tävlingen",
)
LIVE_COMMENTS = (
    "Hej från {city}! 👋",
    "Så fin!",
    "Finns den i fler färger?",
    "❤️",
    "Vad kostar den?",
    "Mysigt med live igen",
    "Hej alla!",
    "Kan ni visa baksidan?",
    "Beställt!",
    "👍",
)
COMPLAINT_WAVE = (
    "Tredje gången min leverans är sen. Jag vill ha svar nu",
    "Kundtjänst svarar inte i telefon, har väntat i en timme",
    "Säger upp mitt kundkort",
    "Ni borde skämmas",
    "Väntat två veckor på pengarna tillbaka",
    "Svara mig någon gång",
    "Har mejlat fyra gånger utan svar",
    "Aldrig mer beställer jag från er",
    "Ring mig, ordernummer {order}",
    "Min order {order} står fortfarande som packad sedan i måndags",
    "Samma här, inget paket och inget svar",
    "Det här är inte okej",
    "Ge mig pengarna tillbaka",
    "Jag kommer att anmäla er till ARN",
)


def expand(templates: tuple[str, ...], **options: tuple[str, ...]) -> tuple[str, ...]:
    """Each template with each value of the placeholders it uses (a small fixed product)."""
    out: list[str] = []
    for t in templates:
        variants = [t]
        for key, values in options.items():
            if "{" + key + "}" in t:
                variants = [v.replace("{" + key + "}", value) for v in variants for value in values]
        out.extend(variants)
    return tuple(out)
