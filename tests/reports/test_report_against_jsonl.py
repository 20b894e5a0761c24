"""``sentinel report --format json`` agrees with first-response times computed straight from each dev scenario's
JSONL, here, with json and datetime alone (none of Sentinel's code): what answers an item is read off
docs/replay.md and written out again below."""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEV = Path(os.environ.get("SENTINEL_DEV_SCENARIOS", "/work/shared/scenarios/dev"))
SCENARIOS = sorted(p for p in DEV.glob("*/events.jsonl")) if DEV.is_dir() else []


def independent(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """Every customer comment and private message (the report's --all), its first answer by the page: a reply to
    it or later in its thread, a private reply to it, the next page message in its conversation (any message.sent);
    a page like marks it seen, hiding or deleting it (or its top comment, or the post it is under) closes it."""
    items: list[dict[str, Any]] = []
    comments: dict[tuple[str, str], dict[str, Any]] = {}
    tops: dict[tuple[str, str], str] = {}  # a reply -> the top comment of its thread (however deep)
    roots: dict[tuple[str, str], list[dict[str, Any]]] = {}
    threads: dict[tuple[str, str], list[dict[str, Any]]] = {}
    posts: dict[tuple[str, str], list[dict[str, Any]]] = {}  # a post -> the customers' comments under it

    def answer(targets: list[Any], t: datetime) -> None:
        for it in targets:
            if it is not None and it["answered"] is None and it["closed"] is None and it["t"] <= t:
                it["answered"] = t

    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        e = json.loads(line)
        t = datetime.fromisoformat(e["time"].replace("Z", "+00:00"))
        page, kind, o = e["page"], e["kind"], e.get("object") or {}
        mine = (e.get("actor") or {}).get("type") == "page"
        if kind == "comment.created":
            cid, parent = o.get("comment_id"), o.get("parent_id")
            top = tops.get((page, parent), parent) if parent else cid
            if parent:
                tops[(page, cid)] = top
            if mine and parent:
                answer([comments.get((page, parent)), *roots.get((page, top), [])], t)
            elif not mine and cid:
                it = {"page": page, "ch": "comment", "t": t, "answered": None, "closed": None, "seen": None}
                items.append(it)
                comments[(page, cid)] = it
                roots.setdefault((page, top), []).append(it)
                posts.setdefault((page, o.get("post_id")), []).append(it)
        elif kind == "message.received" and not mine:
            it = {"page": page, "ch": "message", "t": t, "answered": None, "closed": None, "seen": None}
            items.append(it)
            threads.setdefault((page, o.get("thread_id")), []).append(it)
        elif kind == "message.sent":  # the page's, whoever the platform says sent it
            answer([*threads.get((page, o.get("thread_id")), []), comments.get((page, o.get("comment_id")))], t)
        elif kind == "reaction.created" and mine:
            it = comments.get((page, o.get("target_id")))
            if (
                it is not None
                and it["answered"] is None
                and it["closed"] is None
                and it["seen"] is None
                and it["t"] <= t
            ):
                it["seen"] = t
        elif kind in ("comment.hidden", "comment.deleted", "post.deleted"):
            cid = o.get("comment_id")
            gone = posts.get((page, o.get("post_id")), []) if kind == "post.deleted" else [comments.get((page, cid))]
            for it in [*gone, *(roots.get((page, cid), []) if kind != "post.deleted" else [])]:
                if it is not None and it["answered"] is None and it["closed"] is None and it["t"] <= t:
                    it["closed"] = t
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for key in sorted({(i["page"], i["ch"]) for i in items}):
        group = [i for i in items if (i["page"], i["ch"]) == key]
        waits = sorted((i["answered"] - i["t"]).total_seconds() for i in group if i["answered"] is not None)
        out[key] = {
            "items": len(group),
            "answered": len(waits),
            "closed": sum(1 for i in group if i["answered"] is None and i["closed"] is not None),
            "seen": sum(1 for i in group if i["answered"] is None and i["closed"] is None and i["seen"] is not None),
            "unanswered": sum(1 for i in group if i["answered"] is None and i["closed"] is None and i["seen"] is None),
            "median_first_response_s": statistics.median(waits) if waits else None,
            "p90_first_response_s": waits[math.ceil(0.9 * len(waits)) - 1] if waits else None,
        }
    return out


def report(scenario: Path, *extra: str) -> dict[tuple[str, str], dict[str, Any]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sentinel",
            "report",
            "--config",
            str(scenario.parent / "config.yaml"),
            "--format",
            "json",
            *extra,
            str(scenario),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    return {(r["page"], r["channel"]): r for r in rows}


@pytest.mark.skipif(not SCENARIOS, reason="the shared dev scenarios are not on this machine")
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.parent.name)
def test_report_json_agrees_with_first_responses_counted_straight_from_the_jsonl(scenario: Path) -> None:
    want = independent(scenario)
    got = report(scenario, "--all")
    assert set(got) == set(want)
    for key, w in want.items():
        assert {k: got[key][k] for k in w} == pytest.approx(w), key
        assert got[key]["answered_within_sla"] <= got[key]["answered"]


@pytest.mark.skipif(not SCENARIOS, reason="the shared dev scenarios are not on this machine")
def test_items_that_ask_for_an_answer_are_a_share_of_all_and_carry_the_required_fields() -> None:
    scenario = SCENARIOS[0]
    every, asking = report(scenario, "--all"), report(scenario)
    for key, row in asking.items():
        assert {
            "page",
            "channel",
            "items",
            "answered",
            "answered_within_sla",
            "median_first_response_s",
            "p90_first_response_s",
            "median_first_response_staffed_s",
            "unanswered",
            "days",
            "responders",
        } <= set(row)
        assert 0 < row["items"] <= every[key]["items"]
        assert sum(d["items"] for d in row["days"]) == row["items"]
