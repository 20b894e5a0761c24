#!/usr/bin/env python3
"""Validate generated scenarios against the event contract (events.md) and the truth format.

    python3 validate.py SETDIR
"""
import datetime as dt
import json
import os
import sys

KINDS = {
    "post.created": {"post_id", "message", "app", "links", "type", "admin"},
    "post.edited": {"post_id", "message", "app"},
    "post.deleted": {"post_id"},
    "comment.created": {"comment_id", "post_id", "parent_id", "message", "links"},
    "comment.deleted": {"comment_id", "post_id"},
    "comment.hidden": {"comment_id", "post_id"},
    "reaction.created": {"target_id", "reaction"},
    "message.received": {"thread_id", "message"},
    "message.sent": {"thread_id", "message"},
    "role.granted": {"user", "tasks"},
    "role.changed": {"user", "tasks", "previous_tasks"},
    "role.revoked": {"user", "previous_tasks"},
    "page.changed": {"field", "old", "new"},
    "source.error": {"code", "message", "retry_after"},
    "source.recovered": set(),
}
TASKS = {"MANAGE", "CREATE_CONTENT", "MODERATE", "MESSAGING", "ADVERTISE", "ANALYZE"}
FIELDS = {"name", "username", "website", "about", "picture", "category", "phone", "email"}
PTYPES = {"status", "photo", "video", "link", "share"}
ATYPES = {"page", "person", "app", "unknown"}


def t(s):
    x = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    assert x.tzinfo is not None, "time without offset"
    return x.timestamp()


def check_scenario(d):
    errs = []
    name = os.path.basename(d)
    cfg = open(os.path.join(d, "config.yaml"), encoding="utf-8").read()
    page_ids = [ln.split(":", 1)[1].strip() for ln in cfg.splitlines() if ln.strip().startswith("- id:")]
    truth = json.load(open(os.path.join(d, "truth.json"), encoding="utf-8"))
    ids, posts, comments = set(), set(), set()
    last = None
    n = 0
    kinds = {}
    with open(os.path.join(d, "events.jsonl"), encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            n += 1
            try:
                e = json.loads(line)
                for k in ("id", "time", "platform", "page", "kind", "actor", "object"):
                    assert k in e, f"missing {k}"
                assert isinstance(e["id"], str) and e["id"], "bad id"
                assert e["id"] not in ids, f"duplicate id {e['id']}"
                ids.add(e["id"])
                ts = t(e["time"])
                assert last is None or ts >= last, "not in time order"
                last = ts
                assert e["page"] in page_ids, f"page {e['page']} not in config"
                assert e["platform"] == "facebook"
                k = e["kind"]
                kinds[k] = kinds.get(k, 0) + 1
                assert k in KINDS, f"unknown kind {k}"
                o = e["object"]
                assert isinstance(o, dict)
                missing = KINDS[k] - set(o)
                assert not missing, f"{k} missing {missing}"
                a = e["actor"]
                if a is not None:
                    assert set(a) >= {"id", "name", "type"} and a["type"] in ATYPES, f"bad actor {a}"
                if k == "post.created":
                    assert o["type"] in PTYPES and isinstance(o["links"], list)
                    assert (a["type"] == "page") == (o["admin"] is not None or o["app"] is not None or a["type"] == "page")
                    posts.add(o["post_id"])
                if k == "comment.created":
                    assert o["post_id"] in posts, f"comment on unknown post {o['post_id']}"
                    assert o["parent_id"] is None or o["parent_id"] in comments, f"unknown parent {o['parent_id']}"
                    assert isinstance(o["links"], list) and isinstance(o["message"], str) and o["message"]
                    comments.add(o["comment_id"])
                if k in ("comment.hidden", "comment.deleted"):
                    assert o["comment_id"] in comments
                if k == "post.deleted":
                    assert o["post_id"] in posts
                if k == "reaction.created":
                    assert o["target_id"] in posts or o["target_id"] in comments, "reaction on unknown target"
                if k == "message.sent" and "comment_id" in o:
                    assert o["comment_id"] in comments, "private reply to unknown comment"
                if k.startswith("role."):
                    assert set(o["user"]) >= {"id", "name"}
                    for fld in ("tasks", "previous_tasks"):
                        if fld in o:
                            assert set(o[fld]) <= TASKS, f"bad tasks {o[fld]}"
                if k == "page.changed":
                    assert o["field"] in FIELDS
                if k == "source.error":
                    assert a is None and isinstance(o["code"], int)
            except (AssertionError, ValueError, KeyError, TypeError) as ex:
                errs.append(f"{name}/events.jsonl:{ln}: {ex}")
                if len(errs) > 20:
                    break
    # truth
    try:
        assert truth["scenario"] == name
        assert truth["pages"] == page_ids
        s0, s1 = t(truth["span"]["start"]), t(truth["span"]["end"])
        for inc in truth["incidents"]:
            assert inc["page"] in page_ids
            assert inc["category"] in ("hijack", "crisis", "sla", "health")
            assert inc["min_severity"] in ("info", "warning", "critical")
            a, b = t(inc["start"]), t(inc["end"])
            assert s0 <= a <= b <= s1, f"incident {inc['id']} outside span or reversed"
            assert a - s0 >= 21 * 86400, f"incident {inc['id']} has less than 3 weeks of history"
            if "onset" in inc:
                assert t(inc["onset"]) <= a
        for tr in truth["traps"]:
            a, b = t(tr["start"]), t(tr["end"])
            assert a <= b and tr["max_severity"] in ("info", "warning", "critical") and tr["categories"]
            if not truth["incidents"] or tr["type"] not in ("dst", "legit_settings_change", "contest_spike"):
                assert a - s0 >= 21 * 86400 or tr["type"] == "dst", f"trap {tr['id']} has less than 3 weeks of history"
    except (AssertionError, KeyError, ValueError) as ex:
        errs.append(f"{name}/truth.json: {ex}")
    return n, kinds, errs


def main():
    root = sys.argv[1]
    bad = 0
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if not os.path.isfile(os.path.join(d, "truth.json")):
            continue
        n, kinds, errs = check_scenario(d)
        status = "OK" if not errs else f"{len(errs)} ERROR(S)"
        print(f"{name}: {n} events, kinds={len(kinds)}: {status}")
        for e in errs[:10]:
            print("   ", e)
        bad += bool(errs)
    print("all valid" if not bad else f"{bad} scenario(s) invalid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
