# Scenario engine for the rt4 red-team set (deterministic given a seed).
import datetime as dt
import json
import math
import random
from zoneinfo import ZoneInfo

from lang import L, SCAM_POSTS, SCAM_DOMAINS, SCAM_COMMENTS_EN, STRANGERS
from ind import I

UTC = dt.timezone.utc
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
H = 3600.0


def easter(y):
    a = y % 19; b = y // 100; c = y % 100; d = b // 4; e = b % 4
    f = (b + 8) // 25; g = (b - f + 1) // 3; h = (19 * a + b - d - g + 15) % 30
    i = c // 4; k = c % 4; l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    mo = (h + l_ - 7 * m + 114) // 31; da = ((h + l_ - 7 * m + 114) % 31) + 1
    return dt.date(y, mo, da)


def holidays(cc, y):
    """Only days the generator's team certainly keeps closed (a subset is safe)."""
    e = easter(y)
    D = lambda m, d: dt.date(y, m, d)
    s = set()
    if cc in ("SE", "FI"):
        s |= {D(1, 1), D(1, 6), e - dt.timedelta(2), e, e + dt.timedelta(1), D(5, 1), e + dt.timedelta(39),
              D(12, 24), D(12, 25), D(12, 26)}
        for d in range(19, 26):
            if D(6, d).weekday() == 4:
                s.add(D(6, d)); s.add(D(6, d + 1))
        if cc == "SE":
            s |= {D(6, 6), D(12, 31)}
        else:
            s |= {D(12, 6)}
    if cc in ("DK", "NO"):
        s |= {D(1, 1), e - dt.timedelta(3), e - dt.timedelta(2), e, e + dt.timedelta(1), e + dt.timedelta(39),
              e + dt.timedelta(50), D(12, 25), D(12, 26)}
        if cc == "NO":
            s |= {D(5, 1), D(5, 17)}
    if cc == "GB":
        s |= {D(1, 1), e - dt.timedelta(2), e + dt.timedelta(1), D(12, 25), D(12, 26)}
    return s


def parse_staffed(spec):
    if not spec:
        return None
    out = {i: [] for i in range(7)}
    for k, v in spec.items():
        if "-" in k:
            a, b = k.split("-")
            ds = list(range(DAYS.index(a), DAYS.index(b) + 1))
        else:
            ds = [DAYS.index(k)]
        s, e = v.split("-")
        sm = int(s[:2]) * 60 + int(s[3:]); em = int(e[:2]) * 60 + int(e[3:])
        for d in ds:
            out[d].append((sm, em))
    return out


class Page:
    def __init__(self, key, name, industry, tz, staffed, sla_h, cc, rng, *, size=1.0, posts_per_day=1.5,
                 comments_per_post=12, pm_per_day=3, visitor_posts_per_week=1, admins=None,
                 closed_on_holidays=False, night_posting=False, lang=None, second_lang=None, scheduled=None,
                 react_factor=1.0, weekend_posts=0.4, pid=None):
        self.key = key; self.name = name; self.ind = I[industry]; self.tzname = tz; self.tz = ZoneInfo(tz)
        self.staffed_spec = staffed; self.staffed = parse_staffed(staffed); self.sla = sla_h * H
        self.cc = cc; self.rng = rng; self.lang = lang or self.ind["lang"]; self.L = L[self.lang]
        self.second_lang = second_lang
        self.posts_per_day = posts_per_day; self.cpp = comments_per_post; self.pm_per_day = pm_per_day
        self.vpw = visitor_posts_per_week; self.closed_on_holidays = closed_on_holidays
        self.night_posting = night_posting; self.scheduled = scheduled or []
        self.react_factor = react_factor; self.weekend_posts = weekend_posts
        self.pid = pid or str(rng.randint(100000000000000, 119999999999999))
        self.admins = admins or [(str(rng.randint(100000000000, 100099999999)), self.person_name(), ["Meta Business Suite"])]
        self.seq = rng.randint(2000000000, 7000000000)
        self.people = [(str(rng.randint(100000000000000, 100099999999999)), self.person_name()) for _ in range(int(400 * size) + 60)]
        if second_lang:
            sl = L[second_lang]
            for _ in range(int(60 * size) + 10):
                self.people.append((str(rng.randint(100000000000000, 100099999999999)),
                                    f"{rng.choice(sl['first'])} {rng.choice(sl['last'])}"))
        self.closures = []   # (a, b): the team answers nothing in [a, b); answers are given after b
        self.gaps = []       # (a, b): the source sees nothing in (a, b)
        self.asks = []       # (asked_time, answered_time, id) of everything that asks for an answer
        self._hol = {}
        self.edit_apps = {}
        self.signers = [rng.choice(L[self.lang]["first"]) for _ in range(4)]

    def person_name(self, lang=None):
        l_ = L[lang or self.lang]
        return f"{self.rng.choice(l_['first'])} {self.rng.choice(l_['last'])}"

    def nid(self):
        self.seq += self.rng.randint(1, 4000)
        return str(self.seq)

    # ---- staffed time ----
    def is_holiday(self, d):
        if not self.closed_on_holidays or not self.cc:
            return False
        if d.year not in self._hol:
            self._hol[d.year] = holidays(self.cc, d.year)
        return d in self._hol[d.year]

    def intervals(self, day):
        if self.staffed is None:
            return [(dt.datetime(day.year, day.month, day.day, tzinfo=self.tz),
                     dt.datetime(day.year, day.month, day.day, tzinfo=self.tz) + dt.timedelta(days=1))]
        if self.is_holiday(day):
            return []
        out = []
        for sm, em in self.staffed[day.weekday()]:
            a = dt.datetime(day.year, day.month, day.day, sm // 60, sm % 60, tzinfo=self.tz)
            b = dt.datetime(day.year, day.month, day.day, em // 60, em % 60, tzinfo=self.tz) if em < 1440 else \
                dt.datetime(day.year, day.month, day.day, tzinfo=self.tz) + dt.timedelta(days=1)
            out.append((a.astimezone(UTC), b.astimezone(UTC)))
        return out

    def add_staffed(self, t, secs):
        if self.staffed is None:
            return t + dt.timedelta(seconds=secs)
        day = t.astimezone(self.tz).date() - dt.timedelta(days=1)
        rem = secs
        for _ in range(60):
            for a, b in self.intervals(day):
                if b <= t:
                    continue
                s = max(a, t)
                avail = (b - s).total_seconds()
                if avail >= rem:
                    return s + dt.timedelta(seconds=rem)
                rem -= avail
            day += dt.timedelta(days=1)
        raise RuntimeError("no staffed time")

    def staffed_at(self, t):
        if self.staffed is None:
            return True
        d = t.astimezone(self.tz).date()
        return any(a <= t < b for a, b in self.intervals(d))

    def local(self, t):
        return t.astimezone(self.tz)


def iso(t, tz):
    return t.astimezone(tz).isoformat(timespec="seconds")


class Scenario:
    def __init__(self, sid, seed, start, days, title):
        self.sid = sid; self.rng = random.Random(seed); self.start = start; self.days = days
        self.end = start + dt.timedelta(days=days); self.pages = []; self.events = []
        self.incidents = []; self.traps = []; self.title = title; self.notes = []
        self._ids = set()

    def page(self, *a, **kw):
        p = Page(*a, rng=self.rng, **kw)
        self.pages.append(p)
        return p

    # ---------- event emitters ----------
    def emit(self, p, t, eid, kind, actor, obj):
        if eid in self._ids:
            return False
        self._ids.add(eid)
        self.events.append([t, p, {"id": eid, "time": None, "platform": "facebook", "page": p.key, "kind": kind,
                                   "actor": actor, "object": obj}])
        return True

    def page_actor(self, p, name=None):
        return {"id": p.pid, "name": name or p.name, "type": "page"}

    def post(self, p, t, msg, admin, app, links=None, ptype=None, name=None):
        pid = f"{p.pid}_{p.nid()}"
        links = links if links is not None else []
        self.emit(p, t, f"fb:post:{pid}", "post.created", self.page_actor(p, name),
                  {"post_id": pid, "message": msg, "app": app, "links": links,
                   "type": ptype or ("link" if links else self.rng.choice(["photo", "photo", "status", "video"])),
                   "admin": {"id": admin[0], "name": admin[1]} if admin else None})
        return pid

    def visitor_post(self, p, t, person, msg, ptype="status"):
        pid = f"{p.pid}_{p.nid()}"
        self.emit(p, t, f"fb:post:{pid}", "post.created", {"id": person[0], "name": person[1], "type": "person"},
                  {"post_id": pid, "message": msg, "app": None, "links": [], "type": ptype, "admin": None})
        return pid

    def comment(self, p, t, post_id, person, msg, parent=None, links=None, by_page=False):
        cid = f"{post_id}_{p.nid()}"
        actor = self.page_actor(p) if by_page else {"id": person[0], "name": person[1], "type": "person"}
        self.emit(p, t, f"fb:comment:{cid}", "comment.created", actor,
                  {"comment_id": cid, "post_id": post_id, "parent_id": parent, "message": msg, "links": links or []})
        return cid

    def react(self, p, t, target, person, reaction, by_page=False):
        actor = self.page_actor(p) if by_page else {"id": person[0], "name": person[1], "type": "person"}
        return self.emit(p, t, f"fb:reaction:{target}:{actor['id']}", "reaction.created", actor,
                         {"target_id": target, "reaction": reaction})

    def hide(self, p, t, cid, post_id, kind="comment.hidden"):
        tag = "comment_hide" if kind == "comment.hidden" else "comment_delete"
        self.emit(p, t, f"fb:{tag}:{cid}", kind, self.page_actor(p), {"comment_id": cid, "post_id": post_id})

    def msg_in(self, p, t, person, thread, msg):
        self.emit(p, t, f"fb:message:m_{p.nid()}x{self.rng.randint(10000, 99999)}", "message.received",
                  {"id": person[0], "name": person[1], "type": "person"}, {"thread_id": thread, "message": msg})

    def msg_out(self, p, t, thread, msg, comment_id=None):
        obj = {"thread_id": thread, "message": msg}
        if comment_id:
            obj["comment_id"] = comment_id
        self.emit(p, t, f"fb:message:m_{p.nid()}x{self.rng.randint(10000, 99999)}", "message.sent",
                  self.page_actor(p), obj)

    def role(self, p, t, kind, actor, user, tasks, prev=None):
        ep = int(t.timestamp())
        tag = kind.split(".")[1]
        obj = {"user": {"id": user[0], "name": user[1]}}
        if kind == "role.granted":
            obj["tasks"] = tasks
        elif kind == "role.changed":
            obj["tasks"] = tasks; obj["previous_tasks"] = prev
        else:
            obj["previous_tasks"] = prev
        act = {"id": actor[0], "name": actor[1], "type": "person"} if actor else None
        self.emit(p, t, f"fb:role:{p.pid}:{user[0]}:{tag}:{ep}", kind, act, obj)

    def page_change(self, p, t, actor, field, old, new):
        act = {"id": actor[0], "name": actor[1], "type": "person"} if actor else None
        self.emit(p, t, f"fb:page_change:{p.pid}:{field}:{int(t.timestamp())}", "page.changed", act,
                  {"field": field, "old": old, "new": new})

    def source_error(self, p, t, code, msg, retry_after=None):
        self.emit(p, t, f"sentinel:source.error:{p.key}:{int(t.timestamp())}", "source.error", None,
                  {"code": code, "message": msg, "retry_after": retry_after})

    def source_recovered(self, p, t):
        self.emit(p, t, f"sentinel:source.recovered:{p.key}:{int(t.timestamp())}", "source.recovered", None, {})

    # ---------- helpers ----------
    def person(self, p, lang=None):
        return self.rng.choice(p.people)

    def first(self, person):
        return person[1].split()[0]

    def answer_text(self, p, person, ans, lang=None):
        l_ = L[lang or p.lang]
        sign = self.rng.choice(p.signers) if hasattr(p, "signers") else self.rng.choice(l_["first"])
        o = self.rng.choice(l_["open"]).format(f=self.first(person))
        s = self.rng.choice(l_["sign"]).format(s=sign)
        return f"{o} {ans} {s}"

    def answer_time(self, p, t, fast=False):
        lo = 180
        hi = max(lo + 60, min(0.45 * p.sla, 3 * H)) if not fast else max(lo + 60, min(0.2 * p.sla, 40 * 60))
        d = self.rng.uniform(lo, hi)
        ta = p.add_staffed(t, d)
        # the team's absences: answers wait until the team is back
        for a, b in p.closures:
            if a <= ta < b:
                ta = b + dt.timedelta(seconds=self.rng.uniform(30, 900))
        for a, b in p.gaps:
            if a <= ta <= b:
                dl = p.add_staffed(t, p.sla)
                ta = min(b + dt.timedelta(seconds=self.rng.uniform(120, 1500)), max(b + dt.timedelta(seconds=30), dl - dt.timedelta(seconds=90)))
        return ta

    def wake_time(self, p, day, lo=7, hi=23):
        """a random local time on day, weighted to waking hours"""
        while True:
            h = self.rng.uniform(0, 24)
            w = 1.0 if lo <= h < hi else 0.08
            if self.rng.random() < w:
                break
        base = dt.datetime(day.year, day.month, day.day, tzinfo=p.tz)
        return (base + dt.timedelta(hours=h)).astimezone(UTC)

    def comment_offset(self, mean_h=1.6):
        r = self.rng.random()
        if r < 0.85:
            return self.rng.expovariate(1 / (mean_h * H))
        return self.rng.uniform(0, 30 * H)

    def in_window(self, t):
        return self.start <= t < self.end

    # ---------- ordinary life ----------
    def ask(self, p, t, post_id, person, q, a, lang=None, parent=None, fast=False):
        """a customer question in a comment (or reply); the page answers within its SLA"""
        cid = self.comment(p, t, post_id, person, q, parent=parent)
        ta = self.answer_time(p, t, fast)
        if ta >= self.end:
            return cid
        thread = parent or cid
        self.comment(p, ta, post_id, None, self.answer_text(p, person, a, lang), parent=thread, by_page=True)
        p.asks.append((t, ta, cid))
        r = self.rng.random()
        l_ = L[lang or p.lang]
        if r < 0.3:
            self.comment(p, ta + dt.timedelta(seconds=self.rng.uniform(120, 5400)), post_id, person,
                         self.rng.choice(l_["thanks"]), parent=thread)
        elif r < 0.36 and parent is None:
            fq, fa = self.rng.choice(l_["followup"])
            t2 = ta + dt.timedelta(seconds=self.rng.uniform(300, 3600))
            self.ask(p, t2, post_id, person, fq, fa, lang, parent=thread)
        return cid

    def comments_on(self, p, post_id, t0, n, mean_h=1.6, qfrac=0.16, grumpy=0.12):
        l_ = p.L
        ind = p.ind
        for _ in range(n):
            t = t0 + dt.timedelta(seconds=self.comment_offset(mean_h))
            lt = p.local(t)
            if 1 <= lt.hour < 6 and self.rng.random() < 0.75:
                continue
            if not self.in_window(t):
                continue
            who = self.person(p)
            r = self.rng.random()
            lang = p.lang
            if p.second_lang and self.rng.random() < 0.12:
                lang = p.second_lang
            lb = L[lang]
            if r < qfrac:
                qa = ind.get("qa_" + lang) if lang != p.lang else ind["qa"]
                if not qa:
                    self.comment(p, t, post_id, who, self.rng.choice(lb["praise"]))
                    continue
                q, a = self.rng.choice(qa)
                if self.rng.random() < 0.3:
                    q = q.rstrip("?") + self.rng.choice(["", " 🙏", "??", " Tack på förhand!" if lang == "sv" else ""])
                self.ask(p, t, post_id, who, q, a, lang)
            elif r < qfrac + grumpy:
                txt = self.rng.choice(ind["complaints"] + lb["grumpy"]) if lang == p.lang else self.rng.choice(lb["grumpy"])
                cid = self.comment(p, t, post_id, who, txt)
                if self.rng.random() < 0.25:
                    ta = self.answer_time(p, t)
                    if ta < self.end:
                        self.comment(p, ta, post_id, None, self.rng.choice(lb["grumpyreply"]).format(f=self.first(who)),
                                     parent=cid, by_page=True)
            elif r < qfrac + grumpy + 0.3:
                cid = self.comment(p, t, post_id, who, self.rng.choice(lb["praise"]))
                x = self.rng.random()
                if x < 0.25:
                    ta = self.answer_time(p, t)
                    if ta < self.end:
                        self.react(p, ta, cid, None, "like", by_page=True)
                elif x < 0.32:
                    ta = self.answer_time(p, t)
                    if ta < self.end:
                        self.comment(p, ta, post_id, None, self.rng.choice(lb["praisereply"]).format(f=self.first(who)),
                                     parent=cid, by_page=True)
            elif r < qfrac + grumpy + 0.45:
                self.comment(p, t, post_id, who, self.rng.choice(lb["neutral"]))
            elif r < qfrac + grumpy + 0.6:
                self.comment(p, t, post_id, who, self.rng.choice(lb["emoji"]))
            elif r < 0.985:
                self.comment(p, t, post_id, who, self.rng.choice(lb["tag"]).format(n=self.person(p)[1]))
            else:
                x = "".join(self.rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(6))
                txt = self.rng.choice(lb["spam"]).format(x=x)
                link = txt.split()[-1]
                bot = (str(self.rng.randint(100090000000000, 100099999999999)), self.person_name_foreign())
                cid = self.comment(p, t, post_id, bot, txt, links=[link])
                ta = self.answer_time(p, t, fast=True)
                if ta < self.end:
                    self.hide(p, ta, cid, post_id, self.rng.choice(["comment.hidden", "comment.hidden", "comment.deleted"]))

    def person_name_foreign(self):
        return self.rng.choice(["Crypto Lisa", "Mark Invest", "Jenny Rich", "Sandra Forex", "Tom Wealth", "Amy Trades"])

    def reactions_on(self, p, target, t0, n, mix=None, mean_h=2.0):
        mix = mix or {"like": 70, "love": 15, "haha": 3, "wow": 4, "sad": 2, "angry": 2, "care": 4}
        keys = list(mix); w = [mix[k] for k in keys]
        for _ in range(n):
            t = t0 + dt.timedelta(seconds=self.rng.expovariate(1 / (mean_h * H)))
            if not self.in_window(t):
                continue
            self.react(p, t, target, self.person(p), self.rng.choices(keys, w)[0])

    def ordinary(self, p, skip=()):
        """ordinary life on page p for the whole scenario; skip: list of (a, b) windows with no page posts"""
        day = p.local(self.start).date()
        endd = p.local(self.end).date()
        while day <= endd:
            wk = day.weekday()
            mult = 1.0 if wk < 5 else p.weekend_posts
            n = self.poisson(p.posts_per_day * mult)
            for _ in range(n):
                adm = self.rng.choice(p.admins)
                app = self.rng.choice(adm[2])
                if p.scheduled and app in ("Hootsuite", "Later", "Buffer", "Agorapulse", "Sprout Social") and self.rng.random() < 0.8:
                    hh, mm = self.rng.choice(p.scheduled)
                    t = dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=p.tz).astimezone(UTC)
                elif p.night_posting:
                    t = self.wake_time(p, day, 5, 24)
                else:
                    ivs = p.intervals(day) if p.staffed else []
                    if not ivs:
                        ivs = [(dt.datetime(day.year, day.month, day.day, 9, tzinfo=p.tz).astimezone(UTC),
                                dt.datetime(day.year, day.month, day.day, 17, tzinfo=p.tz).astimezone(UTC))]
                        if p.staffed is not None and self.rng.random() < 0.8:
                            continue
                    a, b = self.rng.choice(ivs)
                    t = a + dt.timedelta(seconds=self.rng.uniform(600, max(900, (b - a).total_seconds() - 1800)))
                if not self.in_window(t) or any(a_ <= t < b_ for a_, b_ in skip):
                    continue
                self.page_post(p, t, adm, app)
            # visitor posts
            if self.rng.random() < p.vpw / 7:
                t = self.wake_time(p, day)
                if self.in_window(t):
                    who = self.person(p)
                    if self.rng.random() < 0.5:
                        q, a = self.rng.choice(p.ind["qa"])
                        vp = self.visitor_post(p, t, who, q)
                        ta = self.answer_time(p, t)
                        if ta < self.end:
                            self.comment(p, ta, vp, None, self.answer_text(p, who, a), by_page=True)
                            p.asks.append((t, ta, vp))
                    else:
                        self.visitor_post(p, t, who, self.rng.choice(p.L["praise"] + p.ind["complaints"]),
                                          self.rng.choice(["status", "photo"]))
            # private messages
            for _ in range(self.poisson(p.pm_per_day * (1 if wk < 5 else 0.7))):
                t = self.wake_time(p, day)
                if not self.in_window(t):
                    continue
                self.pm(p, t)
            day += dt.timedelta(days=1)

    def pm(self, p, t, who=None, q=None, a=None, force_answer=True):
        who = who or self.person(p)
        thread = f"t_{p.nid()}{self.rng.randint(10, 99)}"
        pms = p.ind.get("pm", []) + p.ind["qa"]
        if q is None:
            if self.rng.random() < 0.1:
                self.msg_in(p, t, who, thread, self.rng.choice(p.L["pm_praise"]))
                if self.rng.random() < 0.5:
                    ta = self.answer_time(p, t)
                    if ta < self.end:
                        self.msg_out(p, ta, thread, self.rng.choice(p.L["praisereply"]).format(f=self.first(who)))
                return
            q, a = self.rng.choice(pms)
        if self.rng.random() < 0.2:
            self.msg_in(p, t, who, thread, self.rng.choice(p.L["pm_open"]))
            t = t + dt.timedelta(seconds=self.rng.uniform(20, 180))
        self.msg_in(p, t, who, thread, q)
        ta = self.answer_time(p, t)
        if ta < self.end:
            self.msg_out(p, ta, thread, self.answer_text(p, who, a))
            p.asks.append((t, ta, thread))
            if self.rng.random() < 0.4:
                self.msg_in(p, ta + dt.timedelta(seconds=self.rng.uniform(60, 3000)), who, thread,
                            self.rng.choice(p.L["thanks"]))

    def page_post(self, p, t, adm, app, msg=None, n_comments=None, links=None):
        msg = msg or self.rng.choice(p.ind["posts"])
        if links is None:
            links = [w for w in msg.split() if w.startswith("https://")]
            if not links and self.rng.random() < 0.3:
                links = [f"{p.ind['web']}/{self.rng.choice(['nyheter', 'info', 'kampanj', 'blogg'])}-{self.rng.randint(100, 999)}"]
        pid = self.post(p, t, msg, (adm[0], adm[1]), app, links)
        n = n_comments if n_comments is not None else max(0, int(self.rng.lognormvariate(math.log(max(p.cpp, 0.3)), 0.7)))
        self.comments_on(p, pid, t, n)
        self.reactions_on(p, pid, t, int(n * self.rng.uniform(0.8, 1.6) * p.react_factor) + self.rng.randint(0, 4))
        if self.rng.random() < 0.05:
            self.emit(p, t + dt.timedelta(seconds=self.rng.uniform(240, 1800)), f"fb:post_edit:{pid}:{int(t.timestamp())}",
                      "post.edited", self.page_actor(p), {"post_id": pid, "message": msg + " (uppdaterad)" if p.lang == "sv" else msg + " (updated)", "app": app})
        p.recent_posts = getattr(p, "recent_posts", []) + [(t, pid)]
        return pid

    def poisson(self, lam):
        if lam <= 0:
            return 0
        if lam > 30:
            return max(0, int(self.rng.gauss(lam, math.sqrt(lam))))
        l_ = math.exp(-lam); k = 0; pr = 1.0
        while True:
            pr *= self.rng.random()
            if pr < l_:
                return k
            k += 1

    # ---------- output ----------
    def finish(self, outdir, readme_extra=""):
        import os
        # drop what the source could not see
        keep = []
        for t, p, e in self.events:
            if not (self.start <= t <= self.end):
                continue
            if any(a < t < b for a, b in p.gaps) and e["kind"] not in ("source.error", "source.recovered"):
                continue
            keep.append((t, p, e))
        keep.sort(key=lambda x: (x[0], x[2]["id"]))
        os.makedirs(outdir, exist_ok=True)
        with open(f"{outdir}/events.jsonl", "w", encoding="utf-8") as f:
            for t, p, e in keep:
                e["time"] = iso(t.replace(microsecond=0), p.tz)
                f.write(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n")
        first = keep[0]; last = keep[-1]
        cfg = ["# sentinel page config for red-team scenario " + self.sid, "pages:"]
        for p in self.pages:
            cfg += [f"  - id: {p.key}", "    platform: facebook", f"    name: {json.dumps(p.name, ensure_ascii=False)}",
                    f"    timezone: {p.tzname}", f"    language: {p.lang}"]
            if p.staffed_spec:
                cfg.append("    staffed_hours:")
                for k, v in p.staffed_spec.items():
                    cfg.append(f'      {k}: "{v}"')
            if p.cc:
                cfg.append(f"    holidays: {p.cc}")
            sla = p.sla / H
            cfg.append(f"    response_sla: {int(sla)}h" if sla == int(sla) else f"    response_sla: {int(p.sla // 60)}m")
        with open(f"{outdir}/config.yaml", "w", encoding="utf-8") as f:
            f.write("\n".join(cfg) + "\n")
        truth = {"scenario": self.sid, "pages": [p.key for p in self.pages],
                 "span": {"start": first[2]["time"], "end": last[2]["time"]},
                 "incidents": self.incidents, "traps": self.traps}
        with open(f"{outdir}/truth.json", "w", encoding="utf-8") as f:
            json.dump(truth, f, ensure_ascii=False, indent=1)
            f.write("\n")
        with open(f"{outdir}/README.md", "w", encoding="utf-8") as f:
            pages = "; ".join(f"`{p.key}` ({p.tzname}, language `{p.lang}`)" for p in self.pages)
            f.write(f"# {self.sid}\n{self.title} Page(s): {pages}. {self.days} days of Facebook activity "
                    f"{first[2]['time'][:10]} – {last[2]['time'][:10]}.\n"
                    f"`events.jsonl`: {len(keep)} events (events.md format); `config.yaml`: page config for "
                    f"`sentinel replay --config`; `truth.json`: labelled incidents and traps.\n"
                    f"Written by an independent red team (generator /tmp/rt-fourth/gen.py).\n")
            if readme_extra:
                f.write("\n" + readme_extra.strip() + "\n")
            if self.notes:
                f.write("\nLabels:\n" + "\n".join(f"- {n}" for n in self.notes) + "\n")
        return len(keep)

    def check_sla(self):
        """every ask outside labelled sla incidents must be answered within the SLA (generator's calendar)"""
        bad = []
        for p in self.pages:
            incs = [(dt.datetime.fromisoformat(i["start"]), dt.datetime.fromisoformat(i["end"]))
                    for i in self.incidents if i["page"] == p.key and i["category"] == "sla"]
            for t, ta, cid in p.asks:
                if any(a <= t <= b for a, b in p.gaps):
                    continue
                dl = p.add_staffed(t, p.sla)
                if ta > dl and not any(a - dt.timedelta(hours=1) <= dl <= b for a, b in incs):
                    bad.append((p.key, t.isoformat(), ta.isoformat(), dl.isoformat(), cid))
        return bad
