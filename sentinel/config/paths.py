"""Paths in a config file are read relative to the file's own folder.

``resolve_paths(data, base, positions)`` rewrites, before validation, every
relative path a config names: ``store.url`` (a SQLite file), ``rules.dirs``
and each secret's ``x_file`` twin; so a command run from another folder
reads the same files as the daemon.

The store URL, spelled out (as in SQLAlchemy, but relative to the config
file, not to the current folder):

- ``sqlite:////var/lib/sentinel/sentinel.db``: four slashes, an absolute path;
- ``sqlite:///sentinel.db``: three slashes, a path relative to the config file's folder;
- ``sentinel.db`` or ``/var/lib/sentinel/sentinel.db``: a plain path, the same rules;
- ``sqlite://:memory:``: a throw-away in-memory store;
- ``postgresql://user@host/db``: PostgreSQL.

Three slashes before a system folder (``sqlite:///var/lib/...``) is almost
always a four-slash URL missing a slash; unless that folder really exists
beside the config file, it is reported with the fix. So is a URL whose scheme
is misspelt (``sqlite//s.db``, ``sqllite:///s.db``, ``postgress://...``): read
as a plain path it would make a new, empty store in a folder named after the
typo, and the daemon would start on it without a word.
"""

from __future__ import annotations

import re
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from sentinel.config.yamlpos import Positions
from sentinel.errors import Issue

# First parts of a path that name a system folder when written after "sqlite:///" by mistake.
_SYSTEM_DIRS = frozenset({"var", "etc", "opt", "srv", "tmp", "home", "run", "usr", "mnt", "root"})
_SCHEMES = ("sqlite", "postgresql", "postgres")
# "word:" or "word//" before the rest: a scheme, spelt right or not ("c:" and the like are a Windows drive)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+)(?::|//)")


def sqlite_file(url: str) -> str | None:
    """The file a SQLite store URL names, as written (None: PostgreSQL or in-memory)."""
    if url.startswith(("postgres://", "postgresql://")):
        return None
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url.removeprefix("sqlite://")
    return None if path in ("", ":memory:") else path


def _misspelt_scheme(url: str) -> str | None:
    """What is wrong with ``url``'s scheme, if it has one that is not a store's (None: a store URL or a path)."""
    m = _SCHEME.match(url)
    if m is None:
        return None
    scheme, sep = m.group(1), url[m.end(1) : m.end(1) + 1]
    if scheme in _SCHEMES and sep == ":":
        return None
    near = get_close_matches(scheme.lower(), _SCHEMES, n=1, cutoff=0.6)
    if sep != ":" and scheme.lower() not in _SCHEMES and not near:
        return None  # "data//s.db": a folder named data, written with a doubled slash
    hint = "sqlite:///FILE (relative to the config's folder), sqlite:////ABSOLUTE/FILE or postgresql://..."
    if scheme in _SCHEMES:
        return f"{url!r} has no ':' after '{scheme}'; a store URL is {hint}"
    did = f"did you mean '{near[0]}:'? " if near else ""
    return f"{url!r}: unknown scheme '{scheme}'; {did}a store URL is {hint}"


def _resolve_store(url: Any, base: Path, positions: Positions) -> tuple[Any, list[Issue]]:
    if not isinstance(url, str):
        return url, []
    if (wrong := _misspelt_scheme(url)) is not None:
        return url, [positions.issue(("store", "url"), wrong)]
    path = sqlite_file(url)
    if path is None or Path(path).is_absolute():
        return url, []
    first = Path(path).parts[0] if Path(path).parts else ""
    if url.startswith("sqlite:///") and first in _SYSTEM_DIRS and not (base / first).exists():
        what = (
            f"{url!r} is the file {path!r} relative to the config's folder ({base}); for the absolute "
            f"path /{path} write four slashes: 'sqlite:////{path}'"
        )
        return url, [positions.issue(("store", "url"), what)]
    return f"sqlite:///{(base / path).resolve()}", []


def _resolve_files(node: Any, base: Path) -> Any:
    """Every ``x_file: relative/path`` under ``node`` made absolute against ``base``."""
    if isinstance(node, dict):
        return {
            k: (
                str(base / v)
                if isinstance(k, str) and k.endswith("_file") and isinstance(v, str) and v and not Path(v).is_absolute()
                else _resolve_files(v, base)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_resolve_files(v, base) for v in node]
    return node


def resolve_paths(data: Any, base: Path, positions: Positions) -> tuple[Any, list[Issue]]:
    """``data`` with its relative paths made absolute against ``base``, and issues (a mistyped store URL)."""
    if not isinstance(data, dict):
        return data, []
    data = _resolve_files(data, base)
    issues: list[Issue] = []
    store = data.get("store")
    if isinstance(store, dict) and "url" in store:
        url, issues = _resolve_store(store["url"], base, positions)
        data["store"] = {**store, "url": url}
    rules = data.get("rules")
    if isinstance(rules, dict) and isinstance(rules.get("dirs"), list):
        data["rules"] = {
            **rules,
            "dirs": [str(base / d) if isinstance(d, str) and not Path(d).is_absolute() else d for d in rules["dirs"]],
        }
    return data, issues
