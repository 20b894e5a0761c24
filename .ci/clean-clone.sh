#!/usr/bin/env bash
# A newcomer's first minute, from a clean clone of HEAD: the README's "Try it"
# demo command, then `sentinel incidents -c sentinel-demo/sentinel.yaml`,
# which must show the demo's open incident with times labelled with their zone,
# and nothing may be written outside sentinel-demo/ (HOME and /var/lib/sentinel
# are watched; Python's __pycache__ and the editable install's egg-info are not
# the demo's doing).
#
#   bash .ci/clean-clone.sh            # as CI runs it: installs into a fresh venv (needs the package index)
#   CLEAN_CLONE_INSTALL=no bash .ci/clean-clone.sh
#                                      # offline: the clone's code from PYTHONPATH, with this Python's packages
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "clean-clone: FAIL: $*" >&2; exit 1; }

mkdir -p "$work/clone" "$work/home"
git -C "$repo" archive HEAD | tar -x -C "$work/clone"
cd "$work/clone"

# The README's demo command: the first line of its "Try it" section that runs `sentinel demo`.
# One awk process, not sed | grep -m1: under pipefail, grep quitting early can SIGPIPE sed (a flaky failure).
demo_cmd="$(awk '/^## /{in_try = ($0 ~ /^## Try it/)} in_try && /sentinel demo/ {print; exit}' README.md)"
[ -n "$demo_cmd" ] || fail "README.md's Try it section has no 'sentinel demo' command"
echo "clean-clone: README's demo command: $demo_cmd"

install_cmd=""
case "$demo_cmd" in *"&&"*) install_cmd="${demo_cmd%%&&*}"; demo_cmd="${demo_cmd#*&& }" ;; esac

python3 -m venv --system-site-packages "$work/venv"
export PATH="$work/venv/bin:$PATH"
if [ "${CLEAN_CLONE_INSTALL:-yes}" = no ]; then
  export PYTHONPATH="$work/clone"    # skip the install step: the clone's code from PYTHONPATH
elif [ -n "$install_cmd" ]; then
  bash -c "$install_cmd" > "$work/install.out" 2>&1 || { tail -20 "$work/install.out"; fail "the install failed"; }
fi
export HOME="$work/home"             # from here on, nothing may be written there

snapshot() { find . -path ./sentinel-demo -prune -o -name __pycache__ -prune -o -name '*.egg-info' -prune \
               -o -print | sort; }
var_before="$(ls -d /var/lib/sentinel 2>/dev/null || true)"
before="$(snapshot)"

bash -c "$demo_cmd" > "$work/demo.out" || { tail -20 "$work/demo.out"; fail "the demo failed"; }
grep -q "Open incidents at the end: [1-9]" "$work/demo.out" || fail "the demo left no open incident"

python3 -m sentinel incidents -c sentinel-demo/sentinel.yaml > "$work/incidents.out" \
  || fail "sentinel incidents failed: $(cat "$work/incidents.out")"
cat "$work/incidents.out"
head -1 "$work/incidents.out" | grep -q "^ID .*OPENED.*SUMMARY" || fail "no header row"
grep -qE '^inc-[0-9]+ +[0-9-]{10} [0-9:]{5} (CET|CEST) ' "$work/incidents.out" \
  || fail "no incident with a time labelled CET/CEST (the page's zone)"
if grep -qE '[0-9]{2}:[0-9]{2}Z' "$work/incidents.out"; then fail "a time is labelled Z"; fi

after="$(snapshot)"
[ "$before" = "$after" ] || fail "files written outside sentinel-demo/: $(diff <(echo "$before") <(echo "$after") | grep '^>' || true)"
[ -z "$(ls -A "$work/home")" ] || fail "files written to HOME: $(ls -A "$work/home")"
[ "$(ls -d /var/lib/sentinel 2>/dev/null || true)" = "$var_before" ] || fail "/var/lib/sentinel was created"
echo "clean-clone: ok"
