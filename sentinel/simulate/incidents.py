"""The unusual days: a legitimate access grant, a Friday-night hijack, a crisis.

Each incident draws its own times from a generator seeded by the scenario
seed, so ``hijack_window(spec)`` can say when the hijack happens without
simulating anything, and switching an incident on or off leaves the
ordinary life around it unchanged.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta
from typing import Any

from sentinel.simulate import texts
from sentinel.simulate.page import PageSim
from sentinel.simulate.spec import HIJACK_END_HOUR, HIJACK_START, TIMEZONE, ScenarioSpec
from sentinel.simulate.timebase import LocalTime

ALL_TASKS = ("MANAGE", "CREATE_CONTENT", "MODERATE", "MESSAGING", "ADVERTISE", "ANALYZE")
_SCAM_REACTIONS = ("angry",) * 45 + ("haha",) * 25 + ("wow",) * 20 + ("like",) * 10


def _person(pid: str, name: str) -> dict[str, Any]:
    return {"id": pid, "name": name, "type": "person"}


def hijack_times(spec: ScenarioSpec, clock: LocalTime) -> tuple[int, int] | None:
    """Epoch seconds of the hijack's first event (the role grant) and of its last scam post."""
    day = spec.hijack_day
    if not spec.hijack or day is None:
        return None
    rng = random.Random(f"{spec.seed}:hijack")
    start = clock.at(day, *HIJACK_START) + rng.randrange(-180, 180)
    end = clock.at(day + timedelta(days=1), HIJACK_END_HOUR) + rng.randrange(-600, 300)
    return start, end


def hijack_window(spec: ScenarioSpec) -> tuple[datetime, datetime] | None:
    """When the hijack on the first page begins and ends (local time), or None without one."""
    clock = LocalTime(TIMEZONE)
    times = hijack_times(spec, clock)
    if times is None:
        return None
    return tuple(datetime.fromtimestamp(t, clock.zone) for t in times)  # type: ignore[return-value]


def hijack(sim: PageSim, day: date) -> None:
    """An unknown admin gets MANAGE on a Friday night, renames the page, posts scams, deletes history."""
    times = hijack_times(sim.spec, sim.clock)
    assert times is not None
    t0, end = times
    rng = random.Random(f"{sim.spec.seed}:hijack:events")
    p, add = sim.p, sim.add
    owner = p.admins[0]
    owner_actor = _person(owner.id, owner.name)
    villain_name = rng.choice(texts.HIJACKERS)
    villain = _person(str(100_090_000_000_000 + rng.randrange(10**9)), villain_name)
    user = {"id": villain["id"], "name": villain_name}
    add(
        t0,
        "role.granted",
        owner_actor,
        {"user": user, "tasks": list(ALL_TASKS)},
        f"fb:role:{p.numeric_id}:{user['id']}:granted:{t0}",
    )
    new_name = rng.choice(texts.HIJACK_PAGE_NAMES)
    scam_site = f"https://{rng.choice(texts.SCAM_WORDS)}-{rng.randrange(100, 999)}.{rng.choice(texts.SCAM_TLDS)}"
    changes = (
        ("name", p.name, new_name),
        ("username", p.key, new_name.lower().replace(" ", "") + ".center"),
        ("website", f"https://{p.domain}", scam_site),
    )
    t = t0
    for field, old, new in changes:
        t += 60 + rng.randrange(180)
        add(
            t,
            "page.changed",
            villain,
            {"field": field, "old": old, "new": new},
            f"fb:page_change:{p.numeric_id}:{field}:{t}",
        )
    t = t0 + 1800 + rng.randrange(900)
    for a in p.admins[1:]:
        t += 30 + rng.randrange(300)
        add(
            t,
            "role.revoked",
            villain,
            {"user": {"id": a.id, "name": a.name}, "previous_tasks": list(ALL_TASKS)},
            f"fb:role:{p.numeric_id}:{a.id}:revoked:{t}",
        )
    fake_page = {"id": p.numeric_id, "name": new_name, "type": "page"}
    app = rng.choice(texts.HIJACK_APPS)
    old_posts = [(pid, ts) for pid, ts in sim.recent if ts < t0 - 86400 and pid not in sim.deleted]
    t, last = t0 + 720 + rng.randrange(300), False
    while not last:
        if t >= end - 600:
            t, last = end, True
        post_id = sim.new_id()
        link = (
            f"https://{rng.choice(texts.SCAM_WORDS)}{rng.randrange(10, 99)}.{rng.choice(texts.SCAM_TLDS)}"
            f"/{rng.choice(('gift', 'claim', 'wallet', 'appeal'))}"
        )
        message = rng.choice(texts.SCAM_POSTS).format(link=link, n=rng.randrange(12, 60))
        add(
            t,
            "post.created",
            fake_page,
            {"post_id": post_id, "message": message, "app": app, "links": [link], "type": "link", "admin": user},
            f"fb:post:{post_id}",
        )
        sim.cascade(
            post_id,
            t,
            6 * max(sim.vol, 0.5),
            14 * max(sim.vol, 0.5),
            pool="SCAM_REPLIES",
            reaction_pool=_SCAM_REACTIONS,
            mean_delay=2400,
        )
        t += 900 + rng.randrange(1800)
    t = t0 + 4800 + rng.randrange(1200)
    for post_id, _ in old_posts[:40]:
        add(t, "post.deleted", fake_page, {"post_id": post_id}, f"fb:post_delete:{post_id}")
        sim.deleted[post_id] = t
        t += 5 + rng.randrange(35)
    for _ in range(3 + rng.randrange(6)):
        sim.thread(t0 + 1800 + rng.randrange(max(1, end - t0 - 1800)), pool=sim.visitors.scam_messages, answer=0.7)
    _recover(sim, end, day + timedelta(days=1), rng, owner_actor, villain, changes)


def _recover(
    sim: PageSim,
    end: int,
    saturday: date,
    rng: random.Random,
    owner: dict[str, Any],
    villain: dict[str, Any],
    changes: tuple[tuple[str, str, str], ...],
) -> None:
    """Right after the last scam post the owner gets in again: removes the intruder, gives the
    colleagues back their access, restores the settings; later that morning, an apology."""
    p, add = sim.p, sim.add
    t = end + 120 + rng.randrange(240)
    user = {"id": villain["id"], "name": villain["name"]}
    add(
        t,
        "role.revoked",
        owner,
        {"user": user, "previous_tasks": list(ALL_TASKS)},
        f"fb:role:{p.numeric_id}:{villain['id']}:revoked:{t}",
    )
    for a in p.admins[1:]:
        t += 20 + rng.randrange(60)
        add(
            t,
            "role.granted",
            owner,
            {"user": {"id": a.id, "name": a.name}, "tasks": list(ALL_TASKS)},
            f"fb:role:{p.numeric_id}:{a.id}:granted:{t}",
        )
    for field, old, new in changes:
        t += 40 + rng.randrange(90)
        add(
            t,
            "page.changed",
            owner,
            {"field": field, "old": new, "new": old},
            f"fb:page_change:{p.numeric_id}:{field}:{t}",
        )
    t = sim.clock.at(saturday, 10, 20) + rng.randrange(1800)
    post_id = sim.new_id()
    message = (
        f"I natt blev vår sida kapad och falska inlägg publicerades i vårt namn. Klicka inte på några länkar. "
        f"Nu har vi kontroll igen – förlåt! /{owner['name'].split()[0]}"
    )
    add(
        t,
        "post.created",
        sim.actor,
        {
            "post_id": post_id,
            "message": message,
            "app": p.admins[0].apps[0],
            "links": [],
            "type": "status",
            "admin": {"id": owner["id"], "name": owner["name"]},
        },
        f"fb:post:{post_id}",
    )
    sim.cascade(post_id, t, 40 * max(sim.vol, 0.5), 60 * max(sim.vol, 0.5))


def crisis(sim: PageSim, day: date) -> None:
    """A bad announcement on a weekday morning: a day-long surge of angry comments and messages."""
    rng = random.Random(f"{sim.spec.seed}:crisis")
    p, owner = sim.p, sim.p.admins[0]
    t = sim.clock.at(day, 9, rng.randrange(15), rng.randrange(60))
    post_id = sim.new_id()
    link = f"https://{p.domain}/information"
    message = rng.choice(texts.CRISIS_POSTS).format(product=rng.choice(sim.words["products"]), link=link)
    sim.add(
        t,
        "post.created",
        sim.actor,
        {
            "post_id": post_id,
            "message": message,
            "app": "Meta Business Suite",
            "links": [link],
            "type": "link",
            "admin": {"id": owner.id, "name": owner.name},
        },
        f"fb:post:{post_id}",
    )
    scale = max(sim.vol, 0.3)
    sim.cascade(
        post_id, t, 350 * scale, 600 * scale, pool="crisis", reaction_pool=texts.CRISIS_REACTIONS, mean_delay=3 * 3600
    )
    for other, ts in list(sim.recent)[-4:-1]:
        sim.cascade(
            other,
            max(ts, t + 1800),
            25 * scale,
            10 * scale,
            pool="crisis",
            reaction_pool=texts.CRISIS_REACTIONS,
            mean_delay=3 * 3600,
        )
    sim.recent.append((post_id, t))
    pool = texts.expand(sim.visitors.crisis_messages, city=texts.CITIES)
    for _ in range(int(40 * scale)):
        sim.thread(t + 600 + int(rng.expovariate(1 / (4 * 3600))), pool=pool, answer=0.5)


def slow_burn(sim: PageSim, day: date) -> None:
    """A fee change announced on a weekday morning, and complaints that build for hours: never a sharp spike.

    From 09:30 visitors' comments on the announcement and the page's recent posts arrive at a rate that starts at
    a tenth of the page's usual daytime comment rate and doubles every 75 minutes for eight hours (about 8x the
    usual rate at its end), most of them complaints, many without a question mark."""
    rng = random.Random(f"{sim.spec.seed}:slow-burn")
    p, owner = sim.p, sim.p.admins[0]
    t0 = sim.clock.at(day, 9, rng.randrange(15), rng.randrange(60))
    post_id = sim.new_id()
    link = f"https://{p.domain}/avgifter"
    message = f"Från och med 1 december inför vi en ny administrationsavgift på 49 kr per beställning. Läs mer: {link}"
    sim.add(
        t0,
        "post.created",
        sim.actor,
        {
            "post_id": post_id,
            "message": message,
            "app": "Meta Business Suite",
            "links": [link],
            "type": "link",
            "admin": {"id": owner.id, "name": owner.name},
        },
        f"fb:post:{post_id}",
    )
    posts = [post_id] + [other for other, _ in list(sim.recent)[-3:]]
    sim.recent.append((post_id, t0))
    pool = list(texts.expand(sim.visitors.crisis_comments, city=texts.CITIES)) + list(sim.words["complaint"])
    usual = 4.0 * max(sim.vol, 0.3)  # comments an hour on an ordinary daytime hour, roughly
    start, hours, doubling = t0 + 1800, 8.0, 75 * 60.0
    rate0 = 0.1 * usual / 3600.0  # per second at the start
    t = float(start)
    end = start + hours * 3600.0
    while True:
        # the next arrival of a Poisson process whose rate doubles every ``doubling`` seconds (inverse transform)
        a = math.log(2.0) / doubling
        rate = rate0 * math.exp(a * (t - start))
        t = t + math.log1p(a * rng.expovariate(1.0) / rate) / a
        if t >= end:
            break
        who = sim.people[rng.randrange(len(sim.people))]
        target = posts[0] if rng.random() < 0.6 else rng.choice(posts)
        cid = f"{target}_{next(sim.oid)}"
        sim.add(
            int(t),
            "comment.created",
            who.actor,
            {"comment_id": cid, "post_id": target, "parent_id": None, "message": rng.choice(pool), "links": []},
            "fb:comment:" + cid,
            target,
        )


def legit_changes(sim: PageSim, day: date, grant_day: date | None, about_day: date | None) -> None:
    """Ordinary admin work: a new colleague gets access; the about text is updated, in staffed hours."""
    rng, p = sim.rng, sim.p
    staffed = p.staffed.get(day.weekday())
    if staffed is None:
        return
    owner = p.admins[0]
    actor = _person(owner.id, owner.name)
    if day == grant_day:
        first, last = rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
        uid = str(100_050_000_000_000 + p.index * 1000 + rng.randrange(1000))
        t = sim.clock.at(day, staffed[0] + 2, rng.randrange(60), rng.randrange(60))
        sim.add(
            t,
            "role.granted",
            actor,
            {"user": {"id": uid, "name": f"{first} {last}"}, "tasks": ["CREATE_CONTENT", "MODERATE", "MESSAGING"]},
            f"fb:role:{p.numeric_id}:{uid}:granted:{t}",
        )
    if day == about_day:
        t = sim.clock.at(day, staffed[0] + 4, rng.randrange(60), rng.randrange(60))
        sim.add(
            t,
            "page.changed",
            actor,
            {
                "field": "about",
                "old": f"Välkommen till {p.name}!",
                "new": f"Välkommen till {p.name}! Kundtjänst svarar vardagar.",
            },
            f"fb:page_change:{p.numeric_id}:about:{t}",
        )
