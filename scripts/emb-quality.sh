#!/usr/bin/env bash
# Issue #7's quality check on a trained baseline: the data-free embedding compressors (W8 channel, W4 group-64,
# W4 group-128) applied to a checkpoint without retraining, each decoded on test_2016_flickr and scored against the
# uncompressed model with sacreBLEU-exact BLEU and a paired bootstrap.
# Usage: scripts/emb-quality.sh RUN_DIR OUT_DIR [BEAM]   (RUN_DIR: an `mtc train` run folder with best.mtck)
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${1:?run folder}; OUT=${2:?output folder}; BEAM=${3:-4}
mkdir -p "$OUT"
zcat ../shared/multi30k/test_2016_flickr.en.gz > "$OUT/src.en"
zcat ../shared/multi30k/test_2016_flickr.de.gz > "$OUT/ref.de"
./mtc translate --checkpoint "$RUN/best.mtck" --input "$OUT/src.en" --beam "$BEAM" --output "$OUT/baseline.de"
for c in emb-w8-channel emb-w4-g64 emb-w4-g128; do
  ./mtc compress --checkpoint "$RUN/best.mtck" --config "configs/compress/$c.yaml" --output "$OUT/$c.mtck" \
    --report "$OUT/$c.size.json"
  ./mtc translate --checkpoint "$OUT/$c.mtck" --vocab "$RUN/vocab.model" --input "$OUT/src.en" --beam "$BEAM" \
    --output "$OUT/$c.de"
  rm "$OUT/$c.mtck"
done
./mtc eval -r "$OUT/ref.de" -i "$OUT/baseline.de" -i "$OUT/emb-w8-channel.de" -i "$OUT/emb-w4-g64.de" \
  -i "$OUT/emb-w4-g128.de" --paired-bs > "$OUT/eval.txt"
rm "$OUT/src.en" "$OUT/ref.de"
{
  echo "produced by: scripts/emb-quality.sh $RUN $OUT $BEAM, $(date -u +%FT%TZ)"
  echo "commit: $(git rev-parse HEAD)$(git diff --quiet HEAD -- src || echo ' (dirty)')"
  echo "baseline: $RUN/best.mtck ($(grep -m1 config_hash "$RUN/provenance.json" | tr -d ' ,'))"
  echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
  echo "decoding: beam $BEAM, length penalty 0.6, test_2016_flickr; paired bootstrap: 1,000 resamples, seed 12345"
} > "$OUT/provenance.txt"
cat "$OUT/eval.txt"
