"""Scenarios 14-20: ordinary-but-tricky periods that must stay quiet."""
import datetime as dt

from inject import burst, combo
from scenarios_a import ALL_TASKS, inc, setup, trap
from simlib import D, H, M
from traffic import stylize


# ======================================================================= 14
def s14():
    """Northway Buses: visitors are always angry. A snow day with many angry comments, like the page's other
    bad-weather and disruption days, all questions answered within the 2 h SLA."""
    bad = {dt.date(2025, 1, 9), dt.date(2025, 1, 15), dt.date(2025, 1, 21), dt.date(2025, 1, 27), dt.date(2025, 2, 5)}

    def dm(day):
        if day in bad:
            return {"mult": 1.7, "complaint": 0.55, "praise": 0.08, "ask": 0.2}
        return None
    prof = dict(cpd=260, wkend=0.6, hours="commuter", ppd=1.6, ppd_wkend=0.7, post_hours=(6, 20), ask=0.18,
                complaint=0.45, praise=0.12, peer=0.1, dm=14, speed=0.12, priv=0.05, tau=8, post_react=20,
                creply=0.25, day_mod=dm)
    sim, v, tr = setup("northway_buses", "Northway Buses", "en", "Europe/London",
                       {"mon-sat": "06:00-22:00", "sun": "08:00-20:00"}, "GB", 2, 1414, "en_bus", "northwaybuses.co.uk",
                       ["Darren", "Priya", "Connor", "Jade"], ["Darren Fletcher", "Priya Begum", "Connor Walsh"],
                       [("Hootsuite", 0.8), ("Meta Business Suite", 0.2)], prof, pool=1200)
    r = sim.rng
    t0, t1 = sim.ts(2025, 1, 6, 6, 0), sim.ts(2025, 2, 14, 21, 0)
    for d in sorted(bad):
        sim.post(sim.ts(d.year, d.month, d.day, 5, 50), r.choice([
            "Snow and ice this morning: services to hilly estates are suspended until roads are gritted. Check live times in the app.",
            "Disruption: heavy traffic and a closure on the A19 are delaying most routes this morning. Sorry for the wait.",
            "Weather update: several routes are running late due to ice. Please allow extra time today."]),
            app="Hootsuite", admin=sim.admins[0], ptype="status", weight=2.0)
    tr.run(t0, t1)
    a = sim.ts(2025, 2, 5, 5, 0)
    return sim, [], [trap(sim, "rt8-14-t1", "angry_but_normal_snow_day", a, a + 19 * H, "info", ["crisis", "sla"])]


# ======================================================================= 15
def s15():
    """Dagens Puls: Danish tabloid, ~1,100 comments a day and angry by default; several controversial stories a
    week. The labelled day is one of them (pension age), within the page's usual range."""
    prof = dict(cpd=1100, wkend=0.9, hours="news", ppd=14, ppd_wkend=10, post_hours=(6, 23), ask=0.01,
                complaint=0.5, praise=0.12, peer=0.22, dm=3, speed=0.2, tau=5, post_react=80, creply=0.05, hide_p=0.4)
    sim, v, tr = setup("dagens_puls", "Dagens Puls", "da", "Europe/Copenhagen", {"mon-sun": "07:00-23:00"}, None, 24,
                       1515, "da_tabloid", "dagenspuls.dk", ["Malene", "Asger"], ["Malene Frandsen", "Asger Bach"],
                       [("SocialFlow", 0.85), ("Meta Business Suite", 0.15)], prof, pool=3000)
    r = sim.rng
    t0, t1 = sim.ts(2025, 3, 3, 6, 0), sim.ts(2025, 4, 11, 23, 0)
    hot = ["Regeringen vil hæve pensionsalderen til 70 – hvad synes du? https://www.dagenspuls.dk/politik/{n}",
           "Politiker fik 400.000 kr i fratrædelse efter 11 måneder https://www.dagenspuls.dk/politik/{n}",
           "Kommune lukker plejehjem – beboere skal flytte inden jul https://www.dagenspuls.dk/nyheder/{n}",
           "Ny afgift på benzinbiler fra 2026 https://www.dagenspuls.dk/penge/{n}",
           "Minister undskylder ikke efter sms-sag https://www.dagenspuls.dk/politik/{n}"]
    days = []
    d = dt.date(2025, 3, 4)
    while d < dt.date(2025, 4, 11):
        days.append(d)
        d += dt.timedelta(days=r.choice([2, 2, 3, 3, 4]))
    label_day = dt.date(2025, 4, 8)
    if label_day not in days:
        days.append(label_day)
    days = sorted(set(days))
    hots = []
    for d in days:
        msg = (hot[0] if d == label_day else r.choice(hot[1:])).format(n=r.randrange(100000, 999999))
        ts = sim.ts(d.year, d.month, d.day, r.choice([7, 8, 9, 11]), r.choice([0, 15, 30, 45]))
        hots.append((d, sim.post(ts, msg, app="SocialFlow", links=[msg.split()[-1]], admin=sim.admins[0], weight=3.0,
                                 ptype="link")))
    tr.run(t0, t1)
    cores = ["Så skal vi arbejde til vi dør", "Politikerne går selv på pension som 60-årige", "Typisk at det er de samme der betaler",
             "Det er en skandale", "Prøv at være tømrer til du er 70", "Hvem stemte på dem?", "Fuldstændig vanvittigt",
             "Jeg er så træt af det her land", "Skam jer", "Det er jo helt til grin", "Og så undrer de sig over at folk er sure",
             "Nej tak", "Klassisk", "De kan godt glemme min stemme", "Smid dem ud", "Det er for dårligt",
             "Læs artiklen før I raser", "Det er nødvendigt, vi lever længere", "Lad os nu se hvad der faktisk står i forslaget"]
    pt = {p: t for t, p, _ in sim.posts}
    for d, pid in hots:
        base = pt[pid] + 60
        peak = 0.9 if d == label_day else r.uniform(0.7, 1.0)
        burst(tr, base, base + 12 * H, lambda m, p=peak: p * max(0.05, 1 - m / 720.0) * 1.6, lambda ts, p=pid: p,
              lambda: combo(r, cores, (), ("😡", "🤬", "", "!!"), 0, 0.3), react=(["angry", "haha", "like"], 0.8),
              fresh=0.5)
    a = sim.ts(2025, 4, 8, 7, 0)
    return sim, [], [trap(sim, "rt8-15-t1", "heated_but_normal_tabloid_day", a, a + 17 * H, "info", ["crisis"])]


# ======================================================================= 16
def s16():
    """Kvarnby Mejeri: product recall handled well. Volume jumps for two days with calm questions; the team works
    late and answers every question quickly (some by private reply)."""
    prof = dict(cpd=25, wkend=0.6, hours="consumer", ppd=0.6, ppd_wkend=0.2, post_hours=(8, 16), ask=0.25,
                complaint=0.1, praise=0.4, peer=0.06, dm=3, speed=0.15, priv=0.06, tau=24, post_react=40)
    sim, v, tr = setup("kvarnby_mejeri", "Kvarnby Mejeri", "sv", "Europe/Stockholm", {"mon-fri": "08:00-16:30"}, "SE",
                       4, 1616, "sv_dairy", "kvarnbymejeri.se", ["Linnea", "Oskar", "Aida"],
                       ["Linnea Dahlin", "Oskar Blom", "Aida Kovačević"],
                       [("Meta Business Suite", 0.9), ("Canva", 0.1)], prof, pool=500)
    r = sim.rng
    t0, t1 = sim.ts(2025, 9, 1, 8, 0), sim.ts(2025, 10, 10, 16, 0)
    on = sim.ts(2025, 10, 2, 9, 30)
    rp = sim.post(on, "ÅTERKALLELSE: Vi återkallar Kvarnby Mellanmjölk 1,5 % 1 liter med bäst före-datum 8 oktober 2025, eftersom en del förpackningar kan ha fått för kort värmebehandling. Drick inte mjölken. Lämna tillbaka den i butiken och få pengarna tillbaka, kvitto behövs inte. Mer info: https://www.kvarnbymejeri.se/aterkallelse",
                  app="Meta Business Suite", links=["https://www.kvarnbymejeri.se/aterkallelse"], admin=sim.admins[0],
                  ptype="link", weight=0.3)
    tr.run(t0, t1)
    qas = [("Gäller det även laktosfri mellanmjölk?", "Nej, bara vanlig mellanmjölk 1,5 % med bäst före 8 oktober."),
           ("Jag har en med bäst före 9 oktober, är den ok", "Ja, den är inte berörd. Bara 8 oktober."),
           ("Min dotter drack ett glas i morse, behöver vi oroa oss?", "Risken är låg, men kontakta 1177 om hon får magbesvär. Hör gärna av dig i PM så följer vi upp."),
           ("Kan jag lämna tillbaka utan kvitto", "Ja, kvitto behövs inte. Butiken ger dig pengarna tillbaka."),
           ("Vad betyder för kort värmebehandling?", "Att pastöriseringen i en av linjerna kan ha varit några sekunder för kort. Vi tar inga risker."),
           ("Gäller det bara Skåne eller även Blekinge", "Mjölken har sålts i Skåne och Blekinge, så båda gäller."),
           ("Får man ersättning för kaffet man inte kunde dricka 😅", "Haha, tyvärr inte för kaffet, men mjölken får du tillbaka ❤️"),
           ("Hur vet jag vilket datum det står, det är otydligt tryckt", "Datumet står på toppen av förpackningen. Skicka gärna en bild i PM så hjälper vi dig."),
           ("Ska man hälla ut den eller ta med paketet tillbaka", "Ta gärna med förpackningen till butiken, men du kan också hälla ut mjölken och ta med bara paketet.")]
    calm = ["Tack för tydlig information", "Bra att ni är så öppna med det här", "Det kan hända alla, bra hanterat",
            "Delar så fler ser", "Kollade kylen, vår hade 10 oktober 👍", "Tack för att ni tar det på allvar",
            "Heja Kvarnby, ni gör rätt", "Fick pengarna tillbaka på ICA direkt, smidigt", "Tummen upp för snabb info",
            "Skönt att veta", "Min mamma undrade, så bra att det står här", "Uppskattar ärligheten", "Ok, tack"]

    def rate(m):
        return 1.4 * (0.5 ** (m / 240.0)) + 0.05
    orig = sim.plan_reply

    def fast(q_ts, speed=0.25, min_delay=120, kind="comment", check=True):
        # the team stays until 21:00 on recall day and answers within ~15-50 minutes
        if on <= q_ts < on + 11 * H + 30 * M:
            return q_ts + r.randrange(4 * M, 45 * M)
        return orig(q_ts, speed, min_delay, kind, check)
    sim.plan_reply = fast
    burst(tr, on + 2 * M, on + 36 * H, rate, lambda ts: rp, lambda: r.choice(calm), ask_p=0.45,
          make_ask=lambda: (stylize(r, x[0], "ask", "sv"), x[1]) if (x := r.choice(qas)) else None,
          react=(["like", "care", "like"], 0.6), kind="praise", fresh=0.8)
    sim.plan_reply = orig
    return sim, [], [trap(sim, "rt8-16-t1", "product_recall_calm", on, on + 2 * D, "info", ["crisis", "sla"])]


# ======================================================================= 17
def s17():
    """Vossevangen IL: tiny nynorsk sports club page (~5 comments a day, staffed two evenings a week, 48 h SLA).
    A goalkeeper video from the kids' cup goes viral: thousands of happy comments, many in English."""
    prof = dict(cpd=5, wkend=1.2, hours="consumer", ppd=0.45, ppd_wkend=0.6, post_hours=(9, 21), ask=0.2,
                complaint=0.05, praise=0.5, peer=0.1, dm=0.5, speed=0.02, tau=30, post_react=15, hide_p=0.0)
    sim, v, tr = setup("vossevangen_il", "Vossevangen IL", "nn", "Europe/Oslo",
                       {"mon": "18:00-21:00", "thu": "18:00-21:00"}, "NO", 48, 1717, "nn_sports", "vossevangen-il.no",
                       ["Gaute", "Åse"], ["Gaute Hovland", "Åse Rygg"], [("Facebook for Android", 0.7), ("Meta Business Suite", 0.3)],
                       prof, pool=200)
    r = sim.rng
    t0, t1 = sim.ts(2025, 5, 5, 9, 0), sim.ts(2025, 6, 20, 21, 0)
    on = sim.ts(2025, 6, 1, 15, 22)
    vp = sim.post(on, "For ei redning! 🧤 Keeperen vår Ingebjørg (11) heldt nullen i cupfinalen i dag, og denne siste redninga må de berre sjå. Så stolte av heile J12-laget ❤️💛",
                  app="Facebook for Android", admin=sim.admins[0], ptype="video", weight=0.2)
    tr.run(t0, t1)
    joy = ["For ei redning!!! 😍", "Heia Ingebjørg!", "Det her er jo landslagsnivå", "Fekk frysningar", "Så stolt av jentene ❤️",
           "WOW what a save 🧤🔥", "Future Norway keeper right there", "Sent from Brazil, incredible!", "This made my day 😭",
           "Kor gamal er ho? 11?! Heilt rått", "Eg har sett denne 20 gonger no", "Hilsen fra Trondheim, for ei jente!",
           "Ho må jo til Brann!", "Legend 🙌", "Amazing reflexes", "Viste denne til heile kontoret", "Grattis med sigeren J12!",
           "Dette er grunnen til at me elskar breiddeidrett", "Herleg!!", "Så godt trenararbeid ❤️", "Unbelievable",
           "From Scotland with love 🏴", "Gåsehud", "Heilt utruleg redning", "Fantastisk, gratulerer til heile laget",
           "@{peer} sjå denne!", "@{peer} you have to see this", "Ho er betre enn keeperen til laget mitt 😂", "Kjempeflott, Voss!"]
    qas = [("Kvar kan eg kjøpe drakta til laget?", "Draktene får du kjøpt i klubbhuset, eller send oss ei melding så ordnar me det."),
           ("Can we share this video on our club page?", "Yes, please share it! Just tag Vossevangen IL 😊"),
           ("Kan pressa ta kontakt med foreldra?", "Send oss ei melding, så formidlar me kontakt med foreldra.")]

    def rate(m):
        h = m / 60.0
        if h < 3:
            return 0.2 + 2.8 * h / 3
        return max(0.05, 3.0 * (0.5 ** ((h - 3) / 6.0)))
    burst(tr, on + 3 * M, on + 40 * H, rate, lambda ts: vp, lambda: v.fill(r.choice(joy)), ask_p=0.01,
          make_ask=lambda: r.choice(qas), react=(["love", "like", "wow", "love"], 3.0), kind="praise", fresh=0.95)
    return sim, [], [trap(sim, "rt8-17-t1", "viral_happy_post", on, on + 2 * D, "info", ["crisis", "sla"])]


# ======================================================================= 18
def s18():
    """Skärgårdens Försäkring: Finland-Swedish insurer. A new social-media agency is announced, then granted roles
    during office hours and starts publishing through its own tool the same afternoon."""
    prof = dict(cpd=35, wkend=0.45, hours="office", ppd=0.7, ppd_wkend=0.1, post_hours=(8, 16), ask=0.26,
                complaint=0.16, praise=0.28, peer=0.05, dm=6, speed=0.15, priv=0.05, tau=24, post_react=18)
    sim, v, tr = setup("skargardens_forsakring", "Skärgårdens Försäkring", "fisv", "Europe/Helsinki",
                       {"mon-fri": "08:00-16:00"}, "FI", 8, 1818, "fisv_insurance", "skargardensforsakring.fi",
                       ["Camilla", "Kaj", "Sanna"], ["Camilla Backman", "Kaj Nordling", "Sanna Granqvist"],
                       [("Meta Business Suite", 1.0)], prof, pool=400)
    r = sim.rng
    t0, t1 = sim.ts(2025, 10, 6, 8, 0), sim.ts(2025, 11, 14, 16, 0)
    cam = sim.admins[0]
    ann = sim.ts(2025, 11, 3, 10, 5)
    sim.post(ann, "Från och med denna vecka får vi hjälp med våra sociala medier av kommunikationsbyrån Havsbris i Vasa. Robin och Jonna från Havsbris kommer att svara på era frågor här tillsammans med oss. Välkomna! 🌊",
             app="Meta Business Suite", admin=cam, ptype="photo", weight=1.2)
    g = sim.ts(2025, 11, 4, 9, 41, 17)
    robin, jonna = sim.person("Robin Sandvik"), sim.person("Jonna Lehtonen")
    sim.role(g, "role.granted", cam, robin, ["CREATE_CONTENT", "MODERATE", "MESSAGING", "ANALYZE"])
    sim.role(g + 47 * M, "role.granted", cam, jonna, ["CREATE_CONTENT", "MODERATE", "MESSAGING"])
    fp = sim.ts(2025, 11, 4, 14, 2, 30)
    tr.run(t0, fp - 1)
    sim.apps = [("Meta Business Suite", 0.5), ("Sprout Social", 0.5)]
    sim.admins = [cam, robin, jonna]
    tr.v.agents = ["Camilla", "Robin, Havsbris", "Jonna, Havsbris"]
    sim.post(fp, "Höststormarna är här. Kolla våra fem tips för att säkra båten inför vintern: https://www.skargardensforsakring.fi/tips/batvinter",
             app="Sprout Social", links=["https://www.skargardensforsakring.fi/tips/batvinter"], admin=robin, ptype="link")
    tr.run(fp + 1, t1)
    dst = sim.ts(2025, 10, 26, 0, 0)
    return sim, [], [trap(sim, "rt8-18-t1", "legit_role_grant_agency", g, sim.ts(2025, 11, 5, 17, 0), "warning", ["hijack"]),
                     trap(sim, "rt8-18-t2", "new_app_daytime", fp, fp, "warning", ["hijack"]),
                     trap(sim, "rt8-18-t3", "dst", dst, sim.ts(2025, 10, 27, 23, 59, 59), "info", ["hijack", "crisis", "sla", "health"])]


# ======================================================================= 19
def s19():
    """Ljusbärarna Barnfond: charity telethon on a Saturday night. The team posts every half hour until after
    midnight with donation links; thousands of supportive comments; questions answered live."""
    prof = dict(cpd=40, wkend=0.7, hours="consumer", ppd=0.8, ppd_wkend=0.3, post_hours=(9, 16), ask=0.18,
                complaint=0.06, praise=0.5, peer=0.06, dm=4, speed=0.1, priv=0.04, tau=24, post_react=40)
    sim, v, tr = setup("ljusbararna", "Ljusbärarna Barnfond", "sv", "Europe/Stockholm", {"mon-fri": "09:00-16:00"}, "SE",
                       24, 1919, "sv_charity", "ljusbararna.se", ["Tove", "Rasmus", "Alva"],
                       ["Tove Engström", "Rasmus Holm", "Alva Nyström"],
                       [("Meta Business Suite", 0.85), ("Facebook for iPhone", 0.15)], prof, pool=900)
    r = sim.rng
    t0, t1 = sim.ts(2025, 10, 20, 8, 0), sim.ts(2025, 11, 28, 16, 0)
    g0 = sim.ts(2025, 11, 22, 19, 30)
    tr.run(t0, t1)
    msgs = ["Nu börjar Ljusgalan! 🕯️ Swisha valfritt belopp till 900 1234 eller ge här: https://www.ljusbararna.se/ge",
            "Vi har passerat 1 miljon kronor! Tack alla ❤️ https://www.ljusbararna.se/ge",
            "Möt Elias, 7 år, som berättar om sin tid på barnonkologen i kväll.",
            "2,5 miljoner! Ni är fantastiska. Fortsätt ge: https://www.ljusbararna.se/ge",
            "Nu sjunger barnkören från Umeå – och insamlingen tickar på 🎶",
            "Vi har passerat 5 miljoner kronor!!! 🎉 https://www.ljusbararna.se/ge",
            "Tack till alla volontärer i telefonerna i kväll 📞",
            "Strax midnatt – 7,2 miljoner. Vi sänder vidare på webben till kl 01 https://www.ljusbararna.se/live",
            "Slutsumma i natt: 8 314 550 kr. Tack Sverige! Godnatt 💛"]
    offs = [0, 35, 70, 100, 140, 180, 220, 270, 355]
    pids = []
    for i, (m, o) in enumerate(zip(msgs, offs)):
        links = [w for w in m.split() if w.startswith("https://")]
        pids.append((g0 + o * M, sim.post(g0 + o * M, m, app="Meta Business Suite", links=links,
                                          admin=sim.admins[i % 2], ptype="video" if i in (2, 4) else "photo", weight=1.0)))
    cheer = ["Swishat 200 ❤️", "Skänkt! Kram till alla barn", "Gav 500 för min systerson som är frisk idag 🙏", "Tårarna rinner här hemma",
             "Swishat från hela familjen", "Vilken kväll", "Heja heja!", "Tack för att ni finns", "Gav 100, mer har jag inte men ändå ❤️",
             "Vi i klass 4B har samlat ihop 1 450 kr!", "Skänkt i min mammas namn 🕯️", "Så fint program", "Världens viktigaste gala",
             "Ger varje år, kommer alltid göra det", "Från Finland med kärlek 💙", "Gav 250 🎗️", "Elias är en hjälte",
             "Fantastiskt! 5 miljoner!!", "Swishat igen 😅", "Rörd till tårar", "Hela släkten har gett ikväll"]
    qas = [("Hur swishar man från ett utländskt nummer?", "Från utlandet kan du ge med kort på ljusbararna.se/ge – det går lika bra!"),
           ("Får man kvitto på gåvan", "Ja, ange din e-post när du ger på hemsidan så kommer kvittot direkt."),
           ("Går det att ge via faktura från företaget", "Absolut, mejla foretag@ljusbararna.se så skickar vi en faktura på måndag.")]
    orig = sim.plan_reply

    def live(q_ts, speed=0.25, min_delay=120, kind="comment", check=True):
        if g0 - 30 * M <= q_ts < g0 + 6 * H:
            return q_ts + r.randrange(3 * M, 35 * M)
        return orig(q_ts, speed, min_delay, kind, check)
    sim.plan_reply = live

    def pick(ts):
        cands = [p for t, p in pids if t <= ts]
        return cands[-1] if r.random() < 0.7 else r.choice(cands)

    def rate(m):
        return 3.5 if m < 300 else max(0.2, 3.5 - (m - 300) / 20.0)
    burst(tr, g0 + 1 * M, g0 + 6 * H, rate, pick, lambda: r.choice(cheer), ask_p=0.02,
          make_ask=lambda: (stylize(r, x[0], "ask", "sv"), x[1]) if (x := r.choice(qas)) else None,
          react=(["love", "care", "like"], 2.5), kind="praise", fresh=0.9)
    sim.plan_reply = orig
    a, b = g0 - 30 * M, g0 + 7 * H
    return sim, [], [trap(sim, "rt8-19-t1", "telethon_night_posts", a, b, "warning", ["hijack"]),
                     trap(sim, "rt8-19-t2", "telethon_volume", a, b, "info", ["crisis", "sla"]),
                     trap(sim, "rt8-19-t3", "dst", sim.ts(2025, 10, 26, 0, 0), sim.ts(2025, 10, 27, 23, 59, 59), "info",
                          ["hijack", "crisis", "sla", "health"])]


# ======================================================================= 20
def s20():
    """Loom & Needle: British yarn shop whose followers chat and ask each other questions all the time. A busy
    Sunday 'sock club' thread full of questions addressed to other members, not to the page."""
    prof = dict(cpd=70, wkend=1.1, hours="consumer", ppd=0.9, ppd_wkend=0.8, post_hours=(9, 18), ask=0.1,
                complaint=0.04, praise=0.36, peer=0.18, peerq=0.2, dm=4, speed=0.15, priv=0.05, tau=20, post_react=30)
    sim, v, tr = setup("loom_and_needle", "Loom & Needle", "en", "Europe/London", {"mon-sat": "09:30-17:30"}, "GB", 24,
                       2020, "en_craft", "loomandneedle.co.uk", ["Claire", "Beth"], ["Claire Armstrong", "Beth Pritchard"],
                       [("Meta Business Suite", 0.6), ("Planoly", 0.4)], prof, pool=700)
    r = sim.rng
    t0, t1 = sim.ts(2025, 1, 13, 9, 0), sim.ts(2025, 2, 21, 17, 0)
    sc = sim.ts(2025, 2, 16, 9, 0)
    sp = sim.post(sc, "Sunday sock club 🧦 Show us what's on your needles this week and help each other out – our resident sock wizards are in the comments!",
                  app="Planoly", admin=sim.admins[0], ptype="photo", weight=0.3)
    tr.run(t0, t1)
    show = ["First pair of toe-ups, be gentle 😅", "Second sock syndrome is real", "Vanilla socks in the heather colourway 💜",
            "Finally turned a heel without crying", "My 12th pair this year!", "Stripes because why not",
            "Made these for my dad's 70th", "Trying two-at-a-time on magic loop", "Fish lips kiss heel, game changer"]
    n = 0
    t = sc + 5 * M
    members = []
    while t < sc + 10 * H:
        t += int(r.expovariate(1 / (3.2 * M)))
        who = v.visitor(0.5)
        if members and r.random() < 0.55:
            _, ocid, owho = r.choice(members[-25:])
            q, a = r.choice(v.b["peer"])
            q = q.replace("{peer}", owho.first)
            cid = sim.comment(t, sp, who, stylize(r, q, "chatter", "en"), parent=ocid)
            sim.comment(t + r.randrange(3 * M, 90 * M), sp, owho, stylize(r, a, "chatter", "en"), parent=ocid)
        else:
            cid = sim.comment(t, sp, who, stylize(r, r.choice(show), "praise", "en"))
            members.append((t, cid, who))
            sim.comments_by_post.setdefault(sp, []).append((t, cid, who))
        for _ in range(r.randrange(0, 4)):
            sim.react(t + r.randrange(60, 4 * H), cid, v.visitor(0.4), r.choice(["like", "love"]))
        n += 1
    return sim, [], [trap(sim, "rt8-20-t1", "community_chat_peer_questions", sc, sc + 27 * H, "info", ["sla", "crisis"])]


SCENARIOS_C = [("rt8-14", s14), ("rt8-15", s15), ("rt8-16", s16), ("rt8-17", s17), ("rt8-18", s18), ("rt8-19", s19),
               ("rt8-20", s20)]
