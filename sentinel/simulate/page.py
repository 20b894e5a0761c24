"""One page's ordinary life, a day at a time.

``PageSim.day(d)`` schedules everything that starts on local date ``d``
(the page's posts, visitors' posts, private messages, the odd edit or
deletion) together with what follows from it (comments, reactions, the
page's replies), which may spill into later days. ``flush(t)`` hands back
the events before ``t`` in time order and keeps the rest, so memory holds a
few days of one page, never the whole span.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
from bisect import bisect_left
from collections import deque
from datetime import date
from operator import itemgetter
from typing import Any

from sentinel.simulate import texts, voices
from sentinel.simulate.people import CUM_WEEKDAY, CUM_WEEKEND, POPULATION, WEEKDAY_HOURS, WEEKEND_HOURS, population
from sentinel.simulate.spec import PageProfile, ScenarioSpec
from sentinel.simulate.timebase import LocalTime
from sentinel.simulate.visitors import GREETINGS, VISITORS

Item = tuple[int, int, dict[str, Any], str | None]  # (epoch s, seq, record, post the record depends on)

_ACCEPT = tuple(max(a, b) for a, b in zip(WEEKDAY_HOURS, WEEKEND_HOURS, strict=True))
_HOURS = tuple(range(24))
_HORIZON = 4 * 86400  # nothing follows a post or message later than this
_STRIDES = (1, 7, 101, 997, 4001, 7919, 12011)
_PLATFORM = "facebook"
_FIRST = itemgetter(0)


@functools.cache
def _texts(category: str, language: str) -> dict[str, tuple[str, ...]]:
    products = texts.PRODUCTS.get(category, texts.PRODUCTS["home"])
    fill = {"city": texts.CITIES, "product": products}
    v = VISITORS[language]
    return {
        "question": texts.expand(v.questions, **fill),
        "praise": texts.expand(v.praise, **fill),
        "neutral": texts.expand(v.neutral, first=texts.FIRST_NAMES),
        "complaint": texts.expand(v.complaints, **fill),
        "visitor_post": texts.expand(v.visitor_posts, **fill),
        "crisis": texts.expand(v.crisis_comments, city=texts.CITIES),
        "SCAM_REPLIES": v.scam_replies,
        "products": products,
    }


class PageSim:
    def __init__(self, spec: ScenarioSpec, profile: PageProfile, clock: LocalTime) -> None:
        self.spec, self.p, self.clock = spec, profile, clock
        self.rng = random.Random(profile.seed)
        self.staff = clock.staffing(profile.staffed)
        self.people = population()
        self.visitors = VISITORS[spec.visitors]
        self.words = _texts(profile.category, spec.visitors)
        self.actor: dict[str, Any] = {"id": profile.numeric_id, "name": profile.name, "type": "page"}
        self.buf: list[Item] = []
        self.seq = itertools.count(profile.index << 40)  # orders same-second events: by page, then as scheduled
        self.oid = itertools.count(7_000_000_000 + self.rng.randrange(10**8))
        self.recent: deque[tuple[str, int]] = deque(maxlen=80)  # the page's own posts: (post id, time)
        self.deleted: dict[str, int] = {}  # post id -> deletion time; later events on it are dropped
        self.end_ts = clock.hour_starts(spec.end)[0]
        self.vol = profile.volume

    # -- bookkeeping --------------------------------------------------------------------------------
    def add(
        self, ts: int, kind: str, actor: dict[str, Any] | None, obj: dict[str, Any], eid: str, ref: str | None = None
    ) -> None:
        if ts < self.end_ts:
            self.buf.append(
                (
                    ts,
                    next(self.seq),
                    {
                        "id": eid,
                        "time": None,
                        "platform": _PLATFORM,
                        "page": self.p.key,
                        "kind": kind,
                        "actor": actor,
                        "object": obj,
                    },
                    ref,
                )
            )

    def flush(self, boundary: int) -> list[Item]:
        """The scheduled events before ``boundary``, in time order."""
        buf = self.buf
        buf.sort()  # (time, unique seq, ...): never compares further
        i = bisect_left(buf, boundary, key=_FIRST)
        ready, self.buf = buf[:i], buf[i:]
        deleted = self.deleted
        if deleted:
            ready = [it for it in ready if it[3] is None or it[3] not in deleted or it[0] <= deleted[it[3]]]
            limit = boundary - 2 * _HORIZON
            if min(deleted.values()) < limit:
                self.deleted = {k: v for k, v in deleted.items() if v >= limit}
        return ready

    def new_id(self) -> str:
        return f"{self.p.numeric_id}_{next(self.oid)}"

    def person(self) -> Any:
        return self.people[self.rng.randrange(POPULATION)]

    def visitor_time(self, d: date, n: int) -> list[int]:
        hs = self.clock.hour_starts(d)
        cum = CUM_WEEKEND if d.weekday() >= 5 else CUM_WEEKDAY
        rnd = self.rng.randrange
        return [hs[h] + rnd(3600) for h in self.rng.choices(_HOURS, cum_weights=cum, k=n)]

    def count(self, mean: float) -> int:
        return int(mean * self.rng.lognormvariate(-0.18, 0.6) + self.rng.random())

    # -- a day --------------------------------------------------------------------------------------
    def day(self, d: date) -> None:
        rng, vol = self.rng, self.vol
        staffed = self.p.staffed.get(d.weekday()) if not self.clock.is_holiday(d) else None
        if staffed:
            choices = (1, 2, 2, 3) if vol >= 0.6 else (0, 1, 1, 2) if vol >= 0.2 else (0, 0, 1)
            for _ in range(rng.choice(choices)):
                self.page_post(d, staffed)
        elif rng.random() < 0.35:
            self.page_post(d, None)
        for ts in self.visitor_time(d, self.count(0.25 * vol)):
            self.visitor_post(ts)
        for ts in self.visitor_time(d, self.count(4.0 * vol)):
            self.thread(ts)

    def page_post(self, d: date, staffed: tuple[int, int] | None) -> None:
        rng, p = self.rng, self.p
        admin = rng.choice(p.admins)
        app = rng.choice(admin.apps)
        if staffed is None or (app in ("Meta Business Suite", "Hootsuite") and rng.random() < 0.5):
            app = rng.choice(("Meta Business Suite", "Hootsuite"))
            ts = self.clock.at(d, rng.choice((9, 10, 12, 15, 18)), rng.choice((0, 0, 30)))  # scheduled
        else:
            ts = self.clock.at(d, rng.randrange(staffed[0], staffed[1]), rng.randrange(60), rng.randrange(60))
        post_id = self.new_id()
        template = rng.choice(voices.post_templates(self.spec.language))
        link = f"https://{p.domain}/{rng.choice(self.words['products']).split()[0].lower()}"
        message = template.format(product=rng.choice(self.words["products"]), city=rng.choice(texts.CITIES), link=link)
        links = [link] if "{link}" in template else []
        ptype = "link" if links else rng.choice(("photo", "photo", "status", "video"))
        obj: dict[str, Any] = {
            "post_id": post_id,
            "message": message,
            "app": app,
            "links": links,
            "type": ptype,
            "admin": {"id": admin.id, "name": admin.name},
        }
        self.add(ts, "post.created", self.actor, obj, f"fb:post:{post_id}")
        r = rng.random()
        if not 0.04 <= r < 0.055:  # a post the page deletes itself is not "recent" (nobody deletes it twice)
            self.recent.append((post_id, ts))
        if r < 0.04:
            t = ts + 300 + rng.randrange(3300)
            edited = {"post_id": post_id, "message": message + rng.choice(texts.EDIT_SUFFIXES), "app": app}
            self.add(t, "post.edited", self.actor, edited, f"fb:post_edit:{post_id}:{t}")
        elif r < 0.055:
            t = self.staff.next_staffed(ts + 1800 + rng.randrange(7200))
            self.add(t, "post.deleted", self.actor, {"post_id": post_id}, f"fb:post_delete:{post_id}")
            self.deleted[post_id] = t
        self.cascade(post_id, ts, 40 * self.vol, 55 * self.vol)

    def visitor_post(self, ts: int) -> None:
        who = self.person()
        post_id = self.new_id()
        message = self.rng.choice(self.words["visitor_post"])
        obj: dict[str, Any] = {
            "post_id": post_id,
            "message": message,
            "app": None,
            "links": [],
            "type": "status",
            "admin": None,
        }
        self.add(ts, "post.created", who.actor, obj, f"fb:post:{post_id}")
        if message.endswith("?") or "vad händer" in message:
            self.reply(post_id, post_id, ts, who.first, as_comment=False)
        self.cascade(post_id, ts, 2 * self.vol, 4 * self.vol)

    def reply(self, post_id: str, parent: str, ts: int, first: str, *, as_comment: bool = True) -> None:
        """The page answers a question, in staffed time mostly, and likes it."""
        rng = self.rng
        if rng.random() > 0.96:
            return
        rt = self.staff.next_staffed(ts + 60 + int(rng.expovariate(1 / 900))) + int(rng.expovariate(1 / 1200))
        if rt - ts > _HORIZON:
            return
        admin = rng.choice(self.p.admins).name.split()[0]
        cid = f"{post_id}_{next(self.oid)}"
        obj: dict[str, Any] = {
            "comment_id": cid,
            "post_id": post_id,
            "parent_id": parent if as_comment else None,
            "message": rng.choice(texts.PAGE_REPLIES).format(first=first, admin=admin),
            "links": [],
        }
        self.add(rt, "comment.created", self.actor, obj, f"fb:comment:{cid}", post_id)
        if as_comment and rng.random() < 0.4:
            self.add(
                rt - 5,
                "reaction.created",
                self.actor,
                {"target_id": parent, "reaction": "like"},
                f"fb:reaction:{parent}:{self.p.numeric_id}",
                post_id,
            )

    def cascade(
        self,
        post_id: str,
        ts: int,
        comments: float,
        reactions: float,
        *,
        pool: str | None = None,
        reaction_pool: tuple[str, ...] = texts.REACTIONS,
        mean_delay: float = 5400,
    ) -> None:
        """Visitors' comments and reactions on a post, and the page's answers (the hot loop: kept flat)."""
        rng, people, add, words = self.rng, self.people, self.add, self.words
        rand, log, acc = rng.random, math.log, self.clock.acceptance(ts, _ACCEPT)
        append, seq, end_ts, key, oid = self.buf.append, self.seq, min(self.end_ts, ts + _HORIZON), self.p.key, self.oid
        base = ts // 3600
        earlier: list[tuple[str, int]] = []
        fixed = (words[pool] if pool in words else getattr(texts, pool)) if pool is not None else ()
        questions, praise = words["question"], words["praise"]
        neutral, complaints = words["neutral"], words["complaint"]
        for _ in range(self.count(comments)):
            t = ts + 20 + int(-log(1.0 - rand()) * mean_delay)
            if t >= end_ts or rand() > acc[t // 3600 - base]:
                continue
            who = people[int(rand() * POPULATION)]
            cid = f"{post_id}_{next(oid)}"
            parent = None
            links: list[str] = []
            r = rand()
            if fixed:
                message = fixed[int(rand() * len(fixed))]
            elif r < 0.28:
                message = questions[int(rand() * len(questions))]
                self.reply(post_id, cid, t, who.first)
            elif r < 0.6:
                message = praise[int(rand() * len(praise))]
            elif r < 0.8:
                message = neutral[int(rand() * len(neutral))]
            elif r < 0.88:
                message = complaints[int(rand() * len(complaints))]
                if rand() < 0.5:
                    self.reply(post_id, cid, t, who.first)
            elif r < 0.992 and earlier:
                parent, pt = earlier[int(rand() * len(earlier))]
                t = max(t, pt + 30)
                replies = self.visitors.thread_replies
                message = replies[int(rand() * len(replies))]
            else:
                link = f"https://{rng.choice(texts.SPAM_DOMAINS)}/{rng.randrange(10**6)}"
                message = rng.choice(texts.SPAM).format(link=link)
                links = [link]
                ht = self.staff.next_staffed(t + 600) + rng.randrange(3600)
                add(
                    ht,
                    "comment.hidden",
                    self.actor,
                    {"comment_id": cid, "post_id": post_id},
                    f"fb:comment_hide:{cid}",
                    post_id,
                )
            if t < end_ts:
                append(
                    (
                        t,
                        next(seq),
                        {
                            "id": "fb:comment:" + cid,
                            "time": None,
                            "platform": _PLATFORM,
                            "page": key,
                            "kind": "comment.created",
                            "actor": who.actor,
                            "object": {
                                "comment_id": cid,
                                "post_id": post_id,
                                "parent_id": parent,
                                "message": message,
                                "links": links,
                            },
                        },
                        post_id,
                    )
                )
            if parent is None and len(earlier) < 20:
                earlier.append((cid, t))
            if rand() < 0.005:
                add(
                    t + 60 + rng.randrange(3600),
                    "comment.deleted",
                    who.actor,
                    {"comment_id": cid, "post_id": post_id},
                    f"fb:comment_delete:{cid}",
                    post_id,
                )
        n = min(self.count(reactions), POPULATION - 1)
        start, stride = int(rand() * POPULATION), _STRIDES[int(rand() * len(_STRIDES))]
        prefix, n_pool = f"fb:reaction:{post_id}:", len(reaction_pool)
        for i in range(n):
            t = ts + 5 + int(-log(1.0 - rand()) * mean_delay)
            if t >= end_ts or rand() > acc[t // 3600 - base]:
                continue
            who = people[(start + i * stride) % POPULATION]
            append(
                (
                    t,
                    next(seq),
                    {
                        "id": prefix + who.id,
                        "time": None,
                        "platform": _PLATFORM,
                        "page": key,
                        "kind": "reaction.created",
                        "actor": who.actor,
                        "object": {"target_id": post_id, "reaction": reaction_pool[int(rand() * n_pool)]},
                    },
                    post_id,
                )
            )

    def thread(self, ts: int, *, pool: tuple[str, ...] | None = None, answer: float = 0.9) -> None:
        """A private conversation: a visitor writes, the page answers in staffed time, a thanks."""
        rng, p = self.rng, self.p
        pool = self.visitors.messages_in if pool is None else pool
        who = self.person()
        thread = f"t_{p.numeric_id}_{next(self.oid)}"
        order = str(4_000_000 + rng.randrange(999_999))
        first_msg = rng.choice(pool).format(city=rng.choice(texts.CITIES), order=order)
        self.add(
            ts,
            "message.received",
            who.actor,
            {"thread_id": thread, "message": first_msg},
            f"fb:message:m_{p.numeric_id}_{next(self.oid)}",
        )
        if first_msg in GREETINGS:  # a greeting alone: the question follows
            ts += 20 + rng.randrange(120)
            msg = rng.choice(pool[:-1]).format(city=rng.choice(texts.CITIES), order=order)
            self.add(
                ts,
                "message.received",
                who.actor,
                {"thread_id": thread, "message": msg},
                f"fb:message:m_{p.numeric_id}_{next(self.oid)}",
            )
        if rng.random() > answer:
            return
        rt = self.staff.next_staffed(ts + 120 + int(rng.expovariate(1 / 1200))) + int(rng.expovariate(1 / 1500))
        if rt - ts > _HORIZON:
            return
        admin = rng.choice(p.admins).name.split()[0]
        answer_msg = rng.choice(texts.MESSAGES_OUT).format(first=who.first, order=order, admin=admin)
        self.add(
            rt,
            "message.sent",
            self.actor,
            {"thread_id": thread, "message": answer_msg},
            f"fb:message:m_{p.numeric_id}_{next(self.oid)}",
        )
        if rng.random() < 0.4:
            self.add(
                rt + 60 + rng.randrange(3000),
                "message.received",
                who.actor,
                {"thread_id": thread, "message": rng.choice(self.visitors.messages_thanks)},
                f"fb:message:m_{p.numeric_id}_{next(self.oid)}",
            )
