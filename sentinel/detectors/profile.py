"""``profile``: a page's own post that does not look like the page (after COMPA, Egele et al., NDSS 2013).

The detector learns, per page, the distribution of seven features of the
page's own posts: local hour of day, publishing app, admin who wrote it,
language, link domains, message length (log2 bins) and post type. Each new
post is scored feature by feature (0 = usual, 1 = never seen), the weighted
scores are summed into one anomaly score, and an explanation names each
unusual feature ("02:13 on a Sunday, usual 08–17 weekdays; app 'X' never
used; language en, usual sv; domain evil.example never linked").

And what the post says (a takeover through the page's own app in office hours shows in nothing else):

- **voice**: how unlike the page's recent posts its words are (character 3-gram TF-IDF cosine to the
  ``memory`` last learned posts, ``voice.py``; COMPA's message similarity);
- **pitch**: scam, giveaway and crypto patterns in Swedish, English, Danish and Norwegian (``pitch.py``,
  ``data/pitch.txt``); only the part above ``pitch_floor`` counts, so a shop's own contest or sale is not one;
- **domain**: a never-linked domain counts in full when its top-level domain (``.xyz``) or a link shortener is
  new to the page too, at ``known_tld`` when the page links that top-level domain already (a campaign site);
  a never-seen ``@mention`` counts as half a new domain;
- **again**: a second post, within ``again_within``, while an earlier one was left unlearned as strange (a
  takeover posts several);
- **repeat**: the page's own comment whose text (normalised: lower case, links as their domain, no @mentions or
  digits) the page already replied, each within ``repeat_within`` of the one before, when it pushes a never-seen
  domain or a pitch, weighed by how strange what it pushes is (a new site under the page's own top-level domain
  at ``known_tld``): a hijacker pastes one scam reply under many posts in minutes, while a community team's
  canned replies ("Hi! Please send us a DM") push nothing and are never counted. Per page at most
  ``MAX_REPEATS`` texts are remembered, as 8-byte hashes.

The hour forgives a post near the page's usual hours (the hours on either side count); a post that pushes a
strong pitch (``strong_pitch``: a prize claim with urgency, crypto, a threat to the account) to a never-seen
domain is not forgiven: in a clock hour the page has never posted in, its hour counts in full, whatever the
page's staffed hours (a night-staffed page posting at 01 and 03 never posted at 02).

The page's own comments (scam replies under its posts), edits and private messages are scored on domain, pitch,
hour and repetition alone and are never learned. A post that pitches (above ``pitch_floor``) is never learned either,
and while the profile still learns the page (``min_posts``) such a post is judged by what needs none of its habits:
the pitch, the links and the voice (each with its own guard), ``again`` and ``repeat``.

Severity comes from the score: ``critical`` at ``critical`` or above (several
independent features strange at once: the hijack signature), ``warning`` at
``warning``, ``info`` at ``min_score``. A post scoring ``warning`` or more is
not learned, so a hijacker's posts never become "usual".
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sentinel.config.types import Duration
from sentinel.detectors import voice
from sentinel.detectors.base import Signal
from sentinel.detectors.common import Compile, Params, parse_params
from sentinel.detectors.pitch import Pitch, pitch, without
from sentinel.enrich import Enriched
from sentinel.enrich.text import reading
from sentinel.model import Severity

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_NAMES_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
CATEGORICAL = ("app", "admin", "lang", "type")
SHORTENERS = frozenset({"bit.ly", "tinyurl.com", "cutt.ly", "rb.gy", "is.gd", "t.ly", "shorturl.at", "ow.ly", "t.co"})
MAX_KEYS = 300  # domains, mentions and values of a feature remembered per page (the least seen go first)
MAX_REPEATS = 64  # reply texts remembered per page for ``repeat`` (hashes; the least recent go first)
OWN_DAYS = 5  # days on which the page's replies used a pitch category before it is the page's habit, not a pitch
REPLIES = ("comment.created", "message.sent")  # the page answering people
_URL_HOST = re.compile(r"(?:https?://|www\.)(?:www\.)?([^\s/?#<>\"')]+)\S*", re.IGNORECASE)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{3,40})")


class ProfileParams(Params):
    min_posts: int = 20  # posts learned before any post is judged
    min_score: float = 1.0  # below: nothing; from here: info
    warning: float = 2.0
    critical: float = 3.0
    w_hour: float = 1.0
    w_app: float = 1.0
    w_admin: float = 1.0
    w_lang: float = 1.2
    w_domain: float = 1.2
    w_length: float = 0.3
    w_type: float = 0.5
    rare_share: float = 0.03  # a value seen in less than this share of posts is half-strange
    # content (see the module doc); the defaults are discussed in docs/detection.md
    w_voice: float = 0.6
    voice_low: float = 0.08  # similarity at or below this: words wholly unlike the page's (score 1)
    voice_high: float = 0.2  # at or above: the page's voice (score 0)
    memory: int = 60  # recent posts remembered for the voice
    voice_min: int = 10  # remembered posts before the voice is judged
    w_pitch: float = 2.5
    pitch_floor: float = 0.3  # pitch at or below this counts for nothing (a contest, a sale that ends)
    known_tld: float = 0.6  # a new domain under a top-level domain the page links already counts this much
    w_again: float = 0.8
    again_within: Duration = timedelta(hours=6)
    w_repeat: float = 2.0  # the page's own link or pitch reply pasted again and again
    repeat_n: int = 5  # the same reply this many times (each within ``repeat_within`` of the last): in full
    repeat_within: Duration = timedelta(minutes=15)
    strong_pitch: float = 0.7  # a pitch this strong pushing a never-seen domain: a never-used hour counts in full


@dataclass(slots=True)
class ProfileState:
    posts: int = 0
    hours: list[int] = field(default_factory=lambda: [0] * 24)
    weekend: int = 0
    length: list[int] = field(default_factory=lambda: [0] * 16)
    linked_posts: int = 0
    values: dict[str, dict[str, int]] = field(default_factory=dict)  # feature -> value -> count
    domains: dict[str, int] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)  # the last ``memory`` learned posts' texts (the voice)
    mentions: dict[str, int] = field(default_factory=dict)
    strange_at: datetime | None = None  # the last post left unlearned as strange
    repeats: dict[str, tuple[int, datetime]] = field(default_factory=dict)  # reply hash -> (times, last seen)
    # pitch category -> the local days (ISO dates, the last ``OWN_DAYS``) the page's own replies had it: a habit of the
    # page's service ("send us a DM with your account number" at a utility), not a scam, once on ``OWN_DAYS`` days
    reply_days: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Finding:
    feature: str
    score: float  # 0..1
    why: str  # in English
    why_sv: str = ""  # in Swedish (the alert's summary is written in each recipient's language)


def _len_bin(text: str) -> int:
    return min(15, int(math.log2(len(text) + 1)))


def _mentions(text: str) -> list[str]:
    return [m.lower().rstrip(".") for m in _MENTION.findall(text)] if "@" in text else []


def _reply_key(text: str) -> str:
    """A short hash of a reply's words (lower case, links as their host, no @mentions, digits as 0)."""
    plain = _URL_HOST.sub(lambda m: f" {m.group(1).lower()} ", reading(text))
    plain = _MENTION.sub(" ", plain)
    plain = _NOT_WORD.sub(" ", re.sub(r"\d+", "0", plain.lower())).strip()[:300]
    return hashlib.blake2b(plain.encode("utf-8"), digest_size=8).hexdigest()


def _bound(counts: dict[str, int]) -> None:
    """Keep the ``MAX_KEYS`` most used keys (per-page memory stays bounded)."""
    if len(counts) > MAX_KEYS:
        for k in sorted(counts, key=lambda k: counts[k])[: len(counts) - MAX_KEYS]:
            del counts[k]


def _features(event: Enriched) -> dict[str, str]:
    """Categorical features of an enriched post ('' = unknown / not given)."""
    t = event.event.object.get("type")
    return {
        "app": event.app,
        "admin": event.admin_id,
        "lang": event.lang,
        "type": t if isinstance(t, str) else "",
    }


class ProfileDetector:
    type_name = "profile"
    pulse = True

    def __init__(self, params: ProfileParams) -> None:
        self.p = params

    def new_state(self) -> ProfileState:
        return ProfileState()

    # -- scoring ------------------------------------------------------------
    def _categorical(self, st: ProfileState, feature: str, value: str) -> Finding | None:
        seen = st.values.get(feature, {})
        total = sum(seen.values())
        if not value or total < self.p.min_posts // 2:
            return None
        c = seen.get(value, 0)
        usual = max(seen, key=lambda k: seen[k]) if seen else ""
        label = {"app": "app", "admin": "admin", "lang": "language", "type": "type"}[feature]
        sv = {"app": "appen", "admin": "administratören", "lang": "språk", "type": "typ"}[feature]
        if c == 0:
            if feature in ("lang", "type"):
                return Finding(feature, 1.0, f"{label} {value}, usual {usual}", f"{sv} {value}, vanligen {usual}")
            return Finding(feature, 1.0, f"{label} '{value}' never used", f"{sv} '{value}' aldrig använd")
        if c / total < self.p.rare_share:
            return Finding(
                feature,
                0.5,
                f"{label} '{value}' rarely used ({c} of {total})",
                f"{sv} '{value}' sällan använd ({c} av {total})",
            )
        return None

    def _hour(self, st: ProfileState, local: datetime) -> Finding | None:
        h = local.hour
        near = st.hours[(h - 1) % 24] + st.hours[h] + st.hours[(h + 1) % 24]
        share = near / st.posts
        weekend_day = local.weekday() >= 5
        weekend_share = st.weekend / st.posts
        score = max(0.0, 1.0 - share / 0.05)
        if weekend_day and weekend_share < 0.05:
            score = min(1.0, score + 0.3)
        if score <= 0.0:
            return None
        return Finding(
            "hour",
            score,
            f"{local:%H:%M} on a {WEEKDAY_NAMES[local.weekday()]}, usual {self._usual(st)}",
            f"{local:%H:%M} en {WEEKDAY_NAMES_SV[local.weekday()]}, vanligen {self._usual(st, 'sv')}",
        )

    @staticmethod
    def _usual(st: ProfileState, lang: str = "en") -> str:
        """The shortest run of hours holding 90 % of posts, e.g. '08–17 weekdays'."""
        need = 0.9 * st.posts
        best: tuple[int, int] = (0, 23)
        for length in range(1, 25):
            for start in range(24):
                if sum(st.hours[(start + i) % 24] for i in range(length)) >= need:
                    best = (start, (start + length) % 24)
                    break
            else:
                continue
            break
        days = (" vardagar" if lang == "sv" else " weekdays") if st.weekend / max(1, st.posts) < 0.1 else ""
        return f"{best[0]:02d}–{best[1]:02d}{days}"

    def _links(self, st: ProfileState, event: Enriched) -> Finding | None:
        """Never-linked domains (in full when their top-level domain or a link shortener is new too) and
        never-seen @mentions (half)."""
        if st.linked_posts < 3:
            return None
        new = [d for d in event.domains if d not in st.domains]
        tlds = {d.rsplit(".", 1)[-1] for d in st.domains}
        score = 0.0
        for d in new:
            foreign = d in SHORTENERS or d.rsplit(".", 1)[-1] not in tlds
            score = max(score, 1.0 if foreign else self.p.known_tld)
        handles = [m for m in _mentions(event.text) if m not in st.mentions]
        if handles:
            score = max(score, 0.5)
        if score <= 0.0:
            return None
        what = [f"domain {', '.join(new)} never linked"] if new else []
        what_sv = [f"domänen {', '.join(new)} aldrig länkad"] if new else []
        if handles:
            what.append(f"@{', @'.join(handles)} never mentioned")
            what_sv.append(f"@{', @'.join(handles)} aldrig nämnd")
        return Finding("domain", score, "; ".join(what), "; ".join(what_sv))

    def _content(self, st: ProfileState, event: Enriched, pt: Pitch) -> list[tuple[float, Finding]]:
        """The voice (for posts) and the pitch ``pt`` of the text."""
        p, text, out = self.p, event.text, list[tuple[float, Finding]]()
        if event.event.kind == "post.created" and len(st.texts) >= p.voice_min:
            sim = voice.similarity(text, st.texts)
            if sim is not None and sim < p.voice_high:
                score = min(1.0, (p.voice_high - sim) / (p.voice_high - p.voice_low))
                out.append(
                    (
                        p.w_voice,
                        Finding(
                            "voice",
                            round(score, 2),
                            f"words unlike the page's posts (similarity {sim:.2f})",
                            f"ordval olikt sidans inlägg (likhet {sim:.2f})",
                        ),
                    )
                )
        if pt.score > p.pitch_floor:
            score = (pt.score - p.pitch_floor) / (1.0 - p.pitch_floor)
            kinds = ", ".join(pt.categories)
            out.append(
                (
                    p.w_pitch,
                    Finding("pitch", round(score, 2), f"reads as a pitch ({kinds})", f"låter som bedrägeri ({kinds})"),
                )
            )
        return out

    def score(
        self, st: ProfileState, event: Enriched, pt: Pitch | None = None, *, young: bool = False
    ) -> tuple[float, list[Finding]]:
        """The post's score and findings. ``young``: the profile is still learning the page's habits, so only what
        needs none of them is judged: the pitch, the links and the voice (each with its own guard), ``again`` and
        ``repeat``; not the hour, app, admin, language, type or length."""
        p = self.p
        local = event.local_time
        found: list[tuple[float, Finding]] = []
        f = None if young else self._hour(st, local)
        if f:
            found.append((p.w_hour, f))
        is_post = event.event.kind == "post.created"
        feats = _features(event) if is_post else {}  # a comment's language is not asked for (nor detected)
        weights = {"app": p.w_app, "admin": p.w_admin, "lang": p.w_lang, "type": p.w_type}
        for name in CATEGORICAL if is_post and not young else ():
            f = self._categorical(st, name, feats[name])
            if f:
                found.append((weights[name], f))
        f = self._links(st, event)
        if f:
            found.append((p.w_domain, f))
        if pt is None:
            pt = self.pitch_of(event)
        found.extend(self._content(st, event, pt))
        pushes = any(f.feature in ("domain", "pitch") for _, f in found)
        new_domain = st.linked_posts >= 3 and any(d not in st.domains for d in event.domains)
        if pt.score >= p.strong_pitch and new_domain and st.hours[local.hour] == 0 and not young:
            # the scam act at a clock hour the page never posted in: the hours either side do not forgive it
            found = [(w, f) for w, f in found if f.feature != "hour"]
            found.insert(
                0,
                (
                    p.w_hour,
                    Finding(
                        "hour",
                        1.0,
                        f"{local:%H:%M}, an hour the page never posted in (usual {self._usual(st)})",
                        f"{local:%H:%M}, en timme sidan aldrig postat (vanligen {self._usual(st, 'sv')})",
                    ),
                ),
            )
        if not is_post and (new_domain or pt.score > p.pitch_floor):
            n = self._repeated(st, event)
            # as strange as what it pushes: a campaign's new site under the page's own top-level domain counts less
            push = max((f.score for _, f in found if f.feature in ("domain", "pitch")), default=0.0)
            if n >= 2 and push > 0:
                found.append(
                    (
                        p.w_repeat,
                        Finding(
                            "repeat",
                            round(min(1.0, (n - 1) / max(1, p.repeat_n - 1)) * push, 2),
                            f"the same reply {n} times in a row",
                            f"samma svar {n} gånger i rad",
                        ),
                    )
                )
        if not is_post and not pushes:
            return 0.0, []  # the page's own comment: judged by what it pushes, its hour only adds to that
        if st.strange_at is not None and event.event.time - st.strange_at <= p.again_within and pushes:
            mins = int((event.event.time - st.strange_at).total_seconds() // 60)
            found.append(
                (
                    p.w_again,
                    Finding(
                        "again",
                        1.0,
                        f"another strange post {mins} min before",
                        f"ännu ett avvikande inlägg {mins} min tidigare",
                    ),
                )
            )
        text = event.text
        b = _len_bin(text)
        near = sum(st.length[i] for i in range(max(0, b - 1), min(16, b + 2)))
        if is_post and not young and near / st.posts < 0.02:
            found.append(
                (
                    p.w_length,
                    Finding(
                        "length", 1.0, f"{len(text)} characters, unusual length", f"{len(text)} tecken, ovanlig längd"
                    ),
                )
            )
        found = [(w, f) for w, f in found if w > 0]  # a feature weighted 0 is switched off: not named either
        total = sum(w * f.score for w, f in found)
        return total, [f for _, f in found]

    @staticmethod
    def pitch_of(event: Enriched) -> Pitch:
        return pitch(reading(event.text))  # a scam pitches where readers look: its start is read, as for sentiment

    def _repeated(self, st: ProfileState, event: Enriched) -> int:
        """How many times in a row (each within ``repeat_within`` of the last) the page replied this text, now
        included; remembers it. At most ``MAX_REPEATS`` texts, as hashes."""
        key, now = _reply_key(event.text), event.event.time
        n, last = st.repeats.get(key, (0, now))
        n = n + 1 if now - last <= self.p.repeat_within else 1
        st.repeats.pop(key, None)
        st.repeats[key] = (n, now)  # the most recent last: the oldest go first
        if len(st.repeats) > MAX_REPEATS:
            for k in list(st.repeats)[: len(st.repeats) - MAX_REPEATS]:
                del st.repeats[k]
        return n

    @staticmethod
    def _habits(st: ProfileState, event: Enriched, pt: Pitch) -> Pitch:
        """A reply's pitch without the categories the page's replies used on ``OWN_DAYS`` earlier days (its service's
        habits: a utility's agents asking every night for the account number in a DM), and this day noted for each
        category it has. A takeover lasts hours, not a week of days: its pitch is judged in full."""
        today = event.local_time.date().isoformat()
        habits = {c for c, days in st.reply_days.items() if sum(d < today for d in days) >= OWN_DAYS}
        for c in pt.categories:
            days = st.reply_days.setdefault(c, [])
            if not days or days[-1] != today:
                days.append(today)
                del days[: -OWN_DAYS - 1]
        return without(pt, habits)

    def learn(self, st: ProfileState, event: Enriched) -> None:
        local = event.local_time
        st.posts += 1
        st.hours[local.hour] += 1
        st.weekend += local.weekday() >= 5
        st.length[_len_bin(event.text)] += 1
        for name, value in _features(event).items():
            if value:
                seen = st.values.setdefault(name, {})
                seen[value] = seen.get(value, 0) + 1
                _bound(seen)
        if event.domains:
            st.linked_posts += 1
        for d in event.domains:
            st.domains[d] = st.domains.get(d, 0) + 1
        for m in _mentions(event.text):
            st.mentions[m] = st.mentions.get(m, 0) + 1
        _bound(st.domains)
        _bound(st.mentions)
        if event.text:
            st.texts.append(event.text[: voice.MAX_CHARS])
            del st.texts[: -self.p.memory]

    # -- protocol -----------------------------------------------------------
    def observe(self, state: ProfileState, event: Enriched, now: datetime) -> list[Signal]:
        is_post = event.event.kind == "post.created"
        if not is_post and not event.domains and not event.text:
            return []
        young = state.posts < self.p.min_posts
        if young and event.event.kind == "comment.created" and not event.domains:
            return []  # still learning: the page's replies are read for their pitch once it is learned, or with a link
        pt = self.pitch_of(event) if event.text and (young or self.p.w_pitch > 0) else None
        if pt is not None and event.event.kind in REPLIES:
            pt = self._habits(state, event, pt)
        if young and (pt is None or pt.score <= self.p.pitch_floor or self.p.w_pitch <= 0):
            # still learning the page's habits: only a post that pitches is judged (by what needs none of them)
            if is_post:
                self.learn(state, event)
            return []
        total, findings = self.score(state, event, pt, young=young)
        if total >= self.p.warning:
            state.strange_at = event.event.time
        elif is_post and not any(f.feature == "pitch" for f in findings):
            # a pitch above the floor is by the list's own measure not the page's voice (its contests and sales stay
            # under it): never learned as usual, so the domain it pushes stays new for the posts that follow
            self.learn(state, event)
        if total < self.p.min_score:
            return []
        sev = (
            Severity.CRITICAL
            if total >= self.p.critical
            else Severity.WARNING
            if total >= self.p.warning
            else Severity.INFO
        )
        # in each language (``rules.templates`` writes it in the summary's): {"en": ..., "sv": ...}
        why = {"en": "; ".join(f.why for f in findings), "sv": "; ".join(f.why_sv or f.why for f in findings)}
        obj = event.event.object
        post_id = obj.get("comment_id") or obj.get("post_id") or obj.get("thread_id")
        # one alert per page, not per post: a takeover's many scam posts are more evidence, not new alerts
        return [
            Signal(
                labels={},
                active=True,
                at=now,
                severity=sev,
                values={
                    "score": round(total, 2),
                    "why": why,
                    "post_id": str(post_id or ""),
                    "features": ", ".join(f.feature for f in findings),
                },
                evidence=(event.event.id,),
            )
        ]

    def advance(self, state: ProfileState, now: datetime) -> list[Signal]:
        return []

    def next_due(self, state: ProfileState) -> datetime | None:
        return None

    def to_json(self, state: ProfileState) -> Mapping[str, Any]:
        return {
            "posts": state.posts,
            "hours": state.hours,
            "weekend": state.weekend,
            "length": state.length,
            "linked_posts": state.linked_posts,
            "values": state.values,
            "domains": state.domains,
            "texts": state.texts,
            "mentions": state.mentions,
            "strange_at": state.strange_at.isoformat() if state.strange_at else None,
            "repeats": {k: [n, t.isoformat()] for k, (n, t) in state.repeats.items()},
            "reply_days": state.reply_days,
        }

    def from_json(self, data: Mapping[str, Any]) -> ProfileState:
        return ProfileState(
            posts=int(data.get("posts", 0)),
            hours=[int(x) for x in data.get("hours", [0] * 24)],
            weekend=int(data.get("weekend", 0)),
            length=[int(x) for x in data.get("length", [0] * 16)],
            linked_posts=int(data.get("linked_posts", 0)),
            values={
                str(k): {str(a): int(b) for a, b in dict(v).items()} for k, v in dict(data.get("values", {})).items()
            },
            domains={str(k): int(v) for k, v in dict(data.get("domains", {})).items()},
            texts=[str(t) for t in data.get("texts", [])],
            mentions={str(k): int(v) for k, v in dict(data.get("mentions", {})).items()},
            strange_at=datetime.fromisoformat(str(data["strange_at"])) if data.get("strange_at") else None,
            repeats={
                str(k): (int(v[0]), datetime.fromisoformat(str(v[1])))
                for k, v in list(dict(data.get("repeats", {})).items())[-MAX_REPEATS:]
            },
            reply_days={str(k): [str(d) for d in v] for k, v in dict(data.get("reply_days", {})).items()},
        )


def factory(params: Mapping[str, Any], compile: Compile) -> ProfileDetector:
    return ProfileDetector(parse_params(ProfileParams, params))
