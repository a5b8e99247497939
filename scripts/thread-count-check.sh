#!/usr/bin/env bash
# Does the same root seed give the same training losses with another thread count? Trains the same tiny baseline
# (dropout on, 12 steps, seed 7) three times through `mtc run`: with 2 threads, 1 thread, and 2 threads again, and
# writes the three loss curves and whether they agree bit for bit to OUT/thread-count.json (with its provenance).
# Usage: scripts/thread-count-check.sh [OUT]   (default OUT: results/reproducibility; needs ../shared/multi30k)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-results/reproducibility}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
cat > "$WORK/exp.yaml" <<YAML
extends: $PWD/configs/model/tiny.yaml
experiment: threads
seed: 7
data: {dataset: multi30k, vocab_size: 1000, mirrors: [$(cd ../shared/multi30k && pwd)]}
model: {encoder_layers: 1, decoder_layers: 1, heads: 2, d_model: 32, ffn_dim: 64, dropout: 0.1}
train: {lr: 0.003, warmup_steps: 10, max_steps: 12, token_budget: 1200, validate_every: 0, validation_bleu: false,
        patience: 0, beam: 1}
eval: {beam: 1, max_sentences: 10, bootstrap: 10}
YAML
i=0
for t in 2 1 2; do
  i=$((i + 1))
  MTC_THREADS=$t ./mtc run "$WORK/exp.yaml" --results "$WORK/r$i" > "$WORK/r$i.log" 2>&1
  echo "$t" > "$WORK/r$i.threads"
done
python3 - "$WORK" "$OUT/thread-count.json" "$(git rev-parse HEAD)$(git diff --quiet HEAD -- src || echo ' (dirty)')" <<'PY'
import glob, json, os, sys, datetime
work, out, commit = sys.argv[1:4]
runs = []
for i in (1, 2, 3):
    m = json.load(open(glob.glob(f"{work}/r{i}/**/baselines/*/metrics.json", recursive=True)[0]))
    runs.append({"threads": int(open(f"{work}/r{i}.threads").read()), "losses": [s["loss"] for s in m["loss_curve"]]})
def first_difference(a, b):
    return next((k + 1 for k, (x, y) in enumerate(zip(a, b)) if x != y), None)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
result = {
    "produced_by": "scripts/thread-count-check.sh " + out.rsplit("/", 1)[0],
    "date": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
    "commit": commit,
    "machine": f"{cpu}, {os.cpu_count()} cores",
    "setup": "tiny model (1+1 layers, d=32, dropout 0.1), multi30k, vocabulary 1000, root seed 7, 12 steps",
    "runs": runs,
    "same_threads_identical": runs[0]["losses"] == runs[2]["losses"],
    "other_threads_first_different_step": first_difference(runs[0]["losses"], runs[1]["losses"]),
    "other_threads_max_abs_difference": max(abs(x - y) for x, y in zip(runs[0]["losses"], runs[1]["losses"])),
}
json.dump(result, open(out, "w"), indent=2)
print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=2))
PY
