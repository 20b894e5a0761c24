"""Incidents and traps injected into a Page's ordinary life. Each returns its label (times are UTC datetimes)."""
import bisect
import datetime as dt

import texts as T
from engine import FULL, UTC

S = lambda n: dt.timedelta(seconds=n)
M = lambda n: dt.timedelta(minutes=n)


def _recent_person_comments(pg, t, n):
    out = [(tt, e) for (tt, s, e, tag) in pg.events
           if e["kind"] == "comment.created" and e["actor"]["type"] == "person" and tt < t
           and tt > t - dt.timedelta(days=3) and e["object"]["parent_id"] is None]
    out.sort(key=lambda x: x[0])
    return [e for (_, e) in out[-n:]]


def hijack(pg, h):
    """h: date, time, kind ('role'|'compromised'), first, granter (admin index or None), app ('new'|'usual'|name),
    rename, revoke, scam_lang, nposts, nreplies, rec_date, rec_time, owner (admin index doing the recovery)."""
    r = pg.rng
    t = pg.at_local(h["date"], h["time"], r.randrange(60))
    comp = pg.admins[h["granter"]] if h.get("granter") is not None else None
    owner = pg.admins[h.get("owner", 0)]
    comp_actor = {"id": comp[0], "name": comp[1], "type": "person"} if comp else None
    stranger = (pg._uid(), r.choice(T.HIJACKERS))
    st_actor = {"id": stranger[0], "name": stranger[1], "type": "person"}
    bad_actor = st_actor if h["kind"] == "role" else comp_actor
    bad_admin = stranger if h["kind"] == "role" else comp
    first_t = None
    page_name = pg.name
    revoked = []
    steps = []

    def mark(tt):
        nonlocal first_t
        if first_t is None or tt < first_t:
            first_t = tt

    ev_ids = []
    # role steps
    if h["kind"] == "role":
        if h["first"] == "grant_lesser":
            lesser = ["CREATE_CONTENT", "MODERATE"] if r.random() < 0.5 else ["CREATE_CONTENT", "MODERATE", "MESSAGING", "ANALYZE"]
            pg.emit(t, "role.granted", comp_actor, {"user": {"id": stranger[0], "name": stranger[1]}, "tasks": lesser},
                    f"fb:role:{pg.pid}:{stranger[0]}:granted:{int(t.timestamp())}", "hijack")
            mark(t)
            t2 = t + M(r.randrange(8, 25))
            pg.emit(t2, "role.changed", comp_actor, {"user": {"id": stranger[0], "name": stranger[1]}, "tasks": FULL,
                                                      "previous_tasks": lesser},
                    f"fb:role:{pg.pid}:{stranger[0]}:changed:{int(t2.timestamp())}", "hijack")
            t = t2
        else:
            pg.emit(t, "role.granted", comp_actor, {"user": {"id": stranger[0], "name": stranger[1]}, "tasks": FULL},
                    f"fb:role:{pg.pid}:{stranger[0]}:granted:{int(t.timestamp())}", "hijack")
            mark(t)
    else:
        if h["first"] == "rename":
            mark(t)
        elif h["first"] == "revoke_roles":
            mark(t)
        elif h["first"] == "edit":
            mark(t)
    cur = t
    # compromised-admin opening moves
    if h["kind"] == "compromised" and h["first"] == "edit":
        # the most-reacted recent page post gets a phishing link added
        cand = [p for p in pg.posts if p[0] < cur and p[0] > cur - dt.timedelta(days=6) and p[3]]
        tp = cand[-1] if cand else pg.posts[-1]
        u = r.choice(T.SCAM_DOMAINS)
        pg.emit(cur, "post.edited", bad_actor and pg.page_actor, {"post_id": tp[1], "message": tp[2] + " 👉 Vinn ett presentkort: " + u
                                                                   if pg.lang == "sv" else tp[2] + " 👉 " + u,
                                                                   "app": _app(pg, h)},
                f"fb:post_edit:{tp[1]}:{int(cur.timestamp())}", "hijack")
        cur += M(r.randrange(5, 15))
    if h.get("rename") or h["first"] == "rename":
        newname = r.choice(T.HIJACK_NAMES)
        newuser = newname.lower().replace(" ", "") + ".center"
        for field, old, new in (("name", pg.name, newname), ("username", pg.key.replace("_", ""), newuser),
                                ("website", pg.P["website"], r.choice(T.SCAM_DOMAINS).rsplit("/", 1)[0])):
            pg.emit(cur, "page.changed", bad_actor, {"field": field, "old": old, "new": new},
                    f"fb:page_change:{pg.pid}:{field}:{int(cur.timestamp())}", "hijack")
            cur += S(r.randrange(40, 140))
        page_name = newname
    if h.get("revoke") or h["first"] == "revoke_roles":
        for a in pg.admins:
            if a == bad_admin or a == comp:
                continue
            pg.emit(cur, "role.revoked", bad_actor, {"user": {"id": a[0], "name": a[1]}, "previous_tasks": FULL},
                    f"fb:role:{pg.pid}:{a[0]}:revoked:{int(cur.timestamp())}", "hijack")
            revoked.append(a)
            cur += S(r.randrange(30, 200))
    # scam posts
    pactor = {"id": pg.pid, "name": page_name, "type": "page"}
    scams = T.SCAM_SV if h.get("scam_lang") == "sv" else T.SCAM_EN
    scam_posts = []
    tpost = cur + M(r.randrange(3, 15)) if h["first"] not in ("post",) else cur
    for i in range(h.get("nposts", 4)):
        u = r.choice(T.SCAM_DOMAINS)
        msg = r.choice(scams).format(u=u)
        pid = pg.post(tpost, msg, app=_app(pg, h), admin=bad_admin, ptype=r.choice(["link", "photo"]), links=[u],
                      actor=pactor, tag="hijack")
        if i == 0 and h["first"] == "post":
            mark(tpost)
        scam_posts.append((tpost, pid))
        # the audience notices
        for k in range(r.randrange(6, 16)):
            tt = tpost + S(r.randrange(120, 4 * 3600))
            if r.random() < 0.6:
                a, lang = pg.person()
                pg.comment(tt, pid, a, r.choice(T.L[lang]["hijack_warn"]), tag="hijack_aud")
            else:
                a = {"id": pg._uid(), "name": r.choice(["Crypto Lisa", "Mark Win", "Jessica Trade", "Tom Profit"]),
                     "type": "person"}
                pg.comment(tt, pid, a, r.choice(["I got paid, thank you admin!!", "Legit 💯", "Done ✅ waiting for my reward"]),
                           tag="hijack_aud")
        for k in range(r.randrange(10, 40)):
            pg.react(tpost + S(r.randrange(60, 5 * 3600)), pid, pg.person()[0], r.choice(["angry", "haha", "angry", "like", "wow"]))
        tpost += M(r.randrange(12, 45))
    # scam replies under customers' comments
    targets = _recent_person_comments(pg, cur, h.get("nreplies", 0))
    tr = cur + M(r.randrange(2, 10))
    for e in targets:
        u = r.choice(T.SCAM_DOMAINS)
        first = e["actor"]["name"].split()[0]
        pg.comment(tr, e["object"]["post_id"], pactor, r.choice(T.SCAM_REPLY_EN).format(n=first, u=u),
                   parent=e["object"]["comment_id"], links=[u], tag="hijack")
        tr += S(r.randrange(20, 240))
    # recovery in the morning
    rt = pg.at_local(h["rec_date"], h["rec_time"], r.randrange(60))
    oa = {"id": owner[0], "name": owner[1], "type": "person"}
    if h["kind"] == "role":
        pg.emit(rt, "role.revoked", oa, {"user": {"id": stranger[0], "name": stranger[1]}, "previous_tasks": FULL},
                f"fb:role:{pg.pid}:{stranger[0]}:revoked:{int(rt.timestamp())}", "recovery")
        rt += S(r.randrange(40, 120))
    elif h.get("revoke_comp_after"):
        pg.emit(rt, "role.changed", oa, {"user": {"id": comp[0], "name": comp[1]}, "tasks": ["CREATE_CONTENT", "MODERATE"],
                                          "previous_tasks": FULL},
                f"fb:role:{pg.pid}:{comp[0]}:changed:{int(rt.timestamp())}", "recovery")
        rt += S(r.randrange(40, 120))
    for a in revoked:
        pg.emit(rt, "role.granted", oa, {"user": {"id": a[0], "name": a[1]}, "tasks": FULL},
                f"fb:role:{pg.pid}:{a[0]}:granted:{int(rt.timestamp())}", "recovery")
        rt += S(r.randrange(30, 90))
    if page_name != pg.name:
        for field, new in (("name", pg.name), ("website", pg.P["website"])):
            pg.emit(rt, "page.changed", oa, {"field": field, "old": "(hijacked)", "new": new},
                    f"fb:page_change:{pg.pid}:{field}:{int(rt.timestamp())}", "recovery")
            rt += S(r.randrange(40, 120))
    for (_, pid) in scam_posts:
        pg.emit(rt, "post.deleted", pg.page_actor, {"post_id": pid}, f"fb:post_delete:{pid}", "recovery")
        rt += S(r.randrange(15, 60))
    rt += M(r.randrange(5, 25))
    pg.post(rt, T.L[pg.lang]["recover_post"], app=pg.P["main_app"], admin=owner, tag="recovery")
    return {"type": "hijack_role" if h["kind"] == "role" else "hijack_compromised_admin", "category": "hijack",
            "start": first_t, "end": rt, "min_severity": "critical", "max_delay_s": 120}


def _app(pg, h):
    a = h.get("app", "new")
    if a == "new":
        return "Facebook for Android" if "Facebook for Android" not in pg.P["apps"] else "Facebook Lite"
    if a == "usual":
        return pg.P["main_app"]
    return a


def _wave(pg, t0, n, tau, pid, lines, lang_mix=True, angry=1.2, spill=0.08, tag="crisis"):
    r = pg.rng
    times = []
    cids = []
    for i in range(n):
        for _ in range(8):
            d = tau * r.gammavariate(1.4, 1.0)
            tt = t0 + S(30 + d)
            h = pg.loc(tt).hour
            if h >= 7 or r.random() < 0.35:
                break
        a, lang = pg.person()
        Lx = T.L[lang]
        x = r.random()
        if lang != pg.lang and lang == "fi":
            msg = r.choice(Lx["outrage"])
        elif x < 0.5:
            msg = r.choice(Lx["outrage"])
        elif x < 0.88:
            msg = r.choice(lines)
        else:
            msg = r.choice(Lx["defend"])
        target = pid
        if r.random() < spill and pg.posts:
            target = r.choice([p for p in pg.posts if p[0] < t0][-5:])[1]
        parent = r.choice(cids) if cids and r.random() < 0.15 else None
        cids.append(pg.comment(tt, target, a, msg, parent=parent if target == pid else None, tag=tag))
        times.append(tt)
    for i in range(int(n * angry)):
        d = tau * r.gammavariate(1.3, 1.0)
        pg.react(t0 + S(20 + d), pid, pg.person()[0], r.choice(["angry"] * 6 + ["sad", "haha", "like"]), tag)
    times.sort()
    return times


def _crisis_label(pg, onset, times, typ):
    allt = pg.person_comment_times()
    start = None
    for tt in times:
        a = bisect.bisect_right(allt, tt - dt.timedelta(hours=1))
        b = bisect.bisect_right(allt, tt)
        norm = pg.hourly_normal(tt, allt)
        if b - a >= 2 * max(norm, 1.0):
            start = tt
            break
    assert start is not None, "crisis never reached twice normal"
    assert (start - onset).total_seconds() < 3 * 3600, (start, onset)
    end = times[int(len(times) * 0.97) - 1]
    return {"type": typ, "category": "crisis", "start": start, "end": end, "onset": onset,
            "min_severity": "warning", "max_delay_s": 1800}


def _daily_rate(pg, before):
    allt = pg.person_comment_times()
    b = bisect.bisect_right(allt, before)
    a = bisect.bisect_right(allt, before - dt.timedelta(days=28))
    return (b - a) / 28.0


def crisis_announcement(pg, c):
    r = pg.rng
    t0 = pg.at_local(c["date"], c["time"])
    daily = _daily_rate(pg, t0)
    n = int(max(c.get("min_n", 60), daily * c.get("mult", 1.5)))
    pid = pg.post(t0, c["text"], app=pg.P["main_app"], admin=pg.admins[0], ptype="status", tag="crisis_post")
    times = _wave(pg, t0, n, c.get("tau", 5400), pid, c["lines"])
    # the team says something, and customers write in
    for k in range(2):
        tt = pg.staffed_add(t0 + M(30 + 90 * k), 60) if pg.staffed else t0 + M(40 + 100 * k)
        pg.comment(tt, pid, pg.page_actor, T.L[pg.lang]["staff_crisis"] + T.L[pg.lang]["sign"].format(a=pg.agent()), tag="team")
    for k in range(max(2, n // 40)):
        tt = t0 + S(r.randrange(300, 6 * 3600))
        pg.dm(tt, lang=pg.lang, text=r.choice(c["lines"]),
              ans_text=T.L[pg.lang]["hello"] + T.L[pg.lang]["staff_crisis"], tag="crisis_dm")
    return _crisis_label(pg, t0, times, "crisis_announcement")


def crisis_old_post(pg, c):
    t0 = pg.at_local(c["date"], c["time"], 17)
    # the old post: posted weeks ago, found again now
    old_t = t0 - dt.timedelta(days=c["age_days"])
    cand = [p for p in pg.posts if abs((p[0] - old_t).total_seconds()) < 4 * 86400 and p[3]]
    tp = cand[0]
    daily = _daily_rate(pg, t0)
    n = int(max(c.get("min_n", 50), daily * c.get("mult", 1.2)))
    times = _wave(pg, t0, n, c.get("tau", 4800), tp[1], c["lines"], spill=0.05)
    onset = times[0]
    return _crisis_label(pg, onset, times, "crisis_old_post")


def health(pg, hcfg):
    """Call before baseline() so the team's replies avoid the blind window; events emitted here."""
    t0 = pg.at_local(hcfg["date"], hcfg["time"], pg.rng.randrange(60))
    t1 = pg.at_local(hcfg["rec_date"], hcfg["rec_time"], pg.rng.randrange(60))
    pg.avoid.append((t0, t1))
    return (t0, t1, hcfg)


def health_emit(pg, w):
    t0, t1, hcfg = w
    r = pg.rng
    msgs = {
        190: "Error validating access token: Session has expired on {d}. The current time is {d2}.",
        463: "Error validating access token: Session has expired.",
        460: "Error validating access token: The session has been invalidated because the user changed their password.",
    }
    code = hcfg.get("code", 190)
    sub = hcfg.get("sub", 190)
    tt = t0
    n = 0
    while tt < t1:
        d = tt.astimezone(UTC).strftime("%A, %d-%b-%y %H:%M:%S UTC")
        msg = msgs[sub].format(d=(tt - dt.timedelta(minutes=r.randrange(5, 90))).astimezone(UTC).strftime("%A, %d-%b-%y %H:%M:%S UTC"), d2=d)
        pg.emit(tt, "source.error", None, {"code": code, "message": msg, "retry_after": None},
                f"sentinel:source.error:{pg.key}:{int(tt.timestamp())}", "health")
        n += 1
        if not hcfg.get("repeat"):
            break
        tt += M(hcfg["repeat"])
    pg.emit(t1, "source.recovered", None, {}, f"sentinel:source.recovered:{pg.key}:{int(t1.timestamp())}", "health")
    return {"type": "health_token_expired", "category": "health", "start": t0, "end": t1,
            "min_severity": "warning", "max_delay_s": 900}


def sla_setup(pg, s):
    b0 = pg.at_local(s["date"], s["time"])
    b1 = pg.at_local(s["end_date"], s["end_time"])
    pg.blackouts.append((b0, b1, s["channels"]))
    return (b0, b1, s)


def sla_inject(pg, w):
    b0, b1, s = w
    r = pg.rng
    for k in range(s.get("extra", 6)):
        tt = b0 + S(r.randrange(0, int((b1 - b0).total_seconds() * 0.6)))
        if "dm" in s["channels"]:
            pg.dm(tt, lang=pg.lang, tag="sla")
        else:
            cand = [p for p in pg.posts if p[0] < tt and p[0] > tt - dt.timedelta(days=4)] or pg.posts[-3:]
            pg.ask(tt, r.choice(cand)[1], lang=pg.lang, tag="sla", channel="comment")


def sla_label(pg, w):
    b0, b1, s = w
    misses = pg.sla_misses()
    inside = [m for m in misses if b0 - dt.timedelta(days=3) <= m[1] <= b1]
    outside = [m for m in misses if m not in inside]
    assert not outside, f"{pg.key}: unplanned SLA misses {outside[:3]}"
    assert inside, f"{pg.key}: backlog produced no miss"
    start = inside[0][0]
    end = max(m[2] for m in inside)
    return {"type": "sla_backlog", "category": "sla", "start": start, "end": end,
            "min_severity": "warning", "max_delay_s": 900}


# ---------------- traps
def trap_role_grant(pg, c):
    r = pg.rng
    t = pg.at_local(c["date"], c["time"], r.randrange(60))
    g = pg.admins[c.get("granter", 0)]
    uid = pg._uid()
    tasks = c.get("tasks", ["CREATE_CONTENT", "MODERATE", "MESSAGING"])
    pg.emit(t, "role.granted", {"id": g[0], "name": g[1], "type": "person"},
            {"user": {"id": uid, "name": c["user"]}, "tasks": tasks}, f"fb:role:{pg.pid}:{uid}:granted:{int(t.timestamp())}", "trap")
    t2 = pg.at_local(c["post_date"], c["post_time"], r.randrange(60))
    pg.post(t2, pg.fill(r.choice(T.L[pg.lang]["posts"])), app=pg.P["main_app"], admin=(uid, c["user"]), tag="trap")
    pg.admins.append((uid, c["user"]))
    return {"type": "legit_role_grant", "start": t, "end": t2, "max_severity": "warning", "categories": ["hijack"]}


def trap_new_app(pg, c):
    r = pg.rng
    t = pg.at_local(c["date"], c["time"])
    pid = pg.post(t, pg.fill(r.choice(T.L[pg.lang]["posts"])), app=c["app"], admin=pg.admins[c.get("admin", 1)],
                  ptype="photo", tag="trap")
    pg.cascade(pid, t, max(1, int(pg.P["cpp"])))
    return {"type": "new_app_daytime", "start": t, "end": t, "max_severity": "warning", "categories": ["hijack"]}


def trap_about(pg, c):
    r = pg.rng
    t = pg.at_local(c["date"], c["time"], r.randrange(60))
    a = pg.admins[c.get("admin", 0)]
    pg.emit(t, "page.changed", {"id": a[0], "name": a[1], "type": "person"},
            {"field": c.get("field", "about"), "old": c["old"], "new": c["new"]},
            f"fb:page_change:{pg.pid}:{c.get('field', 'about')}:{int(t.timestamp())}", "trap")
    return {"type": "legit_about_change", "start": t, "end": t, "max_severity": "warning", "categories": ["hijack"]}


def trap_contest(pg, c):
    r = pg.rng
    t0 = pg.at_local(c["date"], c["time"])
    daily = _daily_rate(pg, t0)
    n = int(max(c.get("min_n", 80), daily * c.get("mult", 2.0)))
    pid = pg.post(t0, T.L[pg.lang]["contest_post"].format(prize=pg.P["prize"]), app=pg.P["main_app"],
                  admin=pg.admins[0], ptype="photo", tag="contest")
    times = []
    for i in range(n):
        tt = t0 + S(5 + c.get("tau", 3600) * r.gammavariate(1.1, 1.0))
        a, lang = pg.person()
        Lx = T.L[lang]
        msg = r.choice(Lx["contest"]).format(f=pg.person(lang)[0]["name"], f2=pg.person(lang)[0]["name"])
        pg.comment(tt, pid, a, msg, tag="contest")
        times.append(tt)
    for i in range(int(n * 1.5)):
        pg.react(t0 + S(5 + c.get("tau", 3600) * r.gammavariate(1.1, 1.0)), pid, pg.person()[0],
                 r.choice(["like", "like", "love"]), "contest")
    times.sort()
    return {"type": "contest_spike", "start": t0, "end": times[-1], "max_severity": "info", "categories": ["crisis"]}


def trap_dst(pg, date_s):
    d = dt.date.fromisoformat(date_s)
    s = dt.datetime(d.year, d.month, d.day, tzinfo=pg.tz).astimezone(UTC)
    d2 = d + dt.timedelta(days=1)
    e = dt.datetime(d2.year, d2.month, d2.day, 23, 59, 59, tzinfo=pg.tz).astimezone(UTC)
    return {"type": "dst", "start": s, "end": e, "max_severity": "info",
            "categories": ["hijack", "crisis", "sla", "health"]}
