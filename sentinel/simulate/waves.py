"""Days that look like a crisis by volume, and the crises that do not look like a spike.

Quiet (a big happy spike that must stay at info): ``launch`` (a product launch, its post flooded with the page's
usual mix of comments), ``contest`` (a giveaway, hundreds of entries over the day), ``live_night`` (a live video
every Thursday evening of the span). Paged: ``complaint_wave`` (complaints about late deliveries that build for
hours and stay, none with a question mark). Each draws from a generator seeded by the scenario seed alone.
"""

from __future__ import annotations

import math
import random
from datetime import date

from sentinel.simulate import texts
from sentinel.simulate.page import PageSim

LIVE_WEEKDAY, LIVE_HOUR = 3, 19  # Thursdays at 19:00 local


def _entries(pool: tuple[str, ...], rng: random.Random) -> tuple[str, ...]:
    """Each text three times, its names, cities and order numbers filled in."""
    return tuple(
        t.format(
            first=rng.choice(texts.FIRST_NAMES), city=rng.choice(texts.CITIES), order=4_000_000 + rng.randrange(10**6)
        )
        for t in pool
        for _ in range(3)
    )


def _with_pool(sim: PageSim, name: str, pool: tuple[str, ...]) -> None:
    """Give ``sim`` a comment pool ``name`` for ``cascade`` (its own word dict: the shared one stays as it is)."""
    sim.words = {**sim.words, name: pool}


def _post(sim: PageSim, t: int, message: str, ptype: str) -> str:
    owner = sim.p.admins[0]
    post_id = sim.new_id()
    sim.add(
        t,
        "post.created",
        sim.actor,
        {
            "post_id": post_id,
            "message": message,
            "app": "Meta Business Suite",
            "links": [],
            "type": ptype,
            "admin": {"id": owner.id, "name": owner.name},
        },
        f"fb:post:{post_id}",
    )
    sim.recent.append((post_id, t))
    return post_id


def launch(sim: PageSim, day: date) -> None:
    """A product launch at 10:00: about eight times an ordinary post's comments (the usual mix) within hours."""
    rng = random.Random(f"{sim.spec.seed}:launch")
    product = rng.choice(sim.words["products"])
    t = sim.clock.at(day, 10, 0, rng.randrange(60))
    post_id = _post(sim, t, f"Äntligen! Våra nya {product} finns nu i alla butiker och på nätet 🎉", "video")
    scale = max(sim.vol, 0.3)
    sim.cascade(post_id, t, 320 * scale, 600 * scale, mean_delay=2 * 3600)


def contest(sim: PageSim, day: date) -> None:
    """A giveaway at 12:00: hundreds of entries over the afternoon and evening."""
    rng = random.Random(f"{sim.spec.seed}:contest")
    product = rng.choice(sim.words["products"])
    t = sim.clock.at(day, 12, 0, rng.randrange(60))
    post_id = _post(sim, t, f"TÄVLING! Kommentera och tagga en vän så är du med och tävlar om {product} 🎁", "photo")
    scale = max(sim.vol, 0.3)
    _with_pool(sim, "contest", _entries(sim.visitors.contest_entries, rng))
    sim.cascade(post_id, t, 400 * scale, 500 * scale, pool="contest", mean_delay=4 * 3600)


def live_nights(sim: PageSim, day: date) -> None:
    """On a Thursday: the weekly live video at 19:00, an hour of lively comments."""
    if day.weekday() != LIVE_WEEKDAY or sim.clock.is_holiday(day):
        return
    rng = random.Random(f"{sim.spec.seed}:live:{day.isoformat()}")
    t = sim.clock.at(day, LIVE_HOUR, 0, rng.randrange(120))
    post_id = _post(sim, t, "Vi sänder live från butiken! Veckans nyheter och era frågor 📺", "video")
    scale = max(sim.vol, 0.3)
    _with_pool(sim, "live", _entries(sim.visitors.live_comments, rng))
    sim.cascade(post_id, t, 150 * scale, 250 * scale, pool="live", mean_delay=1800)


def complaint_wave(sim: PageSim, day: date) -> None:
    """From 09:00, complaints about late deliveries on the page's recent posts: a logistic rise from a fifth of the
    page's usual daytime comment rate to three times it over about four hours, raised until 17:00, then fading;
    none ends in a question mark."""
    rng = random.Random(f"{sim.spec.seed}:complaint-wave")
    pool = _entries(sim.visitors.complaint_wave, rng)
    posts = [pid for pid, _ in list(sim.recent)[-3:]] or [_post(sim, sim.clock.at(day, 8), "God morgon!", "status")]
    usual = 4.0 * max(sim.vol, 0.3) / 3600.0  # per second, an ordinary daytime hour roughly
    start = sim.clock.at(day, 9, rng.randrange(30), rng.randrange(60))
    end = start + 10 * 3600
    top = 3.0 * usual
    k = 1.0 / 2900.0  # the logistic's steepness: from a fifth of the usual rate to nearly ``top`` in four hours

    def rate(t: float) -> float:
        rise = top / (1.0 + 14.0 * math.exp(-k * (t - start)))
        return rise if t < start + 8 * 3600 else rise * math.exp(-(t - start - 8 * 3600) / 3600.0)

    t = float(start)
    while t < end:  # thinning against the top rate
        t += rng.expovariate(top)
        if t >= end or rng.random() * top > rate(t):
            continue
        who = sim.people[rng.randrange(len(sim.people))]
        target = rng.choice(posts)
        cid = f"{target}_{next(sim.oid)}"
        sim.add(
            int(t),
            "comment.created",
            who.actor,
            {"comment_id": cid, "post_id": target, "parent_id": None, "message": rng.choice(pool), "links": []},
            "fb:comment:" + cid,
            target,
        )
