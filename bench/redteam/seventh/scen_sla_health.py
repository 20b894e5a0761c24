# -*- coding: utf-8 -*-
"""SLA scenarios rt11-rt13 and health scenarios rt14-rt15."""
import datetime as dt

from common import prof, loc, iso, crisis, incident, trap, sla_incident, poisson, Sim, TD
import texts as T


def rt11():
    p = prof(
        key="fiberlinja", name="Fiberlinja", short="Fiberlinja", seed=7111, page_num="106601938827415",
        tz="Europe/Oslo", lang="no", staffed={"mon-fri": "08:00-20:00", "sat": "10:00-16:00"}, holidays="NO", sla="2h",
        start=dt.date(2025, 1, 20), days=40, pool=1200, visitor_langs=[("no", 0.94), ("en", 0.06)],
        posts_per_day={0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 0.3}, post_hours=[9, 10, 11, 12, 13, 14, 15],
        comments_per_post=14, dms_per_day=14, apps=[("Meta Business Suite", 5), ("Zendesk", 4)],
        admins=["Siri Aune", "Martin Dahle"], sig_names=["Siri", "Martin", "Emir", "Hege"], sig_fmt="mvh {s}",
        items={"no": ["ruteren", "TV-boksen", "fiberabonnementet", "500 Mbit", "mesh-nettverket", "strømmepakken"],
               "en": ["the router", "the TV box", "the fibre plan"]},
        places=["Lillestrøm", "Drammen", "Ski", "Asker", "Jessheim"],
        qa=[("Når kommer fiber til Kjeller?", "Utbyggingen på Kjeller er planlagt til våren, du kan melde interesse på nettsiden."),
            ("Hvordan bytter jeg passord på ruteren?", "Logg inn på Min side, velg Ruter og deretter Wi-Fi-innstillinger."),
            ("Kan jeg oppgradere til 1 Gbit uten ny ruter?", "Ja, alle rutere levert etter 2022 støtter 1 Gbit."),
            ("Er det driftsproblemer i Drammen nå?", "Vi ser ingen feil i Drammen akkurat nå. Send oss en melding med adressen din, så sjekker vi."),
            ("Hvor lang bindingstid er det?", "Det er ingen bindingstid på våre fiberabonnement.")],
        post_texts=["Planlagt vedlikehold natt til torsdag kl. 01–04 i Asker.", "Tips: plasser ruteren høyt og fritt for bedre dekning 📶",
                    "Nå kan du se fakturaen din i appen.", "Fiberutbyggingen i Jessheim er i gang!", "Vinterens strømmepakke er her.",
                    "Husk å starte ruteren på nytt en gang i måneden.", "Vi har fått ny kundeservicechat på nettsiden.",
                    "Takk for tålmodigheten under stormen i helgen.", "Mesh-nettverk gir dekning i hele huset.", "Ny TV-boks med 4K."],
        complaint_reply=0.7,
    )
    s = Sim(p)
    a = loc(s, "2025-02-18 07:40")
    b = loc(s, "2025-02-18 15:20")
    s.blackouts.append((a, b, {"dm"}))
    s.ordinary()
    # invoices went out on the 17th: extra inbox questions on the 18th
    r = s.rng
    extra = ["Hei! Fakturaen denne måneden er 200 kr høyere enn vanlig. Hvorfor?", "Hei, jeg har betalt fakturaen, men fikk purring i dag. Kan dere sjekke?",
             "Hei! Jeg sa opp strømmepakken i desember, men den står fortsatt på fakturaen. Kan dere fjerne den?",
             "Hei, internett har vært ustabilt i tre dager i Ski. Kan dere se på linjen min?",
             "Hei! Kan jeg få fakturaen på e-post i stedet for eFaktura?", "Hei, hvordan flytter jeg abonnementet til ny adresse i Asker?",
             "Hei! Ruteren blinker rødt og ingenting virker. Hva gjør jeg?", "Hei, kan dere ringe meg om oppgradering til 1 Gbit?",
             "Hei! Jeg har fått to fakturaer for samme måned. Hvilken skal jeg betale?", "Hei, TV-boksen finner ingen kanaler etter oppdateringen i natt. Hjelp?"]
    t = loc(s, "2025-02-18 08:03")
    for msg in extra:
        t += TD(seconds=r.randint(600, 2400))
        s.dm(t, v=s.visitor("no"), text=msg, asks=True)
    s.finalize()
    inc, br = sla_incident(s, a, b, typ="sla_dm_backlog")
    return s, [inc], [], ("Norwegian broadband provider with a busy inbox (2 h SLA, staffed 08-20). On a Tuesday the inbox team is "
                         "moved to a new tool and answers no private messages from 07:40 to 15:20, the morning after invoices "
                         "went out; public comments are answered as usual.")


def rt12():
    p = prof(
        key="cykelsmeden", name="Cykelsmeden Nørrebro", short="Cykelsmeden", seed=7112, page_num="101993847710266",
        tz="Europe/Copenhagen", lang="da", staffed={"mon-fri": "10:00-17:30", "sat": "10:00-14:00"}, holidays="DK", sla="4h",
        start=dt.date(2025, 8, 18), days=40, pool=150, visitor_langs=[("da", 0.85), ("en", 0.15)],
        posts_per_day={0: 0.5, 1: 0.5, 2: 0.6, 3: 0.5, 4: 0.7, 5: 0.3}, post_hours=[10, 11, 12, 14, 16],
        comments_per_post=5, dms_per_day=0.8, visitor_posts_per_day=0.05, react_ratio=(2, 3.5),
        apps=[("Facebook for Android", 6), ("Meta Business Suite", 2)], admins=["Bo Kjær"], sig_names=["Bo", "Sif"],
        sig_fmt="/{s}",
        items={"da": ["ladcyklen", "lappegrej", "cykellygter", "vinterdæk", "el-cyklen", "børnesædet"],
               "en": ["the cargo bike", "bike lights", "winter tyres"]},
        places=["Nørrebro", "værkstedet", "Jægersborggade"],
        qa=[("Kan I nå at skifte bremseklodser i dag?", "Kom forbi inden kl. 15, så klarer vi det mens du venter."),
            ("Hvad koster et efterårseftersyn?", "Et eftersyn koster 449 kr inkl. justering af gear og bremser."),
            ("Reparerer I også el-cykler?", "Ja, vi reparerer de fleste mærker, men ikke batterier."),
            ("Har I ladcykler til leje?", "Ja, vi har to ladcykler til leje pr. dag eller weekend."),
            ("Kan man booke tid online?", "Ja, via linket på vores side, ellers bare kig forbi.")],
        post_texts=["Efteråret kommer – husk lygter på cyklen 🚲", "Nyt parti ladcykler på værkstedet.",
                    "Lukket for ferie? Nej, vi er her hele august!", "Tilbud: efterårseftersyn 449 kr.",
                    "Dagens projekt: en 70'er-racer der får nyt liv.", "Vi søger en lærling til værkstedet."],
    )
    s = Sim(p)
    a = loc(s, "2025-09-12 17:30")
    b = loc(s, "2025-09-15 11:40")
    s.blackouts.append((a, b, {"comment", "dm"}))
    s.ordinary()
    r = s.rng
    sat = s.ordinary_post(loc(s, "2025-09-13 09:48"), "Værkstedet er åbent i dag kl. 10–14. Kom forbi med punkteringen ☕",
                          eng=1.0, app="Facebook for Android", admin=p["admins"][0])
    qs = [("da", "Hej! Min kæde er hoppet af og sidder fast. Kan I kigge på den i dag?"), ("da", "Har I et 28\" slangedæk på lager?"),
          ("en", "Hi! Do you fix hydraulic brakes? Mine feel really spongy"), ("da", "Kan jeg hente min cykel i dag, den blev afleveret torsdag?"),
          ("da", "Hvor længe er ventetiden på et eftersyn lige nu?")]
    t = loc(s, "2025-09-13 10:12")
    for lang, q in qs:
        t += TD(seconds=r.randint(900, 2700))
        v = s.visitor(lang)
        cid = s.comment(t, v, sat, q)
        s.page_reply(t, sat, cid, v, "question", "Undskyld det sene svar, vi havde travlt i weekenden. Kig forbi i dag, så hjælper vi dig." if lang == "da"
                     else "Sorry for the slow reply, busy weekend! Drop by today and we'll help.")
    s.dm(loc(s, "2025-09-13 12:31"), v=s.visitor("da"), text="Hej, jeg har glemt min cykelhjelm hos jer i dag. Kan I gemme den til mandag?", asks=True)
    s.finalize()
    inc, br = sla_incident(s, a, b)
    return s, [inc], [], ("Tiny Copenhagen bike workshop, staffed Saturday 10-14. On a busy Saturday nobody answers the page; the "
                         "staffed-time SLA clock runs out late Saturday or on Monday (not on the unstaffed Sunday), and the owner "
                         "only gets to the backlog at 11:40 on Monday.")


def rt13():
    p = prof(
        key="elbutiken_norr", name="Elbutiken Norr", short="Elbutiken", seed=7113, page_num="104477618830192",
        tz="Europe/Stockholm", lang="sv", staffed={"mon-fri": "08:00-17:00"}, holidays="SE", sla="4h",
        start=dt.date(2025, 11, 24), days=47, pool=900, visitor_langs=[("sv", 0.93), ("en", 0.04), ("fi", 0.03)],
        posts_per_day={0: 1, 1: 1, 2: 1, 3: 1, 4: 1.2}, post_hours=[8, 9, 10, 11, 13, 14, 15],
        comments_per_post=14, dms_per_day=5, apps=[("Hootsuite", 6), ("Meta Business Suite", 3)],
        admins=["Linda Nyström", "Ola Berglund"], sig_names=["Linda", "Ola", "Fatima"], sig_fmt="//{s}",
        items={"sv": ["hörlurarna", "robotdammsugaren", "TV:n på 55 tum", "laddkabeln", "kaffemaskinen", "mobilskalet"],
               "en": ["the headphones", "the robot vacuum"], "fi": ["hörlurarna", "kaffemaskinen"]},
        places=["Luleå", "Piteå", "Boden", "Kiruna"],
        qa=[("Hinner paketet fram till Kiruna före jul om jag beställer idag?", "Beställer du senast 18 december ska det hinna fram."),
            ("Har ni robotdammsugaren i lager i Piteå?", "Ja, några stycken finns i Piteå just nu."),
            ("Gäller prisgarantin även på mellandagsrean?", "Ja, prisgarantin gäller i 30 dagar från köpet."),
            ("Kan jag byta julklappen utan kvitto?", "Med presentkvitto går det bra, annars hittar vi köpet om du har kortet."),
            ("När öppnar ni efter jul?", "Butikerna öppnar 27 december, kundtjänst är tillbaka 29 december.")],
        post_texts=["Black Week: upp till 30 % på hörlurar 🎧", "Julklappstips: kaffemaskinen som gör allt.",
                    "Sista beställningsdag för leverans före jul: 18 december.", "Mellandagsrea från 27 december!",
                    "Tips: så laddar du mobilen rätt i kyla.", "Nu finns vi även i Kiruna.", "Robotdammsugaren är tillbaka i lager.",
                    "Öppet köp på julklappar till 31 januari.", "Ny 55-tums TV till kampanjpris.", "Tack för ett fint år, vi ses 2026!"],
    )
    s = Sim(p)
    a = loc(s, "2025-12-23 13:00")
    b = loc(s, "2025-12-29 10:40")
    s.blackouts.append((a, b, {"comment", "dm", "post"}))
    s.ordinary()
    r = s.rng
    ny = s.ordinary_post(loc(s, "2026-01-01 00:00") + TD(seconds=31), "Gott nytt år från oss alla på Elbutiken! 🎆 Tack för 2025.",
                         eng=2.5, app="Hootsuite", admin=p["admins"][0])
    # Christmas-delivery worries on the 23rd
    v_q = ["Mitt paket har stått i Boden sedan i fredag. Kommer det före jul?", "Hej! Spårningen har inte uppdaterats sedan i söndags. Kan ni kolla order 448213?",
           "Jag har fått fel färg på hörlurarna, hinner ni skicka nya före jul?", "Kan man hämta en beställning i butiken i Luleå på julafton?",
           "Varför kom inte min leverans idag som utlovat?"]
    lastpost = [x for x in s.posts if x[0] < a][-1][1]
    t = loc(s, "2025-12-23 13:05")
    for q in v_q:
        t += TD(seconds=r.randint(600, 1800))
        v = s.visitor("sv")
        cid = s.comment(t, v, lastpost, q)
        s.page_reply(t, lastpost, cid, v, "question", "Förlåt det sena svaret över helgerna! Skicka ordernumret i PM så kollar vi direkt.")
    for i in range(6):
        t = loc(s, "2025-12-23 13:30") + TD(seconds=r.randint(0, 3 * 3600))
        s.dm(t, v=s.visitor("sv"), text=s.fill(r.choice(T.BANK["sv"]["dm_q"]), "sv"), asks=True)
    s.finalize()
    inc, br = sla_incident(s, a, b)
    traps = [trap(s, "holiday_closed", loc(s, "2025-12-24 00:00"), loc(s, "2025-12-28 23:59"), "info", ["sla"]),
             trap(s, "scheduled_midnight_post", loc(s, "2025-12-31 23:59"), loc(s, "2026-01-01 09:00"), "warning", ["hijack"]),
             trap(s, "new_year_greetings", loc(s, "2026-01-01 00:00"), loc(s, "2026-01-01 14:00"), "info", ["crisis"])]
    return s, [inc], traps, ("Swedish electronics retailer staffed weekdays 08-17. Delivery questions left unanswered from the "
                            "afternoon of 23 December; julafton, juldagen, annandagen and the weekend are closed, so the staffed-time "
                            "SLA only runs out on Monday 29 December. Also an ordinary scheduled midnight New Year greeting.")


def rt14():
    p = prof(
        key="kanal_norr_play", name="Kanal Norr Play", short="Kanal Norr", seed=7114, page_num="107718820034456",
        tz="Europe/Stockholm", lang="sv", staffed={"mon-sun": "08:00-22:00"}, holidays=None, sla="2h",
        start=dt.date(2025, 2, 3), days=40, pool=3000, visitor_langs=[("sv", 0.92), ("en", 0.04), ("fi", 0.04)],
        posts_per_day={0: 3, 1: 3, 2: 3, 3: 3, 4: 3.5, 5: 3, 6: 3}, post_hours=[8, 10, 12, 14, 16, 18, 19, 20, 21],
        comments_per_post=32, dms_per_day=12, visitor_posts_per_day=0.5, react_ratio=(2.0, 3.5),
        apps=[("Sprout Social", 7), ("Meta Business Suite", 2)], admins=["Emma Lindahl", "Robin Nordqvist", "Sara Pekkala"],
        sig_names=["Emma", "Robin", "Sara", "Kim"], sig_fmt="/{s}", post_on_holidays=True,
        items={"sv": ["Sångkampen", "dokumentärserien", "appen", "Premium-abonnemanget", "live-sändningen", "deckaren"],
               "en": ["the app", "the documentary"], "fi": ["appen", "Sångkampen"]},
        places=["Luleå", "Umeå", "Sundsvall", "Östersund"],
        qa=[("Varför laggar appen på Apple TV?", "Vi har släppt en uppdatering idag, starta om appen så ska det flyta bättre."),
            ("Kan man se Sångkampen i efterhand?", "Ja, alla avsnitt ligger i appen i 30 dagar."),
            ("Hur säger jag upp Premium?", "Under Konto i appen väljer du Abonnemang och Avsluta."),
            ("När kommer nästa säsong av deckaren?", "Inspelningen pågår, premiär till hösten!"),
            ("Går det att rösta via appen?", "Ja, röstningen öppnar när sista artisten har sjungit.")],
        post_texts=["Ikväll 20.00: deltävling 3 i Sångkampen 🎤", "Ny dokumentärserie om fjällen – alla avsnitt ute nu.",
                    "Vilken låt var kvällens bästa?", "Bakom kulisserna i Sundsvall.", "Veckans tips i appen.",
                    "Snart är det final! Vilka tror ni går vidare?", "Premium: 30 dagar gratis för nya tittare.",
                    "Ny deckare från Umeå på fredag.", "Live nu: presskonferens inför finalen.", "Tack för alla röster igår!"],
    )
    s = Sim(p)
    e0 = loc(s, "2025-03-08 20:41") + TD(seconds=6)
    e1 = loc(s, "2025-03-08 23:52") + TD(seconds=40)
    s.outages.append((e0, e1))
    s.ordinary()
    r = s.rng
    fin = loc(s, "2025-03-08 19:55")
    fp = s.ordinary_post(fin, "NU KÖR FINALEN! 🎤✨ Vem vinner Sångkampen 2025? Skriv din favorit här!", eng=1.0, app="Sprout Social",
                         admin=p["admins"][0])
    def fin_text(v):
        x = r.random()
        if v["lang"] == "sv" and x < 0.85:
            return "praise", r.choice(["Heja Mira!! 🔥", "Jonatan tar det här", "Vilken start på finalen", "Gåshud 😭", "Mira vinner, inga tvivel",
                                       "Röstat 10 gånger redan", "Låten från Kiruna är ju bäst", "Bästa finalen någonsin", "Hela familjen tittar 📺",
                                       "Duetten alltså ❤️", "Juryn kommer ge Elias 12", "Ljudet är lite lågt men wow", "Äntligen final!!"]), None
        return s.visitor_text(v)
    s.visitors_on_post(fp, fin, 900, 2500, scale_h=0.6, text_fn=fin_text)
    t = e0
    codes = [(4, "(#4) Application request limit reached", 600), (32, "(#32) Page request limit reached", 900)]
    i = 0
    while t < e1 - TD(minutes=5):
        c = codes[0] if i % 3 != 2 else codes[1]
        s.source_error(t, c[0], c[1], c[2])
        t += TD(seconds=c[2] + r.randint(5, 40))
        i += 1
    s.source_recovered(e1)
    s.finalize()
    inc = [incident(s, "health_rate_limit", "health", e0, e1, "warning", 900)]
    traps = [trap(s, "tv_final_spike", fin, loc(s, "2025-03-08 23:59"), "info", ["crisis"])]
    return s, [*inc], traps, ("Large Swedish streaming/TV page (staffed 08-22 every day). During a song-contest final the page floods "
                             "with happy comments, then polling hits Graph API rate limits (codes 4 and 32, retried every "
                             "10-15 min) and the page is blind from 20:41 to 23:52.")


def rt15():
    p = prof(
        key="strikkeboden", name="Strikkeboden Aarhus", short="Strikkeboden", seed=7115, page_num="102084477391530",
        tz="Europe/Copenhagen", lang="da", staffed={"mon-fri": "09:00-16:00"}, holidays="DK", sla="8h",
        start=dt.date(2025, 9, 15), days=40, pool=160, visitor_langs=[("da", 0.93), ("sv", 0.04), ("no", 0.03)],
        posts_per_day={0: 0.6, 1: 0.6, 2: 0.7, 3: 0.6, 4: 0.6, 5: 0.2}, post_hours=[9, 10, 11, 13, 15],
        comments_per_post=6, dms_per_day=0.7, visitor_posts_per_day=0.05, react_ratio=(2.5, 4),
        apps=[("Meta Business Suite", 4), ("Facebook for iPhone", 3)], admins=["Hanne Bech", "Maja Bech"], sig_names=["Hanne", "Maja"],
        sig_fmt="Kh {s}",
        items={"da": ["alpakagarnet", "strikkepindene", "opskriften på sweateren", "mohairgarnet", "strikkecaféen"],
               "sv": ["alpackagarnet"], "no": ["alpakkagarnet"]},
        places=["Aarhus", "butikken i Mejlgade", "Silkeborg"],
        qa=[("Har I alpakagarnet i lyseblå?", "Ja, vi har fået det hjem igen i tre blå nuancer."),
            ("Hvornår er der strikkecafé næste gang?", "Torsdag kl. 17–20 i butikken, alle er velkomne."),
            ("Kan man købe opskriften som pdf?", "Ja, den ligger i webshoppen og sendes straks på mail."),
            ("Sender I til Norge?", "Ja, vi sender til hele Norden.")],
        post_texts=["Nyt mohairgarn i efterårsfarver 🍂", "Strikkecafé på torsdag – tag naboen med!", "Dagens farve: rust.",
                    "Gratis opskrift på hue til efterårsferien.", "Vi har fået alpakagarn hjem igen.", "Så fine sweatre I strikker 🧶"],
    )
    s = Sim(p)
    e0 = loc(s, "2025-10-10 16:52") + TD(seconds=19)
    e1 = loc(s, "2025-10-13 09:35") + TD(seconds=2)
    s.outages.append((e0, e1))
    s.ordinary()
    r = s.rng
    t = e0
    while t < e1:
        s.source_error(t, 200, "(#200) Requires pages_read_engagement permission to manage the object", None)
        t += TD(hours=r.choice([3, 4, 6]), seconds=r.randint(0, 600))
    s.source_recovered(e1)
    s.finalize()
    inc = [incident(s, "health_permission_lost", "health", e0, e1, "warning", 900)]
    return s, inc, [], ("Tiny Aarhus yarn shop: silence is normal here at night and at weekends. On Friday 16:52 the app's "
                       "permission is removed by mistake (code 200, repeated every few hours) and the page stays unread until "
                       "Monday 09:35.")


BUILDERS = [("rt11-fiberlinja-inbox-backlog", rt11), ("rt12-cykelsmeden-saturday-sla", rt12),
            ("rt13-elbutiken-christmas-holiday-sla", rt13), ("rt14-kanalnorr-rate-limit-final", rt14),
            ("rt15-strikkeboden-permission-lost-weekend", rt15)]
