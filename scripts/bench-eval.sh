#!/usr/bin/env bash
# `mtc eval` as a process against `mtc bench bleu` in process, on the same 48,064-line file pair: the reference is
# ../shared/wmt/newstest/*.de (twice, cut at 48,064 lines), the hypothesis drops every 7th word of it. Three runs
# of each, alternating; prints and writes the medians with commit and machine to results/bench/eval.md (or $1).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/results/bench/eval.md}"
W="$(mktemp -d)"; trap 'rm -rf "$W"' EXIT
cat "$ROOT"/../shared/wmt/newstest/*.de "$ROOT"/../shared/wmt/newstest/*.de | awk 'NR<=48064' > "$W/ref.de"
awk '{n=split($0,w," "); o=""; for(i=1;i<=n;i++){ if((i+NR)%7==0) continue; o=o (o==""?"":" ") w[i]} print o}' "$W/ref.de" > "$W/hyp.de"
"$ROOT/mtc" --version >/dev/null   # build first if needed
proc=(); inproc=()
for i in 1 2 3; do
  s=$(date +%s.%N); "$ROOT/mtc" eval --ref "$W/ref.de" --hyp "$W/hyp.de" >/dev/null; e=$(date +%s.%N)
  proc+=("$(echo "($e - $s) * 1000" | bc -l | xargs printf '%.0f')")
  inproc+=("$("$ROOT/mtc" bench bleu --ref "$W/ref.de" --hyp "$W/hyp.de" --warmup 10 --iterations 10 | awk '/^BLEU \(13a\)/ {printf "%.0f", $3}')")
done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
mp=$(median "${proc[@]}"); mi=$(median "${inproc[@]}")
{
  echo "# mtc eval: process against in-process"
  echo
  echo "Produced by \`scripts/bench-eval.sh\` at commit \`$(git -C "$ROOT" rev-parse HEAD)\`$( [ -n "$(git -C "$ROOT" status --porcelain -- src/main)" ] && echo ' (src/main dirty)'), $(date -u +%Y-%m-%dT%H:%MZ), on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) x $(nproc) cores, $(java -version 2>&1 | head -1)."
  echo "48,064 lines (newstest*.de); BLEU 13a. Process: wall time of \`./mtc eval --ref REF --hyp HYP\` (JVM start, reading both files, scoring)."
  echo "In process: \`./mtc bench bleu --ref REF --hyp HYP --warmup 10 --iterations 10\`, median ms of BLEU (13a) after warm-up."
  echo
  echo "| | run 1 ms | run 2 ms | run 3 ms | median ms |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  echo "| \`mtc eval\` process | ${proc[0]} | ${proc[1]} | ${proc[2]} | $mp |"
  echo "| \`mtc bench bleu\` in process | ${inproc[0]} | ${inproc[1]} | ${inproc[2]} | $mi |"
  echo
  echo "Ratio of the medians: $(echo "$mp / $mi" | bc -l | xargs printf '%.2f')x."
} > "$OUT"
cat "$OUT"
