# -*- coding: utf-8 -*-
"""Incident and trap builders for rt3."""
import datetime as dt
from core import UTC, iso, fill, noisy, POOL, WAVE, CONTEST, VIRAL


def L(P, y, m, d, h, mi=0, s=0):
    """local wall time -> utc datetime"""
    return dt.datetime(y, m, d, h, mi, s, tzinfo=P.tz).astimezone(UTC)


def M(x):
    return dt.timedelta(minutes=x)


class Truth:
    def __init__(self, name):
        self.name = name; self.incs = []; self.traps = []; self.notes = []

    def inc(self, P, cat, typ, start, end, min_sev, max_delay, onset=None, note=""):
        d = {"id": f"{self.name}-i{len(self.incs)+1}", "page": P.key, "category": cat, "type": typ,
             "start": iso(start, P.tz), "end": iso(end, P.tz), "min_severity": min_sev, "max_delay_s": max_delay}
        if onset is not None:
            d["onset"] = iso(onset, P.tz)
        self.incs.append(d); self.notes.append(f"- incident {d['id']} ({typ}, {cat}): {note}")

    def trap(self, P, typ, start, end, max_sev, cats, note=""):
        d = {"id": f"{self.name}-t{len(self.traps)+1}", "page": P.key, "type": typ, "start": iso(start, P.tz), "end": iso(end, P.tz),
             "max_severity": max_sev, "categories": cats}
        self.traps.append(d); self.notes.append(f"- trap {d['id']} ({typ}, max {max_sev}, {'/'.join(cats)}): {note}")


# ---------------- hijack pieces -----------------------------------------------------------
ALLT = ["MANAGE", "CREATE_CONTENT", "MODERATE", "MESSAGING", "ADVERTISE", "ANALYZE"]


def role_grant(g, P, t, user, tasks, actor):
    g.add(P, t, "role.granted", {"id": actor[0], "name": actor[1], "type": "person"} if actor else None,
          {"user": {"id": user[0], "name": user[1]}, "tasks": tasks}, f"fb:role:{P.pid}:{user[0]}:granted:{int(t.timestamp())}")


def role_revoke(g, P, t, user, prev, actor):
    g.add(P, t, "role.revoked", {"id": actor[0], "name": actor[1], "type": "person"} if actor else None,
          {"user": {"id": user[0], "name": user[1]}, "previous_tasks": prev}, f"fb:role:{P.pid}:{user[0]}:revoked:{int(t.timestamp())}")


def role_change(g, P, t, user, tasks, prev, actor):
    g.add(P, t, "role.changed", {"id": actor[0], "name": actor[1], "type": "person"} if actor else None,
          {"user": {"id": user[0], "name": user[1]}, "tasks": tasks, "previous_tasks": prev}, f"fb:role:{P.pid}:{user[0]}:changed:{int(t.timestamp())}")


def page_change(g, P, t, field, old, new, actor):
    g.add(P, t, "page.changed", {"id": actor[0], "name": actor[1], "type": "person"} if actor else None,
          {"field": field, "old": old, "new": new}, f"fb:page_change:{P.pid}:{field}:{int(t.timestamp())}")


def scam_posts(g, P, t, texts, *, app, admin, gap_min=15, pname=None, links_fn=None):
    ts = t; out = []
    for i, tx in enumerate(texts):
        link = links_fn(i) if links_fn else []
        pid = g.post(P, ts, tx, app=app, admin=admin, links=link, ptype="link" if link else "photo", pname=pname)
        out.append((ts, pid))
        # a few reactions and bystander comments
        g.reactions(P, pid, ts, g.rnd.randrange(5, 25), mix={"angry": 0.3, "haha": 0.3, "like": 0.3, "wow": 0.1}, mean_h=0.5)
        ts = ts + M(gap_min + g.rnd.randrange(0, 7))
    return out


def delete_posts(g, P, t, n, gap_s, actor=None, before=None):
    cand = [pid for tp, pid in P.posts if tp < (before or t)]
    g.rnd.shuffle(cand)
    ts = t
    for pid in cand[:n]:
        g.add(P, ts, "post.deleted", actor or P.me(), {"post_id": pid}, f"fb:post_del:{pid}")
        ts += dt.timedelta(seconds=gap_s + g.rnd.randrange(0, max(1, gap_s // 3)))
    return ts


def purge_comments(g, P, t, n, gap_s, kind="comment.deleted"):
    cand = [e for e in g.ev if e["_P"] is P and e["kind"] == "comment.created" and e["time"] < t and e["actor"]["type"] == "person"]
    cand = cand[-n * 3:]
    g.rnd.shuffle(cand)
    ts = t
    for e in cand[:n]:
        g.add(P, ts, kind, P.me(), {"comment_id": e["object"]["comment_id"], "post_id": e["object"]["post_id"]}, f"fb:{kind}:{e['object']['comment_id']}")
        ts += dt.timedelta(seconds=gap_s + g.rnd.randrange(0, max(1, gap_s // 2)))
    return ts


def lottery_replies(g, P, t, n, texts, link, gap_s=90):
    cand = [e for e in g.ev if e["_P"] is P and e["kind"] == "comment.created" and e["time"] < t and e["actor"]["type"] == "person"
            and e["object"]["parent_id"] is None]
    cand = cand[-n * 4:]; g.rnd.shuffle(cand)
    ts = t
    for e in cand[:n]:
        fn = e["actor"]["name"].split()[0]
        g.comment(P, ts, e["object"]["post_id"], P.me(), g.rnd.choice(texts).format(fn=fn, link=link), parent=e["object"]["comment_id"], links=[link])
        ts += dt.timedelta(seconds=gap_s + g.rnd.randrange(0, gap_s))
    return ts


# ---------------- crisis pieces --------------------------------------------------------------
def wave(g, P, pid, t0, dur_h, total, *, profile="burst", lang=None, mix=None, extra=None, angry_reacts=0, reply_q=True, k_start=12):
    """angry comment wave; returns (onset, start(k-th comment), end)"""
    rnd = g.rnd; lang = lang or P.lang
    W = dict(WAVE[lang]);
    if extra: W["extra"] = extra
    mix = mix or {"angry": 0.45, "angry_q": 0.15, "sarcasm": 0.2, "churn": 0.1, "extra": 0.1 if extra else 0}
    keys = [k for k in mix if mix[k] > 0 and k in W]; ws = [mix[k] for k in keys]
    times = []
    T = dur_h * 3600
    for i in range(total):
        if profile == "burst":
            x = min(rnd.expovariate(3.0 / T), T)
        elif profile == "ramp":     # density grows linearly -> t = T*sqrt(u)
            x = T * (rnd.random() ** 0.5)
        else:
            x = rnd.uniform(0, T)
        times.append(t0 + dt.timedelta(seconds=x + 5))
    times.sort()
    for t in times:
        who, fn = P.person(lang)
        k = rnd.choices(keys, ws)[0]
        msg = noisy(rnd, rnd.choice(W[k]))
        cid = g.comment(P, t, pid, who, msg)
        if k == "angry_q":
            g.qids[cid] = P
            if reply_q:
                rt = g.reply_time(P, t, frac=rnd.uniform(0.05, 0.5))
                g.page_reply(P, rt, pid, cid, fill(rnd, P, rnd.choice(POOL[P.lang]["reply_crisis"]), fn=fn))
        if rnd.random() < 0.5:
            g.react(P, t + M(rnd.randrange(1, 30)), cid, P.person(lang)[0], "like")
    for i in range(angry_reacts):
        x = T * (rnd.random() ** (0.5 if profile == "ramp" else 1.5))
        g.react(P, t0 + dt.timedelta(seconds=x), pid, P.person(lang)[0], rnd.choice(["angry", "angry", "angry", "sad", "haha"]))
    return times[0], times[min(k_start, len(times) - 1)], times[-1]


def happy_spike(g, P, pid, t0, dur_h, total, texts, lang=None, love=0):
    rnd = g.rnd; lang = lang or P.lang
    ts = []
    for i in range(total):
        t = t0 + dt.timedelta(seconds=min(rnd.expovariate(2.5 / (dur_h * 3600)), dur_h * 3600) + 3)
        who, fn = P.person(lang)
        g.comment(P, t, pid, who, noisy(rnd, rnd.choice(texts).format(fn=rnd.choice(["Anna", "Ole", "Mette", "Mikko", "Emma", "Erik"]), p=P.product)))
        ts.append(t)
    for i in range(love):
        g.react(P, t0 + dt.timedelta(seconds=rnd.expovariate(2.5 / (dur_h * 3600))), pid, P.person(lang)[0], rnd.choice(["love", "love", "like", "care"]))
    return max(ts)


def source_error(g, P, t, code, msg, retry=None):
    g.add(P, t, "source.error", None, {"code": code, "message": msg, "retry_after": retry}, f"sentinel:source.error:{P.key}:{int(t.timestamp())}")


def source_recovered(g, P, t):
    g.add(P, t, "source.recovered", None, {}, f"sentinel:source.recovered:{P.key}:{int(t.timestamp())}")
