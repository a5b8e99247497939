#!/usr/bin/env bash
# `mtc eval` as a process against `mtc bench bleu` in process, on the same 48,064-line file pair: the reference is
# ../shared/wmt/newstest/*.de (twice, cut at 48,064 lines), the hypothesis drops every 7th word of it. Five runs
# of each, alternating; prints and writes the medians (process: wall and CPU time) with commit, machine and load
# to results/bench/eval.md (or $1).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/results/bench/eval.md}"
RUNS=5
W="$(mktemp -d)"; trap 'rm -rf "$W"' EXIT
cat "$ROOT"/../shared/wmt/newstest/*.de "$ROOT"/../shared/wmt/newstest/*.de | awk 'NR<=48064' > "$W/ref.de"
awk '{n=split($0,w," "); o=""; for(i=1;i<=n;i++){ if((i+NR)%7==0) continue; o=o (o==""?"":" ") w[i]} print o}' "$W/ref.de" > "$W/hyp.de"
"$ROOT/mtc" --version >/dev/null   # build first if needed
load_before=$(cut -d' ' -f1 /proc/loadavg)
proc=(); cpu=(); inproc=()
TIMEFORMAT='%R %U %S'
for ((i = 0; i < RUNS; i++)); do
  t=$( { time "$ROOT/mtc" eval --ref "$W/ref.de" --hyp "$W/hyp.de" >/dev/null; } 2>&1 | tail -1)
  read -r real user sys <<<"$t"
  proc+=("$(echo "$real * 1000" | bc -l | xargs printf '%.0f')")
  cpu+=("$(echo "($user + $sys) * 1000" | bc -l | xargs printf '%.0f')")
  inproc+=("$("$ROOT/mtc" bench bleu --ref "$W/ref.de" --hyp "$W/hyp.de" --warmup 10 --iterations 10 --bleu-only | awk '/^BLEU \(13a\)/ {printf "%.0f", $3}')")
done
load_after=$(cut -d' ' -f1 /proc/loadavg)
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
row() { local name="$1"; shift; local m; m=$(median "$@"); printf '| %s | %s | %s |\n' "$name" "$(printf '%s ' "$@" | xargs)" "$m"; }
mp=$(median "${proc[@]}"); mc=$(median "${cpu[@]}"); mi=$(median "${inproc[@]}")
{
  echo "# mtc eval: process against in-process"
  echo
  echo "Produced by \`scripts/bench-eval.sh\` at commit \`$(git -C "$ROOT" rev-parse HEAD)\`$( [ -n "$(git -C "$ROOT" status --porcelain -- src/main mtc)" ] && echo ' (src/main or mtc dirty)'), $(date -u +%Y-%m-%dT%H:%MZ), on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) x $(nproc) cores, $(java -version 2>&1 | head -1); load average $load_before before, $load_after after."
  echo "48,064 lines (newstest*.de); BLEU 13a. Process: \`./mtc eval --ref REF --hyp HYP\` (JVM start, reading both files, scoring): wall time, and CPU time (user + system, all threads)."
  echo "In process: \`./mtc bench bleu --ref REF --hyp HYP --warmup 10 --iterations 10 --bleu-only\`, median ms of BLEU (13a) after warm-up."
  echo "$RUNS runs of each, alternating."
  echo
  echo "| | runs (ms) | median ms |"
  echo "| --- | --- | ---: |"
  row '`mtc eval` process, wall' "${proc[@]}"
  row '`mtc eval` process, CPU' "${cpu[@]}"
  row '`mtc bench bleu` in process' "${inproc[@]}"
  echo
  echo "Ratio of the medians, process wall / in process: $(echo "$mp / $mi" | bc -l | xargs printf '%.2f')x."
} > "$OUT"
cat "$OUT"
