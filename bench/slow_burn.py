"""How late a slow burn is paged: ``sentinel simulate --crisis slow-burn`` events and their replayed alerts.

    python -m sentinel simulate --pages 3 --days 28 --seed 1 --crisis slow-burn --no-hijack \\
        -o ev.jsonl --config-out pages.yaml
    python -m sentinel replay --config pages.yaml ev.jsonl > alerts.jsonl
    python bench/slow_burn.py ev.jsonl alerts.jsonl

The first page's "normal" for an hour is the mean count of visitors' comments in the same hour of the day over
the seven days before the burn. The clock starts when the trailing hour's comments first reach twice that
(checked every minute from the announcement on) and stops at the page's first crisis alert of warning or above
(a page to a person). The limit is 30 minutes.
"""

from __future__ import annotations

import bisect
import json
import sys
from datetime import datetime, timedelta


def main(argv: list[str]) -> int:
    events_path, alerts_path = argv
    with open(events_path) as f:
        events = [json.loads(line) for line in f]
    announce: datetime | None = None
    page = None
    for d in events:
        if d["kind"] == "post.created" and "administrationsavgift" in d["object"].get("message", ""):
            announce, page = datetime.fromisoformat(d["time"]), d["page"]
    comments = [
        datetime.fromisoformat(d["time"])
        for d in events
        if d["page"] == page and d["kind"] == "comment.created" and d["actor"].get("type") == "person"
    ]
    if announce is None:
        print("no slow burn in these events", file=sys.stderr)
        return 2
    comments.sort()

    def trailing(t: datetime) -> int:
        return bisect.bisect_right(comments, t) - bisect.bisect_right(comments, t - timedelta(hours=1))

    def normal(t: datetime) -> float:
        return sum(trailing(t - timedelta(days=k)) for k in range(1, 8)) / 7.0

    t, crossed = announce, None
    while t < announce + timedelta(hours=12):
        if trailing(t) >= 2 * max(normal(t), 1.0):
            crossed = t
            break
        t += timedelta(minutes=1)
    paged = None
    with open(alerts_path) as f:
        for line in f:
            a = json.loads(line)
            if (
                a.get("type") == "alert"
                and a.get("status") == "firing"
                and a.get("page") == page
                and a.get("category") == "crisis"
                and a.get("severity") in ("warning", "critical")
            ):
                at = datetime.fromisoformat(a["time"].replace("Z", "+00:00"))
                if at >= announce:
                    paged = (at, a["rule"], a["severity"])
                    break
    print(
        f"page {page}: announced {announce.isoformat()}, trailing hour at twice normal "
        f"{crossed.isoformat() if crossed else 'never'} ({trailing(crossed) if crossed else '-'} vs "
        f"{normal(crossed) if crossed else 0:.1f})"
    )
    if paged and crossed:
        late = (paged[0] - crossed).total_seconds() / 60
        print(f"  paged {paged[0].isoformat()} by {paged[1]} ({paged[2]}): {late:+.0f} min")
    else:
        print(f"  paged: {paged or 'never'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
