"""Helpers to inject incidents and special periods."""
from simlib import H, M, poisson
from traffic import stylize


def combo(rng, cores, pre=(), post=(), p_pre=0.3, p_post=0.3):
    t = rng.choice(cores)
    if pre and rng.random() < p_pre:
        t = rng.choice(pre) + " " + (t[0].lower() + t[1:] if t[:1].isupper() and not t[:2].isupper() else t)
    if post and rng.random() < p_post:
        t = t.rstrip() + " " + rng.choice(post)
    return t


def burst(tr, t_on, t_end, rate_fn, pick_post, make, ask_p=0.0, make_ask=None, react=None, kind="angry",
          lang=None, fresh=0.7, reply_p=0.0, make_reply=None):
    """Minute-by-minute comment process. rate_fn(minutes since t_on) -> comments/min."""
    sim, r, v = tr.sim, tr.rng, tr.v
    t = t_on
    n_total = 0
    while t < t_end:
        lam = rate_fn((t - t_on) / 60.0)
        for _ in range(poisson(r, lam)):
            ts = t + r.randrange(60)
            if ts >= t_end:
                continue
            pid = pick_post(ts)
            who = v.visitor(fresh)
            if make_ask and r.random() < ask_p:
                q, a = make_ask()
                cid = sim.comment(ts, pid, who, q)
                tr.answer(ts, f"fb:comment:{cid}", cid, pid, who, a)
            else:
                cid = sim.comment(ts, pid, who, stylize(r, make(), kind, lang or v.lang))
                if make_reply and r.random() < reply_p:
                    rt = sim.plan_reply(ts, 0.05, check=False)
                    sim.comment(rt, pid, None, v.sign(who.first, make_reply()), parent=cid, page=True)
            n_total += 1
            for _ in range(poisson(r, 0.8)):
                sim.react(ts + r.randrange(30, 3 * H), cid, v.visitor(0.5), "like")
            if react:
                for _ in range(poisson(r, react[1])):
                    sim.react(ts + r.randrange(0, 600), pid, v.visitor(0.8), r.choice(react[0]))
        t += 60
    return n_total
