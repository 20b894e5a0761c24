"""Slow burns paged on time, happy spikes left at info: simulated pages through the whole product (``sentinel replay``).

    python bench/slow_burn.py                       # in-sample seeds 1-3 and out-of-sample seeds 4-8, three sizes
    python bench/slow_burn.py --seeds 4,5 --sizes 1 --kinds slow-burn
    python bench/slow_burn.py --events ev.jsonl --alerts alerts.jsonl   # one scenario you simulated and replayed
    python bench/slow_burn.py --seeds 1,2,3 --set false_alarms=3 --set min_negative=2   # crisis.slow_burn otherwise
    python bench/slow_burn.py --language da                    # the same pages, their visitors writing Danish

For each kind (``sentinel simulate --crisis KIND``), seed and size of the first page (``first_volume``: 1.0 is a busy
national retailer, 0.3 a small shop) it simulates one page for 28 days, replays it with the shipped rules and reads:

- **paged kinds** (slow-burn, complaint-wave): when the trailing hour reaches twice the page's normal for that
  minute (the mean of the same trailing hour over the seven days before), checked every minute from the crisis's
  first comment. The crisis's own comments are told apart by simulating the same seed without it (the ordinary
  life is the same). "own" is the first minute its own comments alone reach the normal (the crisis has doubled the
  hour, whatever the chance traffic around it): the delays are counted from there. "own stays" is the first minute
  from which they stay there for an hour: in an hour whose normal is under one comment (the normal is floored at
  one), "own" is the crisis's first comment, however long the next one takes. "touch" is the first minute the
  whole trailing hour reaches twice normal (often a busy post by chance), "stays" the first from which it stays
  there for an hour. A page is the page's first crisis alert of warning or above (to a person); the limit is 30
  minutes.
  Beside it, when ``crisis.slow_burn`` first fired, and what held it back: the page's comments are run again through
  the rule's own detector (its settings from rules/crisis.yaml) and, for each of its tests (``vol``: the trailing
  hour at the volume gate, or its negative comments beyond the usual at the gate's excess; ``neg``: ``min_negative``
  negative comments, more than usual; ``share``: the extra
  comments' negative share; ``evid``: the evidence at its threshold), the first minute from "own" at which it held
  ("-": not within four hours). The test that holds last is what kept the burn waiting.
- **quiet kinds** (launch, contest, live-night): the highest severity of the page's crisis alerts during the spike
  (its day; for live nights, Thursday evenings): info is the promise. Crisis warnings on the page's other days are
  listed apart: they are false alarms of ordinary life, not of the spike.

Seeds 1-3 were looked at while the ``sustained`` detector was built (in-sample); 4-8 were not (out-of-sample).
"""

from __future__ import annotations

import argparse
import bisect
import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sentinel.simulate.spec import TIMEZONE  # noqa: E402
from sentinel.simulate.waves import LIVE_HOUR, LIVE_WEEKDAY  # noqa: E402

IN_SAMPLE = (1, 2, 3)
OUT_OF_SAMPLE = (4, 5, 6, 7, 8)
PAGED = ("slow-burn", "complaint-wave")
QUIET = ("launch", "contest", "live-night")
RANK = {"": 0, "info": 1, "warning": 2, "critical": 3}
SLOW_BURN_RULE = "crisis.slow_burn"  # when it fires is reported beside the page's first crisis page
TESTS = ("vol", "neg", "share", "evid")
SET: dict[str, Any] = {}  # --set: crisis.slow_burn's detect block changed for this run
LANGUAGE = ["sv"]  # --language: what the visitors write and the page's configured language (--visitors)


def _trailing(times: list[datetime], t: datetime) -> int:
    return bisect.bisect_right(times, t) - bisect.bisect_right(times, t - timedelta(hours=1))


def crossing(
    comments: list[datetime], start: datetime, own: list[datetime] | None = None
) -> tuple[datetime | None, datetime | None, datetime | None, datetime | None, int, float]:
    """From ``start`` (12 hours on), the first minute the trailing hour reaches twice normal ("touch"), the first from
    which it stays there for an hour ("stays"), the first at which the crisis's ``own`` comments alone reach the
    normal ("own": the crisis doubles the hour, whatever the chance traffic around it) and the first from which they
    stay there for an hour ("own stays": where the normal is under one comment an hour, the crisis's first comment
    alone is "own"); with the count and the normal at "stays" (or "touch")."""

    def normal(t: datetime) -> float:
        return max(sum(_trailing(comments, t - timedelta(days=k)) for k in range(1, 8)) / 7.0, 1.0)

    minutes = [start + timedelta(minutes=m) for m in range(12 * 60 + 60)]
    above = [_trailing(comments, t) >= 2 * normal(t) for t in minutes]
    touch = next((minutes[i] for i in range(12 * 60) if above[i]), None)
    stays = next((minutes[i] for i in range(12 * 60) if all(above[i : i + 60])), None)
    mine = mine_stays = None
    if own is not None:
        doubled = [_trailing(own, t) >= normal(t) for t in minutes]
        mine = next((minutes[i] for i in range(12 * 60) if doubled[i]), None)
        mine_stays = next((minutes[i] for i in range(12 * 60) if all(doubled[i : i + 60])), None)
    at = stays or touch
    return touch, stays, mine, mine_stays, _trailing(comments, at) if at else 0, normal(at) if at else 0.0


def first_page(
    alerts: list[dict[str, Any]], page: str, since: datetime, rule: str | None = None
) -> tuple[datetime, str, str] | None:
    """The page's first crisis alert of warning or above from ``since`` (with ``rule``: that rule's, any severity)."""
    for a in alerts:
        if a.get("type") != "alert" or a.get("status") != "firing" or a.get("page") != page:
            continue
        if a.get("category") == "crisis" and (a["rule"] == rule if rule else RANK.get(a.get("severity", ""), 0) >= 2):
            at = datetime.fromisoformat(a["time"].replace("Z", "+00:00"))
            if at >= since:
                return at, a["rule"], a["severity"]
    return None


def _visitor_comments(events: list[dict[str, Any]], page: str) -> list[dict[str, Any]]:
    return [
        d for d in events if d["page"] == page and d["kind"] == "comment.created" and d["actor"].get("type") == "person"
    ]


def judge(
    kind: str, events_path: Path, alerts_path: Path, crisis_day: Any, ordinary: Path | None = None
) -> dict[str, Any]:
    """``ordinary``: the same scenario without the crisis (same seed: the same ordinary life), to tell the crisis's
    own comments apart."""
    events = [json.loads(line) for line in events_path.open()]
    alerts = [json.loads(line) for line in alerts_path.open()]
    page = events[0]["page"] if events else ""
    comments = sorted(datetime.fromisoformat(d["time"]) for d in _visitor_comments(events, page))
    crisis = [
        a for a in alerts if a.get("page") == page and a.get("category") == "crisis" and a.get("status") == "firing"
    ]
    during = [
        a for a in crisis if _on_spike(kind, datetime.fromisoformat(a["time"].replace("Z", "+00:00")), crisis_day)
    ]
    out: dict[str, Any] = {
        "kind": kind,
        "worst": _worst(during),
        "rules": sorted({a["rule"] for a in during}),
        "elsewhere": sorted(
            f"{a['rule']} {a['time'][:16]}" for a in crisis if a not in during and RANK[a["severity"]] >= 2
        ),
    }
    if kind in PAGED:
        tz = datetime.fromisoformat(events[0]["time"]).tzinfo
        start = datetime(crisis_day.year, crisis_day.month, crisis_day.day, 8, tzinfo=tz)
        own = None
        if ordinary is not None:
            usual = Counter(_key(d) for d in _visitor_comments([json.loads(x) for x in ordinary.open()], page))
            own = []
            for d in _visitor_comments(events, page):
                if usual[_key(d)] > 0:
                    usual[_key(d)] -= 1
                else:
                    own.append(datetime.fromisoformat(d["time"]))
            own.sort()
            start = own[0] if own else start
        touch, stays, mine, mine_stays, count, normal = crossing(comments, start, own)
        paged = first_page(alerts, page, start)
        seen = first_page(alerts, page, start, SLOW_BURN_RULE)
        out.update(
            touch=touch, stays=stays, own=mine, own_stays=mine_stays, count=count, normal=normal, paged=paged, seen=seen
        )
        out["held"] = held_back(_visitor_comments(events, page), mine) if mine else {}
        for name, at, by in (
            ("delay_touch", touch, paged),
            ("delay", stays, paged),
            ("delay_own", mine, paged),
            ("delay_own_stays", mine_stays, paged),
            ("seen_delay", stays, seen),
            ("seen_own", mine, seen),
        ):
            out[name] = (by[0] - at).total_seconds() / 60 if by and at else None
    return out


def held_back(comments: list[dict[str, Any]], since: datetime, hours: float = 4.0) -> dict[str, float]:
    """Run ``comments`` through ``crisis.slow_burn``'s detector; for each of its tests, the first minute from ``since``
    (within ``hours``) at which it held, and "all" when they all did at once."""
    from ruamel.yaml import YAML

    from sentinel.detectors.sustained import SustainedDetector
    from sentinel.enrich.sentiment import score_on_page

    pack = YAML(typ="safe").load((ROOT / "rules" / "crisis.yaml").read_text(encoding="utf-8"))
    det = SustainedDetector({**next(r["detect"] for r in pack["rules"] if r["id"] == SLOW_BURN_RULE), **SET})
    p, st, zone, first = det.params, det.new_state(), ZoneInfo(TIMEZONE), {}
    until = since + timedelta(hours=hours)
    for d in comments:
        t = datetime.fromisoformat(d["time"])
        if t > until:
            break
        while (due := det.next_due(st)) is not None and due <= t:
            det.advance(st, due)
        text = d["object"].get("message") or ""
        comment = _Comment(score_on_page(text, "sv"), t.astimezone(zone).utcoffset(), d["id"])
        det.observe(st, comment, t)  # the fields the detector reads of an enriched comment
        if t < since:
            continue
        extra_neg = st.neg - st.usual * st.share
        extra = max(st.count - st.usual, extra_neg)
        held = {
            "vol": st.gate is not None and det._volume(st, st.gate, 1.0),
            "neg": st.neg >= p.min_negative and extra_neg > 0,
            "share": extra > 0 and extra_neg >= max(p.negative_share, p.negative_lift * st.share) * extra,
            "evid": det._evidence(st) >= st.h,
        }
        for name, ok in held.items():
            if ok and name not in first:
                first[name] = (t - since).total_seconds() / 60
    return first


class _Comment:
    """What the ``sustained`` detector reads of an enriched comment."""

    def __init__(self, sentiment: float, offset: timedelta | None, event_id: str) -> None:
        self.sentiment, self.local_offset = sentiment, offset
        self.event = type("E", (), {"id": event_id})()


def _worst(alerts: list[dict[str, Any]]) -> str:
    return max((a.get("severity", "") for a in alerts), key=lambda s: RANK.get(s, 0), default="") or "none"


def _on_spike(kind: str, at: datetime, crisis_day: Any) -> bool:
    """Whether an alert at ``at`` belongs to the happy spike: its day (launch, contest), a Thursday evening (live
    night), the burn's day (burns)."""
    local = at.astimezone(ZoneInfo(TIMEZONE))
    if kind == "live-night":
        return local.weekday() == LIVE_WEEKDAY and local.hour >= LIVE_HOUR
    return local.date() == crisis_day


def _key(d: dict[str, Any]) -> tuple[str, str, str]:
    return d["time"], d["actor"].get("id", ""), d["object"].get("message", "")


def run_one(kind: str, seed: int, size: float, tmp: Path) -> dict[str, Any]:
    from sentinel.commands.simulate import write_config
    from sentinel.simulate import ScenarioSpec, write_jsonl

    spec = ScenarioSpec(
        pages=1,
        days=28,
        seed=seed,
        crisis=True,
        crisis_kind=kind,
        first_volume=size,
        visitors=LANGUAGE[0],
    )
    ev, cfg, al = tmp / "ev.jsonl", tmp / "pages.yaml", tmp / "alerts.jsonl"
    with ev.open("wb") as f:
        write_jsonl(spec, f)
    write_config(spec, cfg)
    if LANGUAGE[0] != "sv":  # the same life as the Swedish run (the page's own posts too), read as a Danish page's
        cfg.write_text(cfg.read_text(encoding="utf-8").replace("language: sv", f"language: {LANGUAGE[0]}"))
    ordinary = None
    if kind in PAGED:
        ordinary = tmp / "ordinary.jsonl"
        with ordinary.open("wb") as f:
            write_jsonl(replace(spec, crisis=False), f)
    with al.open("wb") as f:
        cmd = [sys.executable, "-m", "sentinel", "replay", "--config", str(cfg), "--no-progress", str(ev)]
        if SET:
            cmd[4:4] = ["--rules", str(_rules_with_set(tmp / "rules"))]
        subprocess.run(cmd, stdout=f, check=True, cwd=ROOT)
    return judge(kind, ev, al, spec.crisis_day, ordinary)


def _rules_with_set(folder: Path) -> Path:
    """A rule file in ``folder`` that changes crisis.slow_burn's detect block by ``SET`` (``override: append``)."""
    import json

    folder.mkdir(exist_ok=True)
    rule = {"id": SLOW_BURN_RULE, "override": "append", "detect": SET}
    (folder / "slow_burn_set.yaml").write_text(json.dumps({"rules": [rule]}), encoding="utf-8")  # JSON is YAML
    return folder


def line(seed: int, size: float, r: dict[str, Any]) -> str:
    head = f"  seed {seed:2d} size {size:3.1f} {r['kind']:14s}"
    if r["kind"] in QUIET:
        return (
            f"{head} worst crisis severity during the spike {r['worst']:8s} {', '.join(r['rules'])}; "
            f"warnings on other days: {', '.join(r['elsewhere']) or 'none'}"
        )
    tz = (r["touch"] or r["stays"] or datetime.now().astimezone()).tzinfo

    def hm(t: datetime | None) -> str:
        return t.astimezone(tz).strftime("%H:%M") if t else "never"

    def mins(x: float | None) -> str:
        return f"{x:+.0f} min" if x is not None else "-"

    paged = r["paged"]
    held = " ".join(f"{k} {r['held'][k]:+.0f}" if k in r["held"] else f"{k} -" for k in TESTS)
    return (
        f"{head} twice normal: own {hm(r['own'])}, own stays {hm(r['own_stays'])}, touch {hm(r['touch'])}, stays "
        f"{hm(r['stays'])} ({r['count']} vs {r['normal']:.1f}); paged {hm(paged[0]) if paged else 'never'} "
        f"{paged[1] if paged else ''} {mins(r['delay_own'])} from own, {mins(r['delay_own_stays'])} from own stays; "
        f"{SLOW_BURN_RULE} {hm(r['seen'][0]) if r['seen'] else 'never'}: "
        f"{mins(r['seen_own'])} from own, {mins(r['seen_delay'])} from stays; its tests held from own: {held}"
    )


def summary(name: str, rows: list[dict[str, Any]]) -> str:
    burns = [r for r in rows if r["kind"] in PAGED and r["own"] is not None]

    def part(key: str, what: str) -> str:
        delays = sorted(r[key] for r in burns if r[key] is not None)
        on_time = sum(1 for d in delays if d <= 30)
        med = f"{delays[len(delays) // 2]:+.0f} min" if delays else "-"
        return f"{what} within 30 min {on_time}/{len(burns)} (median of those found {med})"

    late = Counter(
        max(TESTS, key=lambda k: r["held"].get(k, float("inf")))
        for r in burns
        if r["delay_own"] is None or r["delay_own"] > 30
    )
    quiet = [r for r in rows if r["kind"] in QUIET]
    loud = sum(1 for r in quiet if RANK.get(r["worst"], 0) >= 2)
    other = sum(len(r["elsewhere"]) for r in quiet)
    return (
        f"{name}: burns that doubled the hour {len(burns)}; {part('delay_own', 'paged')}; "
        f"{part('delay_own_stays', 'paged, from own stays')}; "
        f"{part('seen_own', f'by {SLOW_BURN_RULE}')}; {part('seen_delay', 'by it, from stays')}; "
        f"{part('delay_touch', 'paged, from touch')}; the late ones "
        f"held back last by {', '.join(f'{k} {n}' for k, n in late.most_common()) or 'nothing'}; "
        f"quiet spikes above info {loud}/{len(quiet)}, and {other} crisis warnings on their pages' other days"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", help="comma-separated (default: 1-3 in-sample, then 4-8 out-of-sample)")
    ap.add_argument("--sizes", default="0.3,1,3", help="first page's volume, comma-separated (default 0.3,1,3)")
    ap.add_argument("--kinds", default=",".join(PAGED + QUIET))
    ap.add_argument("--events", type=Path, help="judge one simulated slow burn you replayed yourself ...")
    ap.add_argument("--alerts", type=Path, help="... with its replayed alerts")
    ap.add_argument("--day", help="... and its crisis day, YYYY-MM-DD (`sentinel simulate` prints none: mid-span)")
    ap.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="a crisis.slow_burn detect setting (repeatable)"
    )
    ap.add_argument(
        "--language",
        choices=["sv", "da", "no"],
        default="sv",
        help="what the visitors write (sentinel simulate --visitors) and the page's configured language, on the "
        "same simulated life as the Swedish run: only the words differ (default sv)",
    )
    args = ap.parse_args(argv)
    LANGUAGE[0] = args.language
    for item in args.set:
        key, _, value = item.partition("=")
        SET[key] = value if value[-1:].isalpha() else float(value)  # a duration (1h) or a number
    if args.events:
        r = judge("slow-burn", args.events, args.alerts, datetime.fromisoformat(args.day).date())
        print(line(0, 1.0, r))
        return 0
    kinds = args.kinds.split(",")
    sizes = [float(s) for s in args.sizes.split(",")]
    groups = (
        [("chosen seeds", [int(s) for s in args.seeds.split(",")])]
        if args.seeds
        else [("in-sample", list(IN_SAMPLE)), ("out-of-sample", list(OUT_OF_SAMPLE))]
    )
    with tempfile.TemporaryDirectory() as tmpdir:
        for name, seeds in groups:
            print(f"{name} (seeds {', '.join(map(str, seeds))}):")
            rows = []
            for seed in seeds:
                for size in sizes:
                    for kind in kinds:
                        r = run_one(kind, seed, size, Path(tmpdir))
                        rows.append(r)
                        print(line(seed, size, r), flush=True)
            print(summary(name, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
