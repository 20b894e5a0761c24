"""What the Graph poller remembers across restarts: per-page state and known posts.

Written after the events it explains are committed, so a crash in between
re-reads the same items and makes the same ids (the store drops duplicates):
no gap and no duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from sentinel.store import Database, Migration

AREA = "graph_source"
MIGRATIONS = [
    Migration(
        1,
        """
CREATE TABLE graph_page_state (
  page TEXT PRIMARY KEY,
  state TEXT NOT NULL);
CREATE TABLE graph_posts (
  page TEXT NOT NULL,
  post_id TEXT NOT NULL,
  created INTEGER NOT NULL,
  message_digest TEXT NOT NULL,
  comment_hwm INTEGER NOT NULL DEFAULT 0,
  comment_ids TEXT NOT NULL DEFAULT '[]',
  deleted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (page, post_id))
""",
        "graph poller cursors, snapshots and known posts",
    ),
    Migration(
        2,
        """
ALTER TABLE graph_posts ADD COLUMN reactions TEXT NOT NULL DEFAULT '{}';
ALTER TABLE graph_posts ADD COLUMN reactions_at INTEGER NOT NULL DEFAULT 0
""",
        "graph poller: the reactions counted on each known post",
    ),
]


@dataclass(slots=True)
class KnownPost:
    post_id: str
    created: int
    message_digest: str
    comment_hwm: int = 0
    comment_ids: list[str] = field(default_factory=list)  # ids created at comment_hwm
    deleted: bool = False
    reactions: dict[str, int] = field(default_factory=dict)  # per type, the highest count seen (the cursor)
    reactions_at: int = 0  # when they were last counted (0: never; the counts seen first are the baseline)


@dataclass(slots=True)
class PageState:
    """Snapshots, cursors, intervals and the failure episode of one page (JSON in the store)."""

    # the Graph page these snapshots were read from: a page re-linked to another (``page_id`` changed in the config)
    # starts over (``GraphPoller``), since its roles, settings and posts are another page's (None: saved before)
    graph_id: str | None = None
    settings: dict[str, Any] | None = None
    access: dict[str, list[Any]] | None = None  # key -> [id, name, tasks]
    role_seq: dict[str, int] = field(default_factory=dict)
    threads: dict[str, list[Any]] = field(default_factory=dict)  # thread -> [hwm, ids at hwm]
    interval: dict[str, float] = field(default_factory=dict)
    due: dict[str, float] = field(default_factory=dict)  # epoch seconds
    failing_since: float | None = None
    failing_code: int | None = None
    transient_failures: int = 0
    calls: list[float] = field(default_factory=list)  # times of the calls of the last hour (the budget's window)
    counted_at: int = 0  # the last feed read that counted reactions (a post's count grew after it, at the latest)

    def to_json(self) -> str:
        return orjson.dumps({k: getattr(self, k) for k in self.__slots__}).decode()

    @classmethod
    def from_json(cls, text: str) -> PageState:
        data = orjson.loads(text)
        st = cls()
        for k in cls.__slots__:
            if k in data:
                setattr(st, k, data[k])
        return st


class GraphStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def migrate(self) -> None:
        await self.db.migrate(AREA, MIGRATIONS)

    async def load_states(self) -> dict[str, PageState]:
        rows = await self.db.fetchall("SELECT page, state FROM graph_page_state")
        return {str(r[0]): PageState.from_json(str(r[1])) for r in rows}

    async def load_posts(self, page: str) -> dict[str, KnownPost]:
        rows = await self.db.fetchall(
            f"SELECT post_id, {POST_COLUMNS} FROM graph_posts WHERE page = ?",
            (page,),
        )
        return {str(r[0]): _post(r) for r in rows}

    async def load_all_posts(self) -> dict[str, dict[str, KnownPost]]:
        """Every page's known posts (page -> post id -> post), in one query."""
        rows = await self.db.fetchall(f"SELECT page, post_id, {POST_COLUMNS} FROM graph_posts")
        out: dict[str, dict[str, KnownPost]] = {}
        for r in rows:
            post = _post(r[1:])
            out.setdefault(str(r[0]), {})[post.post_id] = post
        return out

    async def forget_posts(self, page: str) -> None:
        """Drop every post remembered for ``page`` (it was re-linked to another Graph page)."""
        await self.db.execute("DELETE FROM graph_posts WHERE page = ?", (page,))

    async def save(self, page: str, state: PageState, posts: list[KnownPost], forget_before: int | None) -> None:
        """One page's state and the posts whose memory changed; ``forget_before``: drop its stored posts created
        before it (None: it has none that old)."""
        await self.save_many([Saved(page, state, posts, forget_before)])

    async def save_many(self, saves: list[Saved]) -> None:
        """Several pages' reads in one transaction, a statement per kind of write (not per page): at thousands of
        pages a minute, a transaction and four round trips per read were what kept the poller late
        (bench/cluster_scale.py)."""
        if not saves:
            return
        async with self.db.transaction():
            await self.db.executemany(
                "INSERT INTO graph_page_state (page, state) VALUES (?, ?)"
                " ON CONFLICT (page) DO UPDATE SET state = excluded.state",
                [(s.page, s.state.to_json()) for s in saves],
            )
            rows = [
                (
                    s.page,
                    p.post_id,
                    p.created,
                    p.message_digest,
                    p.comment_hwm,
                    orjson.dumps(p.comment_ids).decode(),
                    int(p.deleted),
                    orjson.dumps(p.reactions).decode(),
                    p.reactions_at,
                )
                for s in saves
                for p in s.posts
            ]
            if rows:
                await self.db.executemany(
                    f"INSERT INTO graph_posts (page, post_id, {POST_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (page, post_id) DO UPDATE SET"
                    " created = excluded.created, message_digest = excluded.message_digest,"
                    " comment_hwm = excluded.comment_hwm, comment_ids = excluded.comment_ids,"
                    " deleted = excluded.deleted, reactions = excluded.reactions, reactions_at = excluded.reactions_at",
                    rows,
                )
            forget = [(s.page, s.forget_before) for s in saves if s.forget_before is not None]
            if forget:
                await self.db.executemany("DELETE FROM graph_posts WHERE page = ? AND created < ?", forget)


POST_COLUMNS = "created, message_digest, comment_hwm, comment_ids, deleted, reactions, reactions_at"


def _post(r: Any) -> KnownPost:
    """A ``graph_posts`` row from ``post_id`` on (then ``POST_COLUMNS``) as a known post."""
    reactions = orjson.loads(r[6])
    return KnownPost(
        str(r[0]),
        int(r[1]),
        str(r[2]),
        int(r[3]),
        list(orjson.loads(r[4])),
        bool(r[5]),
        {str(k): int(v) for k, v in reactions.items()} if isinstance(reactions, dict) else {},
        int(r[7]),
    )


@dataclass(frozen=True, slots=True)
class Saved:
    """One page's read, to be written: its state, the posts whose memory changed, and the creation time before
    which its stored posts are forgotten (None: none is that old)."""

    page: str
    state: PageState
    posts: list[KnownPost]
    forget_before: int | None
