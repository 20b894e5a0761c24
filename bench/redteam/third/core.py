# -*- coding: utf-8 -*-
"""Core of the rt3 generator: pages, ordinary life, staffed-time arithmetic, event emitters."""
import datetime as dt, json, math, random
from zoneinfo import ZoneInfo
from textpools import NAMES, POOL, WAVE, CONTEST, VIRAL

UTC = dt.timezone.utc
D = dt.date
# closed days the generator's staff respect (unambiguous public holidays + the eves the spec names for SE)
HOL = {
 "SE": {D(2025,11,1), D(2025,12,24), D(2025,12,25), D(2025,12,26), D(2025,12,31), D(2026,1,1), D(2026,1,6),
        D(2026,4,3), D(2026,4,6), D(2026,5,1), D(2026,5,14), D(2026,6,6), D(2026,6,19), D(2026,6,20), D(2026,10,31)},
 "DK": {D(2025,12,25), D(2025,12,26), D(2026,1,1), D(2026,4,2), D(2026,4,3), D(2026,4,6), D(2026,5,14), D(2026,5,25)},
 "NO": {D(2025,12,25), D(2025,12,26), D(2026,1,1), D(2026,4,2), D(2026,4,3), D(2026,4,6), D(2026,5,1), D(2026,5,14), D(2026,5,17), D(2026,5,25)},
 "FI": {D(2025,12,6), D(2025,12,24), D(2025,12,25), D(2025,12,26), D(2026,1,1), D(2026,1,6), D(2026,4,3), D(2026,4,6), D(2026,5,1), D(2026,5,14), D(2026,6,19), D(2026,6,20)},
 "GB": {D(2025,12,25), D(2025,12,26), D(2026,1,1), D(2026,4,3), D(2026,4,6), D(2026,5,4), D(2026,5,25)},
 None: set(),
}
DAYS = ["mon","tue","wed","thu","fri","sat","sun"]


def iso(t, tz):
    return t.astimezone(tz).isoformat(timespec="seconds")


class Page:
    def __init__(self, rnd, key, name, lang, tz, staffed, holidays, sla_h, *, size=1.0, posts_per_day=1.0, cpp=8, grumpy=0.12,
                 qfrac=0.18, msgs_per_day=1.0, app="Meta Business Suite", admins=None, product="kaffe", domain=None,
                 post_hours=(8, 17), evening_posts=0.1, reply_speed=(0.05, 0.6), langs_mix=None):
        self.rnd = rnd; self.key = key; self.name = name; self.lang = lang; self.tz = ZoneInfo(tz); self.tzname = tz
        self.staffed = staffed  # dict weekday -> (start_min, end_min) ; None = 24/7 clock time
        self.holidays = holidays; self.sla = sla_h * 3600; self.sla_h = sla_h
        self.size = size; self.ppd = posts_per_day; self.cpp = cpp; self.grumpy = grumpy; self.qfrac = qfrac; self.mpd = msgs_per_day
        self.app = app; self.admins = admins or [("1000%08d" % rnd.randrange(10**8), "Admin Adminsson")]
        self.product = product; self.domain = domain or f"https://www.{key.replace('_','')}.se"
        self.post_hours = post_hours; self.evening_posts = evening_posts; self.reply_speed = reply_speed
        self.pid = str(rnd.randrange(100000000000000, 199999999999999))
        self.seq = rnd.randrange(1000000000, 5000000000)
        self.posts = []  # (time, post_id)
        self.blackouts = []  # (t0, t1) windows in which staff do not answer (SLA incident); replies move after t1
        self.users = {}
        self.langs_mix = langs_mix or {lang: 1.0}

    # ---- staffed time --------------------------------------------------------------
    def closed_day(self, d):
        return d in HOL.get(self.holidays, set())

    def intervals(self, t):
        """staffed intervals (utc datetimes) starting from the local day of t, for 30 days"""
        loc = t.astimezone(self.tz).date()
        for k in range(60):
            d = loc + dt.timedelta(days=k)
            if self.staffed is None:
                a = dt.datetime.combine(d, dt.time(0), self.tz); b = dt.datetime.combine(d + dt.timedelta(days=1), dt.time(0), self.tz)
                yield a.astimezone(UTC), b.astimezone(UTC); continue
            if self.closed_day(d): continue
            w = self.staffed.get(d.weekday())
            if not w: continue
            a = dt.datetime.combine(d, dt.time(w[0] // 60, w[0] % 60), self.tz)
            b = dt.datetime.combine(d, dt.time(min(w[1], 1439) // 60, min(w[1], 1439) % 60), self.tz) + (dt.timedelta(minutes=1) if w[1] >= 1440 else dt.timedelta(0))
            yield a.astimezone(UTC), b.astimezone(UTC)

    def add_staffed(self, t, secs):
        for a, b in self.intervals(t):
            if b <= t: continue
            s = max(a, t)
            avail = (b - s).total_seconds()
            if avail >= secs:
                return s + dt.timedelta(seconds=secs)
            secs -= avail
        raise RuntimeError("no staffed time")

    def is_staffed(self, t):
        for a, b in self.intervals(t - dt.timedelta(days=1)):
            if a <= t < b: return True
            if a > t: return False
        return False

    # ---- people ------------------------------------------------------------------------
    def person(self, lang=None):
        lang = lang or self.pick_lang()
        fn = self.rnd.choice(NAMES[lang][0]); ln = self.rnd.choice(NAMES[lang][1])
        uid = "1000" + str(self.rnd.randrange(10**10, 10**11))
        return {"id": uid, "name": f"{fn} {ln}", "type": "person"}, fn

    def pick_lang(self):
        r = self.rnd.random(); acc = 0
        for l, w in self.langs_mix.items():
            acc += w
            if r < acc: return l
        return self.lang

    def me(self, name=None):
        return {"id": self.pid, "name": name or self.name, "type": "page"}

    def nid(self):
        self.seq += self.rnd.randrange(3, 400)
        return str(self.seq)


def noisy(rnd, s):
    r = rnd.random()
    if r < 0.08 and len(s) > 6:
        i = rnd.randrange(1, len(s) - 2); s = s[:i] + s[i + 1] + s[i] + s[i + 2:]
    elif r < 0.16:
        s = s.lower()
    elif r < 0.22:
        s = s + rnd.choice([" 😅", " 🙈", "!!", " :)", " 😊", " 🤔"])
    return s


def fill(rnd, P, s, fn=None, lang=None):
    return s.format(p=P.product, n=rnd.randrange(100000, 999999), fn=fn or rnd.choice(NAMES[lang or P.lang][0]))


class Gen:
    def __init__(self, seed):
        self.rnd = random.Random(seed)
        self.ev = []
        self.qids = {}

    def add(self, P, t, kind, actor, obj, eid):
        self.ev.append({"id": eid, "time": t, "platform": "facebook", "page": P.key, "kind": kind, "actor": actor, "object": obj, "_P": P})

    # ---- emitters ------------------------------------------------------------------------
    def post(self, P, t, msg, *, app=None, admin=None, links=None, ptype=None, actor=None, pname=None):
        pid = f"{P.pid}_{P.nid()}"
        app = P.app if app is None else app
        adm = admin if admin is not None else self.rnd.choice(P.admins)
        links = links if links is not None else ([f"{P.domain}/{self.rnd.choice(['nyheter','erbjudande','info','kampanj'])}-{self.rnd.randrange(100,999)}"] if self.rnd.random() < 0.35 else [])
        ptype = ptype or ("link" if links else self.rnd.choice(["photo", "status", "photo", "video"]))
        self.add(P, t, "post.created", actor or P.me(pname), {"post_id": pid, "message": msg, "app": app, "links": links, "type": ptype,
                 "admin": ({"id": adm[0], "name": adm[1]} if adm else None)}, f"fb:post:{pid}")
        P.posts.append((t, pid))
        return pid

    def comment(self, P, t, post_id, actor, msg, parent=None, links=None):
        cid = f"{post_id}_{P.nid()}"
        self.add(P, t, "comment.created", actor, {"comment_id": cid, "post_id": post_id, "parent_id": parent, "message": msg, "links": links or []}, f"fb:comment:{cid}")
        return cid

    def react(self, P, t, target, actor, r):
        self.add(P, t, "reaction.created", actor, {"target_id": target, "reaction": r}, f"fb:reaction:{target}:{actor['id']}")

    def page_reply(self, P, t, post_id, parent, msg, pname=None):
        return self.comment(P, t, post_id, P.me(pname), msg, parent=parent)

    # ---- ordinary life --------------------------------------------------------------------
    def reply_time(self, P, t, frac=None):
        lo, hi = P.reply_speed
        frac = frac if frac is not None else self.rnd.uniform(lo, hi)
        rt = P.add_staffed(t, P.sla * frac)
        rt += dt.timedelta(seconds=self.rnd.randrange(0, 60))
        for a, b in P.blackouts:
            if a <= rt <= b or (t <= b and rt > b and t >= a):
                rt = b + dt.timedelta(seconds=self.rnd.randrange(60, 1800))
        return rt

    def comment_time(self, P, t0, mean_h=1.5):
        for _ in range(20):
            t = t0 + dt.timedelta(seconds=self.rnd.expovariate(1 / (mean_h * 3600)) + 20)
            h = t.astimezone(P.tz).hour
            if 1 <= h < 6 and self.rnd.random() < 0.85: continue
            return t
        return t0 + dt.timedelta(minutes=self.rnd.randrange(2, 60))

    def visitor_comments(self, P, pid, t0, n, mean_h=1.5, cats=None, answer=True):
        rnd = self.rnd
        cats = cats or {"praise": 0.3, "neutral": 0.2 - P.grumpy / 2, "question": P.qfrac, "complaint": P.grumpy}
        keys = list(cats); ws = [max(0.01, cats[k]) for k in keys]
        for _ in range(n):
            t = self.comment_time(P, t0, mean_h)
            who, fn = P.person(); lang = P.pick_lang()
            cat = rnd.choices(keys, ws)[0]
            msg = noisy(rnd, fill(rnd, P, rnd.choice(POOL[lang][cat]), lang=lang))
            cid = self.comment(P, t, pid, who, msg)
            if cat == "question":
                self.qids[cid] = P
            if cat == "question" and answer:
                rt = self.reply_time(P, t)
                rid = self.page_reply(P, rt, pid, cid, fill(rnd, P, rnd.choice(POOL[lang]["reply"]), fn=fn, lang=lang))
                if rnd.random() < 0.3:
                    self.comment(P, rt + dt.timedelta(minutes=rnd.randrange(3, 300)), pid, who, noisy(rnd, rnd.choice(POOL[lang]["thanks"])), parent=cid)
            elif cat == "complaint" and answer and rnd.random() < 0.4:
                rt = self.reply_time(P, t)
                self.page_reply(P, rt, pid, cid, fill(rnd, P, rnd.choice(POOL[lang]["reply"]), fn=fn, lang=lang))
            elif cat == "praise" and rnd.random() < 0.3 and answer:
                rt = self.reply_time(P, t, frac=rnd.uniform(0.01, 0.3))
                self.react(P, rt, cid, P.me(), "like")
            if rnd.random() < 0.15:
                self.react(P, t + dt.timedelta(minutes=rnd.randrange(1, 120)), cid, P.person()[0], "like")

    def reactions(self, P, pid, t0, n, mix=None, mean_h=2.0):
        mix = mix or {"like": 0.7, "love": 0.18, "haha": 0.04, "wow": 0.03, "sad": 0.02, "angry": 0.03 + P.grumpy / 4}
        ks = list(mix); ws = list(mix.values())
        for _ in range(n):
            self.react(P, self.comment_time(P, t0, mean_h), pid, P.person()[0], self.rnd.choices(ks, ws)[0])

    def ordinary(self, P, start, days, skip=None, quiet=None):
        """start: local date. skip(dtime)->bool : no ordinary activity; quiet(date)->factor"""
        rnd = self.rnd
        for k in range(days):
            d = start + dt.timedelta(days=k)
            f = quiet(d) if quiet else 1.0
            wk = d.weekday() >= 5
            n = sum(1 for _ in range(6) if rnd.random() < P.ppd * f * (0.6 if wk else 1.0) / 6)
            for _ in range(n):
                if rnd.random() < P.evening_posts:
                    h = rnd.uniform(18, 21.5)
                else:
                    h = rnd.uniform(*P.post_hours)
                t = dt.datetime.combine(d, dt.time(int(h), int(h * 60) % 60, rnd.randrange(60)), P.tz).astimezone(UTC)
                if skip and skip(t): continue
                pid = self.post(P, t, noisy(rnd, fill(rnd, P, rnd.choice(POOL[P.lang]["post"]))) if rnd.random() < 0.1 else fill(rnd, P, rnd.choice(POOL[P.lang]["post"])))
                self.reactions(P, pid, t, int(rnd.lognormvariate(math.log(max(1, P.cpp * 2.5)), 0.5)))
                self.visitor_comments(P, pid, t, int(rnd.lognormvariate(math.log(max(1, P.cpp)), 0.6)))
                if rnd.random() < 0.04:
                    self.add(P, t + dt.timedelta(minutes=rnd.randrange(2, 40)), "post.edited", P.me(), {"post_id": pid, "message": "(redigerad) " + fill(rnd, P, rnd.choice(POOL[P.lang]["post"])), "app": P.app}, f"fb:post_edit:{pid}:{rnd.randrange(10**9)}")
            # private messages
            for _ in range(sum(1 for _ in range(8) if rnd.random() < P.mpd * f / 8)):
                h = rnd.uniform(7, 22.5)
                t = dt.datetime.combine(d, dt.time(int(h), int(h * 60) % 60, rnd.randrange(60)), P.tz).astimezone(UTC)
                if skip and skip(t): continue
                who, fn = P.person(); lang = P.pick_lang()
                th = "t_" + P.nid()
                if rnd.random() < 0.8:
                    self.add(P, t, "message.received", who, {"thread_id": th, "message": fill(rnd, P, rnd.choice(POOL[lang]["msg_q"]), lang=lang)}, f"fb:message:m_{P.nid()}")
                    self.qids[th] = P
                    rt = self.reply_time(P, t)
                    self.add(P, rt, "message.sent", P.me(), {"thread_id": th, "message": fill(rnd, P, rnd.choice(POOL[lang]["msg_reply"]), fn=fn, lang=lang)}, f"fb:message:m_{P.nid()}")
                else:
                    self.add(P, t, "message.received", who, {"thread_id": th, "message": rnd.choice(POOL[lang]["msg_thanks"])}, f"fb:message:m_{P.nid()}")
            # occasional moderation (hide a spammy comment) in office hours
            if P.posts and rnd.random() < 0.05:
                t = dt.datetime.combine(d, dt.time(11, rnd.randrange(60)), P.tz).astimezone(UTC)
                if not (skip and skip(t)):
                    tp, pid = P.posts[-1]
                    if tp < t:
                        cid = self.comment(P, t - dt.timedelta(minutes=30), pid, P.person()[0], "Tjäna pengar hemifrån!! DM me 💰", links=["https://bit.ly/3xQ" + str(rnd.randrange(1000))])
                        self.add(P, t, "comment.hidden", P.me(), {"comment_id": cid, "post_id": pid}, f"fb:hide:{cid}")

    # ---- output ----------------------------------------------------------------------
    def finish(self, t_lo=None, t_hi=None, drop=None):
        out = []
        seen = set()
        for e in self.ev:
            if t_lo and e["time"] < t_lo: continue
            if t_hi and e["time"] > t_hi: continue
            if drop and drop(e): continue
            if e["id"] in seen: continue
            seen.add(e["id"]); out.append(e)
        out.sort(key=lambda e: e["time"])
        return out


def dump_events(evs, path):
    with open(path, "w", encoding="utf-8") as f:
        for e in evs:
            P = e["_P"]
            r = {k: v for k, v in e.items() if k != "_P"}
            r["time"] = iso(e["time"], P.tz)
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")


def staffed_cfg(st):
    if st is None:
        return None
    # group consecutive days with same window
    out = []; i = 0
    while i < 7:
        w = st.get(i)
        j = i
        while j + 1 < 7 and st.get(j + 1) == w: j += 1
        if w:
            key = DAYS[i] if i == j else f"{DAYS[i]}-{DAYS[j]}"
            out.append((key, "%02d:%02d-%02d:%02d" % (w[0] // 60, w[0] % 60, w[1] // 60, w[1] % 60)))
        i = j + 1
    return out


def config_yaml(pages):
    s = "# sentinel page config for this scenario (rt3 red-team generator)\npages:\n"
    for P in pages:
        s += f"  - id: {P.key}\n    platform: facebook\n    name: \"{P.name}\"\n    timezone: {P.tzname}\n    language: {P.lang}\n"
        sc = staffed_cfg(P.staffed)
        if sc:
            s += "    staffed_hours:\n" + "".join(f"      {k}: \"{v}\"\n" for k, v in sc)
        if P.holidays:
            s += f"    holidays: {P.holidays}\n"
        s += f"    response_sla: {P.sla_h}h\n"
    return s
