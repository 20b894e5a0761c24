"""The world a fake Graph server shows, and scripted page lives that change it.

A ``Step`` is something that happens on a page at a time; ``apply`` changes
the world; ``truth`` says which events a perfect source would report for a
script (written independently of the source's own translation code).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

TASKS_ADMIN = ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MANAGE", "MESSAGING", "MODERATE"]


@dataclass(slots=True)
class FComment:
    id: str
    post_id: str
    created: int
    message: str
    frm: dict[str, str]
    parent_id: str | None = None
    deleted: bool = False


@dataclass(slots=True)
class FPost:
    id: str
    created: int
    updated: int
    message: str
    frm: dict[str, str]
    app: dict[str, str] | None = None
    admin: dict[str, str] | None = None
    status_type: str = "mobile_status_update"
    deleted: bool = False
    comments: list[FComment] = field(default_factory=list)
    reactions: dict[str, int] = field(default_factory=dict)  # Graph type (``ANGRY``) -> how many


@dataclass(slots=True)
class FPage:
    id: str
    settings: dict[str, Any]
    roles: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # user id -> (name, tasks)
    agencies: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    posts: dict[str, FPost] = field(default_factory=dict)
    threads: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # id -> messages, oldest first
    thread_updated: dict[str, int] = field(default_factory=dict)
    subscribed: dict[str, list[str]] = field(default_factory=dict)  # app id -> webhook fields it is subscribed to
    seq: int = 1000

    def next_id(self) -> str:
        self.seq += 1
        return str(self.seq)


def new_page(page_id: str, name: str) -> FPage:
    return FPage(
        page_id,
        {
            "name": name,
            "username": name.lower().replace(" ", ""),
            "website": "https://example.com",
            "about": "About " + name,
            "category": "Retail",
            "phone": "+46 8 123 456",
            "emails": ["info@example.com"],
            "picture": {"data": {"url": f"https://scontent.example/{page_id}.jpg?oh=1", "is_silhouette": False}},
        },
        roles={"9001": ("Owner Person", TASKS_ADMIN)},
    )


@dataclass(frozen=True, slots=True)
class Step:
    at: datetime
    page_id: str
    action: str  # post, comment, edit, delete, react, unreact, grant, revoke, setting, message, expire, renew
    args: dict[str, Any]


def apply(page: FPage, step: Step) -> None:
    t = int(step.at.timestamp())
    a = step.args
    if step.action == "post":
        page.posts[a["id"]] = FPost(a["id"], t, t, a["message"], a["from"], a.get("app"), a.get("admin"))
    elif step.action == "comment":
        page.posts[a["post_id"]].comments.append(
            FComment(a["id"], a["post_id"], t, a["message"], a["from"], a.get("parent_id"))
        )
    elif step.action == "edit":
        post = page.posts[a["post_id"]]
        post.message, post.updated = a["message"], t
    elif step.action == "delete":
        page.posts[a["post_id"]].deleted = True
    elif step.action in ("react", "unreact"):  # ``n`` people (default 1) add or take back a reaction of ``type``
        counts = page.posts[a["post_id"]].reactions
        kind = str(a["type"]).upper()
        counts[kind] = max(0, counts.get(kind, 0) + (1 if step.action == "react" else -1) * int(a.get("n", 1)))
    elif step.action == "grant":
        page.roles[a["user"]] = (a["name"], list(a["tasks"]))
    elif step.action == "revoke":
        page.roles.pop(a["user"], None)
    elif step.action == "setting":
        page.settings[a["field"]] = a["value"]
    elif step.action == "message":
        page.threads.setdefault(a["thread"], []).append(
            {"id": a["id"], "message": a["message"], "from": a["from"], "created": t}
        )
        page.thread_updated[a["thread"]] = t


def random_life(
    page: FPage,
    start: datetime,
    hours: float,
    seed: int,
    *,
    busy: float = 1.0,
    role_grant_at: datetime | None = None,
    name_change_at: datetime | None = None,
) -> list[Step]:
    """Posts, comments, replies, edits, deletions, messages; one role grant and one name change."""
    rnd = random.Random(seed)
    steps: list[Step] = []
    end = start + timedelta(hours=hours)
    t = start
    me = {"id": page.id, "name": page.settings["name"]}
    posts: list[str] = []
    comments: dict[str, list[str]] = {}
    n = 0
    while True:
        t += timedelta(seconds=int(rnd.expovariate(busy / 240.0)) + 1)
        if t >= end:
            break
        n += 1
        r = rnd.random()
        person = {"id": str(5000 + rnd.randrange(40)), "name": f"Person {rnd.randrange(40)}"}
        if r < 0.12 or not posts:
            pid = f"{page.id}_{7000 + n}"
            by_page = rnd.random() < 0.7
            steps.append(
                Step(
                    t,
                    page.id,
                    "post",
                    {
                        "id": pid,
                        "message": f"Post {n} https://shop.example/{n}" if n % 3 == 0 else f"Post {n}",
                        "from": me if by_page else person,
                        "app": {"id": "350685531728", "name": "Facebook for Android"} if by_page else None,
                        "admin": {"id": "9001", "name": "Owner Person"} if by_page else None,
                    },
                )
            )
            posts.append(pid)
            comments[pid] = []
        elif r < 0.75:
            post = rnd.choice(posts[-6:])
            cid = f"{post.split('_')[1]}_{8000 + n}"
            parent = rnd.choice(comments[post]) if comments[post] and rnd.random() < 0.4 else None
            steps.append(
                Step(
                    t,
                    page.id,
                    "comment",
                    {
                        "id": cid,
                        "post_id": post,
                        "message": f"Comment {n}?",
                        "parent_id": parent,
                        "from": me if parent and rnd.random() < 0.5 else person,
                    },
                )
            )
            comments[post].append(cid)
        elif r < 0.82:
            steps.append(Step(t, page.id, "edit", {"post_id": rnd.choice(posts), "message": f"Edited {n}"}))
        elif r < 0.86 and len(posts) > 3:
            victim = posts.pop(rnd.randrange(len(posts) - 1))
            steps.append(Step(t, page.id, "delete", {"post_id": victim}))
        else:
            thread = f"t_{page.id}_{rnd.randrange(4)}"
            steps.append(
                Step(
                    t,
                    page.id,
                    "message",
                    {
                        "thread": thread,
                        "id": f"m_{page.id}_{n}",
                        "message": f"Hello {n}?",
                        "from": me if rnd.random() < 0.4 else person,
                    },
                )
            )
    if role_grant_at is not None:
        steps.append(
            Step(role_grant_at, page.id, "grant", {"user": "6666", "name": "Mr X", "tasks": ["MANAGE", "MODERATE"]})
        )
    if name_change_at is not None:
        steps.append(Step(name_change_at, page.id, "setting", {"field": "name", "value": "Free Crypto Giveaway"}))
    steps.sort(key=lambda s: s.at)
    return _drop_orphans(steps)


def _drop_orphans(steps: list[Step], settle: timedelta = timedelta(minutes=20)) -> list[Step]:
    """Keep a script observable by polling: no comment or edit on a deleted post, and edits and
    deletions only once the post's last change has been visible for ``settle`` (a poller with a
    15-minute quiet interval cannot see a text that lived for two minutes)."""
    deleted: set[str] = set()
    changed: dict[str, datetime] = {}
    touched: dict[str, datetime] = {}
    out = []
    for s in steps:
        pid = str(s.args.get("post_id") if s.action != "post" else s.args["id"])
        if s.action in ("comment", "edit", "delete") and (pid in deleted or pid not in changed):
            continue
        if s.action == "edit" and s.at - changed[pid] < settle:
            continue
        if s.action == "delete":
            if s.at - max(changed[pid], touched.get(pid, changed[pid])) < settle:
                continue
            deleted.add(pid)
        if s.action in ("post", "edit"):
            changed[pid] = s.at
        if s.action == "comment":
            touched[pid] = s.at
        out.append(s)
    return out


def truth(steps: list[Step], page_key: str, page_id: str) -> dict[str, dict[str, Any]]:
    """Event id -> the parts of the event a perfect source reports (time where the platform tells it)."""
    out: dict[str, dict[str, Any]] = {}
    grants: dict[str, int] = {}
    for s in steps:
        a = s.args
        if s.action == "post":
            out[f"fb:post:{a['id']}"] = {
                "kind": "post.created",
                "time": s.at,
                "post_id": a["id"],
                "message": a["message"],
            }
        elif s.action == "comment":
            out[f"fb:comment:{a['id']}"] = {
                "kind": "comment.created",
                "time": s.at,
                "post_id": a["post_id"],
                "parent_id": a["parent_id"],
                "message": a["message"],
            }
        elif s.action == "edit":
            out[f"edit:{a['post_id']}:{a['message']}"] = {
                "kind": "post.edited",
                "time": s.at,
                "post_id": a["post_id"],
                "message": a["message"],
            }
        elif s.action == "delete":
            out[f"fb:post:{a['post_id']}:deleted"] = {
                "kind": "post.deleted",
                "time": s.at,
                "post_id": a["post_id"],
                "observed": True,
            }
        elif s.action == "grant":
            n = grants[a["user"]] = grants.get(a["user"], 0) + 1
            out[f"fb:role:{page_id}:user:{a['user']}:{n}"] = {
                "kind": "role.granted",
                "time": s.at,
                "tasks": sorted(a["tasks"]),
                "observed": True,
            }
        elif s.action == "setting":
            out[f"setting:{a['field']}:{a['value']}"] = {
                "kind": "page.changed",
                "time": s.at,
                "field": a["field"],
                "new": a["value"],
                "observed": True,
            }
        elif s.action == "message":
            out[f"fb:message:{a['id']}"] = {
                "kind": "message.sent" if a["from"]["id"] == page_id else "message.received",
                "time": s.at,
                "message": a["message"],
            }
    return out
