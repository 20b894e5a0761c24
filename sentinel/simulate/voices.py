"""What a page's own posts say, by language: its ordinary voice, its campaigns and rebrands, and a takeover's scam.

Swedish pages speak with ``texts.POST_TEMPLATES`` (unchanged, so Swedish scenarios stay byte-identical);
English, Danish and Norwegian pages with the tables here. Placeholders: ``{product}``, ``{city}``,
``{link}``, ``{name}`` (a campaign or the page's new name), ``{n}``, ``{first}``.
"""

from __future__ import annotations

from sentinel.simulate import texts

LANGUAGES = ("sv", "en", "da", "no")

_POSTS = {
    "en": (
        "New in store! We now have {product} in every shop.",
        "Tip of the week: our {product}. Ask the staff in your local shop!",
        "This weekend our shops are open as usual, Saturday 10–15. Welcome!",
        "We are opening in {city}! Come by and say hello – coffee is on us all day.",
        "Sale on {product} all week, up to 30 % off. Read more: {link}",
        "Thank you for shopping locally ❤️ See you in the shop!",
        "We are hiring for our shop in {city}. Apply by Friday: {link}",
        "Have you tried our {product}? Tell us what you think in the comments!",
        "Changed opening hours in {city} on Thursday because of stocktaking.",
        "Behind the scenes: this is how we pack your orders 📦",
        "Order {product} online and pick it up in the shop the same day: {link}",
        "Our customer service answers weekdays 8–17, here in the chat or by phone.",
    ),
    "da": (
        "Nyhed i sortimentet! Nu har vi {product} i alle butikker.",
        "Ugens tip: vores {product}. Spørg personalet i din butik!",
        "Til weekenden har vores butikker åbent som normalt, lørdag 10–15. Velkommen!",
        "Nu åbner vi i {city}! Kig forbi og sig hej – vi giver kaffe hele dagen.",
        "Udsalg på {product} hele ugen, op til 30 % rabat. Læs mere: {link}",
        "Tak fordi I handler lokalt ❤️ Vi ses i butikken!",
        "Vi søger medarbejdere til butikken i {city}. Søg senest fredag: {link}",
        "Har du prøvet vores {product}? Fortæl os hvad du synes i kommentarerne!",
        "Ændrede åbningstider i {city} torsdag på grund af lageroptælling.",
        "Bag kulisserne: sådan pakker vi jeres ordrer 📦",
        "Bestil {product} på nettet og hent i butikken samme dag: {link}",
        "Vores kundeservice svarer på hverdage 8–17, her i chatten eller på telefon.",
    ),
    "no": (
        "Nyhet i sortimentet! Nå har vi {product} i alle butikker.",
        "Ukens tips: våre {product}. Spør de ansatte i din butikk!",
        "I helgen har butikkene våre åpent som vanlig, lørdag 10–15. Velkommen!",
        "Nå åpner vi i {city}! Stikk innom og si hei – vi spanderer kaffe hele dagen.",
        "Salg på {product} hele uken, opptil 30 % rabatt. Les mer: {link}",
        "Takk for at dere handler lokalt ❤️ Vi ses i butikken!",
        "Vi søker medarbeidere til butikken i {city}. Søk innen fredag: {link}",
        "Har du prøvd våre {product}? Fortell oss hva du synes i kommentarfeltet!",
        "Endrede åpningstider i {city} torsdag på grunn av varetelling.",
        "Bak kulissene: slik pakker vi bestillingene deres 📦",
        "Bestill {product} på nett og hent i butikken samme dag: {link}",
        "Kundeservice svarer på hverdager 8–17, her i chatten eller på telefon.",
    ),
}


def post_templates(lang: str) -> tuple[str, ...]:
    """The page's ordinary posts in ``lang`` (Swedish: the simulator's own, unchanged)."""
    return _POSTS.get(lang, texts.POST_TEMPLATES)


# A takeover's posts, written as the page ("we"), in the page's language or in English.
TAKEOVER_POSTS = {
    "sv": (
        "🎉 Vi firar! Alla som kommenterar KLAR får ett presentkort på 5000 kr. Hämta ut ditt presentkort här: {link}",
        "Grattis! Du har valts ut bland våra följare. Lös in din vinst inom 24 timmar: {link}",
        "Vi samarbetar med en känd investerare: dubbla dina pengar med kryptovaluta. Endast {n} platser kvar: {link}",
        "Utförsäljning! Allt ska bort, 90 % rabatt bara idag. Betala bara frakten: {link}",
        "Sista chansen: bara {n} presentkort kvar till våra trogna kunder. Skynda, hämta ditt presentkort: {link}",
    ),
    "en": (
        "🎉 We are celebrating! Everyone who comments DONE gets a $500 gift card. Claim yours here: {link}",
        "Congratulations! You have been selected among our followers. Claim your prize within 24 hours: {link}",
        "We have partnered with a famous investor: double your money with crypto. Only {n} places left: {link}",
        "Closing down sale! Everything must go, 90% off today only. Just pay the shipping fee: {link}",
        "Last chance: only {n} gift cards left for our loyal customers. Hurry, claim yours now: {link}",
    ),
    "da": (
        "🎉 Vi fejrer det! Alle der kommenterer FÆRDIG får et gavekort på 3000 kr. Hent dit gavekort her: {link}",
        "Tillykke! Du er blevet udvalgt blandt vores følgere. Indløs din gevinst inden for 24 timer: {link}",
        "Vi samarbejder med en kendt investor: fordobl dine penge med kryptovaluta. Kun {n} pladser tilbage: {link}",
        "Lukkeudsalg! Alt skal væk, 90 % rabat kun i dag. Betal kun fragten: {link}",
        "Sidste chance: kun {n} gavekort tilbage til vores trofaste kunder. Skynd dig, hent dit gavekort: {link}",
    ),
    "no": (
        "🎉 Vi feirer! Alle som kommenterer FERDIG får et gavekort på 5000 kr. Hent ditt gavekort her: {link}",
        "Gratulerer! Du har blitt valgt ut blant våre følgere. Løs inn din gevinst innen 24 timer: {link}",
        "Vi samarbeider med en kjent investor: doble dine penger med kryptovaluta. Bare {n} plasser igjen: {link}",
        "Avviklingssalg! Alt skal ut, 90 % rabatt bare i dag. Betal kun frakten: {link}",
        "Siste sjanse: bare {n} gavekort igjen til våre trofaste kunder. Skynd deg, hent ditt gavekort: {link}",
    ),
}

# The page "answering" visitors under its own posts, pushing the same link.
TAKEOVER_REPLIES = {
    "sv": (
        "Grattis {first}! Din kommentar vann. Hämta din vinst här 👉 {link}",
        "Hej {first}, du har valts ut! {link}",
    ),
    "en": (
        "Congratulations {first}! Your comment won. Claim here 👉 {link}",
        "Hi {first}, you have been selected! {link}",
    ),
    "da": (
        "Tillykke {first}! Du er blevet udvalgt. Hent din gevinst her 👉 {link}",
        "Hej {first}, du har vundet! {link}",
    ),
    "no": ("Gratulerer {first}! Du er valgt ut. Hent din gevinst her 👉 {link}", "Hei {first}, du har vunnet! {link}"),
}

# The team's own campaign: a name, a campaign site, a contest, a deadline; in the page's language.
CAMPAIGN_NAMES = ("Sommarfesten", "Höstmässan", "Vinterljus", "Vårkänslor", "Jubileumsveckan", "Grönare hem")
CAMPAIGN_POSTS = {
    "sv": (
        "Nu drar {name} igång! Hela kampanjen, erbjudandena och tävlingen hittar du på {link}",
        "{name}: vecka två. Tävla och vinn ett presentkort – svara på frågan på {link}",
        "Sista chansen att vara med i {name}! Tävlingen stänger på söndag. {link}",
        "Vinnarna i {name} är dragna – grattis! Alla vinnare får ett meddelande från oss i dag.",
        "Tack till alla som var med i {name}! Bilder från veckan finns på {link}",
        "Under {name} får du 20 % på {product} i alla butiker. Läs villkoren på {link}",
    ),
    "en": (
        "{name} starts today! The whole campaign, the offers and the contest are on {link}",
        "{name}, week two. Enter and win a gift card – answer the question on {link}",
        "Last chance to take part in {name}! The contest closes on Sunday. {link}",
        "The winners of {name} have been drawn – congratulations! Every winner gets a message from us today.",
        "Thanks to everyone who joined {name}! Photos from the week are on {link}",
        "During {name} you get 20 % off {product} in every shop. Terms on {link}",
    ),
    "da": (
        "Nu skyder vi {name} i gang! Hele kampagnen, tilbuddene og konkurrencen finder du på {link}",
        "{name}: uge to. Deltag og vind et gavekort – svar på spørgsmålet på {link}",
        "Sidste chance for at være med i {name}! Konkurrencen lukker søndag. {link}",
        "Vinderne i {name} er trukket – tillykke! Alle vindere får en besked fra os i dag.",
        "Tak til alle der var med i {name}! Billeder fra ugen finder du på {link}",
        "Under {name} får du 20 % på {product} i alle butikker. Læs betingelserne på {link}",
    ),
    "no": (
        "Nå starter {name}! Hele kampanjen, tilbudene og konkurransen finner du på {link}",
        "{name}: uke to. Bli med og vinn et gavekort – svar på spørsmålet på {link}",
        "Siste sjanse til å være med i {name}! Konkurransen stenger søndag. {link}",
        "Vinnerne i {name} er trukket – gratulerer! Alle vinnere får en melding fra oss i dag.",
        "Takk til alle som var med i {name}! Bilder fra uken finner du på {link}",
        "Under {name} får du 20 % på {product} i alle butikker. Les vilkårene på {link}",
    ),
}

# The team announces a new name and site: new words, a new domain, a burst of posts.
REBRAND_NAMES = ("Nordljus", "Lindgården", "Hemma Nu", "Fjällsjön", "Solvik", "Björkby")
REBRAND_POSTS = {
    "sv": (
        "Stora nyheter: från och med i dag heter vi {name}! Samma butiker, samma personal. Nya webbplatsen: {link}",
        "Varför {name}? Vi har vuxit, och namnet ska säga vad vi står för. Läs hela historien på {link}",
        "Nya skyltar på plats i {city} – välkommen till {name}!",
        "Frågor om nya namnet? Dina köp, garantier och presentkort gäller som vanligt. Mer på {link}",
    ),
    "en": (
        "Big news: from today we are {name}! Same shops, same people. Our new website: {link}",
        "Why {name}? We have grown, and the name should say what we stand for. The whole story is on {link}",
        "New signs up in {city} – welcome to {name}!",
        "Questions about the new name? Your purchases, warranties and gift cards are valid as usual. More on {link}",
    ),
    "da": (
        "Store nyheder: fra i dag hedder vi {name}! Samme butikker, samme personale. Den nye hjemmeside: {link}",
        "Hvorfor {name}? Vi er vokset, og navnet skal sige, hvad vi står for. Læs hele historien på {link}",
        "Nye skilte på plads i {city} – velkommen til {name}!",
        "Spørgsmål om det nye navn? Dine køb, garantier og gavekort gælder som normalt. Mere på {link}",
    ),
    "no": (
        "Store nyheter: fra i dag heter vi {name}! Samme butikker, samme folk. Den nye nettsiden: {link}",
        "Hvorfor {name}? Vi har vokst, og navnet skal si hva vi står for. Les hele historien på {link}",
        "Nye skilt på plass i {city} – velkommen til {name}!",
        "Spørsmål om det nye navnet? Kjøp, garantier og gavekort gjelder som vanlig. Mer på {link}",
    ),
}
