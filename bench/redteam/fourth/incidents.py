# Incidents and traps for the rt4 generator.
import datetime as dt

from engine import UTC, H, iso, L, SCAM_POSTS, SCAM_DOMAINS, SCAM_COMMENTS_EN, STRANGERS

FULL = ["MANAGE", "CREATE_CONTENT", "MODERATE", "MESSAGING", "ADVERTISE", "ANALYZE"]


def lt(p, y, m, d, hh, mm=0, ss=0):
    """page-local wall time -> UTC"""
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=p.tz).astimezone(UTC)


def sec(x):
    return dt.timedelta(seconds=x)


def add_inc(s, p, typ, cat, start, end, sev, delay, onset=None):
    n = len(s.incidents) + 1
    inc = {"id": f"{s.sid}-i{n}", "page": p.key, "category": cat, "type": typ,
           "start": iso(start.replace(microsecond=0), p.tz), "end": iso(end.replace(microsecond=0), p.tz),
           "min_severity": sev, "max_delay_s": delay}
    if onset is not None:
        inc["onset"] = iso(onset.replace(microsecond=0), p.tz)
    s.incidents.append(inc)
    return inc


def add_trap(s, p, typ, start, end, maxsev, cats):
    n = len(s.traps) + 1
    s.traps.append({"id": f"{s.sid}-t{n}", "page": p.key, "type": typ,
                    "start": iso(start.replace(microsecond=0), p.tz), "end": iso(end.replace(microsecond=0), p.tz),
                    "max_severity": maxsev, "categories": cats})


def scam_wave(s, p, t, n_posts, admin, app, name=None, gap=(12, 35), extra_lang_posts=None):
    """scam posts from t on; returns (post ids, last time)"""
    pids = []
    tt = t
    doms = list(SCAM_DOMAINS)
    s.rng.shuffle(doms)
    posts = list(SCAM_POSTS)
    s.rng.shuffle(posts)
    if extra_lang_posts:
        posts = extra_lang_posts + posts
    for i in range(n_posts):
        u = doms[i % len(doms)]
        msg = posts[i % len(posts)].format(u=u)
        pid = s.post(p, tt, msg, admin, app, [u], ptype=s.rng.choice(["photo", "link"]), name=name)
        pids.append(pid)
        # the public notices
        for _ in range(s.rng.randint(2, 10)):
            tc = tt + sec(s.rng.expovariate(1 / 2400))
            who = s.person(p)
            if s.rng.random() < 0.7:
                s.comment(p, tc, pid, who, s.rng.choice(p.L["warn"]).format(p=p.name))
            else:
                bot = (str(s.rng.randint(100090000000000, 100099999999999)), s.rng.choice(["Kevin Trades", "Jessica Moore", "Crypto Mike", "Anna Wins"]))
                s.comment(p, tc, pid, bot, s.rng.choice(SCAM_COMMENTS_EN))
        s.reactions_on(p, pid, tt, s.rng.randint(8, 40), {"angry": 30, "haha": 30, "wow": 15, "like": 20, "sad": 5}, mean_h=1.0)
        tt = tt + sec(s.rng.uniform(gap[0] * 60, gap[1] * 60))
    return pids, tt


def cleanup(s, p, t, admin, pids, extra=None):
    tt = t
    for a in extra or []:
        tt = tt + sec(s.rng.uniform(20, 90))
        a(tt)
    for pid in pids:
        tt = tt + sec(s.rng.uniform(12, 60))
        s.emit(p, tt, f"fb:post_delete:{pid}", "post.deleted", s.page_actor(p), {"post_id": pid})
    return tt


def hijack_role(s, p, t, granter, *, tasks=None, stranger=None, rename=True, revoke=True, n_posts=5,
                wait_min=(8, 25), fix_at=None, restorer=None, apology=None):
    stranger = stranger or (str(s.rng.randint(100090000000000, 100099999999999)), s.rng.choice(STRANGERS))
    tasks = tasks or FULL
    s.role(p, t, "role.granted", granter, stranger, tasks)
    tt = t + sec(s.rng.uniform(60, 300))
    name = None
    undo = []
    if rename:
        newname = s.rng.choice(["Meta Business Support", "Page Recovery Center", "Crypto News Daily", "Giveaway Nordic"])
        s.page_change(p, tt, stranger, "name", p.name, newname); name = newname
        tt += sec(s.rng.uniform(60, 200))
        s.page_change(p, tt, stranger, "website", p.ind["web"], SCAM_DOMAINS[1].rsplit("/", 1)[0])
        undo += [lambda x, nn=newname: s.page_change(p, x, restorer, "name", nn, p.name),
                 lambda x: s.page_change(p, x, restorer, "website", SCAM_DOMAINS[1].rsplit("/", 1)[0], p.ind["web"])]
    revoked = []
    if revoke and "MANAGE" in tasks:
        for adm in p.admins[:2]:
            tt += sec(s.rng.uniform(120, 900))
            s.role(p, tt, "role.revoked", stranger, (adm[0], adm[1]), None, FULL)
            revoked.append(adm)
    t0 = t + sec(s.rng.uniform(*wait_min) * 60)
    pids, last = scam_wave(s, p, max(t0, tt + sec(60)), n_posts, (stranger[0], stranger[1]) if s.rng.random() < 0.6 else None,
                           s.rng.choice(["Facebook for Android", "Facebook for iPhone", None]), name=name)
    fix = fix_at or (last + sec(3 * H))
    restorer = restorer or p.admins[-1]
    acts = [lambda x: s.role(p, x, "role.revoked", restorer, stranger, None, tasks)]
    for adm in revoked:
        acts.append(lambda x, a=adm: s.role(p, x, "role.granted", restorer, (a[0], a[1]), FULL))
    acts += undo
    end = cleanup(s, p, fix, restorer, pids, acts)
    add_inc(s, p, "hijack_role", "hijack", t, end, "critical", 120)
    if apology:
        ap = s.post(p, end + sec(s.rng.uniform(600, 3000)), apology, (restorer[0], restorer[1]), restorer[2][0], [])
        s.comments_on(p, ap, end + sec(900), s.rng.randint(4, 15), qfrac=0.0, grumpy=0.05)
    return end


def hijack_admin(s, p, t, admin, app, *, n_posts=4, gap=(8, 30), fix_at=None, fixer=None, website=False,
                 local_posts=None, rename=False):
    undo = []
    tt = t
    name = None
    if website:
        s.page_change(p, tt, admin, "website", p.ind["web"], SCAM_DOMAINS[7].rsplit("/", 1)[0])
        undo.append(lambda x: s.page_change(p, x, fixer or admin, "website", SCAM_DOMAINS[7].rsplit("/", 1)[0], p.ind["web"]))
        tt += sec(s.rng.uniform(120, 400))
    if rename:
        s.page_change(p, tt, admin, "name", p.name, "Meta Verified Support")
        name = "Meta Verified Support"
        undo.append(lambda x: s.page_change(p, x, fixer or admin, "name", "Meta Verified Support", p.name))
        tt += sec(s.rng.uniform(120, 400))
    pids, last = scam_wave(s, p, tt, n_posts, (admin[0], admin[1]), app, gap=gap, name=name, extra_lang_posts=local_posts)
    fixer = fixer or admin
    end = cleanup(s, p, fix_at or (last + sec(2 * H)), fixer, pids, undo)
    add_inc(s, p, "hijack_compromised_admin", "hijack", t, end, "critical", 120)
    return end


def wave_times(s, t0, n, dur_h, mean_h=1.4):
    out = []
    for _ in range(n):
        if s.rng.random() < 0.65:
            o = s.rng.expovariate(1 / (mean_h * H))
        else:
            o = s.rng.uniform(0, dur_h * H)
        if o < dur_h * H:
            out.append(t0 + sec(o))
    return sorted(out)


def angry_wave(s, p, post_id, t0, n, dur_h, angry, support, qa, mean_h=1.4, spill=None, lang=None):
    times = wave_times(s, t0, n, dur_h, mean_h)
    lb = L[lang or p.lang]
    for t in times:
        who = s.person(p)
        r = s.rng.random()
        target = post_id
        if spill and s.rng.random() < 0.1:
            target = s.rng.choice(spill)
        if r < 0.74:
            s.comment(p, t, target, who, s.rng.choice(angry) + s.rng.choice(["", "", "!", "!!", "."]))
        elif r < 0.84:
            s.comment(p, t, target, who, s.rng.choice(support + lb["neutral"]))
        elif r < 0.9 and qa:
            q, a = s.rng.choice(qa)
            s.ask(p, t, target, who, q, a, fast=True)
        elif r < 0.96:
            s.comment(p, t, target, who, s.rng.choice(["😡", "🤬", "👎", "😤", "🤮", "🤡"]))
        else:
            s.comment(p, t, target, who, s.rng.choice(lb["tag"]).format(n=s.person(p)[1]))
    s.reactions_on(p, post_id, t0, int(n * 1.5), {"angry": 55, "sad": 10, "haha": 12, "like": 15, "wow": 8}, mean_h=mean_h)
    return times


def crisis_announcement(s, p, t, admin, app, n, dur_h, mean_h=1.4):
    c = p.ind["crisis"]
    pid = s.post(p, t, c["text"], (admin[0], admin[1]), app, [w for w in c["text"].split() if w.startswith("https://")])
    spill = [x[1] for x in getattr(p, "recent_posts", [])[-3:]]
    times = angry_wave(s, p, pid, t + sec(s.rng.uniform(20, 120)), n, dur_h, c["angry"], c["support"], c["qa"], mean_h, spill)
    # complaints in the inbox too (statements) and a few questions, answered
    for _ in range(max(2, n // 40)):
        tm = s.rng.choice(times)
        s.pm(p, tm, q=c["qa"][0][0], a=c["qa"][0][1])
    add_inc(s, p, "crisis_announcement", "crisis", t + sec(900), times[-1], "warning", 1800, onset=t)
    return pid


def crisis_old_post(s, p, old_pid, t_onset, n, dur_h, mean_h=1.2):
    c = p.ind["oldpost"]
    times = angry_wave(s, p, old_pid, t_onset, n, dur_h, c["swarm"], [], [], mean_h)
    first = times[0]
    add_inc(s, p, "crisis_old_post", "crisis", first + sec(900), times[-1], "warning", 1800, onset=first)


def contest(s, p, t, admin, app, n, dur_h=9, text=None):
    text = text or p.ind["contest"]
    pid = s.post(p, t, text, (admin[0], admin[1]), app, [], ptype="photo")
    times = wave_times(s, t, n, dur_h, 1.3)
    for tc in times:
        who = s.person(p)
        other = s.person(p)[1]
        msg = s.rng.choice([f"@{other} 🤞", f"Jag vill vinna! @{other}", f"@{other} nu kör vi!", "😍😍", f"Tävlar @{other}",
                            f"Deltar 🍀 @{other}", f"@{other} @{s.person(p)[1]}"]) if p.lang == "sv" else f"@{other} 🤞"
        s.comment(p, tc, pid, who, msg)
    s.reactions_on(p, pid, t, int(n * 1.3), {"like": 70, "love": 25, "care": 5}, mean_h=1.5)
    add_trap(s, p, "contest_spike", t, times[-1], "info", ["crisis"])
    return pid


def set_backlog(s, p, a, b):
    p.closures.append((a, b))


def backlog_questions(s, p, a, b, n, pms=0):
    """extra questions during a team absence (they are answered in the burst after b)"""
    for i in range(n):
        t = a + sec(s.rng.uniform(0, (b - a).total_seconds() * 0.85))
        rp = getattr(p, "recent_posts", [])
        cands = [x[1] for x in rp if x[0] < t][-4:]
        if not cands:
            continue
        q, ans = s.rng.choice(p.ind["qa"])
        s.ask(p, t, s.rng.choice(cands), s.person(p), q, ans)
    for i in range(pms):
        t = a + sec(s.rng.uniform(0, (b - a).total_seconds() * 0.85))
        s.pm(p, t, q=s.rng.choice(p.ind.get("pm", p.ind["qa"]))[0], a=s.rng.choice(p.ind.get("pm", p.ind["qa"]))[1])


def label_backlog(s, p, a, b):
    """label the sla incident from what the generator did: the first deadline that passed, to the last late answer"""
    late = [(p.add_staffed(t, p.sla), ta) for t, ta, _ in p.asks if ta > p.add_staffed(t, p.sla) and
            b <= ta <= b + sec(3 * H)]
    if not late:
        raise RuntimeError(f"{s.sid}: backlog produced no breach")
    start = min(x[0] for x in late)
    end = max(x[1] for x in late)
    s.notes.append(f"sla backlog on {p.key}: {len(late)} items answered late; team absent {iso(a, p.tz)} – {iso(b, p.tz)}")
    add_inc(s, p, "sla_backlog", "sla", start, end, "warning", 900)


def set_gap(s, p, a, b):
    p.gaps.append((a, b))


def token_expired(s, p, a, b, code=190, sub=463, repeat_min=None):
    msgs = {463: "Error validating access token: Session has expired on {d}. The current time is {n}.",
            460: "Error validating access token: The session has been invalidated because the user changed their password.",
            467: "Error validating access token: The user has not authorized application 1042277883361."}
    fmt = lambda t: t.astimezone(UTC).strftime("%A, %d-%b-%y %H:%M:%S UTC")
    msg = msgs[sub].format(d=fmt(a - sec(3600)), n=fmt(a))
    s.source_error(p, a, code, msg, None)
    if repeat_min:
        t = a + sec(repeat_min * 60)
        while t < b - sec(60):
            s.source_error(p, t, code, msgs[sub].format(d=fmt(a - sec(3600)), n=fmt(t)), None)
            t += sec(repeat_min * 60 * s.rng.uniform(0.9, 1.6))
    s.source_recovered(p, b)
    add_inc(s, p, "health_token_expired", "health", a, b, "warning", 900)


def rate_limit_blip(s, p, a, minutes):
    b = a + sec(minutes * 60)
    p.gaps.append((a, b))
    s.source_error(p, a, 80001, "There have been too many calls to this Page account. Wait a bit and try again.", minutes * 60)
    s.source_recovered(p, b)
    add_trap(s, p, "rate_limit_blip", a, b, "warning", ["health"])


def legit_role_grant(s, p, t, granter, newbie, tasks, first_post_at, app):
    s.role(p, t, "role.granted", granter, newbie, tasks)
    if first_post_at:
        s.page_post(p, first_post_at, (newbie[0], newbie[1], [app]), app)
        p.admins.append((newbie[0], newbie[1], [app]))
    add_trap(s, p, "legit_role_grant", t, first_post_at or t, "warning", ["hijack"])


def legit_change(s, p, t, admin, field, old, new, typ="legit_about_change"):
    s.page_change(p, t, admin, field, old, new)
    add_trap(s, p, typ, t, t, "warning", ["hijack"])


def new_app_daytime(s, p, t, admin, app):
    s.page_post(p, t, admin, app)
    add_trap(s, p, "new_app_daytime", t, t, "warning", ["hijack"])


def dst_traps(s):
    for p in s.pages:
        d = p.local(s.start).date()
        while d <= p.local(s.end).date():
            a = dt.datetime(d.year, d.month, d.day, 0, 0, tzinfo=p.tz)
            b = a + dt.timedelta(days=1)
            if a.utcoffset() != b.astimezone(p.tz).utcoffset() or a.utcoffset() != \
                    dt.datetime(d.year, d.month, d.day, 23, 0, tzinfo=p.tz).utcoffset():
                e = dt.datetime(d.year, d.month, d.day, 23, 59, 59, tzinfo=p.tz) + dt.timedelta(days=1)
                add_trap(s, p, "dst", a.astimezone(UTC), e.astimezone(UTC), "info", ["hijack", "crisis", "sla", "health"])
            d += dt.timedelta(days=1)
