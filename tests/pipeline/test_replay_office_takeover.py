"""`sentinel replay` pages a takeover through the page's own admin and app in staffed hours when what it posts gives it
away, also on a page the profile is still learning; the team's own posts stay quiet.

A third red team's hotel page had posted 16 times (the profile learns 20) when a stolen admin account posted an ETH
giveaway to a new .com at 15:22 through the page's app: the profile learned the post and its domain and nothing was
raised for the whole takeover. Its savings bank got card phishing with a deadline ("verify your card by today") at
10:41 through the usual app: a warning, never critical."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from sentinel.testing.replay import replay_records

CONFIG = """\
pages:
  - id: kajhotellet
    platform: facebook
    name: Kajhotellet
    timezone: Europe/Stockholm
    language: sv
    staffed_hours:
      mon-sun: "08:00-20:00"
"""
TZ = ZoneInfo("Europe/Stockholm")
DAY = datetime(2025, 10, 7, 0, 0, tzinfo=TZ)  # a Tuesday
PAGE = {"id": "page-1", "name": "Kajhotellet", "type": "page"}
RULE = "hijack.profile_anomaly"
OWN = (
    "Helgpaket på Kajhotellet: {x} och frukost vid kajen. Boka på vår hemsida!",
    "Nytt på menyn i baren: {x}. Välkommen in i kväll!",
    "Tack för en fin vecka! Vi ses i helgen, {x} står på bordet.",
    "Vi söker personal till receptionen. Läs mer och ansök om du gillar {x}.",
)
THINGS = ("Rioja", "Riesling", "Chablis", "Barolo", "portvin", "cava")


def history(n: int) -> list[dict[str, Any]]:
    """``n`` of the page's own posts, one every day or two in the daytime, a third linking its own site."""
    return [
        post(
            k,
            DAY - timedelta(days=2 * n - 2 * k) + timedelta(hours=9 + (3 * k) % 9, minutes=(7 * k) % 50),
            OWN[k % len(OWN)].format(x=THINGS[k % len(THINGS)]),
            ["https://kajhotellet.se/erbjudande"] if k % 3 == 0 else [],
            key="h",
        )
        for k in range(n)
    ]


def post(n: int, t: datetime, text: str, links: list[str], key: str = "x") -> dict[str, Any]:
    return {
        "id": f"fb:post:{key}{n}",
        "time": t.isoformat(),
        "platform": "facebook",
        "page": "kajhotellet",
        "kind": "post.created",
        "actor": PAGE,
        "object": {
            "post_id": f"{key}{n}",
            "message": text,
            "app": "Meta Business Suite",
            "admin": {"id": "a1", "name": "Lena"},
            "type": "link" if links else "photo",
            "links": links,
        },
    }


def first_alert(tmp_path: Path, earlier: list[dict[str, Any]], lines: list[dict[str, Any]]) -> tuple[str, str]:
    """``sentinel replay`` of ``earlier`` and ``lines``: the profile's highest severity from ``lines`` on, and the time
    it was first reached."""
    events = tmp_path / "events.jsonl"
    events.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in earlier + lines))
    (tmp_path / "config.yaml").write_text(CONFIG)
    records = replay_records(tmp_path, "config.yaml", "events.jsonl")
    rank = {"": 0, "info": 1, "warning": 2, "critical": 3}
    since = datetime.fromisoformat(lines[0]["time"])
    mine = [
        r
        for r in records
        if r["type"] == "alert"
        and r["rule"] == RULE
        and r["status"] == "firing"
        and datetime.fromisoformat(r["time"]) >= since
    ]
    best = max((str(r["severity"]) for r in mine), key=lambda s: rank[s], default="")
    return best, min((str(r["time"]) for r in mine if r["severity"] == best), default="")


def test_a_crypto_giveaway_on_a_page_still_being_learned_is_critical_at_its_first_post(tmp_path: Path) -> None:
    link = "https://kaj-coin-drop.com/connect"
    t = DAY + timedelta(hours=15, minutes=22)
    text = f"Vi firar 10 000 följare och ger bort 0,5 ETH till alla som kopplar sin plånbok i dag: {link}"
    then = t + timedelta(minutes=30)
    scam = [post(0, t, text, [link]), post(1, then, f"Bara 40 platser kvar! Koppla din plånbok: {link}", [link])]
    severity, at = first_alert(tmp_path, history(16), scam)
    assert severity == "critical"
    assert datetime.fromisoformat(at.replace("Z", "+00:00")) == t


def test_the_pages_own_posts_while_still_being_learned_stay_quiet(tmp_path: Path) -> None:
    link = "https://hostfest-kajen.com/program"  # a partner's site under a top-level domain it never linked
    t = DAY + timedelta(hours=15, minutes=22)
    own = [
        post(0, t, f"Tävling! Vinn en helg för två på Kajhotellet – läs om höstfesten på {link}", [link]),
        post(1, t + timedelta(minutes=30), "Höstfesten börjar på fredag. Välkommen!", []),
    ]
    assert first_alert(tmp_path, history(16), own)[0] == ""


def test_card_phishing_with_a_deadline_in_office_hours_is_critical_at_its_first_post(tmp_path: Path) -> None:
    link = "https://kajhotellet-bokning.com/kort"
    t = DAY + timedelta(hours=10, minutes=41)
    text = f"Viktigt! Alla kort som bokat hos oss måste verifieras senast i dag. Verifiera ditt kort här: {link}"
    severity, at = first_alert(tmp_path, history(40), [post(0, t, text, [link])])
    assert severity == "critical"
    assert datetime.fromisoformat(at.replace("Z", "+00:00")) == t
