"""What each remote command asks the daemon, and how it prints the answer (``sentinel.commands.remote``)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sentinel.commands.remote import Client, Refused, incident_id, utc
from sentinel.markup import plain

INCIDENTS = f"{'ID':<10}  {'OPENED (UTC)':<17}  {'STATUS':<12} {'SEVERITY':<8} {'CATEGORY':<8} {'PAGE':<10}  SUMMARY"
SILENCES = f"{'ID':<16}  {'STATE':<8} {'ENDS (UTC)':<17}  {'CREATED BY':<14}  {'MATCHERS':<30}  COMMENT"
ONCALL = f"{'SCHEDULE':<20}  {'NOW':<20}  {'UNTIL (UTC)':<17}  NEXT"


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))


def run(client: Client, args: argparse.Namespace) -> int:
    cmd = args.command
    as_json = args.output == "json"
    if cmd == "incidents":
        items = client.call("GET", "/api/v1/incidents")["incidents"]
        if as_json:
            _print_json(items)
            return 0
        print(INCIDENTS)
        for i in items:
            print(
                plain(
                    f"{i['id']:<10}  {utc(i['opened_at']):<17}  {i['status']:<12} {i['severity']:<8} "
                    f"{i['category']:<8} {i['page']:<10}  {i['summary']}"
                )
            )
        return 0
    if cmd == "incident":
        inc = client.call("GET", f"/api/v1/incidents/{incident_id(args.id)}")
        if as_json:
            _print_json(inc)
            return 0
        for key in ("id", "status", "severity", "category", "page", "summary", "acked_by", "snoozed_until"):
            value = inc.get(key)
            print(plain(f"{key}: {utc(value) if key.endswith('_until') else (value if value is not None else '-')}"))
        print(f"opened_at: {utc(inc['opened_at'])}")
        print("timeline:")
        for e in inc.get("timeline", []):
            detail = ", ".join(f"{k}={v}" for k, v in e.items() if k not in ("time", "kind") and v not in (None, ""))
            print(plain(f"  {utc(e['time'])}  {e['kind']:<16}  {detail}"))
        return 0
    if cmd == "ack":
        body = {"person": args.person, "code": args.code} if args.code else {}
        if args.code and not args.person:
            raise Refused("--code needs --person (whose code it is)")
        inc = client.call("POST", f"/api/v1/incidents/{incident_id(args.id)}/ack", body)
        if as_json:
            _print_json(inc)
        else:
            print(plain(f"{inc['id']} {inc['status']} by {inc.get('acked_by') or '-'}"))
        return 0
    if cmd == "silence":
        return _silence(client, args, as_json)
    if cmd == "oncall":
        data = client.call("GET", "/api/v1/oncall")
        if as_json:
            _print_json(data)
            return 0
        print(ONCALL)
        for s in data["schedules"]:
            now = ", ".join(s["now"]) or "NOBODY"
            nxt = ", ".join(s["next"]) or "NOBODY"
            print(f"{s['schedule']:<20}  {now:<20}  {utc(s['until']):<17}  {nxt}")
        return 0
    raise Refused(f"unknown command {cmd!r}")  # pragma: no cover - argparse knows them all


def _silence(client: Client, args: argparse.Namespace, as_json: bool) -> int:
    action = args.silence_command or "query"
    if action == "query":
        items = client.call("GET", "/api/v1/silences")["items"]
        if as_json:
            _print_json(items)
            return 0
        print(SILENCES)
        for s in items:
            matchers = " ".join(s["matchers"])
            print(
                plain(
                    f"{s['id']:<16}  {s['state']:<8} {utc(s['ends']):<17}  {s['created_by']:<14}  {matchers:<30}  "
                    f"{s['comment']}"
                )
            )
        return 0
    if action == "add":
        body: dict[str, Any] = {"matchers": list(args.matchers), "comment": args.comment}
        if args.until:
            body["ends"] = args.until
        else:
            body["for"] = args.span or "1h"
        if args.code:
            body.update(person=args.person, code=args.code)
        rec = client.call("POST", "/api/v1/silences", body)
        if as_json:
            _print_json(rec)
        else:
            print(rec["id"])
        return 0
    failed = 0
    for sid in args.ids:
        try:
            client.call("DELETE", f"/api/v1/silences/{sid}")
        except Refused as e:
            print(f"error: {sid}: {e}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0
