# -*- coding: utf-8 -*-
"""Page simulator: ordinary history for one page, plus helpers to inject labelled incidents."""
import datetime as dt
import json
import math
import random
import re

from cal import Clock, UTC, fmt, dst_sundays
import texts as T

TD = dt.timedelta
URL_RE = re.compile(r"https?://\S+")
ALL_TASKS = ["MANAGE", "CREATE_CONTENT", "MODERATE", "MESSAGING", "ADVERTISE", "ANALYZE"]


def links_of(msg):
    return [u.rstrip(".,!)") for u in URL_RE.findall(msg)]


class Sim:
    def __init__(self, p):
        self.p = p
        self.rng = random.Random(p["seed"])
        r = self.rng
        self.clock = Clock(p["tz"], p.get("staffed"), p.get("holidays"))
        self.tz = self.clock.tz
        self.page_num = p["page_num"]
        self.page_actor = {"id": self.page_num, "name": p["name"], "type": "page"}
        self.start = self.clock.at(p["start"], 0)
        self.end = self.clock.at(p["start"] + TD(days=p["days"]), 0)
        self.post_ctr = r.randint(2_100_000_000, 8_900_000_000)
        self.cmt_ctr = self.post_ctr + r.randint(1000, 90000)
        self.msg_ctr = r.randint(2_100_000_000, 8_900_000_000)
        self.events = []          # (t, seq, dict)
        self.seq = 0
        self.reacted = set()
        self.blackouts = []       # (a, b, channels) team does not answer
        self.outages = []         # (a, b) source blind: events dropped
        self.qlog = []            # (t_q, deadline, t_reply, what)
        self.posts = []           # (t, post_id, text)
        self.people = {}
        self.used_ids = set()
        self.sla_s = p["sla_s"]
        self.names = []           # (t, new page name) from page.changed name
        p["admins"] = [a if isinstance(a, tuple) else (self._uid(), a) for a in p["admins"]]
        self._pool()

    # ---------------------------------------------------------------- people
    def _uid(self):
        while True:
            u = str(self.rng.randint(100000000000000, 100099999999999))
            if u not in self.used_ids:
                self.used_ids.add(u)
                return u

    def _pool(self):
        r = self.rng
        self.pool = []
        n = self.p["pool"]
        for i in range(n):
            lang = self._pick(self.p["visitor_langs"])
            nl = {"sv": "sv", "da": "da", "no": "no", "en": "en", "fi": "fi"}[lang]
            if lang == "en" and self.p.get("en_names_local") and r.random() < 0.6:
                nl = self.p["en_names_local"]
            name = f"{r.choice(T.FIRST[nl])} {r.choice(T.LAST[nl])}"
            self.pool.append({"id": self._uid(), "name": name, "lang": lang})
        # activity weights (a few regulars)
        self.pool_w = [1.0 / ((i + 3) ** 0.8) for i in range(n)]

    def visitor(self, lang=None):
        r = self.rng
        if lang:
            cand = [v for v in self.pool if v["lang"] == lang]
            return r.choice(cand)
        return r.choices(self.pool, weights=self.pool_w)[0]

    def stranger(self, lang, name=None):
        nl = lang
        name = name or f"{self.rng.choice(T.FIRST[nl])} {self.rng.choice(T.LAST[nl])}"
        return {"id": self._uid(), "name": name, "lang": lang}

    def _pick(self, weighted):
        items = [w[0] for w in weighted]
        ws = [w[1] for w in weighted]
        return self.rng.choices(items, weights=ws)[0]

    # ---------------------------------------------------------------- emit
    def emit(self, t, eid, kind, actor, obj):
        self.seq += 1
        self.events.append((t, self.seq, {"id": eid, "time": None, "platform": "facebook", "page": self.p["key"],
                                          "kind": kind, "actor": actor, "object": obj}))

    def person_actor(self, v):
        return {"id": v["id"], "name": v["name"], "type": "person"}

    def new_post_id(self):
        self.post_ctr += self.rng.randint(2000, 60000)
        return f"{self.page_num}_{self.post_ctr}"

    def new_cmt_id(self, post_id):
        self.cmt_ctr += self.rng.randint(1, 4000)
        return f"{post_id}_{self.cmt_ctr}"

    def fill(self, s, lang=None):
        r = self.rng
        p = self.p
        lang = lang or p["lang"]
        items = p["items"].get(lang) or p["items"][p["lang"]]
        places = p["places"]
        days = T.BANK[lang]["days"]
        return (s.replace("{item}", r.choice(items)).replace("{place}", r.choice(places))
                .replace("{day}", r.choice(days)).replace("{num}", str(r.randint(100000, 999999)))
                .replace("{brand}", p["short"]))

    # ---------------------------------------------------------------- page actions
    def page_post(self, t, msg, app=None, admin=None, ptype=None, links=None):
        pid = self.new_post_id()
        r = self.rng
        app = app if app is not None else self._pick(self.p["apps"])
        admin = admin if admin is not None else r.choice(self.p["admins"])
        if links is None:
            links = links_of(msg)
        if ptype is None:
            ptype = "link" if links else r.choice(["photo", "photo", "status", "video"])
        adm = None if admin is False else {"id": admin[0], "name": admin[1]}
        if app == "":
            app = None
        self.emit(t, f"fb:post:{pid}", "post.created", dict(self.page_actor),
                  {"post_id": pid, "message": msg, "app": app, "links": links, "type": ptype, "admin": adm})
        self.posts.append((t, pid, msg))
        return pid

    def page_comment(self, t, post_id, parent_id, msg, actor=None):
        cid = self.new_cmt_id(post_id)
        self.emit(t, f"fb:comment:{cid}", "comment.created", actor or dict(self.page_actor),
                  {"comment_id": cid, "post_id": post_id, "parent_id": parent_id, "message": msg,
                   "links": links_of(msg)})
        return cid

    def comment(self, t, v, post_id, msg, parent_id=None):
        cid = self.new_cmt_id(post_id)
        self.emit(t, f"fb:comment:{cid}", "comment.created", self.person_actor(v),
                  {"comment_id": cid, "post_id": post_id, "parent_id": parent_id, "message": msg,
                   "links": links_of(msg)})
        return cid

    def react(self, t, v, target, reaction):
        key = (target, v["id"])
        if key in self.reacted:
            return
        self.reacted.add(key)
        self.emit(t, f"fb:reaction:{target}:{v['id']}", "reaction.created", self.person_actor(v),
                  {"target_id": target, "reaction": reaction})

    def page_like(self, t, target):
        key = (target, self.page_num)
        if key in self.reacted:
            return
        self.reacted.add(key)
        self.emit(t, f"fb:reaction:{target}:{self.page_num}", "reaction.created", dict(self.page_actor),
                  {"target_id": target, "reaction": "like"})

    def sig(self):
        s = self.rng.choice(self.p["sig_names"])
        return self.p.get("sig_fmt", "/{s}").replace("{s}", s)

    # ---------------------------------------------------------------- answering
    def in_blackout(self, t, channel):
        for a, b, ch in self.blackouts:
            if a <= t < b and channel in ch:
                return (a, b)
        return None

    def in_outage(self, t):
        return any(a <= t < b for a, b in self.outages)

    def answer_time(self, tq, channel, frac=None):
        """when the team answers something asked at tq (None: never)."""
        r = self.rng
        if frac is None:
            frac = r.choice([r.uniform(0.04, 0.25), r.uniform(0.1, 0.45), r.uniform(0.2, 0.6)])
        ta = self.clock.add_staffed(tq, self.sla_s * frac) + TD(seconds=r.randint(5, 400))
        # a question asked in a closed period is answered in the first part of the next staffed period
        bo = self.in_blackout(ta, channel) or self.in_blackout(tq, channel)
        if bo:
            self._backlog = getattr(self, "_backlog", {})
            k = (bo[0], channel)
            cum = self._backlog.get(k, 0) + r.randint(60, 260)
            self._backlog[k] = cum
            ta = max(ta, bo[1] + TD(seconds=cum))
        for a, b in self.outages:
            if a <= ta < b:
                # the team answers while Sentinel is blind; when the deadline allows, it happens after recovery (seen)
                dl = self.clock.add_staffed(tq, self.sla_s)
                if dl >= b + TD(minutes=10):
                    ta = b + TD(seconds=min(r.randint(120, 1800), (dl - b).total_seconds() / 2))
        return ta

    def log_q(self, tq, ta, what):
        dl = self.clock.add_staffed(tq, self.sla_s)
        self.qlog.append((tq, dl, ta, what))

    # ---------------------------------------------------------------- visitors on a post
    def delay_s(self, scale_h=3.0):
        r = self.rng
        x = r.random()
        if x < 0.55:
            d = r.expovariate(1 / (scale_h * 0.3 * 3600))
        elif x < 0.9:
            d = r.expovariate(1 / (scale_h * 1.6 * 3600))
        else:
            d = r.uniform(0.5, 3.0) * 86400
        return max(20.0, d)

    def human_time(self, t0, scale_h=3.0):
        for _ in range(6):
            t = t0 + TD(seconds=self.delay_s(scale_h))
            h = self.clock.local(t).hour
            if 7 <= h <= 22 or self.rng.random() < 0.25:
                return t
        return t

    def visitor_text(self, v):
        r = self.rng
        lang = v["lang"]
        B = T.BANK[lang]
        p = self.p
        x = r.random()
        mix = p.get("mix", {})
        q = mix.get("question", 0.16)
        c = mix.get("complaint", 0.08)
        rq = mix.get("request", 0.03)
        if x < q:
            if lang == p["qa_lang"] and p["qa"] and r.random() < 0.65:
                qq, aa = r.choice(p["qa"])
                return "question", self.fill(qq, lang), self.fill(aa, lang)
            return "question", self.fill(r.choice(B["question"]), lang), self.fill(r.choice(B["generic_answer"]), lang)
        x -= q
        if x < rq:
            return "question", self.fill(r.choice(B["request"]), lang), self.fill(r.choice(B["generic_answer"]), lang)
        x -= rq
        if x < c:
            pool = B["complaint"] + (p.get("complaints", {}).get(lang, []))
            return "complaint", self.fill(r.choice(pool), lang), None
        x -= c
        if x < 0.09:
            f = self.visitor()
            return "tag", r.choice(B["tag"]).replace("{friend}", f["name"]), None
        if x < 0.16:
            return "emoji", r.choice(B["emoji"]), None
        if x < 0.32:
            return "neutral", self.fill(r.choice(B["neutral"]), lang), None
        pool = B["praise"] + (p.get("praises", {}).get(lang, []))
        return "praise", self.fill(r.choice(pool), lang), None

    def page_reply(self, tq, post_id, cid, v, kind, answer, channel="comment"):
        r = self.rng
        B = T.BANK[v["lang"] if v["lang"] in T.BANK else self.p["lang"]]
        first = v["name"].split()[0]
        if kind == "question":
            ta = self.answer_time(tq, channel)
            msg = r.choice(B["reply_q"]).format(name=first, answer=answer, sig=self.sig())
        else:
            ta = self.answer_time(tq, channel, frac=r.uniform(0.1, 0.7))
            msg = self.fill(r.choice(B["reply_complaint"]), v["lang"]).format(name=first, sig=self.sig())
        if ta >= self.end:
            return None
        rid = self.page_comment(ta, post_id, cid, msg.strip())
        if kind == "question":
            self.log_q(tq, ta, f"comment {cid}")
        if r.random() < 0.25:
            tt = ta + TD(seconds=self.delay_s(0.8))
            if tt < self.end:
                self.comment(tt, v, post_id, r.choice(B["thanks"]), parent_id=cid)
        return ta

    def visitors_on_post(self, pid, t0, n_comments, n_reacts, scale_h=3.0, reaction_mix=None, text_fn=None,
                         until=None):
        r = self.rng
        until = until or self.end
        reaction_mix = reaction_mix or self.p.get("reaction_mix", [("like", 70), ("love", 22), ("haha", 3),
                                                                   ("wow", 3), ("sad", 1), ("angry", 1)])
        for _ in range(n_reacts):
            t = self.human_time(t0, scale_h)
            if t < until:
                self.react(t, self.visitor(), pid, self._pick(reaction_mix))
        for _ in range(n_comments):
            t = self.human_time(t0, scale_h)
            if t >= until:
                continue
            v = self.visitor()
            kind, msg, answer = (text_fn or self.visitor_text)(v)
            cid = self.comment(t, v, pid, msg)
            self.after_comment(t, v, pid, cid, kind, answer)

    def after_comment(self, t, v, pid, cid, kind, answer):
        r = self.rng
        if kind == "question":
            self.page_reply(t, pid, cid, v, kind, answer)
        elif kind == "complaint" and r.random() < self.p.get("complaint_reply", 0.6):
            self.page_reply(t, pid, cid, v, kind, None)
        elif kind == "praise" and r.random() < self.p.get("like_praise", 0.2):
            tl = self.clock.next_staffed(t) + TD(seconds=r.randint(60, 7200))
            if tl < self.end and not self.in_blackout(tl, "comment"):
                self.page_like(tl, cid)
        if kind in ("praise", "complaint", "neutral") and r.random() < 0.07:
            t2 = t + TD(seconds=self.delay_s(1.0))
            if t2 < self.end:
                v2 = self.visitor()
                self.comment(t2, v2, pid, r.choice(T.BANK[v2["lang"]]["agree"]), parent_id=cid)
        if r.random() < 0.25:
            t2 = t + TD(seconds=self.delay_s(1.5))
            if t2 < self.end:
                self.react(t2, self.visitor(), cid, "like")

    # ---------------------------------------------------------------- ordinary history
    def ordinary(self, skip_post_days=(), post_override=None):
        p = self.p
        r = self.rng
        d = p["start"]
        texts = list(p["post_texts"])
        r.shuffle(texts)
        ti = 0
        while d < p["start"] + TD(days=p["days"]):
            wd = d.weekday()
            nposts = 0
            lam = p["posts_per_day"].get(wd, 0.0)
            # Poisson
            L, k, pr = math.exp(-lam), 0, 1.0
            while True:
                pr *= r.random()
                if pr < L:
                    break
                k += 1
            nposts = k if d not in skip_post_days else 0
            if self.clock.is_holiday(d) and not p.get("post_on_holidays"):
                nposts = 0
            hours = sorted(r.sample(p["post_hours"], min(nposts, len(p["post_hours"]))))
            for h in hours:
                t = self.clock.at(d, h * 60 + r.choice([0, 0, 0, r.randint(0, 59)])) + TD(seconds=r.randint(0, 50))
                if t < self.start or t >= self.end:
                    continue
                if self.in_outage(t) or self.in_blackout(t, "post"):
                    continue
                msg = texts[ti % len(texts)]
                ti += 1
                self.ordinary_post(t, self.fill(msg))
            self.ordinary_dms(d)
            if r.random() < p.get("visitor_posts_per_day", 0.1):
                self.visitor_post(self.clock.at(d, r.randint(8 * 60, 22 * 60)) + TD(seconds=r.randint(0, 59)))
            d += TD(days=1)

    def ordinary_post(self, t, msg, eng=None, app=None, admin=None):
        r = self.rng
        p = self.p
        pid = self.page_post(t, msg, app=app, admin=admin)
        eng = eng if eng is not None else r.lognormvariate(0, 0.55)
        nc = max(0, int(round(r.gauss(p["comments_per_post"] * eng, 1 + p["comments_per_post"] * eng * 0.2))))
        nr = max(0, int(nc * r.uniform(*p.get("react_ratio", (1.2, 2.2))) + r.randint(0, 3)))
        self.visitors_on_post(pid, t, nc, nr)
        # occasional edit for a typo, same app
        if r.random() < 0.05:
            te = t + TD(seconds=r.randint(120, 3000))
            self.emit(te, f"fb:post_edit:{pid}:{int(te.timestamp())}", "post.edited", dict(self.page_actor),
                      {"post_id": pid, "message": msg + p.get("edit_suffix", " (uppdaterat)"), "app": p["apps"][0][0]})
        # occasional spam comment that gets hidden
        if r.random() < p.get("spam_rate", 0.04):
            ts = t + TD(seconds=r.randint(600, 30000))
            bot = self.stranger("en", r.choice(["Crypto Queen", "Jenny Forex", "Lucky Draw Official", "Mark Trader"]))
            link = r.choice(["https://bit.ly/3xProfit", "https://quick-cash-now.top/join", "https://free-phones.win/claim"])
            msg2 = r.choice(T.BANK[p["lang"]]["spam"]).replace("{link}", link)
            cid = self.comment(ts, bot, pid, msg2)
            th = self.clock.next_staffed(ts) + TD(seconds=r.randint(300, 5400))
            self.emit(th, f"fb:comment_hide:{cid}", "comment.hidden", dict(self.page_actor),
                      {"comment_id": cid, "post_id": pid})
        return pid

    def visitor_post(self, t):
        r = self.rng
        v = self.visitor()
        B = T.BANK[v["lang"]]
        pid = self.new_post_id()
        if r.random() < 0.3:
            if v["lang"] == self.p["qa_lang"] and self.p["qa"]:
                q, a = r.choice(self.p["qa"])
            else:
                q, a = r.choice(B["question"]), r.choice(B["generic_answer"])
            msg, kind, ans = self.fill(q, v["lang"]), "question", self.fill(a, v["lang"])
        else:
            msg, kind, ans = self.fill(r.choice(B["praise"] + B["neutral"]), v["lang"]), "praise", None
        self.emit(t, f"fb:post:{pid}", "post.created", self.person_actor(v),
                  {"post_id": pid, "message": msg, "app": None, "links": [], "type": r.choice(["status", "photo"]),
                   "admin": None})
        if kind == "question":
            ta = self.answer_time(t, "comment")
            if ta < self.end:
                first = v["name"].split()[0]
                self.page_comment(ta, pid, None, r.choice(B["reply_q"]).format(name=first, answer=ans, sig=self.sig()))
                self.log_q(t, ta, f"visitor post {pid}")
        else:
            tl = self.clock.next_staffed(t) + TD(seconds=r.randint(60, 5000))
            if tl < self.end and r.random() < 0.5:
                self.page_like(tl, pid)

    def ordinary_dms(self, d):
        r = self.rng
        p = self.p
        lam = p.get("dms_per_day", 1.0) * (0.5 if d.weekday() >= 5 else 1.0)
        L, k, pr = math.exp(-lam), 0, 1.0
        while True:
            pr *= r.random()
            if pr < L:
                break
            k += 1
        for _ in range(k):
            h = r.choices(range(24), weights=[1, 1, 0.5, 0.5, 0.5, 1, 2, 4, 6, 7, 7, 7, 7, 7, 7, 6, 6, 6, 6, 6, 6, 5, 4, 2])[0]
            t = self.clock.at(d, h * 60 + r.randint(0, 59)) + TD(seconds=r.randint(0, 59))
            if self.start <= t < self.end:
                self.dm(t)

    def dm(self, t, v=None, text=None, asks=None, channel="dm"):
        r = self.rng
        v = v or self.visitor()
        B = T.BANK[v["lang"]]
        if text is None:
            asks = r.random() < 0.8
            text = self.fill(r.choice(B["dm_q"] if asks else B["dm_other"]), v["lang"])
        self.msg_ctr += r.randint(10, 9000)
        thread = v.setdefault("thread", f"t_{r.randint(10**13, 10**14 - 1)}")
        self.emit(t, f"fb:message:m_{self.msg_ctr}x{r.randint(10000, 99999)}", "message.received",
                  self.person_actor(v), {"thread_id": thread, "message": text})
        first = v["name"].split()[0]
        if asks:
            ta = self.answer_time(t, channel)
            msg = r.choice(B["dm_reply"]).format(name=first, sig=self.sig())
        else:
            if r.random() < 0.5:
                return
            ta = self.answer_time(t, channel, frac=r.uniform(0.1, 0.6))
            msg = r.choice(B["dm_reply_other"]).format(name=first, sig=self.sig())
        if ta < self.end:
            self.msg_ctr += r.randint(10, 9000)
            self.emit(ta, f"fb:message:m_{self.msg_ctr}x{r.randint(10000, 99999)}", "message.sent",
                      dict(self.page_actor), {"thread_id": thread, "message": msg})
            if asks:
                self.log_q(t, ta, f"dm {thread}")

    # ---------------------------------------------------------------- special events
    def role(self, t, kind, actor, user, tasks=None, prev=None):
        obj = {"user": {"id": user[0], "name": user[1]}}
        if kind in ("role.granted", "role.changed"):
            obj["tasks"] = list(tasks)
        if kind in ("role.changed", "role.revoked"):
            obj["previous_tasks"] = list(prev)
        word = kind.split(".")[1]
        act = None if actor is None else {"id": actor[0], "name": actor[1], "type": "person"}
        self.emit(t, f"fb:role:{self.page_num}:{user[0]}:{word}:{int(t.timestamp())}", kind, act, obj)

    def page_change(self, t, actor, field, old, new):
        if field == "name":
            self.names.append((t, new))
        act = None if actor is None else {"id": actor[0], "name": actor[1], "type": "person"}
        self.emit(t, f"fb:page_change:{self.page_num}:{field}:{int(t.timestamp())}", "page.changed", act,
                  {"field": field, "old": old, "new": new})

    def post_delete(self, t, pid):
        self.emit(t, f"fb:post_delete:{pid}", "post.deleted", dict(self.page_actor), {"post_id": pid})

    def post_edit(self, t, pid, msg, app):
        self.emit(t, f"fb:post_edit:{pid}:{int(t.timestamp())}", "post.edited", dict(self.page_actor),
                  {"post_id": pid, "message": msg, "app": app})

    def source_error(self, t, code, msg, retry):
        self.emit(t, f"sentinel:source.error:{self.p['key']}:{int(t.timestamp())}", "source.error", None,
                  {"code": code, "message": msg, "retry_after": retry})

    def source_recovered(self, t):
        self.emit(t, f"sentinel:source.recovered:{self.p['key']}:{int(t.timestamp())}", "source.recovered", None, {})

    # ---------------------------------------------------------------- output
    def finalize(self):
        out = []
        seen = set()
        for t, s, e in sorted(self.events, key=lambda x: (x[0], x[1])):
            if t < self.start or t >= self.end:
                continue
            if e["kind"] not in ("source.error", "source.recovered") and self.in_outage(t):
                continue
            if e["id"] in seen:
                continue
            seen.add(e["id"])
            e["time"] = fmt(t, self.tz)
            a = e["actor"]
            if a and a.get("type") == "page" and a.get("id") == self.page_num:
                nm = self.p["name"]
                for tn, n in sorted(self.names):
                    if tn <= t:
                        nm = n
                a["name"] = nm
            out.append(e)
        self.out = out
        return out

    def lines(self):
        return "".join(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n" for e in self.out)

    def config_yaml(self):
        p = self.p
        lines = ["# sentinel page config for this scenario (red-team set rt7)", "pages:",
                 f"  - id: {p['key']}", "    platform: facebook", f"    name: {json.dumps(p['name'], ensure_ascii=False)}",
                 f"    timezone: {p['tz']}", f"    language: {p['lang']}"]
        if p.get("staffed"):
            lines.append("    staffed_hours:")
            for k, v in p["staffed"].items():
                lines.append(f"      {k}: \"{v}\"")
        if p.get("holidays"):
            lines.append(f"    holidays: {p['holidays']}")
        lines.append(f"    response_sla: {p['sla']}")
        return "\n".join(lines) + "\n"

    def dst_traps(self, sid):
        out = []
        for d in dst_sundays(self.p["start"], self.p["start"] + TD(days=self.p["days"] - 1)):
            a = self.clock.at(d, 0)
            b = self.clock.at(d + TD(days=1), 23 * 60 + 59) + TD(seconds=59)
            out.append({"page": self.p["key"], "type": "dst", "start": fmt(a, self.tz), "end": fmt(b, self.tz),
                        "max_severity": "info", "categories": ["hijack", "crisis", "sla", "health"]})
        return out

    def unseen_answers(self):
        """questions seen by Sentinel whose (timely) answer fell in an outage and so is never seen"""
        return [(tq, dl, ta, w) for tq, dl, ta, w in self.qlog
                if not self.in_outage(tq) and self.in_outage(ta) and self.start <= tq < self.end]

    def breaches(self, a=None, b=None):
        """questions (as the generator labels them) answered after their SLA deadline, visible in the output."""
        res = []
        for tq, dl, ta, what in self.qlog:
            if self.in_outage(tq) or tq >= self.end or tq < self.start:
                continue
            if self.in_outage(ta) and ta <= dl:
                continue
            if ta > dl:
                res.append((tq, dl, ta, what))
        return sorted(res)
