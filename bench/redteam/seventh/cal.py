"""Calendar helpers: holidays (only days that are certainly closed), staffed time, DST."""
import datetime as dt
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def easter(y):
    a = y % 19
    b, c = divmod(y, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = ((h + l_ - 7 * m + 114) % 31) + 1
    return dt.date(y, month, day)


def _weekday_between(y, m, d0, d1, wd):
    for d in range(d0, d1 + 1):
        x = dt.date(y, m, d)
        if x.weekday() == wd:
            return x
    raise ValueError


def holidays(country, year):
    """Days that are certainly closed for customer service (ambiguous half-days left out)."""
    if not country:
        return []
    e = easter(year)
    D = dt.date
    td = dt.timedelta
    if country == "SE":
        out = [D(year, 1, 1), D(year, 1, 6), e - td(2), e, e + td(1), D(year, 5, 1), e + td(39), e + td(49),
               D(year, 6, 6), _weekday_between(year, 6, 19, 25, 4), _weekday_between(year, 6, 20, 26, 5),
               D(year, 12, 24), D(year, 12, 25), D(year, 12, 26), D(year, 12, 31)]
        # alla helgons dag: Saturday Oct 31 - Nov 6
        for d in range(31, 38):
            x = D(year, 10, 31) + td(d - 31)
            if x.weekday() == 5:
                out.append(x)
                break
        return sorted(out)
    if country == "NO":
        return sorted([D(year, 1, 1), e - td(3), e - td(2), e, e + td(1), D(year, 5, 1), D(year, 5, 17),
                       e + td(39), e + td(49), e + td(50), D(year, 12, 25), D(year, 12, 26)])
    if country == "DK":
        return sorted([D(year, 1, 1), e - td(3), e - td(2), e, e + td(1), e + td(39), e + td(49), e + td(50),
                       D(year, 12, 25), D(year, 12, 26)])
    if country == "FI":
        out = [D(year, 1, 1), D(year, 1, 6), e - td(2), e, e + td(1), D(year, 5, 1), e + td(39), e + td(49),
               _weekday_between(year, 6, 19, 25, 4), _weekday_between(year, 6, 20, 26, 5), D(year, 12, 6),
               D(year, 12, 24), D(year, 12, 25), D(year, 12, 26)]
        for d in range(7):
            x = D(year, 10, 31) + td(d)
            if x.weekday() == 5:
                out.append(x)
                break
        return sorted(out)
    if country == "GB":
        def last_mon(m):
            x = D(year, m + 1, 1) - td(1) if m < 12 else D(year, 12, 31)
            while x.weekday() != 0:
                x -= td(1)
            return x
        first_may = D(year, 5, 1)
        while first_may.weekday() != 0:
            first_may += td(1)
        out = [D(year, 1, 1), e - td(2), e + td(1), first_may, last_mon(5), last_mon(8)]
        c1, c2 = D(year, 12, 25), D(year, 12, 26)
        # substitutes
        if c1.weekday() == 5:
            out += [D(year, 12, 27), D(year, 12, 28)]
        elif c1.weekday() == 6:
            out += [D(year, 12, 26), D(year, 12, 27)]
        elif c2.weekday() == 5:
            out += [c1, D(year, 12, 28)]
        else:
            out += [c1, c2]
        if D(year, 1, 1).weekday() >= 5:
            out.append(D(year, 1, 1) + td(7 - D(year, 1, 1).weekday()))
        return sorted(out)
    raise ValueError(country)


def parse_staffed(spec):
    """spec: dict like {"mon-fri": "08:00-17:00", "sat": "10:00-14:00"} -> {weekday: (start_min, end_min)}"""
    out = {}
    for k, v in spec.items():
        if "-" in k:
            a, b = k.split("-")
            rng = range(DAYS.index(a), DAYS.index(b) + 1)
        else:
            rng = [DAYS.index(k)]
        s, e = v.split("-")
        sm = int(s[:2]) * 60 + int(s[3:])
        em = int(e[:2]) * 60 + int(e[3:])
        for d in rng:
            out[d] = (sm, em)
    return out


class Clock:
    def __init__(self, tzname, staffed_spec, country):
        self.tz = ZoneInfo(tzname)
        self.staffed = parse_staffed(staffed_spec) if staffed_spec else None
        self.country = country
        self._hol = {}

    def is_holiday(self, d):
        if d.year not in self._hol:
            self._hol[d.year] = set(holidays(self.country, d.year))
        return d in self._hol[d.year]

    def local(self, t):
        return t.astimezone(self.tz)

    def at(self, d, minutes):
        """aware UTC datetime for local date d at minutes after midnight"""
        h, m = divmod(minutes, 60)
        if h >= 24:
            return (dt.datetime(d.year, d.month, d.day, tzinfo=self.tz) + dt.timedelta(days=1)).astimezone(UTC)
        return dt.datetime(d.year, d.month, d.day, h, m, tzinfo=self.tz).astimezone(UTC)

    def window(self, d):
        if self.staffed is None:
            return None
        if self.is_holiday(d):
            return None
        w = self.staffed.get(d.weekday())
        if not w:
            return None
        return self.at(d, w[0]), self.at(d, w[1])

    def is_staffed(self, t):
        if self.staffed is None:
            return True
        w = self.window(self.local(t).date())
        return bool(w and w[0] <= t < w[1])

    def add_staffed(self, t, seconds):
        """the instant when `seconds` of staffed time have passed after t"""
        if self.staffed is None:
            return t + dt.timedelta(seconds=seconds)
        left = float(seconds)
        d = self.local(t).date()
        for _ in range(400):
            w = self.window(d)
            if w:
                s = max(t, w[0])
                if s < w[1]:
                    avail = (w[1] - s).total_seconds()
                    if avail >= left:
                        return s + dt.timedelta(seconds=left)
                    left -= avail
            d = d + dt.timedelta(days=1)
        raise RuntimeError("no staffed time")

    def next_staffed(self, t):
        if self.staffed is None or self.is_staffed(t):
            return t
        d = self.local(t).date()
        for _ in range(400):
            w = self.window(d)
            if w and w[1] > t:
                return max(t, w[0])
            d += dt.timedelta(days=1)
        raise RuntimeError


def fmt(t, tz):
    return t.astimezone(tz).replace(microsecond=0).isoformat()


def dst_sundays(start, end):
    """last Sundays of March and October between dates"""
    out = []
    for y in range(start.year, end.year + 1):
        for m in (3, 10):
            x = dt.date(y, m, 31)
            while x.weekday() != 6:
                x -= dt.timedelta(days=1)
            if start <= x <= end:
                out.append(x)
    return out
