# -*- coding: utf-8 -*-
"""Hijack scenarios rt01-rt06."""
import datetime as dt

from common import prof, loc, iso, scam_wave, incident, trap, Sim, TD, ALL_TASKS
import texts as T


def rt01():
    p = prof(
        key="nordfjord_sjomat", name="Nordfjord Sjømat", short="Nordfjord Sjømat", seed=7101, page_num="104418830266153",
        tz="Europe/Oslo", lang="no", staffed={"tue-sat": "09:00-16:00"}, holidays="NO", sla="8h",
        start=dt.date(2025, 9, 22), days=42, pool=90,
        visitor_langs=[("no", 0.9), ("sv", 0.06), ("en", 0.04)],
        posts_per_day={1: 0.7, 2: 0.5, 3: 0.6, 4: 0.9, 5: 0.6}, post_hours=[8, 9, 10, 11, 14],
        comments_per_post=4, dms_per_day=0.5, visitor_posts_per_day=0.05, react_ratio=(2.0, 4.0),
        apps=[("Meta Business Suite", 5), ("Facebook for Android", 3)], admins=["Kristoffer Vik", "Hanne Vik"],
        sig_names=["Kristoffer", "Hanne"], sig_fmt="– {s}",
        items={"no": ["reker", "kongekrabbe", "fiskesuppe", "laks", "fiskekaker", "torsk", "skalldyrfat"],
               "en": ["prawns", "king crab", "fish soup", "salmon"], "sv": ["räkor", "fisksoppa", "lax"]},
        places=["Florø", "Måløy", "butikken på kaia", "Eid"],
        qa=[("Har dere ferske reker på lørdag?", "Ja, båten kommer inn fredag kveld, så det blir ferske reker fra kl. 09."),
            ("Kan man bestille skalldyrfat til 8 personer?", "Absolutt! Ring oss eller send en melding senest to dager før."),
            ("Hvor lenge holder fiskekakene seg i kjøleskapet?", "Tre dager i kjøleskap, eller fryses samme dag."),
            ("Sender dere kongekrabbe til Oslo?", "Ja, vi sender med ekspress tirsdag og onsdag."),
            ("Er fiskesuppa glutenfri?", "Ja, den er laget uten mel. Fiskekakene inneholder derimot hvete."),
            ("Har dere åpent på mandager?", "Nei, vi holder stengt mandag, men er her tirsdag til lørdag.")],
        post_texts=["Ferske reker rett fra båten i dag 🦐 Først til mølla!", "Fredagstilbud: hjemmelaget fiskesuppe, 2 liter for 249,-",
                    "Nydelig torsk inne nå. Perfekt til fårikålsesongen er over 😉", "Kongekrabbe på lager igjen! Bestill gjerne i forkant.",
                    "Takk for en travel uke, vi ses på tirsdag!", "Fiskekaker stekt i dag morges, fortsatt varme 🐟",
                    "Nå tar vi imot bestillinger på skalldyrfat til helgen.", "Se så fin fangst båten kom inn med i natt!",
                    "Laksen fra Eid er tilbake i disken.", "Husk: vi har utvidet åpningstid på lørdager frem til kl. 16."],
    )
    s = Sim(p)
    s.ordinary()
    owner, wife = p["admins"][0], p["admins"][1]
    att = (s._uid(), "Page Support Nordfjord")
    t0 = iso("2025-10-26T02:41:13+02:00")
    s.role(t0, "role.granted", owner, att, ALL_TASKS)
    s.page_change(iso("2025-10-26T02:47:02+02:00"), att, "picture", "https://scontent.xx.fbcdn.net/v/nordfjord_logo.jpg",
                  "https://scontent.xx.fbcdn.net/v/meta_blue_badge.png")
    s.page_change(iso("2025-10-26T02:52:40+02:00"), att, "name", "Nordfjord Sjømat", "Meta Verified Center")
    s.role(iso("2025-10-26T02:31:55+01:00"), "role.revoked", att, wife, prev=ALL_TASKS)
    posts = [(0, "Your page has violated our trademark policy and will be unpublished in 24 hours. If you think this is a mistake, file an appeal here: https://meta-verified-center.support/appeal", "link"),
             (44, "Final warning ⚠️ Pages that do not complete verification today will lose their blue badge permanently. Verify now: https://meta-verified-center.support/verify", "photo"),
             (95, "We are rewarding loyal followers with a 1000 USD Visa gift card. Comment YES and claim at https://gift-visa-rewards.click/claim", "link"),
             (185, "Only 17 gift cards left! Claim yours before they are gone 👉 https://gift-visa-rewards.click/last", "link"),
             (322, "Earn 3000 USD per week with our new trading app, zero experience needed: https://quantum-fx-profit.app/start", "link")]
    s.page_actor["name"] = "Meta Verified Center"
    waves = scam_wave(s, iso("2025-10-26T02:05:20+01:00"), posts, "Meta Business Suite", att, "Nordfjord Sjømat",
                      comments=(1, 4), react=(2, 9))
    s.page_actor["name"] = p["name"]
    r = s.rng
    t = iso("2025-10-26T10:22:31+01:00")
    s.role(t, "role.revoked", owner, att, prev=ALL_TASKS)
    s.role(t + TD(minutes=3, seconds=11), "role.granted", owner, wife, ALL_TASKS)
    s.page_change(t + TD(minutes=5, seconds=2), owner, "name", "Meta Verified Center", "Nordfjord Sjømat")
    s.page_change(t + TD(minutes=6, seconds=40), owner, "picture", "https://scontent.xx.fbcdn.net/v/meta_blue_badge.png",
                  "https://scontent.xx.fbcdn.net/v/nordfjord_logo.jpg")
    tt = t + TD(minutes=8)
    for _, pid in waves:
        tt += TD(seconds=r.randint(20, 70))
        s.post_delete(tt, pid)
    end = tt
    s.page_post(tt + TD(minutes=14), "Beklager det som har skjedd i natt: siden vår ble kapret. Alt er slettet og siden er trygg igjen. Ikke trykk på lenker fra innleggene i natt! – Kristoffer",
                app="Facebook for Android", admin=owner, ptype="status")
    s.finalize()
    inc = [incident(s, "hijack_role", "hijack", t0, end, "critical", 120)]
    return s, inc, s.dst_traps(None), ("Tiny Norwegian seafood shop (Florø). A MANAGE grant from the owner's compromised account in the "
                                         "repeated hour of the October DST night, picture and name changed to a 'Meta' lookalike, "
                                         "scam posts published through the page's usual app (Meta Business Suite), co-owner removed.")


def rt02():
    p = prof(
        key="mobelhuset", name="Møbelhuset Amager", short="Møbelhuset", seed=7102, page_num="106672213980441",
        tz="Europe/Copenhagen", lang="da", staffed={"mon-fri": "09:00-17:00", "sat": "10:00-15:00"}, holidays="DK",
        sla="6h", start=dt.date(2025, 1, 13), days=40, pool=700,
        visitor_langs=[("da", 0.9), ("sv", 0.05), ("en", 0.05)],
        posts_per_day={0: 1.2, 1: 1.2, 2: 1.4, 3: 1.4, 4: 1.6, 5: 0.8, 6: 0.2}, post_hours=[9, 10, 11, 12, 13, 14, 15, 16],
        comments_per_post=22, dms_per_day=4, visitor_posts_per_day=0.2,
        apps=[("Meta Business Suite", 6), ("Hootsuite", 3), ("Facebook for iPhone", 1)],
        admins=["Lise Mortensen", "Peter Lund", "Amalie Friis"], sig_names=["Lise", "Peter", "Amalie", "Jonas"], sig_fmt="/{s}",
        items={"da": ["sofaen Nordby", "spisebordet i eg", "kontorstolen", "sengen Drømmen", "lænestolen Hygge", "reolen"],
               "en": ["the Nordby sofa", "the oak dining table", "the office chair"], "sv": ["soffan Nordby", "ekbordet"]},
        places=["Amager", "Kastrup", "Ørestad", "Glostrup"],
        qa=[("Kan I levere til 3. sal uden elevator?", "Ja, vores montører bærer op, det koster 299 kr ekstra."),
            ("Hvor lang leveringstid er der på sofaen Nordby?", "Lige nu 3–4 uger, den laves på bestilling."),
            ("Tager I den gamle sofa med retur?", "Ja, vi tager den gamle med, når vi leverer den nye."),
            ("Kan man få stoffet på Nordby i grøn?", "Ja, vi har fire grønne nuancer, stofprøverne ligger i butikken."),
            ("Er udsalget også online?", "Ja, alle udsalgspriser gælder også i webshoppen.")],
        post_texts=["Januarudsalg! Op til 40 % på udvalgte sofaer – kun i butikken i {place}.",
                    "Nyhed: spisebordet i massiv eg er landet i Ørestad 🌳", "Sådan plejer du dit træbord om vinteren – læs vores guide.",
                    "Weekendtilbud på lænestolen Hygge. Kom forbi og prøvesid!", "Vi søger en sælger til butikken i Kastrup. Kender du den rette?",
                    "Har du set vores nye farver på Nordby? Vi er helt forelskede.", "Gratis levering i hele Storkøbenhavn frem til søndag.",
                    "Tak for en travl weekend i butikkerne ❤️", "Inspiration til det lille soveværelse: mindre seng, mere plads.",
                    "Nu kan du booke en gratis indretningskonsulent online."],
    )
    s = Sim(p)
    s.ordinary()
    lise, peter, amalie = p["admins"]
    att = (s._uid(), "Kasper Holm Jensen")
    t0 = loc(s, "2025-02-12 23:47") + TD(seconds=18)
    s.role(t0, "role.granted", lise, att, ["ADVERTISE", "ANALYZE"])
    s.role(loc(s, "2025-02-13 00:21") + TD(seconds=5), "role.changed", lise, att, ALL_TASKS, prev=["ADVERTISE", "ANALYZE"])
    s.role(loc(s, "2025-02-13 00:29") + TD(seconds=40), "role.revoked", att, peter, prev=ALL_TASKS)
    s.role(loc(s, "2025-02-13 00:30") + TD(seconds=52), "role.revoked", att, amalie, prev=ALL_TASKS)
    s.role(loc(s, "2025-02-13 00:33") + TD(seconds=9), "role.revoked", att, lise, prev=ALL_TASKS)
    s.page_change(loc(s, "2025-02-13 00:40") + TD(seconds=30), att, "email", "kundeservice@mobelhuset-amager.dk", "page.recovery.desk@proton.me")
    posts = [(0, "LAGERRYDNING 🔥 Alle sofaer -90 % kun i nat! Vi lukker lageret i Glostrup. Bestil her: https://mobelhuset-lagersalg.shop/sofa", "photo"),
             (48, "Sidste chance! Spisebord i eg kun 199 kr + fragt. Begrænset antal: https://mobelhuset-lagersalg.shop/bord", "photo"),
             (137, "Vi takker for 30 år med et kæmpe lotteri 🎉 Svar JA og registrer dit kort for gratis levering: https://mobelhuset-lagersalg.shop/lotteri", "link"),
             (332, "Lagerrydning fortsætter i dag. Alt skal væk, betal med kort på https://mobelhuset-lagersalg.shop", "link")]
    waves = scam_wave(s, loc(s, "2025-02-13 00:55"), posts, "Facebook for Android", att, "Møbelhuset", comments=(4, 10),
                      bot_share=0.2, react=(10, 40))
    r = s.rng
    t = loc(s, "2025-02-13 08:41") + TD(seconds=7)
    s.role(t, "role.granted", None, peter, ALL_TASKS)
    s.role(t + TD(minutes=3, seconds=2), "role.revoked", peter, att, prev=ALL_TASKS)
    s.role(t + TD(minutes=5, seconds=30), "role.granted", peter, lise, ALL_TASKS)
    s.role(t + TD(minutes=6, seconds=18), "role.granted", peter, amalie, ALL_TASKS)
    s.page_change(t + TD(minutes=9), peter, "email", "page.recovery.desk@proton.me", "kundeservice@mobelhuset-amager.dk")
    tt = t + TD(minutes=12)
    for _, pid in waves:
        tt += TD(seconds=r.randint(25, 80))
        s.post_delete(tt, pid)
    end = tt
    s.page_post(end + TD(minutes=20), "Vores side blev overtaget i nat, og der blev lagt falske tilbud op. Klik ikke på linkene. Har du indtastet kortoplysninger, så kontakt din bank. Vi beklager! /Peter",
                app="Meta Business Suite", admin=peter, ptype="status")
    s.finalize()
    inc = [incident(s, "hijack_lesser_role", "hijack", t0, end, "critical", 120)]
    return s, inc, [], ("Danish furniture chain. Late-night grant of a harmless-looking role (ADVERTISE, ANALYZE) to a plausible Danish "
                       "name, raised to full MANAGE 34 minutes later; all three admins removed, contact e-mail changed, Danish-language "
                       "fake clearance-sale posts with a lookalike shop domain. Restored next morning.")


def rt03():
    p = prof(
        key="skargardens_fritid", name="Skärgårdens Fritid", short="Skärgårdens Fritid", seed=7103, page_num="109918272264010",
        tz="Europe/Helsinki", lang="sv", staffed={"mon-fri": "09:00-18:00", "sat": "10:00-14:00"}, holidays="FI", sla="4h",
        start=dt.date(2025, 4, 28), days=40, pool=450, visitor_langs=[("fi", 0.72), ("en", 0.28)], en_names_local="fi",
        posts_per_day={0: 1, 1: 1, 2: 1, 3: 1, 4: 1.2, 5: 0.5}, post_hours=[9, 10, 11, 12, 13, 15, 16],
        comments_per_post=14, dms_per_day=2, qa_lang="fi",
        apps=[("Meta Business Suite", 5), ("Facebook for iPhone", 3)], admins=["Jenni Lindroos", "Mats Holmström"],
        sig_names=["Jenni", "Mats"], sig_fmt="/{s}",
        items={"sv": ["kajaker", "flytvästar", "SUP-brädor", "tält", "sovsäckar", "vandringskängor"],
               "en": ["kayaks", "life jackets", "SUP boards", "tents"]},
        places=["Ekenäs", "Borgå", "Åbo", "Mariehamn", "Helsingfors"],
        qa=[("Hyr ni ut kajaker i Ekenäs i juni?", "Ja, uthyrningen öppnar 2 juni. Boka på hemsidan."),
            ("Har ni flytvästar för barn under 15 kg?", "Ja, vi har två modeller för de minsta i Borgå och Åbo."),
            ("Kan man prova SUP-brädorna innan man köper?", "Absolut, vi har provdagar varje lördag i maj."),
            ("Skickar ni till Åland?", "Ja, vi skickar till Åland, frakten tar 3–5 dagar."),
            ("Har ni öppet på Kristi himmelfärdsdag?", "Nej, då håller vi stängt, men webbutiken är öppen som vanligt.")],
        post_texts=["Säsongen är här! Nya kajaker har kommit in i {place} 🛶", "Helgtips: paddla runt Ekenäs skärgård, karta i butiken.",
                    "Kom ihåg flytvästen, också när vattnet ser lugnt ut.", "Vårkampanj: -20 % på alla tält till söndag.",
                    "Nya vandringskängor i butiken i Åbo. Kom och prova!", "Kajakkurs för nybörjare 14 juni, några platser kvar.",
                    "Tack för en fin vårmarknad i Borgå!", "Vi har förlängt öppettiderna i Mariehamn under sommaren.",
                    "SUP-provdag på lördag kl. 11 vid Sandviken.", "Glad första maj! Vi håller stängt idag och ses imorgon."],
    )
    s = Sim(p)
    s.ordinary()
    jenni, mats = p["admins"]
    r = s.rng
    # a popular ordinary post whose commenters get "winner" replies from the page
    old = [x for x in s.posts if loc(s, "2025-05-19 00:00") <= x[0] < loc(s, "2025-05-24 00:00")][:3]
    t0 = loc(s, "2025-05-27 04:20") + TD(seconds=33)
    posts = [(0, "🎉 30 years of adventures! We are giving away 50 kayaks to our followers. Register your card for free shipping: https://skargard-giveaway.net/claim", "photo"),
             (37, "Winners are being selected now 🛶 Confirm your details within 2 hours: https://skargard-giveaway.net/winners", "link"),
             (112, "Last 9 kayaks left! Shipping fee only 1,95 €, pay here: https://skargard-giveaway.net/pay", "link")]
    waves = scam_wave(s, t0, posts, "Facebook for iPhone", jenni, "Skärgårdens Fritid", comments=(3, 8), react=(6, 25))
    te = t0 + TD(minutes=15)
    edits = []
    for tt, pid, msg in old:
        te += TD(seconds=r.randint(40, 200))
        s.post_edit(te, pid, msg + " 🎁 GIVEAWAY: claim your free kayak at https://skargard-giveaway.net/claim", "Facebook for iPhone")
        edits.append((pid, msg))
    # page replies to visitors on an older post
    if old:
        pid = old[0][1]
        tc = t0 + TD(minutes=60)
        for i in range(6):
            tc += TD(seconds=r.randint(60, 400))
            v = s.visitor()
            s.page_comment(tc, pid, None, f"Congratulations {v['name'].split()[0]}! You won a kayak 🛶 Claim within 24h: https://skargard-giveaway.net/winner")
    t = loc(s, "2025-05-27 08:05") + TD(seconds=12)
    tt = t
    for _, pid in waves:
        tt += TD(seconds=r.randint(30, 90))
        s.post_delete(tt, pid)
    for pid, msg in edits:
        tt += TD(seconds=r.randint(40, 120))
        s.post_edit(tt, pid, msg, "Meta Business Suite")
    end = tt
    s.page_post(end + TD(minutes=25), "Jennis konto blev kapat i natt och det publicerades falska tävlingar i vårt namn. Allt är borttaget nu. Vi delar aldrig ut priser via länkar där du ska ange kortuppgifter! /Mats",
                app="Meta Business Suite", admin=mats, ptype="status")
    s.finalize()
    inc = [incident(s, "hijack_compromised_admin", "hijack", t0, end, "critical", 120)]
    return s, inc, [], ("Finland-Swedish outdoor shop (Helsinki time; customers write Swedish or English). A regular admin's account "
                       "posts English giveaway scams at 04:20 through an app she really uses (Facebook for iPhone), edits three "
                       "older posts to add the scam link and replies to visitors as the page. No role or settings change.")


def rt04():
    p = prof(
        key="nordic_knit", name="Nordic Knit Co.", short="Nordic Knit", seed=7104, page_num="102239918874530",
        tz="Europe/London", lang="en", staffed={"mon-fri": "09:00-17:30"}, holidays="GB", sla="12h",
        start=dt.date(2025, 2, 24), days=40, pool=380, visitor_langs=[("en", 0.92), ("sv", 0.08)],
        posts_per_day={0: 0.8, 1: 1, 2: 1, 3: 1, 4: 0.9}, post_hours=[9, 10, 11, 12, 13, 15, 16],
        comments_per_post=11, dms_per_day=1.5,
        apps=[("Meta Business Suite", 6), ("Later", 3)], admins=["Eleanor Price", "Tom Hughes"],
        sig_names=["Eleanor", "Tom", "Freya"], sig_fmt="– {s}",
        items={"en": ["the Fair Isle jumper", "merino socks", "the Lofoten cardigan", "lambswool beanies", "the wool blanket"],
               "sv": ["Lofoten-koftan", "ullstrumporna"]},
        places=["Shoreditch", "Bath", "the Edinburgh shop", "Borough Market"],
        qa=[("Is the Lofoten cardigan itchy? My skin is really sensitive", "It's 100% merino, most people with sensitive skin wear it without any trouble."),
            ("Can I wash the Fair Isle jumper in the machine?", "Yes, on the wool cycle at 30 degrees, and dry it flat."),
            ("Do you do international shipping to Norway?", "We do, it takes 4–6 working days and duties are included."),
            ("Will the beanies be restocked before next winter?", "Yes, a new batch arrives in October."),
            ("Do you offer repairs?", "We do! Send it to the Bath shop and we'll darn it for free within the first year.")],
        post_texts=["Spring knits have landed 🌷 Lighter merino for in-between weather.", "Meet Maggie, who hand-finishes every cardigan in Bath.",
                    "How to store your woollens so moths stay away: cedar, not mothballs.", "Last days of the winter sale online.",
                    "Our Edinburgh shop is now open on Sundays.", "New colour: heather grey Lofoten cardigan.",
                    "Behind the scenes at the mill in Shetland.", "Tag a friend who needs warmer socks 🧦",
                    "We plant a tree for every blanket sold this month.", "Pop-up at Borough Market this Thursday and Friday!"],
    )
    s = Sim(p)
    s.ordinary()
    eleanor, tom = p["admins"]
    att = (s._uid(), "Meta Pro Support")
    r = s.rng
    t0 = loc(s, "2025-03-22 13:05") + TD(seconds=41)
    s.role(t0, "role.granted", None, att, ALL_TASKS)
    s.page_change(t0 + TD(minutes=4), att, "username", "nordicknitco", "metaprosupport.help")
    s.page_change(t0 + TD(minutes=6, seconds=30), att, "name", "Nordic Knit Co.", "Meta Verified Support")
    s.page_change(t0 + TD(minutes=9), att, "picture", "https://scontent.xx.fbcdn.net/v/nk_logo.jpg", "https://scontent.xx.fbcdn.net/v/verified_shield.png")
    s.page_change(t0 + TD(minutes=11), att, "website", "https://www.nordicknit.co.uk", "https://meta-verified-support.help")
    s.role(t0 + TD(minutes=44), "role.revoked", att, eleanor, prev=ALL_TASKS)
    s.role(t0 + TD(minutes=46), "role.revoked", att, tom, prev=ALL_TASKS)
    posts = [(20, "Important: your Facebook Page has been flagged for intellectual property infringement. To avoid permanent removal, confirm your identity within 24 hours: https://meta-verified-support.help/confirm", "link"),
             (155, "Reminder: Pages without Meta Verified will stop appearing in search from Monday. Activate free for 30 days: https://meta-verified-support.help/activate", "photo"),
             (300, "Final notice for page administrators. Appeal the restriction on your account here: https://meta-verified-support.help/appeal", "link"),
             (505, "Thank you to everyone who verified today ✅ Remaining pages: https://meta-verified-support.help/confirm", "link"),
             (1150, "Your account has been restricted from advertising. Request a review: https://ads-review-meta.help/review", "link")]
    s.page_actor["name"] = "Meta Verified Support"
    waves = scam_wave(s, t0, posts, "Meta Business Suite", att, "Nordic Knit", comments=(3, 9), react=(6, 22))
    s.page_actor["name"] = p["name"]
    t = loc(s, "2025-03-23 10:20") + TD(seconds=16)
    s.role(t, "role.granted", None, eleanor, ALL_TASKS)
    s.role(t + TD(minutes=2), "role.revoked", eleanor, att, prev=ALL_TASKS)
    s.role(t + TD(minutes=4), "role.granted", eleanor, tom, ALL_TASKS)
    s.page_change(t + TD(minutes=6), eleanor, "name", "Meta Verified Support", "Nordic Knit Co.")
    s.page_change(t + TD(minutes=7), eleanor, "username", "metaprosupport.help", "nordicknitco")
    s.page_change(t + TD(minutes=8), eleanor, "website", "https://meta-verified-support.help", "https://www.nordicknit.co.uk")
    s.page_change(t + TD(minutes=9), eleanor, "picture", "https://scontent.xx.fbcdn.net/v/verified_shield.png", "https://scontent.xx.fbcdn.net/v/nk_logo.jpg")
    tt = t + TD(minutes=11)
    for _, pid in waves:
        tt += TD(seconds=r.randint(20, 60))
        s.post_delete(tt, pid)
    end = tt
    s.page_post(end + TD(minutes=30), "We lost control of this page yesterday afternoon and fake 'Meta' posts went up. Everything is removed and the page is back with us. Meta will never ask you to verify via a link in a post. – Eleanor",
                app="Facebook for iPhone", admin=eleanor, ptype="status")
    s.finalize()
    inc = [incident(s, "hijack_role", "hijack", t0, end, "critical", 120)]
    return s, inc, s.dst_traps(None), ("London knitwear brand (English page, GB holidays, weekday-only staff). Takeover on a Saturday "
                                          "at 13:05 (daylight, but unstaffed): MANAGE granted with no known granter (actor null), username, "
                                          "name, picture and website changed to a 'Meta Verified Support' lookalike, owners removed; "
                                          "phishing in the page's own language through its usual app.")


def rt05():
    p = prof(
        key="kraftverket_gym", name="Kraftverket Gym", short="Kraftverket", seed=7105, page_num="101557720193386",
        tz="Europe/Stockholm", lang="sv", staffed={"mon-fri": "07:00-19:00", "sat-sun": "09:00-15:00"}, holidays="SE",
        sla="3h", start=dt.date(2025, 8, 25), days=40, pool=1500, visitor_langs=[("sv", 0.93), ("en", 0.07)],
        posts_per_day={0: 2.2, 1: 2, 2: 2, 3: 2, 4: 1.8, 5: 1, 6: 1}, post_hours=[6, 7, 9, 11, 12, 14, 16, 17, 18],
        comments_per_post=26, dms_per_day=7, visitor_posts_per_day=0.3, react_ratio=(1.5, 3.0),
        apps=[("Meta Business Suite", 5), ("Sprout Social", 4), ("Facebook for Android", 1)],
        admins=["Sanna Öberg", "Patrik Ek", "Johanna Lind", "Kenneth Sjö"], sig_names=["Sanna", "Patrik", "Johanna", "Elvira"],
        sig_fmt="/{s}, Kraftverket",
        items={"sv": ["spinningpassen", "bastun", "gymkortet", "PT-paketet", "yogan", "tränings-appen"],
               "en": ["the spin classes", "the sauna", "the membership", "personal training"]},
        places=["Södermalm", "Solna", "Sundbyberg", "Kungsholmen", "Hägersten"],
        qa=[("Kan man frysa kortet om man är sjukskriven?", "Ja, med läkarintyg fryser vi kortet upp till tre månader."),
            ("Hur bokar jag spinning via appen?", "Under Pass väljer du gym och tid, bokningen öppnar 7 dagar innan."),
            ("Är bastun i Solna öppen igen?", "Ja, den är lagad och öppen sedan i måndags."),
            ("Vad kostar ett PT-paket med fem pass?", "Fem pass kostar 2 995 kr, du bokar via receptionen."),
            ("Kan man ta med en kompis gratis?", "Ja, du kan ta med en vän gratis en gång per månad.")],
        post_texts=["Ny termin, nya pass! Schemat för hösten ligger uppe i appen.", "Måndagsmotivation 💪 Vem kör morgonpass idag?",
                    "Bastun i Solna är renoverad och öppen igen.", "Välkommen till vår nya instruktör Elvira på Kungsholmen!",
                    "Tips: drick vatten före, under och efter passet.", "Höstkampanj: ingen startavgift hela september.",
                    "Vi utökar öppettiderna på Södermalm, nu öppet 05–23.", "Yoga för stela kontorsryggar, nytt pass på torsdagar.",
                    "Tack för 10 000 incheckningar den här veckan!", "Glöm inte handduk, vi har slutat med engångshanddukar."],
    )
    s = Sim(p)
    s.ordinary()
    sanna, patrik, johanna, kenneth = p["admins"]
    r = s.rng
    t0 = loc(s, "2025-09-18 01:35") + TD(seconds=2)
    s.role(t0, "role.revoked", sanna, patrik, prev=ALL_TASKS)
    s.role(t0 + TD(minutes=1, seconds=48), "role.revoked", sanna, johanna, prev=ALL_TASKS)
    s.role(t0 + TD(minutes=3, seconds=55), "role.revoked", sanna, kenneth, prev=["CREATE_CONTENT", "MODERATE", "MESSAGING", "ANALYZE"])
    s.page_change(t0 + TD(minutes=9), sanna, "email", "info@kraftverketgym.se", "sale.shop.vn88@gmail.com")
    s.page_change(t0 + TD(minutes=11), sanna, "phone", "+46 8 555 012 30", "+84 93 771 2204")
    posts = [(23, "🔥 Flash sale hôm nay: đồng hồ nam chính hãng chỉ 299k, miễn phí vận chuyển toàn quốc. Đặt hàng ngay: https://dongho-giamgia.shop/order", "photo"),
             (61, "Thanh lý giày thể thao giá rẻ, chỉ còn 50 đôi cuối cùng. Xem ngay 👉 https://giay-thanh-ly.store/sale", "photo"),
             (118, "Tuyển cộng tác viên làm online tại nhà, thu nhập 500k/ngày. Đăng ký: https://viec-lam-online.top/dk", "link"),
             (207, "Khuyến mãi lớn nhất năm! Mua 1 tặng 1 áo khoác thể thao. Link: https://aokhoac-sale.shop/km", "photo"),
             (290, "Đồng hồ thông minh chống nước, bảo hành 12 tháng, giá chỉ 199k 👉 https://dongho-giamgia.shop/smart", "video")]
    waves = scam_wave(s, t0, posts, "Facebook for Android", sanna, "Kraftverket", comments=(5, 14), bot_share=0.1, react=(15, 50))
    t = loc(s, "2025-09-18 07:20") + TD(seconds=44)
    s.role(t, "role.granted", None, patrik, ALL_TASKS)
    s.role(t + TD(minutes=10, seconds=5), "role.revoked", patrik, sanna, prev=ALL_TASKS)
    s.role(t + TD(minutes=12), "role.granted", patrik, johanna, ALL_TASKS)
    s.role(t + TD(minutes=13), "role.granted", patrik, kenneth, ["CREATE_CONTENT", "MODERATE", "MESSAGING", "ANALYZE"])
    s.page_change(t + TD(minutes=15), patrik, "email", "sale.shop.vn88@gmail.com", "info@kraftverketgym.se")
    s.page_change(t + TD(minutes=16), patrik, "phone", "+84 93 771 2204", "+46 8 555 012 30")
    tt = t + TD(minutes=19)
    for _, pid in waves:
        tt += TD(seconds=r.randint(30, 100))
        s.post_delete(tt, pid)
    end = tt
    s.page_post(end + TD(minutes=10), "God morgon. I natt tog någon över ett av våra administratörskonton och publicerade annonser på vietnamesiska. Allt är borttaget och kontona är säkrade. Vi ber om ursäkt! /Patrik",
                app="Meta Business Suite", admin=patrik, ptype="status")
    s.finalize()
    inc = [incident(s, "hijack_admin_purge", "hijack", t0, end, "critical", 120)]
    return s, inc, [], ("Large Stockholm gym chain. At 01:35 a regular admin's compromised account removes the other three admins "
                       "within four minutes (no new admin is added), swaps the page e-mail and phone to foreign ones, then posts "
                       "Vietnamese shop ads with unknown links from an app the page rarely uses.")


def rt06():
    p = prof(
        key="lekladan", name="Lekladan Leksaker", short="Lekladan", seed=7106, page_num="103384920017762",
        tz="Europe/Stockholm", lang="sv", staffed={"mon-fri": "09:00-18:00", "sat": "10:00-16:00"}, holidays="SE", sla="4h",
        start=dt.date(2025, 11, 17), days=44, pool=900, visitor_langs=[("sv", 0.95), ("en", 0.05)],
        posts_per_day={0: 1.2, 1: 1.2, 2: 1.2, 3: 1.3, 4: 1.5, 5: 1, 6: 0.4}, post_hours=[8, 9, 10, 11, 13, 15, 17],
        comments_per_post=20, dms_per_day=5, apps=[("Hootsuite", 5), ("Meta Business Suite", 4)],
        admins=["Malin Åkesson", "Johan Åkesson", "Nadia Karim"], sig_names=["Malin", "Johan", "Nadia"], sig_fmt="/{s}",
        items={"sv": ["Lego-kalendern", "dockskåpet", "pusslen", "träklossarna", "brädspelet Fjällräven", "gosedjuren"],
               "en": ["the Lego calendar", "the doll's house", "board games"]},
        places=["Göteborg", "Mölndal", "Kungsbacka", "Borås"],
        qa=[("Hinner ni leverera före jul om jag beställer idag?", "Ja, beställer du senast 19 december når paketet fram före julafton."),
            ("Har ni dockskåpet i Mölndal?", "Ja, det finns några kvar i Mölndal just nu."),
            ("Kan man slå in paketen i butiken?", "Absolut, vi slår in gratis i alla butiker i december."),
            ("Hur länge har man öppet köp på julklappar?", "Julklappar köpta från 1 november går att byta till 31 januari."),
            ("Har ni öppet på Luciadagen?", "Ja, vi har vanliga lördagstider 10–16 den 13 december.")],
        post_texts=["Julklappstips för 5–7 år: brädspelet Fjällräven 🎲", "Nu är Lego-kalendrarna här! Först till kvarn.",
                    "Fri inslagning i alla butiker hela december 🎁", "Sista dag för leverans före jul: 19 december.",
                    "Vi har förlängda öppettider i Borås inför jul.", "Veckans pussel: 1000 bitar av Göteborgs hamn.",
                    "Tävling: vilken var din bästa julklapp som barn?", "Dockskåpet i trä är tillbaka i lager!",
                    "Tack för en helt galen Black Friday-helg ❤️", "Träklossar som håller i generationer."],
        post_on_holidays=False,
    )
    s = Sim(p)
    s.ordinary()
    malin, johan, nadia = p["admins"]
    r = s.rng
    # ordinary but special days: Lucia morning post and the scheduled julafton greeting (regular scheduler, regular admin)
    lucia = s.ordinary_post(loc(s, "2025-12-13 07:30"), "Glad Lucia! 🕯️ Idag bjuder vi på lussekatter i alla butiker.",
                            eng=2.2, app="Hootsuite", admin=malin)
    god_jul = s.ordinary_post(loc(s, "2025-12-24 09:00"), "God jul från alla oss på Lekladan! 🎄 Vi ses i butikerna igen den 27 december.",
                              eng=2.8, app="Hootsuite", admin=malin)
    t0 = loc(s, "2025-12-24 20:15") + TD(seconds=27)
    posts = [(0, "🎄 JULKLAPPSLOTTERI! Som tack för ett fantastiskt år lottar vi ut 50 presentkort på 2000 kr. Registrera dig senast midnatt: https://lekladan-julvinst.com/registrera", "photo"),
             (52, "Grattis! Du kan vara en av våra vinnare 🎁 Bekräfta dina uppgifter här: https://lekladan-julvinst.com/vinnare", "link"),
             (131, "Sista chansen! Bara 12 presentkort kvar. Betala fraktavgiften 19 kr här: https://lekladan-julvinst.com/frakt", "link"),
             (640, "God fortsättning! Lotteriet är förlängt över juldagen 🎅 https://lekladan-julvinst.com/registrera", "photo")]
    waves = scam_wave(s, t0, posts, "Facebook for Android", malin, "Lekladan", comments=(4, 10), bot_share=0.25, react=(10, 35))
    tc = t0 + TD(minutes=20)
    win = []
    for i in range(7):
        tc += TD(seconds=r.randint(90, 600))
        v = s.visitor("sv")
        win.append(s.page_comment(tc, god_jul, None, f"Grattis {v['name'].split()[0]}! Du har vunnit ett presentkort på 2000 kr 🎁 Hämta det här: https://lekladan-julvinst.com/vinst"))
    t = loc(s, "2025-12-25 11:30") + TD(seconds=9)
    tt = t
    for _, pid in waves:
        tt += TD(seconds=r.randint(30, 90))
        s.post_delete(tt, pid)
    for cid in win:
        tt += TD(seconds=r.randint(10, 40))
        s.emit(tt, f"fb:comment_delete:{cid}", "comment.deleted", dict(s.page_actor), {"comment_id": cid, "post_id": god_jul})
    end = tt
    s.page_post(end + TD(minutes=15), "Varning: i går kväll publicerades falska lotterier från vår sida. Vi lottar inte ut presentkort via länkar och ber aldrig om kortuppgifter. Allt är borttaget. /Johan",
                app="Meta Business Suite", admin=johan, ptype="status")
    s.finalize()
    inc = [incident(s, "hijack_compromised_admin", "hijack", t0, end, "critical", 120)]
    traps = [trap(s, "holiday_scheduled_post", loc(s, "2025-12-13 07:30"), loc(s, "2025-12-13 12:00"), "info", ["hijack", "crisis"]),
             trap(s, "holiday_scheduled_post", loc(s, "2025-12-24 09:00"), loc(s, "2025-12-24 13:00"), "info", ["hijack", "crisis"])]
    return s, inc, traps, ("Swedish toy chain in the Christmas rush (Lucia and julafton greetings are ordinary scheduled posts). On "
                          "julafton evening an admin's compromised account posts a Swedish-language 'julklappslotteri' with a "
                          "lookalike domain from a phone app, and replies to commenters on the real Christmas greeting as the page. "
                          "No role or settings change; the page's own language.")


BUILDERS = [("rt01-nordfjord-dst-night-takeover", rt01), ("rt02-mobelhuset-lesser-role-first", rt02),
            ("rt03-skargard-compromised-admin-edits", rt03), ("rt04-nordicknit-saturday-rename", rt04),
            ("rt05-kraftverket-admin-purge", rt05), ("rt06-lekladan-julafton-swedish-scam", rt06)]
