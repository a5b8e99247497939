#!/usr/bin/env bash
# Compares ND4J builds (JavaCPP platform extensions of nd4j-native) on a small training step, in alternating
# rounds (shared machines drift: each round runs every build once), and writes the rows with the machine and
# commit they come from. The builds must be on the class path (pom.xml); this is how the launcher's choice in
# scripts/native-choice.sh was measured (docs/speed.md).
#   scripts/bench-natives.sh [ROUNDS] [OUT] [EXTENSIONS...]
#   scripts/bench-natives.sh 3 results/bench/natives.md "" -onednn
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${1:-3}"
OUT="${2:-$ROOT/results/bench/natives.md}"
shift 2 || true
if [ $# -gt 0 ]; then EXTS=("$@"); else EXTS=("" "-onednn"); fi
TMP="$(mktemp)"
trap 'rm -f "$TMP"' EXIT
{
  echo "# ND4J builds on a small training step"
  echo
  echo "Produced by \`scripts/bench-natives.sh $ROUNDS ${OUT#"$ROOT"/} $(printf '"%s" ' "${EXTS[@]}")\` at commit $(git -C "$ROOT" rev-parse HEAD)$( [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ] && echo ' (dirty tree)'):"
  echo "\`./mtc bench train --sizes small --steps 5\` (batch 64 x 32, vocabulary 8000) once per build per round,"
  echo "builds alternating; the extension is JavaCPP's org.bytedeco.javacpp.platform.extension (\"\" = generic);"
  echo "OPENBLAS_CORETYPE as the launcher sets it."
  echo
  echo '```'
  printf '%-6s %-16s %-6s %10s %10s %12s %12s %14s %12s\n' round extension size params s/step "tgt tok/s" \
    "cpu s/step" "tok/s @2 idle" "peak RSS MB"
} > "$TMP"
cd "$ROOT"
for round in $(seq 1 "$ROUNDS"); do
  for ext in "${EXTS[@]}"; do
    row="$(MTC_JAVA_OPTS="-Dorg.bytedeco.javacpp.platform.extension=$ext" ./mtc bench train --sizes small --steps 5 | grep '^small')"
    printf '%-6s %-16s %s\n' "$round" "\"$ext\"" "$row" | tee -a "$TMP"
  done
done
{
  echo '```'
  echo
  echo "Machine (\`./mtc env --json\`):"
  echo
  echo '```json'
  ./mtc env --json
  echo '```'
} >> "$TMP"
mkdir -p "$(dirname "$OUT")"
chmod 644 "$TMP"
mv "$TMP" "$OUT"
trap - EXIT
