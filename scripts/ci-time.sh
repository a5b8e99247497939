#!/usr/bin/env bash
# Times CI as a newcomer meets it: a fresh `git clone` of HEAD into a temporary folder with ../shared beside it,
# then `.ci/run` (exactly scripts/test.sh, the README's test command). Writes the wall time, surefire's two
# summaries (unit tests, then the slow tests) and the exit code with commit and machine to results/ci/time.md
# (or $1); the whole log is kept next to it as time.log only when the run fails.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/results/ci/time.md}"
SHARED="$(cd "$ROOT/../shared" && pwd)"
W="$(mktemp -d)"; trap 'rm -rf "$W"' EXIT
ln -s "$SHARED" "$W/shared"
git clone -q "$ROOT" "$W/mtcompress"
commit="$(git -C "$W/mtcompress" rev-parse HEAD)"
start=$(date +%s)
set +e
(cd "$W/mtcompress" && .ci/run) > "$W/ci.log" 2>&1
rc=$?
set -e
secs=$(( $(date +%s) - start ))
# surefire prints "Tests run: N, Failures: F, Errors: E, Skipped: S" as the last summary of each execution
summaries=$(grep -E '^\[(INFO|ERROR|WARNING)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' "$W/ci.log" \
  | sed -E 's/^\[[A-Z]+\] Tests run: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+), Skipped: ([0-9]+)$/\1 \2 \3 \4/' || true)
cell() {  # the n-th summary as "N passed" (or with failures / errors / skips named)
  local line; line=$(printf '%s\n' "$summaries" | sed -n "${1}p")
  [ -n "$line" ] || { echo "not run"; return; }
  read -r n f e s <<<"$line"
  local txt="$((n - f - e - s)) passed"
  [ "$f" = 0 ] || txt="$txt, $f failed"; [ "$e" = 0 ] || txt="$txt, $e errors"; [ "$s" = 0 ] || txt="$txt, $s skipped"
  echo "$txt"
}
kills=$(grep -oE 'survived [0-9]+ kills' "$W/ci.log" | tail -1 || true)
# what the run had to fetch first, read from its own log: Maven's "Downloading from" lines, test.sh's install line
downloads=$(grep -c 'Downloading from' "$W/ci.log" || true)
installed=$(grep -m1 '^scripts/test.sh: installing' "$W/ci.log" | sed 's/^scripts\/test.sh: installing//' || true)
if [ "$downloads" = 0 ]; then m2="Maven's dependencies were already in ~/.m2 (a CI machine downloads them first)"
else m2="Maven downloaded $downloads artifacts during the run"; fi
if [ -z "$installed" ]; then apt="the Debian packages were already installed"
else apt="scripts/test.sh installed the Debian packages$installed"; fi
mkdir -p "$(dirname "$OUT")"
{
  echo "# CI time"
  echo
  echo "Produced by \`scripts/ci-time.sh\`: \`.ci/run\` (which runs exactly \`scripts/test.sh\`, the README's test command) on a fresh \`git clone\` of commit \`$commit\` with \`../shared\` beside it, on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) x $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%d). $m2; $apt."
  echo
  echo "| wall time | unit tests | slow tests | exit code |"
  echo "| ---: | ---: | ---: | ---: |"
  echo "| $secs s | $(cell 1) | $(cell 2) | $rc |"
  [ -z "$kills" ] || { echo; echo "KillResumeSlowTest in this run: $kills."; }
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
[ "$rc" = 0 ] || cp "$W/ci.log" "${OUT%.md}.log"
cat "$OUT"
exit "$rc"
