"""What asks for an answer and what answers it (docs/replay.md, docs/community.md), at the real boundary: the alerts
of ``sentinel replay`` and the figures of ``sentinel report`` over the same file agree, item by item.

Each case is a page with staffed hours 08-17 on weekdays and a one-hour promise, a few customer items and the
page's answers, and visitors' likes every ten minutes to move the clock on past every deadline."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

CONFIG = """pages:
  - id: druvan
    platform: facebook
    name: Druvan
    timezone: Europe/Stockholm
    language: sv
    staffed_hours:
      mon-fri: "08:00-17:00"
    response_sla: 1h
"""
PAGE = {"id": "999", "name": "Druvan", "type": "page"}
ANNA = {"id": "1001", "name": "Anna Berg", "type": "person"}
TUE = "2025-09-23T"  # a Tuesday


def at(hhmm: str) -> str:
    return f"{TUE}{hhmm}:00+02:00"


def comment(hhmm: str, cid: str, message: str, parent: str | None = None, actor: Any = ANNA) -> dict[str, Any]:
    obj = {"comment_id": cid, "post_id": "P", "parent_id": parent, "message": message, "links": []}
    return {"id": f"fb:comment:{cid}", "time": at(hhmm), "platform": "facebook", "page": "druvan"} | {
        "kind": "comment.created",
        "actor": actor,
        "object": obj,
    }


def reply(hhmm: str, cid: str, parent: str) -> dict[str, Any]:
    return comment(hhmm, cid, "Hej! Ja, 10-14.", parent, PAGE)


def message(hhmm: str, mid: str, kind: str, actor: Any, **obj: Any) -> dict[str, Any]:
    return {"id": f"fb:message:{mid}", "time": at(hhmm), "platform": "facebook", "page": "druvan", "kind": kind} | {
        "actor": actor,
        "object": {"thread_id": "1001", "message": "Var är min beställning?"} | obj,
    }


def page_did(kind: str, **obj: Any) -> dict[str, Any]:
    """The page likes or removes something at 09:20."""
    return {"id": f"fb:x:{kind}", "time": at("09:20"), "platform": "facebook", "page": "druvan", "kind": kind} | {
        "actor": PAGE,
        "object": obj,
    }


def clock_on(until: str = "12:00") -> list[dict[str, Any]]:
    """A visitor's like every ten minutes from 09:40 to ``until``: the clock moves on past each deadline."""
    t, end, out = datetime.fromisoformat(at("09:40")), datetime.fromisoformat(at(until)), []
    while t <= end:
        out.append(
            {"id": f"fb:reaction:t{t:%H%M}", "time": t.isoformat(), "platform": "facebook", "page": "druvan"}
            | {"kind": "reaction.created", "actor": {"id": "7", "name": "T", "type": "person"}}
            | {"object": {"target_id": "P", "reaction": "like"}}
        )
        t += timedelta(minutes=10)
    return out


def run(tmp: Path, events: list[dict[str, Any]]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The times ``sla.unanswered`` fired in replay, and the report's figures per channel."""
    (tmp / "c.yaml").write_text(CONFIG)
    path = tmp / "e.jsonl"
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events))
    cmd = [sys.executable, "-m", "sentinel"]
    out = subprocess.run(
        [*cmd, "replay", "--no-progress", "-c", str(tmp / "c.yaml"), str(path)], capture_output=True, check=True
    )
    recs = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    fired = [r["time"] for r in recs if r.get("rule") == "sla.unanswered" and r.get("status") == "firing"]
    rep = subprocess.run(
        [*cmd, "report", "-c", str(tmp / "c.yaml"), "--format", "json", str(path)], capture_output=True, check=True
    )
    return fired, {r["channel"]: r for r in (json.loads(line) for line in rep.stdout.splitlines() if line.strip())}


def test_a_question_typed_in_decomposed_letters_is_an_item_for_the_alerts_and_the_report(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Är ni öppna på lördag")  # as some keyboards send "Ä": A + diaeresis
    fired, report = run(tmp_path, [comment("09:00", "C1", nfd), *clock_on()])
    assert fired == ["2025-09-23T08:00:00Z"]
    assert (report["comment"]["items"], report["comment"]["unanswered"]) == (1, 1)


def test_a_message_sent_answers_whoever_the_platform_says_sent_it_but_a_comment_only_the_pages(tmp_path: Path) -> None:
    question = message("09:00", "m1", "message.received", ANNA)
    for actor in (None, {"id": "app1", "name": "Zendesk", "type": "app"}):
        fired, report = run(tmp_path, [question, message("09:30", "m2", "message.sent", actor), *clock_on()])
        assert fired == [], actor
        assert (report["message"]["answered"], report["message"]["answered_within_sla"]) == (1, 1), actor
    app = {"id": "app1", "name": "Zendesk", "type": "app"}
    by_app = [comment("09:00", "C1", "Har ni öppet?"), comment("09:30", "A1", "Ja", "C1", app), *clock_on()]
    fired, report = run(tmp_path, by_app)
    assert (fired, report["comment"]["unanswered"]) == (["2025-09-23T08:00:00Z"], 1)


def test_a_page_reply_anywhere_in_a_thread_answers_every_earlier_item_of_it_however_deep(tmp_path: Path) -> None:
    q = comment("09:00", "C1", "Har ni öppet på lördag?")
    nudge, follow_up = comment("09:05", "C2", "Hallå?", "C1"), comment("09:20", "C2", "Och söndag?", "P1")
    deeper = comment("09:06", "C3", "Varför svarar ingen?", "C2")
    threads = {
        # the customer's nudge under their question; the page answers the nudge
        "nudge": [q, nudge, reply("09:30", "P1", "C2")],
        # a follow-up under the page's first answer; the page answers again under the top comment
        "under the page's reply": [q, reply("09:10", "P1", "C1"), follow_up, reply("09:30", "P2", "C1")],
        # three levels deep; the page answers the deepest
        "deep": [q, nudge, deeper, reply("09:30", "P1", "C3")],
    }
    for name, events in threads.items():
        fired, report = run(tmp_path, [*events, *clock_on()])
        assert fired == [], name
        figures = report["comment"]
        assert figures["items"] == figures["answered"] == figures["answered_within_sla"] > 1, name


def test_a_question_under_a_post_the_page_deletes_is_owed_no_answer(tmp_path: Path) -> None:
    """A second black-box red team's hijacks: bystanders ask "is this really you?" under the scam posts, the team
    deletes the posts when it has the page back, and those questions were warned as unanswered hours later. The
    comments went with the post: nobody can answer them. A question under another post is still owed."""
    events = [
        comment("09:00", "C1", "Är det här verkligen ni?"),
        comment("09:05", "C2", "Har ni öppet på lördag?") | {"object": {"comment_id": "C2", "post_id": "Q"}},
        page_did("post.deleted", post_id="P"),
        *clock_on(),
    ]
    events[1]["object"] |= {"parent_id": None, "message": "Har ni öppet på lördag?", "links": []}
    fired, report = run(tmp_path, events)
    assert fired == ["2025-09-23T08:05:00Z"]  # C2's deadline; C1 went with its post at 09:20
    assert (report["comment"]["items"], report["comment"]["closed"], report["comment"]["unanswered"]) == (2, 1, 1)


def test_what_closes_an_item_counts_when_its_line_comes_before_the_items(tmp_path: Path) -> None:
    """A late webhook, or a file whose lines are not in time order: the answer (or like, or removal) is read
    first, the item it closes after; both are dated as they happened."""
    start = [comment("08:55", "C0", "Tack för igår!")]  # the clock starts before the item
    late_question = comment("09:00", "C1", "Finns den här i Karlskoga?")
    cases = {
        "a reply": ([reply("09:10", "P1", "C1"), late_question], "answered"),
        "a private message": (
            [message("09:30", "m2", "message.sent", PAGE), message("09:00", "m1", "message.received", ANNA)],
            "answered",
        ),
        "a like": ([page_did("reaction.created", target_id="C1", reaction="like"), late_question], "seen"),
        "a removal": ([page_did("comment.deleted", comment_id="C1", post_id="P"), late_question], "closed"),
        "its post's removal": ([page_did("post.deleted", post_id="P"), late_question], "closed"),
    }
    for name, (events, outcome) in cases.items():
        fired, report = run(tmp_path, [*start, *events, *clock_on()])
        assert fired == [], name
        figures = report["message" if "message" in name else "comment"]
        assert (figures["items"], figures[outcome], figures["unanswered"]) == (1, 1, 0), name
        if outcome == "answered":
            assert figures["answered_within_sla"] == 1, name


def test_a_question_that_tags_the_page_asks_it_and_one_that_tags_a_friend_does_not(tmp_path: Path) -> None:
    """A handle naming the page (its id or name) addresses it; one naming someone else addresses them (a friend
    tagged under a post: hers to answer). The alerts and the report read both alike."""
    to_page = comment("09:00", "C1", "@Druvan har ni öppet på lördag")
    to_friend = comment("09:01", "C2", "@Lisa har du sett att de har öppet på lördag")
    fired, report = run(tmp_path, [to_page, to_friend, *clock_on()])
    assert fired == ["2025-09-23T08:00:00Z"]
    assert (report["comment"]["items"], report["comment"]["unanswered"]) == (1, 1)


def test_a_message_that_announces_a_question_is_an_item_for_the_alerts_and_the_report(tmp_path: Path) -> None:
    """A private message "Hej, jag har en fråga om min faktura 4711" with no "?": the customer waits for the page;
    it is owed an answer like any question, and the alerts and the report count it alike."""
    announce = message("09:00", "m1", "message.received", ANNA, message="Hej, jag har en fråga om min faktura 4711")
    fired, report = run(tmp_path, [announce, *clock_on()])
    assert fired == ["2025-09-23T08:00:00Z"]
    assert (report["message"]["items"], report["message"]["unanswered"]) == (1, 1)


def test_rhetorical_questions_in_an_anger_wave_are_no_items_and_a_real_question_is(tmp_path: Path) -> None:
    """A third black-box red team's anger waves: outbursts put as questions warned as unanswered customers. Neither
    the alerts nor the report count them; the real question among them is owed its answer."""
    wave = [
        comment("09:00", "C1", "Hur kan man behandla kunder så här"),
        comment("09:01", "C2", "Varför alltid så rörigt i kassan"),
        comment("09:02", "C3", "79 kr for fragt?? Er I sindssyge"),
        comment("09:03", "C4", "Why is a university doing this?"),
        comment("09:04", "C5", "Varför är butiken stängd idag"),
    ]
    fired, report = run(tmp_path, [*wave, *clock_on()])
    assert fired == ["2025-09-23T08:04:00Z"]  # C5's deadline only
    assert (report["comment"]["items"], report["comment"]["unanswered"]) == (1, 1)


def test_a_private_message_saying_what_the_customer_wants_done_asks_and_the_same_public_comment_does_not(
    tmp_path: Path,
) -> None:
    """A fifth black-box red team's bike shop: "Hej, jeg vil gerne ændre leveringsadressen på ordre 3400192" in the
    inbox never started the clock, so the Monday backlog was warned about 73 minutes late. In a private message the
    customer writes to the page alone, and what they want done is asked of it; in a public comment "Jag vill säga
    upp mitt konto" is a protest's churn threat, counted by the crisis rules, not an item."""
    wants = message("09:00", "m1", "message.received", ANNA, message="Hej, jag vill ändra leveransadress på order 3400")
    threat = comment("09:01", "C1", "Jag vill säga upp mitt konto")
    thanks = message("09:02", "m2", "message.received", ANNA, thread_id="2002", message="Jag vill bara säga tack!")
    fired, report = run(tmp_path, [wants, threat, thanks, *clock_on()])
    assert fired == ["2025-09-23T08:00:00Z"]
    assert (report["message"]["items"], report["message"]["unanswered"]) == (1, 1)
    assert report.get("comment", {}).get("items", 0) == 0
