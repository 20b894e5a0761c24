"""rt5 scenarios 17-24: blindness, trap-only pages, multi-page, more hijacks and crises."""
import datetime as dt

from engine import Scenario
from common import D, mkpage, wave, scam_wave, stranger, ALL, SCAM_C

MBS, HOOT, IPH, AND, LATER = "Meta Business Suite", "Hootsuite", "Facebook for iPhone", "Facebook for Android", "Later"


def s17(sid):
    sc = Scenario(sid, 517, "Large Swedish regional bus operator: a night rate-limit blip (trap), then the page token expires mid-morning and stays dead for hours.")
    team = [("Lena Bergqvist", MBS), ("Ali Rahimi", HOOT), ("Malin Ström", MBS), ("Kristoffer Ek", MBS)]
    p = mkpage(sc, "malarbuss", "Mälarbuss", "sv", {"mon-fri": "07:00-21:00", "sat-sun": "09:00-17:00"}, 2, team,
               ["månadskort", "reskassa", "linje 550", "nattbussen", "skolkort", "appen"], people=3000, places=["Västerås", "Eskilstuna", "Enköping", "Köping", "Strängnäs", "Sala"])
    d0 = D("2025-02-10")
    p.ordinary(d0, 38, posts_wd=3, posts_we=1.5, cpp=22, rpp=1.4, msgs=12, visitor=0.4, slots=[(6, 30), (8, 0), (11, 0), (14, 0), (16, 30), (19, 0)])
    tb = p.at(D("2025-02-26"), 3, 5, 12)
    p.source_error(tb, 4, "Application request limit reached", 600)
    p.source_recovered(tb + 760)
    sc.drop(p, tb, tb + 760)
    sc.trap(p, "night_rate_limit_blip", tb, tb + 760, "info", ["health"])
    t1 = p.at(D("2025-03-12"), 10, 41, 27)
    t2 = p.at(D("2025-03-12"), 15, 22, 5)
    p.source_error(t1, 190, "Error validating access token: The session has been invalidated because the user changed their password.", None)
    p.source_recovered(t2)
    sc.drop(p, t1, t2)
    sc.incident(p, "health", "health_token_expired_daytime", t1, t2, "warning", 900)
    sc.trap(p, "sla_during_blindness", t1, p.add_staffed(t2, 120), "warning", ["sla"])
    sc.notes += ["Trap t1: Wed 26 Feb 03:05 a 13-minute rate-limit error at night: at most info.",
                 "Incident i1: Wed 12 Mar 10:41 the page token is invalidated (code 190) on a busy page in staffed hours; nothing is read until 15:22. Warning within 900 s.",
                 "Trap t2: answers written during the blind window are not seen, so an SLA warning there is tolerated (at most warning)."]
    return sc


def s18(sid):
    sc = Scenario(sid, 518, "Danish supermarket chain with two pages: the main page's source goes silent one afternoon without any error, while the jobs page keeps flowing.")
    team = [("Camilla Dahl", MBS), ("Frederik Bach", MBS), ("Julie Winther", HOOT)]
    p = mkpage(sc, "havnens_super", "Havnens Supermarked", "da", {"mon-fri": "08:00-19:00", "sat-sun": "10:00-16:00"}, 3, team,
               ["ugens tilbud", "rugbrød", "frugt", "juleand", "kaffe", "Scan & Go"], people=3000)
    q = mkpage(sc, "havnens_job", "Havnens Supermarked – Job", "da", {"mon-fri": "09:00-15:00"}, 24, team[:1] + [("Anne Lauridsen", MBS)],
               ["studiejob", "elevplads", "lagermedarbejder", "souschef", "kassemedarbejder"], people=600)
    d0 = D("2025-10-27")
    p.ordinary(d0, 36, posts_wd=3, posts_we=2, cpp=24, rpp=1.5, msgs=10, visitor=0.3, slots=[(7, 30), (9, 0), (11, 30), (14, 0), (16, 0), (18, 30)])
    q.ordinary(d0, 36, posts_wd=1.2, posts_we=0.2, cpp=6, rpp=2, msgs=3, visitor=0.1)
    t1 = None
    s0 = p.at(D("2025-11-27"), 13, 10)
    s1 = p.at(D("2025-11-27"), 17, 45)
    last = max(e["_ts"] for e in sc.events if e["page"] == p.key and e["_ts"] < s0)
    sc.drop(p, s0, s1)
    sc.incident(p, "health", "health_silent_source", last, s1, "warning", 3600)
    sc.trap(p, "sla_during_blindness", s0, p.add_staffed(s1, 180), "warning", ["sla"])
    sc.notes += ["Incident i1: Thu 27 Nov 13:10–17:45 no event at all arrives for the main page (normally dozens per hour in the afternoon), with no source error; the jobs page keeps flowing so the clock moves. Start = the last event seen before the gap; warning within 3600 s.",
                 "Trap t1: answers during the blind window are unseen: an SLA warning there is tolerated."]
    return sc


def s19(sid):
    sc = Scenario(sid, 519, "Swedish electronics retailer, no incident: a phone launch with a huge positive spike, and a contest a week later (traps).")
    team = [("Viktor Sandberg", MBS), ("Ebba Nordin", MBS), ("Agnes Falk", IPH)]
    p = mkpage(sc, "voltbutiken", "Voltbutiken", "sv", {"mon-fri": "08:00-20:00", "sat-sun": "10:00-16:00"}, 3, team,
               ["hörlurar", "laddare", "surfplatta", "TV", "robotdammsugare", "mobilskal"], people=3000)
    d0 = D("2025-08-18")
    p.ordinary(d0, 40, posts_wd=2.5, posts_we=1.5, cpp=20, rpp=2.0, msgs=9, visitor=0.3)
    tl = p.at(D("2025-09-19"), 8, 0)
    lp = p.post(tl, "Den är HÄR! Nya Nova X är släppt och finns i alla våra butiker från idag 📱✨", member=p.team[0], typ="video")
    wave(p, tl, [lp], [(0, 120), (2, 350), (5, 220), (10, 90), (16, 30), (24, 5)], ["Shut up and take my money 😍", "Står i kön i Uppsala nu!", "Snyggaste färgen hittills", "Hämtade min i morse, älskar den!",
         "Kameran är sjuk", "Äntligen!", "Beställd 🙌", "Bästa dagen på länge", "Wow wow wow"], qtexts=["Finns den i grönt i Malmö?", "Kan man byta in sin gamla telefon?", "När kommer skalen?"], qshare=0.08,
         react_profile=[(0, 300), (3, 500), (12, 100), (24, 10)], react_kind="love", react_w={"love": 3, "like": 3, "wow": 1})
    sc.trap(p, "product_launch_spike", tl, tl + 26 * 3600, "info", ["crisis"])
    tc = p.at(D("2025-09-24"), 12, 0)
    cp = p.post(tc, "TÄVLING: Vinn en Nova X! Kommentera vem du vill dela vinsten med. Vinnaren dras måndag.", member=p.team[1])
    wave(p, tc, [cp], [(0, 200), (3, 150), (8, 60), (24, 10), (48, 2)], ["Jag vill vinna! Delar med {place}-gänget", "Min syster såklart ❤️", "Hoppas hoppas 🤞", "Ja tack!", "Vilken grej, jag är med!"],
         react_profile=[(0, 150), (8, 30), (48, 2)], react_kind="like", react_w={"like": 3, "love": 1})
    sc.trap(p, "contest_spike", tc, tc + 50 * 3600, "info", ["crisis"])
    sc.notes += ["No incidents. Trap t1: Fri 19 Sep product launch, ~3000 joyful comments in a day. Trap t2: Wed 24 Sep contest, ~2000 comments. At most info."]
    return sc


def s20(sid):
    sc = Scenario(sid, 520, "English football club, no incident: Saturday match-day heated threads (traps, every week) and sad news with an outpouring of condolences.")
    team = [("Owen Hughes", MBS), ("Ellie Walker", HOOT)]
    p = mkpage(sc, "eastbridge_town_fc", "Eastbridge Town FC", "en", {"mon-fri": "09:00-17:00"}, 24, team,
               ["season ticket", "home shirt", "away kit", "youth academy", "matchday programme", "club shop"], people=2500, places=["the Kop End", "Eastbridge", "the away end", "the club bar"])
    d0 = D("2025-01-06")
    p.ordinary(d0, 40, posts_wd=1.5, posts_we=1, cpp=18, rpp=3, msgs=3, visitor=0.2, angry=0.05)
    heated = ["Same mistakes every week.", "Sack the manager, enough is enough.", "Referee was a disgrace today.", "Proud of the lads, unlucky.", "We need a striker, simple as that.",
              "Worst half of football I've seen in years.", "Get the chequebook out!", "Up the Town! 🔵", "Board out.", "Defence all over the place again."]
    d = d0 + dt.timedelta(days=5)
    while d < d0 + dt.timedelta(days=40):
        tm = p.at(d, 16, 55)
        mp = p.post(tm, "Full time at Eastbridge. " + p.rng.choice(["1-2", "0-0", "2-2", "0-1", "3-1"]), member=p.team[1])
        wave(p, tm, [mp], [(0, 90), (1, 60), (3, 20), (6, 4)], heated, react_profile=[(0, 120), (3, 20)], react_w={"angry": 3, "like": 3, "sad": 1, "haha": 1})
        sc.trap(p, "matchday_heated_debate", tm, tm + 6 * 3600, "info", ["crisis"])
        d += dt.timedelta(days=7)
    ts = p.at(D("2025-02-05"), 9, 32)
    sp = p.post(ts, "It is with great sadness that the club learns of the passing of Frank Dobbs, our record goalscorer and a true Eastbridge legend. Our thoughts are with his family. 💙", member=p.team[0])
    cond = ["RIP Frank, a true legend 💙", "So sad. Watched him as a kid from the Kop End.", "Thoughts with his family.", "Rest easy legend.", "Heartbreaking news. Thank you for the memories Frank.",
            "One of our own. RIP.", "Gutted. What a player and what a man.", "Sleep well Frank 🙏", "Condolences from all at Westford United.", "My dad's hero. RIP."]
    wave(p, ts, [sp], [(0, 150), (2, 200), (6, 80), (12, 30), (24, 8)], cond, react_profile=[(0, 400), (3, 300), (12, 50)], react_w={"sad": 6, "love": 3, "like": 1})
    sc.trap(p, "condolences_spike", ts, ts + 30 * 3600, "info", ["crisis"])
    sc.notes += ["No incidents. Traps: every Saturday the full-time post draws a heated but normal match-day thread (angry words, angry reactions): at most info.",
                 "Trap: Wed 5 Feb 09:32 the club announces a legend's death; ~2500 condolence comments and sad reactions: at most info."]
    return sc


def s21(sid):
    sc = Scenario(sid, 521, "Norwegian local newspaper, no incident: comment sections are heated every day; a toll-road article draws a bigger debate (trap).")
    team = [("Ragnhild Dahl", MBS), ("Stian Lie", MBS), ("Maren Bakken", HOOT)]
    p = mkpage(sc, "vestlandsposten", "Vestlandsposten", "no", {"mon-sun": "07:00-22:00"}, 24, team,
               ["bompenger", "bybanen", "skolenedleggelse", "eiendomsskatt", "kommunebudsjettet", "sykehusparkering"], people=3000)
    arts = ["Kommunen vurderer å øke {product} fra nyttår.", "Debatt: Er {product} riktig prioritering?", "Politikerne er uenige om {product}.", "Leserne reagerer på {product}.", "Nytt vedtak om {product} i bystyret."]
    deb = ["Typisk politikere, de bor jo ikke her selv.", "Helt enig med kommunen for en gangs skyld.", "Dette er galskap.", "Folk klager alltid, uansett hva som skjer.", "Endelig noen som tør.",
           "Skam for hele fylket.", "Les saken før du kommenterer!", "Sånn blir det når Oslo bestemmer.", "Hvem skal betale for dette?", "Nei nei nei.", "Bra sak, VP!", "Kjempeskuffende."]
    d0 = D("2025-03-03")
    p.T = dict(p.T)
    p.T["compl"] = deb
    p.ordinary(d0, 40, posts_wd=4, posts_we=2.5, cpp=22, rpp=1.5, msgs=2, visitor=0.1, qshare=0.03, angry=0.2, post_texts=arts,
               slots=[(6, 30), (8, 0), (10, 30), (13, 0), (15, 30), (18, 0), (20, 30)])
    for dd in (6, 13, 19, 26):
        tx = p.at(d0 + dt.timedelta(days=dd), 18, 0)
        hp = p.post(tx, p.fill(p.rng.choice(arts)), member=p.team[2])
        wave(p, tx, [hp], [(0, 40), (3, 25), (8, 5)], deb, react_profile=[(0, 60), (6, 10)], react_w={"angry": 3, "like": 2, "haha": 1})
    tb = p.at(D("2025-04-08"), 7, 15)
    bp = p.post(tb, "Bomringen utvides: Fra 1. juni betaler du også for å kjøre inn til Åsane og Loddefjord.", member=p.team[0])
    wave(p, tb, [bp], [(0, 40), (3, 45), (8, 30), (14, 10), (24, 3)], deb + ["Enda mer bompenger? Jeg gir opp.", "Vi som bor ute har ikke noe valg.", "Bybanen dit kunne løst alt dette."],
         react_profile=[(0, 80), (8, 40), (24, 5)], react_w={"angry": 4, "like": 2, "haha": 1})
    sc.trap(p, "big_but_normal_debate", tb, tb + 26 * 3600, "info", ["crisis"])
    sc.notes += ["No incidents. The page's comment sections are always heated (20 % angry reactions, sharp words aimed at politicians, not at the paper); four evening debates are part of normal life.",
                 "Trap t1: Tue 8 Apr a toll-road article draws a bigger-than-usual debate over a day, aimed at the municipality: at most info."]
    return sc


def s22(sid):
    sc = Scenario(sid, 522, "Swedish beauty brand with a Facebook page and an Instagram account: a campaign via a new publishing tool on Facebook (trap), and a night takeover of the Instagram account.")
    team = [("Tove Lindahl", MBS), ("Isak Berglund", MBS)]
    p = mkpage(sc, "solrosen", "Solrosen Skönhet", "sv", {"mon-fri": "09:00-17:00"}, 6, team,
               ["ansiktskräm", "serum", "läppbalsam", "schampo", "solkräm", "doftljus"], people=1500)
    ig = mkpage(sc, "solrosen_ig", "solrosen.skonhet", "sv", {"mon-fri": "09:00-17:00"}, 6, [("Tove Lindahl", "Instagram"), ("Isak Berglund", "Instagram")],
                ["ansiktskräm", "serum", "läppbalsam", "schampo", "solkräm"], people=2500, platform="instagram")
    d0 = D("2025-04-07")
    p.ordinary(d0, 40, posts_wd=1, posts_we=0.5, cpp=8, rpp=3, msgs=3, visitor=0.1)
    ig.ordinary(d0, 40, posts_wd=1, posts_we=0.8, cpp=14, rpp=6, msgs=2, visitor=0.0, qshare=0.12)
    tc = p.at(D("2025-04-29"), 11, 2)
    cp = p.post(tc, "Vårkampanj! 25 % på hela solskyddsserien hela veckan ☀️", member={"id": p.team[0]["id"], "name": p.team[0]["name"], "app": LATER})
    p.cascade(tc, cp, 35, 90)
    sc.trap(p, "new_app_daytime_campaign", tc, tc + 3600, "warning", ["hijack"])
    sc.trap(p, "campaign_comments", tc, tc + 10 * 3600, "info", ["crisis"])
    t1 = p.at(D("2025-05-10"), 1, 22, 40)
    x = stranger(ig, "Alina Petrova")
    ig.grant(t1, None, x, ALL)
    xa = {"id": x["id"], "name": x["name"], "type": "person"}
    ig.change(t1 + 300, xa, "username", "solrosen.skonhet", "meta.verified.help")
    ig.display = "meta.verified.help"
    qs, cs, ans = SCAM_C["sv"]
    pids, te = scam_wave(ig, t1 + 900, 4, x, "Instagram for Android", "en", q_texts=qs, c_texts=cs, answer_texts=ans)
    tr = ig.at(D("2025-05-10"), 9, 5)
    ig.revoke(tr, ig.member_actor(ig.team[0]), x, ALL)
    ig.change(tr + 120, ig.member_actor(ig.team[0]), "username", "meta.verified.help", "solrosen.skonhet")
    ig.display = "solrosen.skonhet"
    end = tr + 120
    for _, pid in pids:
        end += 40
        ig.delete_post(end, pid)
    sc.incident(ig, "hijack", "hijack_instagram_unknown_admin_night", t1, end, "critical", 300)
    sc.notes += ["Trap t1/t2: Tue 29 Apr 11:02 a campaign post on Facebook published through 'Later', a tool the team never used before, in office hours: at most warning.",
                 "Incident i1: Sat 10 May 01:22 on the Instagram account a never-seen person gets full access (the platform does not say who granted it), renames the account and posts 4 scams; restored at 09:05. Start = the grant, critical within 300 s."]
    return sc


def s23(sid):
    sc = Scenario(sid, 523, "Danish fashion brand: a well-received campaign launch (trap), then a campaign that backfires and draws an angry storm.")
    team = [("Pernille Vinther", MBS), ("Jonas Brix", HOOT), ("Maja Friis", IPH)]
    p = mkpage(sc, "klover_co", "Kløver & Co", "da", {"mon-fri": "09:00-17:00"}, 4, team,
               ["strikbluse", "uldfrakke", "jeans", "sneakers", "tørklæde", "kjole"], people=2000)
    d0 = D("2025-09-29")
    p.ordinary(d0, 38, posts_wd=1.5, posts_we=1, cpp=12, rpp=3, msgs=5, visitor=0.15)
    tc = p.at(D("2025-10-14"), 10, 0)
    cp = p.post(tc, "Vores efterårskollektion er her! 🍂 Lavet af genanvendt uld og designet i København.", member=p.team[0], typ="video")
    wave(p, tc, [cp], [(0, 70), (3, 40), (8, 10), (20, 2)], ["Så smukke farver!", "Den grønne frakke skal være min", "Genanvendt uld – elsker det ❤️", "Har allerede bestilt", "I rammer den hver gang"],
         qtexts=["Findes frakken i XS?", "Kommer den i butikken i Aarhus?"], qshare=0.12, react_profile=[(0, 120), (8, 10)], react_kind="love", react_w={"love": 2, "like": 2})
    sc.trap(p, "campaign_launch_spike", tc, tc + 24 * 3600, "info", ["crisis"])
    to = p.at(D("2025-10-28"), 10, 0, 12)
    bp = p.post(to, "Ny kampagne: 'Skinny is the new black' – vores vinterkollektion i størrelse 34-40. 🖤", member=p.team[1], typ="video")
    ang = ["Seriøst? 'Skinny is the new black' i 2025?", "Hvor er størrelserne over 40?", "Jeg har handlet hos jer i ti år. Aldrig igen.", "Hvem har godkendt den kampagne?!",
           "Det her er så skadeligt for unge piger.", "Trist og gammeldags.", "Afmelder nyhedsbrevet nu.", "Skam jer, Kløver.", "I burde trække den med det samme.", "Min datter på 14 så den her. Tak for ingenting.",
           "Utroligt tonedøvt.", "Boykot."]
    qs = ["Vil I trække kampagnen tilbage?", "Hvorfor stopper størrelserne ved 40?"]
    end = wave(p, to + 600, [bp], [(0, 15), (1, 60), (3, 110), (6, 90), (9, 40), (16, 10), (30, 4)], ang, qtexts=qs, qshare=0.1,
               ans_texts=["Hej {name}. Vi hører jer, og vi har stoppet kampagnen. Vi vender tilbage med mere. /{sig}"],
               react_profile=[(0, 80), (3, 200), (9, 40)], react_w={"angry": 8, "sad": 1, "like": 1})
    apo = p.post(p.at(D("2025-10-28"), 15, 30), "Vi har lavet en fejl. Kampagnen er stoppet, og vi undskylder. Vores tøj skal være til alle.", member=p.team[0])
    p.cascade(p.at(D("2025-10-28"), 15, 30), apo, 60, 150, texts=["Godt I lytter.", "For sent.", "Tak for undskyldningen.", "Vi får se.", "Det burde aldrig være sket."])
    start, thr = p.twice_normal(to + 600, 21, 10)
    sc.incident(p, "crisis", "crisis_campaign_backfire", start, end + 3600, "warning", 1800, onset=to)
    sc.notes += ["Trap t1: Tue 14 Oct the autumn collection launch draws a friendly spike: at most info.",
                 f"Incident i1: Tue 28 Oct 10:00 a tone-deaf campaign post; angry comments build to ~110/h by early afternoon. Start = {p.iso(start)} (trailing hour {thr:.0f} = 2x normal, floor 10). Warning within 1800 s."]
    return sc


def s24(sid):
    sc = Scenario(sid, 524, "London bookshop: a quiet closed Christmas (trap), then in the small hours of a Sunday a team member's account posts foreign-language link spam via a new app and renames the page.")
    team = [("Grace Fletcher", MBS), ("Daniel Osei", MBS)]
    p = mkpage(sc, "harbour_lane_books", "Harbour Lane Books", "en", {"mon-sat": "09:30-17:30"}, 6, team,
               ["signed first editions", "book club", "gift cards", "children's corner", "poetry night", "staff picks"], people=800, places=["Greenwich", "Deptford", "Blackheath", "Lewisham"])
    d0 = D("2025-11-24")
    p.ordinary(d0, 46, posts_wd=1, posts_we=0.7, cpp=7, rpp=3, msgs=2, visitor=0.1,
               quiet=lambda d: 0.25 if D("2025-12-24") <= d <= D("2025-12-27") else 1.0)
    hc = p.at(D("2025-12-24"), 14, 0)
    sc.trap(p, "christmas_closed_quiet", hc, p.at(D("2025-12-29"), 12, 0), "info", ["sla", "health", "crisis"])
    t1 = p.at(D("2026-01-04"), 2, 35, 50)
    m = p.team[1]
    msgs = ["Ưu đãi đặc biệt hôm nay! Nhận quà miễn phí tại {l}", "Khuyến mãi lớn – chỉ còn 50 suất! Đăng ký ngay: {l}", "Cơ hội trúng thưởng iPhone 16 Pro Max 👉 {l}"]
    pids = []
    ts = t1
    for i, mm in enumerate(msgs):
        link = f"https://{p.rng.choice(['qua-tang-vip.top', 'nhanqua-24h.shop', 'khuyenmai-online.xyz'])}/r/{p.rng.randint(1000, 9999)}"
        pid = p.post(ts, mm.format(l=link), member={"id": m["id"], "name": m["name"], "app": AND}, links=[link], typ="link")
        pids.append((ts, pid))
        for _ in range(p.rng.randint(4, 12)):
            p.react(ts + p.rng.uniform(60, 4000), pid, p.person(), p.rng.choice(["haha", "angry", "wow"]))
        p.comment(ts + p.rng.uniform(600, 4000), pid, p.person(), "Looks like you've been hacked?! Don't click that.")
        ts += p.rng.uniform(600, 1300)
    p.change(t1 + 2100, p.member_actor(m), "name", "Harbour Lane Books", "Quà Tặng VIP")
    p.display = "Quà Tặng VIP"
    tr = p.at(D("2026-01-04"), 9, 40)
    p.revoke(tr, p.member_actor(p.team[0]), p.member_user(m), ALL)
    p.change(tr + 90, p.member_actor(p.team[0]), "name", "Quà Tặng VIP", "Harbour Lane Books")
    p.display = "Harbour Lane Books"
    end = tr + 90
    for _, pid in pids:
        end += 30
        p.delete_post(end, pid)
    sc.incident(p, "hijack", "hijack_compromised_member_foreign_spam", t1, end, "critical", 300)
    sc.notes += ["Trap t1: 24–28 Dec the shop is closed (Christmas and Boxing Day are English bank holidays, plus a Sunday); the page is quiet and questions wait: at most info.",
                 "Incident i1: Sun 4 Jan 02:35 Daniel Osei's account (he always uses Meta Business Suite in shop hours) posts three Vietnamese prize-scam posts with strange links via Facebook for Android, then renames the page; restored 09:40. Start = first post, critical within 300 s."]
    return sc


SCENARIOS = [s17, s18, s19, s20, s21, s22, s23, s24]
