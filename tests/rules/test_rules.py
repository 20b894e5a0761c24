from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sentinel.commands import test as test_cmd
from sentinel.commands.check import check_rules
from sentinel.config.schema import PageConfig
from sentinel.errors import ConfigError
from sentinel.metrics import ALERTS_SUPPRESSED, REGISTRY
from sentinel.model import AlertStatus, Category
from sentinel.rules import RuleEngine, load_rules
from sentinel.testing import at, event, page_actor, person

SHIPPED_TESTS = Path(__file__).resolve().parents[2] / "rules" / "tests"


def pages(pid: str) -> PageConfig:
    return PageConfig(id=pid, timezone="Europe/Stockholm", staffed_hours={"mon-fri": "08:00-17:00"})


def write(tmp: Path, text: str) -> Path:
    d = tmp / "r"
    d.mkdir(exist_ok=True)
    (d / "x.yaml").write_text(text)
    return d


def test_shipped_packs_are_valid() -> None:
    assert check_rules([]) == []


@pytest.mark.parametrize(
    ("body", "line", "needle"),
    [
        ("  detect: {type: treshold}\n", 7, "did you mean 'threshold'"),
        ("  detect: {type: threshold, window: 10x, min: 3}\n", 7, "bad duration"),
        ("  match: {kinds: [post.created], when: 'kind =='}\n", 6, "bad expression"),
        ("  match: {kinds: [post.created], when: 'langg == \"en\"'}\n", 6, "did you mean 'lang'"),
        ("  severitty: info\n", 7, "did you mean 'severity'"),
        # a kind one letter off the event format's: the rule could never fire (a kind of one's own is fine)
        (
            "  match: {kinds: [tiktok.duet, post.delted]}\n",
            6,
            "'post.delted' is no kind of the event format: did you mean 'post.deleted'?",
        ),
    ],
)
def test_bad_rule_files_fail_with_file_line_and_reason(tmp_path: Path, body: str, line: int, needle: str) -> None:
    base = "rules:\n- id: x.y\n  category: other\n  severity: info\n"
    if "match:" not in body:
        base += "  match: {kinds: [post.created]}\n"
    text = base + body
    if "match:" in body:
        text = base + body + "  detect: {type: match}\n"
    issues = check_rules([write(tmp_path, text)])
    assert issues, text
    assert any(needle in str(i) and "x.yaml:" in str(i) for i in issues), [str(i) for i in issues]
    assert all(i.line is not None for i in issues)


def test_override_append_adds_an_exception_to_a_shipped_rule(tmp_path: Path) -> None:
    d = write(
        tmp_path,
        "rules:\n- id: hijack.manage_granted\n  override: append\n"
        "  exceptions: [{field: admin_id, op: in, values: ['42']}]\n",
    )
    rules = load_rules([d])
    eng = RuleEngine(rules, pages)
    ev = event("role.granted", at("0s"), actor=person("Boss"), user={"id": "42", "name": "Agency"}, tasks=["MANAGE"])
    assert [t for t in eng.process(ev, ev.time) if t.rule == "hijack.manage_granted"] == []


def test_disable_by_tag(tmp_path: Path) -> None:
    rules = load_rules([], disabled=["tag:roles"])
    assert rules.by_id("hijack.manage_granted") is None and rules.by_id("sla.unanswered") is not None


def test_pending_alert_fires_after_for_elapses_and_survives_restart(tmp_path: Path) -> None:
    d = write(
        tmp_path,
        "rules:\n- id: t.burst\n  category: other\n  severity: warning\n"
        "  match: {kinds: [comment.created]}\n  detect: {type: threshold, window: 1h, min: 2}\n"
        "  for: 10m\n",
    )
    rules = load_rules([d], include_shipped=False)
    eng = RuleEngine(rules, pages)
    for i in range(2):
        ev = event("comment.created", at(f"{i}m"), actor=person())
        assert eng.process(ev, ev.time) == []
    assert eng.next_due() == at("11m")
    snap = eng.snapshot()
    eng2 = RuleEngine(rules, pages)
    eng2.restore(snap)
    fired = eng2.advance(at("11m"))
    assert [(t.status, t.time) for t in fired] == [(AlertStatus.FIRING, at("11m"))]
    eng3 = RuleEngine(rules, pages)
    eng3.restore(eng2.snapshot())
    more = event("comment.created", at("12m"), actor=person())
    assert eng3.process(more, more.time) == []  # still firing: not re-emitted
    resolved = eng3.advance(at("2h"))
    assert [t.status for t in resolved] == [AlertStatus.RESOLVED]


def test_timers_in_different_utc_offsets_run_in_the_order_of_their_instants(tmp_path: Path) -> None:
    """The timer heap orders by instant: 11:50+01:00 (10:50 UTC) comes before 11:05+00:00, though its clock
    reads later."""
    from datetime import timezone

    d = write(
        tmp_path,
        "rules:\n- id: t.burst\n  category: other\n  severity: warning\n"
        "  match: {kinds: [comment.created]}\n  detect: {type: threshold, window: 1h, min: 1}\n"
        "  for: 10m\n",
    )
    eng = RuleEngine(load_rules([d], include_shipped=False), pages)
    utc = datetime(2025, 3, 3, 10, 55, tzinfo=UTC)
    cet = datetime(2025, 3, 3, 11, 40, tzinfo=timezone(timedelta(hours=1)))  # 10:40 UTC
    for page, t in (("b", utc), ("a", cet)):
        ev = event("comment.created", t, page=page, actor=person())
        assert eng.process(ev, max(utc, cet)) == []
    assert eng.next_due() == cet + timedelta(minutes=10)
    first = eng.advance(cet + timedelta(minutes=10))
    assert [(t.page, t.status) for t in first] == [("a", AlertStatus.FIRING)]
    assert eng.next_due() == utc + timedelta(minutes=10)
    assert [t.page for t in eng.advance(utc + timedelta(minutes=10))] == ["b"]


def test_firing_hijack_inhibits_crisis_on_same_page(tmp_path: Path) -> None:
    d = write(
        tmp_path,
        "rules:\n- id: t.crisis\n  category: crisis\n  severity: warning\n  match: {kinds: [comment.created]}\n",
    )
    eng = RuleEngine(load_rules([d]), pages)
    grant = event("role.granted", at("0s"), actor=person(), user={"id": "9", "name": "X"}, tasks=["MANAGE"])
    assert any(t.status == AlertStatus.FIRING for t in eng.process(grant, grant.time))
    before = ALERTS_SUPPRESSED.labels("inhibited")._value.get()
    c = event("comment.created", at("1m"), actor=person(), message="hej")
    out = [t for t in eng.process(c, c.time) if t.rule == "t.crisis"]
    assert [(t.status, t.reason) for t in out] == [(AlertStatus.SUPPRESSED, "inhibited")]
    assert ALERTS_SUPPRESSED.labels("inhibited")._value.get() == before + 1
    other = event("comment.created", at("1m"), page="other", actor=person(), message="hej")
    assert [t.status for t in eng.process(other, other.time) if t.rule == "t.crisis"] == [AlertStatus.FIRING]


def test_a_hijack_mutes_crises_on_its_page_for_a_day_after_it_ended_and_a_restart_keeps_that(tmp_path: Path) -> None:
    """The next day's worried comments are the takeover's aftermath: a crisis 6 h and 22 h after the hijack alert
    resolved is inhibited (also in an engine restored from a snapshot), one 25 h after it fires."""
    d = write(
        tmp_path,
        "rules:\n- id: t.crisis\n  category: crisis\n  severity: warning\n  match: {kinds: [comment.created]}\n",
    )
    eng = RuleEngine(load_rules([d]), pages)
    grant = event("role.granted", at("0s"), actor=person(), user={"id": "9", "name": "X"}, tasks=["MANAGE"])
    assert [t.status for t in eng.process(grant, grant.time)] == [AlertStatus.FIRING]
    ended = [t for t in eng.advance(at("2h")) if t.status == AlertStatus.RESOLVED]
    assert [t.rule for t in ended] == ["hijack.manage_granted"]
    assert ended[0].time == at("1h")

    def crisis(engine: RuleEngine, when: str) -> list[tuple[AlertStatus, str | None]]:
        c = event("comment.created", at(when), actor=person(), message="hej", comment_id=when)
        return [(t.status, t.reason) for t in engine.process(c, c.time) if t.rule == "t.crisis"]

    assert crisis(eng, "7h") == [(AlertStatus.SUPPRESSED, "inhibited")]
    restored = RuleEngine(load_rules([d]), pages)
    restored.restore(json.loads(json.dumps(eng.snapshot())))
    restored_later = RuleEngine(load_rules([d]), pages)
    restored_later.restore(json.loads(json.dumps(eng.snapshot())))
    assert crisis(restored, "23h") == [(AlertStatus.SUPPRESSED, "inhibited")]
    assert crisis(restored_later, "26h") == [(AlertStatus.FIRING, None)]
    other = event("comment.created", at("7h"), page="other", actor=person(), message="hej")
    assert [t.status for t in eng.process(other, other.time) if t.rule == "t.crisis"] == [AlertStatus.FIRING]


def test_a_hijack_warning_mutes_crises_only_while_it_fires(tmp_path: Path) -> None:
    """A warning (an unusual post) is a doubt, not a takeover: after it ended, the next day's crisis pages."""
    d = write(
        tmp_path,
        "rules:\n- id: t.doubt\n  category: hijack\n  severity: warning\n  match: {kinds: [post.created]}\n"
        "- id: t.crisis\n  category: crisis\n  severity: warning\n  match: {kinds: [comment.created]}\n",
    )
    eng = RuleEngine(load_rules([d], include_shipped=False), pages)
    post = event("post.created", at("0s"), actor=person(), message="Vinn en iPhone!")
    assert [t.status for t in eng.process(post, post.time)] == [AlertStatus.FIRING]
    during = event("comment.created", at("1m"), actor=person(), message="hej", comment_id="1")
    assert [(t.status, t.reason) for t in eng.process(during, during.time)] == [(AlertStatus.SUPPRESSED, "inhibited")]
    assert [t.rule for t in eng.advance(at("2h")) if t.status == AlertStatus.RESOLVED] == ["t.doubt"]
    after = event("comment.created", at("3h"), actor=person(), message="hej", comment_id="2")
    assert [t.status for t in eng.process(after, after.time) if t.rule == "t.crisis"] == [AlertStatus.FIRING]


def test_an_info_level_hijack_signal_does_not_mute_a_crisis(tmp_path: Path) -> None:
    """A new app or an ordinary role grant is a hint, not a takeover: the crisis on that page still pages."""
    d = write(
        tmp_path,
        "rules:\n- id: t.hint\n  category: hijack\n  severity: info\n"
        "  match: {kinds: [post.created]}\n"
        "- id: t.crisis\n  category: crisis\n  severity: warning\n"
        "  match: {kinds: [comment.created]}\n",
    )
    eng = RuleEngine(load_rules([d]), pages)
    post = event("post.created", at("0s"), actor=person(), message="Ny app")
    assert [t.status for t in eng.process(post, post.time) if t.rule == "t.hint"] == [AlertStatus.FIRING]
    c = event("comment.created", at("1m"), actor=person(), message="hej")
    assert [t.status for t in eng.process(c, c.time) if t.rule == "t.crisis"] == [AlertStatus.FIRING]


def test_rules_for_other_kinds_are_not_evaluated_on_the_hot_path(tmp_path: Path) -> None:
    """Rules are indexed by kind: 200 rules for other kinds add no evaluation (the timing is bench/rules_index.py)."""
    extra = "rules:\n" + "".join(
        f"- id: t.other{i}\n  category: other\n  severity: info\n"
        f"  match: {{kinds: [x.kind{i}], when: 'lang == \"en\"'}}\n"
        for i in range(200)
    )
    evs = [
        event("comment.created", at(f"{i}s"), actor=person(), message="Hej hej?", comment_id=str(i)) for i in range(200)
    ]

    def evaluations(rules: object) -> dict[str, float]:
        before = {
            c.value: REGISTRY.get_sample_value("sentinel_rule_evaluations_total", {"category": c.value}) or 0.0
            for c in Category
        }
        eng = RuleEngine(rules, pages)  # type: ignore[arg-type]
        for ev in evs:
            eng.process(ev, ev.time)
        return {
            c.value: (REGISTRY.get_sample_value("sentinel_rule_evaluations_total", {"category": c.value}) or 0.0)
            - before[c.value]
            for c in Category
        }

    base = evaluations(load_rules([]))
    big = evaluations(load_rules([write(tmp_path, extra)]))
    assert big == base
    assert big["other"] == 0 and sum(base.values()) > 0


def _run_test_cmd(paths: list[str]) -> int:
    p = argparse.ArgumentParser()
    sub = p.add_subparsers()
    test_cmd.register(sub)
    args = p.parse_args(["test", *paths])
    return int(args.func(args))


# The shipped test cases themselves run once, through the real CLI: tests/rules/test_rule_tests.py.


def test_broken_expectation_fails_with_readable_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        (SHIPPED_TESTS / "sla_health_test.yaml")
        .read_text()
        .replace("rule: health.source_error, severity: warning}", "rule: health.source_error, severity: critical}")
    )
    f = tmp_path / "broken.yaml"
    f.write_text(text)
    assert _run_test_cmd([str(f)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "-at 0h40m00s status=firing rule=health.source_error severity=critical" in out
    assert "+at 0h40m00s status=firing rule=health.source_error severity=warning" in out


def test_config_error_lists_every_issue(tmp_path: Path) -> None:
    d = write(
        tmp_path,
        "rules:\n- id: a\n  category: nope\n  severity: info\n  match: {kinds: [x]}\n"
        "- id: b\n  category: other\n  severity: loud\n  match: {kinds: [x]}\n",
    )
    with pytest.raises(ConfigError) as e:
        load_rules([d])
    assert len(e.value.issues) == 2


def test_sla_is_not_called_for_events_it_cannot_use_and_a_page_like_still_answers() -> None:
    from sentinel.detectors.sla import SlaDetector

    eng = RuleEngine(load_rules([], include_shipped=True), lambda pid: PageConfig(id=pid, response_sla="1h"))
    calls: list[str] = []
    original = SlaDetector.observe

    def counting(self: SlaDetector, state: object, event: object, now: object) -> object:
        calls.append(event.kind)  # type: ignore[attr-defined]
        return original(self, state, event, now)  # type: ignore[arg-type]

    SlaDetector.observe = counting  # type: ignore[assignment,method-assign]
    try:
        q = event("comment.created", at("0s"), actor=person(), message="Har ni öppet?", comment_id="c1", post_id="p1")
        eng.process(q, q.time)
        praise = event("comment.created", at("30s"), actor=person(), message="Fint!", comment_id="c0", post_id="p1")
        eng.process(praise, praise.time)  # a visitor's comment that asks nothing
        for i in range(3):  # visitors' likes: no question, no answer
            r = event("reaction.created", at(f"{i + 1}m"), actor=person(), target_id="c1", reaction="like")
            eng.process(r, r.time)
        like = event("reaction.created", at("5m"), actor=page_actor(), target_id="c1", reaction="like")
        eng.process(like, like.time)
        unanswered = event(
            "comment.created", at("6m"), page="other", actor=person(), message="Hallå?", comment_id="c2", post_id="p2"
        )
        eng.process(unanswered, unanswered.time)
        out = eng.advance(at("3h"))
    finally:
        SlaDetector.observe = original  # type: ignore[method-assign]
    # questions and the page's like, once for each of the two shipped sla rules (sla.unanswered, sla.due_soon)
    assert calls == ["comment.created"] * 2 + ["reaction.created"] * 2 + ["comment.created"] * 2
    # the like answered the first question; the other page's question is overdue
    assert [(t.page, t.status) for t in out if t.rule == "sla.unanswered"] == [("other", AlertStatus.FIRING)]


def test_a_schema_error_in_a_rule_file_does_not_hide_its_other_problems(tmp_path: Path) -> None:
    text = (
        "rules:\n"
        "- id: a.one\n  category: other\n  severity: info\n  severitty: info\n"
        "  match: {kinds: [post.created]}\n  detect: {type: match}\n"
        "- id: a.two\n  category: other\n  severity: info\n"
        "  match: {kinds: [post.created], when: 'langg == \"en\"'}\n  detect: {type: match}\n"
        "- id: a.three\n  category: other\n  severity: info\n  match: {kinds: [post.created]}\n"
        "  detect: {type: match}\n  annotations:\n    summary: {en: '{{ bogus.x }}'}\n"
        "- id: a.one\n  override: append\n  exceptions: [{field: admin_id, op: in, values: ['42']}]\n"
    )
    issues = [str(i) for i in check_rules([write(tmp_path, text)])]
    assert len(issues) == 3, issues  # the override of the broken a.one says nothing more
    assert "x.yaml:5:3: rules[0].severitty: unknown key 'severitty'" in issues[0]
    assert "x.yaml:11:" in issues[1] and "did you mean 'lang'" in issues[1]
    assert "x.yaml:19:" in issues[2] and "unknown template name 'bogus'" in issues[2]


def test_ever_new_kinds_of_ones_own_do_not_each_keep_a_plan() -> None:
    """Unknown kinds are evaluated (a wildcard rule may match them) but a client that sends a new kind with every
    event must not grow the engine by one plan each."""
    eng = RuleEngine(load_rules([]), pages)
    for n in range(500):
        ev = event(f"own.kind{n}", at(f"{n}s"), id=f"k{n}")
        eng.process(ev, ev.time)
    ev = event("comment.created", at("600s"), id="c1", message="hej", post_id="p1", comment_id="c1")
    eng.process(ev, ev.time)
    assert len(eng._page_ctx[ev.page][2]) <= 64 + 1
