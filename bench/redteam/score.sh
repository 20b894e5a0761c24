#!/bin/bash
# Replay a black-box red team's scenarios through `sentinel replay` and score them with ../shared/tools/score.py.
#
#   bash bench/redteam/score.sh third            # red team 3's 30 scenarios (about a minute)
#   bash bench/redteam/score.sh fourth OUTDIR    # red team 4's 24, keeping the alerts in OUTDIR
#
# The scenarios are generated afresh (seeded: the same every time) into a temporary folder, replayed four at a
# time with the sentinel on PYTHONPATH (this checkout's, unless you set it) and scored; the last line is
# score.py's total. See bench/redteam/README.md for what is in- and out-of-sample.
set -eu
SET=${1:?usage: score.sh third|fourth|fifth|sixth|seventh|eighth [OUTDIR]}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SCORE=${SCORE:-$ROOT/../shared/tools/score.py}
[ -d "$HERE/$SET" ] || { echo "score.sh: no red team '$SET' (third, fourth, fifth, sixth, seventh, eighth)" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
OUT=${2:-$WORK/out}
mkdir -p "$OUT"
python3 "$HERE/$SET/gen.py" "$WORK/scenarios" > /dev/null
export PYTHONPATH=${PYTHONPATH:-$ROOT}
for d in "$WORK"/scenarios/*/; do
  n=$(basename "$d")
  (cd "$d" && python3 -m sentinel replay --no-progress --config config.yaml events.jsonl > "$OUT/$n.jsonl") &
  while [ "$(jobs -r | wc -l)" -ge 4 ]; do sleep 0.2; done
done
wait
python3 "$SCORE" --dir "$WORK/scenarios" --alerts-dir "$OUT" | tail -1
