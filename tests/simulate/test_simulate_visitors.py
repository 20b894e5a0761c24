"""``simulate --visitors``: a Danish or Norwegian page's customers write their own language, and its storm is paged
as a Swedish page's is (through ``sentinel replay``, as a user runs it)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from sentinel.simulate import ScenarioSpec, iter_records
from sentinel.simulate.visitors import VISITORS, Visitors
from sentinel.testing.replay import firing, replay_records


def _visitor_texts(spec: ScenarioSpec) -> list[str]:
    return [
        r["object"]["message"]
        for r in iter_records(spec)
        if r["kind"] in ("comment.created", "message.received") and (r["actor"] or {}).get("type") == "person"
    ]


def _words(v: Visitors) -> set[str]:
    """Every word of a language's visitor sentences."""
    return {w.strip("!?.,:👍❤️😍🤞🍀👋😡✅").lower() for f in fields(v) for t in getattr(v, f.name) for w in t.split()}


@pytest.mark.parametrize("lang", ["da", "no"])
def test_a_pages_visitors_write_its_language(lang: str) -> None:
    spec = ScenarioSpec(days=14, seed=3, crisis=True, crisis_kind="storm", hijack=False, visitors=lang)
    said = " ".join(_visitor_texts(spec)).lower().split()
    swedish_only = {"jag", "inte", "och", "varför", "tack"} - _words(VISITORS[lang])
    assert said and not swedish_only & set(said)
    assert {"jeg", "ikke"} <= set(said)


def test_swedish_visitors_are_the_default_and_another_language_is_refused() -> None:
    assert ScenarioSpec().visitors == "sv"
    assert {"jag", "tack"} <= set(" ".join(_visitor_texts(ScenarioSpec(days=7, hijack=False))).lower().split())
    with pytest.raises(ValueError, match="visitors"):
        ScenarioSpec(visitors="de")


def _replay_storm(tmp_path: Path, lang: str) -> set[tuple[str, str]]:
    cmd = [sys.executable, "-m", "sentinel", "simulate", "--pages", "2", "--days", "21", "--seed", "6"]
    cmd += ["--no-hijack", "--crisis", "storm", "--language", lang, "--visitors", lang, "-q"]
    cmd += ["-o", "ev.jsonl", "--config-out", "pages.yaml"]
    subprocess.run(cmd, cwd=tmp_path, check=True, timeout=120)
    return {(r["rule"], r["severity"]) for r in firing(replay_records(tmp_path, "pages.yaml", "ev.jsonl"))}


@pytest.mark.parametrize("lang", ["da", "no"])
def test_a_danish_or_norwegian_pages_storm_is_a_critical_negative_surge(tmp_path: Path, lang: str) -> None:
    """The issue's own case: an angry storm on a Danish page was a volume record only. The angry reactions were
    seen (they need no language); the comments were not, until the Danish and Norwegian tables knew the storm's
    everyday anger ("Hvordan kan I gøre sådan mod ...": AFINN-da's "mod" is courage, here it is "against")."""
    fired = _replay_storm(tmp_path, lang)
    assert ("crisis.negative_surge", "critical") in fired and ("crisis.slow_burn", "warning") in fired, fired
