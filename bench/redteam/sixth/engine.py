"""Core simulation for the rt6 scenarios: ordinary page life plus injected incidents and traps."""
import datetime as dt
import json
import math
import random
from zoneinfo import ZoneInfo

import texts as T

UTC = dt.timezone.utc
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
HOURW = [0.25, 0.12, 0.06, 0.04, 0.04, 0.08, 0.3, 0.6, 0.8, 0.9, 1.0, 1.0, 1.1, 1.0, 0.95, 0.95, 1.0, 1.1, 1.2,
         1.3, 1.35, 1.2, 0.9, 0.5]
FULL = ["MANAGE", "CREATE_CONTENT", "MODERATE", "MESSAGING", "ADVERTISE", "ANALYZE"]


def parse_dur(s):
    n, u = int(s[:-1]), s[-1]
    return n * {"m": 60, "h": 3600, "d": 86400}[u]


def expand_days(spec):
    if "-" in spec:
        a, b = spec.split("-")
        i, j = DAYS.index(a), DAYS.index(b)
        return list(range(i, j + 1))
    return [DAYS.index(spec)]


class Page:
    def __init__(self, P, seed):
        self.P = P
        self.rng = random.Random(seed)
        self.tz = ZoneInfo(P["tz"])
        self.key = P["key"]
        self.pid = P["pid"]
        self.name = P["name"]
        self.lang = P["lang"]
        self.sla = parse_dur(P["sla"])
        self.staffed = {}
        if P.get("staffed"):
            for k, v in P["staffed"].items():
                a, b = v.split("-")
                am = int(a[:2]) * 60 + int(a[3:])
                bm = int(b[:2]) * 60 + int(b[3:])
                for d in expand_days(k):
                    self.staffed[d] = (am, bm)
        self.events = []
        self.seq = 0
        self.idn = self.rng.randrange(10 ** 9, 2 * 10 ** 9)
        self.people = {}
        self.questions = []   # (kind, id, time, answered_time)
        self.blackouts = []   # (start, end, channels)
        self.avoid = []       # team cannot act (outages)
        self.posts = []       # (time, post_id, msg)
        self.start = dt.datetime.fromisoformat(P["start"]).replace(tzinfo=self.tz)
        self.end = self.start + dt.timedelta(days=P["days"])
        self.admins = [(self._uid(), n) for n in P["admins"]]
        self.page_actor = {"id": self.pid, "name": self.name, "type": "page"}

    # ---------- basics
    def _uid(self):
        return "1000" + str(self.rng.randrange(10 ** 10, 10 ** 11))

    def nid(self):
        self.idn += self.rng.randrange(1, 400)
        return str(self.idn)

    def person(self, lang=None):
        if lang is None:
            lang = self.cust_lang()
        f = self.rng.choice(T.FIRST[lang])
        l = self.rng.choice(T.LAST[lang])
        name = f"{f} {l}"
        if name not in self.people:
            self.people[name] = self._uid()
        return {"id": self.people[name], "name": name, "type": "person"}, lang

    def cust_lang(self):
        cl = self.P.get("cust_langs", {self.lang: 1.0})
        r = self.rng.random()
        acc = 0
        for k, w in cl.items():
            acc += w
            if r < acc:
                return k
        return self.lang

    def loc(self, t):
        return t.astimezone(self.tz)

    def iso(self, t):
        return t.astimezone(self.tz).isoformat(timespec="seconds")

    def emit(self, t, kind, actor, obj, eid, tag=None):
        self.seq += 1
        e = {"id": eid, "time": self.iso(t), "platform": "facebook", "page": self.key, "kind": kind,
             "actor": actor, "object": obj}
        self.events.append((t, self.seq, e, tag))
        return e

    def fill(self, s, lang=None):
        r = self.rng
        return s.format(p=r.choice(self.P["products"]), pl=r.choice(self.P["places"]),
                        o=str(r.randrange(100000, 999999)), f=self.person(lang or self.lang)[0]["name"],
                        f2=self.person(lang or self.lang)[0]["name"], n="", a="", u="", prize=self.P.get("prize", ""))

    # ---------- staffed time
    def staffed_add(self, t, secs):
        """Time at which `secs` of staffed time have passed after t (clock time if never staffed)."""
        if not self.staffed:
            return t + dt.timedelta(seconds=secs)
        cur = t
        left = secs
        day = self.loc(t).date()
        for _ in range(60):
            iv = self.staffed.get(day.weekday())
            if iv:
                s = dt.datetime(day.year, day.month, day.day, iv[0] // 60, iv[0] % 60, tzinfo=self.tz).astimezone(UTC)
                eh = iv[1]
                e = (dt.datetime(day.year, day.month, day.day, tzinfo=self.tz) + dt.timedelta(minutes=eh)).astimezone(UTC) \
                    if eh >= 1440 else dt.datetime(day.year, day.month, day.day, eh // 60, eh % 60, tzinfo=self.tz).astimezone(UTC)
                a = max(s, cur)
                if a < e:
                    avail = (e - a).total_seconds()
                    if avail >= left:
                        return a + dt.timedelta(seconds=left)
                    left -= avail
            day = day + dt.timedelta(days=1)
        raise RuntimeError("staffed_add ran away")

    def in_staffed(self, t):
        if not self.staffed:
            return True
        lt = self.loc(t)
        iv = self.staffed.get(lt.weekday())
        if not iv:
            return False
        m = lt.hour * 60 + lt.minute
        return iv[0] <= m < iv[1]

    def answer_time(self, q, channel, lo=0.04, hi=0.55):
        frac = self.rng.uniform(lo, hi)
        a = self.staffed_add(q, max(120, frac * self.sla))
        if a <= q:
            a = q + dt.timedelta(seconds=120)
        for (b0, b1, ch) in self.blackouts:
            if channel in ch and a >= b0 and q <= b1:
                # team absent: answered when the backlog is worked through
                a = max(a, b1 + dt.timedelta(seconds=self.rng.randrange(300, 5400)))
        for (b0, b1) in self.avoid:
            if b0 <= a <= b1:
                if (b0 - q).total_seconds() > 240:
                    a = q + (b0 - q) * self.rng.uniform(0.3, 0.9)
                else:
                    a = b1 + dt.timedelta(seconds=self.rng.randrange(300, 1800))
        return a

    def agent(self):
        return self.rng.choice(self.P["agents"])

    # ---------- sampling
    def sample_time_in_day(self, day, weights=HOURW):
        h = self.rng.choices(range(24), weights=weights)[0]
        base = dt.datetime(day.year, day.month, day.day, tzinfo=self.tz)
        t = (base + dt.timedelta(hours=h, seconds=self.rng.randrange(3600)))
        return t.astimezone(UTC)

    def later(self, t0, mean_s, cap_s=3 * 86400):
        for _ in range(12):
            d = self.rng.expovariate(1.0 / mean_s)
            if d > cap_s:
                continue
            t = t0 + dt.timedelta(seconds=d)
            if self.rng.random() < HOURW[self.loc(t).hour] / 1.35:
                return t
        return t0 + dt.timedelta(seconds=self.rng.uniform(30, mean_s))

    # ---------- content builders
    def post(self, t, msg, app=None, admin=None, ptype="status", links=None, actor=None, tag=None):
        pid = f"{self.pid}_{self.nid()}"
        if app is None and admin is None and actor is None:
            app = self.rng.choices(list(self.P["apps"]), weights=list(self.P["apps"].values()))[0]
            admin = self.rng.choice(self.admins[: max(1, len(self.admins) - 1)])
        obj = {"post_id": pid, "message": msg, "app": app, "links": links or [], "type": ptype,
               "admin": ({"id": admin[0], "name": admin[1]} if admin else None)}
        self.emit(t, "post.created", actor or self.page_actor, obj, f"fb:post:{pid}", tag)
        self.posts.append((t, pid, msg, (actor or self.page_actor)["type"] == "page" and tag not in ("hijack",)))
        return pid

    def comment(self, t, post_id, actor, msg, parent=None, links=None, tag=None):
        cid = f"{post_id}_{self.nid()}"
        obj = {"comment_id": cid, "post_id": post_id, "parent_id": parent, "message": msg, "links": links or []}
        self.emit(t, "comment.created", actor, obj, f"fb:comment:{cid}", tag)
        return cid

    def react(self, t, target, actor, kind="like", tag=None):
        self.emit(t, "reaction.created", actor, {"target_id": target, "reaction": kind},
                  f"fb:reaction:{target}:{actor['id']}:{self.nid()}", tag)

    def page_reply(self, t, post_id, parent, first, lang, text):
        Lx = T.L[lang]
        msg = Lx["hello"].format(n=first) + text + Lx["sign"].format(a=self.agent())
        return self.comment(t, post_id, self.page_actor, msg, parent=parent, tag="team")

    def ask(self, t, post_id, lang=None, parent=None, tag="q", text=None, answer=True, channel="comment"):
        actor, lang = self.person(lang)
        Lx = T.L[lang]
        if text is None:
            text = self.fill(self.rng.choice(Lx["q"]), lang)
        cid = self.comment(t, post_id, actor, text, parent=parent, tag=tag)
        first = actor["name"].split()[0]
        if not answer:
            self.questions.append(("comment", cid, t, None))
            return cid
        at = self.answer_time(t, channel)
        r = self.rng.random()
        if r < 0.1:
            th = f"t_{self.nid()}"
            msg = T.L[lang]["hello"].format(n=first) + self.fill(self.rng.choice(T.L[lang]["a"]), lang)
            self.emit(at, "message.sent", self.page_actor, {"thread_id": th, "message": msg, "comment_id": cid},
                      f"fb:message:m_{self.nid()}", "team")
        else:
            self.page_reply(at, post_id, cid, first, lang, self.fill(self.rng.choice(T.L[lang]["a"]), lang))
        self.questions.append(("comment", cid, t, at))
        if self.rng.random() < 0.18:
            self.comment(at + dt.timedelta(seconds=self.rng.randrange(120, 5000)), post_id, actor,
                         self.rng.choice(Lx["fup"]), parent=cid)
        return cid

    def dm(self, t, lang=None, answer=True, text=None, tag="dm", ans_text=None):
        actor, lang = self.person(lang)
        Lx = T.L[lang]
        th = f"t_{self.nid()}"
        o = str(self.rng.randrange(100000, 999999))
        if self.rng.random() < 0.2:
            self.emit(t, "message.received", actor, {"thread_id": th, "message": Lx["hello_dm"]},
                      f"fb:message:m_{self.nid()}", tag)
            t = t + dt.timedelta(seconds=self.rng.randrange(20, 300))
        if text is None:
            i = self.rng.randrange(len(Lx["dmq"]))
            text = Lx["dmq"][i].format(o=o, p=self.rng.choice(self.P["products"]))
            ans = Lx["dma"][i % len(Lx["dma"])]
        else:
            ans = ans_text or (Lx["hello"] + Lx["a"][-1])
        self.emit(t, "message.received", actor, {"thread_id": th, "message": text}, f"fb:message:m_{self.nid()}", tag)
        if not answer:
            self.questions.append(("dm", th, t, None))
            return th
        at = self.answer_time(t, "dm")
        first = actor["name"].split()[0]
        self.emit(at, "message.sent", self.page_actor,
                  {"thread_id": th, "message": ans.format(n=first, o=o) + T.L[lang]["sign"].format(a=self.agent())},
                  f"fb:message:m_{self.nid()}", "team")
        self.questions.append(("dm", th, t, at))
        if self.rng.random() < 0.45:
            self.emit(at + dt.timedelta(seconds=self.rng.randrange(60, 3600)), "message.received", actor,
                      {"thread_id": th, "message": self.rng.choice(Lx["dmthx"])}, f"fb:message:m_{self.nid()}")
        return th

    def cascade(self, pid, t0, n, mean_delay=5400, qf=None, cf=None, reactions=None, tag=None):
        qf = self.P["q_frac"] if qf is None else qf
        cf = self.P["c_frac"] if cf is None else cf
        cids = []
        for _ in range(n):
            t = self.later(t0, mean_delay)
            r = self.rng.random()
            if r < qf:
                cids.append(self.ask(t, pid))
                continue
            actor, lang = self.person()
            Lx = T.L[lang]
            if r < qf + cf:
                msg = self.fill(self.rng.choice(Lx["comp"]), lang)
            else:
                msg = self.fill(self.rng.choice(Lx["pos"]), lang)
            parent = None
            if cids and self.rng.random() < 0.12:
                parent = self.rng.choice(cids)
            cid = self.comment(t, pid, actor, msg, parent=parent, tag=tag)
            cids.append(cid)
            if self.rng.random() < 0.03 and self.in_staffed(t + dt.timedelta(hours=1)):
                self.react(t + dt.timedelta(minutes=self.rng.randrange(10, 60)), cid, self.page_actor, "like", "team")
            if self.rng.random() < 0.15:
                self.react(self.later(t, 3000), cid, self.person()[0], "like")
        nr = reactions if reactions is not None else int(n * self.P.get("react_ratio", 1.2))
        kinds = ["like"] * 70 + ["love"] * 18 + ["haha"] * 4 + ["wow"] * 4 + ["care"] * 2 + ["sad"] * 1 + ["angry"] * 1
        for _ in range(nr):
            self.react(self.later(t0, mean_delay * 0.8), pid, self.person()[0], self.rng.choice(kinds), tag)
        return cids

    # ---------- ordinary life
    def baseline(self):
        P = self.P
        day = self.start.date()
        enddate = self.end.date()
        spam_links = ["https://bit.ly/3xFreeOffer", "https://followers-boost.co/start"]
        while day < enddate:
            wd = day.weekday()
            mean = P["posts_wd"][wd]
            npost = int(mean) + (1 if self.rng.random() < mean - int(mean) else 0)
            for _ in range(npost):
                h = self.rng.choice(P["post_hours"])
                t = dt.datetime(day.year, day.month, day.day, h, self.rng.choice([0, 0, 0, 15, 30, 45]),
                                tzinfo=self.tz).astimezone(UTC)
                if t < self.start.astimezone(UTC) or t > self.end.astimezone(UTC):
                    continue
                pid = self.post(t, self.fill(self.rng.choice(T.L[self.lang]["posts"])),
                                ptype=self.rng.choice(["status", "photo", "photo", "video", "link"]))
                n = max(0, int(self.rng.gauss(P["cpp"], P["cpp"] * 0.45)))
                self.cascade(pid, t, n)
            # private messages
            nd = max(0, int(self.rng.gauss(P["dm_day"], math.sqrt(P["dm_day"] + 0.01))))
            for _ in range(nd):
                t = self.sample_time_in_day(day)
                if self.start.astimezone(UTC) < t < self.end.astimezone(UTC):
                    self.dm(t)
            # visitor posts
            if self.rng.random() < P.get("visitor_posts_week", 1.0) / 7:
                t = self.sample_time_in_day(day)
                if self.start.astimezone(UTC) < t < self.end.astimezone(UTC) - dt.timedelta(days=1):
                    actor, lang = self.person()
                    txts = T.L[lang]["visitor"]
                    i = self.rng.randrange(len(txts))
                    pid = self.post(t, self.fill(txts[i], lang), app=None, admin=None, actor=actor)
                    if i == 0:
                        at = self.answer_time(t, "comment")
                        self.comment(at, pid, self.page_actor, T.L[lang]["hello"].format(n=actor["name"].split()[0])
                                     + self.fill(self.rng.choice(T.L[lang]["a"]), lang)
                                     + T.L[lang]["sign"].format(a=self.agent()), tag="team")
                        self.questions.append(("post", pid, t, at))
            # spam comment hidden by the team
            if self.rng.random() < 0.12 and self.posts:
                t = self.sample_time_in_day(day)
                if t > self.posts[0][0]:
                    cand = [p for p in self.posts if p[0] < t][-4:]
                    pp = self.rng.choice(cand)[1]
                    actor = {"id": self._uid(), "name": self.rng.choice(["Lisa Trading", "Crypto Maria", "Followers Pro"]),
                             "type": "person"}
                    cid = self.comment(t, pp, actor, "Earn money from home! DM me or visit " + spam_links[0], links=[spam_links[0]])
                    ht = self.answer_time(t, "hide", 0.02, 0.2)
                    self.emit(ht, "comment.hidden", self.page_actor, {"comment_id": cid, "post_id": pp},
                              f"fb:comment_hidden:{cid}", "team")
            day += dt.timedelta(days=1)

    # ---------- helpers for injectors
    def at_local(self, date_s, hhmm, sec=0):
        d = dt.date.fromisoformat(date_s)
        return dt.datetime(d.year, d.month, d.day, int(hhmm[:2]), int(hhmm[3:5]), sec, tzinfo=self.tz).astimezone(UTC)

    def person_comment_times(self):
        return sorted(t for (t, s, e, tag) in self.events
                      if e["kind"] == "comment.created" and e["actor"] and e["actor"]["type"] == "person")

    def hourly_normal(self, t, times):
        import bisect
        vals = []
        for d in range(1, 29):
            b = t - dt.timedelta(days=d)
            a = b - dt.timedelta(hours=1)
            vals.append(bisect.bisect_right(times, b) - bisect.bisect_right(times, a))
        return sum(vals) / len(vals)

    def finalize(self):
        self.events.sort(key=lambda x: (x[0], x[1]))
        # outages: the source saw nothing between error and recovery
        out = []
        for (t, s, e, tag) in self.events:
            if e["kind"] in ("source.error", "source.recovered"):
                out.append((t, s, e, tag))
                continue
            if any(b0 < t < b1 for (b0, b1) in self.avoid):
                continue
            if t < self.start.astimezone(UTC) - dt.timedelta(hours=1) or t > self.end.astimezone(UTC) + dt.timedelta(days=1):
                continue
            out.append((t, s, e, tag))
        self.events = out
        seen = set()
        for (_, _, e, _) in self.events:
            assert e["id"] not in seen, e["id"]
            seen.add(e["id"])

    def sla_misses(self):
        """(deadline, question time, answer time) of every question answered late or never (within span)."""
        res = []
        endt = self.events[-1][0]
        visible = lambda t: not any(b0 < t < b1 for (b0, b1) in self.avoid)
        for (k, i, q, a) in self.questions:
            if not visible(q):
                continue
            dl = self.staffed_add(q, self.sla)
            if dl > endt:
                continue
            if a is None or a > dl:
                res.append((dl, q, a))
        res.sort()
        return res

    def write(self, outdir, sid):
        import os
        os.makedirs(outdir, exist_ok=True)
        with open(os.path.join(outdir, "events.jsonl"), "w", encoding="utf-8") as f:
            for (_, _, e, _) in self.events:
                f.write(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n")
