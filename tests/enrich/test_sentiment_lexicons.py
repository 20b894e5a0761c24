"""The shipped third-party lexicons are unmodified copies, each with its licence and attribution beside it."""

from __future__ import annotations

import hashlib
import re

import pytest

from sentinel.enrich import lexicons
from sentinel.enrich.lexicons import LICENSED, emoji_ranking, parse_tab

NOTICE = (LICENSED / "NOTICE.txt").read_text(encoding="utf-8")
LICENCES = {
    "AFINN-sv-165.txt": ("AFINN-LICENSE.txt", "AFINN-COPYRIGHT.txt"),
    "AFINN-da-32.txt": ("AFINN-LICENSE.txt", "AFINN-COPYRIGHT.txt", "AFINN-da-ODbL-1.0-LICENSE.txt"),
    "VADER-sv-vader_lexicon.txt": ("VADER-sv-LICENSE.txt",),
    "Emoji_Sentiment_Data_v1.0.csv.txt": ("EMOJI-SENTIMENT-RANKING-LICENSE-CC-BY-SA-4.0.txt",),
}


def test_every_shipped_lexicon_is_byte_for_byte_the_copy_its_notice_names() -> None:
    for name in LICENCES:
        stated = re.search(rf"{re.escape(name)}:?.*?sha256 ([0-9a-f]{{64}})", NOTICE, re.S)
        assert stated is not None, f"NOTICE.txt names no checksum for {name}"
        assert hashlib.sha256((LICENSED / name).read_bytes()).hexdigest() == stated.group(1), name


def test_every_file_beside_the_lexicons_is_a_lexicon_a_licence_or_the_notice() -> None:
    known = set(LICENCES) | {f for fs in LICENCES.values() for f in fs} | {"NOTICE.txt", "AFINN-CITATION.txt"}
    assert {p.name for p in LICENSED.iterdir()} == known
    for name in known - {"NOTICE.txt"}:
        assert name in NOTICE, f"NOTICE.txt does not mention {name}"


def test_the_lexicons_are_read_into_every_language_table() -> None:
    assert len(lexicons.SV) > 5000 and len(lexicons.DA) > 3000 and len(lexicons.NO) > len(lexicons.DA)
    assert lexicons.SV["usel"] < 0 < lexicons.SV["underbar"]
    assert lexicons.DA["elendig"] < 0 < lexicons.DA["fantastisk"]
    assert lexicons.EMOJI["😡"] < 0 < lexicons.EMOJI["😍"]


def test_a_curated_word_is_neutral_and_no_ending_is_stripped_to_find_another() -> None:
    # machine translation gave "stor" (big) the score of "great", and "fråga" that of "fråg"
    assert lexicons.SV["stor"] == 0 and lexicons.SV["fråga"] == 0


def test_a_word_listed_twice_with_different_scores_gets_their_mean_and_afinn_is_read_on_vaders_scale() -> None:
    table = parse_tab("varna\t-1\nvarna\t-2\n# a comment\nbad line\n")
    assert table == {"varna": [-1.0, -2.0]}
    assert lexicons._means(table, lexicons.AFINN_TO_VADER) == {"varna": pytest.approx(-1.2)}


def test_an_emojis_valence_is_its_measured_balance_and_a_rare_emoji_says_nothing() -> None:
    header = "Emoji,Unicode codepoint,Occurrences,Position,Negative,Neutral,Positive,Unicode name,Unicode block\n"
    rows = "😀,0x1f600,97,0.5,7,10,80,X,Y\n😾,0x1f63e,2,0.5,2,0,0,X,Y\n"
    table = emoji_ranking(header + rows)
    assert table == {"😀": round(lexicons.EMOJI_SCALE * 73 / 100, 3)}


def test_a_mild_guess_the_ranking_measured_the_other_way_is_neutral_and_a_strong_one_stays() -> None:
    ranking = {"😳": 0.1, "😢": 0.1, "😡": -2.8, "🙂": 1.0}
    own = {"😳": -1.2, "😢": -2.2, "😡": -3.2}
    assert lexicons.merge_emoji(ranking, own) == {"😳": 0.0, "😢": -2.2, "😡": -3.2, "🙂": 1.0}
