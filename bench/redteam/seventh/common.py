# -*- coding: utf-8 -*-
import datetime as dt
import math

from cal import UTC, fmt
from sim import Sim, TD, ALL_TASKS
import texts as T


def prof(**kw):
    lang = kw["lang"]
    p = {
        "pool": 400, "visitor_langs": [(lang, 1)], "posts_per_day": {0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 0.3, 6: 0.1},
        "post_hours": [9, 10, 11, 12, 13, 14, 15], "comments_per_post": 8, "dms_per_day": 1.0,
        "apps": [("Meta Business Suite", 6), ("Facebook for iPhone", 2), ("", 1)], "sig_fmt": "/{s}",
        "qa_lang": lang, "qa": [], "items": {}, "complaints": {}, "praises": {}, "visitor_posts_per_day": 0.15,
    }
    p.update(kw)
    sla = p["sla"]
    p["sla_s"] = int(sla[:-1]) * (3600 if sla.endswith("h") else 60)
    if p["qa_lang"] not in p["items"]:
        p["items"][p["qa_lang"]] = p["items"][lang]
    for l, _ in p["visitor_langs"]:
        p["items"].setdefault(l, p["items"].get("en", p["items"][lang]))
    return p


def loc(sim, s):
    return dt.datetime.strptime(s, "%Y-%m-%d %H:%M").replace(tzinfo=sim.tz).astimezone(UTC)


def iso(s):
    return dt.datetime.fromisoformat(s).astimezone(UTC)


def poisson(rng, lam):
    if lam > 50:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    L, k, pr = math.exp(-lam), 0, 1.0
    while True:
        pr *= rng.random()
        if pr < L:
            return k
        k += 1


def warn_lang(sim, v):
    l = v["lang"]
    return "sv" if l == "fi" else l


def scam_wave(sim, t0, posts, app, admin, brand, comments=(3, 8), bot_share=0.35, react=(5, 25)):
    """attacker posts (offset minutes, message, type); locals warn, bots cheer."""
    r = sim.rng
    out = []
    for off, msg, ptype in posts:
        t = t0 + TD(minutes=off, seconds=r.randint(0, 59))
        pid = sim.page_post(t, msg, app=app, admin=admin, ptype=ptype)
        out.append((t, pid))
        for _ in range(r.randint(*comments)):
            tc = t + TD(seconds=r.expovariate(1 / 2400) + 40)
            if r.random() < bot_share:
                bot = sim.stranger("en", r.choice(["Crypto Lena", "Mike Wins", "Sandra Giveaways", "Trader Joe Smith",
                                                    "Lucky Anna", "Official Rewards"]))
                sim.comment(tc, bot, pid, r.choice(T.SCAM_BOTS))
            else:
                v = sim.visitor()
                sim.comment(tc, v, pid, r.choice(T.SCAM_WARN[warn_lang(sim, v)]).replace("{brand}", brand))
        for _ in range(r.randint(*react)):
            tr = t + TD(seconds=r.expovariate(1 / 3000) + 20)
            sim.react(tr, sim.visitor(), pid, sim._pick([("angry", 4), ("haha", 3), ("like", 3), ("wow", 2)]))
    return out


HOLDING = {"da": "Vi forstår godt jeres reaktioner og læser alle kommentarer. Læs mere i linket i opslaget.",
           "sv": "Vi förstår reaktionerna och läser alla kommentarer. Vi återkommer med mer information.",
           "no": "Vi forstår reaksjonene og leser alle kommentarene. Vi kommer tilbake med mer informasjon.",
           "en": "We hear you and we're reading every comment. We'll come back with more information.",
           "fi": "Vi förstår reaktionerna och läser alla kommentarer. Vi återkommer med mer information."}


def crisis(sim, pid, t0, phases, texts, langs, qa=None, react_mix=None, rpc=2.0, q_share=0.1, like_share=0.3):
    """phases: (minutes, comments per hour, main). texts: {lang: {"neg": [...], "other": [...]}};
    qa: {lang: [(q, a)]}. Returns (first comment, last comment of the main phases)."""
    r = sim.rng
    react_mix = react_mix or [("angry", 55), ("sad", 10), ("haha", 15), ("like", 15), ("wow", 5)]
    t = t0
    first = last_main = None
    for dur, rate, main in phases:
        n = poisson(r, rate * dur / 60)
        times = sorted(t + TD(seconds=r.uniform(0, dur * 60)) for _ in range(n))
        for tc in times:
            lang = sim._pick(langs)
            v = sim.visitor(lang)
            x = r.random()
            if qa and x < q_share and qa.get(lang):
                q, a = r.choice(qa[lang])
                cid = sim.comment(tc, v, pid, q)
                sim.page_reply(tc, pid, cid, v, "question", a)
            elif x < 0.8:
                m = r.choice(texts[lang]["neg"])
                if r.random() < 0.2:
                    m = m.rstrip(".!") + r.choice(["!!", "!", " 😡", " 🤬", ".", " 👎"])
                cid = sim.comment(tc, v, pid, m)
                if "?" in m:
                    sim.page_reply(tc, pid, cid, v, "question", HOLDING[lang])
            else:
                m = r.choice(texts[lang]["other"])
                cid = sim.comment(tc, v, pid, m)
                if "?" in m and not m.startswith("@"):
                    sim.page_reply(tc, pid, cid, v, "question", HOLDING[lang])
            for _ in range(poisson(r, rpc)):
                sim.react(tc + TD(seconds=r.randint(5, 900)), sim.visitor(), pid, sim._pick(react_mix))
            if r.random() < like_share:
                sim.react(tc + TD(seconds=r.randint(30, 1800)), sim.visitor(), cid, "like")
            first = first or tc
            if main:
                last_main = tc
        t += TD(minutes=dur)
    return first, last_main


def incident(sim, typ, cat, start, end, sev, delay, onset=None):
    d = {"page": sim.p["key"], "category": cat, "type": typ, "start": fmt(start, sim.tz), "end": fmt(end, sim.tz),
         "min_severity": sev, "max_delay_s": delay}
    if onset is not None:
        d["onset"] = fmt(onset, sim.tz)
    return d


def trap(sim, typ, start, end, sev, cats):
    return {"page": sim.p["key"], "type": typ, "start": fmt(start, sim.tz), "end": fmt(end, sim.tz),
            "max_severity": sev, "categories": list(cats)}


def sla_incident(sim, a, b, typ="sla_backlog"):
    """SLA incident from the generator's own question log: breaches asked before the blackout ends whose deadline is in or after it."""
    br = [x for x in sim.breaches() if x[0] < b and x[1] >= a]
    assert br, "no breach generated"
    start = min(x[1] for x in br)
    end = max(x[2] for x in br)
    return incident(sim, typ, "sla", start, end, "warning", 900), br
