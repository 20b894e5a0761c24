"""Core simulation engine for the rt8 scenario generator (stdlib only, deterministic)."""
import datetime as dt
import json
import math
import random
from zoneinfo import ZoneInfo

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
H = 3600
M = 60
D = 86400


# ---------------------------------------------------------------- holidays
def easter(year):
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = ((h + l - 7 * m + 114) % 31) + 1
    return dt.date(year, month, day)


def _weekday_between(year, month, lo, hi, wd):
    for d in range(lo, hi + 1):
        x = dt.date(year, month, d)
        if x.weekday() == wd:
            return x


def holidays(country, year):
    if not country:
        return set()
    E = easter(year)
    td = dt.timedelta
    s = set()
    if country == "SE":
        s |= {dt.date(year, 1, 1), dt.date(year, 1, 6), E - td(2), E - td(1), E, E + td(1), dt.date(year, 5, 1),
              E + td(39), dt.date(year, 6, 6), E + td(49), dt.date(year, 12, 24), dt.date(year, 12, 25),
              dt.date(year, 12, 26), dt.date(year, 12, 31)}
        mid = _weekday_between(year, 6, 19, 25, 4)
        s |= {mid, mid + td(1)}
        s.add(_weekday_between(year, 10, 31, 31, 5) or _weekday_between(year, 11, 1, 6, 5))
    elif country == "FI":
        s |= {dt.date(year, 1, 1), dt.date(year, 1, 6), E - td(2), E, E + td(1), dt.date(year, 5, 1), E + td(39),
              E + td(49), dt.date(year, 12, 6), dt.date(year, 12, 24), dt.date(year, 12, 25), dt.date(year, 12, 26)}
        mid = _weekday_between(year, 6, 19, 25, 4)
        s |= {mid, mid + td(1)}
        s.add(_weekday_between(year, 10, 31, 31, 5) or _weekday_between(year, 11, 1, 6, 5))
    elif country == "NO":
        s |= {dt.date(year, 1, 1), E - td(3), E - td(2), E, E + td(1), dt.date(year, 5, 1), dt.date(year, 5, 17),
              E + td(39), E + td(49), E + td(50), dt.date(year, 12, 25), dt.date(year, 12, 26)}
    elif country == "DK":
        s |= {dt.date(year, 1, 1), E - td(3), E - td(2), E, E + td(1), E + td(39), E + td(49), E + td(50),
              dt.date(year, 6, 5), dt.date(year, 12, 24), dt.date(year, 12, 25), dt.date(year, 12, 26),
              dt.date(year, 12, 31)}
    elif country == "GB":
        s |= {dt.date(year, 1, 1), E - td(2), E + td(1), dt.date(year, 12, 25), dt.date(year, 12, 26)}
        s.add(_weekday_between(year, 5, 1, 7, 0))
        s.add(_weekday_between(year, 5, 25, 31, 0))
        s.add(_weekday_between(year, 8, 25, 31, 0))
    return s


def parse_staffed(spec):
    """{"mon-fri": "08:00-17:00", "sat": "10:00-14:00"} -> {weekday: [(start_min, end_min)]}"""
    out = {i: [] for i in range(7)}
    if not spec:
        return None
    for days, rng in spec.items():
        if "-" in days:
            a, b = days.split("-")
            idx = list(range(DAYS.index(a), DAYS.index(b) + 1))
        else:
            idx = [DAYS.index(days)]
        s, e = rng.split("-")
        sm = int(s[:2]) * 60 + int(s[3:])
        em = int(e[:2]) * 60 + int(e[3:])
        for i in idx:
            out[i].append((sm, em))
    return out


# ---------------------------------------------------------------- simulation
class Person:
    __slots__ = ("id", "name", "first")

    def __init__(self, pid, name):
        self.id = pid
        self.name = name
        self.first = name.split()[0]

    def actor(self):
        return {"id": self.id, "name": self.name, "type": "person"}


class Sim:
    def __init__(self, key, name, tz, lang, staffed, holiday_cc, sla_h, seed, num_prefix="10", platform="facebook"):
        self.rng = random.Random(seed)
        self.key = key
        self.name = name
        self.cur_name = name
        self.tzname = tz
        self.tz = ZoneInfo(tz)
        self.lang = lang
        self.staffed_spec = staffed
        self.staffed = parse_staffed(staffed)
        self.holiday_cc = holiday_cc
        self.sla = int(sla_h * H)
        self.sla_h = sla_h
        self.platform = platform
        r = self.rng
        self.page_num = num_prefix + "".join(str(r.randrange(10)) for _ in range(13))
        self._post_n = r.randrange(1_000_000_000, 8_000_000_000)
        self._c_n = self._post_n + r.randrange(1_000_000, 9_000_000)
        self._msg_n = r.randrange(1_000_000_000, 9_000_000_000)
        self._thread_n = r.randrange(10_000_000_000_000, 90_000_000_000_000)
        self.events = []  # (ts, seq, dict)
        self._seq = 0
        self._hol_cache = {}
        self.asks = []  # dicts: ts, kind, id, answered, incident, relaxed
        self.ask_by_id = {}
        self.used_ids = set()
        self.used_persons = set()
        self.reacted = set()
        self.posts = []  # (ts, post_id, weight)
        self.comments_by_post = {}
        self.blocked = []  # (a, b) team absent windows: page does not answer
        self.blind = []  # (a, b) windows where nothing is observed
        self.relaxed = []  # (a, b) windows where questions may be answered holiday-aware only
        self.admins = []  # Person
        self.apps = [("Meta Business Suite", 1.0)]
        self.pool_size = 300
        self.name_timeline = [(0, name)]
        self.backlogs = []  # (qa, qb, release_a, release_b, kinds)

    # ----------------------------------------------------- time helpers
    def ts(self, y, mo, d, h=0, mi=0, s=0):
        return int(dt.datetime(y, mo, d, h, mi, s, tzinfo=self.tz).timestamp())

    def local(self, ts):
        return dt.datetime.fromtimestamp(ts, self.tz)

    def iso(self, ts):
        return self.local(ts).isoformat()

    def is_holiday(self, date):
        y = date.year
        if y not in self._hol_cache:
            self._hol_cache[y] = holidays(self.holiday_cc, y)
        return date in self._hol_cache[y]

    def day_intervals(self, date, aware=True):
        if self.staffed is None:
            return [(self.ts(date.year, date.month, date.day), self.ts(date.year, date.month, date.day) + D)]
        if aware and self.is_holiday(date):
            return []
        out = []
        for sm, em in self.staffed[date.weekday()]:
            a = int(dt.datetime(date.year, date.month, date.day, sm // 60, sm % 60, tzinfo=self.tz).timestamp())
            if em >= 1440:
                nd = date + dt.timedelta(days=1)
                b = int(dt.datetime(nd.year, nd.month, nd.day, tzinfo=self.tz).timestamp())
            else:
                b = int(dt.datetime(date.year, date.month, date.day, em // 60, em % 60, tzinfo=self.tz).timestamp())
            out.append((a, b))
        return out

    def is_staffed(self, ts, aware=True):
        if self.staffed is None:
            return True
        for a, b in self.day_intervals(self.local(ts).date(), aware):
            if a <= ts < b:
                return True
        return False

    def add_staffed(self, ts, secs, aware=True):
        if self.staffed is None:
            return ts + secs
        date = self.local(ts).date()
        for _ in range(800):
            for a, b in self.day_intervals(date, aware):
                if b <= ts:
                    continue
                s = max(a, ts)
                if b - s >= secs:
                    return s + secs
                secs -= b - s
            date += dt.timedelta(days=1)
        raise RuntimeError("staffed time never reached")

    def next_open(self, ts, aware=True):
        return self.add_staffed(ts, 0, aware) if self.staffed else ts

    def deadline(self, ts, aware=True):
        return self.add_staffed(ts, self.sla, aware)

    def in_windows(self, ts, wins):
        return any(a <= ts < b for a, b in wins)

    # ----------------------------------------------------- ids / people
    def new_post_id(self):
        self._post_n += self.rng.randrange(300, 4000)
        return f"{self.page_num}_{self._post_n}"

    def new_comment_id(self, post_id):
        self._c_n += self.rng.randrange(3, 900)
        return f"{post_id}_{self._c_n}"

    def new_thread(self):
        self._thread_n += self.rng.randrange(1000, 90000)
        return f"t_{self._thread_n}"

    def new_msg_id(self):
        self._msg_n += self.rng.randrange(50, 9000)
        return f"m_{self._msg_n}x{self.rng.randrange(10000, 99999)}"

    def person(self, name, prefix="1000"):
        while True:
            pid = prefix + "".join(str(self.rng.randrange(10)) for _ in range(15 - len(prefix)))
            if pid not in self.used_persons:
                self.used_persons.add(pid)
                return Person(pid, name)

    def page_actor(self):
        return {"id": self.page_num, "name": self.cur_name, "type": "page"}

    # ----------------------------------------------------- raw emit
    def emit(self, ts, eid, kind, actor, obj):
        if eid in self.used_ids:
            return None
        self.used_ids.add(eid)
        self._seq += 1
        rec = {"id": eid, "time": None, "platform": self.platform, "page": self.key, "kind": kind,
               "actor": actor, "object": obj}
        self.events.append([int(ts), self._seq, rec])
        return rec

    def post(self, ts, message, app=None, links=None, ptype=None, admin=None, person=None, post_id=None, weight=1.0):
        pid = post_id or self.new_post_id()
        links = list(links or [])
        if ptype is None:
            ptype = "link" if links else self.rng.choice(["photo", "photo", "status", "video"])
        if person is not None:
            actor = person.actor()
            obj = {"post_id": pid, "message": message, "app": None, "links": links, "type": ptype, "admin": None}
        else:
            actor = self.page_actor()
            obj = {"post_id": pid, "message": message, "app": app, "links": links, "type": ptype,
                   "admin": ({"id": admin.id, "name": admin.name} if admin else None)}
        self.emit(ts, f"fb:post:{pid}", "post.created", actor, obj)
        self.posts.append((ts, pid, weight))
        self.comments_by_post.setdefault(pid, [])
        return pid

    def comment(self, ts, post_id, who, message, parent=None, links=None, page=False):
        cid = self.new_comment_id(post_id)
        actor = self.page_actor() if page else who.actor()
        self.emit(ts, f"fb:comment:{cid}", "comment.created", actor,
                  {"comment_id": cid, "post_id": post_id, "parent_id": parent, "message": message,
                   "links": list(links or [])})
        if not page and parent is None:
            self.comments_by_post.setdefault(post_id, []).append((ts, cid, who))
        return cid

    def react(self, ts, target, who, reaction="like", page=False):
        uid = self.page_num if page else who.id
        key = (target, uid)
        if key in self.reacted:
            return
        self.reacted.add(key)
        actor = self.page_actor() if page else who.actor()
        self.emit(ts, f"fb:reaction:{target}:{uid}", "reaction.created", actor,
                  {"target_id": target, "reaction": reaction})

    def dm_in(self, ts, who, thread, message):
        eid = f"fb:message:{self.new_msg_id()}"
        self.emit(ts, eid, "message.received", who.actor(), {"thread_id": thread, "message": message})
        return eid

    def dm_out(self, ts, thread, message, comment_id=None):
        obj = {"thread_id": thread, "message": message}
        if comment_id:
            obj["comment_id"] = comment_id
        eid = f"fb:message:{self.new_msg_id()}"
        self.emit(ts, eid, "message.sent", self.page_actor(), obj)
        return eid

    def role(self, ts, kind, actor, user, tasks=None, previous=None):
        verb = kind.split(".")[1]
        obj = {"user": {"id": user.id, "name": user.name}}
        if kind in ("role.granted", "role.changed"):
            obj["tasks"] = list(tasks)
        if kind in ("role.changed", "role.revoked"):
            obj["previous_tasks"] = list(previous)
        self.emit(ts, f"fb:role:{self.page_num}:{user.id}:{verb}:{ts}", kind,
                  actor.actor() if actor else None, obj)

    def page_change(self, ts, actor, field, old, new):
        self.emit(ts, f"fb:page_change:{self.page_num}:{field}:{ts}", "page.changed",
                  actor.actor() if actor else None, {"field": field, "old": old, "new": new})
        if field == "name":
            self.name_timeline.append((ts, new))

    def hide(self, ts, cid, post_id, kind="comment.hidden"):
        tag = "comment_hide" if kind == "comment.hidden" else "comment_delete"
        self.emit(ts, f"fb:{tag}:{cid}", kind, self.page_actor(), {"comment_id": cid, "post_id": post_id})

    def post_deleted(self, ts, post_id):
        self.emit(ts, f"fb:post_delete:{post_id}", "post.deleted", self.page_actor(), {"post_id": post_id})

    def post_edited(self, ts, post_id, message, app):
        self.emit(ts, f"fb:post_edit:{post_id}:{ts}", "post.edited", self.page_actor(),
                  {"post_id": post_id, "message": message, "app": app})

    def source_error(self, ts, code, message, retry_after=None):
        self.emit(ts, f"sentinel:source.error:{self.key}:{ts}", "source.error", None,
                  {"code": code, "message": message, "retry_after": retry_after})

    def source_recovered(self, ts):
        self.emit(ts, f"sentinel:source.recovered:{self.key}:{ts}", "source.recovered", None, {})

    # ----------------------------------------------------- asks & answers
    def register_ask(self, ts, kind, ref, incident=False):
        a = {"ts": ts, "kind": kind, "ref": ref, "answered": None, "incident": incident,
             "relaxed": self.in_windows(ts, self.relaxed)}
        self.asks.append(a)
        return a

    def plan_reply(self, q_ts, speed=0.25, min_delay=120, kind="comment", check=True):
        """When the team answers a question asked at q_ts (ordinary day)."""
        r = self.rng
        for a, b in self.blind:
            if a < q_ts < b:  # not observed at all: answered when the team sees it after the gap
                return b + r.randrange(2 * M, 40 * M)
        strict = self.deadline(q_ts, aware=False)
        aware = self.deadline(q_ts, aware=True)
        dl = aware if self.in_windows(q_ts, self.relaxed) else min(strict, aware)
        frac = min(0.6, r.expovariate(1.0 / speed)) if speed > 0 else 0.05
        t = self.add_staffed(q_ts, max(min_delay, int(frac * self.sla)), aware=True)
        # owners sometimes answer from the phone in the evening
        if not self.is_staffed(q_ts) and r.random() < 0.12:
            lt = self.local(q_ts)
            if 7 <= lt.hour < 22:
                t = min(t, q_ts + r.randrange(6 * M, 80 * M))
        t = max(t, q_ts + min_delay)
        if t > dl - 5 * M:
            t = max(q_ts + 60, dl - r.randrange(5 * M, 40 * M))
        # team absent / source blind windows
        wins = [(a, b) for a, b, k in self.blocked if kind in k] + list(self.blind)
        for a, b in sorted(wins):
            if a <= t < b:
                if q_ts < a - 2:
                    lo = max(q_ts + 1, a - 40 * M)
                    t = r.randrange(lo, a) if a > lo else q_ts + 1
                else:
                    t = b + r.randrange(2 * M, 25 * M)
        if t > dl and check:
            raise AssertionError(f"{self.key}: cannot answer question at {self.iso(q_ts)} in time "
                                 f"(planned {self.iso(t)}, deadline {self.iso(dl)})")
        return t

    # ----------------------------------------------------- output
    def live(self, pids, ts):
        """The posts among pids that already exist at ts (latest last)."""
        pt = {p: t for t, p, _ in self.posts}
        return [p for p in pids if pt.get(p, ts + 1) < ts] or None

    def finalize(self):
        # drop everything inside blind windows, and what only refers to dropped things
        ev = [e for e in self.events if not any(a < e[0] < b for a, b in self.blind)
              or e[2]["kind"].startswith("source.")]
        if len(ev) != len(self.events):
            seen_posts, seen_comments, seen_threads = set(), set(), set()
            for _, _, rec in ev:
                o = rec["object"]
                if rec["kind"] == "post.created":
                    seen_posts.add(o["post_id"])
                elif rec["kind"] == "comment.created":
                    seen_comments.add(o["comment_id"])
                elif rec["kind"] == "message.received":
                    seen_threads.add(o["thread_id"])
            keep = []
            for e in sorted(ev, key=lambda e: (e[0], e[1])):
                rec = e[2]
                o, k = rec["object"], rec["kind"]
                if k == "comment.created" and (o["post_id"] not in seen_posts or
                                               (o["parent_id"] and o["parent_id"] not in seen_comments)):
                    seen_comments.discard(o["comment_id"])
                    continue
                if k == "reaction.created" and o["target_id"] not in seen_posts and o["target_id"] not in seen_comments:
                    continue
                if k in ("comment.hidden", "comment.deleted") and o["comment_id"] not in seen_comments:
                    continue
                if k == "message.sent" and (("comment_id" in o and o["comment_id"] not in seen_comments) or
                                            ("comment_id" not in o and o["thread_id"] not in seen_threads)):
                    continue
                if k in ("post.deleted", "post.edited") and o["post_id"] not in seen_posts:
                    continue
                keep.append(e)
            ev = keep
        ev.sort(key=lambda e: (e[0], e[1]))
        out = []
        tl = sorted(self.name_timeline)
        for ts, _, rec in ev:
            rec["time"] = self.iso(ts)
            act = rec.get("actor")
            if act and act.get("type") == "page" and act.get("id") == self.page_num:
                nm = self.name
                for t, n in tl:
                    if t <= ts:
                        nm = n
                act["name"] = nm
            out.append(rec)
        return out

    def check_asks(self, observed_ids):
        """Every ordinary ask visible in the stream is answered (visibly) by its deadline."""
        bad = []
        for a in self.asks:
            if a["incident"] or a["ref"] not in observed_ids:
                continue
            dl = self.deadline(a["ts"], aware=True) if a["relaxed"] else min(
                self.deadline(a["ts"], aware=True), self.deadline(a["ts"], aware=False))
            ok = a["answered"] is not None and a["answered"][0] <= dl and a["answered"][1] in observed_ids
            if not ok:
                bad.append((self.iso(a["ts"]), a["kind"], a["ref"], a["answered"]))
        return bad


def dumps(rec):
    return json.dumps(rec, ensure_ascii=False, separators=(",", ":"))


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    L = math.exp(-lam)
    k, p = 0, 1.0
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1
