"""Scenarios 08-13: unanswered customers and blindness."""
from inject import burst, combo
from scenarios_a import ALL_TASKS, inc, setup, trap
from simlib import D, H, M
from traffic import stylize


def backlog_asks(tr, t_from, t_to, n, qas, dm_qas=(), dm_share=0.3):
    """Extra customer questions in a window (they go through the normal answer path / backlog rules)."""
    sim, r, v = tr.sim, tr.rng, tr.v
    for _ in range(n):
        ts = r.randrange(t_from, t_to)
        if dm_qas and r.random() < dm_share:
            who = v.visitor(0.6)
            th = sim.new_thread()
            q, a = r.choice(dm_qas)
            eid = sim.dm_in(ts, who, th, q)
            tr.answer(ts, eid, None, None, who, a, kind="dm", thread=th)
        else:
            q, a = r.choice(qas)
            pid = tr.choose_post(ts)
            who = v.visitor(0.6)
            cid = sim.comment(ts, pid, who, stylize(r, q, "ask", v.lang))
            tr.answer(ts, f"fb:comment:{cid}", cid, pid, who, a)


def sla_window(sim, n, typ):
    asks = [a for a in sim.asks if a["incident"]]
    start = min(sim.deadline(a["ts"], aware=True) for a in asks)
    end = max(a["answered"][0] for a in asks)
    return inc(sim, n, "sla", typ, start, end, "warning", 900), asks


# ======================================================================= 08
def s08():
    """Lindesby kommun: midsommar closure is normal (holiday-aware trap); then the Monday after midsommar
    nobody covers the page and the weekend's questions pile up until Tuesday."""
    prof = dict(cpd=45, wkend=0.5, hours="office", ppd=1.0, ppd_wkend=0.1, post_hours=(8, 16), ask=0.25,
                complaint=0.14, praise=0.3, peer=0.06, dm=6, speed=0.15, priv=0.05, tau=20, post_react=20)
    sim, v, tr = setup("lindesby_kommun", "Lindesby kommun", "sv", "Europe/Stockholm", {"mon-fri": "08:00-16:00"}, "SE",
                       4, 808, "sv_municipality", "lindesby.se", ["Anna", "Johan", "Fatima"],
                       ["Anna Strömberg", "Johan Ekman", "Fatima Hassan"],
                       [("Meta Business Suite", 0.9), ("Facebook for iPhone", 0.1)], prof, pool=500)
    r = sim.rng
    t0, t1 = sim.ts(2025, 5, 26, 8, 0), sim.ts(2025, 7, 4, 16, 0)
    close = sim.ts(2025, 6, 19, 16, 0)
    mon = sim.ts(2025, 6, 23, 8, 0)
    rel_a, rel_b = sim.ts(2025, 6, 24, 8, 6), sim.ts(2025, 6, 24, 11, 40)
    sim.relaxed.append((close, mon))
    sim.backlogs.append((close, sim.ts(2025, 6, 23, 16, 0), rel_a, rel_b, ("comment", "dm")))
    sim.blocked.append((mon, rel_a, ("comment", "dm")))
    sim.post(sim.ts(2025, 6, 19, 14, 30), "Glad midsommar! Kommunens kontaktcenter har stängt fredag 20 juni. Vid akuta ärenden ring 0590-123 00 (jour). Vi svarar på era frågor här igen på måndag.",
             app="Meta Business Suite", admin=sim.admins[0], ptype="photo", weight=1.5)
    tr.run(t0, t1)
    qas = [("Hej, sophämtningen kom inte i {p} i fredags. Ska vi ställa ut kärlet igen", "Hej! Förlåt att svaret dröjt. Sophämtningen flyttades till tisdag pga midsommar, ställ ut kärlet i kväll."),
           ("Ring mig angående bygglovet för carporten, det är bråttom. 070-555 12 34", "Hej! Förlåt att det dröjt. Handläggaren ringer dig under dagen."),
           ("Badplatsen i Sjöberga har ingen livräddare fast det står på hemsidan", "Hej! Tack för att du sa till. Livräddarna börjar den 30 juni, vi har rättat hemsidan."),
           ("Vem ska jag kontakta om en nedfallen gren över gångvägen i Ekhagen", "Hej! Parkgruppen tar bort den i dag. Tack för tipset och förlåt dröjsmålet."),
           ("Varför har ingen svarat på mitt mejl om skolskjutsen till hösten?", "Hej! Förlåt dröjsmålet. Skolskjutshandläggaren hör av sig till dig i dag."),
           ("Är biblioteket öppet den här veckan", "Hej! Ja, sommaröppet 10–16 vardagar."),
           ("Kan någon kolla varför gatubelysningen på Storgatan är släckt", "Hej! Felet är anmält till elektrikern, förlåt att svaret dröjde.")]
    qas = [(q.replace("{p}", r.choice(["Åsby", "Norrvik", "Ekhagen"])), a) for q, a in qas]
    dqas = [("Hej, jag har fått fel belopp på barnomsorgsfakturan för juni", "Hej! Vi har skickat ärendet till avgiftsenheten, de rättar fakturan. Förlåt dröjsmålet."),
            ("Min pappa väntar fortfarande på besked om trygghetslarm, kan ni ringa honom", "Hej! Biståndshandläggaren ringer din pappa i dag. Vi ber om ursäkt för väntan.")]
    backlog_asks(tr, sim.ts(2025, 6, 20, 9, 0), sim.ts(2025, 6, 23, 15, 30), 26, qas, dqas)
    i1, asks = sla_window(sim, "rt8-08-i1", "sla_backlog_after_midsommar")
    traps = [trap(sim, "rt8-08-t1", "holiday_closure_midsommar", close, i1_start_minus(sim, i1), "info", ["sla"])]
    return sim, [i1], traps


def i1_start_minus(sim, i1):
    import datetime as dt
    return int(dt.datetime.fromisoformat(i1["start"]).timestamp()) - 1


# ======================================================================= 09
def s09():
    """Sønderå Bank: private messages unanswered for two days after an inbox tool change while public
    comments are answered normally (and the page keeps telling people to write a PB)."""
    prof = dict(cpd=30, wkend=0.45, hours="office", ppd=0.6, ppd_wkend=0.1, post_hours=(9, 15), ask=0.22,
                complaint=0.16, praise=0.3, peer=0.04, dm=16, dm_q=0.85, speed=0.12, priv=0.15, tau=24, post_react=15)
    sim, v, tr = setup("sondera_bank", "Sønderå Bank", "da", "Europe/Copenhagen", {"mon-fri": "09:00-16:00"}, "DK", 8,
                       909, "da_bank", "sonderabank.dk", ["Birthe", "Lasse", "Ayse"],
                       ["Birthe Bach", "Lasse Mikkelsen", "Ayse Yilmaz"],
                       [("Meta Business Suite", 1.0)], prof, pool=400)
    r = sim.rng
    t0, t1 = sim.ts(2025, 8, 25, 8, 30), sim.ts(2025, 10, 3, 16, 0)
    qa_, qb = sim.ts(2025, 9, 22, 15, 40), sim.ts(2025, 9, 24, 16, 0)
    ra, rb = sim.ts(2025, 9, 25, 9, 4), sim.ts(2025, 9, 25, 13, 30)
    sim.backlogs.append((qa_, qb, ra, rb, ("dm",)))
    sim.blocked.append((sim.ts(2025, 9, 23, 9, 0), ra, ("dm",)))
    tr.run(t0, t1)
    dq = [("Hej, jeg er blevet snydt af en falsk sms og har givet mine kortoplysninger. Hvad gør jeg", "Hej, undskyld det sene svar! Vi har spærret dit kort og sender et nyt. Ring til os, hvis der er ukendte træk."),
          ("Jeg skrev til jer i går om mit lån men har ikke fået svar", "Hej! Undskyld, vores indbakke har haft problemer. En rådgiver ringer i dag."),
          ("Kan I ringe mig? Min løn er ikke gået ind", "Hej, undskyld ventetiden! Lønnen kom ind i går aftes – den var forsinket hos arbejdsgiverens bank."),
          ("hej jeg kan ikke se min pension i netbank", "Hej! Undskyld det sene svar. Pensionsoversigten var midlertidigt nede, den virker nu.")]
    backlog_asks(tr, qa_ + 10 * M, qb - 20 * M, 18, [], dq, dm_share=1.0)
    # public complaints about unanswered messages (answered publicly, pointing to the PB...)
    for i in range(5):
        ts = sim.ts(2025, 9, 24, 9, 30) + r.randrange(0, 6 * H)
        pid = tr.choose_post(ts)
        who = v.visitor(0.5)
        cid = sim.comment(ts, pid, who, r.choice(["Jeg har skrevet til jer i en PB i to dage uden svar. Kan I svare mig?",
                                                  "hallo svarer I slet ikke på beskeder længere",
                                                  "Skrev til jer på Messenger i går, hvornår svarer I?"]))
        tr.answer(ts, f"fb:comment:{cid}", cid, pid, who, "Undskyld ventetiden! Vi kigger på din besked og vender tilbage i indbakken.", speed=0.05)
    i1, _ = sla_window(sim, "rt8-09-i1", "sla_private_messages")
    return sim, [i1], []


# ======================================================================= 10
def s10():
    """Severn Valley Energy: 24/7 page with a 2 h SLA. A token invalidated on a Sunday night (blind until morning);
    two weeks later the night shift does not show up during a storm night and requests pile up."""
    prof = dict(cpd=200, wkend=0.75, hours="consumer", ppd=1.4, ppd_wkend=0.6, post_hours=(7, 21), ask=0.22,
                complaint=0.18, praise=0.22, peer=0.06, dm=30, speed=0.12, priv=0.1, tau=14, post_react=35, creply=0.6)
    sim, v, tr = setup("severn_valley_energy", "Severn Valley Energy", "en", "Europe/London", None, None, 2, 1010,
                       "en_energy", "severnvalleyenergy.co.uk", ["Siobhan", "Raj", "Ewan", "Niamh", "Kwame"],
                       ["Siobhan Doyle", "Raj Patel", "Ewan Stewart"],
                       [("Sprout Social", 0.85), ("Meta Business Suite", 0.15)], prof, pool=1500)
    r = sim.rng
    t0, t1 = sim.ts(2025, 10, 29, 6, 0), sim.ts(2025, 12, 12, 20, 0)
    e0, e1 = sim.ts(2025, 11, 23, 3, 14, 26), sim.ts(2025, 11, 23, 9, 41, 3)
    sim.blind.append((e0, e1))
    qa_, qb = sim.ts(2025, 12, 6, 22, 40), sim.ts(2025, 12, 7, 6, 20)
    ra, rb = sim.ts(2025, 12, 7, 7, 36), sim.ts(2025, 12, 7, 9, 50)
    sim.backlogs.append((qa_, qb, ra, rb, ("comment", "dm")))
    sim.blocked.append((qa_, ra, ("comment", "dm")))
    sp = sim.ts(2025, 12, 6, 19, 0)
    storm = sim.post(sp, "Storm Bronagh: amber wind warning tonight. If your power goes off, check our live outage map: https://www.severnvalleyenergy.co.uk/outages – we're here all night.",
                     app="Sprout Social", links=["https://www.severnvalleyenergy.co.uk/outages"], admin=sim.admins[0], weight=2.5)
    tr.run(t0, t1)
    sim.source_error(e0, 190, "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.", None)
    sim.source_recovered(e1)
    qas = [("Power's been off in Ledbury since 11, any update?", "So sorry for the wait overnight. Power in Ledbury was restored at 06:50; if you're still off, DM us."),
           ("No power on our street in Stroud and my mum is on oxygen. Please call me", "We're so sorry nobody replied overnight. We've called you and added your mum to the Priority Services Register."),
           ("Can someone send me a DM, the outage map won't load", "Sorry for the delay – we've sent you a DM now."),
           ("Is anyone actually monitoring this page tonight", "We're really sorry – our overnight team was short-staffed. We're working through every message now."),
           ("Our fridge freezer has defrosted, can we claim compensation", "Sorry for the late reply! Yes, after 12 hours off you can claim under the guaranteed standards – we'll DM you the form."),
           ("lights flickering then went off in tewkesbury need info", "Apologies for the wait. Tewkesbury was restored at 07:20 – DM us if you're still without power."),
           ("Please call me back 07700 900123 no power no heating and a newborn", "We're so sorry. We called you at 07:40 and an engineer is on the way.")]
    dqs = [("Hi, we've got no power in Hereford and the phone line just rings out", "So sorry for the delay. Hereford was restored at 07:05 – are you back on?"),
           ("Our meter shows an error after the power cut, what do I do?", "Apologies for the slow reply. Switch the meter off and on at the isolator; if the error stays, we'll send an engineer.")]

    def pick(ts):
        return storm if r.random() < 0.7 else tr.choose_post(ts)
    for _ in range(34):
        ts = r.randrange(qa_ + 5 * M, qb - 5 * M)
        if r.random() < 0.25:
            who, th = v.visitor(0.6), sim.new_thread()
            q, a = r.choice(dqs)
            eid = sim.dm_in(ts, who, th, q)
            tr.answer(ts, eid, None, None, who, a, kind="dm", thread=th)
        else:
            pid, who = pick(ts), v.visitor(0.6)
            q, a = r.choice(qas)
            cid = sim.comment(ts, pid, who, stylize(r, q, "ask", "en"))
            tr.answer(ts, f"fb:comment:{cid}", cid, pid, who, a)
    i1 = inc(sim, "rt8-10-i1", "health", "health_token_invalidated", e0, e1, "warning", 900)
    i2, _ = sla_window(sim, "rt8-10-i2", "sla_overnight_24x7")
    return sim, [i1, i2], []


# ======================================================================= 11
def s11():
    """Fjellsport: Norwegian outdoor web shop. Easter closure is normal (holiday-aware trap); on the Tuesday
    after Easter nobody is back and questions from the whole Easter break go unanswered until Wednesday."""
    prof = dict(cpd=55, wkend=0.8, hours="consumer", ppd=0.9, ppd_wkend=0.4, post_hours=(8, 16), ask=0.24,
                complaint=0.12, praise=0.32, peer=0.08, dm=8, speed=0.15, priv=0.05, tau=20, post_react=22)
    sim, v, tr = setup("fjellsport", "Fjellsport.no", "nb", "Europe/Oslo", {"mon-fri": "08:00-16:00"}, "NO", 8, 1111,
                       "nb_outdoor", "fjellsport.no", ["Randi", "Jørgen", "Zainab"],
                       ["Randi Ødegård", "Jørgen Iversen", "Zainab Ahmed"],
                       [("Meta Business Suite", 0.6), ("Later", 0.4)], prof, pool=500)
    r = sim.rng
    t0, t1 = sim.ts(2025, 3, 10, 8, 0), sim.ts(2025, 4, 30, 16, 0)
    close = sim.ts(2025, 4, 16, 16, 0)
    tue = sim.ts(2025, 4, 22, 8, 0)
    ra, rb = sim.ts(2025, 4, 23, 8, 9), sim.ts(2025, 4, 23, 12, 20)
    sim.relaxed.append((close, tue))
    sim.backlogs.append((close, sim.ts(2025, 4, 22, 16, 0), ra, rb, ("comment", "dm")))
    sim.blocked.append((tue, ra, ("comment", "dm")))
    sim.post(sim.ts(2025, 4, 16, 12, 0), "Kundeservice er stengt fra skjærtorsdag til og med 2. påskedag. Bestillinger sendes som vanlig fra tirsdag 22. april. God påske! 🐣",
             app="Meta Business Suite", admin=sim.admins[0], ptype="photo", weight=1.5)
    tr.run(t0, t1)
    qas = [("Bestilte ski til påskefjellet onsdag, ordre 4481290, når kommer de", "Beklager sent svar etter påske! Ordren ble sendt i dag morges."),
           ("Kan noen ringe meg om returen min, har ventet siden før påske", "Beklager ventetiden! Vi ringer deg i løpet av dagen."),
           ("Hei dere svarer ikke på mail heller. Hvor er pakken min?", "Beklager, vi er på etterskudd etter påske. Pakken din er sendt og kommer i morgen."),
           ("Er dere tilbake fra påskeferie nå?", "Nå er vi tilbake – beklager at det tok tid!"),
           ("Glidelåsen på soveposen røk på første tur. Vil ha ny", "Beklager det og at svaret dröyde! Send oss et bilde på PM, så sender vi ny.")]
    dqs = [("Hei, jeg ble trukket to ganger for samme ordre i påsken", "Beklager sent svar! Det doble trekket er refundert i dag."),
           ("Skal returnere en jakke, men returportalen virker ikke", "Hei, beklager ventetiden! Vi har sendt deg en returlapp på e-post.")]
    backlog_asks(tr, sim.ts(2025, 4, 19, 10, 0), sim.ts(2025, 4, 22, 15, 30), 24, qas, dqs)
    i1, _ = sla_window(sim, "rt8-11-i1", "sla_backlog_after_easter")
    traps = [trap(sim, "rt8-11-t1", "holiday_closure_easter", close, i1_start_minus(sim, i1), "info", ["sla"])]
    return sim, [i1], traps


# ======================================================================= 12
def s12():
    """Nordkap Mobil: busy Norwegian telecom (staffed 08-22 daily). Graph API rate limits block the source for
    two and a half hours on a busy Tuesday; repeated errors with retry_after."""
    prof = dict(cpd=380, wkend=0.8, hours="consumer", ppd=1.5, ppd_wkend=0.6, post_hours=(8, 20), ask=0.2,
                complaint=0.17, praise=0.26, peer=0.08, dm=35, speed=0.12, priv=0.06, tau=14, post_react=45)
    sim, v, tr = setup("nordkap_mobil", "Nordkap Mobil", "nb", "Europe/Oslo", {"mon-sun": "08:00-22:00"}, "NO", 3,
                       1212, "nb_telecom", "nordkapmobil.no", ["Stian", "Live", "Vegard", "Agnieszka"],
                       ["Stian Jacobsen", "Live Sandvik", "Vegard Hagen"],
                       [("Khoros", 0.7), ("Meta Business Suite", 0.3)], prof, pool=1500)
    t0, t1 = sim.ts(2025, 9, 8, 8, 0), sim.ts(2025, 10, 17, 21, 0)
    e = [sim.ts(2025, 10, 7, 10, 47, 12), sim.ts(2025, 10, 7, 11, 48, 30), sim.ts(2025, 10, 7, 12, 49, 5)]
    rec = sim.ts(2025, 10, 7, 13, 20, 44)
    sim.blind.append((e[0], rec))
    tr.run(t0, t1)
    sim.source_error(e[0], 4, "(#4) Application request limit reached", 3600)
    sim.source_error(e[1], 4, "(#4) Application request limit reached", 3600)
    sim.source_error(e[2], 613, "(#613) Calls to this api have exceeded the rate limit.", 1800)
    sim.source_recovered(rec)
    return sim, [inc(sim, "rt8-12-i1", "health", "health_rate_limit", e[0], rec, "warning", 900)], []


# ======================================================================= 13
def s13():
    """Tyneside Courier: busy regional newspaper (~650 comments a day). The source silently stops on a
    Thursday morning for five and a half hours (no error event at all)."""
    prof = dict(cpd=650, wkend=0.85, hours="news", ppd=12, ppd_wkend=8, post_hours=(6, 23), ask=0.03,
                complaint=0.3, praise=0.22, peer=0.2, dm=6, speed=0.15, priv=0.05, tau=6, post_react=60, creply=0.1)
    sim, v, tr = setup("tyneside_courier", "The Tyneside Courier", "en", "Europe/London", {"mon-sun": "06:00-23:00"},
                       "GB", 12, 1313, "en_news", "tynesidecourier.co.uk", ["Fiona", "Tariq", "Graham"],
                       ["Fiona McKenzie", "Tariq Khan", "Graham Shaw"],
                       [("SocialFlow", 0.7), ("Meta Business Suite", 0.3)], prof, pool=2500)
    t0, t1 = sim.ts(2025, 5, 12, 6, 0), sim.ts(2025, 6, 20, 22, 0)
    a, b = sim.ts(2025, 6, 12, 9, 40, 0), sim.ts(2025, 6, 12, 15, 10, 0)
    sim.blind.append((a, b))
    tr.run(t0, t1)
    return sim, [inc(sim, "rt8-13-i1", "health", "health_silent_source", a, b, "warning", 3600)], []


SCENARIOS_B = [("rt8-08", s08), ("rt8-09", s09), ("rt8-10", s10), ("rt8-11", s11), ("rt8-12", s12), ("rt8-13", s13)]
