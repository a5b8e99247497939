#!/usr/bin/env bash
# Executes a notebook headlessly with the Java kernel (rapaio-jupyter-kernel) and writes the executed copy,
# outputs included, to target/notebooks/. Used by the test suite (ComparisonNotebookTest) and by hand:
#   notebooks/run.sh                                   # notebooks/comparison.ipynb on results/quickstart
#   MTC_RESULTS=results/poster notebooks/run.sh        # another experiment folder (relative to the project root)
#   notebooks/run.sh notebooks/other.ipynb             # another notebook
#   notebooks/run.sh notebooks/comparison.ipynb --allow-errors   # further arguments go to nbconvert
# Needs: Debian's jupyter-nbconvert python3-nbclient python3-ipykernel jupyter-client python3-nbformat, and
# `mvn package` (target/classes, target/lib and the kernel jar in target/notebook-kernel/; built here if missing).
# Environment: MTC_RESULTS (experiment folder), MTC_NOTEBOOK_OUT (default target/notebooks), NOTEBOOK_TIMEOUT
# (seconds per cell, default 600).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NOTEBOOK="$(realpath -m "${1:-$ROOT/notebooks/comparison.ipynb}")"
KERNEL_NAME=rapaio-jupyter-kernel
KERNEL_JAR="$ROOT/target/notebook-kernel/rapaio-jupyter-kernel.jar"

die() { echo "notebooks/run.sh: error: $*" >&2; exit 2; }

[ -f "$NOTEBOOK" ] || die "no notebook at $NOTEBOOK"
command -v jupyter >/dev/null && jupyter nbconvert --version >/dev/null 2>&1 \
  || die "Jupyter (nbconvert) is missing: apt-get install -y --no-install-recommends jupyter-nbconvert python3-nbclient python3-ipykernel jupyter-client python3-nbformat"
command -v java >/dev/null || die "java (17) is missing"

if [ ! -d "$ROOT/target/lib" ] || [ ! -d "$ROOT/target/classes" ] || [ ! -f "$KERNEL_JAR" ]; then
  command -v mvn >/dev/null || die "target/ is not built and Maven (mvn) is missing"
  echo "notebooks/run.sh: building (mvn package) ..." >&2
  mkdir -p "$ROOT/target"
  (cd "$ROOT" && mvn -B -q -DskipTests package >"$ROOT/target/notebook-build.log" 2>&1) \
    || die "build failed; see $ROOT/target/notebook-build.log"
fi

# The kernelspec lives in the user's Jupyter folder (~/.local/share/jupyter/kernels/); the installer copies the jar.
if ! jupyter kernelspec list 2>/dev/null | grep -q "^ *$KERNEL_NAME "; then
  echo "notebooks/run.sh: installing the Java kernelspec $KERNEL_NAME" >&2
  java -jar "$KERNEL_JAR" -i -auto </dev/null >/dev/null || die "could not install the kernelspec from $KERNEL_JAR"
fi

OUT="$ROOT/${MTC_NOTEBOOK_OUT:-target/notebooks}"
case "${MTC_NOTEBOOK_OUT:-}" in /*) OUT="$MTC_NOTEBOOK_OUT" ;; esac
mkdir -p "$OUT"
export MTC_ROOT="$ROOT"
export MTC_NOTEBOOK_OUT="$OUT"
export PYDEVD_DISABLE_FILE_VALIDATION=1   # silences a debugger warning of Debian's ipykernel on every start
# nbconvert starts the kernel in the notebook's folder (the %jars cell relies on it) and exits non-zero when a
# cell fails. Now and then (about one start in five here, under load) the Java kernel binds its sockets but never
# answers the first kernel_info_request; such a start is retried, a failing cell is not.
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
for attempt in 1 2 3; do
  status=0
  jupyter nbconvert --to notebook --execute "$NOTEBOOK" --output-dir "$OUT" \
    --ExecutePreprocessor.kernel_name="$KERNEL_NAME" \
    --ExecutePreprocessor.timeout="${NOTEBOOK_TIMEOUT:-600}" \
    --ExecutePreprocessor.startup_timeout="${NOTEBOOK_STARTUP_TIMEOUT:-60}" "${@:2}" 2>"$LOG" || status=$?
  cat "$LOG" >&2
  if [ "$status" -eq 0 ] || ! grep -q "Kernel didn't respond" "$LOG"; then
    exit "$status"
  fi
  echo "notebooks/run.sh: the kernel did not answer at start (attempt $attempt of 3)" >&2
done
exit "$status"
