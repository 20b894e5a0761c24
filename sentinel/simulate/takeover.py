"""Content incidents on the first page: a takeover that looks routine, and the team's own campaign or rebrand.

- ``takeover``: on a weekday in staffed hours, through the usual app, an admin's stolen account (the usual admin,
  or a new one the owner added that morning) posts several scam posts (in the page's language or English) that
  push a never-seen domain, and replies to visitors under the page's recent posts with the same link. No role
  change at night, no settings changed: only what the posts say gives it away.
- ``campaign``: the team's own campaign: a new name, a campaign site announced (a new domain), a contest with a
  deadline, a burst of posts over a few days, by the usual admins through the usual apps. Must stay quiet.
- ``rebrand``: the team announces a new name and website: new words, a new domain, a burst of posts.

``plan(spec)`` says what happens and when without simulating anything (the benchmark reads it): its times and
words come from generators of their own (the visitors' answers to its posts from the page's, as for the hijack).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from sentinel.simulate import texts, voices
from sentinel.simulate.page import PageSim
from sentinel.simulate.spec import ScenarioSpec, page_profile
from sentinel.simulate.timebase import LocalTime

CONTENT_KINDS = ("takeover", "campaign", "rebrand")
SCAM_HOST_WORDS = ("kampanj-vinst", "gift-claim", "bonus-club", "lucky-draw", "prize-center", "shop-outlet")
SCAM_TLDS = ("xyz", "top", "shop", "live", "click", "com", "net", "se")  # .se: the hard case, the page's own TLD


@dataclass(frozen=True, slots=True)
class Plan:
    kind: str
    day: date
    lang: str  # what the incident's posts are written in
    start: int  # epoch seconds of the first post
    gaps: tuple[int, ...]  # seconds between the posts
    link_host: str  # the takeover's scam site or the campaign's / new name's site
    new_admin: bool  # takeover: by a colleague added that morning (else an admin's stolen account)
    name: str  # the campaign's or the new name


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def content_day(spec: ScenarioSpec) -> date | None:
    """A Tuesday-Thursday at about two thirds of the span (after the page has 20 posts to learn from)."""
    d = spec.start + timedelta(days=(2 * spec.days) // 3)
    for _ in range(7):
        if d < spec.end and d.weekday() in (1, 2, 3) and d not in (spec.hijack_day, spec.crisis_day):
            return d
        d += timedelta(days=1)
    return None


def plan(spec: ScenarioSpec, clock: LocalTime | None = None) -> Plan | None:
    """What the spec's content incident does, and when; None without one."""
    day = content_day(spec)
    if not spec.content or day is None:
        return None
    clock = clock or LocalTime("Europe/Stockholm")
    p = page_profile(spec, 0)
    rng = random.Random(f"{spec.seed}:content:{spec.content}")
    staffed = p.staffed.get(day.weekday(), (9, 17))
    if spec.content == "takeover":
        lang = spec.language if rng.random() < 0.6 else "en"
        n = 3 + rng.randrange(4)
        gaps = tuple(1200 + rng.randrange(2400) for _ in range(n - 1))
        latest = max(staffed[0] + 1, staffed[1] - 3)
        start = clock.at(day, rng.randrange(staffed[0] + 1, latest + 1), rng.randrange(60), rng.randrange(60))
        host = f"{rng.choice(SCAM_HOST_WORDS)}-{rng.randrange(10, 99)}.{rng.choice(SCAM_TLDS)}"
        return Plan("takeover", day, lang, start, gaps, host, rng.random() < 0.4, "")
    names = voices.CAMPAIGN_NAMES if spec.content == "campaign" else voices.REBRAND_NAMES
    name = rng.choice(names)
    n = 4 + rng.randrange(5)
    gaps = tuple(rng.choice((2400, 3 * 3600, 20 * 3600, 24 * 3600)) + rng.randrange(1800) for _ in range(n - 1))
    start = clock.at(day, staffed[0] + 1, rng.randrange(60), rng.randrange(60))
    tld = "se" if rng.random() < 0.7 else "com"
    host = f"www.{_slug(name)}.{tld}" if spec.content == "rebrand" else f"{_slug(name)}.{_slug(p.name)[:12]}.{tld}"
    return Plan(spec.content, day, spec.language, start, gaps, host, False, name)


def _staffed(sim: PageSim, t: int) -> int:
    """``t``, or the next staffed second when the team is not at work (a campaign posts in office hours)."""
    return sim.staff.next_staffed(t)


def run(sim: PageSim, day: date) -> None:
    """The spec's content incident, on its day."""
    pl = plan(sim.spec, sim.clock)
    if pl is None or day != pl.day:
        return
    if pl.kind == "takeover":
        takeover(sim, pl)
    else:
        announce(sim, pl)


def takeover(sim: PageSim, pl: Plan) -> None:
    rng = random.Random(f"{sim.spec.seed}:content:takeover:events")
    p, add = sim.p, sim.add
    owner = p.admins[0]
    if pl.new_admin:
        uid = str(100_060_000_000_000 + rng.randrange(10**9))
        admin = {"id": uid, "name": f"{rng.choice(texts.FIRST_NAMES)} {rng.choice(texts.LAST_NAMES)}"}
        t = pl.start - 3600 - rng.randrange(3600)
        add(
            t,
            "role.granted",
            {"id": owner.id, "name": owner.name, "type": "person"},
            {"user": admin, "tasks": ["CREATE_CONTENT", "MODERATE", "MESSAGING"]},
            f"fb:role:{p.numeric_id}:{uid}:granted:{t}",
        )
        app = owner.apps[0]
    else:
        victim = rng.choice(p.admins)
        admin = {"id": victim.id, "name": victim.name}
        app = victim.apps[0]
    recent = [pid for pid, _ in list(sim.recent)[-6:] if pid not in sim.deleted]
    t = pl.start
    for i in range(len(pl.gaps) + 1):
        if i:
            t += pl.gaps[i - 1]
        post_id = sim.new_id()
        link = f"https://{pl.link_host}/{rng.choice(('gift', 'claim', 'win', 'bonus', 'kampanj'))}"
        message = rng.choice(voices.TAKEOVER_POSTS[pl.lang]).format(link=link, n=rng.randrange(7, 60))
        add(
            t,
            "post.created",
            sim.actor,
            {"post_id": post_id, "message": message, "app": app, "links": [link], "type": "link", "admin": admin},
            f"fb:post:{post_id}",
        )
        sim.cascade(post_id, t, 8 * max(sim.vol, 0.4), 14 * max(sim.vol, 0.4), pool="SCAM_REPLIES", mean_delay=2400)
        # replies under the page's own recent posts, as the page, with the same link
        for _ in range(rng.randrange(3)):
            if not recent:
                break
            target = rng.choice(recent)
            cid = f"{target}_{next(sim.oid)}"
            reply = rng.choice(voices.TAKEOVER_REPLIES[pl.lang]).format(first=rng.choice(texts.FIRST_NAMES), link=link)
            rt = t + 60 + rng.randrange(900)
            add(
                rt,
                "comment.created",
                sim.actor,
                {"comment_id": cid, "post_id": target, "parent_id": None, "message": reply, "links": [link]},
                f"fb:comment:{cid}",
                target,
            )
        sim.recent.append((post_id, t))


def announce(sim: PageSim, pl: Plan) -> None:
    """A campaign or a rebrand: the team's own burst of posts about something new, in office hours."""
    rng = random.Random(f"{sim.spec.seed}:content:{pl.kind}:events")
    p = sim.p
    pool = (voices.CAMPAIGN_POSTS if pl.kind == "campaign" else voices.REBRAND_POSTS)[pl.lang]
    t = pl.start
    for i in range(len(pl.gaps) + 1):
        if i:
            t = _staffed(sim, t + pl.gaps[i - 1])
        admin = rng.choice(p.admins)
        post_id = sim.new_id()
        link = f"https://{pl.link_host}/" + rng.choice(("", "erbjudanden", "tavling", "om-oss", "villkor"))
        template = pool[0] if i == 0 else rng.choice(pool)
        message = template.format(
            name=pl.name, link=link, product=rng.choice(sim.words["products"]), city=rng.choice(texts.CITIES)
        )
        links = [link] if "{link}" in template else []
        sim.add(
            t,
            "post.created",
            sim.actor,
            {
                "post_id": post_id,
                "message": message,
                "app": rng.choice(admin.apps),
                "links": links,
                "type": "link" if links else "photo",
                "admin": {"id": admin.id, "name": admin.name},
            },
            f"fb:post:{post_id}",
        )
        sim.cascade(post_id, t, 60 * sim.vol, 90 * sim.vol)
        sim.recent.append((post_id, t))
