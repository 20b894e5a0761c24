"""rt5 scenarios 09-16: crises and SLA."""
import datetime as dt

from engine import Scenario
from common import D, mkpage, wave, ALL

MBS, HOOT, IPH, AND = "Meta Business Suite", "Hootsuite", "Facebook for iPhone", "Facebook for Android"


def s09(sid):
    sc = Scenario(sid, 509, "Norwegian web shop: Black Friday comment spike (trap), then a slow burn over late deliveries the following week.")
    team = [("Marte Solberg", MBS), ("Eirik Haugen", MBS), ("Linn Aasen", HOOT), ("Petter Strand", MBS)]
    p = mkpage(sc, "nordvik_netthandel", "Nordvik Netthandel", "no", {"mon-sun": "09:00-21:00"}, 6, team,
               ["hodetelefoner", "airfryer", "robotstøvsuger", "vinterjakke", "kaffemaskin", "smartklokke"], people=2500)
    d0 = D("2025-10-20")
    p.ordinary(d0, 46, posts_wd=2, posts_we=1.5, cpp=16, rpp=1.5, msgs=8, visitor=0.3)
    tb = p.at(D("2025-11-28"), 7, 0)
    bp = p.post(tb, "BLACK FRIDAY er i gang! Opptil 60 % på tusenvis av varer – kun i dag ⚡", member=p.team[2])
    wave(p, tb, [bp], [(0, 90), (3, 70), (10, 50), (15, 20), (18, 3)], ["Handlekurven er full 😅", "Endelig!", "Kjøpte airfryer til 499, takk!", "Digge priser", "Nettsiden henger litt men fikk bestilt", "Fy søren for tilbud"],
         qtexts=["Gjelder tilbudet også i butikken?", "Når kommer robotstøvsugeren på lager igjen?"], qshare=0.12, react_profile=[(0, 80), (15, 20)], react_kind="like")
    sc.trap(p, "black_friday_spike", tb, tb + 20 * 3600, "info", ["crisis"])
    to = p.at(D("2025-12-02"), 9, 14, 30)
    sp = p.post(p.at(D("2025-12-02"), 8, 45), "God morgen! Husk at julegavene kan byttes helt til 15. januar 🎁", member=p.team[0])
    late = ["Bestilte på fredag og har fortsatt ikke fått noen sporing.", "Pakken står som 'under behandling' for femte dag.", "Aldri mer Black Friday hos dere.",
            "Fikk feil vare og ingen svarer på e-post.", "Sporingsnummeret virker ikke.", "Dette er skuffende, jeg trengte den til bursdag i morgen.", "Totalt kaos på lageret deres tydeligvis.",
            "Pengene er trukket men ingen ordre i systemet.", "Venter fortsatt. Utrolig dårlig.", "Kundeservice har over en times kø.", "Jeg har sendt tre meldinger uten svar."]
    qs = ["Hvor er pakken min? Ordre {product}.", "Når kommer bestillingene fra fredag?", "Kan jeg kansellere og få pengene tilbake?"]
    end = wave(p, to, [sp] + [pid for ts, pid in p.posts if ts > tb - 3600][:3], [(0, 6), (3, 14), (6, 24), (10, 40), (14, 30), (20, 12), (30, 8)], late, qtexts=qs, qshare=0.25,
               ans_texts=["Hei {name}! Vi beklager forsinkelsen – lageret har hatt ekstremt mye å gjøre. Send ordrenummeret i melding så sjekker vi. /{sig}"],
               react_profile=[(0, 5), (10, 30), (20, 5)], react_w={"angry": 4, "sad": 1})
    start, thr = p.twice_normal(to, 21, 12)
    sc.incident(p, "crisis", "crisis_slow_burn_delivery", start, end + 3600, "warning", 1800, onset=to)
    sc.notes += ["Trap t1: Fri 28 Nov Black Friday sale post with a day-long spike of buying comments: at most info.",
                 f"Incident i1: Tue 2 Dec from 09:14 complaints about late Black Friday parcels build over ~10 h on recent posts (peak ~40/h in the evening). Start = {p.iso(start)} (trailing hour {thr:.0f} = 2x normal, floor 12). Warning within 1800 s."]
    return sc


def s10(sid):
    sc = Scenario(sid, 510, "UK energy supplier: quiet summer bank holiday (trap), then a wave of angry reactions to a price-rise post.")
    team = [("Priya Shah", MBS), ("Callum Reid", MBS), ("Megan Hughes", HOOT)]
    p = mkpage(sc, "brightwater_energy", "Brightwater Energy", "en", {"mon-fri": "08:00-20:00", "sat": "09:00-17:00"}, 4, team,
               ["smart meter", "fixed tariff", "EV tariff", "direct debit", "boiler cover", "solar panels"], people=3000)
    d0 = D("2025-07-28")
    p.ordinary(d0, 40, posts_wd=2, posts_we=0.6, cpp=14, rpp=3.0, msgs=8, visitor=0.2, quiet=lambda d: 0.3 if d == D("2025-08-25") else 1.0)
    hb = p.at(D("2025-08-25"), 0, 0)
    sc.trap(p, "bank_holiday_quiet", hb, hb + 36 * 3600, "info", ["sla", "health", "crisis"])
    to = p.at(D("2025-09-02"), 10, 0, 4)
    pp = p.post(to, "From 1 October our standard variable tariff will rise by 9%. We know this is difficult news. Customers on fixed tariffs are not affected. Find out more and get support: brightwater.example/prices", member=p.team[0], typ="link", links=["https://www.brightwaterenergy.example/prices"])
    com = ["9% on top of last year's rise. Unbelievable.", "Record profits and we pay for it.", "Switching as soon as I can.", "Pensioners will freeze this winter because of this.", "Absolutely disgraceful.",
           "Shareholders first as always.", "No one can afford this.", "Moving to another supplier today."]
    qs = ["Am I on a fixed tariff? I can't see it in the app", "How do I get a payment plan?"]
    end = wave(p, to + 60, [pp], [(0, 18), (2, 28), (6, 22), (12, 8), (24, 3)], com, qtexts=qs, qshare=0.2,
               ans_texts=["Hi {name}, sorry this is tough news. Drop us a message with your account number and we'll check your tariff and support options. ^{sig}"],
               react_profile=[(0, 300), (1, 700), (3, 600), (6, 250), (12, 60), (24, 10)], react_w={"angry": 12, "sad": 2, "like": 1})
    start, thr = p.twice_normal(to + 60, 21, 30, kinds=("reaction.created",), pred=lambda e: e["object"]["reaction"] == "angry")
    sc.incident(p, "crisis", "crisis_angry_reaction_wave", start, end + 3600, "warning", 1800, onset=to)
    sc.notes += ["Trap t1: Mon 25 Aug (summer bank holiday) the page is quiet and the team is off; questions wait till Tuesday: at most info.",
                 f"Incident i1: Tue 2 Sep 10:00 price-rise post; thousands of angry reactions within hours while comments rise only modestly. Start = {p.iso(start)} when trailing-hour angry reactions reached {thr:.0f} (2x the normal hourly count of all reactions, floor 30). Warning within 1800 s."]
    return sc


def s11(sid):
    sc = Scenario(sid, 511, "Small Swedish harbour restaurant: rhetorical grumbling that asks nothing (trap), then a Sunday-evening storm over alleged food poisoning.")
    team = [("Maja Ek", IPH), ("Gustav Sjölund", IPH)]
    p = mkpage(sc, "hamnkrogen", "Bistro Hamnkrogen", "sv", {"tue-sat": "10:00-18:00"}, 8, team,
               ["fisksoppa", "räksmörgås", "dagens lunch", "sillbricka", "kladdkaka", "vinlistan"], people=300, places=["Strömstad", "hamnen", "Koster", "Skeppsbron"])
    d0 = D("2025-06-23")
    p.ordinary(d0, 42, posts_wd=0.8, posts_we=0.8, cpp=4, rpp=4, msgs=1.0, visitor=0.06, slots=[(9, 30), (11, 0), (16, 0)])
    tr = p.at(D("2025-07-15"), 11, 0)
    rp = p.post(tr, "Från och med idag höjer vi priset på dagens lunch till 145 kr. Råvarupriserna har stigit kraftigt i år.", member=p.team[0])
    rh = ["145 kr för en lunch, vem har råd med det.", "Det var trevligt så länge det varade.", "Snart kostar en räkmacka lika mycket som en bil.", "Jaha. Då blir det matlåda igen.",
          "Allt blir dyrare utom min lön.", "Tråkigt, men jag förstår."]
    wave(p, tr + 120, [rp], [(0, 3), (4, 2), (10, 0.5)], rh)
    sc.trap(p, "rhetorical_complaints", tr, tr + 36 * 3600, "info", ["sla", "crisis"])
    to = p.at(D("2025-07-27"), 18, 42, 10)
    vp = p.visitor_post(to, p.person(), "Hela vårt sällskap på sex personer blev magsjuka efter lunchen här i lördags. Fisksoppan luktade konstigt redan då. Varning!")
    ang = ["Samma sak hände min man! Vi var där vid 13.", "Usch, aldrig mer.", "Stämmer, jag har legat däckad hela natten.", "Det här måste anmälas till miljöförvaltningen.",
           "Otroligt att de inte säger något.", "Delar så fler ser det.", "Vi avbokar vår bordsbokning på fredag.", "Hoppas ni mår bättre nu!", "Har alltid tyckt det varit skumt i köket där.", "Tack för varningen."]
    qs = ["Har ni kontaktat miljöförvaltningen?", "Kommer ni att svara på det här?"]
    end = wave(p, to + 400, [vp], [(0, 8), (1, 20), (3, 26), (5, 12), (8, 3), (16, 1)], ang, qtexts=qs, qshare=0.1,
               ans_texts=["Hej {name}! Vi tar detta på största allvar och har själva kontaktat miljöförvaltningen. Vi återkommer. /{sig}"], reply_share=0.2)
    start, thr = p.twice_normal(to + 400, 21, 8)
    sc.incident(p, "crisis", "crisis_small_page_storm", start, end + 3600, "warning", 1800, onset=to)
    sc.notes += ["Trap t1: Tue 15 Jul a lunch price rise draws a few sour, rhetorical comments that ask nothing: no SLA clock, no crisis.",
                 f"Incident i1: Sun 27 Jul 18:42 a visitor post about food poisoning; ~90 comments in a few hours on a page that gets a handful a day. Start = {p.iso(start)} (trailing hour {thr:.0f} = 2x normal, floor 8). Warning within 1800 s."]
    return sc


def s12(sid):
    sc = Scenario(sid, 512, "Norwegian ferry operator: an old post resurfaces on a Saturday night and turns into a storm; a short rate-limit blip at night (trap).")
    team = [("Tone Lunde", MBS), ("Sindre Nygård", MBS), ("Kristin Halvorsen", IPH)]
    p = mkpage(sc, "hardangerferja", "Hardangerferja", "no", {"mon-sun": "07:00-22:00"}, 2, team,
               ["billett", "bilferje", "hurtigbåt", "periodekort", "sykkelplass", "kiosken"], people=1500, places=["Utne", "Kinsarvik", "Kvanndal", "Norheimsund", "Odda", "Jondal"])
    d0 = D("2025-05-19")
    p.ordinary(d0, 42, posts_wd=1.5, posts_we=1, cpp=9, rpp=2.0, msgs=5, visitor=0.25, slots=[(7, 0), (9, 0), (12, 0), (16, 0), (19, 0)])
    tb = p.at(D("2025-06-10"), 3, 14, 2)
    p.source_error(tb, 4, "Application request limit reached", 600)
    p.source_recovered(tb + 780)
    sc.drop(p, tb, tb + 780)
    sc.trap(p, "night_rate_limit_blip", tb, tb + 780, "info", ["health"])
    old = [pid for ts, pid in p.posts if D("2025-06-06") <= p.local(ts).date() <= D("2025-06-08")][0]
    to = p.at(D("2025-06-28"), 22, 31, 40)
    ang = ["Så dette er sånn dere behandler rullestolbrukere? Skammelig.", "Har sett videoen. Dere burde skamme dere.", "Sikkerhetsregler my ass, dette er diskriminering.", "Deler videre.",
           "Helt uakseptabelt av mannskapet.", "Boikott til dette er ordnet opp i.", "Hvordan kan dette skje i 2025??", "Jeg skammer meg over å ha reist med dere.", "Noen må få sparken for dette.",
           "Stakkars mann, han skulle bare hjem.", "Dette må Vegvesenet se på."]
    qs = ["Hva skjedde egentlig på ferja i Kvanndal?", "Kommer dere til å beklage offentlig?"]
    end = wave(p, to, [old], [(0, 20), (0.7, 70), (2, 90), (4, 50), (8, 10), (14, 20), (20, 8)], ang, qtexts=qs, qshare=0.08,
               ans_texts=["Hei {name}. Vi har sett videoen og tar saken svært alvorlig. Vi kommer med en uttalelse i løpet av dagen. /{sig}"],
               react_profile=[(0, 50), (2, 120), (8, 10)], react_w={"angry": 8, "sad": 2})
    start, thr = p.twice_normal(to, 21, 10)
    sc.incident(p, "crisis", "crisis_old_post_weekend_night", start, end + 3600, "warning", 1800, onset=to)
    sc.notes += ["Trap t1: Tue 10 Jun 03:14 a 13-minute Graph API rate-limit error with retry_after, at night on a page that is quiet then: at most info.",
                 f"Incident i1: Sat 28 Jun 22:31 a video is shared and angry comments pour onto an old post from early June (peak ~90/h after midnight). Start = {p.iso(start)} (trailing hour {thr:.0f} = 2x normal, floor 10). Warning within 1800 s."]
    return sc


def s13(sid):
    sc = Scenario(sid, 513, "Danish bike shop: a quiet Easter when the shop is closed (trap), then a Monday when nobody answers the public questions.")
    team = [("Nikolaj Kjær", IPH), ("Ida Holm", MBS)]
    p = mkpage(sc, "cykelhuset_aarhus", "Cykelhuset Aarhus", "da", {"mon-fri": "10:00-17:30", "sat": "10:00-14:00"}, 4, team,
               ["ladcykel", "elcykel", "cykelhjelm", "vinterdæk", "cykelservice", "børnecykel"], people=600, places=["Aarhus C", "Trøjborg", "Risskov", "Viby", "Højbjerg"])
    d0 = D("2025-03-10")
    p.absent = [(p.at(D("2025-04-28"), 10, 0), p.at(D("2025-04-28"), 16, 30))]
    p.ordinary(d0, 51, posts_wd=1.0, posts_we=0.5, cpp=6, rpp=3, msgs=2.5, visitor=0.12, qshare=0.3,
               quiet=lambda d: 0.4 if D("2025-04-17") <= d <= D("2025-04-21") else 1.0)
    h0 = p.at(D("2025-04-17"), 0, 0)
    sc.trap(p, "easter_closed_quiet", h0, p.at(D("2025-04-22"), 12, 0), "info", ["sla", "health", "crisis"])
    late = [q for q in p.late_questions()]
    assert late, "s13 needs late questions"
    st = min(q[1] for q in late)
    en = max(q[2] for q in late)
    sc.incident(p, "sla", "sla_public_questions_monday", st, en, "warning", 900)
    sc.notes += ["Trap t1: Easter (17–21 Apr, Danish public holidays): the shop is closed, the page is quiet and questions wait until Tuesday: at most info.",
                 f"Incident i1: Mon 28 Apr nobody answers between 10:00 and 16:30; {len(late)} questions/messages pass the 4 h staffed-time promise. Start = the first deadline missed ({p.iso(st)}), end = last late answer."]
    return sc


def s14(sid):
    sc = Scenario(sid, 514, "Small Norwegian yarn shop: private messages left unanswered while the owner is away; a short source outage at night (trap).")
    team = [("Solveig Brekke", IPH)]
    p = mkpage(sc, "garnkroken", "Garnkroken", "no", {"mon-fri": "10:00-16:00"}, 8, team,
               ["alpakkagarn", "strikkepinner", "mønsterhefte", "ullgarn", "strikkekurs", "heklenål"], people=200, places=["Bergen", "Os", "Askøy", "Sotra"])
    d0 = D("2025-09-15")
    p.absent = [(p.at(D("2025-10-21"), 10, 0), p.at(D("2025-10-23"), 10, 30))]
    p.ordinary(d0, 42, posts_wd=0.5, posts_we=0.3, cpp=3, rpp=4, msgs=0.8, visitor=0.04, qshare=0.15, slots=[(10, 0), (13, 0)])
    # extra DMs while the owner is away
    dms = ["Hei! Har dere fortsatt alpakkagarn i farge 312? Trenger 6 nøster.", "Når starter neste strikkekurs? Vil gjerne melde meg på.", "Hei, kan dere sende mønsterhefte nr. 4 til Voss?",
           "Jeg bestilte garn for en uke siden og har ikke fått noe, kan dere sjekke ordre 55821?"]
    for i, m in enumerate(dms):
        p.dm(p.at(D("2025-10-21"), 10 + 2 * i, p.rng.randint(0, 59)), p.person(), m)
    tb = p.at(D("2025-10-07"), 2, 3, 30)
    p.source_error(tb, 2, "An unexpected error has occurred. Please retry your request later.", None)
    p.source_recovered(tb + 1500)
    sc.drop(p, tb, tb + 1500)
    sc.trap(p, "night_outage_quiet_page", tb, tb + 1500, "info", ["health"])
    late = p.late_questions()
    st = min(q[1] for q in late)
    en = max(q[2] for q in late)
    sc.incident(p, "sla", "sla_private_messages_unanswered", st, en, "warning", 900)
    sc.notes += ["Trap t1: Tue 7 Oct 02:03–02:28 the Graph API returns a transient error and then recovers; the page gets nothing at that hour anyway: at most info.",
                 f"Incident i1: Tue 21 – Thu 23 Oct the owner is away; {len(late)} private messages/questions wait past the 8 h staffed-time promise. Start = first missed deadline ({p.iso(st)}), end = last late answer."]
    return sc


def s15(sid):
    sc = Scenario(sid, 515, "London bike shop: angry but question-free comments about a price list (trap); later, follow-up questions in answered threads are left hanging.")
    team = [("Rhys Morgan", MBS), ("Zara Ahmed", IPH)]
    p = mkpage(sc, "spokes_sprockets", "Spokes & Sprockets", "en", {"mon-sat": "09:00-17:30"}, 4, team,
               ["e-bike", "puncture repair", "full service", "cargo bike", "bike lights", "winter tyres"], people=700, places=["Hackney", "Dalston", "Stoke Newington", "Islington", "Bow"])
    d0 = D("2025-01-20")
    p.ordinary(d0, 40, posts_wd=1.1, posts_we=0.6, cpp=6, rpp=3, msgs=2, visitor=0.1, qshare=0.25)
    tp = p.at(D("2025-02-11"), 12, 10)
    pp = p.post(tp, "Our 2025 service prices are now live. A full service is now £95, still with free collection in E8 and E9.", member=p.team[0])
    rant = ["£95. Absolute joke.", "Used to be £60 not that long ago.", "Guess I'm learning to fix my own bike then.", "Everything goes up except wages.", "Another shop pricing out normal people.",
            "Great, just great.", "Not impressed at all."]
    wave(p, tp + 200, [pp], [(0, 5), (3, 3), (8, 1), (20, 0.3)], rant)
    sc.trap(p, "angry_no_question", tp, tp + 30 * 3600, "info", ["sla", "crisis"])
    # follow-ups on 25 Feb (Tuesday)
    day = D("2025-02-25")
    posts = [pid for ts, pid in p.posts if p.local(ts).date() <= day - dt.timedelta(days=1)][-3:]
    fus = [("Do you service Bromptons?", "Brilliant, thanks. And could I drop it off before 9 on Thursday?"),
           ("How long does a full service take?", "OK thanks. Can you also look at the gears while it's in?"),
           ("Do you sell cargo bikes?", "Great! Is it possible to book a test ride this Saturday?")]
    qids = []
    for i, (q1, q2) in enumerate(fus):
        t = p.at(day, 9, 40) + 600 * i
        per = p.person()
        qid = p.comment(t, posts[i], per, q1)
        qids.append(qid)
        r = t + p.rng.uniform(900, 2400)
        p.page_comment(r, posts[i], qid, f"Hi {per['name'].split()[0]}! Yes we do – happy to help. ^{p.sig()}")
        p.questions.append((t, p.add_staffed(t, p.sla_min), r, "q"))
        t2 = r + p.rng.uniform(600, 1800)
        p.ask(t2, posts[i], per, q2, parent=qid, answer=False, label="followup")
    late = p.late_questions()
    st = min(q[1] for q in late)
    fix = p.at(D("2025-02-26"), 10, 5)
    for i in range(3):
        p.page_comment(fix + 120 * i, posts[i], qids[i], "Sorry for the slow reply on this one – yes, all possible, just drop us a message to book. ^" + p.sig())
    sc.incident(p, "sla", "sla_followup_in_thread", st, fix, "warning", 900)
    sc.notes += ["Trap t1: Tue 11 Feb a price-list post draws grumbling comments that ask nothing: no SLA clock, no crisis.",
                 "Incident i1: Tue 25 Feb three customers get an answer and then ask a follow-up question in the same thread; the follow-ups are never answered that day. Start = the first follow-up's 4 h staffed deadline; end = next-morning catch-up replies in the threads."]
    return sc


def s16(sid):
    sc = Scenario(sid, 516, "Swedish pharmacy chain: a legit new colleague gets a role (trap); one Saturday nobody staffs the inbox.")
    team = [("Sara Lindqvist", MBS), ("Henrik Palm", MBS), ("Jenny Åström", MBS)]
    p = mkpage(sc, "halsokallan", "Hälsokällan Apotek", "sv", {"mon-fri": "08:00-18:00", "sat": "10:00-15:00"}, 2, team,
               ["receptet", "solskydd", "allergitabletter", "vitaminer", "hudkräm", "nässpray"], people=2000)
    d0 = D("2025-04-28")
    p.absent = [(p.at(D("2025-06-07"), 10, 0), p.at(D("2025-06-09"), 8, 0))]
    p.ordinary(d0, 45, posts_wd=1.6, posts_we=0.8, cpp=10, rpp=2, msgs=9, visitor=0.2)
    for i, m in enumerate(["Hej! Mitt recept syns inte i appen, kan ni hjälpa mig?", "Kan jag hämta ut min mammas medicin med hennes fullmakt i Uppsala?", "Hej, min beställning 7712034 har inte kommit till utlämningsstället.",
                           "Går det att ändra hämtställe på order 7712990?"]):
        p.dm(p.at(D("2025-06-07"), 10, 15) + 1500 * i, p.person(), m)
    tg = p.at(D("2025-05-13"), 9, 14, 50)
    nu = {"id": "1000" + str(p.rng.randint(10**10, 10**11 - 1)), "name": "Amira Haddad"}
    p.grant(tg, p.member_actor(p.team[0]), nu, ["MODERATE", "MESSAGING"])
    sc.trap(p, "legit_role_grant", tg, tg + 3600, "warning", ["hijack"])
    late = p.late_questions()
    st = min(q[1] for q in late)
    en = max(q[2] for q in late)
    sc.incident(p, "sla", "sla_saturday_inbox", st, en, "warning", 900)
    sc.notes += ["Trap t1: Tue 13 May 09:14 the team lead gives a new colleague MODERATE+MESSAGING: at most warning.",
                 f"Incident i1: Sat 7 Jun (10:00–15:00 staffed) nobody answers; {len(late)} messages/questions pass the 2 h promise and are answered Monday. Start = first missed deadline ({p.iso(st)}). 7 Jun is not a Swedish holiday (midsommarafton is 20 Jun)."]
    return sc


SCENARIOS = [s09, s10, s11, s12, s13, s14, s15, s16]
