"""The report: items and their first answers (Swedish and English), figures in staffed time, the formats, and the
command over event files and over the store."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sentinel.config.schema import PageConfig
from sentinel.model import Actor, ActorType, Event
from sentinel.reports import Tracker, summarize
from sentinel.reports.render import render
from sentinel.reports.summary import p90

ROOT = Path(__file__).resolve().parents[2]
MON_9 = datetime(2025, 11, 10, 8, 0, tzinfo=UTC)  # Monday 09:00 in Stockholm
SV = PageConfig(
    id="tag",
    timezone="Europe/Stockholm",
    language="sv",
    staffed_hours={"mon-fri": "08:00-17:00"},
    holidays="SE",
    response_sla=timedelta(hours=2),
)
EN = PageConfig(
    id="shop",
    timezone="Europe/London",
    language="en",
    staffed_hours={"mon-fri": "09:00-17:00"},
    response_sla=timedelta(hours=2),
)
PAGES = {"tag": SV, "shop": EN}
_n = iter(range(10**6))


def ev(page: str, kind: str, minutes: float, by_page: bool = False, **obj: object) -> Event:
    actor = Actor("p", page, ActorType.PAGE) if by_page else Actor("c", "Anna Berg", ActorType.PERSON)
    return Event(
        id=f"e{next(_n)}",
        time=MON_9 + timedelta(minutes=minutes),
        platform="facebook",
        page=page,
        kind=kind,
        actor=actor,
        object=obj,
    )


def track(*events: Event, everything: bool = False) -> Tracker:
    return Tracker(everything=everything).feed_all(events)


def test_sv_a_follow_up_is_answered_by_a_later_reply_in_its_thread_and_a_private_reply_answers_its_comment() -> None:
    t = track(
        ev("tag", "comment.created", 0, comment_id="q1", parent_id=None, message="Går tåget i kväll?"),
        ev("tag", "comment.created", 10, True, comment_id="r1", parent_id="q1", message="Ja"),
        ev("tag", "comment.created", 20, comment_id="q2", parent_id="q1", message="Och i morgon då?"),
        ev("tag", "comment.created", 50, True, comment_id="r2", parent_id="q1", message="Också"),
        ev("tag", "comment.created", 60, comment_id="q3", parent_id=None, message="Varför drogs pengarna två gånger"),
        ev("tag", "message.sent", 75, True, thread_id="c", comment_id="q3", message="Vi hör av oss"),
    )
    assert [(i.key, i.first_response_s) for i in t.items] == [("q1", 600.0), ("q2", 1800.0), ("q3", 900.0)]


def test_en_the_next_page_message_answers_a_conversation_a_like_is_seen_hiding_closes() -> None:
    t = track(
        ev("shop", "message.received", 0, thread_id="c", message="Can I get a refund"),
        ev("shop", "message.sent", 30, True, thread_id="c", message="Yes"),
        ev("shop", "comment.created", 40, comment_id="q1", parent_id=None, message="Do you ship to Ireland?"),
        ev("shop", "reaction.created", 45, True, target_id="q1", reaction="like"),
        ev("shop", "comment.created", 50, comment_id="q2", parent_id=None, message="Please call me"),
        ev("shop", "comment.hidden", 55, True, comment_id="q2", post_id="p"),
        ev("shop", "comment.created", 60, comment_id="q3", parent_id=None, message="Thanks, lovely shop!"),
    )
    assert [(i.key, i.first_response_s, bool(i.seen), bool(i.closed)) for i in t.items] == [
        ("c", 1800.0, False, False),
        ("q1", None, True, False),
        ("q2", None, False, True),
    ]  # thanks: no item
    thanks = ev("shop", "comment.created", 0, comment_id="x", message="Thanks!")
    assert len(track(thanks, everything=True).items) == 1


def test_first_responses_are_counted_in_staffed_time_and_against_the_promise() -> None:
    # Friday 16:30 local: answered Monday 09:00 is 30 min + 1 h of staffed time (inside 2 h), 64.5 h on the clock
    fri = datetime(2025, 11, 7, 15, 30, tzinfo=UTC)
    q = Event(
        id="q",
        time=fri,
        platform="facebook",
        page="tag",
        kind="message.received",
        actor=Actor("c", "A", ActorType.PERSON),
        object={"thread_id": "c", "message": "Hur gör jag"},
    )
    a = Event(
        id="a",
        time=fri + timedelta(hours=64, minutes=30),
        platform="facebook",
        page="tag",
        kind="message.sent",
        actor=Actor("p", "P", ActorType.PAGE),
        object={"thread_id": "c", "message": "Så"},
    )
    (comments, messages) = summarize(track(q, a).items, PAGES.__getitem__)
    assert comments.figures.items == 0 and messages.figures.items == 1
    f = messages.figures
    assert (f.median_first_response_s, f.median_first_response_staffed_s, f.answered_within_sla) == (
        64.5 * 3600,
        5400.0,
        1,
    )
    assert [(d, staffed) for d, staffed, _ in messages.days] == [(date(2025, 11, 7), True)]


def test_p90_is_the_nearest_rank() -> None:
    assert p90([float(x) for x in range(1, 11)]) == 9.0 and p90([5.0]) == 5.0 and p90([]) is None


def test_dates_and_pages_choose_items_by_their_local_day() -> None:
    items = track(
        ev("tag", "comment.created", 0, comment_id="a", message="Hjälp mig"),
        ev("tag", "comment.created", 60 * 24, comment_id="b", message="Hjälp mig"),
        ev("shop", "comment.created", 0, comment_id="c", message="Help me"),
    ).items
    one = summarize(items, PAGES.__getitem__, page="tag", start=date(2025, 11, 11), end=date(2025, 11, 11))
    assert [(r.page, r.channel, r.figures.items) for r in one] == [("tag", "comment", 1), ("tag", "message", 0)]


def test_text_and_html_speak_the_pages_language_and_csv_has_one_row_per_page_and_channel() -> None:
    items = track(
        ev("tag", "comment.created", 0, comment_id="a", message="Ring mig"),
        ev("shop", "comment.created", 0, comment_id="b", message="Call me"),
        ev("shop", "comment.created", 30, True, comment_id="r", parent_id="b", message="Done"),
    ).items
    reports = summarize(items, PAGES.__getitem__)
    text = render(reports, "text")
    assert "tag - Kommentarer" in text and "1 obesvarade" in text and "shop - Comments" in text
    assert 'lang="sv"' in render([r for r in reports if r.page == "tag"], "html")
    assert "within the promised time" in render([r for r in reports if r.page == "shop"], "html")
    rows = list(csv.DictReader(io.StringIO(render(reports, "csv"))))
    assert [(r["page"], r["channel"], r["items"], r["median_first_response_s"]) for r in rows] == [
        ("shop", "comment", "1", "1800.0"),
        ("shop", "message", "0", ""),
        ("tag", "comment", "1", ""),
        ("tag", "message", "0", ""),
    ]


def sentinel(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "sentinel", *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def write_config(tmp: Path) -> Path:
    cfg = tmp / "sentinel.yaml"
    cfg.write_text(
        f"store: {{url: 'sqlite:///{tmp}/s.db'}}\npages:\n  - id: shop\n    timezone: Europe/London\n"
        "    language: en\n    staffed_hours: {mon-fri: '09:00-17:00'}\n    response_sla: 2h\n"
    )
    return cfg


EVENTS = [
    ev("shop", "comment.created", 0, comment_id="b", message="Call me"),
    ev("shop", "comment.created", 30, True, comment_id="r", parent_id="b", message="Done"),
]


def test_the_command_reads_event_files_as_replay_does(tmp_path: Path) -> None:
    f = tmp_path / "e.jsonl"
    f.write_text("".join(json.dumps(e.to_json()) + "\n" for e in EVENTS) + "not json\n")
    done = sentinel("report", "--config", str(write_config(tmp_path)), "--format", "json", str(f))
    assert done.returncode == 0, done.stderr
    rows = [json.loads(x) for x in done.stdout.splitlines()]
    assert [(r["channel"], r["items"], r["answered"], r["median_first_response_s"]) for r in rows] == [
        ("comment", 1, 1, 1800.0),
        ("message", 0, 0, None),
    ]
    assert "e.jsonl:3: not valid JSON" in done.stderr


def test_the_command_reads_the_store_when_given_no_files(tmp_path: Path) -> None:
    from sentinel.store.events import EventLog
    from sentinel.store.factory import open_database

    async def fill() -> None:
        db = await open_database(f"sqlite:///{tmp_path}/s.db")
        log = EventLog(db)
        await log.start()
        await log.add(list(reversed(EVENTS)), "test")  # arrival order is not time order
        await db.close()

    cfg = write_config(tmp_path)
    asyncio.run(fill())
    done = sentinel("report", "--config", str(cfg), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[0])["median_first_response_s"] == 1800.0


def test_the_command_refuses_a_bad_date_and_a_missing_file(tmp_path: Path) -> None:
    cfg = str(write_config(tmp_path))
    assert sentinel("report", "--config", cfg, "--from", "monday").returncode == 2
    assert sentinel("report", "--config", cfg, str(tmp_path / "nope.jsonl")).returncode == 2


def test_a_day_at_the_end_of_the_calendar_is_not_staffed_and_does_not_overflow() -> None:
    from datetime import date

    from sentinel.config import PageConfig
    from sentinel.reports.summary import _staffed_day

    page = PageConfig(id="druvan", timezone="Europe/Stockholm", staffed_hours={"mon-sun": "00:00-23:59"})
    assert _staffed_day(page, date(2025, 11, 3)) is True
    assert _staffed_day(page, date.max) is False  # an item stored with a forged 9999-12-31 time


def test_the_text_report_shows_control_characters_in_a_responders_name_as_code_points(tmp_path: Path) -> None:
    """A responder's name is whatever the admin account is called; ESC in it drove the reader's terminal."""
    events = [
        ev("shop", "comment.created", 0, comment_id="b", message="Call me"),
        ev(
            "shop",
            "comment.created",
            30,
            True,
            comment_id="r",
            parent_id="b",
            message="Done",
            admin={"name": "Eve\x1b[2J\nX"},
        ),
    ]
    f = tmp_path / "e.jsonl"
    f.write_text("".join(json.dumps(e.to_json()) + "\n" for e in events))
    done = sentinel("report", "--config", str(write_config(tmp_path)), str(f))
    assert done.returncode == 0, done.stderr
    assert "Eve[U+001B][2J[U+000A]X: 1" in done.stdout and "\x1b" not in done.stdout, done.stdout


def test_a_page_id_a_spreadsheet_would_run_as_a_formula_is_text_in_the_csv(tmp_path: Path) -> None:
    """A page id comes from the events (a page not in the config is reported with the defaults); a CSV cell
    starting with '=' is a formula to the spreadsheet the report is opened in."""
    f = tmp_path / "e.jsonl"
    evil = '=HYPERLINK("https://evil.example","Open")'
    events = [ev(evil, "comment.created", 0, comment_id="b", message="Call me"), *EVENTS]
    f.write_text("".join(json.dumps(e.to_json()) + "\n" for e in events))
    done = sentinel("report", "--config", str(write_config(tmp_path)), "--format", "csv", str(f))
    assert done.returncode == 0, done.stderr
    pages = {r["page"] for r in csv.DictReader(io.StringIO(done.stdout))}
    assert pages == {"shop", "'" + evil}
