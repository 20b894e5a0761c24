#!/usr/bin/env python3
"""Generate the rt4 red-team scenario set (deterministic: fixed seeds).

    python3 gen.py [OUTDIR]      (default /tmp/rt-fourth/scenarios)
"""
import datetime as dt
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from engine import Scenario, UTC, H, L  # noqa: E402
from incidents import (lt, sec, add_trap, hijack_role, hijack_admin, crisis_announcement, crisis_old_post,  # noqa: E402
                       contest, set_backlog, backlog_questions, label_backlog, set_gap, token_expired,
                       rate_limit_blip, legit_role_grant, legit_change, new_app_daytime, dst_traps, angry_wave,
                       FULL)

OUT = sys.argv[1] if len(sys.argv) > 1 else "/tmp/rt-fourth/scenarios"
SCHED = [(8, 30), (11, 30), (12, 0), (15, 0)]


def d(y, m, dd):
    return dt.datetime(y, m, dd, 0, 0, tzinfo=UTC)


def admins(s, lang, apps_list):
    out = []
    for apps in apps_list:
        out.append((str(s.rng.randint(100000000000000, 100099999999999)),
                    f"{s.rng.choice(L[lang]['first'])} {s.rng.choice(L[lang]['last'])}", apps))
    return out


def newbie(s, lang):
    return (str(s.rng.randint(100000000000000, 100099999999999)), f"{s.rng.choice(L[lang]['first'])} {s.rng.choice(L[lang]['last'])}")


def more_posts(s, p, who, app, t, days):
    for k in days:
        tt = t + dt.timedelta(days=k)
        if tt < s.end and p.local(tt).weekday() < 5:
            s.page_post(p, tt, who, app)


def holiday_trap(s, p, a, b):
    add_trap(s, p, "holiday_closed", a, b, "info", ["sla"])


def finish(s, extra=""):
    dst_traps(s)
    bad = s.check_sla()
    if bad:
        print(f"{s.sid}: WARNING {len(bad)} unlabelled SLA breaches, e.g. {bad[:3]}", file=sys.stderr)
    n = s.finish(os.path.join(OUT, s.sid), extra)
    print(f"{s.sid}: {n} events, {len(s.incidents)} incidents, {len(s.traps)} traps")


# ---------------------------------------------------------------- scenarios
def rt01():
    s = Scenario("rt4-01", 4101, d(2025, 10, 20) + sec(6 * H), 46,
                 "Fictional Swedish electricity utility \"Mälarkraft\" (grid and retail power, Västmanland).")
    p = s.page("malarkraft", "Mälarkraft", "utility", "Europe/Stockholm", {"mon-fri": "08:00-17:00"}, 4, "SE",
               posts_per_day=1.2, comments_per_post=14, pm_per_day=4, scheduled=SCHED)
    p.admins = admins(s, "sv", [["Meta Business Suite", "Hootsuite"], ["Hootsuite"], ["Facebook for iPhone", "Meta Business Suite"]])
    s.ordinary(p)
    legit_change(s, p, lt(p, 2025, 11, 4, 10, 22, 13), p.admins[0], "phone", "+46 21 10 20 30", "+46 21 444 00 00")
    hijack_role(s, p, lt(p, 2025, 11, 21, 23, 12, 40), p.admins[1], fix_at=lt(p, 2025, 11, 22, 7, 41, 5),
                restorer=p.admins[0], apology="Vår sida kapades i natt. Allt är återställt och inga kunduppgifter har läckt. Förlåt för oron!")
    s.notes.append("hijack_role: admin " + p.admins[1][1] + "'s account (phished) grants MANAGE to a stranger on a Friday night; renamed page, scam posts until the morning cleanup.")
    finish(s)


def rt02():
    s = Scenario("rt4-02", 4102, d(2025, 3, 20) + sec(5 * H), 14,
                 "Fictional Swedish airline \"Nordvinge\" (a very busy page, Swedish with some English).")
    p = s.page("nordvinge", "Nordvinge", "airline", "Europe/Stockholm", {"mon-sun": "06:00-23:00"}, 1, "SE",
               posts_per_day=4, comments_per_post=260, pm_per_day=60, visitor_posts_per_week=10, second_lang="en",
               size=6, weekend_posts=0.8, react_factor=0.7)
    p.admins = admins(s, "sv", [["Meta Business Suite"], ["Meta Business Suite", "Facebook for iPhone"], ["Agorapulse"], ["Agorapulse", "Meta Business Suite"]])
    s.ordinary(p)
    new_app_daytime(s, p, lt(p, 2025, 3, 21, 13, 5, 44), p.admins[1], "Sprout Social")
    crisis_announcement(s, p, lt(p, 2025, 3, 25, 10, 0, 0), p.admins[0], "Meta Business Suite", 2600, 11, mean_h=1.8)
    s.notes.append("crisis_announcement: hand-luggage fee; a very busy page where the baseline is already ~1000 comments a day.")
    finish(s)


def rt03():
    s = Scenario("rt4-03", 4103, d(2025, 5, 5) + sec(6 * H), 46,
                 "Fictional Swedish municipality \"Björkviks kommun\".")
    p = s.page("bjorkviks_kommun", "Björkviks kommun", "municipality", "Europe/Stockholm",
               {"mon-thu": "08:00-16:30", "fri": "08:00-15:00"}, 8, "SE", posts_per_day=1, comments_per_post=8,
               pm_per_day=1.5, closed_on_holidays=True, weekend_posts=0.1)
    p.admins = admins(s, "sv", [["Meta Business Suite"], ["Meta Business Suite"], ["Facebook for Android"]])
    a, b = lt(p, 2025, 6, 1, 3, 10, 22), lt(p, 2025, 6, 2, 8, 24, 51)
    set_gap(s, p, a, b)
    s.ordinary(p)
    crisis_announcement(s, p, lt(p, 2025, 5, 14, 13, 30, 0), p.admins[0], "Meta Business Suite", 240, 9)
    token_expired(s, p, a, b, repeat_min=60)
    nb = newbie(s, "sv")
    legit_role_grant(s, p, lt(p, 2025, 6, 9, 9, 40, 12), p.admins[0], nb, ["MODERATE", "MESSAGING", "CREATE_CONTENT"],
                     lt(p, 2025, 6, 10, 10, 15, 3), "Meta Business Suite")
    more_posts(s, p, (nb[0], nb[1], ["Meta Business Suite"]), "Meta Business Suite", lt(p, 2025, 6, 10, 10, 15, 3), [2, 5, 7])
    holiday_trap(s, p, lt(p, 2025, 5, 29, 0, 0), lt(p, 2025, 5, 30, 17, 0))
    holiday_trap(s, p, lt(p, 2025, 6, 6, 0, 0), lt(p, 2025, 6, 9, 17, 0))
    s.notes.append("health_token_expired: token expires on a Sunday night, errors every hour, fixed Monday morning.")
    s.notes.append("holiday_closed traps: Kristi himmelsfärd and Sveriges nationaldag; the team does not answer, SE holidays in config.")
    finish(s)


def rt04():
    s = Scenario("rt4-04", 4104, d(2026, 4, 6) + sec(6 * H), 42,
                 "Fictional Swedish football club \"IFK Strandby\" (Allsvenskan-style season start; weekend match-day shifts).")
    p = s.page("ifk_strandby", "IFK Strandby", "football", "Europe/Stockholm",
               {"mon-fri": "09:00-17:00", "sat-sun": "12:00-20:00"}, 6, "SE", posts_per_day=2, comments_per_post=40,
               pm_per_day=5, weekend_posts=1.5, visitor_posts_per_week=4, size=3, scheduled=[(10, 0), (18, 0), (19, 30)])
    p.admins = admins(s, "sv", [["Meta Business Suite", "Facebook for iPhone"], ["Later", "Meta Business Suite"], ["Facebook for iPhone"]])
    s.ordinary(p)
    # a lost match: angry fans every week is normal-ish for a club page
    t = lt(p, 2026, 4, 18, 17, 4, 31)
    pid = s.post(p, t, "Slutresultat: IFK Strandby – Vallby IF 0–4. Tungt i dag. Vi ses på tisdag.", (p.admins[0][0], p.admins[0][1]), "Facebook for iPhone", [])
    times = angry_wave(s, p, pid, t + sec(40), 420, 6, p.ind["loss"], ["Heja IFK ändå 💙", "Vi står bakom laget"], [], 1.0)
    add_trap(s, p, "match_day_spike", t, times[-1], "warning", ["crisis"])
    hijack_admin(s, p, lt(p, 2026, 4, 28, 2, 47, 9), p.admins[2], "Facebook for Android", n_posts=5,
                 fix_at=lt(p, 2026, 4, 28, 7, 55, 40), fixer=p.admins[0])
    contest(s, p, lt(p, 2026, 5, 6, 12, 0, 0), p.admins[1], "Later", 1600)
    s.notes.append("hijack_compromised_admin: " + p.admins[2][1] + " (normally Facebook for iPhone, daytime) posts crypto scams at 02:47 from Facebook for Android.")
    s.notes.append("match_day_spike: a 0–4 loss; angry fans for a few hours is routine on a club page (allowed up to warning).")
    finish(s)


def rt05():
    s = Scenario("rt4-05", 4105, d(2026, 3, 16) + sec(6 * H), 42,
                 "Fictional Swedish pharmacy chain \"Apotek Linnea\" (60 pharmacies, weekend social-media shift).")
    p = s.page("apotek_linnea", "Apotek Linnea", "pharmacy", "Europe/Stockholm",
               {"mon-fri": "08:00-20:00", "sat-sun": "10:00-16:00"}, 4, "SE", posts_per_day=1.5, comments_per_post=25,
               pm_per_day=8, closed_on_holidays=True, size=2, scheduled=SCHED)
    p.admins = admins(s, "sv", [["Hootsuite", "Meta Business Suite"], ["Meta Business Suite"], ["Hootsuite"]])
    a, b = lt(p, 2026, 4, 18, 10, 0), lt(p, 2026, 4, 19, 14, 25, 10)
    set_backlog(s, p, a, b)
    s.ordinary(p)
    backlog_questions(s, p, a, b, 14, pms=6)
    legit_change(s, p, lt(p, 2026, 3, 24, 14, 10, 2), p.admins[1], "website", "https://www.apoteklinnea.se", "https://www.apotek-linnea.se",
                 typ="legit_website_change")
    holiday_trap(s, p, lt(p, 2026, 4, 3, 0, 0), lt(p, 2026, 4, 7, 12, 0))
    label_backlog(s, p, a, b)
    s.notes.append("sla_backlog: the weekend shift did not log in on Saturday; questions wait until Sunday afternoon.")
    finish(s)


def rt06():
    s = Scenario("rt4-06", 4106, d(2025, 1, 13) + sec(6 * H), 47,
                 "Fictional Swedish insurer \"Trygga Försäkringar\".")
    p = s.page("trygga", "Trygga Försäkringar", "insurance", "Europe/Stockholm", {"mon-fri": "08:00-17:00"}, 4, "SE",
               posts_per_day=1, comments_per_post=15, pm_per_day=5, scheduled=SCHED)
    p.admins = admins(s, "sv", [["Hootsuite"], ["Meta Business Suite"], ["Meta Business Suite", "Hootsuite"]])
    s.ordinary(p)
    old = s.page_post(p, lt(p, 2025, 1, 15, 10, 0, 0), p.admins[0], "Hootsuite", msg=p.ind["oldpost"]["text"], n_comments=12)
    crisis_old_post(s, p, old, lt(p, 2025, 2, 20, 20, 52, 14), 380, 7)
    rate_limit_blip(s, p, lt(p, 2025, 2, 4, 11, 20, 3), 6)
    nb = (str(s.rng.randint(100000000000000, 100099999999999)), "Mediabyrån Nord AB")
    legit_role_grant(s, p, lt(p, 2025, 1, 28, 14, 2, 55), p.admins[2], nb, ["ADVERTISE", "ANALYZE"], None, None)
    s.notes.append("crisis_old_post: a TV exposé on a Thursday evening; viewers swarm a five-week-old post boasting of 48-hour payouts.")
    s.notes.append("rate_limit_blip: six minutes of Business Use Case rate limiting in office hours; not worth paging anyone.")
    s.notes.append("legit_role_grant: the ad agency gets ADVERTISE+ANALYZE in office hours from a known admin.")
    finish(s)


def rt07():
    s = Scenario("rt4-07", 4107, d(2025, 11, 24) + sec(6 * H), 46,
                 "Fictional Swedish online clothing store \"Klädkammaren.se\" (Black Week to mellandagsrean).")
    p = s.page("kladkammaren", "Klädkammaren.se", "ecommerce", "Europe/Stockholm",
               {"mon-fri": "08:00-20:00", "sat-sun": "10:00-18:00"}, 2, "SE", posts_per_day=2.5, comments_per_post=45,
               pm_per_day=15, closed_on_holidays=True, size=3, scheduled=[(8, 0), (12, 0), (19, 0)])
    p.admins = admins(s, "sv", [["Sprout Social", "Meta Business Suite"], ["Sprout Social"], ["Meta Business Suite", "Facebook for iPhone"]])
    a, b = lt(p, 2025, 12, 15, 13, 0), lt(p, 2025, 12, 15, 16, 48, 0)
    set_backlog(s, p, a, b)
    s.ordinary(p)
    backlog_questions(s, p, a, b, 25, pms=10)
    contest(s, p, lt(p, 2025, 12, 6, 9, 0, 0), p.admins[1], "Sprout Social", 2100)
    holiday_trap(s, p, lt(p, 2025, 12, 23, 18, 0), lt(p, 2025, 12, 27, 18, 0))
    holiday_trap(s, p, lt(p, 2025, 12, 31, 0, 0), lt(p, 2026, 1, 2, 18, 0))
    holiday_trap(s, p, lt(p, 2026, 1, 6, 0, 0), lt(p, 2026, 1, 7, 18, 0))
    label_backlog(s, p, a, b)
    s.notes.append("sla_backlog: the customer-service tool is down on a Monday afternoon before Christmas; nobody answers for almost four hours (SLA 2h).")
    finish(s)


def rt08():
    s = Scenario("rt4-08", 4108, d(2025, 8, 25) + sec(4 * H), 35,
                 "Fictional Swedish regional newspaper \"Norrlandsposten\" (newsdesk posts around the clock).")
    p = s.page("norrlandsposten", "Norrlandsposten", "newspaper", "Europe/Stockholm", {"mon-sun": "06:00-23:00"}, 12, "SE",
               posts_per_day=8, comments_per_post=30, pm_per_day=4, night_posting=True, size=3, weekend_posts=0.8)
    p.admins = admins(s, "sv", [["Meta Business Suite"], ["Meta Business Suite"], ["Meta Business Suite", "Facebook for Android"],
                                ["Facebook for iPhone", "Meta Business Suite"], ["Meta Business Suite"]])
    a, b = lt(p, 2025, 9, 9, 14, 12, 37), lt(p, 2025, 9, 9, 17, 41, 2)
    set_gap(s, p, a, b)
    s.ordinary(p)
    token_expired(s, p, a, b, sub=460, repeat_min=20)
    t = lt(p, 2025, 9, 20, 21, 40, 12)
    pid = s.post(p, t, "JUST NU: Flera skadade efter skottlossning i centrala Umeå. Polisen har spärrat av Rådhustorget.",
                 (p.admins[2][0], p.admins[2][1]), "Meta Business Suite", ["https://www.norrlandsposten.se/nyheter/skottlossning-umea"], ptype="link")
    times = angry_wave(s, p, pid, t + sec(30), 900, 5, p.ind["news"], ["Tack för snabb rapportering"], [], 0.9)
    add_trap(s, p, "breaking_news_spike", t, times[-1], "warning", ["crisis"])
    s.notes.append("health_token_expired: the token owner changes password (190/460) on a Tuesday afternoon; errors every ~20 min until re-authorised.")
    s.notes.append("breaking_news_spike: readers' shock and anger about the news event, not about the paper (allowed up to warning).")
    s.notes.append("The newsdesk posts at night with known admins and known apps: that is normal, not a hijack.")
    finish(s)


def rt09():
    s = Scenario("rt4-09", 4109, d(2025, 4, 22) + sec(6 * H), 45,
                 "Fictional Danish bike shop chain \"Cykelsmeden\" (a small page).")
    p = s.page("cykelsmeden", "Cykelsmeden", "bikeshop", "Europe/Copenhagen", {"mon-fri": "09:00-17:30", "sat": "10:00-14:00"},
               8, "DK", posts_per_day=0.5, comments_per_post=5, pm_per_day=1, visitor_posts_per_week=0.5, size=0.5)
    p.admins = admins(s, "da", [["Meta Business Suite"], ["Facebook for iPhone"]])
    s.ordinary(p)
    nb = newbie(s, "da")
    legit_role_grant(s, p, lt(p, 2025, 5, 6, 11, 20, 40), p.admins[0], nb, ["CREATE_CONTENT", "MODERATE", "MESSAGING"],
                     lt(p, 2025, 5, 7, 14, 0, 18), "Meta Business Suite")
    hijack_role(s, p, lt(p, 2025, 5, 18, 1, 35, 7), None, rename=False, revoke=True, n_posts=4,
                fix_at=lt(p, 2025, 5, 18, 9, 31, 0), restorer=p.admins[0])
    s.notes.append("hijack_role: the platform does not say who granted (actor null); Sunday 01:35; the owner cleans up at 09:31.")
    finish(s)


def rt10():
    s = Scenario("rt4-10", 4110, d(2025, 10, 6) + sec(5 * H), 39,
                 "Fictional Norwegian ferry operator \"Fjordlinjen\" (Vestland).")
    p = s.page("fjordlinjen", "Fjordlinjen", "ferry", "Europe/Oslo", {"mon-sun": "07:00-21:00"}, 3, "NO",
               posts_per_day=1.5, comments_per_post=20, pm_per_day=6, size=2)
    p.admins = admins(s, "no", [["Meta Business Suite"], ["Meta Business Suite", "Facebook for Android"], ["Facebook for iPhone"]])
    s.ordinary(p)
    crisis_announcement(s, p, lt(p, 2025, 10, 16, 11, 0, 0), p.admins[0], "Meta Business Suite", 650, 10)
    new_app_daytime(s, p, lt(p, 2025, 11, 4, 10, 40, 21), p.admins[1], "Canva")
    finish(s)


def rt11():
    s = Scenario("rt4-11", 4111, d(2025, 9, 1) + sec(7 * H), 39,
                 "Fictional Scottish outdoor retailer \"Highland Outfitters\" (English page).")
    p = s.page("highland_outfitters", "Highland Outfitters", "outdoor", "Europe/London",
               {"mon-fri": "09:00-17:30", "sat": "09:00-13:00"}, 4, "GB", posts_per_day=1.2, comments_per_post=10,
               pm_per_day=4, scheduled=[(9, 30), (12, 30), (17, 0)])
    p.admins = admins(s, "en", [["Meta Business Suite"], ["Buffer", "Meta Business Suite"], ["Facebook for iPhone"]])
    s.ordinary(p)
    new_app_daytime(s, p, lt(p, 2025, 9, 9, 11, 2, 17), p.admins[0], "Later")
    hijack_admin(s, p, lt(p, 2025, 9, 24, 13, 47, 2), p.admins[1], "Business Suite Helper", n_posts=3, gap=(6, 14),
                 fix_at=lt(p, 2025, 9, 24, 15, 9, 30), fixer=p.admins[0])
    legit_change(s, p, lt(p, 2025, 10, 1, 10, 30, 44), p.admins[0], "about",
                 "Outdoor kit for Scotland's hills since 1994.", "Outdoor kit for Scotland's hills since 1994. Now in Inverness, Glasgow and Perth.")
    s.notes.append("hijack_compromised_admin in office hours: " + p.admins[1][1] + "'s session is used through an unknown app "
                   "('Business Suite Helper') to post crypto scams with links; a trap of the same shape (new app, daytime) is harmless.")
    finish(s)


def rt12():
    s = Scenario("rt4-12", 4112, d(2025, 6, 2) + sec(6 * H), 39,
                 "Fictional Swedish grocery co-operative \"Handlarna Nord\" with three store pages (medium, small, tiny).")
    spec = {"mon-fri": "08:00-17:00"}
    pl = s.page("handlarna_lulea", "Handlarna Luleå", "grocery", "Europe/Stockholm", spec, 8, "SE", posts_per_day=1,
                comments_per_post=15, pm_per_day=3, closed_on_holidays=True, weekend_posts=0.6)
    pp = s.page("handlarna_pitea", "Handlarna Piteå", "grocery", "Europe/Stockholm", spec, 8, "SE", posts_per_day=0.5,
                comments_per_post=5, pm_per_day=1, closed_on_holidays=True, size=0.4)
    pk = s.page("handlarna_kalix", "Handlarna Kalix", "grocery", "Europe/Stockholm", None, 24, None, posts_per_day=0.3,
                comments_per_post=2, pm_per_day=0.3, size=0.2, visitor_posts_per_week=0.3)
    for pg in (pl, pp, pk):
        pg.admins = admins(s, "sv", [["Meta Business Suite"], ["Facebook for Android", "Meta Business Suite"]])
        s.ordinary(pg)
    nb = newbie(s, "sv")
    legit_role_grant(s, pp, lt(pp, 2025, 6, 9, 10, 0, 31), pp.admins[0], nb, ["MODERATE", "CREATE_CONTENT"],
                     lt(pp, 2025, 6, 11, 13, 0, 9), "Facebook for iPhone")
    hijack_role(s, pk, lt(pk, 2025, 6, 28, 3, 5, 44), pk.admins[1], tasks=["CREATE_CONTENT", "MESSAGING", "ADVERTISE"],
                rename=False, revoke=False, n_posts=6, wait_min=(30, 50), fix_at=lt(pk, 2025, 6, 30, 8, 20, 0), restorer=pk.admins[0])
    holiday_trap(s, pl, lt(pl, 2025, 6, 20, 0, 0), lt(pl, 2025, 6, 23, 12, 0))
    holiday_trap(s, pp, lt(pp, 2025, 6, 20, 0, 0), lt(pp, 2025, 6, 23, 12, 0))
    s.notes.append("hijack_role on the tiny Kalix page: a stranger gets CREATE_CONTENT+MESSAGING+ADVERTISE (no MANAGE, no renaming) at 03:05 "
                   "on a Saturday and posts scams all weekend; nobody notices until Monday 08:20. Kalix has no staffed hours in config.")
    finish(s)


def rt13():
    s = Scenario("rt4-13", 4113, d(2025, 6, 16) + sec(6 * H), 67,
                 "Fictional small Swedish dental clinic \"Leendets Tandklinik\" (a very quiet page; most contact by private message).")
    p = s.page("leendet", "Leendets Tandklinik", "dentist", "Europe/Stockholm", {"mon-thu": "07:30-16:00", "fri": "07:30-13:00"},
               8, "SE", posts_per_day=0.25, comments_per_post=2, pm_per_day=0.6, visitor_posts_per_week=0.2, size=0.15,
               closed_on_holidays=True, weekend_posts=0.0)
    p.admins = admins(s, "sv", [["Facebook for iPhone"], ["Meta Business Suite"]])
    a, b = lt(p, 2025, 8, 11, 7, 30), lt(p, 2025, 8, 14, 15, 12, 0)
    set_backlog(s, p, a, b)
    s.ordinary(p)
    for k, (dd, hh) in enumerate([(11, 9), (11, 19), (12, 8), (12, 21), (13, 10)]):
        q, ans = p.ind["pm"][k % 3]
        s.pm(p, lt(p, 2025, 8, dd, hh, s.rng.randint(0, 59), s.rng.randint(0, 59)), q=q, a=ans)
    legit_change(s, p, lt(p, 2025, 6, 18, 9, 10, 5), p.admins[1], "about", "Familjetandvård i Kungsbacka.",
                 "Familjetandvård i Kungsbacka. Sommaröppet alla vardagar!")
    holiday_trap(s, p, lt(p, 2025, 6, 20, 0, 0), lt(p, 2025, 6, 23, 12, 0))
    label_backlog(s, p, a, b)
    s.notes.append("sla_backlog: the receptionist who handles Facebook is ill Monday–Thursday; five private messages (one about tooth pain) wait for days.")
    finish(s)


def rt14():
    s = Scenario("rt4-14", 4114, d(2025, 12, 8) + sec(6 * H), 46,
                 "Fictional Swedish ski resort \"Fjällbacken\" (Christmas and New Year season; staffed every day).")
    p = s.page("fjallbacken", "Fjällbacken", "skiresort", "Europe/Stockholm", {"mon-sun": "08:00-17:00"}, 4, "SE",
               posts_per_day=1.3, comments_per_post=18, pm_per_day=5, weekend_posts=1.2, size=1.5)
    p.admins = admins(s, "sv", [["Meta Business Suite", "Facebook for iPhone"], ["Facebook for Android"]])
    s.ordinary(p)
    old = s.page_post(p, lt(p, 2025, 12, 10, 10, 0, 0), p.admins[0], "Meta Business Suite", msg=p.ind["oldpost"]["text"], n_comments=25)
    contest(s, p, lt(p, 2025, 12, 22, 12, 0, 0), p.admins[0], "Meta Business Suite", 750)
    crisis_old_post(s, p, old, lt(p, 2026, 1, 10, 20, 31, 40), 320, 8)
    s.notes.append("crisis_old_post: after a snowless, closed January week, season-pass holders swarm the December 'snow guarantee' post on a Saturday evening.")
    finish(s)


def rt15():
    s = Scenario("rt4-15", 4115, d(2026, 2, 2) + sec(6 * H), 32,
                 "Fictional Swedish telecom operator \"Telenordo\" (busy page, staffed 08–22 every day).")
    p = s.page("telenordo", "Telenordo", "telecom", "Europe/Stockholm", {"mon-sun": "08:00-22:00"}, 2, "SE",
               posts_per_day=2, comments_per_post=60, pm_per_day=25, size=4, weekend_posts=0.7)
    p.admins = admins(s, "sv", [["Meta Business Suite"], ["Agorapulse", "Meta Business Suite"], ["Agorapulse"]])
    a, b = lt(p, 2026, 2, 13, 22, 50, 11), lt(p, 2026, 2, 14, 9, 4, 49)
    set_gap(s, p, a, b)
    s.ordinary(p)
    token_expired(s, p, a, b)
    rate_limit_blip(s, p, lt(p, 2026, 2, 10, 10, 2, 0), 4)
    rate_limit_blip(s, p, lt(p, 2026, 2, 24, 15, 30, 40), 8)
    t = lt(p, 2026, 2, 19, 7, 31, 5)
    pid = s.post(p, t, "Störning: just nu har vi problem i mobilnätet i Norrbotten. Vi felsöker och uppdaterar här.",
                 (p.admins[0][0], p.admins[0][1]), "Meta Business Suite", [])
    times = angry_wave(s, p, pid, t + sec(60), 520, 6, p.ind["complaints"] + ["Ingen täckning alls här", "Kan inte ringa 112 ens", "Typiskt"],
                       ["Tack för info"], p.ind["qa"][:1] + [("När funkar det igen?", "Vi räknar med att det är löst till lunch.")], 1.2)
    end = times[-1]
    s.post(p, lt(p, 2026, 2, 19, 12, 5, 30), "Nu fungerar mobilnätet i Norrbotten igen. Förlåt för besväret!", (p.admins[0][0], p.admins[0][1]), "Meta Business Suite", [])
    add_trap(s, p, "outage_spike", t, end, "warning", ["crisis"])
    s.notes.append("health_token_expired: a single 190 error on a Friday 22:50, silence all night, recovered Saturday 09:04.")
    s.notes.append("outage_spike: a network outage the company itself announced; complaints and questions (answered) for a few hours; allowed up to warning.")
    finish(s)


def rt16():
    s = Scenario("rt4-16", 4116, d(2026, 3, 9) + sec(6 * H), 39,
                 "Fictional Finland-Swedish energy company \"Österbottens Energi\" (Vasa; time zone Europe/Helsinki, language Swedish).")
    p = s.page("osterbottens_energi", "Österbottens Energi", "energyfi", "Europe/Helsinki", {"mon-fri": "08:00-16:00"}, 4, "FI",
               posts_per_day=1, comments_per_post=10, pm_per_day=4, closed_on_holidays=True, scheduled=[(9, 0), (13, 0)])
    p.admins = admins(s, "sv", [["Meta Business Suite", "Buffer"], ["Meta Business Suite"], ["Buffer"]])
    s.ordinary(p)
    hijack_admin(s, p, lt(p, 2026, 3, 26, 23, 40, 16), p.admins[1], "Facebook for Android", n_posts=4, rename=True,
                 fix_at=lt(p, 2026, 3, 27, 7, 32, 0), fixer=p.admins[0])
    holiday_trap(s, p, lt(p, 2026, 4, 3, 0, 0), lt(p, 2026, 4, 7, 12, 0))
    s.notes.append("hijack_compromised_admin at 23:40 Helsinki time (22:40 in Stockholm): known admin renames the page and posts scams from an app they never use.")
    finish(s)


def rt17():
    s = Scenario("rt4-17", 4117, d(2025, 6, 9) + sec(6 * H), 46,
                 "Fictional Swedish amusement park \"Äventyrsparken\" (summer season; social team every day 09–19).")
    p = s.page("aventyrsparken", "Äventyrsparken", "amusement", "Europe/Stockholm", {"mon-sun": "09:00-19:00"}, 4, "SE",
               posts_per_day=2, comments_per_post=30, pm_per_day=10, closed_on_holidays=True, weekend_posts=1.0, size=3)
    p.admins = admins(s, "sv", [["Meta Business Suite", "Later"], ["Later"], ["Facebook for iPhone"]])
    s.ordinary(p)
    crisis_announcement(s, p, lt(p, 2025, 7, 8, 10, 0, 0), p.admins[0], "Meta Business Suite", 850, 10)
    holiday_trap(s, p, lt(p, 2025, 6, 20, 0, 0), lt(p, 2025, 6, 23, 12, 0))
    finish(s)


def rt18():
    s = Scenario("rt4-18", 4118, d(2025, 8, 4) + sec(5 * H), 39,
                 "Fictional Danish regional bus company \"Sjællands Bus\" (busy page, weekend shift).")
    p = s.page("sjaellands_bus", "Sjællands Bus", "transit", "Europe/Copenhagen",
               {"mon-fri": "07:00-19:00", "sat-sun": "09:00-15:00"}, 3, "DK", posts_per_day=1.5, comments_per_post=35,
               pm_per_day=12, size=3)
    p.admins = admins(s, "da", [["Meta Business Suite"], ["Meta Business Suite", "Facebook for Android"], ["Hootsuite"]])
    ga, gb = lt(p, 2025, 8, 25, 13, 20, 9), lt(p, 2025, 8, 25, 15, 4, 33)
    set_gap(s, p, ga, gb)
    a, b = lt(p, 2025, 9, 6, 9, 0), lt(p, 2025, 9, 7, 12, 31, 0)
    set_backlog(s, p, a, b)
    s.ordinary(p)
    backlog_questions(s, p, a, b, 12, pms=6)
    token_expired(s, p, ga, gb, sub=467, repeat_min=15)
    legit_change(s, p, lt(p, 2025, 8, 12, 10, 5, 48), p.admins[0], "phone", "+45 70 10 20 30", "+45 70 15 15 15")
    label_backlog(s, p, a, b)
    s.notes.append("health_token_expired in office hours (app de-authorised, 190/467), errors every 15 min for 1h45.")
    finish(s)


def rt19():
    s = Scenario("rt4-19", 4119, d(2025, 1, 6) + sec(6 * H), 39,
                 "Fictional Nordic hotel chain \"Nordic Stay Hotels\" (English page, 24/7 reservations desk, UTC).")
    p = s.page("nordic_stay", "Nordic Stay Hotels", "hotel", "UTC", None, 6, None, posts_per_day=1, comments_per_post=12,
               pm_per_day=10, size=1.5)
    p.admins = admins(s, "en", [["Meta Business Suite"], ["Meta Business Suite", "Facebook for iPhone"]])
    a, b = dt.datetime(2025, 2, 1, 0, 0, tzinfo=UTC), dt.datetime(2025, 2, 1, 14, 2, 0, tzinfo=UTC)
    set_backlog(s, p, a, b)
    s.ordinary(p)
    backlog_questions(s, p, a, b, 4, pms=7)
    new_app_daytime(s, p, dt.datetime(2025, 1, 21, 10, 15, 33, tzinfo=UTC), p.admins[1], "Buffer")
    label_backlog(s, p, a, b)
    s.notes.append("sla_backlog: no staffed hours (24/7 desk, clock-time SLA 6h); the night agent's shift is unfilled and nobody answers until 14:02.")
    finish(s)


def rt20():
    s = Scenario("rt4-20", 4120, d(2025, 1, 13) + sec(6 * H), 39,
                 "Fictional Norwegian power company \"Vestkraft\" (Bergen).")
    p = s.page("vestkraft", "Vestkraft", "power", "Europe/Oslo", {"mon-fri": "08:00-16:00"}, 4, "NO", posts_per_day=1,
               comments_per_post=12, pm_per_day=5, size=1.2)
    p.admins = admins(s, "no", [["Meta Business Suite"], ["Meta Business Suite", "Facebook for iPhone"]])
    s.ordinary(p)
    legit_change(s, p, lt(p, 2025, 1, 28, 13, 0, 27), p.admins[0], "website", "https://www.vestkraft.no", "https://www.vestkraft.no/privat",
                 typ="legit_website_change")
    hijack_role(s, p, lt(p, 2025, 2, 5, 2, 20, 55), None, tasks=["ADVERTISE", "CREATE_CONTENT", "ANALYZE"], rename=False,
                revoke=False, n_posts=4, fix_at=lt(p, 2025, 2, 5, 8, 14, 0), restorer=p.admins[0])
    s.notes.append("hijack_role: a stranger gets ADVERTISE+CREATE_CONTENT+ANALYZE (no MANAGE) at 02:20, granter unknown, and posts scams.")
    finish(s)


def rt21():
    s = Scenario("rt4-21", 4121, d(2025, 10, 6) + sec(6 * H), 39,
                 "Fictional Swedish car dealer and workshop \"Bilhallen Växjö\" (small page).")
    p = s.page("bilhallen_vaxjo", "Bilhallen Växjö", "cardealer", "Europe/Stockholm", {"mon-fri": "08:00-17:00", "sat": "10:00-14:00"},
               8, "SE", posts_per_day=0.7, comments_per_post=4, pm_per_day=1, size=0.4)
    p.admins = admins(s, "sv", [["Facebook for iPhone"], ["Meta Business Suite"]])
    s.ordinary(p)
    hijack_admin(s, p, dt.datetime(2025, 10, 26, 2, 30, 12, tzinfo=p.tz).astimezone(UTC), p.admins[0], "Facebook Lite", n_posts=3,
                 rename=True, website=True, gap=(15, 40), fix_at=lt(p, 2025, 10, 26, 10, 40, 0), fixer=p.admins[1])
    s.notes.append("hijack_compromised_admin in the DST night (02:30 CEST, before the clocks go back): the owner's account renames the page, "
                   "changes its website and posts scams via Facebook Lite. The dst trap allows info only; the incident wins where they overlap.")
    finish(s)


def rt22():
    s = Scenario("rt4-22", 4122, d(2026, 3, 23) + sec(6 * H), 46,
                 "Fictional Swedish public library \"Hallsta bibliotek\" (quiet page, no incidents).")
    p = s.page("hallsta_bibliotek", "Hallsta bibliotek", "library", "Europe/Stockholm",
               {"mon-thu": "10:00-19:00", "fri": "10:00-16:00", "sat": "10:00-14:00"}, 8, "SE", posts_per_day=0.6,
               comments_per_post=3, pm_per_day=0.5, closed_on_holidays=True, size=0.3)
    p.admins = admins(s, "sv", [["Meta Business Suite"], ["Facebook for Android"]])
    s.ordinary(p)
    nb = newbie(s, "sv")
    legit_role_grant(s, p, lt(p, 2026, 4, 13, 10, 5, 42), p.admins[0], nb, FULL, lt(p, 2026, 4, 14, 11, 0, 6), "Meta Business Suite")
    more_posts(s, p, (nb[0], nb[1], ["Meta Business Suite"]), "Meta Business Suite", lt(p, 2026, 4, 14, 11, 0, 6), [1, 6, 8, 14])
    new_app_daytime(s, p, lt(p, 2026, 4, 22, 14, 20, 9), p.admins[1], "Canva")
    holiday_trap(s, p, lt(p, 2026, 4, 3, 0, 0), lt(p, 2026, 4, 7, 12, 0))
    holiday_trap(s, p, lt(p, 2026, 5, 1, 0, 0), lt(p, 2026, 5, 4, 12, 0))
    s.notes.append("legit_role_grant: the new library manager gets full MANAGE from the outgoing manager on a Monday morning, then posts normally.")
    finish(s)


def rt23():
    s = Scenario("rt4-23", 4123, d(2025, 3, 10) + sec(6 * H), 39,
                 "Fictional Swedish homeware brand \"Norrsken\" with a Swedish and a UK page.")
    ps = s.page("norrsken_se", "Norrsken Hem", "homeware", "Europe/Stockholm", {"mon-fri": "08:00-17:00"}, 4, "SE",
                posts_per_day=1.2, comments_per_post=14, pm_per_day=5, size=1.2, scheduled=SCHED)
    pu = s.page("norrsken_uk", "Norrsken Home UK", "homeware_uk", "Europe/London", {"mon-fri": "09:00-17:00"}, 4, "GB",
                posts_per_day=1, comments_per_post=8, pm_per_day=3, scheduled=[(9, 0), (12, 0), (16, 0)])
    ps.admins = admins(s, "sv", [["Hootsuite", "Meta Business Suite"], ["Hootsuite"]])
    pu.admins = [ps.admins[0]] + admins(s, "en", [["Hootsuite", "Meta Business Suite"]])
    a, b = lt(ps, 2025, 3, 20, 12, 0), lt(ps, 2025, 3, 21, 10, 33, 0)
    set_backlog(s, ps, a, b)
    s.ordinary(ps)
    s.ordinary(pu)
    backlog_questions(s, ps, a, b, 9, pms=5)
    crisis_announcement(s, pu, lt(pu, 2025, 4, 7, 9, 30, 0), pu.admins[1], "Meta Business Suite", 420, 9)
    label_backlog(s, ps, a, b)
    s.notes.append("sla_backlog on the Swedish page: the whole team is at a trade fair Thursday afternoon to Friday morning.")
    s.notes.append("crisis_announcement on the UK page (end of free returns).")
    finish(s)


def rt24():
    s = Scenario("rt4-24", 4124, d(2025, 12, 1) + sec(6 * H), 46,
                 "Fictional Swedish gym chain \"Kraftgymmet\" (Christmas and January rush).")
    p = s.page("kraftgymmet", "Kraftgymmet", "gym", "Europe/Stockholm", {"mon-fri": "08:00-18:00", "sat-sun": "10:00-14:00"}, 4, "SE",
               posts_per_day=1.3, comments_per_post=25, pm_per_day=10, closed_on_holidays=True, size=2)
    p.admins = admins(s, "sv", [["Meta Business Suite"], ["Meta Business Suite", "Facebook for iPhone"], ["Later"]])
    s.ordinary(p)
    hijack_role(s, p, lt(p, 2025, 12, 24, 22, 40, 3), p.admins[1], n_posts=7, fix_at=lt(p, 2025, 12, 25, 11, 32, 0),
                restorer=p.admins[0], apology="Vårt konto kapades på julafton. Allt är återställt nu. Klicka inte på länkar i de borttagna inläggen!")
    crisis_announcement(s, p, lt(p, 2026, 1, 12, 9, 0, 0), p.admins[0], "Meta Business Suite", 720, 10)
    holiday_trap(s, p, lt(p, 2025, 12, 24, 0, 0), lt(p, 2025, 12, 29, 12, 0))
    holiday_trap(s, p, lt(p, 2025, 12, 31, 0, 0), lt(p, 2026, 1, 2, 12, 0))
    holiday_trap(s, p, lt(p, 2026, 1, 6, 0, 0), lt(p, 2026, 1, 7, 12, 0))
    s.notes.append("hijack_role on julafton evening; the team is off until the next late morning.")
    finish(s)


ALL = [rt01, rt02, rt03, rt04, rt05, rt06, rt07, rt08, rt09, rt10, rt11, rt12, rt13, rt14, rt15, rt16, rt17, rt18, rt19,
       rt20, rt21, rt22, rt23, rt24]

if __name__ == "__main__":
    only = os.environ.get("ONLY")
    if not only and os.path.isdir(OUT):
        shutil.rmtree(OUT)
    for f in ALL:
        if only and f.__name__ not in only.split(","):
            continue
        f()
