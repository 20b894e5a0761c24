"""Comment sentiment against human labels: per language macro-F1 and the crisis rules' negative test.

    python3 bench/sentiment_eval.py                                  # ../shared/sentiment-dev, all three splits
    python3 bench/sentiment_eval.py --dir DIR --split held-out       # another folder of *.jsonl; one split
    python3 bench/sentiment_eval.py --split develop --detail         # where it errs: per class, and confusions
    python3 bench/sentiment_eval.py --cost                           # CPU per new text, caches cleared
    python3 bench/sentiment_eval.py --no-emoji                       # the words alone (emoji taken out)
    python3 bench/sentiment_eval.py --dir bench/data/customer-texts  # customers' messages written for Sentinel

Reads every ``*.jsonl`` of the folder (one ``{"text", "label", "lang"}`` object a line, labels ``negative`` |
``neutral`` | ``positive``; ``../shared/sentiment-dev`` by default, evaluation use only) and scores each text as
``sentinel enrich --text TEXT --lang LANG`` does: an ``Enriched`` comment on a page of that language. It prints,
per language and split:

- **macro-F1** over the three classes, the compound score cut as VADER does: negative <= -0.05 < neutral < 0.05
  <= positive;
- **the rule's negative**: precision and recall of ``negative`` as ``sentinel enrich`` prints it, the
  compound at or below the crisis rules' ``negative_below`` (read from ``rules/crisis.yaml``, which must agree
  with the enrich command's threshold).

With ``--detail``, each language and split also gets each class's precision, recall and F1 and the confusion
matrix (gold label by row, predicted by column): where macro-F1 is lost. Look at it on the develop half.

With ``--no-emoji`` every text is scored with its emoji taken out (and left out when nothing is left): every
Swedish text here has emoji, and real customers' complaints often have none, so this is how much of the Swedish
figure rests on the words.

With ``--cost`` it prints instead what scoring a text not seen before costs: the CPU time of one pass of
``score_on_page`` over every text with the scorer's caches cleared, the least of seven passes.

Splits: each text goes to ``develop`` or ``held-out`` by its own ``split`` field when it has one, else by a fixed
hash of its text (the first byte of its SHA-256, even or odd), the same on every machine. Word lists and rules
are developed looking at the develop half's figures only; the held-out half is the out-of-sample check, and
``all`` is both.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT.parent / "shared" / "sentiment-dev"
CLASSES = ("negative", "neutral", "positive")
SPLITS = ("develop", "held-out", "all")


def split_of(text: str) -> str:
    """``develop`` or ``held-out``: a fixed hash of the text, so a text never changes sides."""
    return "develop" if hashlib.sha256(text.encode("utf-8")).digest()[0] % 2 == 0 else "held-out"


def rule_threshold() -> float:
    """The crisis rules' ``negative_below``: every shipped rule that counts negatives must use one value, and it
    must be the one ``sentinel enrich`` prints ``negative`` by."""
    from ruamel.yaml import YAML

    from sentinel.detectors.rate_spike import RateSpikeParams

    doc = YAML(typ="safe").load((ROOT / "rules" / "crisis.yaml").read_text(encoding="utf-8"))
    values = {
        float(r["detect"].get("negative_below", RateSpikeParams().negative_below))
        for r in doc["rules"]
        if "negative_share" in r.get("detect", {})
    }
    enrich = RateSpikeParams().negative_below
    if values != {enrich}:
        raise SystemExit(f"rules/crisis.yaml counts negatives below {sorted(values)}, sentinel enrich below {enrich}")
    return enrich


def scorer(threshold: float) -> object:
    """``(text, lang) -> (compound, negative)`` exactly as ``sentinel enrich --text TEXT --lang LANG``."""
    from sentinel.commands.enrich import features, text_event
    from sentinel.config import PageConfig
    from sentinel.enrich import Enriched
    from sentinel.enrich.knowledge import PageKnowledge

    pages: dict[str, PageConfig] = {}

    def score(text: str, lang: str) -> tuple[float, bool]:
        ev = text_event(text)
        page = pages.setdefault(lang, PageConfig(id="text", language=lang))
        f = features(Enriched(ev, page, PageKnowledge()), threshold)
        return float(f["sentiment"]), bool(f["negative"])

    return score


def without_emoji(text: str) -> str:
    """``text`` with its emoji and pictographs taken out (symbols of Unicode's "So" class, skin tones, joiners and
    variation selectors): what the scorer makes of the words alone."""
    import unicodedata

    return "".join(
        ch
        for ch in text
        if unicodedata.category(ch) != "So" and not 0x1F3FB <= ord(ch) <= 0x1F3FF and ch not in "\u200d\ufe0f\ufe0e"
    )


def label_of(compound: float) -> str:
    return "negative" if compound <= -0.05 else "positive" if compound >= 0.05 else "neutral"


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def confusion(rows: Iterable[tuple[str, str, bool]]) -> Counter[tuple[str, str]]:
    return Counter((gold, pred) for gold, pred, _ in rows)


def per_class(pairs: Counter[tuple[str, str]]) -> dict[str, tuple[float, float, float]]:
    """class -> (precision, recall, F1) of the three-class reading."""
    out = {}
    for c in CLASSES:
        tp = pairs[c, c]
        fp = sum(v for (g, p), v in pairs.items() if p == c and g != c)
        fn = sum(v for (g, p), v in pairs.items() if g == c and p != c)
        out[c] = (tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0, f1(tp, fp, fn))
    return out


def print_detail(rows: list[tuple[str, str, bool]]) -> None:
    pairs = confusion(rows)
    for c, (p, r, f) in per_class(pairs).items():
        print(
            f"      {c:<9} P {p:.3f}  R {r:.3f}  F1 {f:.3f}   gold {c:<9} -> "
            + "  ".join(f"{q[:3]} {pairs[c, q]:>4}" for q in CLASSES)
        )


def measure(rows: Iterable[tuple[str, str, bool]]) -> dict[str, float]:
    """rows of (gold label, predicted label, rule's negative) -> macro-F1, negative precision and recall."""
    pairs: Counter[tuple[str, str]] = Counter()
    neg: Counter[tuple[bool, bool]] = Counter()
    n = 0
    for gold, pred, negative in rows:
        pairs[gold, pred] += 1
        neg[gold == "negative", negative] += 1
        n += 1
    tp, fp, fn = neg[True, True], neg[False, True], neg[True, False]
    return {
        "n": n,
        "macro_f1": sum(f for _, _, f in per_class(pairs).values()) / len(CLASSES),
        "neg_precision": tp / (tp + fp) if tp + fp else 0.0,
        "neg_recall": tp / (tp + fn) if tp + fn else 0.0,
        "neg_f1": f1(tp, fp, fn),
    }


def cost(texts: list[tuple[str, str]], passes: int = 7) -> float:
    """Least CPU seconds per text of ``passes`` passes of ``score_on_page``, each with the caches cleared."""
    import time

    from sentinel.enrich import sentiment

    best = float("inf")
    for _ in range(passes):
        for f in vars(sentiment).values():  # every memo of the module: the texts are new again
            if callable(getattr(f, "cache_clear", None)):
                f.cache_clear()
        t0 = time.process_time()
        for text, lang in texts:
            sentiment.score_on_page(text, lang)
        best = min(best, time.process_time() - t0)
    return best / max(1, len(texts))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="folder of labelled *.jsonl (default: %(default)s)")
    ap.add_argument("--split", choices=SPLITS, action="append", help="only these splits (default: all three)")
    ap.add_argument("--json", action="store_true", help="one JSON object per language and split")
    ap.add_argument("--detail", action="store_true", help="also per-class P/R/F1 and the confusion matrix")
    ap.add_argument("--cost", action="store_true", help="only the CPU time to score a new text")
    ap.add_argument(
        "--by-file", action="store_true", help="figures per file (its name in the first column), not per language"
    )
    ap.add_argument(
        "--no-emoji", action="store_true", help="score each text with its emoji taken out (texts left empty skipped)"
    )
    args = ap.parse_args(argv)
    files = sorted(args.dir.glob("*.jsonl"))
    if not files:
        print(f"sentiment_eval: no *.jsonl in {args.dir}", file=sys.stderr)
        return 2
    if args.cost:
        rows = [json.loads(line) for path in files for line in path.open(encoding="utf-8") if line.strip()]
        texts = [(d["text"], d["lang"]) for d in rows]
        print(
            f"{cost(texts) * 1e6:.1f} us CPU per new text (least of 7 passes over {len(texts)} texts, caches cleared)"
        )
        return 0
    threshold = rule_threshold()
    score = scorer(threshold)
    results: dict[tuple[str, str], list[tuple[str, str, bool]]] = {}
    for path in files:
        with path.open(encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                d = json.loads(line)
                text = without_emoji(d["text"]) if args.no_emoji else d["text"]
                if not text.strip():
                    continue
                compound, negative = score(text, d["lang"])  # type: ignore[operator]
                row = (d["label"], label_of(compound), negative)
                group = path.stem if args.by_file else d["lang"]
                for split in (d.get("split") or split_of(d["text"]), "all"):
                    results.setdefault((group, split), []).append(row)
    splits = args.split or list(SPLITS)
    if not args.json:
        print(f"negative: compound <= {threshold} (rules/crisis.yaml); classes cut at +-0.05")
        first = "file" if args.by_file else "lang"
        print(f"{first:<5} {'split':<9} {'n':>5} {'macro-F1':>9} {'neg P':>6} {'neg R':>6} {'neg F1':>6}")
    for group in sorted({group for group, _ in results}):
        for split in splits:
            m = measure(results.get((group, split), []))
            if not m["n"] and args.by_file:
                continue  # a file of one split
            if args.json:
                key = "file" if args.by_file else "lang"
                print(json.dumps({key: group, "split": split, **{k: round(v, 4) for k, v in m.items()}}))
            else:
                print(
                    f"{group:<5} {split:<9} {m['n']:>5} {m['macro_f1']:>9.3f} {m['neg_precision']:>6.3f} "
                    f"{m['neg_recall']:>6.3f} {m['neg_f1']:>6.3f}"
                )
                if args.detail:
                    print_detail(results.get((group, split), []))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
