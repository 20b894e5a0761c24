"""Ordinary page life: posts, visitor comments, questions and the team's answers, DMs, reactions."""
import bisect
import math

from simlib import D, H, M, poisson
from texts_common import GEN, NAMES, MIX_NAMES

HOURS = {
    "consumer": [.25, .12, .06, .04, .05, .12, .35, .7, .95, 1.05, 1.1, 1.2, 1.3, 1.15, 1.05, 1.0, 1.05, 1.15, 1.35,
                 1.55, 1.6, 1.35, .95, .5],
    "commuter": [.15, .06, .03, .03, .1, .5, 1.6, 2.2, 1.6, .9, .8, .85, .9, .85, .9, 1.3, 1.9, 2.0, 1.4, 1.0, .9,
                 .7, .5, .3],
    "news": [.45, .25, .12, .08, .1, .3, .8, 1.2, 1.2, 1.1, 1.1, 1.15, 1.25, 1.15, 1.05, 1.05, 1.1, 1.2, 1.3, 1.45,
             1.5, 1.4, 1.1, .75],
    "office": [.08, .04, .02, .02, .03, .08, .3, .8, 1.4, 1.6, 1.6, 1.4, 1.3, 1.5, 1.5, 1.3, 1.0, .8, .7, .7, .6,
               .5, .3, .15],
}

MIX_EN = ["Love this!", "Great stuff", "Nice one", "Thanks for the info", "Is this only in Swedish?",
          "Beautiful picture", "Wish I could be there", "👍👍"]


def stylize(rng, text, kind, lang):
    t = text
    if not t:
        return t
    r = rng.random
    if kind == "ask" and t.endswith("?") and r() < 0.18:
        t = t[:-1]
    if kind in ("complaint", "angry") and r() < 0.07:
        t = t.upper()
    elif r() < 0.22 and t[0].isupper() and not t.startswith("@"):
        t = t[0].lower() + t[1:]
    if r() < 0.22 and t[-1] in ".!":
        t = t[:-1]
    if r() < 0.07:
        words = t.split(" ")
        idx = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if idx:
            i = rng.choice(idx)
            w = words[i]
            j = rng.randrange(1, len(w) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
            t = " ".join(words)
    if kind in ("praise", "chatter") and r() < 0.12:
        t += " " + rng.choice(["😊", "😍", "❤️", "👏", "🙌", "😂", "👍", "🥰", "☺️"])
    if kind in ("complaint", "angry") and r() < 0.1:
        t += " " + rng.choice(["😡", "🙄", "😤", "👎", "😠"])
    if kind == "complaint" and t[-1:] == "." and r() < 0.2:
        t = t[:-1] + "!!"
    return t


class Voice:
    def __init__(self, sim, lang, bank, brand, domain, agents, mix_lang=None, mix_p=0.0):
        self.sim = sim
        self.rng = sim.rng
        self.lang = lang
        self.g = GEN[lang]
        self.b = bank
        self.brand = brand
        self.domain = domain
        self.agents = agents  # first names used as sign-offs
        self.mix_lang = mix_lang
        self.mix_p = mix_p
        self.mix_b = None
        firsts, lasts = NAMES[lang]
        self.firsts = firsts.split()
        self.lasts = lasts.split()
        self.pool = []
        for _ in range(int(sim.pool_size)):
            self.pool.append(sim.person(f"{self.rng.choice(self.firsts)} {self.rng.choice(self.lasts)}"))
        for n in MIX_NAMES:
            if self.rng.random() < 0.5:
                self.pool.append(sim.person(n))

    # ------------------------------------------------ people
    def visitor(self, fresh=0.25):
        r = self.rng
        if r.random() < fresh:
            return self.sim.person(f"{r.choice(self.firsts)} {r.choice(self.lasts)}")
        i = int(len(self.pool) * (r.random() ** 2.0))
        return self.pool[min(i, len(self.pool) - 1)]

    def peer_name(self):
        return f"{self.rng.choice(self.firsts)} {self.rng.choice(self.lasts)}"

    # ------------------------------------------------ text helpers
    def fill(self, s):
        r = self.rng
        return s.format(place=r.choice(self.b["places"]), num=str(r.randrange(100000, 9999999)),
                        url=f"https://www.{self.domain}/{r.choice(['nyheter', 'info', 'a', 'kampanj', 'news', 'p'])}/{r.randrange(100, 9999)}",
                        peer=self.peer_name(), brand=self.brand)

    def fill_pair(self, q, a):
        r = self.rng
        d = dict(place=r.choice(self.b["places"]), num=str(r.randrange(100000, 9999999)), peer=self.peer_name(),
                 brand=self.brand, url=f"https://www.{self.domain}/info/{r.randrange(100, 9999)}")
        return q.format(**d), a.format(**d)

    def sign(self, first, ans):
        r = self.rng
        for g in ("Hej! ", "Hei! ", "Hi! ", "Hej, ", "Hei, ", "Hi, ", "Hejsa! ", "Hi there! "):
            if ans.startswith(g):
                ans = ans[len(g):]
                break
        op = r.choice(self.g["open"]).format(n=first)
        signs = self.g["sign"]
        if len(self.agents) == 1:
            signs = [s for s in signs if "kund" not in s and "Thanks" not in s] or signs
        sg = r.choice(signs).format(a=r.choice(self.agents)) if r.random() < 0.75 else ""
        return f"{op} {ans}{sg}"

    def post_text(self):
        msg = self.fill(self.rng.choice(self.b["posts"]))
        links = [w for w in msg.split() if w.startswith("https://")]
        return msg, links

    def ask(self):
        q, a = self.fill_pair(*self.rng.choice(self.b["qa"]))
        g = self.rng.choice(self.g["greet"])
        tail = self.rng.choice(self.g["tail"])
        text = stylize(self.rng, q, "ask", self.lang)
        if g:
            text = g + (text[0].lower() + text[1:] if g.endswith(", ") else text)
        return text + tail, a

    def dm_ask(self):
        q, a = self.fill_pair(*self.rng.choice(self.b["dm"]))
        return stylize(self.rng, q, "ask", self.lang), a

    def complaint(self):
        r = self.rng
        if r.random() < 0.5:
            c, rep = r.choice(self.b["complaints"])
            c, rep = self.fill_pair(c, rep or "")
            return stylize(r, c, "complaint", self.lang), (rep or None)
        return stylize(r, self.fill(r.choice(self.g["complaint"])), "complaint", self.lang), None

    def praise(self):
        r = self.rng
        if self.mix_p and r.random() < self.mix_p:
            return stylize(r, r.choice(MIX_EN), "praise", "en")
        src = self.b["praise"] if r.random() < 0.4 else self.g["praise"]
        return stylize(r, self.fill(r.choice(src)), "praise", self.lang)

    def chatter(self):
        return stylize(self.rng, self.fill(self.rng.choice(self.g["chatter"])), "chatter", self.lang)

    def thanks(self):
        return stylize(self.rng, self.rng.choice(self.g["thanks"]), "praise", self.lang)


class Traffic:
    def __init__(self, sim, voice, prof):
        self.sim = sim
        self.v = voice
        self.p = prof
        self.rng = sim.rng
        self._post_ts = []
        self._post_ids = []
        self._post_w = []

    # ------------------------------------------------ posts
    def _index_posts(self):
        ps = sorted(self.sim.posts)
        self._post_ts = [p[0] for p in ps]
        self._post_ids = [p[1] for p in ps]
        self._post_w = [p[2] for p in ps]
        self._n = len(self.sim.posts)

    def choose_post(self, t, tau=None):
        if len(self.sim.posts) != getattr(self, "_n", -1):
            self._index_posts()
        i = bisect.bisect_right(self._post_ts, t)
        lo = max(0, i - 40)
        tau = tau or self.p.get("tau", 12) * H
        ws = []
        for j in range(lo, i):
            age = t - self._post_ts[j]
            ws.append(self._post_w[j] * (math.exp(-age / tau) + 0.004))
        tot = sum(ws)
        if tot <= 0:
            return None
        x = self.rng.random() * tot
        for j, w in zip(range(lo, i), ws):
            x -= w
            if x <= 0:
                return self._post_ids[j]
        return self._post_ids[i - 1]

    def page_post(self, t, msg=None, links=None, app=None, admin=None, weight=1.0, ptype=None):
        r = self.rng
        if msg is None:
            msg, links = self.v.post_text()
        if app is None:
            names, ws = zip(*self.sim.apps)
            app = r.choices(names, ws)[0]
        if admin is None and self.sim.admins:
            admin = r.choice(self.sim.admins)
        if r.random() < 0.12:
            admin_out = None
        else:
            admin_out = admin
        pid = self.sim.post(t, msg, app=app, links=links, admin=admin_out, weight=weight, ptype=ptype)
        # reactions to the post
        n = poisson(r, self.p.get("post_react", 8) * weight * (0.5 + r.random()))
        for _ in range(n):
            dt_ = int(r.expovariate(1 / (self.p.get("tau", 12) * H * 0.5)))
            who = self.v.visitor(0.3)
            self.sim.react(t + 30 + dt_, pid, who, r.choices(["like", "love", "haha", "wow", "care"],
                                                              [70, 18, 4, 4, 4])[0])
        return pid

    # ------------------------------------------------ answering
    def answer(self, ask_ts, ask_event, cid, post_id, who, text, kind="comment", thread=None, speed=None):
        sim, r = self.sim, self.rng
        ask = sim.register_ask(ask_ts, kind, ask_event)
        for qa, qb, ra, rb, kinds in sim.backlogs:
            if qa <= ask_ts < qb and kind in kinds:
                ask["incident"] = True
                t = r.randrange(ra, rb)
                break
        else:
            t = sim.plan_reply(ask_ts, self.p.get("speed", 0.25) if speed is None else speed, kind=kind)
        msg = self.v.sign(who.first, text)
        if kind == "dm":
            eid = sim.dm_out(t, thread, msg)
        elif r.random() < self.p.get("priv", 0.0):
            eid = sim.dm_out(t, sim.new_thread(), msg, comment_id=cid)
        else:
            rid = sim.comment(t, post_id, None, msg, parent=cid, page=True)
            eid = f"fb:comment:{rid}"
            if r.random() < 0.25:
                sim.comment(t + r.randrange(3 * M, 6 * H), post_id, who, self.v.thanks(), parent=cid)
        ask["answered"] = (t, eid)
        if r.random() < 0.3 and kind == "comment":
            sim.react(max(ask_ts + 1, t - r.randrange(0, 60)), cid, None, "like", page=True)
        return t

    # ------------------------------------------------ one visitor comment
    def visitor_comment(self, t, post_id=None, kind=None, who=None, text=None):
        sim, r, p, v = self.sim, self.rng, self.p, self.v
        post_id = post_id or self.choose_post(t)
        if post_id is None:
            return None
        who = who or v.visitor()
        if kind is None:
            x = r.random()
            for k in ("ask", "complaint", "praise", "peer", "peerq"):
                x -= p.get(k, 0)
                if x < 0:
                    kind = k
                    break
            else:
                kind = "chatter"
        if kind in ("peer", "peerq"):
            others = sim.comments_by_post.get(post_id) or []
            others = [o for o in others[-30:] if o[0] < t and o[2] is not who]
            if not others:
                kind = "chatter"
        if kind == "ask":
            q, a = v.ask() if text is None else text
            cid = sim.comment(t, post_id, who, q)
            self.answer(t, f"fb:comment:{cid}", cid, post_id, who, a)
        elif kind == "complaint":
            c, rep = v.complaint() if text is None else text
            cid = sim.comment(t, post_id, who, c)
            if rep and r.random() < p.get("creply", 0.6):
                rt = sim.plan_reply(t, p.get("speed", 0.25), check=False)
                sim.comment(rt, post_id, None, v.sign(who.first, rep), parent=cid, page=True)
        elif kind == "praise":
            cid = sim.comment(t, post_id, who, text or v.praise())
            if r.random() < p.get("page_like", 0.25):
                sim.react(t + r.randrange(2 * M, 3 * H), cid, None, "like" if r.random() < 0.8 else "love", page=True)
        elif kind == "peer":
            ts0, ocid, owho = r.choice(others)
            msg = r.choice(v.g["peer_a"] + v.g["chatter"][:3])
            msg = f"@{owho.name} " + msg if r.random() < 0.4 else msg
            cid = sim.comment(t, post_id, who, stylize(r, v.fill(msg), "chatter", v.lang), parent=ocid)
        elif kind == "peerq":
            # community: a member asks another member (or the group), and someone else answers
            q, a = r.choice(v.b["peer"])
            ts0, ocid, owho = r.choice(others)
            q = q.replace("{peer}", owho.first) if "{peer}" in q else q
            if "@" in q:
                cid = sim.comment(t, post_id, who, stylize(r, q, "chatter", v.lang), parent=ocid)
                sim.comment(t + r.randrange(4 * M, 5 * H), post_id, owho, stylize(r, a, "chatter", v.lang), parent=ocid)
            else:
                cid = sim.comment(t, post_id, who, stylize(r, q, "chatter", v.lang))
                for _ in range(r.randrange(1, 4)):
                    sim.comment(t + r.randrange(3 * M, 6 * H), post_id, v.visitor(), stylize(r, a if r.random() < 0.6 else r.choice(v.g["peer_a"]), "chatter", v.lang), parent=cid)
        else:
            cid = sim.comment(t, post_id, who, text or v.chatter())
        # other visitors like the comment
        for _ in range(poisson(r, p.get("clike", 0.4))):
            sim.react(t + r.randrange(60, 8 * H), cid, v.visitor(0.3), "like")
        return cid

    def visitor_dm(self, t, ask=None):
        sim, r, v = self.sim, self.rng, self.v
        who = v.visitor(0.5)
        th = sim.new_thread()
        if ask is None:
            ask = r.random() < self.p.get("dm_q", 0.8)
        if ask:
            if r.random() < 0.2:
                sim.dm_in(t, who, th, r.choice(v.g["greet"]).strip(" ,!") or "Hej")
                t += r.randrange(20, 180)
            q, a = v.dm_ask()
            eid = sim.dm_in(t, who, th, q)
            at = self.answer(t, eid, None, None, who, a, kind="dm", thread=th)
            if r.random() < 0.3:
                sim.dm_in(at + r.randrange(2 * M, 4 * H), who, th, v.thanks())
        else:
            sim.dm_in(t, who, th, v.praise())
            if r.random() < 0.5:
                rt = sim.plan_reply(t, self.p.get("speed", 0.25), kind="dm", check=False)
                sim.dm_out(rt, th, v.sign(who.first, r.choice(v.g["thanks"]).rstrip("!🙏 ")))

    # ------------------------------------------------ the ordinary days
    def run(self, t0, t1, skip=()):
        """Ordinary life from t0 to t1; skip: list of (a, b) windows with no ordinary visitor activity."""
        sim, r, p = self.sim, self.rng, self.p
        hw = HOURS[p.get("hours", "consumer")]
        hsum = sum(hw)
        day = sim.local(t0).date()
        last = sim.local(t1).date()
        import datetime as _dt
        while day <= last:
            wd = day.weekday()
            wk = wd >= 5
            hol = sim.is_holiday(day)
            f = (p.get("wkend", 0.7) if wk or hol else 1.0) * math.exp(r.gauss(0, p.get("noise", 0.25)))
            f *= p.get("weekday_f", [1] * 7)[wd]
            mod = p.get("day_mod", lambda d: None)(day)
            saved = None
            if mod:
                saved = dict(p)
                f *= mod.pop("mult", 1.0)
                p.update(mod)
            base = sim.ts(day.year, day.month, day.day)
            # page posts
            ppd = p.get("ppd", 1.0) * (p.get("ppd_wkend", 0.4) if wk or hol else 1.0)
            ph0, ph1 = p.get("post_hours", (8, 17))
            for _ in range(poisson(r, ppd)):
                if r.random() < 0.4:
                    hh, mm = r.randrange(ph0, ph1), r.choice([0, 0, 0, 15, 30, 30, 45])
                    t = base + hh * H + mm * M
                else:
                    t = base + r.randrange(ph0 * H, ph1 * H)
                t = sim.ts(day.year, day.month, day.day, (t - base) // H, ((t - base) % H) // M, (t - base) % M)
                if t0 <= t < t1 and not any(a <= t < b for a, b in skip):
                    self.page_post(t)
            if not sim.posts or sim.posts[0][0] > base + 8 * H:
                if day == sim.local(t0).date():
                    self.page_post(max(t0, base + 8 * H))
            # visitor comments
            for h in range(24):
                lam = p["cpd"] * f * hw[h] / hsum
                n = poisson(r, lam)
                for _ in range(n):
                    t = sim.ts(day.year, day.month, day.day, h, r.randrange(60), r.randrange(60))
                    if not (t0 <= t < t1) or any(a <= t < b for a, b in skip):
                        continue
                    self.visitor_comment(t)
                # DMs
                for _ in range(poisson(r, p.get("dm", 1.0) * f * hw[h] / hsum)):
                    t = sim.ts(day.year, day.month, day.day, h, r.randrange(60), r.randrange(60))
                    if t0 <= t < t1 and not any(a <= t < b for a, b in skip):
                        self.visitor_dm(t)
            # visitor posts on the timeline
            for _ in range(poisson(r, p.get("vpost", 0.2) * f)):
                t = base + r.randrange(7 * H, 23 * H)
                if t0 <= t < t1 and not any(a <= t < b for a, b in skip):
                    who = self.v.visitor()
                    sim.post(t, self.v.praise(), person=who, ptype=r.choice(["status", "photo"]), weight=0.15)
            # occasional moderation / edits
            if r.random() < p.get("hide_p", 0.05):
                pid = self.choose_post(base + 12 * H)
                if pid:
                    t = base + 12 * H + r.randrange(0, 4 * H)
                    if t0 <= t < t1 and not any(a <= t < b for a, b in skip):
                        spam = self.v.visitor(1.0)
                        cid = sim.comment(t, pid, spam, r.choice(["Tjäna 5000 kr om dagen hemifrån, skriv till mig",
                                                                  "Check my profile for cheap Ray-Bans 😎",
                                                                  "Investér i krypto med mig, DM!"]))
                        sim.hide(t + r.randrange(10 * M, 2 * H), cid, pid)
            if saved is not None:
                p.clear()
                p.update(saved)
            day += _dt.timedelta(days=1)
