"""Scenarios 01-07: hijacks and crises."""
from inject import burst, combo
from simlib import D, H, M, Sim
from texts_common import GEN
from traffic import Traffic, Voice, stylize
from texts_ind1 import B as B1
from texts_ind2 import B as B2

BANK = dict(B1, **B2)
ALL_TASKS = ["MANAGE", "CREATE_CONTENT", "MODERATE", "MESSAGING", "ADVERTISE", "ANALYZE"]


def setup(key, brand, lang, tz, staffed, hol, sla_h, seed, bank, domain, agents, admins, apps, prof, pool=300):
    sim = Sim(key, brand, tz, lang, staffed, hol, sla_h, seed)
    sim.pool_size = pool
    sim.admins = [sim.person(n) for n in admins]
    sim.apps = apps
    v = Voice(sim, lang, BANK[bank], brand, domain, agents, mix_p=prof.get("mix_p", 0.0))
    tr = Traffic(sim, v, prof)
    return sim, v, tr


def inc(sim, n, cat, typ, start, end, sev, delay, onset=None):
    d = {"id": n, "page": sim.key, "category": cat, "type": typ, "start": sim.iso(start), "end": sim.iso(end),
         "min_severity": sev, "max_delay_s": delay}
    if onset is not None:
        d["onset"] = sim.iso(onset)
    return d


def trap(sim, n, typ, start, end, sev, cats):
    return {"id": n, "page": sim.key, "type": typ, "start": sim.iso(start), "end": sim.iso(end),
            "max_severity": sev, "categories": list(cats)}


def scam_reactions(tr, pids, t0, t1, n, lang, extra=()):
    sim, r, v = tr.sim, tr.rng, tr.v
    lines = [s.replace("{brand}", v.brand) for s in GEN[lang]["scam_react"]] + list(extra)
    bots = ["Crypto Queen Mia", "Jason Profit", "Trader Elena", "Kelly Winner"]
    bots = [sim.person(b, prefix="6155") for b in bots]
    for _ in range(n):
        ts = r.randrange(t0, t1)
        live = sim.live(pids, ts)
        if not live:
            continue
        pid = r.choice(live)
        if r.random() < 0.22:
            sim.comment(ts, pid, r.choice(bots), r.choice(["Received my reward, thank you admin!! 🙏", "Done ✅",
                                                            "Legit!! got paid in 5 min", "It works 💯💯"]))
        else:
            sim.comment(ts, pid, v.visitor(0.6), stylize(r, r.choice(lines), "complaint", lang))
        if r.random() < 0.5:
            sim.react(ts + 5, pid, v.visitor(0.8), r.choice(["angry", "haha", "like", "wow"]))


# ======================================================================= 01
def s01():
    """Fjordlys Energi: night takeover, lesser role first, admins removed, renamed, crypto via new app;
    Sentinel's token belonged to a removed admin -> permission lost until morning."""
    prof = dict(cpd=90, wkend=0.55, hours="consumer", ppd=1.1, ppd_wkend=0.2, post_hours=(8, 16), ask=0.2,
                complaint=0.14, praise=0.3, peer=0.08, dm=9, speed=0.2, priv=0.08, tau=14, post_react=30, creply=0.7)
    sim, v, tr = setup("fjordlys_energi", "Fjordlys Energi", "nb", "Europe/Oslo", {"mon-fri": "08:00-16:00"}, "NO", 8,
                       101, "nb_energy", "fjordlysenergi.no", ["Kari", "Trond", "Mona", "Sindre"],
                       ["Trond Halvorsen", "Ingrid Bakken", "Mona Aas"],
                       [("Meta Business Suite", 0.6), ("Hootsuite", 0.3), ("Facebook for iPhone", 0.1)], prof)
    t0, t1 = sim.ts(2025, 1, 13, 7, 30), sim.ts(2025, 2, 21, 17, 0)
    trond, ingrid, mona = sim.admins
    h0 = sim.ts(2025, 2, 15, 1, 12, 37)
    err = sim.ts(2025, 2, 15, 2, 11, 2)
    rec = sim.ts(2025, 2, 15, 9, 4, 51)
    sim.blind.append((err, rec))
    # legit settings change in office hours (trap)
    lt = sim.ts(2025, 1, 29, 13, 22, 5)
    sim.page_change(lt, mona, "website", "https://www.fjordlysenergi.no", "https://www.fjordlysenergi.no/privat")
    tr.run(t0, t1)
    r = sim.rng
    hj = sim.person("Mark Daniels", prefix="1000")
    sim.role(h0, "role.granted", trond, hj, ["CREATE_CONTENT", "MODERATE"])
    sim.role(h0 + 19 * M + 4, "role.changed", trond, hj, ALL_TASKS, ["CREATE_CONTENT", "MODERATE"])
    sim.page_change(h0 + 22 * M + 40, hj, "name", "Fjordlys Energi", "Meta Verified Rewards Norway")
    sim.page_change(h0 + 23 * M + 55, hj, "username", "fjordlysenergi", "metarewards.no.official")
    app = "Business Publisher Pro"
    p1 = sim.post(h0 + 26 * M + 12, "🎁 We are giving back! 500 lucky followers receive 2,000 NOK in ETH. Connect your wallet before 06:00: https://eth-nordic-drop.io/claim",
                  app=app, links=["https://eth-nordic-drop.io/claim"], ptype="photo", weight=0)
    p2 = sim.post(h0 + 44 * M + 30, "Strømstøtte utbetales nå i krypto! Registrer lommeboken din for å motta 3 500 kr: https://stromstotte-krypto.com/registrer",
                  app=app, links=["https://stromstotte-krypto.com/registrer"], ptype="link", weight=0)
    sim.role(h0 + 57 * M + 18, "role.revoked", hj, mona, previous=ALL_TASKS)
    sim.role(err - 21, "role.revoked", hj, ingrid, previous=ALL_TASKS)
    scam_reactions(tr, [p1, p2], h0 + 28 * M, err - 30, 14, "nb")
    sim.source_error(err, 200, "(#200) The user must be an administrator, editor, or moderator of the page in order to impersonate it. Permissions error", None)
    sim.source_recovered(rec)
    # morning: owners back in control (new token from Ingrid)
    t = rec + 4 * M
    sim.role(t, "role.granted", trond, ingrid, ALL_TASKS)
    sim.role(t + 2 * M, "role.revoked", trond, hj, previous=ALL_TASKS)
    sim.role(t + 3 * M, "role.granted", ingrid, mona, ALL_TASKS)
    sim.page_change(t + 6 * M, ingrid, "name", "Meta Verified Rewards Norway", "Fjordlys Energi")
    sim.page_change(t + 7 * M, ingrid, "username", "metarewards.no.official", "fjordlysenergi")
    sim.post_deleted(t + 9 * M, p1)
    sim.post_deleted(t + 10 * M, p2)
    end = t + 10 * M
    ap = sim.post(t + 31 * M, "Siden vår ble misbrukt i natt. Innleggene om krypto og «strømstøtte» var svindel – ikke klikk på lenkene, og del aldri BankID eller passord. Siden er nå tilbake under vår kontroll.",
                  app="Meta Business Suite", admin=ingrid, ptype="status", weight=2)
    for i in range(22):
        ts = t + 35 * M + r.randrange(0, 5 * H)
        tr.visitor_comment(ts, ap, kind=r.choice(["praise", "chatter", "complaint"]),
                           text=None)
    incs = [inc(sim, "rt8-01-i1", "hijack", "hijack_role_escalation", h0, end, "critical", 120),
            inc(sim, "rt8-01-i2", "health", "health_permission_lost", err, rec, "warning", 900)]
    traps = [trap(sim, "rt8-01-t1", "legit_settings_change", lt, lt, "warning", ["hijack"])]
    return sim, incs, traps


# ======================================================================= 02
def s02():
    """Hyggehjem: daytime takeover of a compromised admin through the usual app; Danish giveaway scam;
    hijacker replies to visitors with links. Two weeks earlier a real contest (trap)."""
    prof = dict(cpd=60, wkend=0.8, hours="consumer", ppd=1.0, ppd_wkend=0.5, post_hours=(9, 16), ask=0.24,
                complaint=0.1, praise=0.35, peer=0.06, dm=7, speed=0.2, priv=0.05, tau=18, post_react=25)
    sim, v, tr = setup("hyggehjem", "Hyggehjem.dk", "da", "Europe/Copenhagen",
                       {"mon-fri": "09:00-16:00", "sat": "10:00-13:00"}, "DK", 4, 202, "da_ecom", "hyggehjem.dk",
                       ["Mette", "Kasper", "Louise"], ["Mette Dalgaard", "Camilla Holm", "Kasper Vestergaard"],
                       [("Meta Business Suite", 0.7), ("Facebook for Android", 0.15), ("Later", 0.15)], prof)
    r = sim.rng
    t0, t1 = sim.ts(2025, 9, 1, 8, 0), sim.ts(2025, 10, 10, 16, 30)
    mette, camilla, kasper = sim.admins
    # real contest (trap)
    ct = sim.ts(2025, 9, 17, 10, 0)
    cpost = sim.post(ct, "KONKURRENCE 🎉 Vind en plaid efter eget valg! Skriv i kommentaren hvilken farve du vil have, og tag en ven. Vinderen trækkes fredag. Betingelser: https://www.hyggehjem.dk/konkurrence",
                     app="Meta Business Suite", links=["https://www.hyggehjem.dk/konkurrence"], admin=mette, ptype="photo", weight=0.2)
    ent = ["Deltager 🍀 @{p}", "Mørkegrøn! @{p}", "Den sennepsgule 💛 @{p}", "Jeg håber 🤞 @{p}", "Lyseblå tak! @{p} @{q}",
           "Uh den grå til sofaen @{p}", "Deltager gerne ❤️", "Rosa til datterens værelse 🌸 @{p}", "Jaaa tak @{p}",
           "Den rustrøde! @{p}", "Krydser fingre @{p}", "Grøn 🌲 @{q}", "Sort, den passer til alt @{p}"]
    for i in range(340):
        ts = ct + int(r.expovariate(1 / (5 * H)))
        if ts > ct + 2 * D:
            continue
        who = v.visitor(0.8)
        txt = r.choice(ent).format(p=v.peer_name(), q=v.peer_name())
        sim.comment(ts, cpost, who, txt)
        sim.react(ts + 10, cpost, who, "like")
    sim.comment(ct + 2 * D + 5 * H, cpost, None, "Tillykke til Hanne Poulsen, der vandt plaiden! Vi skriver til dig i en PB 💚", page=True)
    tr.run(t0, t1)
    # --- hijack (Wednesday 1 Oct, office hours, usual app, admin Camilla compromised)
    h0 = sim.ts(2025, 10, 1, 11, 20, 41)
    scam_dom = ["https://hyggehjem-gavekort.shop/vinder", "https://hyggehjem-jubilaeum.com/bekraeft",
                "https://gavekort-dk.online/hyggehjem"]
    posts = []
    texts = ["JUBILÆUMSKONKURRENCE 🎉 Vi fylder 10 år og giver 50 gavekort á 5.000 kr væk! Alle der kommenterer JA og bekræfter her er med: {u}",
             "Sidste chance! Kun 12 gavekort tilbage 🎁 Bekræft dine oplysninger inden kl. 15: {u}",
             "Tillykke til alle vindere! Har du ikke modtaget dit gavekort, så bekræft dit kort her: {u}"]
    for i, off in enumerate([0, 38 * M + 11, 71 * M + 40]):
        u = scam_dom[i]
        posts.append(sim.post(h0 + off, texts[i].format(u=u), app="Meta Business Suite", links=[u], admin=camilla,
                              ptype="photo", weight=0))
    # many visitors reply JA
    yes = ["JA", "Ja tak!", "JA 🙏", "ja", "JA!! @{p}", "Ja ja ja", "JA håber 🤞", "ja tak 😍", "JAAA"]
    victims = []
    for i in range(85):
        ts = h0 + r.randrange(2 * M, 100 * M)
        pid = posts[0] if ts < h0 + 38 * M else r.choice(posts[:2] if ts < h0 + 71 * M else posts)
        who = v.visitor(0.7)
        cid = sim.comment(ts, pid, who, r.choice(yes).format(p=v.peer_name()))
        victims.append((ts, cid, pid, who))
    # hijacker replies to visitors (also on ordinary posts) with links
    replies = ["Tillykke {n}! 🎉 Du er udtrukket. Bekræft her inden for 1 time: {u}",
               "Hej {n}, du har vundet et gavekort på 5.000 kr! Udfyld dine oplysninger: {u}",
               "{n} du er en af vinderne 🎁 Hent din præmie: {u}"]
    for ts, cid, pid, who in r.sample(victims, 30):
        u = r.choice(scam_dom)
        sim.comment(ts + r.randrange(60, 9 * M), pid, None, r.choice(replies).format(n=who.first, u=u), parent=cid,
                    links=[u], page=True)
    # visitors asking if it is real (answered after recovery)
    warn = ["Er det her ægte?? Linket ser mærkeligt ud", "Er I blevet hacket? Linket er ikke jeres hjemmeside",
            "Hvorfor skal man indtaste kortoplysninger for at vinde?"]
    end = h0 + 104 * M
    for i, w in enumerate(warn):
        ts = h0 + 30 * M + i * 17 * M
        who = v.visitor(0.6)
        wp = sim.live(posts, ts)[-1]
        cid = sim.comment(ts, wp, who, w)
        ask = sim.register_ask(ts, "comment", f"fb:comment:{cid}")
        at = end + 12 * M + i * 3 * M
        eid = sim.dm_out(at, sim.new_thread(), f"Hej {who.first}. Nej, det var IKKE os – en af vores konti blev misbrugt, og opslaget er fjernet. Klik ikke på linket, og kontakt din bank hvis du har indtastet kortoplysninger. /Mette", comment_id=cid)
        ask["answered"] = (at, eid)
    scam_reactions(tr, posts, h0 + 10 * M, h0 + 100 * M, 25, "da")
    # team notices, removes
    for i, p in enumerate(posts):
        sim.post_deleted(end - 8 * M + i * 3 * M, p)
    sim.role(end - 9 * M, "role.changed", mette, camilla, ["ANALYZE"], ALL_TASKS)
    ap = sim.post(end + 9 * M, "VIGTIGT: I dag mellem 11.20 og 13.00 blev der delt falske konkurrencer her på siden. Vi har ingen jubilæumskonkurrence og beder aldrig om kortoplysninger. Har du indtastet dine kortdata, så kontakt din bank med det samme.",
                  app="Meta Business Suite", admin=mette, ptype="status", weight=2)
    for i in range(30):
        tr.visitor_comment(end + 12 * M + r.randrange(0, 6 * H), ap, kind=r.choice(["praise", "chatter", "complaint", "ask"]))
    incs = [inc(sim, "rt8-02-i1", "hijack", "hijack_compromised_admin_daytime", h0, end, "critical", 600)]
    traps = [trap(sim, "rt8-02-t1", "contest_spike", ct, ct + 2 * D + 5 * H, "info", ["crisis"])]
    return sim, incs, traps


# ======================================================================= 03
def s03():
    """Harbourside Athletic FC: night takeover (English page, English scam), renamed, admins removed,
    hijacker replying to fans; Saturday matchday spikes are normal."""
    def dm(day):
        if day.weekday() == 5:
            return {"mult": 2.6, "hours": "consumer"}
        if day.weekday() == 1 and day.isocalendar()[1] % 2 == 0:
            return {"mult": 1.8}
        return None
    prof = dict(cpd=110, wkend=0.9, hours="consumer", ppd=2.0, ppd_wkend=1.5, post_hours=(9, 21), ask=0.12,
                complaint=0.12, praise=0.42, peer=0.12, dm=5, speed=0.1, priv=0.03, tau=8, post_react=60,
                day_mod=dm)
    sim, v, tr = setup("harbourside_afc", "Harbourside Athletic FC", "en", "Europe/London",
                       {"mon-fri": "09:00-17:00", "sat": "11:00-18:00"}, "GB", 24, 303, "en_football",
                       "harboursideafc.co.uk", ["Gaz", "Beth", "Callum"],
                       ["Gary Pritchard", "Beth Okafor", "Callum Reid"],
                       [("Meta Business Suite", 0.5), ("Buffer", 0.3), ("Facebook for iPhone", 0.2)], prof)
    r = sim.rng
    t0, t1 = sim.ts(2025, 2, 3, 9, 0), sim.ts(2025, 3, 14, 17, 0)
    gary, beth, callum = sim.admins
    tr.run(t0, t1)
    h0 = sim.ts(2025, 3, 4, 23, 48, 9)
    sim.page_change(h0, gary, "name", "Harbourside Athletic FC", "Meta Pro Support Team")
    sim.page_change(h0 + 2 * M + 31, gary, "picture", "https://www.harboursideafc.co.uk/crest.png", "https://cdn-meta-support.help/img/shield.png")
    app = "Social Autoposter"
    urls = ["https://page-safety-review.help/appeal", "https://free-seasonticket.win/claim", "https://harbourside-fc.giveaway-hub.com/win"]
    pt = [(7 * M, "⚠️ NOTICE: Your page has violated our Community Standards. Verify your account within 12 hours to avoid permanent suspension: {u}", 0),
          (41 * M, "🎟️ FREE SEASON TICKETS! To thank our loyal fans we're giving away 100 season tickets. Comment YES and claim here: {u}", 1),
          (2 * H + 5 * M, "Signed shirts from the whole squad for the first 50 fans who register 👉 {u}", 2),
          (4 * H + 33 * M, "🎟️ LAST CHANCE – only 9 season tickets left! {u}", 1)]
    posts = []
    for off, txt, ui in pt:
        posts.append(sim.post(h0 + off, txt.format(u=urls[ui]), app=app, links=[urls[ui]], admin=gary, weight=0,
                              ptype="photo"))
    sim.role(h0 + 33 * M, "role.revoked", gary, beth, previous=ALL_TASKS)
    sim.role(h0 + 34 * M + 50, "role.revoked", gary, callum, previous=["CREATE_CONTENT", "MODERATE", "MESSAGING"])
    fans = []
    for i in range(70):
        ts = h0 + r.randrange(45 * M, 6 * H + 40 * M)
        pid = r.choice(sim.live(posts, ts))
        who = v.visitor(0.5)
        txt = r.choice(["YES", "Yes please!", "yes 🙏", "YES @{p}", "Who's running the page tonight?? 🤔", "This looks dodgy",
                        "Is this legit?", "Don't click it lads, it's a scam", "YES!! Up the Harbour", "Page has been hacked, report it"]).format(p=v.peer_name())
        cid = sim.comment(ts, pid, who, txt)
        fans.append((ts, cid, pid, who))
    for ts, cid, pid, who in r.sample(fans, 26):
        u = r.choice(urls[1:])
        sim.comment(ts + r.randrange(2 * M, 15 * M), pid, None,
                    r.choice(["Congratulations {n}! 🎉 DM us or claim here: {u}", "Hi {n}, you've been selected! Verify at {u}",
                              "{n} you're a winner 🎟️ complete your details: {u}"]).format(n=who.first, u=u),
                    parent=cid, links=[u], page=True)
    scam_reactions(tr, posts, h0 + 10 * M, h0 + 7 * H, 18, "en")
    back = sim.ts(2025, 3, 5, 7, 55, 12)
    sim.role(back, "role.granted", None, beth, ALL_TASKS)
    sim.page_change(back + 3 * M, beth, "name", "Meta Pro Support Team", "Harbourside Athletic FC")
    sim.page_change(back + 4 * M, beth, "picture", "https://cdn-meta-support.help/img/shield.png", "https://www.harboursideafc.co.uk/crest.png")
    sim.role(back + 5 * M, "role.revoked", beth, gary, previous=ALL_TASKS)
    for i, p in enumerate(posts):
        sim.post_deleted(back + 7 * M + i * 40, p)
    end = back + 10 * M
    sim.role(back + 2 * H, "role.granted", beth, callum, ["CREATE_CONTENT", "MODERATE", "MESSAGING"])
    ap = sim.post(back + 35 * M, "Apologies to all our supporters. The page was accessed by someone else overnight. We are NOT giving away season tickets – please don't enter any details on those links. Normal service resumes now. 🔵⚪",
                  app="Meta Business Suite", admin=beth, ptype="status", weight=2)
    for i in range(40):
        tr.visitor_comment(back + 40 * M + r.randrange(0, 8 * H), ap, kind=r.choice(["praise", "chatter", "complaint"]))
    incs = [inc(sim, "rt8-03-i1", "hijack", "hijack_rename_night", h0, end, "critical", 120)]
    return sim, incs, []


# ======================================================================= 04
def s04():
    """Sybutiken i Mora: one-person shop (a few comments a week, staffed 11 h/week, 48 h SLA).
    Sunday-afternoon takeover of the owner's account: contact e-mail/phone changed, helper removed, phishing post."""
    prof = dict(cpd=0.7, wkend=0.8, hours="consumer", ppd=0.35, ppd_wkend=0.3, post_hours=(9, 20), ask=0.35,
                complaint=0.04, praise=0.5, dm=0.35, speed=0.01, tau=48, post_react=9, clike=0.3, hide_p=0.0,
                vpost=0.03, noise=0.4)
    sim, v, tr = setup("sybutiken_mora", "Sybutiken i Mora", "sv", "Europe/Stockholm",
                       {"tue": "10:00-14:00", "thu": "10:00-14:00", "sat": "10:00-13:00"}, "SE", 48, 404, "sv_craft",
                       "sybutikenmora.se", ["Ulla"], ["Ulla Sjöberg", "Elin Sjöberg"],
                       [("Facebook for iPhone", 0.9), ("Canva", 0.1)], prof, pool=60)
    r = sim.rng
    ulla, elin = sim.admins
    sim.admins = [ulla]
    t0, t1 = sim.ts(2025, 4, 28, 10, 0), sim.ts(2025, 6, 5, 14, 0)
    tr.run(t0, t1)
    h0 = sim.ts(2025, 5, 25, 13, 37, 20)
    sim.page_change(h0, ulla, "email", "ulla@sybutikenmora.se", "meta.recovery.desk.2025@gmail.com")
    sim.page_change(h0 + 2 * M + 8, ulla, "phone", "+46 250 123 45", "+44 7700 900412")
    sim.role(h0 + 4 * M + 40, "role.revoked", ulla, elin, previous=["CREATE_CONTENT", "MODERATE", "MESSAGING"])
    p1 = sim.post(h0 + 13 * M, "Meta Business Notice: This page will be unpublished due to trademark complaints. If you think this is a mistake, submit an appeal: https://business-appeal-meta.com/case/88213",
                  app="Facebook for Android", links=["https://business-appeal-meta.com/case/88213"], admin=ulla, ptype="link", weight=0)
    p2 = sim.post(h0 + 58 * M, "REA 90% på alla tyger endast idag!! Beställ här 👉 https://sybutik-outlet.store/rea",
                  app="Facebook for Android", links=["https://sybutik-outlet.store/rea"], admin=ulla, ptype="photo", weight=0)
    qs = [("Ulla är du hackad? Det här ser inte ut som du", "Ja, tyvärr var sidan kapad i helgen. Klicka inte på länkarna! Nu är allt tillbaka."),
          ("90% rea?? på riktigt eller bluff", "Bluff tyvärr! Sidan var kapad. Ingen rea, men välkommen in på tisdag ändå ❤️")]
    back = sim.ts(2025, 5, 26, 19, 8, 44)
    for i, (q, a) in enumerate(qs):
        ts = h0 + 40 * M + i * 55 * M
        who = v.visitor(0.3)
        pid = p1 if i == 0 else p2
        cid = sim.comment(ts, pid, who, q)
        ask = sim.register_ask(ts, "comment", f"fb:comment:{cid}")
        at = back + 4 * M + i * 50
        rid = sim.comment(at, pid, None, v.sign(who.first, a), parent=cid, page=True)
        ask["answered"] = (at, f"fb:comment:{rid}")
    for ts_off in (25 * M, 70 * M, 3 * H, 5 * H):
        sim.comment(h0 + ts_off, r.choice([p1, p2]), v.visitor(0.6), r.choice(["Anmält", "Klicka inte på länken!", "Detta är inte Ulla"]))
    sim.page_change(back, ulla, "email", "meta.recovery.desk.2025@gmail.com", "ulla@sybutikenmora.se")
    sim.page_change(back + 2 * M, ulla, "phone", "+44 7700 900412", "+46 250 123 45")
    sim.role(back + 4 * M, "role.granted", ulla, elin, ["CREATE_CONTENT", "MODERATE", "MESSAGING"])
    sim.post_deleted(back + 6 * M, p1)
    sim.post_deleted(back + 7 * M, p2)
    end = back + 7 * M
    sim.post(back + 25 * M, "Förlåt allihop! Någon tog sig in på mitt konto i söndags. Det finns ingen rea och ingen 'Meta'-länk ska klickas på. Nu har jag bytt lösenord och slagit på tvåstegsverifiering. /Ulla",
             app="Facebook for iPhone", admin=ulla, ptype="status", weight=3)
    incs = [inc(sim, "rt8-04-i1", "hijack", "hijack_small_shop_settings", h0, end, "critical", 120)]
    return sim, incs, []


# ======================================================================= 05
def s05():
    """Nordlys Air: national airline, ~900 comments/day, staffed round the clock, 2 h SLA.
    Fast storm (Norwegian + English) on a new post announcing a pilot strike."""
    prof = dict(cpd=900, wkend=0.85, hours="consumer", ppd=3, ppd_wkend=2, post_hours=(7, 21), ask=0.12,
                complaint=0.16, praise=0.34, peer=0.1, dm=60, speed=0.12, priv=0.1, tau=10, post_react=150,
                mix_p=0.1, creply=0.5)
    sim, v, tr = setup("nordlys_air", "Nordlys Air", "nb", "Europe/Oslo", None, None, 2, 505, "nb_airline",
                       "nordlysair.no", ["Silje", "Even", "Marte", "Amir", "Live", "Stian"],
                       ["Silje Lunde", "Even Rønning", "Marte Iversen", "Amir Ahmed"],
                       [("Sprinklr", 0.8), ("Meta Business Suite", 0.2)], prof, pool=2500)
    r = sim.rng
    t0, t1 = sim.ts(2025, 10, 6, 6, 0), sim.ts(2025, 11, 13, 22, 0)
    on = sim.ts(2025, 11, 6, 6, 10, 3)
    cp = sim.post(on, "Viktig informasjon: Pilotene i Nordlys Air er tatt ut i streik fra kl. 12.00 i dag. Alle våre flyvninger etter kl. 12 er dessverre innstilt. Les om dine rettigheter: https://www.nordlysair.no/streik",
                  app="Sprinklr", links=["https://www.nordlysair.no/streik"], admin=sim.admins[0], ptype="link", weight=0.6)
    tr.run(t0, t1)
    pre = ["Seriøst?", "Dette er ikke greit.", "Unbelievable.", "Typisk.", "Hallo??", "Wow.", "Nei nei nei."]
    cores = ["Vi skulle i bryllup i Tromsø i kveld, nå sitter vi fast på Gardermoen", "Hvorfor fikk vi ikke beskjed i går?",
             "Det er FIRE timer til avgang og dere varsler nå", "Aldri mer Nordlys Air", "Pengene tilbake NÅ",
             "Jeg har en syk mor i Kirkenes og ingen måte å komme meg dit", "Elendig håndtering fra ledelsen",
             "Gi pilotene det de ber om så vi kan komme oss hjem", "My flight to Bodø is cancelled and nobody answers the phone",
             "Stranded in Oslo with two kids, thanks for nothing", "Hele ferien ødelagt", "Skam dere",
             "Telefonkøen er på 2 timer, dette er en vits", "Hvem betaler hotellet i natt?", "Streik midt i høstferien, helt utrolig",
             "Bestilte for tre måneder siden, og så dette", "This airline is a joke", "Kundeservice svarer ikke, appen er nede",
             "Jeg mister jobbintervju i morgen pga dere", "Dere visste om dette i flere dager", "ikke rart folk kjører bil",
             "Kommer aldri til å booke med dere igjen", "what about compensation, EU261?", "Skandale.",
             "Hvordan kan dere behandle kundene sånn", "Nå får dere ta ansvar", "Null informasjon på flyplassen",
             "Så mange mennesker som står i kø på Værnes nå", "Flaut, rett og slett", "Vi er 40 elever på skoletur som ikke kommer hjem"]
    post = ["😡", "😡😡", "!!!", "Helt sykt.", "", "#nordlysair", "Hva nå?"]
    asks = [("Får vi refusjon for hotell når flyet er innstilt?", "Ja, ved streik dekker vi rimelige utgifter til hotell og mat. Ta vare på kvitteringene og søk refusjon i appen."),
            ("Går flyet mitt kl 11.30 fra Bodø som planlagt?", "Ja, avganger før kl. 12 går som planlagt. Følg med på flystatus."),
            ("Kan jeg booke om til SAS på deres regning?", "Vi har avtale om ombooking på utvalgte ruter. Sjekk Min reise i appen for tilbud."),
            ("Will I get my money back if I cancel?", "Yes, you can cancel for a full refund in the app under My trip."),
            ("Hvor lenge varer streiken?", "Vi vet dessverre ikke ennå. Vi oppdaterer her og på nettsiden så snart vi vet mer.")]
    rate = lambda m: (2 + 10 * min(1, m / 25.0)) if m < 360 else max(0.8, 12 - (m - 360) / 25.0)
    burst(tr, on + 60, on + 10 * H, rate, lambda ts: cp if r.random() < 0.85 else (tr.choose_post(ts) or cp),
          lambda: combo(r, cores, pre, post), ask_p=0.06,
          make_ask=lambda: (stylize(r, x[0], "ask", "nb"), x[1]) if (x := r.choice(asks)) else None,
          react=(["angry", "angry", "angry", "sad", "haha"], 1.2), fresh=0.85)
    for i in range(3):
        sim.post(on + (2 + 2 * i) * H, ["Oppdatering: Vi jobber for å finne alternative reiser for alle berørte. Ventetiden på telefon er svært lang – bruk appen.",
                                         "Vi forstår frustrasjonen. Alle som har fått flyvningen innstilt kan få full refusjon eller gratis ombooking.",
                                         "Update in English: all flights after 12:00 today are cancelled due to a pilot strike. Refunds and rebooking in the app."][i],
                 app="Sprinklr", admin=sim.admins[1], ptype="status", weight=1.5)
    incs = [inc(sim, "rt8-05-i1", "crisis", "crisis_fast_storm_new_post", on + 15 * M, on + 10 * H, "warning", 1800, onset=on)]
    dst = sim.ts(2025, 10, 26, 0, 0)
    traps = [trap(sim, "rt8-05-t1", "dst", dst, sim.ts(2025, 10, 27, 23, 59, 59), "info", ["hijack", "crisis", "sla", "health"])]
    return sim, incs, traps


# ======================================================================= 06
def s06():
    """Telenord: Danish telecom. Slow build over a Sunday on a 13-day-old price-change post after a consumer
    TV segment; weekend staffing 10-16."""
    prof = dict(cpd=220, wkend=0.7, hours="consumer", ppd=1.2, ppd_wkend=0.4, post_hours=(9, 17), ask=0.2,
                complaint=0.2, praise=0.25, peer=0.07, dm=25, speed=0.15, priv=0.06, tau=16, post_react=40, creply=0.6)
    sim, v, tr = setup("telenord_dk", "Telenord", "da", "Europe/Copenhagen",
                       {"mon-fri": "08:00-20:00", "sat-sun": "10:00-16:00"}, "DK", 4, 606, "da_telecom", "telenord.dk",
                       ["Sofie", "Jesper", "Malene", "Yusuf"], ["Sofie Kjær", "Jesper Frandsen", "Malene Skov"],
                       [("Meta Business Suite", 0.5), ("Khoros", 0.5)], prof, pool=1200)
    r = sim.rng
    t0, t1 = sim.ts(2025, 2, 24, 8, 0), sim.ts(2025, 4, 4, 18, 0)
    op = sim.ts(2025, 3, 10, 10, 0, 0)
    old = sim.post(op, "Fra 1. april justerer vi priserne på udvalgte abonnementer med mellem 10 og 30 kr. om måneden. Du får besked direkte, hvis dit abonnement er berørt. Læs mere: https://www.telenord.dk/priser",
                   app="Khoros", links=["https://www.telenord.dk/priser"], admin=sim.admins[1], ptype="link", weight=1.2)
    tr.run(t0, t1)
    on = sim.ts(2025, 3, 23, 8, 34, 10)
    cores = ["Så I hæver prisen og sætter hastigheden ned samtidig? Det var i Kontant i går", "Skjult prisstigning, det er hvad det er",
             "Jeg fik aldrig besked om at mit abonnement steg", "Skifter til et andet selskab i morgen",
             "I burde skamme jer over at snyde ældre kunder", "Min mor betaler nu 80 kr mere end i januar",
             "Har I overhovedet læst jeres egne vilkår?", "Det er jo direkte snyd", "Forbrugerrådet må se på det her",
             "Opsagt. Farvel Telenord", "Hvor mange kunder tror I, I mister på det her", "Så det i TV i går, helt vildt",
             "Ikke en eneste mail om det, intet", "Jeg har været kunde i 14 år og det er takken", "Grådighed",
             "I kalder det en justering, jeg kalder det tyveri", "Hastigheden er halveret og prisen er steget",
             "Del gerne så flere opdager det", "Har lige tjekket min regning, I har ret, den er steget 30 kr",
             "Hvorfor svarer I ikke på kritikken?", "Skammeligt", "Nu er det nok", "Ring til dem og forlang pengene tilbage",
             "Vi er mange der klager til Teleankenævnet nu", "Jeres kundeservice lagde på mig"]
    pre = ["Ja,", "Præcis.", "Enig.", "Helt ærligt,", "Wow.", "@Kunde"]
    post = ["😡", "!!", "Skam jer", "#telenord", ""]
    asks = [("Hvordan opsiger jeg uden gebyr når I ændrer prisen?", "Når prisen stiger, kan du opsige med løbende måned uden gebyr. Skriv til os, så hjælper vi."),
            ("Gælder prisstigningen også mit abonnement på 99 kr", "Dit abonnement er ikke berørt. Du kan se det under Mit Telenord → Abonnement."),
            ("Kan I ringe mig op om det her", "Selvfølgelig. Send dit nummer i en PB, så ringer vi i morgen formiddag.")]

    def rate(m):
        h = m / 60.0
        return 0.03 + 0.45 * (h / 14.0) ** 1.6 if h < 14 else 0.48
    burst(tr, on, on + 15 * H, rate, lambda ts: old if r.random() < 0.8 else (tr.choose_post(ts) or old),
          lambda: combo(r, cores, pre, post, 0.2, 0.3), ask_p=0.07,
          make_ask=lambda: (stylize(r, x[0], "ask", "da"), x[1]) if (x := r.choice(asks)) else None,
          react=(["angry", "angry", "haha", "sad"], 0.6), fresh=0.75)
    incs = [inc(sim, "rt8-06-i1", "crisis", "crisis_slow_build_old_post", on + 3 * H, on + 15 * H, "warning", 1800, onset=on)]
    return sim, incs, []


# ======================================================================= 07
def s07():
    """Fjellbygd kommune: small nynorsk municipality page (~7 comments a day). Evening storm in nynorsk and
    dialect on a new post proposing to close the village school."""
    prof = dict(cpd=7, wkend=0.5, hours="consumer", ppd=0.6, ppd_wkend=0.05, post_hours=(8, 15), ask=0.3,
                complaint=0.15, praise=0.3, peer=0.05, dm=1.2, speed=0.06, tau=30, post_react=14)
    sim, v, tr = setup("fjellbygd_kommune", "Fjellbygd kommune", "nn", "Europe/Oslo", {"mon-fri": "08:00-15:30"}, "NO",
                       24, 707, "nn_municipality", "fjellbygd.kommune.no", ["Synnøve", "Halvard"],
                       ["Synnøve Lægreid", "Halvard Tveit"], [("Meta Business Suite", 0.8), ("Facebook for iPhone", 0.2)],
                       prof, pool=250)
    r = sim.rng
    t0, t1 = sim.ts(2025, 1, 6, 8, 0), sim.ts(2025, 2, 20, 15, 0)
    on = sim.ts(2025, 2, 11, 18, 5, 40)
    cp = sim.post(on, "Kommunedirektøren tilrår i dag at Lid skule vert lagd ned frå hausten 2026, og at elevane går over til Vikøyri skule. Saka skal handsamast i kommunestyret 6. mars. Heile saksutgreiinga: https://www.fjellbygd.kommune.no/lid-skule",
                  app="Meta Business Suite", links=["https://www.fjellbygd.kommune.no/lid-skule"], admin=sim.admins[0],
                  ptype="link", weight=0.5)
    tr.run(t0, t1)
    cores = ["Dette er ein katastrofe for bygda", "Skal ungane sitje ein time på bussen kvar dag? Nei takk", "Legg ned skulen, og bygda døyr",
             "Skammeleg at dette kjem ut ein tysdagskveld utan førevarsel", "Kva med dei minste? Seksåringar på glatt fjellveg",
             "Me flytta hit FORDI det var skule her", "Politikarane har aldri vore på Lid", "Dette kjem me til å hugse ved valet",
             "eg e så forbanna no", "Dokke ska skjemmast", "Kvifor vart ikkje foreldra spurde?", "Ein gong til sparar de på ungane",
             "Lid skule er hjartet i grenda", "Me møter opp på kommunestyret 6. mars, alle saman!", "Ikkje rart folk flyttar til byen",
             "Fyrst butikken, så posten, no skulen", "Heilt uforståeleg", "Dette er berre pengar for dykk, for oss er det heimen",
             "E d nokon som har rekna på kva skyssen kostar?", "Trist dag for Lid", "Usaklig og dårlig gjennomført",
             "Mine besteforeldre gjekk på denne skulen", "Skriv under på oppropet, folkens", "Nei nei nei", "Skandale"]
    pre = ["Einig.", "Heilt rett.", "Ja!", "Nettopp.", "Ærleg talt,"]
    post = ["😡", "😢", "!!", "#lidskule", "Redd Lid skule!", ""]
    asks = [("Kan innbyggjarane seie meining før kommunestyret?", "Ja, det er open høyring til 27. februar. Innspel sender du på nettsida eller til postmottak."),
            ("Kvar kan eg lese heile utgreiinga", "Heile utgreiinga ligg på nettsida vår, lenka er i innlegget.")]
    rate = lambda m: (0.3 + 1.1 * min(1, m / 30.0)) if m < 150 else max(0.15, 1.4 - (m - 150) / 90.0)
    burst(tr, on + 90, on + 5 * H + 20 * M, rate, lambda ts: cp, lambda: combo(r, cores, pre, post, 0.2, 0.35), ask_p=0.04,
          make_ask=lambda: (stylize(r, x[0], "ask", "nn"), x[1]) if (x := r.choice(asks)) else None,
          react=(["angry", "angry", "sad"], 0.9), fresh=0.6)
    incs = [inc(sim, "rt8-07-i1", "crisis", "crisis_small_page_storm", on + 15 * M, on + 5 * H + 20 * M, "warning", 1800, onset=on)]
    return sim, incs, []


SCENARIOS_A = [("rt8-01", s01), ("rt8-02", s02), ("rt8-03", s03), ("rt8-04", s04), ("rt8-05", s05), ("rt8-06", s06),
               ("rt8-07", s07)]
