# -*- coding: utf-8 -*-
"""Quiet-but-tricky scenarios rt16-rt20: no incident, only traps."""
import datetime as dt

from common import prof, loc, iso, crisis, incident, trap, poisson, Sim, TD, ALL_TASKS
import texts as T


def rt16():
    p = prof(
        key="gron_gaffel", name="Grøn Gaffel", short="Grøn Gaffel", seed=7116, page_num="105561093384472",
        tz="Europe/Copenhagen", lang="da", staffed={"mon-fri": "08:30-16:00"}, holidays="DK", sla="6h",
        start=dt.date(2025, 3, 3), days=40, pool=1400, visitor_langs=[("da", 0.9), ("sv", 0.05), ("en", 0.05)],
        posts_per_day={0: 0.8, 1: 0.8, 2: 0.9, 3: 0.8, 4: 0.8, 5: 0.2}, post_hours=[9, 10, 11, 12, 13, 14],
        comments_per_post=16, dms_per_day=2, apps=[("Meta Business Suite", 6), ("Later", 2)],
        admins=["Sofie Dalgaard", "Nikolaj Berg"], sig_names=["Sofie", "Nikolaj", "Ida"], sig_fmt="/{s}",
        items={"da": ["den plantebaserede hakket", "havredrikken", "veggie-pølserne", "falafelen", "bønnebøfferne"],
               "sv": ["färsen", "havredrycken"], "en": ["the plant mince", "the oat drink"]},
        places=["Netto", "Føtex", "Bilka", "Irma", "Rema 1000"],
        qa=[("Er hakket glutenfri?", "Ja, den er glutenfri og lavet på ærte- og bønneprotein."),
            ("Kan man fryse den?", "Ja, den kan fryses og holder sig i 3 måneder."),
            ("Hvornår kommer den i Rema 1000?", "Vi forventer at være i Rema 1000 fra maj."),
            ("Hvor meget protein er der i 100 g?", "Der er 19 g protein pr. 100 g."),
            ("Sælger I den i Sverige?", "Ikke endnu, men vi arbejder på det!")],
        post_texts=["Mandagsret: bønnebøffer med ovnkartofler 🌱", "Vidste du, at vores havre dyrkes på Fyn?",
                    "Opskrift: grøn lasagne til hele familien.", "Tak for alle jeres fine billeder i weekenden!",
                    "Falafel i pitabrød – hverdagens hurtigste aftensmad.", "Vi er på madmessen i Bella Center på lørdag."],
    )
    s = Sim(p)
    s.ordinary()
    r = s.rng
    t0 = loc(s, "2025-03-25 10:00") + TD(seconds=2)
    pid = s.page_post(t0, "DEN ER HER! 🎉🌱 Vores nye plantebaserede hakket er i alle Netto, Føtex og Bilka fra i dag. Fortæl os, hvad I laver med den!",
                      app="Meta Business Suite", admin=p["admins"][0], ptype="video")
    happy = ["Endelig!! Har ventet på den her", "Købt! Lavede kødsovs i aftes og ungerne opdagede intet 😂", "Den bedste plantefars jeg har smagt",
             "Fandt den i Føtex i Vejle 🙌", "Min mand er kødelsker og han sagde den var god. Det siger alt", "Tacos i aften med jeres hakket 🌮",
             "Så vild med at den er dansk", "Endelig et alternativ der ikke smager af pap", "Tillykke med lanceringen!", "@Line Holm den SKAL du prøve",
             "Lasagne med den her = 10/10", "Prisen er også fair, godt gået", "Udsolgt i Bilka Hillerød allerede 😅", "Suveræn konsistens",
             "Jeg er helt solgt", "Glæder mig til at prøve den", "🌱🌱🌱", "Det her er fremtiden"]
    def launch_text(v):
        if v["lang"] != "da":
            return s.visitor_text(v)
        x = r.random()
        if x < 0.15:
            q, a = r.choice(p["qa"])
            return "question", q, a
        if x < 0.2:
            return "complaint", r.choice(["Ikke på hylden i Netto i Odense endnu", "Lidt for salt til min smag",
                                          "Ærgerligt med plastemballagen"]), None
        return "praise", r.choice(happy), None
    s.visitors_on_post(pid, t0, 520, 1600, scale_h=3.5, text_fn=launch_text,
                       reaction_mix=[("like", 55), ("love", 38), ("wow", 5), ("haha", 2)])
    for _ in range(14):
        tv = t0 + TD(seconds=r.randint(1800, 30 * 3600))
        s.visitor_post(tv)
    s.finalize()
    traps = [trap(s, "launch_spike", t0, loc(s, "2025-03-26 20:00"), "info", ["crisis"])] + s.dst_traps(None)
    return s, [], traps, ("Danish plant-food brand. A happy product-launch post brings about 30x the page's usual comments and "
                         "reactions within hours (love reactions, tagging, questions that the team answers). Also the March DST weekend.")


def rt17():
    p = prof(
        key="toppturbutikken", name="Toppturbutikken", short="Toppturbutikken", seed=7117, page_num="103228891047760",
        tz="Europe/Oslo", lang="no", staffed={"mon-fri": "10:00-18:00", "sat": "10:00-16:00"}, holidays="NO", sla="6h",
        start=dt.date(2025, 10, 27), days=40, pool=1600, visitor_langs=[("no", 0.92), ("sv", 0.05), ("en", 0.03)],
        posts_per_day={0: 1, 1: 1, 2: 1, 3: 1, 4: 1.2, 5: 0.7, 6: 0.2}, post_hours=[10, 11, 12, 13, 14, 15, 16, 17],
        comments_per_post=15, dms_per_day=3, apps=[("Meta Business Suite", 7), ("Facebook for iPhone", 2)],
        admins=["Vegard Lunde", "Marte Solheim"], sig_names=["Vegard", "Marte", "Even"], sig_fmt="/{s}",
        items={"no": ["randoneeskiene", "skredsekken", "fellene", "ullundertøyet", "hodelykta", "skiskoene"],
               "sv": ["skidorna", "lavinryggsäcken"], "en": ["the touring skis", "the avalanche pack"]},
        places=["Tromsø", "Lyngen", "nettbutikken", "Narvik"],
        qa=[("Har dere skredsekker til utleie?", "Ja, vi leier ut skredsekker for 250 kr per døgn i Tromsø."),
            ("Monterer dere bindinger samme dag?", "Leverer du før kl. 12, er de klare til stenging."),
            ("Hvilke feller passer til 110 mm skibredde?", "Vi anbefaler 110–115 mm feller, vi kutter dem til for deg."),
            ("Er det skredkurs i desember?", "Ja, 13.–14. desember i Lyngen, påmelding i butikken.")],
        post_texts=["Første snøen i Lyngsalpene ❄️ Er dere klare?", "Skredkurs i desember – få plasser igjen.",
                    "Nye randoneeski i butikken i Tromsø.", "Sjekk skredvarselet før du går, alltid.", "Hodelykter på tilbud denne uka.",
                    "Kveldstur med hodelykt – noe av det fineste vi vet."],
    )
    s = Sim(p)
    s.ordinary()
    r = s.rng
    s.ordinary_post(loc(s, "2025-11-17 11:00") + TD(seconds=12),
                    "På fredag kl. 12 starter vinterens store konkurranse 🎉 Vi trekker et komplett toppturoppsett verdt 25 000 kr. Følg med!",
                    eng=1.6, app="Meta Business Suite", admin=p["admins"][0])
    t0 = loc(s, "2025-11-21 12:00") + TD(seconds=1)
    pid = s.page_post(t0, "KONKURRANSE 🎿 Vinn komplett toppturoppsett (ski, feller, bindinger og skredsekk)! Lik innlegget og tagg hvem du vil ha med på tur. Vinneren trekkes mandag. Regler: https://www.toppturbutikken.no/konkurranse",
                      app="Meta Business Suite", admin=p["admins"][1], ptype="photo")
    def contest_text(v):
        f = s.visitor()
        x = r.random()
        if v["lang"] != "no":
            return "tag", f"@{f['name']} 🎿", None
        if x < 0.05:
            return "question", r.choice(["Må man bo i Norge for å delta?", "Kan man delta flere ganger?"]), \
                   "Konkurransen er åpen for alle over 18 med adresse i Norge, og du kan delta én gang."
        return "tag", r.choice(["@{f} denne må vi vinne!", "@{f} tenk så gøy i Lyngen 🙌", "Deltar! @{f}", "@{f} @{g} toppturgjengen!",
                                "Krysser fingrene 🤞 @{f}", "Drømmepremie! @{f}", "@{f} neste vinter er det oss"]).replace(
            "{f}", f["name"]).replace("{g}", s.visitor()["name"]), None
    s.visitors_on_post(pid, t0, 1500, 3200, scale_h=5.0, text_fn=contest_text,
                       reaction_mix=[("like", 75), ("love", 22), ("wow", 3)])
    tb = loc(s, "2025-11-26 10:32") + TD(seconds=48)
    s.ordinary_post(tb, "Nå kan du booke skismøring på nett! Levér før 12, hent dagen etter.", eng=1.0, app="Buffer", admin=p["admins"][1])
    winner = s.visitor("no")
    s.ordinary_post(loc(s, "2025-11-24 12:05"), f"Gratulerer til {winner['name']}, som vant toppturoppsettet! Takk til alle som var med 🎉",
                    eng=1.2, app="Meta Business Suite", admin=p["admins"][1])
    s.finalize()
    traps = [trap(s, "contest_spike", t0, loc(s, "2025-11-23 23:59"), "info", ["crisis"]),
             trap(s, "new_app_daytime", tb, tb, "warning", ["hijack"])]
    return s, [], traps, ("Norwegian ski-touring shop. A giveaway announced four days ahead turns into a weekend flood of "
                         "tag-a-friend comments (over 20x normal) and a scheduling app never used before (Buffer) posts one "
                         "ordinary post in office hours.")


def rt18():
    p = prof(
        key="ik_alvsby", name="IK Älvsby Fotboll", short="IK Älvsby", seed=7118, page_num="100664719902883",
        tz="Europe/Stockholm", lang="sv", staffed={"mon-thu": "17:00-21:00", "sat-sun": "12:00-18:00"}, holidays="SE",
        sla="24h", start=dt.date(2025, 5, 19), days=40, pool=1100, visitor_langs=[("sv", 0.97), ("en", 0.03)],
        posts_per_day={0: 0.6, 1: 0.8, 2: 0.7, 3: 0.8, 4: 0.6, 5: 0.5, 6: 0.3}, post_hours=[12, 16, 17, 18, 19, 20],
        comments_per_post=10, dms_per_day=1.2, apps=[("Facebook for iPhone", 5), ("Meta Business Suite", 4)],
        admins=["Roger Lindström", "Sanna Hägg"], sig_names=["Roger", "Sanna"], sig_fmt="/{s}, IKÄ",
        items={"sv": ["säsongskortet", "matchtröjan", "halsduken", "korven i kiosken", "ungdomslägret"], "en": ["the shirt"]},
        places=["Älvsby IP", "kansliet", "kiosken", "Piteå"],
        qa=[("Finns matchtröjan i barnstorlekar?", "Ja, från 120 cl, den finns på kansliet och i webbshopen."),
            ("När börjar ungdomslägret?", "Lägret är 30 juni–4 juli, anmälan på hemsidan."),
            ("Kan man köpa biljett vid entrén?", "Ja, kortbetalning och Swish vid entrén från en timme innan avspark."),
            ("Sänds matchen på webben?", "Ja, alla hemmamatcher sänds på vår Youtube-kanal.")],
        post_texts=["Matchdag! Avspark 15.00 på Älvsby IP ⚽", "Ungdomslägret närmar sig – några platser kvar.",
                    "Tack till alla ideella i kiosken i helgen 💛", "Träningsmatch på onsdag mot Piteå.",
                    "Säsongskort säljs på kansliet.", "Grattis till P14 som vann cupen!"],
    )
    s = Sim(p)
    s.ordinary()
    r = s.rng
    neg = ["Tränaren måste bort, samma misstag varje match", "Skandalöst domslut i 80:e", "Varför byter han aldrig i tid",
           "Mittfältet fanns inte idag", "Försvaret var rent bedrövligt", "Vi förtjänade inte ens oavgjort", "Domaren borde aldrig döma här igen",
           "Trött på att höra om 'uppbyggnadsår'", "Straffen var solklar, skämt", "Sälj anfallaren, han vill ändå inte vara här",
           "Ni som klagar kan väl ställa upp och träna då", "Sluta gnälla, laget gör sitt bästa", "Vi är ett litet lag, ha lite perspektiv",
           "Supportrarna var bäst på plan idag", "Heja Älvsby oavsett 💛🖤", "Bra kämpat grabbar, nästa match tar vi",
           "Nummer 7 var lagets bästa, igen", "Hur kan man missa den där friläget...", "Nu får styrelsen vakna", "Helt ok match tills rött kort",
           "Jag har följt klubben i 40 år, vi har varit med om värre", "Snacka om dålig planering inför andra halvlek"]
    def match_text(v):
        if v["lang"] != "sv":
            return s.visitor_text(v)
        x = r.random()
        if x < 0.03:
            q, a = r.choice(p["qa"])
            return "question", q, a
        if x < 0.12:
            f = s.visitor()
            return "tag", r.choice(["@{f} vad sa jag", "@{f} hörde du domaren", "@{f} ses på nästa hemmamatch"]).replace("{f}", f["name"]), None
        return "complaint" if x < 0.6 else "neutral", r.choice(neg), None
    # match-result posts every Sunday (heated debates are the page's normal)
    matches = [("2025-05-25", "Slut: Älvsby 1–2 Bodens BK. Tung förlust i derbyt inför 900 åskådare.", 130),
               ("2025-06-01", "Slut: Älvsby 0–0 Kalix. En poäng efter en tät match.", 70),
               ("2025-06-08", "Slut: Luleå SK 3–1 Älvsby. Vi får ta nya tag.", 95),
               ("2025-06-15", "Slut: Älvsby 0–3 Piteå IF. En tung eftermiddag i derbyt, inget att skylla på. Nu blickar vi framåt.", 150),
               ("2025-06-22", "Slut: Älvsby 2–0 Sunnanå. Första segern på länge!", 60)]
    t_derby = None
    for d, msg, n in matches:
        t = loc(s, d + " 17:10") + TD(seconds=r.randint(0, 300))
        pid = s.page_post(t, msg, app="Facebook for iPhone", admin=p["admins"][0], ptype="photo")
        s.visitors_on_post(pid, t, n, int(n * 1.6), scale_h=1.6, text_fn=match_text,
                           reaction_mix=[("like", 35), ("sad", 20), ("angry", 18), ("haha", 10), ("love", 10), ("wow", 7)])
        if d == "2025-06-15":
            t_derby = t
    s.finalize()
    traps = [trap(s, "heated_debate", t_derby, loc(s, "2025-06-15 23:59"), "info", ["crisis"]),
             trap(s, "holiday_closed", loc(s, "2025-06-20 00:00"), loc(s, "2025-06-21 23:59"), "info", ["sla"])]
    return s, [], traps, ("Swedish local football club run by volunteers (staffed evenings and weekend afternoons, 24 h SLA). "
                         "Every match-result post turns into a heated fan debate; after a 0-3 derby loss on 15 June the debate "
                         "is the largest yet but no bigger in kind than the earlier derby. Midsommarafton is closed.")


def rt19():
    p = prof(
        key="sjobris_rosteri", name="Sjöbris Kafferosteri", short="Sjöbris", seed=7119, page_num="109903771284425",
        tz="Europe/Helsinki", lang="sv", staffed={"mon-fri": "08:00-16:00"}, holidays="FI", sla="8h",
        start=dt.date(2025, 9, 1), days=40, pool=260, visitor_langs=[("fi", 0.7), ("en", 0.3)], en_names_local="fi", qa_lang="fi",
        posts_per_day={0: 0.7, 1: 0.7, 2: 0.8, 3: 0.7, 4: 0.7}, post_hours=[8, 9, 10, 11, 13, 14],
        comments_per_post=8, dms_per_day=0.8, apps=[("Meta Business Suite", 6), ("Instagram", 2)],
        admins=["Anders Sundqvist", "Pia Westerlund"], sig_names=["Anders", "Pia"], sig_fmt="/{s}",
        items={"sv": ["Skärgårdsblandningen", "espressobönorna", "kaffeprenumerationen", "bryggkursen", "den etiopiska bönan"],
               "en": ["the espresso beans", "the subscription"]},
        places=["Åbo", "rosteriet i Pargas", "Helsingfors", "Nagu"],
        qa=[("Moi! Kan man köpa bönorna malda för bryggare?", "Ja, välj malningsgrad i webbutiken så maler vi samma dag."),
            ("Hur ofta skickas prenumerationen?", "Varannan vecka eller en gång i månaden, du väljer själv."),
            ("Finns det koffeinfritt?", "Ja, vår koffeinfria Colombia rostas varje torsdag."),
            ("Har ni öppet i rosteriet på lördag?", "Nej, men webbutiken är öppen och vi skickar på måndag.")],
        post_texts=["Nyrostad Skärgårdsblandning ute nu ☕", "Bryggkurs i Pargas i oktober – anmäl dig!",
                    "Höstens nyhet: en fruktig böna från Etiopien.", "Tack för besöket, Nagu hembygdsförening!",
                    "Så här förvarar du kaffet bäst.", "Vi rostar i små satser varje tisdag och torsdag."],
    )
    s = Sim(p)
    anders, pia = p["admins"]
    tove = (s._uid(), "Tove Grönroos")
    # Tove signs replies from the day she starts
    s.ordinary()
    r = s.rng
    t0 = loc(s, "2025-09-23 09:40") + TD(seconds=15)
    s.role(t0, "role.granted", anders, tove, ["CREATE_CONTENT", "MODERATE", "MESSAGING"])
    s.ordinary_post(loc(s, "2025-09-23 10:30") + TD(seconds=5), "Välkommen Tove! 💛 Från och med idag svarar Tove på era frågor här och sköter vår webbutik.",
                    eng=1.8, app="Meta Business Suite", admin=anders)
    s.p["sig_names"] = ["Anders", "Pia", "Tove", "Tove"]
    s.ordinary_post(loc(s, "2025-09-23 13:12") + TD(seconds=44), "Hej allihopa, Tove här! Första inlägget: vad ska vi rosta till jul? Kom med förslag ☕",
                    eng=1.5, app="Facebook for Android", admin=tove)
    t1 = loc(s, "2025-09-25 14:10") + TD(seconds=3)
    s.role(t1, "role.changed", anders, tove, ["CREATE_CONTENT", "MODERATE", "MESSAGING", "ANALYZE"],
           prev=["CREATE_CONTENT", "MODERATE", "MESSAGING"])
    s.ordinary_post(loc(s, "2025-09-26 09:05") + TD(seconds=20), "Fredagsfika i rosteriet i Pargas idag kl. 14, alla välkomna!",
                    eng=1.0, app="Facebook for Android", admin=tove)
    s.finalize()
    traps = [trap(s, "legit_role_grant", t0, loc(s, "2025-09-26 09:05") + TD(seconds=20), "warning", ["hijack"])]
    return s, [], traps, ("Small Finland-Swedish coffee roastery (Helsinki time, FI holidays). The owner adds a new employee with "
                         "content, moderation and messaging rights at 09:40 on a Tuesday, announces her, and she posts from a phone "
                         "app the page has never used; two days later ANALYZE is added. Nothing malicious.")


def rt20():
    p = prof(
        key="hygge_home", name="Hygge Home Ltd", short="Hygge Home", seed=7120, page_num="106639928810054",
        tz="Europe/London", lang="en", staffed={"mon-fri": "09:00-17:00"}, holidays="GB", sla="24h",
        start=dt.date(2025, 5, 12), days=40, pool=600, visitor_langs=[("en", 0.95), ("da", 0.05)],
        posts_per_day={0: 1, 1: 0.8, 2: 1, 3: 0.8, 4: 1, 5: 0.3}, post_hours=[9, 10, 11, 12, 14, 15, 16],
        comments_per_post=12, dms_per_day=1.5, apps=[("Meta Business Suite", 5), ("Later", 3)],
        admins=["Sarah Bennett", "Mads Holt"], sig_names=["Sarah", "Mads", "Jo"], sig_fmt="– {s}",
        items={"en": ["the linen throws", "the candle holders", "the oak stools", "the wool rugs", "the ceramic mugs"],
               "da": ["lysestagerne", "uldtæpperne"]},
        places=["Brighton", "York", "Islington", "the online shop"],
        qa=[("Do the linen throws come in sage?", "They do! Sage and oatmeal are both back in stock."),
            ("Do you deliver to the Isle of Man?", "Yes, standard delivery takes 5–7 working days there."),
            ("Are your candles soy wax?", "Yes, 100% soy with cotton wicks."),
            ("Will my old gift card still work after the rename?", "Yes, all gift cards and accounts carry over unchanged.")],
        post_texts=["Slow Sunday energy: linen, tea, a good book.", "New: hand-thrown ceramic mugs from a Devon potter.",
                    "Our York shop turns 5 this week 🎂", "Summer rugs are in – light wool, big colours.",
                    "How to style an oak stool three ways.", "Bank holiday hours: shops open 10–4, support back Tuesday."],
    )
    s = Sim(p)
    s.ordinary()
    r = s.rng
    sarah, mads = p["admins"]
    s.ordinary_post(loc(s, "2025-06-02 11:00") + TD(seconds=9),
                    "Big news 💛 Next Monday, 9 June, Hygge Home becomes Hygge & Co. Same people, same shops, new name and a new website (hyggeandco.com). Your orders, accounts and gift cards all carry over.",
                    eng=2.0, app="Meta Business Suite", admin=sarah)
    t0 = loc(s, "2025-06-09 10:02") + TD(seconds=14)
    s.page_change(t0, sarah, "name", "Hygge Home Ltd", "Hygge & Co")
    s.page_change(t0 + TD(minutes=1, seconds=20), sarah, "username", "hyggehomeltd", "hyggeandco")
    s.page_change(t0 + TD(minutes=3, seconds=2), sarah, "website", "https://www.hyggehome.co.uk", "https://www.hyggeandco.com")
    s.page_change(t0 + TD(minutes=4, seconds=40), sarah, "picture", "https://scontent.xx.fbcdn.net/v/hh_logo.jpg",
                  "https://scontent.xx.fbcdn.net/v/hco_logo.jpg")
    s.page_change(t0 + TD(minutes=6, seconds=5), sarah, "about", "Scandi-inspired homeware since 2014. Shops in Brighton, York and Islington.",
                  "Hygge & Co (formerly Hygge Home). Scandi-inspired homeware since 2014. Shops in Brighton, York and Islington.")
    t1 = t0 + TD(minutes=13)
    s.ordinary_post(t1, "Hello from Hygge & Co! 👋 Same team, new name. Have a look around our new home: https://www.hyggeandco.com/our-story",
                    eng=2.2, app="Meta Business Suite", admin=sarah)
    s.finalize()
    # events after the rename carry the new page name
    traps = [trap(s, "legit_rename", t0, t1 + TD(hours=2), "warning", ["hijack"])]
    return s, [], traps, ("London homeware shop. A rename announced a week ahead is carried out on a Monday at 10:02 by the usual "
                         "admin: name, username, website (a domain never linked before), picture and about, followed by a post "
                         "linking the new domain.")


BUILDERS = [("rt16-gron-gaffel-launch-flood", rt16), ("rt17-toppturbutikken-announced-contest", rt17),
            ("rt18-ik-alvsby-heated-derby-debate", rt18), ("rt19-sjobris-new-team-member", rt19),
            ("rt20-hygge-planned-rename", rt20)]
