"""``sentinel enrich``: one JSON line per input with the features the rules see."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

from sentinel.testing import event

FIELDS = {"lang", "sentiment", "negative", "asks_reply", "links", "domains"}


def enrich(*args: str, stdin: bytes = b"") -> tuple[int, list[dict], str]:
    proc = subprocess.run(
        [sys.executable, "-m", "sentinel", "enrich", *args], input=stdin, capture_output=True, timeout=60
    )
    lines = [orjson.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return proc.returncode, lines, proc.stderr.decode()


def test_a_text_gets_its_language_sentiment_request_and_links() -> None:
    status, [line], _ = enrich(
        "--text", "Can you call me about my order? See https://shop.example.com/o/1", "--lang", "en"
    )
    assert status == 0 and line["id"] == "text" and set(line["features"]) == FIELDS
    f = line["features"]
    assert (f["lang"], f["asks_reply"], f["domains"]) == ("en", True, ["example.com"])  # registrable domain
    assert f["links"] == ["https://shop.example.com/o/1"]


def test_negative_is_the_crisis_rules_threshold_on_the_compound_score() -> None:
    _, [angry], _ = enrich("--text", "Terrible, awful service. I hate this shop, worst ever", "--lang", "en")
    _, [happy], _ = enrich("--text", "Thank you, lovely shop!", "--lang", "en")
    assert angry["features"]["sentiment"] <= -0.25 and angry["features"]["negative"] is True
    assert happy["features"]["sentiment"] > 0 and happy["features"]["negative"] is False
    assert happy["features"]["asks_reply"] is False  # thanks do not start the clock


def test_events_are_read_from_files_and_stdin_and_a_bad_line_is_named_and_skipped(tmp_path: Path) -> None:
    good = [
        event("comment.created", id=f"e{i}", message=m, post_id="p1", comment_id=f"c{i}")
        for i, m in enumerate(["Hej! Har ni öppet på lördag?", "Tack för hjälpen"])
    ]
    body = b"\n".join(orjson.dumps(e.to_json()) for e in good)
    f = tmp_path / "events.jsonl"
    f.write_bytes(body + b"\n{not json\n")
    status, lines, err = enrich(str(f))
    assert status == 1 and "events.jsonl:3" in err
    assert [(x["id"], x["features"]["asks_reply"]) for x in lines] == [("e0", True), ("e1", False)]
    status, lines, _ = enrich("-", stdin=body)
    assert status == 0 and [x["id"] for x in lines] == ["e0", "e1"]


def test_events_and_text_together_are_a_usage_error() -> None:
    status, lines, err = enrich("--text", "hej", "x.jsonl")
    assert (status, lines) == (2, []) and "either event files" in err


def test_lang_takes_a_tag_with_its_region_and_refuses_a_name() -> None:
    status, [line], _ = enrich("--text", "Jeg er rasende, jeres kundeservice er håbløs", "--lang", "da-DK")
    assert status == 0 and line["features"]["negative"] is True  # read with the Danish words, as with "da"
    status, lines, err = enrich("--text", "hej", "--lang", "Danish")
    assert (status, lines) == (2, []) and "Traceback" not in err
    assert err.strip() == "sentinel enrich: --lang: 'Danish' is not a language code " + (
        "(write a two-letter ISO 639-1 code: sv, en, da, no, fi, ...)"
    )


def test_a_long_run_of_letters_is_one_line_of_features_not_a_traceback() -> None:
    status, [line], err = enrich("--text", "jätte" * 1600, "--lang", "sv")
    assert (status, err) == (0, "") and set(line["features"]) == FIELDS


def test_a_customers_question_and_irony_read_as_the_rules_count_them() -> None:
    """What `sentinel enrich` prints is what the crisis rules count: a question about one's own matter is not a
    complaint, though it asks for an answer; irony that closes a complaint is one."""
    _, [question], _ = enrich("--text", "Hur anmäler jag en vattenskada?", "--lang", "sv")
    _, [irony], _ = enrich("--text", "Tre veckor utan svar och ingen tar telefonen. Snyggt.", "--lang", "sv")
    assert question["features"]["negative"] is False and question["features"]["asks_reply"] is True
    assert irony["features"]["negative"] is True and irony["features"]["sentiment"] <= -0.25


def test_a_handle_asks_the_page_it_names_and_not_the_friend_it_tags(tmp_path: Path) -> None:
    cfg = tmp_path / "sentinel.yaml"
    cfg.write_text("pages:\n  - id: druvan\n    name: Druvan Vin & Mat\n    language: sv\n")
    texts = ["@Druvan har ni öppet på lördag", "@Lisa vill du hänga med på lördag", "Hej, har ni öppet på lördag"]
    evs = [
        event("comment.created", id=f"e{i}", message=m, post_id="p1", comment_id=f"c{i}") for i, m in enumerate(texts)
    ]
    f = tmp_path / "events.jsonl"
    f.write_bytes(b"\n".join(orjson.dumps(e.to_json()) for e in evs) + b"\n")
    status, lines, err = enrich(str(f), "-c", str(cfg))
    assert status == 0, err
    assert [x["features"]["asks_reply"] for x in lines] == [True, False, True]


def test_a_short_swedish_post_is_swedish_and_a_foreign_one_foreign() -> None:
    """A third black-box red team: "Öppettider i påsk, se bild" was read as Norwegian, and on a weekend that foreign
    language made the page's own post a `hijack.unusual_post` warning."""
    _, [swedish], _ = enrich("--text", "Öppettider i påsk, se bild", "--lang", "sv")
    _, [english], _ = enrich("--text", "Free bitcoin giveaway for all our fans, click the link now", "--lang", "sv")
    assert (swedish["features"]["lang"], english["features"]["lang"]) == ("sv", "en")
