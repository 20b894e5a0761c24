"""What to simulate (``ScenarioSpec``) and the pages it implies (``PageProfile``).

Every page is derived from the spec's seed and its index alone, so a page
looks the same whether it is simulated alone or among two hundred.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sentinel.simulate import texts

TIMEZONE = "Europe/Stockholm"
DEFAULT_START = date(2025, 10, 6)  # a Monday; 28 days from here cross the end of summer time
HIJACK_START = (21, 40)  # local time on the Friday
HIJACK_END_HOUR = 5  # local time on the Saturday
# "storm": a day-long angry surge; "slow-burn": complaints that double every 75 min for hours; "complaint-wave":
# complaints without question marks that build for hours and stay. Quiet ones, which must not page: "launch", "contest"
# (one big happy spike each), "live-night" (a live video every Thursday evening of the span).
CRISIS_KINDS = ("storm", "slow-burn", "complaint-wave", "launch", "contest", "live-night")
QUIET_KINDS = ("launch", "contest", "live-night")


@dataclass(frozen=True, slots=True)
class ScenarioSpec:
    """A scenario: ``pages`` pages for ``days`` days from ``start`` (local dates).

    ``hijack`` and ``crisis`` happen on the first page only: the hijack on the
    last Friday night of the span, the crisis on a weekday in the middle.
    """

    pages: int = 1
    days: int = 28
    seed: int = 1
    start: date = DEFAULT_START
    hijack: bool = False
    crisis: bool = False
    crisis_kind: str = "storm"  # one of CRISIS_KINDS
    first_volume: float = 1.0  # the first page's size (1.0: a busy national retailer, ~150-250 events a day)
    content: str = ""  # on the first page: "takeover", "campaign" or "rebrand" (sentinel/simulate/takeover.py)
    language: str = "sv"  # the pages' own posts: sv, en, da or no
    visitors: str = "sv"  # what the pages' visitors write: sv, da or no (sentinel/simulate/visitors.py)

    def __post_init__(self) -> None:
        if self.pages < 1:
            raise ValueError(f"pages must be at least 1, got {self.pages}")
        if self.days < 1:
            raise ValueError(f"days must be at least 1, got {self.days}")
        if self.hijack and self.hijack_day is None:
            raise ValueError(
                f"a hijack needs a Friday followed by a Saturday in the span; {self.days} days "
                f"from {self.start.isoformat()} have none"
            )
        if self.crisis_kind not in CRISIS_KINDS:
            raise ValueError(f"crisis kind must be one of {', '.join(CRISIS_KINDS)}, got {self.crisis_kind!r}")
        if not 0.0 < self.first_volume <= 10.0:
            raise ValueError(f"first_volume must be above 0 and at most 10, got {self.first_volume}")
        if self.content not in ("", "takeover", "campaign", "rebrand"):
            raise ValueError(f"content must be takeover, campaign or rebrand, got {self.content!r}")
        if self.language not in ("sv", "en", "da", "no"):
            raise ValueError(f"language must be sv, en, da or no, got {self.language!r}")
        if self.visitors not in ("sv", "da", "no"):
            raise ValueError(f"visitors must be sv, da or no, got {self.visitors!r}")
        if self.crisis and self.crisis_day is None:
            raise ValueError(
                f"a crisis needs a weekday in the span; {self.days} days from {self.start.isoformat()} have none"
            )

    @property
    def end(self) -> date:
        """The first local date after the span."""
        return self.start + timedelta(days=self.days)

    @property
    def hijack_day(self) -> date | None:
        """The last Friday whose Saturday is still inside the span."""
        d = self.end - timedelta(days=2)
        while d >= self.start:
            if d.weekday() == 4:
                return d
            d -= timedelta(days=1)
        return None

    @property
    def crisis_day(self) -> date | None:
        """The first Tuesday-Thursday at or after the middle of the span (before a hijack)."""
        d = self.start + timedelta(days=self.days // 2)
        for _ in range(7):
            if d < self.end and d.weekday() in (1, 2, 3) and d != self.hijack_day:
                return d
            d += timedelta(days=1)
        d = self.start
        while d < self.end:
            if d.weekday() < 5:
                return d
            d += timedelta(days=1)
        return None


@dataclass(frozen=True, slots=True)
class Admin:
    id: str
    name: str
    apps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PageProfile:
    index: int
    key: str
    name: str
    numeric_id: str
    domain: str
    category: str
    volume: float  # 1.0 is a busy national retailer (~150-250 events a day)
    staffed: dict[int, tuple[int, int]]  # weekday -> (start hour, end hour), local
    staffed_yaml: dict[str, str]
    response_sla: str
    admins: tuple[Admin, ...]
    population: int  # offset of this page's visitors in the shared population
    seed: int


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_text.lower() if c.isalnum() or c == "_")


_STAFFING = (
    (
        {0: (8, 17), 1: (8, 17), 2: (8, 17), 3: (8, 17), 4: (8, 17), 5: (10, 14)},
        {"mon-fri": "08:00-17:00", "sat": "10:00-14:00"},
    ),
    ({0: (8, 17), 1: (8, 17), 2: (8, 17), 3: (8, 17), 4: (8, 17)}, {"mon-fri": "08:00-17:00"}),
    (
        {0: (9, 18), 1: (9, 18), 2: (9, 18), 3: (9, 18), 4: (9, 18), 5: (10, 16), 6: (11, 15)},
        {"mon-fri": "09:00-18:00", "sat": "10:00-16:00", "sun": "11:00-15:00"},
    ),
)


def page_profile(spec: ScenarioSpec, index: int) -> PageProfile:
    rng = random.Random(f"{spec.seed}:page:{index}")
    n_pre, n_suf = len(texts.SHOP_PREFIXES), len(texts.SHOP_SUFFIXES)
    if index == 0:
        name, category, key = "Norrsken Hem & Trädgård", "home", "norrsken"
        volume, staffing = spec.first_volume, _STAFFING[0]
    else:
        prefix, category = texts.SHOP_PREFIXES[index % n_pre]
        suffix = texts.SHOP_SUFFIXES[(index // n_pre) % n_suf]
        name = (prefix + suffix).capitalize()
        combo = index // (n_pre * n_suf)
        if combo:
            name += " " + texts.CITIES[(combo - 1) % len(texts.CITIES)]
        if combo > len(texts.CITIES):
            name += f" {index}"
        key = _slug(name.replace(" ", "_"))
        volume = min(4.0, max(0.05, rng.lognormvariate(-0.4, 0.8)))
        staffing = _STAFFING[rng.randrange(len(_STAFFING))]
    numeric_id = str(104700000000000 + index * 7919 + rng.randrange(7000))
    admins = []
    for a in range(rng.choice((2, 3, 3, 4))):
        first, last = rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
        apps = tuple(rng.sample(texts.APPS_KNOWN, rng.choice((1, 2))))
        admins.append(
            Admin(
                id=str(100001000000000 + index * 1000 + a * 37 + rng.randrange(30)), name=f"{first} {last}", apps=apps
            )
        )
    return PageProfile(
        index=index,
        key=key,
        name=name,
        numeric_id=numeric_id,
        domain=f"www.{_slug(name)}.se",
        category=category,
        volume=volume,
        staffed=staffing[0],
        staffed_yaml=staffing[1],
        response_sla=rng.choice(("4h", "4h", "8h", "2h")) if index else "4h",
        admins=tuple(admins),
        population=rng.randrange(1 << 20),
        seed=rng.randrange(1 << 62),
    )


def page_configs(spec: ScenarioSpec) -> list[dict[str, Any]]:
    """The minimal ``pages:`` config (docs/replay.md) for the generated pages."""
    out = []
    for i in range(spec.pages):
        p = page_profile(spec, i)
        out.append(
            {
                "id": p.key,
                "platform": "facebook",
                "name": p.name,
                "timezone": TIMEZONE,
                "language": spec.language,
                "staffed_hours": dict(p.staffed_yaml),
                "holidays": "SE",
                "response_sla": p.response_sla,
            }
        )
    return out
