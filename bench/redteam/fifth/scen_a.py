"""rt5 scenarios 01-08: hijacks and the first crises."""
import datetime as dt

from engine import Scenario
from common import D, mkpage, wave, scam_wave, stranger, ALL, SCAM_C

MBS, HOOT, IPH, AND, SPROUT = "Meta Business Suite", "Hootsuite", "Facebook for iPhone", "Facebook for Android", "Sprout Social"


def restore(p, t, fixer, who, pids, extra_users=(), name_back=None):
    p.revoke(t, p.member_actor(fixer), {"id": who["id"], "name": who["name"]}, ALL)
    t += 60
    for u in extra_users:
        p.grant(t, p.member_actor(fixer), p.member_user(u), ALL)
        t += 45
    if name_back:
        p.display = name_back
        p.change(t, p.member_actor(fixer), "name", name_back[1] if isinstance(name_back, tuple) else "?", name_back)
    for _, pid in pids:
        t += p.rng.uniform(15, 50)
        p.delete_post(t, pid)
    return t


def s01(sid):
    sc = Scenario(sid, 501, "Large Swedish home-goods chain: contest spike (trap), then a Friday-night takeover by an unknown MANAGE admin.")
    team = [("Karin Lindholm", MBS), ("Johan Åkesson", MBS), ("Elin Forsberg", IPH), ("Mikael Strand", HOOT)]
    p = mkpage(sc, "lindgarden", "Lindgården Hem", "sv", {"mon-fri": "08:00-17:00", "sat": "10:00-14:00"}, 4, team,
               ["doftljus", "linneduk", "kökshandduk", "sängkläder", "krukväxter", "ullfilt"], people=3000)
    d0 = D("2025-10-06")
    p.ordinary(d0, 40, posts_wd=3, posts_we=1.5, cpp=28, rpp=2.2, msgs=8, visitor=0.3)
    # trap: contest
    ct = p.at(D("2025-10-28"), 12, 0)
    cp = p.post(ct, "TÄVLING! Tagga en vän som förtjänar ett presentkort på 2000 kr. Vinnaren dras på fredag 🎉", team[0][1] and p.team[0])
    wave(p, ct, [cp], [(0, 250), (2, 180), (6, 60), (24, 8)], ["Jag vill vinna! @{product}", "Vilken chans! Taggar min mamma", "Hoppas på vinst 🤞", "Ja tack! 🍀", "Taggar min bästis!", "Vad kul, jag är med!"],
         react_profile=[(0, 200), (6, 40), (24, 5)], react_kind="love", react_w={"like": 5, "love": 3})
    sc.trap(p, "contest_spike", ct, ct + 30 * 3600, "info", ["crisis"])
    # incident: unknown admin at night
    t0 = p.at(D("2025-11-07"), 22, 14, 31)
    mole = p.team[1]
    x = stranger(p, "Kevin Brandt")
    p.grant(t0, p.member_actor(mole), x, ALL)
    xa = {"id": x["id"], "name": x["name"], "type": "person"}
    p.revoke(t0 + 410, xa, p.member_user(p.team[0]), ALL)
    p.revoke(t0 + 470, xa, p.member_user(p.team[2]), ALL)
    qs, cs, ans = SCAM_C["sv"]
    pids, te = scam_wave(p, t0 + 1020, 5, x, AND, "sv", q_texts=qs, c_texts=cs, answer_texts=ans)
    tr = p.at(D("2025-11-08"), 7, 41)
    end = restore(p, tr, p.team[3], x, pids, extra_users=[p.team[0], p.team[2]])
    sc.incident(p, "hijack", "hijack_unknown_admin_night", t0, end, "critical", 300)
    sc.notes += ["Trap t1: a contest post Tue 28 Oct 12:00 draws ~700 joyful comments in a few hours: not a crisis.",
                 "Incident i1: Fri 7 Nov 22:14 a team member's account grants MANAGE to never-seen 'Kevin Brandt', who removes two admins and posts 5 scam link posts via Facebook for Android; restored 07:41 Sat. Start = the grant (first malicious act), critical within 300 s."]
    return sc


def s02(sid):
    sc = Scenario(sid, 502, "Danish mobile operator: a legit agency gets access in office hours (trap); weeks later a team member's account posts phishing in office hours via the usual app.")
    team = [("Mette Kjær", MBS), ("Rasmus Holm", MBS), ("Trine Lund", IPH)]
    p = mkpage(sc, "nordlyn_mobil", "Nordlyn Mobil", "da", {"mon-fri": "08:00-18:00", "sat": "10:00-15:00"}, 3, team,
               ["5G-abonnement", "familiepakke", "iPhone 16", "taletidskort", "roaming-pakke", "fiberbredbånd"], people=2500)
    d0 = D("2025-03-03")
    p.ordinary(d0, 38, posts_wd=2.5, posts_we=1, cpp=18, rpp=1.6, msgs=10, visitor=0.3)
    tg = p.at(D("2025-03-18"), 10, 22, 5)
    ag = {"id": "1000" + str(p.rng.randint(10**10, 10**11 - 1)), "name": "Sofie Brandstrup", "app": SPROUT}
    p.grant(tg, p.member_actor(p.team[0]), {"id": ag["id"], "name": ag["name"]}, ["CREATE_CONTENT", "ADVERTISE", "ANALYZE"])
    tp = p.at(D("2025-03-19"), 13, 5)
    cp = p.post(tp, "Forår hos Nordlyn: få dobbelt data de næste tre måneder, når du skifter til 5G. Se mere på nordlyn.dk/foraar", member=ag)
    p.cascade(tp, cp, 30, 50)
    sc.trap(p, "legit_agency_admin", tg, tp + 3600, "warning", ["hijack"])
    # incident: compromised member, office hours, usual app
    t1 = p.at(D("2025-04-02"), 11, 4, 40)
    m = p.team[0]
    phish = ["Vigtigt: Vi har opdateret vores betalingssystem. Bekræft dit kort inden 24 timer, ellers lukkes dit abonnement: {l}",
             "Kære kunde, din sidste regning blev afvist. Opdater dine betalingsoplysninger her: {l}",
             "Som tak for din loyalitet får du 500 kr. i kredit – log ind og indløs her: {l}"]
    pids = []
    ts = t1
    for i, msg in enumerate(phish):
        link = f"https://nordlyn-betaling{['', '-dk', '-kunde'][i]}.info/login?c={p.rng.randint(10000, 99999)}"
        pid = p.post(ts, msg.format(l=link), member=m, links=[link], typ="link")
        pids.append((ts, pid))
        for _ in range(p.rng.randint(10, 30)):
            p.react(ts + p.rng.uniform(60, 3000), pid, p.person(), p.rng.choice(["like", "wow", "angry"]))
        for k in range(p.rng.randint(3, 7)):
            per = p.person()
            tc = ts + p.rng.uniform(90, 2400)
            if k % 2 == 0:
                p.ask(tc, pid, per, p.rng.choice(["Er det her ægte? Linket ser mærkeligt ud", "Hvorfor skal jeg bekræfte mit kort?", "Er det jer eller svindel?"]),
                      ans_texts=["Hej {name}! Det opslag var IKKE fra os – en medarbejders konto blev misbrugt. Indtast ikke dine kortoplysninger. /{sig}"])
            else:
                p.comment(tc, pid, per, p.rng.choice(["Det ligner phishing.", "Mærkeligt link, jeg klikker ikke.", "Har lige skrevet mine oplysninger ind... øv"]))
        ts += p.rng.uniform(900, 1500)
    fixer = p.team[1]
    tr = ts + 1500
    p.revoke(tr, p.member_actor(fixer), p.member_user(m), ALL)
    end = tr
    for _, pid in pids:
        end += p.rng.uniform(20, 60)
        p.delete_post(end, pid)
    pw = p.post(end + 600, "Vi har i dag haft en sikkerhedshændelse, hvor falske opslag blev delt på vores side. Klik ikke på links og del aldrig kortoplysninger. Vi beklager.", member=fixer)
    p.cascade(end + 600, pw, 25, 40)
    sc.incident(p, "hijack", "hijack_compromised_member_office_hours", t1, end, "critical", 600)
    sc.notes += ["Trap t1: Tue 18 Mar 10:22 the social lead grants a new agency person CREATE_CONTENT/ADVERTISE/ANALYZE; the agency posts a campaign next day via Sprout Social (new app, daytime). At most warning.",
                 "Incident i1: Wed 2 Apr 11:04, team member Mette Kjær's account (usual app, office hours) posts three Danish card-phishing posts linking to a lookalike domain; the team revokes her and deletes them ~1 h later. Start = first phishing post, critical within 600 s."]
    return sc


def s03(sid):
    sc = Scenario(sid, 503, "Norwegian furniture chain: an announced rebrand with name/website change (trap), then a night-time mass deletion of posts.")
    team = [("Ingrid Sæther", MBS), ("Håkon Bjerke", MBS), ("Silje Moen", IPH)]
    p = mkpage(sc, "fjordstua", "Fjordstua Møbler", "no", {"mon-fri": "09:00-17:00"}, 4, team,
               ["spisebord", "sofa", "lenestol", "bokhylle", "pledd", "lampe"], people=1500)
    d0 = D("2025-08-25")
    p.ordinary(d0, 42, posts_wd=1.6, posts_we=0.6, cpp=10, rpp=2.5, msgs=4, visitor=0.2)
    tb = p.at(D("2025-09-16"), 10, 0)
    bp = p.post(tb, "Stor dag i dag! Fjordstua Møbler blir Fjordstua Interiør – samme folk, samme butikker, ny logo og ny nettside. Takk for at dere følger oss ❤️", member=p.team[0])
    m = p.team[0]
    p.change(tb + 720, p.member_actor(m), "name", "Fjordstua Møbler", "Fjordstua Interiør")
    p.display = "Fjordstua Interiør"
    p.change(tb + 790, p.member_actor(m), "picture", "logo-2019.png", "logo-2025.png")
    p.change(tb + 860, p.member_actor(m), "website", "https://www.fjordstua.example", "https://www.fjordstuainterior.example")
    wave(p, tb, [bp], [(0, 30), (3, 12), (8, 2)], ["Gratulerer med ny logo!", "Fin ny stil 👏", "Liker det nye navnet.", "Håper prisene er de samme 😅", "Flott!", "Lykke til videre!"],
         react_profile=[(0, 80), (6, 10)], react_kind="love", react_w={"like": 3, "love": 2})
    sc.trap(p, "announced_rebrand", tb, tb + 4 * 3600, "warning", ["hijack"])
    sc.trap(p, "rebrand_comments", tb, tb + 8 * 3600, "info", ["crisis"])
    # incident: mass deletion at night by a known admin account
    t1 = p.at(D("2025-10-04"), 3, 11, 7)
    older = [pid for ts, pid in p.posts if ts < t1 - 86400][-30:]
    t = t1
    for pid in older:
        p.delete_post(t, pid)
        t += p.rng.uniform(12, 35)
    tr = p.at(D("2025-10-04"), 9, 20)
    p.revoke(tr, p.member_actor(p.team[1]), p.member_user(p.team[2]), ALL)
    sc.incident(p, "hijack", "hijack_mass_delete_night", t1, tr, "critical", 300)
    sc.notes += ["Trap t1/t2: Tue 16 Sep 10:00 the team announces a rebrand in a post, then a known admin changes name, picture and website minutes later; warm comments. At most warning (hijack), info (crisis).",
                 f"Incident i1: Sat 4 Oct 03:11 Silje Moen's account (phone app user) deletes {len(older)} posts within ~15 minutes. Nothing else. Start = first deletion, critical within 300 s."]
    return sc


def s04(sid):
    sc = Scenario(sid, 504, "Small London café: weekly Thursday quiz livestreams with comment spikes (traps); at night the page's name and website are changed by a stranger.")
    team = [("Hannah Price", IPH), ("Tom Okafor", IPH)]
    p = mkpage(sc, "copper_kettle", "The Copper Kettle", "en", {"tue-sun": "09:00-16:00"}, 8, team,
               ["flat white", "banana bread", "sourdough toast", "full breakfast", "chai latte", "carrot cake"], people=250,
               places=["Camden", "Kentish Town", "Chalk Farm", "Primrose Hill"])
    d0 = D("2025-05-05")
    p.ordinary(d0, 40, posts_wd=0.6, posts_we=0.7, cpp=3, rpp=4, msgs=0.6, visitor=0.05, slots=[(8, 30), (11, 0), (14, 0)])
    d = d0 + dt.timedelta(days=3)
    k = 0
    while d < d0 + dt.timedelta(days=40):
        tl = p.at(d, 19, 30)
        lp = p.post(tl, "🎤 Quiz night is LIVE! Grab a cuppa and play along from home.", member=p.team[k % 2], typ="video")
        wave(p, tl, [lp], [(0, 30 + p.rng.randint(-8, 12)), (1.5, 25), (1.6, 0)], ["Question 3 is B!", "Go team Kettle 🙌", "Love these nights", "hahaha that answer", "Hello from Camden!", "Too hard this week 😂", "Sound is great tonight"],
             react_profile=[(0, 60), (1.5, 30)], react_kind="love", react_w={"like": 2, "love": 3, "haha": 1})
        sc.trap(p, "weekly_live_quiz", tl, tl + 3 * 3600, "info", ["crisis"])
        d += dt.timedelta(days=7)
        k += 1
    t1 = p.at(D("2025-06-08"), 0, 41, 12)
    x = stranger(p, "Page Protect Center")
    xa = {"id": x["id"], "name": x["name"], "type": "person"}
    p.change(t1, xa, "name", "The Copper Kettle", "Meta Business Help Center")
    p.display = "Meta Business Help Center"
    p.change(t1 + 95, xa, "website", "https://www.copperkettle.example", "https://meta-support-appeal.help")
    qs, cs, ans = SCAM_C["en"]
    pids, te = scam_wave(p, t1 + 900, 2, x, AND, "en", q_texts=qs, c_texts=cs, answer_texts=ans)
    tr = p.at(D("2025-06-08"), 8, 55)
    fx = p.team[0]
    p.change(tr, p.member_actor(fx), "name", "Meta Business Help Center", "The Copper Kettle")
    p.display = "The Copper Kettle"
    p.change(tr + 60, p.member_actor(fx), "website", "https://meta-support-appeal.help", "https://www.copperkettle.example")
    end = tr + 60
    for _, pid in pids:
        end += 40
        p.delete_post(end, pid)
    sc.incident(p, "hijack", "hijack_settings_changed_night", t1, end, "critical", 300)
    sc.notes += ["Traps: every Thursday 19:30 a quiz livestream draws ~40-60 comments in 90 minutes on a page that otherwise gets a handful a day: at most info.",
                 "Incident i1: Sun 8 Jun 00:41 a never-seen person renames the page to 'Meta Business Help Center' and points the website to a phishing domain, then posts 2 scam links; the owner restores it at 08:55. Start = the name change, critical within 300 s."]
    return sc


def s05(sid):
    sc = Scenario(sid, 505, "Swedish gym chain: launch of a new app with a big positive spike (trap); a stranger gets a lesser role on a Sunday evening and posts a scam three days later.")
    team = [("Frida Nyström", MBS), ("Oskar Hedlund", MBS), ("Alva Berg", IPH)]
    p = mkpage(sc, "kraftverket", "Kraftverket Gym", "sv", {"mon-fri": "08:00-17:00", "sat-sun": "10:00-14:00"}, 4, team,
               ["gruppträning", "spinning", "yogapass", "PT-paket", "årskort", "proteinshake"], people=1800)
    d0 = D("2025-01-13")
    p.ordinary(d0, 42, posts_wd=2, posts_we=1, cpp=14, rpp=2.5, msgs=5, visitor=0.2)
    tl = p.at(D("2025-02-04"), 10, 0)
    lp = p.post(tl, "🚀 NU är den här: nya Kraftverket-appen! Boka pass, följ din träning och checka in med mobilen. Ladda ner gratis idag!", member=p.team[0], typ="video")
    wave(p, tl, [lp], [(0, 160), (3, 90), (8, 25), (20, 4)], ["Äntligen! Laddar ner direkt", "Så snygg app 😍", "Funkar klockrent på min Android", "Bästa gymmet, bästa appen!", "Wow, älskar incheckningen", "Grymt jobbat!", "Hurra! 🎉"],
         qtexts=["Finns appen för iPad också?", "Kan man boka PT i appen?", "Hur loggar jag in med mitt gamla medlemsnummer?"], qshare=0.12,
         react_profile=[(0, 300), (4, 80), (20, 5)], react_kind="love", react_w={"like": 3, "love": 2, "wow": 1})
    sc.trap(p, "product_launch_spike", tl, tl + 24 * 3600, "info", ["crisis"])
    tg = p.at(D("2025-02-16"), 21, 38, 44)
    x = stranger(p, "Tran Van Minh")
    p.grant(tg, p.member_actor(p.team[1]), x, ["CREATE_CONTENT"])
    qs, cs, ans = SCAM_C["sv"]
    pids, te = scam_wave(p, p.at(D("2025-02-19"), 2, 17, 3), 2, x, "Business Suite Mobile", "sv", q_texts=qs, c_texts=cs, answer_texts=ans)
    tr = p.at(D("2025-02-19"), 8, 12)
    p.revoke(tr, p.member_actor(p.team[0]), x, ["CREATE_CONTENT"])
    end = tr
    for _, pid in pids:
        end += 50
        p.delete_post(end, pid)
    sc.incident(p, "hijack", "hijack_lesser_role_late_post", tg, end, "critical", 600)
    sc.notes += ["Trap t1: Tue 4 Feb 10:00 the new app is launched; ~800 happy comments and many love reactions the first day: at most info.",
                 "Incident i1: Sun 16 Feb 21:38 Oskar Hedlund's account grants CREATE_CONTENT to never-seen 'Tran Van Minh' (outside staffed hours); nothing else until Wed 19 Feb 02:17, when that person posts two crypto scams. Start = the grant; a reasonable operator wants a page for a stranger given posting rights late on a Sunday: critical within 600 s (detection only at the scam post counts as late)."]
    return sc


def s06(sid):
    sc = Scenario(sid, 506, "Danish savings bank: a stranger is given MANAGE late one Thursday afternoon (in staffed hours); in the early hours of Saturday he removes the admins and posts scams.")
    team = [("Lone Madsen", MBS), ("Morten Kristensen", MBS), ("Signe Østergaard", MBS)]
    p = mkpage(sc, "sydkysten_sparekasse", "Sydkysten Sparekasse", "da", {"mon-fri": "09:00-16:00"}, 4, team,
               ["boliglån", "MobilePay", "børneopsparing", "pensionsmøde", "netbank", "billån"], people=1400)
    d0 = D("2025-09-01")
    p.ordinary(d0, 42, posts_wd=1.4, posts_we=0.3, cpp=9, rpp=2.0, msgs=6, visitor=0.2)
    tl = p.at(D("2025-09-11"), 10, 31)
    nu = {"id": "1000" + str(p.rng.randint(10**10, 10**11 - 1)), "name": "Kasper Thomsen"}
    p.grant(tl, p.member_actor(p.team[0]), nu, ["MODERATE", "MESSAGING"])
    sc.trap(p, "legit_role_grant", tl, tl + 3600, "warning", ["hijack"])
    tg = p.at(D("2025-10-02"), 15, 49, 10)
    x = stranger(p, "Marcus Wyatt")
    p.grant(tg, p.member_actor(p.team[2]), x, ALL)
    t1 = p.at(D("2025-10-04"), 2, 5, 33)
    xa = {"id": x["id"], "name": x["name"], "type": "person"}
    p.revoke(t1, xa, p.member_user(p.team[0]), ALL)
    p.revoke(t1 + 75, xa, p.member_user(p.team[1]), ALL)
    qs, cs, ans = SCAM_C["da"]
    pids, te = scam_wave(p, t1 + 300, 3, x, AND, "da", q_texts=qs, c_texts=cs, answer_texts=ans)
    tr = p.at(D("2025-10-04"), 8, 32)
    end = restore(p, tr, p.team[2], x, pids, extra_users=[p.team[0], p.team[1]])
    sc.incident(p, "hijack", "hijack_grant_then_night_takeover", t1, end, "critical", 300, onset=tg)
    sc.notes += ["Trap t1: Thu 11 Sep 10:31 a new colleague gets MODERATE+MESSAGING from the team lead: at most warning.",
                 "Incident i1: onset Thu 2 Oct 15:49 (in staffed hours) Signe Østergaard's account grants full MANAGE to never-seen 'Marcus Wyatt' (ambiguous alone); Sat 4 Oct 02:05 he removes two admins and posts 3 English scam posts. Start = the first removal (first clearly malicious act), critical within 300 s; a critical alert from the grant on counts."]
    return sc


def s07(sid):
    sc = Scenario(sid, 507, "Swedish savings bank: a campaign announcement (trap), then a slow burn after a new card fee is announced.")
    team = [("Annika Westerlund", MBS), ("Per Håkansson", MBS), ("Ebba Lund", MBS)]
    p = mkpage(sc, "alvdalens_sparbank", "Älvdalens Sparbank", "sv", {"mon-fri": "08:00-17:00"}, 4, team,
               ["bolån", "Swish", "sparkonto", "kortet", "internetbanken", "barnsparande"], people=1500)
    d0 = D("2025-02-03")
    p.ordinary(d0, 38, posts_wd=1.5, posts_we=0.3, cpp=10, rpp=1.8, msgs=6, visitor=0.15)
    tc = p.at(D("2025-02-25"), 9, 30)
    cp = p.post(tc, "Nu drar vi igång Sparmånaden! Öppna ett sparkonto för ditt barn i mars så sätter vi in 200 kr som start. 🐷", member=p.team[0])
    wave(p, tc, [cp], [(0, 35), (3, 15), (8, 3)], ["Vad bra initiativ!", "Fixar det till lillebror direkt", "Toppen 🐷", "Så fint av er", "Bra bank!"],
         qtexts=["Gäller det även barnbarn?", "Kan man öppna kontot i appen?"], qshare=0.15, react_profile=[(0, 40), (8, 3)], react_kind="like")
    sc.trap(p, "campaign_announced", tc, tc + 10 * 3600, "info", ["crisis"])
    to = p.at(D("2025-03-04"), 8, 31, 12)
    fp = p.post(to, "Från och med 1 april inför vi en månadsavgift på 35 kr för bankkortet. Avgiften tas inte ut för dig under 26 år eller med bolån hos oss. Läs mer på vår webb.", member=p.team[1])
    angry = ["35 kr i månaden för ett kort?! Skämt.", "Nu byter jag bank, har varit kund i 30 år.", "Ni tjänar miljarder och ändå ska vi betala mer.", "Pensionärer får alltid ta smällen.",
             "Otroligt dåligt, ingen annan tar betalt för kortet.", "Skäms på er.", "Flyttar mitt sparande i morgon.", "Så här behandlar man inte trogna kunder.", "Riktigt snålt gjort av en sparbank.",
             "Tack för 25 år, nu är det slut.", "Det här kommer ni att ångra.", "Helt sjukt, 420 kr om året för ingenting."]
    qs = ["Gäller avgiften även om jag bara har Swish?", "Hur säger jag upp mitt kort?", "Varför ska jag betala för kortet när jag har haft det gratis i 20 år?"]
    end = wave(p, to + 300, [fp], [(0, 5), (3, 12), (6, 22), (9, 30), (12, 26), (16, 10), (24, 6), (34, 8), (40, 2)], angry, qtexts=qs, qshare=0.18,
               ans_texts=["Hej {name}! Vi förstår att du är besviken. Avgiften slopas om du har bolån eller är under 26. Vill du avsluta kortet hjälper vi dig i ett DM. /{sig}"],
               react_profile=[(0, 10), (6, 40), (12, 30), (24, 5)], react_w={"angry": 6, "like": 1, "sad": 1})
    stm = p.post(p.at(D("2025-03-04"), 15, 10), "Vi har läst alla era kommentarer om kortavgiften. Vi återkommer i morgon med mer information. Tack för att ni säger vad ni tycker.", member=p.team[0])
    p.cascade(p.at(D("2025-03-04"), 15, 10), stm, 20, 30, texts=angry[:6])
    start, thr = p.twice_normal(to + 300, 21, 10)
    sc.incident(p, "crisis", "crisis_slow_burn_fee", start, end + 3600, "warning", 1800, onset=to + 300)
    sc.notes += ["Trap t1: Tue 25 Feb 09:30 a savings campaign is announced with a moderate happy spike: at most info.",
                 f"Incident i1: Tue 4 Mar 08:31 the bank announces a 35 kr/month card fee; angry comments build slowly over the day (peak ~30/h around 17:00–20:00) and continue the next day. Onset = first reaction window (post + 5 min); start = {p.iso(start)} when the trailing hour reached {thr:.0f} comments (2x normal, floor 10). Warning within 1800 s."]
    return sc


def s08(sid):
    sc = Scenario(sid, 508, "Danish district-heating company: weekly live Q&A (traps), then an evening comment storm during a heating outage.")
    team = [("Jesper Rasmussen", MBS), ("Nanna Poulsen", HOOT), ("Mads Knudsen", MBS)]
    p = mkpage(sc, "vestvarme", "Vestvarme Energi", "da", {"mon-fri": "08:00-16:00"}, 3, team,
               ["fjernvarme", "varmepumpe", "aflæsning", "måler", "energitjek", "elaftale"], people=1600)
    d0 = D("2025-11-10")
    p.ordinary(d0, 36, posts_wd=1.2, posts_we=0.3, cpp=8, rpp=1.8, msgs=5, visitor=0.15)
    d = d0 + dt.timedelta(days=2)
    while d < d0 + dt.timedelta(days=36):
        if d not in p.closed:
            tl = p.at(d, 12, 0)
            lp = p.post(tl, "Live nu: spørg vores energirådgiver om alt fra radiatorer til varmeregningen 🔥", member=p.team[1], typ="video")
            wave(p, tl, [lp], [(0, 45), (1, 35), (1.1, 0)], ["Godt initiativ!", "Super gode tips, tak", "Hej fra Herning 👋", "Det med termostaten vidste jeg ikke", "Tak for i dag!"],
                 qtexts=["Hvor højt skal radiatoren stå om natten?", "Hvornår kommer årsopgørelsen?", "Kan I komme ud og tjekke min måler?"], qshare=0.25,
                 react_profile=[(0, 40), (1, 20)], react_kind="like")
            sc.trap(p, "weekly_live_qa", tl, tl + 2 * 3600, "info", ["crisis"])
        d += dt.timedelta(days=7)
    to = p.at(D("2025-12-08"), 17, 52, 20)
    op = p.post(to, "Driftsforstyrrelse: Der er ingen fjernvarme i dele af Vejle og Horsens på grund af et brud på en hovedledning. Vi arbejder på sagen.", member=p.team[2])
    angry = ["Det er tredje gang i år! Det er simpelthen ikke godt nok.", "Vi sidder med to små børn i et iskoldt hus.", "Hvorfor får vi ingen information?!!", "14 grader i stuen nu. Utroligt.",
             "Og så hæver I prisen igen i januar. Skam jer.", "Min mor på 86 fryser. Det er uforsvarligt.", "Elendig service, ingen tager telefonen.", "Vi betaler for varme vi ikke får.",
             "Nu har vi været uden varme i 5 timer. Latterligt.", "Jeg forventer kompensation.", "I burde skamme jer.", "Hele opgangen fryser."]
    qs = ["Hvornår kommer varmen tilbage?", "Får vi kompensation for det her?", "Er Bredballe også ramt?"]
    end = wave(p, to + 240, [op], [(0, 30), (1, 80), (3, 110), (5, 60), (8, 15), (14, 4)], angry, qtexts=qs, qshare=0.15,
               ans_texts=["Hej {name}! Vi forventer at varmen er tilbage i løbet af natten. Vi beklager meget. /{sig}"],
               react_profile=[(0, 60), (3, 120), (8, 20)], react_w={"angry": 6, "sad": 2, "like": 1})
    start, thr = p.twice_normal(to + 240, 21, 10)
    sc.incident(p, "crisis", "crisis_comment_storm_outage", start, end + 3600, "warning", 1800, onset=to)
    sc.notes += ["Traps: every Wednesday 12:00 a live Q&A with a spike of friendly comments and questions: at most info.",
                 f"Incident i1: Mon 8 Dec 17:52 the company posts about a heating outage; angry comments storm the post all evening (peak ~110/h). Onset = the outage post; start = {p.iso(start)} (trailing hour {thr:.0f} comments = 2x normal, floor 10). Warning within 1800 s."]
    return sc


SCENARIOS = [s01, s02, s03, s04, s05, s06, s07, s08]
