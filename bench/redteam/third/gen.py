#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""rt3 red-team scenario generator (seeded, deterministic).  python3 gen.py OUTDIR"""
import datetime as dt, json, os, sys, random
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from core import Page, Gen, UTC, iso, dump_events, config_yaml, fill, noisy, POOL, CONTEST, VIRAL
from incidents import *

OFF = {i: (480, 1020) for i in range(5)}                                  # mon-fri 08-17
OFF_SAT = {**OFF, 5: (600, 840)}                                    # + sat 10-14
LONG = {**{i: (420, 1260) for i in range(5)}, 5: (540, 1080), 6: (540, 1080)}  # 07-21 weekdays, 09-18 weekend
ALWAYS = {i: (0, 1440) for i in range(7)}
CAFE = {**{i: (420, 900) for i in range(5)}, 5: (480, 720)}
WKND = {**{i: (480, 1200) for i in range(5)}, 5: (600, 1080), 6: (600, 1080)}

SCEN = {}


def scen(fn):
    SCEN[fn.__name__.replace("s", "rt3-", 1)] = fn
    return fn


def adm(rnd, name):
    return ("1000" + str(rnd.randrange(10**10, 10**11)), name)


def stranger(rnd, name):
    return ("1000" + str(rnd.randrange(10**10, 10**11)), name)


def quiet_summer(d):
    return 0.35 if (d.month == 7 or (d.month == 8 and d.day < 8)) else 1.0


def quiet_xmas(d):
    if d.month == 12 and d.day >= 23 or d.month == 1 and d.day <= 2:
        return 0.2
    return 1.0


# =====================================================================================
@scen
def s01(g, T):
    """Tiny café in Umeå; slow-burn food-poisoning rumour (crisis on a SMALL page) + about edit trap."""
    r = g.rnd
    P = Page(r, "lingonet", "Kafé Lingonet", "sv", "Europe/Stockholm", CAFE, "SE", 8, posts_per_day=0.5, cpp=3, grumpy=0.08,
             msgs_per_day=0.3, admins=[adm(r, "Lisa Marklund")], product="kanelbulle", post_hours=(7, 11))
    start = dt.date(2026, 2, 2); days = 35
    g.ordinary(P, start, days)
    t = L(P, 2026, 2, 18, 14, 12)
    page_change(g, P, t, "about", "Litet kafé vid älven.", "Litet kafé vid älven. Nu med glutenfria bullar varje fredag!", P.admins[0])
    T.trap(P, "legit_about_change", t, t, "warning", ["hijack"], "owner edits About text at 14:12 on a Wednesday")
    pid = g.post(P, L(P, 2026, 2, 24, 8, 5), "Nybakade semlor idag! 🥐", app=P.app)
    g.visitor_comments(P, pid, L(P, 2026, 2, 24, 8, 5), 4)
    extra = ["Min son blev magsjuk efter er semla igår", "Vi var tre som mådde illa efter fikat hos er", "Har ni kollat grädden? Flera blev sjuka",
             "Hörde samma sak från grannen", "Kommer aldrig gå dit igen efter det här", "Miljöförvaltningen borde kolla er"]
    on, st, en = wave(g, P, pid, L(P, 2026, 2, 24, 17, 40), 5.0, 34, profile="ramp", extra=extra,
                      mix={"angry": 0.3, "extra": 0.45, "angry_q": 0.1, "churn": 0.15}, k_start=8, angry_reacts=15)
    T.inc(P, "crisis", "crisis_slow_burn_small", st, en, "warning", 1800, onset=on,
          note="a café that gets ~3 comments a post; from 17:40 a food-poisoning rumour grows over 5 h to 34 comments (evening, unstaffed)")
    return [P], start, days


@scen
def s02(g, T):
    """National telecom, 24/7 desk, hundreds of comments a day; outage comment wave with questions; contest spike trap."""
    r = g.rnd
    P = Page(r, "nordlink", "Nordlink Mobil", "sv", "Europe/Stockholm", ALWAYS, "SE", 1, posts_per_day=4, cpp=45, grumpy=0.25, qfrac=0.22,
             msgs_per_day=25, admins=[adm(r, "Jenny Ström"), adm(r, "Kalle Wik"), adm(r, "Amir Saleh")], product="5G-abonnemang",
             reply_speed=(0.05, 0.5), post_hours=(7, 20))
    start = dt.date(2025, 10, 6); days = 24
    g.ordinary(P, start, days)
    t = L(P, 2025, 10, 15, 12, 0)
    pid = g.post(P, t, "TÄVLING! Kommentera vem du vill ringa oftare och vinn en ny telefon 📱 Vinnare dras på fredag.", app=P.app, links=[])
    e = happy_spike(g, P, pid, t, 8, 1400, CONTEST["sv"], love=600)
    T.trap(P, "contest_spike", t, e, "info", ["crisis", "sla"], "1400 happy contest comments in 8 h")
    t = L(P, 2025, 10, 22, 7, 48)
    pid = g.post(P, t, "Vi har just nu en störning i mobilnätet i delar av Mellansverige. Vi felsöker.", app=P.app, links=[])
    extra = ["Ingen täckning i Västerås sedan 7", "Kan inte ringa 112, det här är livsfarligt", "Jobbar hemifrån och har noll internet", "Tredje gången i höst"]
    on, st, en = wave(g, P, pid, t + M(2), 6, 900, profile="burst", extra=extra, k_start=60, angry_reacts=800)
    T.inc(P, "crisis", "crisis_outage_wave", st, en, "warning", 1800, onset=on, note="mobile outage; 900 comments in 6 h on top of a normally busy page")
    T.trap(P, "dst", L(P, 2025, 10, 26, 0), L(P, 2025, 10, 27, 23, 59), "info", ["hijack", "crisis", "sla", "health"], "DST end")
    return [P], start, days


@scen
def s03(g, T):
    """Savings bank, office hours; compromised admin posts card-verification phishing IN OFFICE HOURS via the usual app; legit role grant trap."""
    r = g.rnd
    a1, a2 = adm(r, "Helena Borg"), adm(r, "Tomas Lind")
    P = Page(r, "sparbanken_norr", "Sparbanken Norrland", "sv", "Europe/Stockholm", OFF, "SE", 4, posts_per_day=1.2, cpp=10, grumpy=0.15,
             msgs_per_day=4, admins=[a1, a2], product="bolån", domain="https://www.sparbankennorr.se")
    start = dt.date(2026, 3, 2); days = 38
    g.ordinary(P, start, days)
    t = L(P, 2026, 3, 10, 9, 34)
    role_grant(g, P, t, stranger(r, "Moa Ek"), ["CREATE_CONTENT", "MODERATE", "MESSAGING"], a1)
    T.trap(P, "legit_role_grant", t, t, "warning", ["hijack"], "new colleague gets editor tasks on Tuesday 09:34 from Helena Borg")
    t = L(P, 2026, 3, 25, 10, 41)
    txt = ["Viktigt! På grund av nya EU-regler måste alla kort verifieras senast idag. Verifiera ditt kort här: https://sparbanken-norr-verifiering.com/kort",
           "PÅMINNELSE: kort som inte verifieras spärras ikväll kl 18. Logga in med BankID här https://sparbanken-norr-verifiering.com/login",
           "Har du fått ett sms från oss? Följ länken för att säkra ditt konto: https://bit.ly/spb-sakra"]
    ps = scam_posts(g, P, t, txt, app=P.app, admin=a2, gap_min=25, links_fn=lambda i: [txt[i].split()[-1]])
    for tp, pid in ps:
        g.wave_q = None
        for k in range(6):
            g.comment(P, tp + M(4 + 6 * k), pid, P.person()[0], r.choice(["Är detta på riktigt??", "Bedrägeri! Klicka inte", "Ni har blivit hackade", "Varför skulle banken skriva så här"]))
    delete_posts(g, P, L(P, 2026, 3, 25, 12, 20), 0, 10)
    for tp, pid in ps:
        g.add(P, L(P, 2026, 3, 25, 12, 25) + M(r.randrange(5)), "post.deleted", P.me(), {"post_id": pid}, f"fb:post_del:{pid}")
    T.inc(P, "hijack", "hijack_phishing_office_hours", t, L(P, 2026, 3, 25, 12, 30), "critical", 120,
          note="Tomas Lind's account (usual app Meta Business Suite) posts BankID/card phishing on Wednesday 10:41; removed 12:25")
    T.trap(P, "dst", L(P, 2026, 3, 29, 0), L(P, 2026, 3, 30, 23, 59), "info", ["hijack", "crisis", "sla", "health"], "DST start")
    return [P], start, days


@scen
def s04(g, T):
    """Danish web shop; Danish storm after price/shipping change; DST night trap."""
    r = g.rnd
    P = Page(r, "hjemmeshop", "HjemmeShop.dk", "da", "Europe/Copenhagen", OFF_SAT, "DK", 4, posts_per_day=1.5, cpp=14, grumpy=0.2,
             msgs_per_day=5, admins=[adm(r, "Mette Kjær")], product="sofa", domain="https://www.hjemmeshop.dk")
    start = dt.date(2025, 10, 1); days = 30
    g.ordinary(P, start, days)
    t = L(P, 2025, 10, 14, 9, 0)
    pid = g.post(P, t, "Fra 1. november koster fragt 79 kr på alle ordrer, også medlemmer. Læs mere på vores side.", links=["https://www.hjemmeshop.dk/fragt"])
    extra = ["79 kr for fragt?? Er I sindssyge", "Medlemskab er nu værdiløst", "Jeg har handlet her i 10 år. Slut nu"]
    on, st, en = wave(g, P, pid, t + M(3), 7, 260, profile="burst", lang="da", extra=extra, k_start=25, angry_reacts=300)
    T.inc(P, "crisis", "crisis_announcement_da", st, en, "warning", 1800, onset=on, note="shipping-fee announcement at 09:00, 260 angry Danish comments in 7 h")
    T.trap(P, "dst", L(P, 2025, 10, 26, 0), L(P, 2025, 10, 27, 23, 59), "info", ["hijack", "crisis", "sla", "health"], "DST end")
    return [P], start, days


@scen
def s05(g, T):
    """Norwegian ferry company; weekly live video Thursday 20:00 (trap); Saturday-night takeover via stranger role grant + lockout + rename."""
    r = g.rnd
    a1, a2, a3 = adm(r, "Ingrid Haugen"), adm(r, "Per Solberg"), adm(r, "Sindre Lie")
    P = Page(r, "fjordferja", "Fjordferja", "no", "Europe/Oslo", LONG, "NO", 3, posts_per_day=1.5, cpp=12, grumpy=0.2, msgs_per_day=3,
             admins=[a1, a2], product="billett", domain="https://www.fjordferja.no")
    start = dt.date(2026, 4, 13); days = 40
    g.ordinary(P, start, days)
    for w in range(5):
        t = L(P, 2026, 4, 16, 20, 0) + dt.timedelta(days=7 * w)
        pid = g.post(P, t, "LIVE: Kapteinens kveld – spør oss om sommerrutene! 🚢", app="Facebook for iOS", admin=a3, links=[], ptype="video")
        e = happy_spike(g, P, pid, t, 1.2, 160, ["Hei fra Bergen! 👋", "Når starter sommerruta?", "❤️", "Flott båt!", "Hilsen fra Stavanger"], lang="no", love=200)
        T.trap(P, "weekly_live_video", t, e, "info", ["hijack", "crisis"], "weekly Thursday 20:00 live video from the captain's phone (Facebook for iOS)")
    t = L(P, 2026, 5, 16, 23, 52)
    bad = stranger(r, "Daniel Crowe")
    role_grant(g, P, t, bad, ALLT, a2)
    page_change(g, P, t + M(5), "name", "Fjordferja", "Meta Support Norge", bad)
    page_change(g, P, t + M(7), "username", "fjordferja", "metasupport.norge", bad)
    role_revoke(g, P, t + M(11), a1, ALLT, bad)
    role_revoke(g, P, t + M(12), a2, ALLT, bad)
    scam_posts(g, P, t + M(20), ["Din side bryter retningslinjene våre. Bekreft kontoen din innen 24 timer: https://meta-verify-no.help/side",
                                 "Siste varsel: bekreft eierskap her https://meta-verify-no.help/eier"], app="Facebook for Android", admin=bad,
               pname="Meta Support Norge", links_fn=lambda i: ["https://meta-verify-no.help/side"])
    T.inc(P, "hijack", "hijack_role_night_lockout", t, L(P, 2026, 5, 17, 9, 0), "critical", 120,
          note="Saturday 23:52 (eve of 17 May) a stranger gets MANAGE from Per Solberg's account, renames page to 'Meta Support Norge', removes owners")
    return [P], start, days


@scen
def s06(g, T):
    """Finnish department store; Finnish storm (closing stores); new scheduling app adopted in daytime (trap)."""
    r = g.rnd
    P = Page(r, "kauppatalo", "Kauppatalo Aalto", "fi", "Europe/Helsinki", OFF_SAT, "FI", 4, posts_per_day=1.5, cpp=12, grumpy=0.15,
             msgs_per_day=3, admins=[adm(r, "Laura Nieminen")], product="talvitakki", domain="https://www.kauppataloaalto.fi")
    start = dt.date(2025, 11, 3); days = 32
    g.ordinary(P, start, days)
    t = L(P, 2025, 11, 12, 13, 5)
    P.app = "Hootsuite"
    T.trap(P, "new_app_daytime", t, t, "warning", ["hijack"], "from 12 Nov 13:05 the page posts via Hootsuite (marketing team's new tool)")
    g.post(P, t, "Uutuus: talvitakit nyt myymälöissä! 🎉", app="Hootsuite")
    t = L(P, 2025, 11, 26, 10, 0)
    pid = g.post(P, t, "Suljemme Kuopion ja Porin tavaratalot tammikuussa. Kiitos asiakkaillemme vuosien varrella.", app="Hootsuite", links=[])
    extra = ["Ja nyt 120 ihmistä menettää työnsä", "Häpeällistä", "Kuopio ansaitsee parempaa"]
    on, st, en = wave(g, P, pid, t + M(4), 8, 220, lang="fi", extra=extra, k_start=20, angry_reacts=400)
    T.inc(P, "crisis", "crisis_announcement_fi", st, en, "warning", 1800, onset=on, note="store closures announced 10:00; 220 angry Finnish comments")
    return [P], start, days


@scen
def s07(g, T):
    """English-language game studio page (Stockholm); night-time mass deletion of posts; office-hours moderation clean-up (trap)."""
    r = g.rnd
    a1 = adm(r, "Chloe Walsh")
    P = Page(r, "pixelmoose", "Pixel Moose Games", "en", "Europe/Stockholm", OFF, "SE", 8, posts_per_day=0.8, cpp=20, grumpy=0.2, qfrac=0.12,
             msgs_per_day=2, admins=[a1], product="Moose Quest", domain="https://pixelmoose.games", langs_mix={"en": 0.8, "sv": 0.2})
    start = dt.date(2026, 1, 12); days = 30
    g.ordinary(P, start, days)
    t = L(P, 2026, 1, 28, 10, 15)
    e = purge_comments(g, P, t, 40, 20, kind="comment.hidden")
    T.trap(P, "moderation_cleanup", t, e, "warning", ["hijack"], "community manager hides 40 comments (raid of spam) Wed 10:15-10:30")
    t = L(P, 2026, 2, 7, 3, 12)
    e = delete_posts(g, P, t, 22, 40)
    T.inc(P, "hijack", "hijack_mass_delete_night", t, e + M(30), "critical", 120, note="Saturday 03:12, 22 of the page's posts deleted in ~15 min")
    return [P], start, days


@scen
def s08(g, T):
    """Swedish municipality; SLA backlog (comments + messages) on a Tuesday; angry outbursts without questions (trap)."""
    r = g.rnd
    P = Page(r, "vasterbo_kommun", "Västerbo kommun", "sv", "Europe/Stockholm", OFF, "SE", 4, posts_per_day=1, cpp=10, grumpy=0.3, qfrac=0.2,
             msgs_per_day=3, admins=[adm(r, "Eva Åkesson")], product="sophämtning", domain="https://www.vasterbo.se")
    start = dt.date(2025, 9, 1); days = 35
    P.blackouts = [(L(P, 2025, 9, 23, 8, 0), L(P, 2025, 9, 24, 9, 30))]
    g.ordinary(P, start, days)
    for k in range(6):
        tq = L(P, 2025, 9, 23, 8, 20) + M(35 * k)
        pid = P.posts[-1][1] if False else [p for tp, p in P.posts if tp < tq][-1]
        cid = g.comment(P, tq, pid, P.person()[0], r.choice(["Hej, när töms kärlen i Norrby denna vecka?", "Vart vänder jag mig om bygglov?",
                                                                "Varför har ingen hämtat soporna på Ekvägen, kan ni kolla?", "Kan ni svara på mitt mejl om förskoleplats"]))
        g.qids[cid] = P
        g.page_reply(P, L(P, 2025, 9, 24, 9, 40) + M(k), pid, cid, "Hej! Vi ber om ursäkt för dröjsmålet, vi har svarat i DM. /Kommunikation")
    T.sla_window = (P, L(P, 2025, 9, 23, 8, 0), L(P, 2025, 9, 24, 12, 0))
    t = L(P, 2025, 9, 10, 19, 0)
    pid = g.post(P, t, "Politiken har beslutat om nya taxor för vatten och avlopp 2026.")
    on, st, en = wave(g, P, pid, t + M(5), 3, 40, mix={"angry": 0.6, "sarcasm": 0.3, "churn": 0.1}, k_start=10)
    T.trap(P, "outburst_no_questions", on, en, "warning", ["crisis", "sla"], "40 grumpy comments about water fees, none asks anything")
    return [P], start, days


@scen
def s09(g, T):
    """Gym chain; private messages left unanswered (SLA) on a Monday; members' contest spike trap."""
    r = g.rnd
    P = Page(r, "kraftgym", "KraftGym", "sv", "Europe/Stockholm", WKND, "SE", 3, posts_per_day=1.3, cpp=15, grumpy=0.12,
             msgs_per_day=12, admins=[adm(r, "Robin Falk")], product="medlemskap", domain="https://www.kraftgym.se")
    start = dt.date(2026, 1, 5); days = 28
    P.blackouts = [(L(P, 2026, 1, 19, 8, 0), L(P, 2026, 1, 19, 16, 0))]
    g.ordinary(P, start, days)
    for k in range(8):
        tq = L(P, 2026, 1, 19, 8, 30) + M(25 * k)
        th = "t_" + P.nid()
        g.add(P, tq, "message.received", P.person()[0], {"thread_id": th, "message": r.choice(["Hej, jag har blivit dubbeldebiterad för januari, kan ni återbetala?",
              "Hur fryser jag mitt medlemskap?", "Mitt kort funkar inte i entrén, vad gör jag?", "Kan jag byta gym?"])}, f"fb:message:m_{P.nid()}")
        g.qids[th] = P
        g.add(P, L(P, 2026, 1, 19, 16, 20) + M(k), "message.sent", P.me(), {"thread_id": th, "message": "Hej! Förlåt sent svar, nu är det fixat."}, f"fb:message:m_{P.nid()}")
    T.sla_window = (P, L(P, 2026, 1, 19, 8, 0), L(P, 2026, 1, 19, 18, 0))
    t = L(P, 2026, 1, 27, 11, 0)
    pid = g.post(P, t, "Tävla om ett årskort! Tagga din träningskompis 💪", links=[])
    e = happy_spike(g, P, pid, t, 10, 700, CONTEST["sv"] + ["Tagga @{fn}! 💪"], love=300)
    T.trap(P, "contest_spike", t, e, "info", ["crisis", "sla"], "700 happy contest comments")
    return [P], start, days


@scen
def s10(g, T):
    """Electricity company; price-hike wave WITHOUT question marks, sarcasm + churn; rebrand name change in office hours (trap)."""
    r = g.rnd
    a1 = adm(r, "Sofia Dahl")
    P = Page(r, "elkraft_syd", "Elkraft Syd", "sv", "Europe/Stockholm", OFF, "SE", 4, posts_per_day=1, cpp=18, grumpy=0.3,
             msgs_per_day=6, admins=[a1], product="elavtal", domain="https://www.elkraftsyd.se")
    start = dt.date(2026, 4, 20); days = 42
    g.ordinary(P, start, days)
    t = L(P, 2026, 5, 5, 10, 0)
    page_change(g, P, t, "name", "Elkraft Syd", "Elkraft Syd Energi", a1)
    page_change(g, P, t + M(3), "picture", "logo2019.png", "logo2026.png", a1)
    page_change(g, P, t + M(4), "website", "https://www.elkraftsyd.se", "https://www.elkraftsydenergi.se", a1)
    g.post(P, t + M(10), "Vi heter nu Elkraft Syd Energi! Samma team, ny logga ⚡", links=["https://www.elkraftsydenergi.se"])
    T.trap(P, "legit_rebrand", t, t + M(10), "warning", ["hijack"], "announced rebrand by the known admin Tue 10:00")
    t = L(P, 2026, 5, 20, 8, 30)
    pid = g.post(P, t, "Från 1 juli justeras det fasta priset i våra avtal. Läs mer.", links=["https://www.elkraftsydenergi.se/pris"])
    extra = ["Justeras. Ni menar höjs med 40 procent", "Justeras haha", "Pensionärer får frysa då", "Sagt upp avtalet nu"]
    on, st, en = wave(g, P, pid, t + M(2), 9, 320, profile="burst", mix={"angry": 0.4, "sarcasm": 0.25, "churn": 0.2, "extra": 0.15}, extra=extra,
                      k_start=30, angry_reacts=500)
    T.inc(P, "crisis", "crisis_price_hike_no_questions", st, en, "warning", 1800, onset=on, note="320 comments, no question marks, sarcasm and churn")
    return [P], start, days


@scen
def s11(g, T):
    """Football club, weekend shifts; old post (2019 sponsor deal) dug up on a Sunday evening; viral touching post trap."""
    r = g.rnd
    P = Page(r, "ik_norrstjarnan", "IK Norrstjärnan", "sv", "Europe/Stockholm", WKND, "SE", 6, posts_per_day=1.5, cpp=25, grumpy=0.2,
             msgs_per_day=1, admins=[adm(r, "Mikael Berg")], product="matchbiljett", domain="https://www.norrstjarnan.se")
    start = dt.date(2025, 8, 18); days = 36
    old = g.post(P, L(P, 2025, 8, 18, 9, 0) - dt.timedelta(days=1) + dt.timedelta(minutes=1), "Vi välkomnar vår nya huvudsponsor!", links=[])
    g.ordinary(P, start, days)
    t = L(P, 2025, 9, 3, 15, 0)
    pid = g.post(P, t, "Idag fick lilla Elsa, 7 år, springa in med laget. Hon har kämpat mot leukemi i två år ❤️", links=[])
    e = happy_spike(g, P, pid, t, 12, 1100, VIRAL["sv"], love=4000)
    T.trap(P, "viral_touching_post", t, e, "info", ["crisis"], "1100 loving comments, 4000 love reactions")
    t = L(P, 2025, 9, 14, 19, 30)
    extra = ["Så ni tog pengar från ett företag som nu åtalas för mutor", "Kolla datumet på det här inlägget 👀", "Skriv en ursäkt till fansen"]
    on, st, en = wave(g, P, old, t, 6, 180, profile="ramp", extra=extra, mix={"angry": 0.4, "extra": 0.3, "sarcasm": 0.2, "angry_q": 0.1}, k_start=20)
    T.inc(P, "crisis", "crisis_old_post", st, en, "warning", 1800, onset=on, note="a post from 17 Aug (before the scenario) is dug up Sunday 19:30")
    return [P], start, days


@scen
def s12(g, T):
    """Small bookshop; daytime rename to 'Meta Support' by an unknown actor (name+username+website) ; about edit trap."""
    r = g.rnd
    a1 = adm(r, "Greta Holm")
    P = Page(r, "bokhornan", "Bokhörnan i Lund", "sv", "Europe/Stockholm", OFF_SAT, "SE", 8, posts_per_day=0.6, cpp=4, grumpy=0.05,
             msgs_per_day=0.5, admins=[a1], product="deckare")
    start = dt.date(2026, 5, 4); days = 30
    g.ordinary(P, start, days)
    t = L(P, 2026, 5, 12, 15, 20)
    page_change(g, P, t, "about", "Oberoende bokhandel sedan 1978.", "Oberoende bokhandel sedan 1978. Författarkvällar varje torsdag.", a1)
    T.trap(P, "legit_about_change", t, t, "warning", ["hijack"], "owner updates About")
    t = L(P, 2026, 5, 27, 13, 47)
    bad = stranger(r, "Page Support Team")
    page_change(g, P, t, "name", "Bokhörnan i Lund", "Meta Support Center", bad)
    page_change(g, P, t + M(2), "username", "bokhornan", "meta.support.center.appeal", bad)
    page_change(g, P, t + M(3), "website", "https://www.bokhornan.se", "https://meta-business-appeal.online", bad)
    T.inc(P, "hijack", "hijack_rename_daytime", t, t + dt.timedelta(hours=3), "critical", 120,
          note="Wednesday 13:47 the page is renamed 'Meta Support Center' by an actor who is not a known admin")
    return [P], start, days


@scen
def s13(g, T):
    """Airline with a Swedish and a Norwegian page; fake-lottery replies under the SE page's posts at night; NO page token expires."""
    r = g.rnd
    a = [adm(r, "Karin Lund"), adm(r, "Ola Nordmann")]
    P = Page(r, "nordflyg_se", "Nordflyg Sverige", "sv", "Europe/Stockholm", LONG, "SE", 2, posts_per_day=2, cpp=30, grumpy=0.22,
             msgs_per_day=10, admins=a, product="flygbiljett", domain="https://www.nordflyg.se")
    Q = Page(r, "nordflyg_no", "Nordflyg Norge", "no", "Europe/Oslo", LONG, "NO", 2, posts_per_day=1.5, cpp=18, grumpy=0.22,
             msgs_per_day=6, admins=a, product="flybillett", domain="https://www.nordflyg.no")
    start = dt.date(2026, 2, 9); days = 33
    g.ordinary(P, start, days); g.ordinary(Q, start, days)
    t = L(P, 2026, 2, 26, 1, 37)
    e = lottery_replies(g, P, t, 30, ["Grattis {fn}! Din kommentar har vunnit 2 biljetter. Hämta vinsten: {link}",
                                        "Hej {fn}, du är utvald i vårt jubileumslotteri 🎉 Bekräfta dina kortuppgifter här {link}"],
                        "https://nordflyg-vinnare.site/claim", gap_s=60)
    T.inc(P, "hijack", "hijack_fake_lottery_replies", t, e + M(60), "critical", 120, note="01:37 the page replies to 30 old comments with prize-claim phishing")
    t = L(Q, 2026, 3, 3, 14, 10)
    source_error(g, Q, t, 190, "Error validating access token: The session has been invalidated because the user changed their password.")
    t2 = L(Q, 2026, 3, 3, 17, 40)
    source_recovered(g, Q, t2)
    T.blind.append((Q, t, t2))
    T.inc(Q, "health", "health_token_invalidated_daytime", t, t2, "warning", 900, note="NO page token invalidated 14:10 Tue (password change), fixed 17:40")
    return [P, Q], start, days


@scen
def s14(g, T):
    """Insurance company; token expires on a Sunday night; short rate-limit blip (trap)."""
    r = g.rnd
    P = Page(r, "trygghet_forsakring", "Trygghet Försäkring", "sv", "Europe/Stockholm", OFF, "SE", 4, posts_per_day=1, cpp=8, grumpy=0.2,
             msgs_per_day=5, admins=[adm(r, "Pia Nord")], product="hemförsäkring")
    start = dt.date(2026, 9, 7); days = 30
    g.ordinary(P, start, days)
    t = L(P, 2026, 9, 16, 11, 2)
    source_error(g, P, t, 32, "Page request limit reached", retry=120)
    source_recovered(g, P, t + dt.timedelta(seconds=150))
    T.trap(P, "rate_limit_blip", t, t + dt.timedelta(seconds=150), "info", ["health"], "2.5-min rate limit, self-recovers")
    t = L(P, 2026, 9, 27, 23, 10)
    source_error(g, P, t, 190, "Error validating access token: Session has expired on Sunday, 27-Sep-26.")
    t2 = L(P, 2026, 9, 28, 8, 35)
    source_recovered(g, P, t2)
    T.blind.append((P, t, t2))
    T.inc(P, "health", "health_token_expired_night", t, t2, "warning", 900, note="token expired Sunday 23:10, renewed Monday 08:35")
    return [P], start, days


@scen
def s15(g, T):
    """Grocery chain, big; Christmas quiet + julafton closed (trap); source goes silent (poller stops, no error) on 30 Dec daytime."""
    r = g.rnd
    P = Page(r, "matkassen", "Matkassen Livs", "sv", "Europe/Stockholm", LONG, "SE", 2, posts_per_day=3, cpp=30, grumpy=0.18,
             msgs_per_day=15, admins=[adm(r, "Lotta Sund"), adm(r, "Jesper Kron")], product="julskinka")
    start = dt.date(2025, 12, 1); days = 38
    g.ordinary(P, start, days, quiet=quiet_xmas)
    T.trap(P, "christmas_quiet", L(P, 2025, 12, 23, 0), L(P, 2025, 12, 27, 12, 0), "info", ["health", "sla", "crisis"], "Christmas: little activity, julafton/juldag/annandag closed")
    t = L(P, 2026, 1, 7, 10, 5); t2 = L(P, 2026, 1, 7, 15, 30)
    T.silent.append((P, t, t2))
    T.inc(P, "health", "health_source_silent", t + M(45), t2, "warning", 900, onset=t,
          note="busy page (~100 events/h daytime): no events at all 10:05-15:30 on a weekday, no error event")
    return [P], start, days


@scen
def s16(g, T):
    """Small museum; comment purge at night (80 visitor comments deleted); office-hours clean-up (trap)."""
    r = g.rnd
    P = Page(r, "sjofartsmuseet", "Sjöfartsmuseet i Kalmar", "sv", "Europe/Stockholm", dict({i: (540, 960) for i in range(1, 7)}), "SE", 8,
             posts_per_day=0.7, cpp=8, grumpy=0.05, msgs_per_day=0.5, admins=[adm(r, "Ulla Sjö")], product="utställning")
    start = dt.date(2026, 6, 1); days = 42
    g.ordinary(P, start, days, quiet=quiet_summer)
    t = L(P, 2026, 6, 10, 10, 30)
    e = purge_comments(g, P, t, 12, 45, kind="comment.deleted")
    T.trap(P, "moderation_cleanup", t, e, "warning", ["hijack"], "staff delete 12 spam comments Wed 10:30")
    T.trap(P, "midsummer_quiet", L(P, 2026, 6, 19, 0), L(P, 2026, 6, 21, 23, 59), "info", ["sla", "health", "crisis"], "midsommar")
    t = L(P, 2026, 7, 4, 2, 14)
    e = purge_comments(g, P, t, 80, 25, kind="comment.deleted")
    T.inc(P, "hijack", "hijack_comment_purge_night", t, e + M(30), "critical", 120, note="Saturday 02:14: 80 visitor comments deleted in ~40 min")
    return [P], start, days


@scen
def s17(g, T):
    """Danish bank; compromised admin posts crypto scam (English + Danish) in office hours through usual app; legit role grant trap."""
    r = g.rnd
    a1, a2 = adm(r, "Søren Holm"), adm(r, "Line Brandt")
    P = Page(r, "fjordbank", "Fjordbank", "da", "Europe/Copenhagen", OFF, "DK", 4, posts_per_day=1, cpp=9, grumpy=0.2, msgs_per_day=4,
             admins=[a1, a2], product="boliglån", domain="https://www.fjordbank.dk")
    start = dt.date(2026, 5, 4); days = 35
    g.ordinary(P, start, days)
    t = L(P, 2026, 5, 12, 13, 30)
    role_grant(g, P, t, stranger(r, "Kasper Lund"), ["ADVERTISE", "ANALYZE"], a1)
    T.trap(P, "legit_role_grant", t, t, "warning", ["hijack"], "marketing agency person gets ADVERTISE/ANALYZE Tue 13:30")
    t = L(P, 2026, 5, 27, 14, 4)
    txt = ["Fjordbank x Bitcoin: Vi fordobler din første indbetaling i dag! Kun 500 pladser 👉 https://fjordbank-krypto.io/start",
           "Exclusive for our customers: our new AI trading bot earns 3% daily. Register now https://fjordbank-krypto.io/ai",
           "Sidste chance for fordobling! https://fjordbank-krypto.io/start"]
    scam_posts(g, P, t, txt, app=P.app, admin=a2, gap_min=18, links_fn=lambda i: [txt[i].split()[-1]])
    T.inc(P, "hijack", "hijack_crypto_office_hours", t, t + dt.timedelta(hours=2), "critical", 120, note="Wed 14:04 crypto-doubling posts by Line Brandt via usual app")
    return [P], start, days


@scen
def s18(g, T):
    """Norwegian telecom, big, 24/7; slow burn over hours on a big page (coverage complaints grow); product launch spike (trap)."""
    r = g.rnd
    P = Page(r, "telenett", "Telenett", "no", "Europe/Oslo", ALWAYS, "NO", 1, posts_per_day=4, cpp=40, grumpy=0.25, qfrac=0.2,
             msgs_per_day=20, admins=[adm(r, "Kari Berg"), adm(r, "Eirik Moen")], product="fiber", domain="https://www.telenett.no")
    start = dt.date(2026, 8, 31); days = 28
    g.ordinary(P, start, days)
    t = L(P, 2026, 9, 8, 10, 0)
    pid = g.post(P, t, "Nyhet: iPhone-lansering! Forhåndsbestill hos oss i dag 📱", links=["https://www.telenett.no/iphone"])
    e = happy_spike(g, P, pid, t, 6, 1200, ["Endelig! 😍", "Bestilt! 🎉", "Når kommer den?", "Kjempebra pris", "Vil ha!", "@{fn} se her"], love=900)
    T.trap(P, "product_launch_spike", t, e, "info", ["crisis"], "1200 excited launch comments")
    t = L(P, 2026, 9, 17, 9, 0)
    pid = g.post(P, t, "Vi oppgraderer fibernettet i Trøndelag denne uken.", links=[])
    extra = ["Fiberen har vært nede i 5 timer nå", "Ingen info fra dere i det hele tatt", "Hjemmekontor ødelagt igjen", "Det er tredje dagen på rad"]
    on, st, en = wave(g, P, pid, t + M(20), 10, 420, profile="ramp", lang="no", extra=extra, k_start=80, angry_reacts=300)
    T.inc(P, "crisis", "crisis_slow_burn_big", st, en, "warning", 1800, onset=on, note="fiber problems: complaints grow steadily over 10 h, 420 comments, on a page with ~300 comments/day")
    return [P], start, days


@scen
def s19(g, T):
    """Finnish transport company; night scam in Finnish from a new app; DST March (trap)."""
    r = g.rnd
    P = Page(r, "seutuliikenne", "Seutuliikenne", "fi", "Europe/Helsinki", LONG, "FI", 3, posts_per_day=1.8, cpp=14, grumpy=0.25,
             msgs_per_day=4, admins=[adm(r, "Tiina Laine")], product="kausilippu", domain="https://www.seutuliikenne.fi")
    start = dt.date(2026, 3, 9); days = 30
    g.ordinary(P, start, days)
    T.trap(P, "dst", L(P, 2026, 3, 29, 0), L(P, 2026, 3, 30, 23, 59), "info", ["hijack", "crisis", "sla", "health"], "DST start")
    t = L(P, 2026, 4, 2, 2, 41)
    txt = ["ARVONTA: Jaamme 500 ilmaista vuosilippua! Vahvista korttitietosi tästä: https://seutu-arvonta.fi-voitto.com",
           "Voittajat on arvottu! Lunasta palkintosi 24 tunnin sisällä https://seutu-arvonta.fi-voitto.com/lunasta",
           "Muistutus: lunastamattomat palkinnot mitätöidään tänään https://seutu-arvonta.fi-voitto.com/lunasta"]
    scam_posts(g, P, t, txt, app="Facebook for Android", admin=None, gap_min=22, links_fn=lambda i: [txt[i].split()[-1]])
    T.inc(P, "hijack", "hijack_scam_night_fi", t, t + dt.timedelta(hours=6), "critical", 120, note="Thu 02:41 Finnish fake-lottery posts from Android app")
    return [P], start, days


@scen
def s20(g, T):
    """Fashion retailer; boycott: angry-reaction wave with few comments; viral post trap."""
    r = g.rnd
    P = Page(r, "stilhuset", "Stilhuset", "sv", "Europe/Stockholm", OFF_SAT, "SE", 4, posts_per_day=1.5, cpp=12, grumpy=0.1,
             msgs_per_day=4, admins=[adm(r, "Nora Vik")], product="klänning", domain="https://www.stilhuset.se")
    start = dt.date(2026, 3, 2); days = 30
    g.ordinary(P, start, days)
    t = L(P, 2026, 3, 10, 12, 0)
    pid = g.post(P, t, "Vår personal i Gävle samlade in 80 000 kr till barncancerfonden ❤️", links=[])
    e = happy_spike(g, P, pid, t, 10, 400, VIRAL["sv"], love=2500)
    T.trap(P, "viral_touching_post", t, e, "info", ["crisis"], "400 loving comments")
    t = L(P, 2026, 3, 24, 11, 0)
    pid = g.post(P, t, "Ny kollektion i samarbete med influencern @jettsetjulia ✨", links=[])
    on, st, en = wave(g, P, pid, t + M(10), 6, 45, mix={"angry": 0.6, "churn": 0.3, "sarcasm": 0.1}, angry_reacts=3000, k_start=10)
    # the reaction flood: most of 3000 reactions are angry, clearly underway after ~30 min
    T.inc(P, "crisis", "crisis_angry_reactions", t + M(40), t + dt.timedelta(hours=6, minutes=10), "warning", 1800, onset=t + M(10),
          note="3000 reactions (mostly angry) within 6 h, only 45 comments: boycott call against collaboration")
    return [P], start, days


@scen
def s21(g, T):
    """Dentist chain; no incidents. Midsommar, national day, summer quiet, questions on midsommarafton answered Monday (traps)."""
    r = g.rnd
    P = Page(r, "tandvardshuset", "Tandvårdshuset", "sv", "Europe/Stockholm", OFF, "SE", 4, posts_per_day=0.5, cpp=5, grumpy=0.1,
             msgs_per_day=2, admins=[adm(r, "Anders Tand")], product="tandblekning")
    start = dt.date(2026, 6, 1); days = 49
    g.ordinary(P, start, days, quiet=quiet_summer)
    pid = [p for tp, p in P.posts if tp < L(P, 2026, 6, 19, 9, 0)][-1]
    for k in range(3):
        tq = L(P, 2026, 6, 19, 10, 0) + M(90 * k)
        cid = g.comment(P, tq, pid, P.person()[0], r.choice(["Har ni akuttid på måndag?", "Hur bokar jag om min tid?", "Vad kostar en undersökning"]))
        g.qids[cid] = P
        g.page_reply(P, L(P, 2026, 6, 22, 9, 20) + M(k * 7), pid, cid, "Hej! Glad midsommar i efterskott, vi har skickat DM.")
    T.trap(P, "midsummer_closed", L(P, 2026, 6, 19, 0), L(P, 2026, 6, 22, 12), "info", ["sla", "health", "crisis"], "questions on midsommarafton answered Monday 09:20")
    T.trap(P, "summer_quiet", L(P, 2026, 7, 1, 0), L(P, 2026, 7, 19, 23), "info", ["health", "crisis", "sla"], "July: a third of normal activity")
    return [P], start, days


@scen
def s22(g, T):
    """Local radio station; slow deletion of posts overnight (one every ~12 min); scheduled evening posts (normal)."""
    r = g.rnd
    P = Page(r, "radio_malaren", "Radio Mälaren", "sv", "Europe/Stockholm", LONG, "SE", 6, posts_per_day=2.5, cpp=10, grumpy=0.15,
             msgs_per_day=2, admins=[adm(r, "Stina Rad")], product="morgonshow", evening_posts=0.3)
    start = dt.date(2025, 11, 3); days = 30
    g.ordinary(P, start, days)
    t = L(P, 2025, 11, 27, 0, 20)
    e = delete_posts(g, P, t, 24, 720)
    T.inc(P, "hijack", "hijack_slow_delete_night", t, e + M(30), "critical", 120, note="from 00:20 Thursday, one post deleted every ~12-16 min for 5 h (24 posts)")
    return [P], start, days


@scen
def s23(g, T):
    """Car dealer; 'agency' admin added in office hours by the owner (looks legit), 3 days later at 23:05 it removes the owners and renames."""
    r = g.rnd
    a1 = adm(r, "Bengt Ström")
    P = Page(r, "bilhallen_vast", "Bilhallen Väst", "sv", "Europe/Stockholm", OFF_SAT, "SE", 4, posts_per_day=0.8, cpp=8, grumpy=0.15,
             msgs_per_day=3, admins=[a1, adm(r, "Sanna Ström")], product="elbil")
    start = dt.date(2026, 10, 5); days = 35
    g.ordinary(P, start, days)
    t = L(P, 2026, 10, 20, 10, 12)
    bad = stranger(r, "Boost Media Agency")
    role_grant(g, P, t, bad, ALLT, a1)
    T.trap(P, "agency_role_grant_office_hours", t, t, "warning", ["hijack"], "owner gives an 'agency' MANAGE Tue 10:12 (legit-looking at that time)")
    t = L(P, 2026, 10, 23, 23, 5)
    role_revoke(g, P, t, a1, ALLT, bad)
    role_revoke(g, P, t + M(1), P.admins[1], ALLT, bad)
    page_change(g, P, t + M(6), "name", "Bilhallen Väst", "Bilhallen Väst Giveaway", bad)
    scam_posts(g, P, t + M(15), ["GIVEAWAY 🚗 Vi lottar ut en Tesla! Dela och registrera dig här: https://tesla-giveaway-se.shop"], app="Meta Business Suite",
               admin=bad, links_fn=lambda i: ["https://tesla-giveaway-se.shop"])
    T.inc(P, "hijack", "hijack_lockout_night", t, t + dt.timedelta(hours=8), "critical", 120, note="Friday 23:05 the agency removes both owners, renames, posts giveaway scam")
    T.trap(P, "dst", L(P, 2026, 10, 25, 0), L(P, 2026, 10, 26, 23, 59), "info", ["hijack", "crisis", "sla", "health"], "DST end")
    return [P], start, days


@scen
def s24(g, T):
    """English page (hotel in Dublin); compromised admin giveaway crypto in the afternoon via usual app; new app adopted (trap)."""
    r = g.rnd
    a1 = adm(r, "Siobhan Walsh")
    P = Page(r, "harbour_hotel", "The Harbour Hotel", "en", "Europe/Dublin", dict({i: (480, 1200) for i in range(7)}), None, 3,
             posts_per_day=1, cpp=10, grumpy=0.12, msgs_per_day=5, admins=[a1], product="weekend break", domain="https://harbourhotel.ie")
    start = dt.date(2026, 2, 2); days = 30
    g.ordinary(P, start, days)
    t = L(P, 2026, 2, 9, 11, 0)
    P.app = "Later"
    g.post(P, t, "Valentine's packages are live ❤️", app="Later", links=["https://harbourhotel.ie/valentine"])
    T.trap(P, "new_app_daytime", t, t, "warning", ["hijack"], "switch to scheduling tool 'Later' Monday 11:00")
    t = L(P, 2026, 2, 24, 15, 22)
    txt = ["To celebrate 10,000 followers we're giving away 2 ETH to everyone who registers their wallet today: https://harbour-eth-drop.com",
           "Only 50 spots left! Connect your wallet https://harbour-eth-drop.com/connect"]
    scam_posts(g, P, t, txt, app="Later", admin=a1, gap_min=30, links_fn=lambda i: [txt[i].split()[-1]])
    T.inc(P, "hijack", "hijack_crypto_afternoon_en", t, t + dt.timedelta(hours=3), "critical", 120, note="Tue 15:22 ETH giveaway scam through the page's (new) usual app")
    return [P], start, days


@scen
def s25(g, T):
    """Pharmacy chain, 24/7; webshop outage wave with many questions; weekly live video (trap)."""
    r = g.rnd
    a3 = adm(r, "Farmaceut Lina")
    P = Page(r, "apoteket_hjartat", "Hjärtats Apotek", "sv", "Europe/Stockholm", ALWAYS, "SE", 2, posts_per_day=2.5, cpp=25, grumpy=0.2,
             msgs_per_day=15, admins=[adm(r, "Malin Apel")], product="receptvaror")
    start = dt.date(2026, 1, 12); days = 35
    g.ordinary(P, start, days)
    for w in range(5):
        t = L(P, 2026, 1, 14, 19, 0) + dt.timedelta(days=7 * w)
        pid = g.post(P, t, "LIVE: Fråga farmaceuten 💊", app="Facebook for Android", admin=a3, links=[], ptype="video")
        e = happy_spike(g, P, pid, t, 1, 120, ["Tack för tipsen!", "Bra live ❤️", "👋", "Så bra att ni gör detta"], love=100)
        T.trap(P, "weekly_live_video", t, e, "info", ["hijack", "crisis"], "Wednesday 19:00 live from the pharmacist's phone")
    t = L(P, 2026, 2, 5, 16, 30)
    pid = g.post(P, t, "Vi har tekniska problem med webbshoppen just nu. Vi jobbar på att lösa det.", links=[])
    extra = ["Mitt recept syns inte i appen, jag behöver min insulin idag!!", "Har försökt betala i två timmar", "Går inte att logga in med BankID"]
    on, st, en = wave(g, P, pid, t + M(1), 5, 500, profile="burst", mix={"angry": 0.3, "angry_q": 0.35, "extra": 0.2, "sarcasm": 0.15}, extra=extra,
                      k_start=40, angry_reacts=300)
    T.inc(P, "crisis", "crisis_outage_questions", st, en, "warning", 1800, onset=on, note="webshop outage 16:30, 500 comments, a third are questions")
    return [P], start, days


@scen
def s26(g, T):
    """Small brewery; no incidents. Christmas/New Year: julafton closed, scheduled 'Gott nytt år' post at 00:00 via usual app (traps)."""
    r = g.rnd
    P = Page(r, "bryggeriet_ulv", "Ulvens Bryggeri", "sv", "Europe/Stockholm", dict({i: (540, 1020) for i in range(5)}), "SE", 8,
             posts_per_day=0.6, cpp=6, grumpy=0.08, msgs_per_day=0.5, admins=[adm(r, "Ville Ulv")], product="julöl")
    start = dt.date(2025, 12, 1); days = 40
    g.ordinary(P, start, days, quiet=quiet_xmas)
    t = L(P, 2026, 1, 1, 0, 0, 5)
    pid = g.post(P, t, "Gott nytt år från oss alla på Ulvens Bryggeri! 🎆🍺", links=[])
    happy_spike(g, P, pid, t, 3, 40, ["Gott nytt år!", "🎆", "Skål!"], love=80)
    T.trap(P, "new_year_midnight_post", t, t + dt.timedelta(hours=3), "info", ["hijack", "crisis"], "scheduled New Year post at 00:00 via Meta Business Suite")
    T.trap(P, "christmas_quiet", L(P, 2025, 12, 23, 0), L(P, 2026, 1, 2, 12), "info", ["health", "sla"], "very little activity")
    return [P], start, days


@scen
def s27(g, T):
    """Bridge operator with a Danish and a Swedish page; DK page loses permission (code 200) in staffed hours; SE page outburst (trap)."""
    r = g.rnd
    a = [adm(r, "Jens Broe")]
    P = Page(r, "oresundslinjen_dk", "Øresundslinjen DK", "da", "Europe/Copenhagen", OFF, "DK", 4, posts_per_day=1, cpp=10, grumpy=0.25,
             msgs_per_day=3, admins=a, product="pendlerkort", domain="https://www.oresundslinjen.dk")
    Q = Page(r, "oresundslinjen_se", "Öresundslinjen SE", "sv", "Europe/Stockholm", OFF, "SE", 4, posts_per_day=1, cpp=10, grumpy=0.25,
             msgs_per_day=3, admins=a, product="pendlarkort", domain="https://www.oresundslinjen.se")
    start = dt.date(2026, 9, 14); days = 28
    g.ordinary(P, start, days); g.ordinary(Q, start, days)
    t = L(P, 2026, 9, 29, 10, 45)
    source_error(g, P, t, 200, "(#200) Requires pages_read_engagement permission to manage the object", retry=None)
    t2 = L(P, 2026, 9, 30, 9, 10)
    source_recovered(g, P, t2)
    T.blind.append((P, t, t2))
    T.inc(P, "health", "health_permission_lost", t, t2, "warning", 900, note="Tue 10:45 permission lost on DK page, fixed next morning")
    t = L(Q, 2026, 10, 1, 18, 30)
    pid = g.post(Q, t, "Broavgiften höjs med 5 kr från 1 november.", links=[])
    on, st, en = wave(g, Q, pid, t + M(5), 2, 22, mix={"angry": 0.6, "sarcasm": 0.4}, k_start=8)
    T.trap(Q, "small_outburst", on, en, "warning", ["crisis", "sla"], "22 grumpy comments about a 5 kr fee, no questions")
    return [P, Q], start, days


@scen
def s28(g, T):
    """Small Norwegian outdoor shop; SLA: Norwegian questions unanswered on a Wednesday; praise flood (trap)."""
    r = g.rnd
    P = Page(r, "fjelltur", "Fjelltur Sport", "no", "Europe/Oslo", OFF_SAT, "NO", 3, posts_per_day=0.8, cpp=6, grumpy=0.1,
             msgs_per_day=1.5, admins=[adm(r, "Håkon Fjell")], product="fjellsko", domain="https://www.fjelltur.no")
    start = dt.date(2026, 10, 5); days = 30
    P.blackouts = [(L(P, 2026, 10, 21, 8, 0), L(P, 2026, 10, 22, 8, 30))]
    g.ordinary(P, start, days)
    for k in range(4):
        tq = L(P, 2026, 10, 21, 9, 10) + M(50 * k)
        pid = [p for tp, p in P.posts if tp < tq][-1]
        cid = g.comment(P, tq, pid, P.person("no")[0], r.choice(["Hei! Har dere str 44 av fjellskoene?", "Kan jeg hente bestillingen i butikken i dag",
                                                                   "Hvor lang er returfristen?", "Sender dere til Svalbard"]))
        g.qids[cid] = P
        g.page_reply(P, L(P, 2026, 10, 22, 8, 40) + M(3 * k), pid, cid, "Hei! Beklager sent svar – ja, det går fint. Hilsen Fjelltur")
    T.sla_window = (P, L(P, 2026, 10, 21, 8, 0), L(P, 2026, 10, 22, 10, 0))
    t = L(P, 2026, 10, 14, 12, 0)
    pid = g.post(P, t, "Takk for 10 år! 🎉 Dere er fantastiske.", links=[])
    happy_spike(g, P, pid, t, 6, 120, ["Gratulerer! 🎉", "Beste butikken", "Takk selv!", "❤️", "Gratulerer med dagen"], love=300)
    T.trap(P, "praise_flood", t, t + dt.timedelta(hours=8), "info", ["crisis", "sla"], "anniversary: 120 thank-you comments (no questions)")
    T.trap(P, "dst", L(P, 2026, 10, 25, 0), L(P, 2026, 10, 26, 23, 59), "info", ["hijack", "crisis", "sla", "health"], "DST end")
    return [P], start, days


@scen
def s29(g, T):
    """University; legit username change + about (rebrand) in office hours (trap); crisis: old post dug up on a Friday afternoon; Swedish+English audience."""
    r = g.rnd
    a1 = adm(r, "Karl Lärd")
    P = Page(r, "mittuniversitetet", "Mälardalens Tekniska Högskola", "sv", "Europe/Stockholm", OFF, "SE", 8, posts_per_day=1, cpp=10, grumpy=0.1,
             msgs_per_day=2, admins=[a1], product="kurs", langs_mix={"sv": 0.75, "en": 0.25})
    start = dt.date(2026, 8, 24); days = 35
    old = g.post(P, L(P, 2026, 8, 24, 9, 0), "Vi är stolta över vårt nya samarbete med Ostrava Defence Systems!", links=[])
    g.ordinary(P, start, days)
    t = L(P, 2026, 9, 1, 9, 30)
    page_change(g, P, t, "username", "mdhtekniska", "mth.se", a1)
    page_change(g, P, t + M(2), "about", "Högskola i Västerås", "Mälardalens Tekniska Högskola – forskning och utbildning i Västerås och Eskilstuna", a1)
    T.trap(P, "legit_username_change", t, t + M(2), "warning", ["hijack"], "known admin changes username/about Tue 09:30")
    t = L(P, 2026, 9, 18, 14, 20)
    extra = ["Så ni samarbetar med vapenindustrin?", "Studenter förtjänar bättre", "Shame on you", "Why is a university doing this?"]
    on, st, en = wave(g, P, old, t, 7, 230, profile="ramp", extra=extra, mix={"angry": 0.4, "extra": 0.35, "sarcasm": 0.15, "churn": 0.1}, k_start=25)
    T.inc(P, "crisis", "crisis_old_post_university", st, en, "warning", 1800, onset=on, note="a 3-week-old partnership post is dug up Friday 14:20")
    return [P], start, days


@scen
def s30(g, T):
    """Mid-size telecom; visitors' spam/scam comments (trap); hijack: page sends phishing private messages to 40 old threads at 03:00."""
    r = g.rnd
    P = Page(r, "bredband_norr", "Bredband Norr", "sv", "Europe/Stockholm", LONG, "SE", 3, posts_per_day=1.5, cpp=15, grumpy=0.25,
             msgs_per_day=10, admins=[adm(r, "Oskar Bred")], product="fiber")
    start = dt.date(2026, 4, 6); days = 33
    g.ordinary(P, start, days)
    t = L(P, 2026, 4, 15, 14, 0)
    pid = [p for tp, p in P.posts if tp < t][-1]
    for k in range(15):
        g.comment(P, t + M(3 * k), pid, P.person("en")[0], r.choice(["I made $5000 this week with crypto, contact @markwealth 💰", "Invest with Mrs Clara, best trader!!",
                                                                     "Click here for free iPhone https://free-ip.win"]), links=["https://free-ip.win"] if k % 3 == 0 else [])
    T.trap(P, "visitor_spam_comments", t, t + M(50), "warning", ["hijack"], "15 bot spam comments by visitors (not the page)")
    t = L(P, 2026, 4, 28, 3, 4)
    threads = [e["object"]["thread_id"] for e in g.ev if e["_P"] is P and e["kind"] == "message.received" and e["time"] < t][-40:]
    ts = t
    for th in threads:
        g.add(P, ts, "message.sent", P.me(), {"thread_id": th, "message": "Hej! Din faktura är obetald och tjänsten stängs idag. Betala direkt här: https://bredband-norr-betala.com/faktura"},
              f"fb:message:m_{P.nid()}")
        ts += dt.timedelta(seconds=r.randrange(20, 60))
    T.inc(P, "hijack", "hijack_phishing_dms_night", t, ts + M(60), "critical", 120, note="Tue 03:04 the page sends 40 invoice-phishing DMs to old customer threads")
    return [P], start, days


# =====================================================================================
def answer_time(evs, qid, t, P):
    for e in evs:
        if e["_P"] is not P or e["time"] < t: continue
        o = e["object"]
        if e["kind"] == "comment.created" and e["actor"]["type"] == "page" and o.get("parent_id") == qid:
            return e["time"]
        if e["kind"] == "message.sent" and (o.get("thread_id") == qid or o.get("comment_id") == qid):
            return e["time"]
    return None


def build(name, fn, outdir):
    seed = 3000 + int(name.split("-")[1])
    g = Gen(seed)
    T = Truth(name); T.blind = []; T.silent = []; T.sla_window = None
    pages, start, days = fn(g, T)
    P0 = pages[0]
    t_lo = dt.datetime.combine(start, dt.time(0), P0.tz).astimezone(UTC)
    t_hi = dt.datetime.combine(start + dt.timedelta(days=days), dt.time(0), P0.tz).astimezone(UTC)

    def drop(e):
        for (P, a, b) in T.blind + T.silent:
            if e["_P"] is P and a < e["time"] < b and not e["kind"].startswith("source."):
                if e["actor"] and e["actor"]["type"] == "page" and e["kind"] in ("comment.created", "message.sent"):
                    e["time"] = b + dt.timedelta(seconds=g.rnd.randrange(60, 900))   # the team answers once it sees again
                    return False
                return True
        return False
    evs = g.finish(t_lo - dt.timedelta(days=2), t_hi, drop=drop)
    evs.sort(key=lambda e: e["time"])
    # SLA ground truth from the generated data
    byq = {}
    for e in evs:
        o = e["object"]
        if e["kind"] == "comment.created" and o["comment_id"] in g.qids:
            byq[o["comment_id"]] = e
        elif e["kind"] == "message.received" and o["thread_id"] in g.qids and o["thread_id"] not in byq:
            byq[o["thread_id"]] = e
    # index answers
    ans = {}
    for e in evs:
        o = e["object"]
        if e["actor"] and e["actor"]["type"] == "page":
            if e["kind"] == "comment.created" and o.get("parent_id"):
                ans.setdefault(o["parent_id"], e["time"])
            if e["kind"] == "message.sent":
                ans.setdefault(o["thread_id"], []) if False else None
    thread_sent = {}
    for e in evs:
        if e["kind"] == "message.sent":
            thread_sent.setdefault(e["object"]["thread_id"], []).append(e["time"])
    breaches = []
    for q, e in byq.items():
        P = e["_P"]
        dl = P.add_staffed(e["time"], P.sla)
        if dl >= t_hi: continue
        a = ans.get(q)
        if e["kind"] == "message.received":
            a = min([x for x in thread_sent.get(q, []) if x >= e["time"]], default=None)
        if a is None or a > dl:
            breaches.append((dl, a, P, e))
    inwin = []
    for dl, a, P, e in breaches:
        w = T.sla_window
        if w and w[0] is P and w[1] <= dl <= w[2]:
            inwin.append((dl, a, P, e))
        else:
            if any(P is bp and ba <= dl <= bb + dt.timedelta(hours=P.sla_h + 1) for bp, ba, bb in T.blind + T.silent): continue
            print(f"  GENERATOR WARNING {name}: unplanned SLA breach {P.key} q at {iso(e['time'], P.tz)} deadline {iso(dl, P.tz)} answer {a and iso(a, P.tz)}: {e['object'].get('message')}", file=sys.stderr)
    for (P, a, b) in T.blind + T.silent:
        T.trap(P, "sla_side_effect_of_blindness", a, b + dt.timedelta(hours=P.sla_h + 1), "warning", ["sla"],
               "replies the team wrote while sentinel was blind only become visible afterwards; an SLA warning here is tolerable, not wanted")
    if T.sla_window:
        P = T.sla_window[0]
        assert inwin, name
        s = min(x[0] for x in inwin); en = max((x[1] or x[0]) for x in inwin)
        T.inc(P, "sla", "sla_unanswered", s, en, "warning", 900, onset=s - dt.timedelta(minutes=10),
              note=f"{len(inwin)} customer questions/messages left unanswered past the {P.sla_h}h staffed-time SLA; first deadline {iso(s, P.tz)}")
    d = os.path.join(outdir, name); os.makedirs(d, exist_ok=True)
    dump_events(evs, os.path.join(d, "events.jsonl"))
    open(os.path.join(d, "config.yaml"), "w").write(config_yaml(pages))
    span = {"start": iso(evs[0]["time"], P0.tz), "end": iso(evs[-1]["time"], P0.tz)}
    json.dump({"scenario": name, "pages": [p.key for p in pages], "span": span, "incidents": T.incs, "traps": T.traps},
              open(os.path.join(d, "truth.json"), "w"), ensure_ascii=False, indent=1)
    desc = (fn.__doc__ or "").strip()
    pl = "; ".join(f"`{p.key}` \"{p.name}\" ({p.tzname}, {p.lang}, SLA {p.sla_h}h, staffed {dict(__import__('core').staffed_cfg(p.staffed) or []) or '24/7 (no staffed_hours)'})" for p in pages)
    open(os.path.join(d, "README.md"), "w").write(
        f"# {name}\n{desc}\n\nPages: {pl}.\nSpan {span['start']} – {span['end']}, {len(evs)} events (rt3 red-team generator, seed {seed}).\n\n"
        + "\n".join(T.notes) + "\n\nScore: `python3 /work/shared/tools/score.py truth.json ALERTS.jsonl`\n")
    return len(evs)


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenarios")
    only = sys.argv[2:]
    for name, fn in sorted(SCEN.items()):
        if only and name not in only: continue
        n = build(name, fn, out)
        print(f"{name}: {n} events", file=sys.stderr)
