"""The profile's content features: the page's voice, scam pitches, links unlike the page's, the page's own comments."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import sentinel.rules  # noqa: F401  (import order: sentinel.detectors.common imports the rule engine)
from sentinel.config.schema import PageConfig
from sentinel.detectors import pitch, voice
from sentinel.detectors.profile import MAX_KEYS, MAX_REPEATS, ProfileDetector, ProfileParams
from sentinel.enrich import Enriched, PageKnowledge
from sentinel.enrich.text import reading
from sentinel.model import Actor, Severity
from sentinel.testing import event

PAGE = PageConfig.model_validate(
    {"id": "druvan", "timezone": "UTC", "language": "sv", "staffed_hours": {"mon-fri": "08:00-17:00"}}
)
PAGE_ACTOR = Actor(id="1047", name="Druvan", type="page")
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday
OWN = (
    "Nyhet i sortimentet! Nu finns {x} i alla våra butiker.",
    "Veckans tips: {x} till helgens middag. Fråga personalen i butiken!",
    "Vi har öppet som vanligt i helgen, lördag 10–15. Välkommen in!",
    "Recept: pasta med {x}. Hela receptet finns på vår hemsida: https://www.druvan.se/recept",
    "Ändrade öppettider i butiken i {x} på torsdag på grund av inventering.",
    "Tävling! Kommentera med din favorit bland våra {x} så är du med i utlottningen.",
)
THINGS = ("Rioja", "Riesling", "Uppsala", "Chablis", "Malmö", "portvin", "Barolo", "Lund")


def _post(t: datetime, text: str, *, links: tuple[str, ...] = (), app: str = "Meta Business Suite", admin: str = "a1"):
    ev = event(
        "post.created",
        t,
        actor=PAGE_ACTOR,
        post_id=f"p{int(t.timestamp())}",
        message=text,
        app=app,
        links=list(links),
        type="link" if links else "photo",
        admin={"id": admin, "name": "Sara"},
    )
    return Enriched(ev, PAGE, PageKnowledge())


def _comment(t: datetime, text: str, links: tuple[str, ...] = ()):
    ev = event(
        "comment.created",
        t,
        actor=PAGE_ACTOR,
        comment_id=f"c{int(t.timestamp())}",
        post_id="p1",
        parent_id=None,
        message=text,
        links=list(links),
    )
    return Enriched(ev, PAGE, PageKnowledge())


def trained(**params: float):
    """Six weeks of the page's own Swedish posts, weekdays 09-15, through one app by one admin."""
    det = ProfileDetector(ProfileParams(type="profile", **params))
    st = det.new_state()
    n = 0
    for d in range(42):
        day = T0 + timedelta(days=d)
        if day.weekday() >= 5:
            continue
        for k in range(2):
            t = day + timedelta(hours=1 + 3 * k + d % 3)
            text = OWN[n % len(OWN)].format(x=THINGS[n % len(THINGS)])
            det.observe(st, _post(t, text, links=("https://www.druvan.se/x",) if n % 4 == 0 else ()), t)
            n += 1
    return det, st


MONDAY_10 = datetime(2025, 4, 14, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "Grattis! Du har valts ut bland våra följare. Hämta ut ditt presentkort inom 24 timmar: {link}",
        "Congratulations! You have been selected. Claim your prize within 24 hours: {link}",
        "Tillykke! Du er blevet udvalgt. Indløs din gevinst inden for 24 timer: {link}",
        "Vi samarbetar med en känd investerare: dubbla dina pengar med kryptovaluta. Endast 12 platser kvar: {link}",
    ],
)
def test_takeover_through_the_usual_app_in_office_hours_is_critical(text: str) -> None:
    det, st = trained()
    link = "https://lucky-draw-42.xyz/claim"
    sigs = det.observe(st, _post(MONDAY_10, text.format(link=link), links=(link,)), MONDAY_10)
    assert sigs and sigs[0].severity == Severity.CRITICAL
    feats = sigs[0].values["features"]
    assert "pitch" in feats and "domain" in feats and "app" not in feats and "hour" not in feats
    assert "reads as a pitch" in sigs[0].values["why"]["en"]
    assert "låter som bedrägeri" in sigs[0].values["why"]["sv"]


def _dressed(text: str, style: str) -> str:
    """``text`` in letters that look like others, as scam posts write to slip past word filters."""
    if style == "bold":  # MATHEMATICAL BOLD CAPITAL A .. SMALL Z
        upper, lower = 0x1D400, 0x1D41A
        return "".join(
            chr(upper + ord(c) - 65) if "A" <= c <= "Z" else chr(lower + ord(c) - 97) if "a" <= c <= "z" else c
            for c in text
        )
    if style == "zero-width":  # a ZERO WIDTH SPACE between every two letters: one word to a reader
        return "\u200b".join(text)
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)  # FULLWIDTH


@pytest.mark.parametrize("style", ["bold", "fullwidth", "zero-width"])
def test_a_pitch_in_dressed_up_letters_is_read_as_the_plain_one(style: str) -> None:
    det, st = trained()
    link = "https://lucky-draw-42.xyz/claim"
    text = _dressed("FREE BITCOIN GIVEAWAY! Send 0.1 BTC and get 0.2 BTC back. Claim your prize now", style)
    assert pitch.pitch(text).score == 0.0  # the scam list has no such letters: read as written, no pitch
    sigs = det.observe(st, _post(MONDAY_10, f"{text} {link}", links=(link,)), MONDAY_10)
    assert sigs and sigs[0].severity == Severity.CRITICAL and "pitch" in sigs[0].values["features"]


def test_the_teams_campaign_with_a_new_site_stays_at_most_info() -> None:
    det, st = trained()
    posts = [
        "Nu drar Vårkänslor igång! Hela kampanjen och tävlingen hittar du på {link}",
        "Vårkänslor, vecka två: tävla och vinn ett presentkort – svara på frågan på {link}",
        "Sista chansen att vara med i Vårkänslor! Tävlingen stänger på söndag. {link}",
        "Vinnarna i Vårkänslor är dragna – grattis! Alla vinnare får ett meddelande från oss i dag.",
    ]
    link = "https://varkanslor.druvan.se/tavling"
    for i, text in enumerate(posts):
        t = MONDAY_10 + timedelta(hours=3 * i)
        for s in det.observe(st, _post(t, text.format(link=link), links=(link,)), t):
            assert s.severity <= Severity.INFO, s.values["why"]["en"]


def test_a_second_strange_post_within_hours_adds_to_the_first() -> None:
    det, st = trained()
    link = "https://prize-center.se/win"  # the page's own top-level domain: the hard case
    first = det.observe(st, _post(MONDAY_10, f"Du har valts ut! Hämta din vinst här: {link}", links=(link,)), MONDAY_10)
    later = MONDAY_10 + timedelta(minutes=25)
    second = det.observe(st, _post(later, f"Endast 7 kvar: hämta ditt presentkort {link}", links=(link,)), later)
    assert first[0].severity == Severity.WARNING
    assert second[0].severity == Severity.CRITICAL and "again" in second[0].values["features"]


def test_the_pages_scam_reply_is_flagged_and_its_plain_replies_are_not() -> None:
    det, st = trained()
    t = MONDAY_10 + timedelta(minutes=5)
    assert det.observe(st, _comment(t, "Hej Karin! Tack, vi kollar upp det och återkommer."), t) == []
    link = "https://gift-claim-17.top/win"
    sigs = det.observe(st, _comment(t, f"Grattis Karin! Din kommentar vann. Hämta din vinst här 👉 {link}", (link,)), t)
    assert sigs and sigs[0].severity >= Severity.WARNING
    assert sigs[0].values["post_id"].startswith("c")


def test_a_fraud_warning_by_the_page_is_not_a_pitch() -> None:
    det, st = trained()
    text = "Varning för bedragare: vi ber dig aldrig verifiera ditt konto eller lämna kortuppgifter via en länk."
    for s in det.observe(st, _post(MONDAY_10, text), MONDAY_10):
        assert s.severity <= Severity.INFO


def test_content_off_is_the_profile_before_it() -> None:
    det, st = trained(w_voice=0, w_pitch=0, w_again=0, known_tld=1.0)
    link = "https://lucky-draw-42.xyz/claim"
    text = f"Grattis! Du har valts ut. Hämta ut ditt presentkort inom 24 timmar: {link}"
    sigs = det.observe(st, _post(MONDAY_10, text, links=(link,)), MONDAY_10)
    assert sigs[0].severity == Severity.INFO and sigs[0].values["features"] == "domain"


def test_memory_is_bounded_and_state_round_trips() -> None:
    det, st = trained(memory=20)
    assert len(st.texts) == 20
    for i in range(MAX_KEYS + 50):
        t = MONDAY_10 + timedelta(days=1, minutes=i)
        det.learn(st, _post(t, f"Se @partner{i} på https://site{i}.se/x", links=(f"https://site{i}.se/x",)))
    assert len(st.domains) <= MAX_KEYS and len(st.mentions) <= MAX_KEYS and len(st.texts) == 20
    st.strange_at = MONDAY_10
    assert det.to_json(det.from_json(det.to_json(st))) == det.to_json(st)


def _flood(det: ProfileDetector, st, text: str, links: tuple[str, ...], n: int = 20, every: int = 30):
    """``n`` replies of ``text`` by the page, ``every`` seconds apart from Monday 10:00: the severities (None: none)."""
    out = []
    for i in range(n):
        t = MONDAY_10 + timedelta(seconds=every * i)
        sigs = det.observe(st, _comment(t, text, links), t)
        out.append(sigs[0].severity if sigs else None)
    return out


def test_the_same_link_reply_pasted_again_and_again_is_critical() -> None:
    det, st = trained()
    link = "https://promo-deal-88.top/x"
    got = _flood(det, st, f"Kolla in det här erbjudandet 👉 {link}", (link,))
    assert got[0] == Severity.INFO  # one reply pushing a never-seen domain: info, as before
    assert Severity.CRITICAL in got[:5]  # by the fifth of the red team's 20 (ten minutes)


def test_personal_names_and_mentions_do_not_hide_the_repetition() -> None:
    det, st = trained()
    link = "https://promo-deal-88.top/x"
    sevs = []
    for i in range(6):
        t = MONDAY_10 + timedelta(seconds=40 * i)
        sigs = det.observe(st, _comment(t, f"@kund{i} Kolla in det här 👉 {link}?ref={i}", (link,)), t)
        sevs.append(sigs[0].severity if sigs else None)
    assert sevs[-1] == Severity.CRITICAL and "repeat" in sigs[0].values["features"]


def test_canned_replies_that_push_nothing_are_never_counted() -> None:
    det, st = trained()
    assert _flood(det, st, "Hej! Skicka oss ett DM så hjälper vi dig.", ()) == [None] * 20
    assert st.repeats == {}  # not even remembered


def test_the_teams_canned_reply_with_its_new_campaign_site_stays_at_most_info() -> None:
    det, st = trained()
    link = "https://varkanslor.druvan.se/tavling"  # never linked yet, under the page's own .se
    got = _flood(det, st, f"Hej! Hela tävlingen och reglerna hittar du här: {link}", (link,))
    assert set(got) <= {None, Severity.INFO}


def test_the_same_link_reply_spread_over_the_day_does_not_add_up() -> None:
    det, st = trained()
    link = "https://promo-deal-88.top/x"
    got = _flood(det, st, f"Kolla in det här 👉 {link}", (link,), n=6, every=3600)
    assert got == [Severity.INFO] * 6


def test_replies_remembered_are_bounded_hashes_and_survive_a_snapshot() -> None:
    det, st = trained()
    for i in range(MAX_REPEATS + 40):
        t = MONDAY_10 + timedelta(seconds=i)
        word = "".join(chr(97 + int(c)) for c in str(i))  # digits are read as one: a word per reply instead
        det.observe(st, _comment(t, f"Erbjudande {word} https://deal-{word}.top/x", (f"https://deal-{word}.top/x",)), t)
    assert len(st.repeats) == MAX_REPEATS and all(len(k) == 16 for k in st.repeats)
    back = det.from_json(det.to_json(st))
    assert back.repeats == st.repeats and det.to_json(back) == det.to_json(st)


def night_page():
    """A page staffed day and night: five weeks of its own posts at 08-23, 01 and 03, never at 02."""
    det = ProfileDetector(ProfileParams(type="profile"))
    st = det.new_state()
    hours = (8, 10, 12, 14, 16, 18, 20, 22, 23, 1, 3)
    for n in range(70):
        t = T0 + timedelta(days=n // 2, hours=hours[n % len(hours)], minutes=(7 * n) % 50)
        text = OWN[n % len(OWN)].format(x=THINGS[n % len(THINGS)])
        det.observe(st, _post(t, text, links=("https://www.druvan.se/x",) if n % 4 == 0 else ()), t)
    return det, st


def test_a_strong_pitch_to_a_new_domain_at_an_hour_the_page_never_posts_in_is_critical() -> None:
    det, st = night_page()
    assert st.hours[2] == 0 and st.hours[1] > 0 and st.hours[3] > 0
    link = "https://druvan-vinst.se/claim"  # a look-alike under the page's own .se: the domain counts less
    text = f"Grattis! Hämta din vinst inom 24 timmar: {link}"
    at_two = MONDAY_10.replace(hour=2, minute=10)
    sigs = det.observe(st, _post(at_two, text, links=(link,)), at_two)
    assert sigs[0].severity == Severity.CRITICAL and sigs[0].values["features"].startswith("hour")
    assert "never posted in" in sigs[0].values["why"]["en"]
    det, st = night_page()  # the same post at 10:00, an hour the page uses: a warning, as before
    sigs = det.observe(st, _post(MONDAY_10, text, links=(link,)), MONDAY_10)
    assert sigs[0].severity == Severity.WARNING and "hour" not in sigs[0].values["features"]


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("Tävling! Vinn ett presentkort – sista chansen på söndag: {link}", "https://hostmassan.se/tavling"),
        ("Grattis! Hämta din vinst inom 24 timmar i butiken.", ""),  # no link: the hour is forgiven as before
    ],
)
def test_a_weak_pitch_or_no_new_domain_keeps_the_hours_either_side(text: str, link: str) -> None:
    det, st = night_page()
    at_two = MONDAY_10.replace(hour=2, minute=10)
    sigs = det.observe(st, _post(at_two, text.format(link=link), links=(link,) if link else ()), at_two)
    assert not sigs or (sigs[0].severity <= Severity.WARNING and "hour" not in sigs[0].values["features"])


def test_voice_is_nearer_the_pages_own_words_than_a_pitch_in_another_language() -> None:
    memory = [OWN[i % len(OWN)].format(x=THINGS[i % len(THINGS)]) for i in range(30)]
    own = voice.similarity("Veckans tips: Barolo till fredagsmyset. Fråga personalen!", memory)
    scam = voice.similarity("Last chance! Double your bitcoin, register now", memory)
    assert own is not None and scam is not None and own > 0.3 > 0.1 > scam
    assert voice.similarity("https://x.example/", memory) is None  # no words


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Tävling! Kommentera din favorit så är du med i utlottningen.", 0.0, 0.3),
        ("Sista chansen: rean slutar i dag!", 0.0, 0.3),
        ("Everyone who comments DONE gets a free $500 gift card. Claim yours here", 0.7, 1.0),
        ("Send 0.1 BTC and receive 0.2 BTC back, only 12 left", 0.7, 1.0),
        ("⚠️ Meta Notice: your page will be deleted. Appeal within 24 hours", 0.8, 1.0),
        ("Din side vil blive slettet. Bekræft din konto inden for 24 timer", 0.8, 1.0),
        ("Vi ber aldri om kortopplysninger. Ikke klikk på lenker om gevinster.", 0.0, 0.3),
        ("Tjäna 3000 kr om dagen hemifrån med vår nya handelsrobot", 0.6, 1.0),
        ("Logga in här för att verifiera ditt konto", 0.7, 1.0),
        ("Vi tjänar på att ni handlar lokalt – tack!", 0.0, 0.0),
        ("Hej Anna! Kontakta din bank om du har lämnat ut dina kortuppgifter.", 0.0, 0.3),
    ],
)
def test_pitch_scores(text: str, low: float, high: float) -> None:
    assert low <= pitch.pitch(text).score <= high


CASES = Path(__file__).parent / "pitch_cases.jsonl"


def test_the_pitch_list_separates_the_dev_cases() -> None:
    """The dev batch of ``pitch_cases.jsonl`` (the list was changed looking at its misses); the held-out batch is
    scored by ``bench/content_hijack.py --cases heldout`` (docs/detection.md), not fitted here."""
    floor = ProfileParams(type="profile").pitch_floor
    rows = [json.loads(x) for x in CASES.read_text(encoding="utf-8").splitlines() if x.strip()]
    dev = [r for r in rows if r["batch"] == "dev"]
    assert len(dev) >= 50 and {r["lang"] for r in dev} == {"sv", "en", "da", "no"}
    wrong = [r["text"] for r in dev if (pitch.pitch(reading(r["text"])).score > floor) != (r["label"] == "scam")]
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # Norwegian and Danish noun + possessive after the verb, any verb of the family, any prize noun
        ("Løs inn belønningen din her", {"prize-claim"}),
        ("Afhent gavekortet dit i dag", {"prize-claim"}),
        ("Ta emot presentkortet ditt", {"prize-claim"}),
        ("You're among our 20 lucky customers", {"prize-claim"}),
        ("Bekreft kontoen din", {"account-threat"}),
        ("Oppdater betalingsopplysningene hos oss: skriv inn passordet ditt", {"send-money"}),
        ("Please provide us with your bank account number", {"send-money"}),
        ("Connect your wallet to join the airdrop", {"crypto"}),
    ],
)
def test_pitch_families_not_sentences(text: str, kinds: set[str]) -> None:
    assert kinds <= set(pitch.pitch(text).categories)
    assert pitch.pitch(text).score > ProfileParams(type="profile").pitch_floor


@pytest.mark.parametrize(
    "text",
    [
        "Want our newsletter? Fill in your details and get 10% off.",  # a form of the team's own: at the floor
        "Logga in med BankID i appen för att se dina kontoutdrag.",  # a bank's service note
        "Just nu: betala endast 19 kr i frakt på alla beställningar.",  # cheap shipping in a sale
        "Get it while it lasts!",  # a common verb and a pronoun is no claim
    ],
)
def test_a_weak_category_alone_is_not_a_pitch(text: str) -> None:
    assert pitch.pitch(text).score <= ProfileParams(type="profile").pitch_floor


def test_pitch_file_mistakes_name_the_line() -> None:
    with pytest.raises(ValueError, match=r"x.txt:2: expected"):
        pitch.parse("[crypto 0.5]\nbitcoin\n", "x.txt")
    with pytest.raises(ValueError, match=r"x.txt:1: weight"):
        pitch.parse("[crypto 2]\n", "x.txt")


@pytest.mark.parametrize(
    "text",
    [
        "We are giving away 50 vouchers worth £500! Register with your card here: {link}",
        "Grattis! Ange dina kortuppgifter här så skickar vi presentkortet: {link}",
        "Tillykke! Indtast dine kortoplysninger for at modtage gavekortet: {link}",
    ],
)
def test_card_details_asked_for_with_a_new_domain_is_not_learned_as_usual(text: str) -> None:
    """A red team's office-hours takeover: its first post (a voucher giveaway asking for card details) scored info and
    was learned, so its domain became usual and the scam replies after it stayed at info."""
    det, st = trained()
    link = "https://rewards-portal.com/verify"
    sigs = det.observe(st, _post(MONDAY_10, text.format(link=link), links=(link,)), MONDAY_10)
    assert sigs and sigs[0].severity >= Severity.WARNING and "pitch" in sigs[0].values["features"]
    assert "rewards-portal.com" not in st.domains  # left unlearned: the replies that push it next stay strange


@pytest.mark.parametrize(
    "text",
    [
        "Add your card to Apple Pay in the app today",
        "Pay with your card or Swish in our shop",
        "We will never ask for your card details in a message or a comment.",
    ],
)
def test_a_shops_own_words_about_cards_are_no_pitch(text: str) -> None:
    assert pitch.pitch(text).score <= 0.3


@pytest.mark.parametrize(
    "text",
    [
        "Vigtigt: skal I bekræfte jeres betalingskort inden fredag, ellers afbrydes jeres serviceaftale.",
        "Viktig: bekreft betalingskortet ditt innen fredag, ellers stenges avtalen din.",
        "Viktigt: bekräfta ditt betalkort före fredag, annars stängs ditt konto.",
        "Important: verify your card before Friday or your account will be closed.",
    ],
)
def test_confirm_your_card_or_lose_the_service_is_a_strong_pitch_in_every_language(text: str) -> None:
    assert pitch.pitch(text).score >= 0.7


def test_a_banks_own_words_about_a_new_card_are_no_pitch() -> None:
    for text in ("Husk at aktivere dit nye kort i appen", "Your new card is on its way. Activate it in the app."):
        assert pitch.pitch(text).score == 0.0


@pytest.mark.parametrize(
    "text",
    [
        # what is not verified or paid is cut off by a deadline, in each language and either way round
        "Påminnelse: konton som inte bekräftas senast i morgon stängs av.",
        "Fakturan är förfallen och abonnemanget avslutas i kväll. Betala på länken nedan.",
        "Cards that are not verified by tonight will be blocked.",
        "Your bill is overdue and your service will be disconnected today. Pay here:",
        "Kort der ikke bekræftes senest i dag, spærres.",
        "Regningen er ubetalt og abonnementet sperres i kveld. Betal her:",
    ],
)
def test_a_deadline_threat_on_an_unverified_card_or_an_unpaid_bill_is_a_strong_pitch(text: str) -> None:
    assert pitch.pitch(reading(text)).score >= 0.7


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Identifiera dig med mobilt BankID via länken nedan", {"card-details"}),
        ("Log ind med MitID her for at beholde din konto", {"card-details"}),
        ("Klicka på länken för att skydda ditt konto", {"account-threat"}),
        ("Tap the link to unlock your account", {"account-threat"}),
        ("Trykk på lenken for å sikre kontoen din", {"account-threat"}),
        ("We're giving away 0.5 BTC to all who connected their wallets", {"crypto"}),
        ("Alle som registrerer sin lommebok får 100 kr", {"crypto"}),
        ("Verifiera ditt kort senast i dag", {"card-details", "urgency"}),
    ],
)
def test_e_id_logins_securing_the_account_and_crypto_are_read_in_their_families(text: str, kinds: set[str]) -> None:
    found = pitch.pitch(reading(text))
    assert kinds <= set(found.categories) and found.score > ProfileParams(type="profile").pitch_floor


@pytest.mark.parametrize(
    "text",
    [
        "Bredbandet stängs av i natt 01-03 på grund av underhåll.",  # maintenance: no condition, nobody's thing
        "Hej! Vi ser att fakturan är obetald. Betala via appen så öppnar vi tjänsten igen.",  # a biller's help
        "Logga in med BankID i appen för att se dina kontoutdrag.",
        "Planned maintenance tonight: online banking will be closed 01:00-03:00.",
        "Ansök senast i dag!",  # a deadline alone
        "Du kan hente billetterne i morgen. Vi åbner kl. 10.",
    ],
)
def test_a_services_own_notices_about_cut_offs_bills_and_logins_are_no_pitch(text: str) -> None:
    assert pitch.pitch(reading(text)).score <= ProfileParams(type="profile").pitch_floor


def young(posts: int = 14):
    """A page the profile is still learning (fewer than ``min_posts`` posts), a quarter of them linking its site."""
    det = ProfileDetector(ProfileParams(type="profile"))
    st = det.new_state()
    for n in range(posts):
        t = T0 + timedelta(days=n, hours=1 + n % 5)
        text = OWN[n % len(OWN)].format(x=THINGS[n % len(THINGS)])
        det.observe(st, _post(t, text, links=("https://www.druvan.se/x",) if n % 4 == 0 else ()), t)
    return det, st


@pytest.mark.parametrize(
    "text",
    [
        "To celebrate 10,000 followers we are giving away 1 ETH to everyone who connects their wallet: {link}",
        "Vi firar 10 000 följare och ger bort bitcoin till alla som kopplar sin plånbok: {link}",
    ],
)
def test_a_pitch_on_a_page_the_profile_is_still_learning_is_judged_and_not_learned(text: str) -> None:
    """A third red team's hotel page had posted 16 times when its takeover's crypto giveaway came: the profile was still
    learning, learned the post and its domain, and raised nothing for the whole takeover."""
    det, st = young()
    assert st.posts < det.p.min_posts
    link = "https://harbour-coin-drop.com/connect"
    sigs = det.observe(st, _post(MONDAY_10, text.format(link=link), links=(link,)), MONDAY_10)
    assert sigs and sigs[0].severity >= Severity.WARNING, sigs
    assert {"pitch", "domain"} <= set(sigs[0].values["features"].split(", "))
    assert "hour" not in sigs[0].values["features"]  # the habits are not judged while they are learned
    assert "harbour-coin-drop.com" not in st.domains


def test_a_page_still_learning_learns_its_own_contest_and_judges_nothing_else() -> None:
    det, st = young()
    before = st.posts
    link = "https://varkanslor.se/tavling"
    t = MONDAY_10 + timedelta(hours=30)  # an hour and a day it never posted at
    assert det.observe(st, _post(t, f"Tävling! Vinn ett presentkort i vår vårtävling: {link}", links=(link,)), t) == []
    assert det.observe(st, _post(t, "Vi har öppet som vanligt på lördag.", app="Later", admin="a9"), t) == []
    assert st.posts == before + 2 and "varkanslor.se" in st.domains


def test_a_post_that_pitches_is_never_learned_as_usual_even_at_info() -> None:
    """A pitch above the floor is not the page's voice (its own contests and sales stay under it): a first scam post
    that scores only info must not make its words and domain usual for the posts after it."""
    det, st = trained()
    before, texts = st.posts, list(st.texts)
    link = "https://www.druvan.se/x"
    sigs = det.observe(st, _post(MONDAY_10, f"Hämta din vinst här: {link}", links=(link,)), MONDAY_10)
    assert sigs and sigs[0].severity == Severity.INFO and "pitch" in sigs[0].values["features"]
    assert st.posts == before and st.texts == texts


def test_a_request_the_pages_replies_make_every_day_is_its_habit_and_a_takeovers_pitch_is_not() -> None:
    """A utility staffed around the clock (an eighth red team's): its agents ask every night for the customer's
    account number in a DM, and every such reply was a warning ("reads as a pitch (send-money)", at an hour the
    page does not post in). Once the page's replies have used the category on five days, it is the page's own."""
    det, st = trained()
    habit = "Hej! Skicka ett DM med ditt kontonummer så kollar vi upp fakturan."
    warned = []
    for d in range(8):
        t = datetime(2025, 4, 14, 22, 30, tzinfo=UTC) + timedelta(days=d)
        warned.append(bool(det.observe(st, _comment(t, habit), t)))
    assert warned == [True] * 5 + [False] * 3
    # the same night, a hijacker's reply with a prize claim and a new site: its other categories still count
    t = datetime(2025, 4, 22, 23, 0, tzinfo=UTC)
    link = "https://gift-claim-17.top/win"
    scam = f"Grattis! Du har vunnit. Skicka ditt kontonummer och hämta vinsten inom 24 timmar här 👉 {link}"
    sigs = det.observe(st, _comment(t, scam, (link,)), t)
    assert sigs and sigs[0].severity >= Severity.WARNING and "pitch" in sigs[0].values["features"]
    again = det.from_json(json.loads(json.dumps(det.to_json(st))))
    assert again.reply_days == st.reply_days and len(st.reply_days["send-money"]) <= 6
