"""A page's language as operators write it (``sv-SE``, ``DA``, ``nb``) is the language Sentinel reads and writes.

Before, ``language: da-DK`` was taken as a language without its own word table: a Danish page's angry storm was
scored with the Swedish and English words, found no negative comment and stayed a volume record; and
``language: sv-SE`` had its alerts written in English. What is no language code at all is a config error."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson
import pytest
from pydantic import ValidationError

from sentinel.config import PageConfig
from sentinel.config.types import language_code
from sentinel.enrich.knowledge import PageKnowledge
from sentinel.enrich.text import language
from sentinel.escalation.config import PersonConfig
from sentinel.testing import event, person
from sentinel.testing.replay import firing, replay_records


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        *[("sv", "sv"), ("SV", "sv"), ("sv-SE", "sv"), ("sv_SE", "sv"), ("da-DK", "da"), ("nb-NO", "no")],
        *[("nn", "no"), ("no", "no"), ("dan", "da"), ("swe", "sv"), ("fi", "fi"), ("en-GB", "en"), (" da ", "da")],
    ],
)
def test_a_language_tag_is_read_as_its_two_letter_code(tag: str, code: str) -> None:
    assert language_code(tag) == code
    assert PageConfig(id="p", language=tag).language == code


@pytest.mark.parametrize("tag", ["Danish", "svenska", "", "sv-", "fin", "s", "12"])
def test_what_is_no_language_code_is_refused_with_what_to_write(tag: str) -> None:
    with pytest.raises(ValidationError, match="two-letter ISO 639-1 code"):
        PageConfig(id="p", language=tag)


def test_a_person_may_write_their_language_with_a_region_but_not_one_sentinel_does_not_write() -> None:
    assert PersonConfig(name="anna", language="sv-SE").language == "sv"
    with pytest.raises(ValidationError, match="'sv' or 'en'"):
        PersonConfig(name="anna", language="da")


def test_bokmal_and_nynorsk_are_one_language_for_the_page_profile() -> None:
    assert language("Eg er veldig lei meg for at de ikkje svarar på meldingane mine") == "no"  # langid says nn
    restored = PageKnowledge.from_json({"languages": {"nn": 2, "no": 2}})  # saved when they were kept apart
    assert restored.usual_language() == "no" and restored.knows_language("no")


# Danish complaints in words Swedish and English lack (read with their tables, they score 0)
STORM_DA = (
    "Jeg er så skuffet over jeres elendige service, jeg skifter bank",
    "Jeg er rasende, jeres kundeservice er håbløs",
)
STORM_SV = ("Skandal! Ni är usla, det här är helt oacceptabelt och äckligt.",)


def _replay_storm(folder: Path, page_yaml: str, calm: str, storm: tuple[str, ...]) -> list[dict]:
    """Four quiet days of a page (a calm comment every 20 minutes), then 40 angry ones 20 s apart on a Friday
    evening, through ``sentinel replay`` as a user runs it; its output records."""
    t0 = datetime(2025, 9, 1, tzinfo=timezone(timedelta(hours=2)))  # a Monday
    page = page_yaml.split("id: ", 1)[1].split()[0]
    times = [t0 + i * timedelta(minutes=20) for i in range(288)]
    times += [t0 + timedelta(days=4, hours=20, seconds=20 * i) for i in range(40)]
    texts = [calm] * 288 + [storm[i % len(storm)] for i in range(40)]
    lines = [
        orjson.dumps(
            event(
                "comment.created", t, page=page, actor=person(f"v{i}"), comment_id=f"c{i}", post_id="p1",
                parent_id=None, message=text,
            ).to_json()
        )
        for i, (t, text) in enumerate(zip(times, texts, strict=True))
    ]  # fmt: skip
    (folder / "events.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    (folder / "pages.yaml").write_text(page_yaml, encoding="utf-8")
    return replay_records(folder, "pages.yaml", "events.jsonl")


@pytest.mark.parametrize("tag", ["da-DK", "da"])
def test_a_danish_storm_on_a_page_configured_da_dk_is_a_critical_negative_surge(tmp_path: Path, tag: str) -> None:
    page = f"pages:\n  - id: lagkage\n    timezone: Europe/Copenhagen\n    language: {tag}\n"
    records = _replay_storm(tmp_path, page, "Hyggelig aften, tak!", STORM_DA)
    assert "critical" in {r["severity"] for r in firing(records, "crisis.negative_surge")}, records


def test_a_swedish_page_configured_sv_se_gets_its_alerts_in_swedish(tmp_path: Path) -> None:
    page = "pages:\n  - id: druvan\n    timezone: Europe/Stockholm\n    language: sv-SE\n"
    records = _replay_storm(tmp_path, page, "Trevlig kväll, tack!", STORM_SV)
    surges = firing(records, "crisis.negative_surge")
    assert surges and all("arg kommentarsvåg" in r["summary"] for r in surges), surges
