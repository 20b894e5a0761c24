"""Shared helpers for rt5 scenarios: page presets, waves, hijack pieces."""
import datetime as dt
import math

import text as TX
from engine import poisson

PLACES = {
 "sv": ["Göteborg", "Malmö", "Uppsala", "Västerås", "Örebro", "Linköping", "Umeå", "Luleå", "Sundsvall", "Gävle"],
 "da": ["Aarhus", "Odense", "Aalborg", "Esbjerg", "Vejle", "Randers", "Roskilde", "Horsens", "Herning", "Kolding"],
 "no": ["Bergen", "Trondheim", "Stavanger", "Drammen", "Kristiansand", "Tromsø", "Fredrikstad", "Bodø", "Ålesund", "Hamar"],
 "en": ["Leeds", "Bristol", "Brighton", "Camden", "Croydon", "Reading", "Oxford", "Cambridge", "Norwich", "Hackney"],
}
TZ = {"sv": "Europe/Stockholm", "da": "Europe/Copenhagen", "no": "Europe/Oslo", "en": "Europe/London"}
CC = {"sv": "SE", "da": "DK", "no": "NO", "en": "GB"}


def D(s):
    return dt.date.fromisoformat(s)


def mkpage(sc, key, name, lang, staffed, sla_h, team, products, people=800, places=None, platform="facebook"):
    return sc.page(key=key, name=name, lang=lang, tz=TZ[lang], country=CC[lang], staffed=staffed, sla_h=sla_h, platform=platform,
                   people=people, team=team, products=products, places=places or PLACES[lang], domain=f"https://www.{key.replace('_', '')}.example")


def interp(profile, h):
    for (h0, r0), (h1, r1) in zip(profile, profile[1:]):
        if h0 <= h <= h1:
            return r0 + (r1 - r0) * (h - h0) / (h1 - h0) if h1 > h0 else r1
    return 0.0


def wave(p, onset, targets, profile, texts, qtexts=(), qshare=0.0, ans_texts=None, react_profile=None, react_kind="angry",
         react_w=None, answer=True, reply_share=0.12):
    """Comments (and reactions) on `targets` (post ids) with an hourly rate following `profile` [(hours, per_hour), ...]."""
    rng = p.rng
    hmax = profile[-1][0]
    step = 600.0
    last = onset
    made = []
    t = onset
    while t < onset + hmax * 3600:
        h = (t - onset) / 3600
        n = poisson(rng, interp(profile, h) * step / 3600)
        for _ in range(n):
            ts = t + rng.uniform(0, step)
            pid = rng.choice(targets)
            per = p.person()
            if qtexts and rng.random() < qshare:
                cid = p.ask(ts, pid, per, p.fill(rng.choice(qtexts)), answer=answer, ans_texts=ans_texts, label="crisis")
            elif made and rng.random() < reply_share:
                pt, pc, ppid = rng.choice(made[-30:])
                cid = p.comment(max(ts, pt + 20), ppid, per, p.fill(rng.choice(texts)), parent=pc)
            else:
                cid = p.comment(ts, pid, per, p.fill(rng.choice(texts)))
                made.append((ts, cid, pid))
            last = max(last, ts)
        if react_profile:
            m = poisson(rng, interp(react_profile, h) * step / 3600)
            kinds = list((react_w or {react_kind: 1}).items())
            for _ in range(m):
                ts = t + rng.uniform(0, step)
                if p.react(ts, rng.choice(targets), p.person(), rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]):
                    last = max(last, ts)
        t += step
    return last


def scam_wave(p, t0, n, who, app, lang, gap=(900, 2700), answer_texts=None, q_texts=None, c_texts=None):
    """Scam posts by a hijacker; visitors react and warn each other."""
    rng = p.rng
    ts = t0
    pids = []
    for i in range(n):
        msg, typ = TX.SCAM_POSTS[rng.randrange(len(TX.SCAM_POSTS))]
        link = f"https://{rng.choice(TX.SCAM_DOMAINS)}/{rng.choice(['verify', 'claim', 'gift', 'appeal', 'login'])}?id={rng.randint(1000, 99999)}"
        pid = p.post(ts, msg.format(link=link), member={"id": who["id"], "name": who["name"], "app": app}, app=app, links=[link], typ=typ)
        pids.append((ts, pid))
        for _ in range(rng.randint(6, 25)):
            p.react(ts + rng.uniform(60, 5400), pid, p.person(), rng.choice(["haha", "angry", "wow", "like", "angry"]))
        for _ in range(rng.randint(1, 5)):
            tc = ts + rng.uniform(120, 5400)
            per = p.person()
            if q_texts and rng.random() < 0.4:
                p.ask(tc, pid, per, rng.choice(q_texts), ans_texts=answer_texts, label="scam")
            else:
                p.comment(tc, pid, per, rng.choice(c_texts or ["Scam!!", "Don't click the link"]))
        ts += rng.uniform(*gap)
    return pids, ts


def stranger(p, name=None):
    return {"id": "1000" + str(p.rng.randint(10**10, 10**11 - 1)), "name": name or p.rng.choice(TX.SCAM_NAMES)}


ALL = ["MANAGE", "CREATE_CONTENT", "MODERATE", "MESSAGING", "ADVERTISE", "ANALYZE"]

SCAM_C = {
 "sv": (["Är det här ett bedrägeri?", "Har ni blivit hackade?", "Är det verkligen ni som lagt upp det här?"],
        ["Klicka INTE på länken!", "Bluff, sidan är kapad.", "Det här är inte på riktigt, akta er."],
        ["Hej {name}! Ja, vår sida kapades i natt. Klicka inte på några länkar – vi har tagit bort inläggen. /{sig}"]),
 "da": (["Er det her svindel?", "Er I blevet hacket?", "Er det virkelig jer, der har lagt det her op?"],
        ["Klik IKKE på linket!", "Fupnummer, siden er hacket.", "Det her er ikke ægte, pas på."],
        ["Hej {name}! Ja, vores side blev hacket i nat. Klik ikke på linkene – opslagene er slettet. /{sig}"]),
 "no": (["Er dette svindel?", "Har dere blitt hacket?", "Er det virkelig dere som har lagt ut dette?"],
        ["IKKE klikk på lenken!", "Svindel, siden er kapret.", "Dette er ikke ekte, pass på."],
        ["Hei {name}! Ja, siden vår ble kapret i natt. Ikke klikk på lenkene – innleggene er slettet. /{sig}"]),
 "en": (["Is this a scam?", "Have you been hacked?", "Is this really you posting this?"],
        ["Do NOT click the link!", "Scam, the page has been hacked.", "This isn't real, be careful everyone."],
        ["Hi {name}! Yes, our page was hacked overnight. Please don't click any links – the posts are gone. ^{sig}"]),
}
