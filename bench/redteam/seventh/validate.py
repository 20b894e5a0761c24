#!/usr/bin/env python3
"""Validate scenario folders against /work/shared/spec/events.md (written from the spec) and check truth files.

    python3 validate.py SETDIR
"""
import datetime as dt
import json
import os
import re
import sys

KINDS = {
    "post.created": {"post_id": str, "message": str, "app": (str, type(None)), "links": list, "type": str, "admin": (dict, type(None))},
    "post.edited": {"post_id": str, "message": str, "app": (str, type(None))},
    "post.deleted": {"post_id": str},
    "comment.created": {"comment_id": str, "post_id": str, "parent_id": (str, type(None)), "message": str, "links": list},
    "comment.deleted": {"comment_id": str, "post_id": str},
    "comment.hidden": {"comment_id": str, "post_id": str},
    "reaction.created": {"target_id": str, "reaction": str},
    "message.received": {"thread_id": str, "message": str},
    "message.sent": {"thread_id": str, "message": str},
    "role.granted": {"user": dict, "tasks": list},
    "role.changed": {"user": dict, "tasks": list, "previous_tasks": list},
    "role.revoked": {"user": dict, "previous_tasks": list},
    "page.changed": {"field": str, "old": (str, type(None)), "new": (str, type(None))},
    "source.error": {"code": (int, str), "message": str, "retry_after": (int, float, type(None))},
    "source.recovered": {},
}
PLATFORMS = {"facebook", "instagram", "x", "linkedin", "youtube"}
ACTOR_TYPES = {"page", "person", "app", "unknown"}
POST_TYPES = {"status", "photo", "video", "link", "share"}
TASKS = {"MANAGE", "CREATE_CONTENT", "MODERATE", "MESSAGING", "ADVERTISE", "ANALYZE"}
FIELDS = {"name", "username", "website", "about", "picture", "category", "phone", "email"}
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
SEV = {"info", "warning", "critical"}
CATS = {"hijack", "crisis", "sla", "health", "other"}


def check_events(path, page_keys):
    errs = []
    ids = set()
    prev = None
    n = 0
    with open(path, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            n += 1
            def e(msg):
                errs.append(f"{path}:{ln}: {msg}")
            try:
                ev = json.loads(line)
            except ValueError as x:
                e(f"not JSON: {x}")
                continue
            for k in ("id", "time", "platform", "page", "kind", "actor", "object"):
                if k not in ev:
                    e(f"missing {k}")
            if not isinstance(ev.get("id"), str) or not ev["id"]:
                e("id not a non-empty string")
            elif ev["id"] in ids:
                e(f"duplicate id {ev['id']}")
            ids.add(ev.get("id"))
            t = ev.get("time")
            if not isinstance(t, str) or not RFC3339.match(t):
                e(f"time not RFC 3339 with offset: {t!r}")
            else:
                ts = dt.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()
                if prev is not None and ts < prev:
                    e("not in time order")
                prev = ts
            if ev.get("platform") not in PLATFORMS:
                e(f"platform {ev.get('platform')!r}")
            if ev.get("page") not in page_keys:
                e(f"page {ev.get('page')!r} not in config")
            a = ev.get("actor")
            if a is not None:
                if not isinstance(a, dict) or not isinstance(a.get("id"), str) or not isinstance(a.get("name"), str) \
                        or a.get("type") not in ACTOR_TYPES:
                    e(f"bad actor {a!r}")
            kind = ev.get("kind")
            o = ev.get("object")
            if kind not in KINDS:
                e(f"unknown kind {kind!r}")
                continue
            if not isinstance(o, dict):
                e("object not an object")
                continue
            for fld, typ in KINDS[kind].items():
                if fld not in o:
                    e(f"{kind}: missing object.{fld}")
                elif not isinstance(o[fld], typ) or isinstance(o[fld], bool):
                    e(f"{kind}: object.{fld} has type {type(o[fld]).__name__}")
            if kind == "post.created":
                if o.get("type") not in POST_TYPES:
                    e(f"post type {o.get('type')!r}")
                if not all(isinstance(u, str) and u.startswith("http") for u in o.get("links", [])):
                    e("bad links")
                adm = o.get("admin")
                if adm is not None and not (isinstance(adm.get("id"), str) and isinstance(adm.get("name"), str)):
                    e("bad admin")
                if a and a.get("type") == "person" and (adm is not None):
                    e("visitor post with admin")
            if kind == "comment.created" and not all(isinstance(u, str) for u in o.get("links", [])):
                e("bad links")
            if kind == "message.sent" and "comment_id" in o and not isinstance(o["comment_id"], str):
                e("bad comment_id")
            if kind.startswith("role."):
                u = o.get("user", {})
                if not (isinstance(u.get("id"), str) and isinstance(u.get("name"), str)):
                    e("bad role user")
                for k in ("tasks", "previous_tasks"):
                    if k in o and not set(o[k]) <= TASKS:
                        e(f"bad {k} {o[k]}")
            if kind == "page.changed" and o.get("field") not in FIELDS:
                e(f"bad field {o.get('field')}")
            if kind in ("source.error", "source.recovered") and a is not None:
                e("source event with actor")
    return n, errs


def check_truth(path, page_keys, first, last):
    errs = []
    t = json.load(open(path, encoding="utf-8"))
    ids = set()
    for inc in t.get("incidents", []):
        for k in ("id", "page", "category", "type", "start", "end", "min_severity", "max_delay_s"):
            if k not in inc:
                errs.append(f"{path}: incident missing {k}")
        s = dt.datetime.fromisoformat(inc["start"]).timestamp()
        en = dt.datetime.fromisoformat(inc["end"]).timestamp()
        if not (first <= s <= en <= last + 86400):
            errs.append(f"{path}: {inc['id']} start/end outside span or reversed")
        if inc.get("onset") and dt.datetime.fromisoformat(inc["onset"]).timestamp() > s:
            errs.append(f"{path}: onset after start")
        if s - first < 14 * 86400:
            errs.append(f"{path}: {inc['id']} has less than 2 weeks of history")
        if inc["category"] not in CATS or inc["min_severity"] not in SEV or inc["page"] not in page_keys:
            errs.append(f"{path}: bad incident fields")
        ids.add(inc["id"])
    for tr in t.get("traps", []):
        if tr["max_severity"] not in SEV or not set(tr["categories"]) <= CATS or tr["page"] not in page_keys:
            errs.append(f"{path}: bad trap {tr['id']}")
        if dt.datetime.fromisoformat(tr["start"]) > dt.datetime.fromisoformat(tr["end"]):
            errs.append(f"{path}: trap reversed")
        if tr["id"] in ids:
            errs.append(f"{path}: duplicate id")
        ids.add(tr["id"])
    return t, errs


def main():
    root = sys.argv[1]
    bad = 0
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if not os.path.isdir(d):
            continue
        cfg = open(os.path.join(d, "config.yaml"), encoding="utf-8").read()
        keys = set(re.findall(r"^\s*- id: (\S+)", cfg, re.M))
        n, errs = check_events(os.path.join(d, "events.jsonl"), keys)
        lines = open(os.path.join(d, "events.jsonl"), encoding="utf-8").read().splitlines()
        first = dt.datetime.fromisoformat(json.loads(lines[0])["time"]).timestamp()
        last = dt.datetime.fromisoformat(json.loads(lines[-1])["time"]).timestamp()
        t, terrs = check_truth(os.path.join(d, "truth.json"), keys, first, last)
        errs += terrs
        if t["scenario"] != name:
            errs.append("scenario name mismatch")
        print(f"{name}: {n} events, {len(t['incidents'])} incidents, {len(t['traps'])} traps, "
              f"{(last - first) / 86400:.1f} days: {'OK' if not errs else str(len(errs)) + ' ERRORS'}")
        for x in errs[:10]:
            print("   " + x)
        bad += bool(errs)
    print("ALL OK" if not bad else f"{bad} scenario(s) with errors")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
