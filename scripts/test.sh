#!/usr/bin/env bash
# The test command (README.md, first lines; .ci/run calls exactly this): sets up what the tests need on a fresh
# Debian/Ubuntu machine, then runs every test with `mvn -B verify` (unit tests, then the end-to-end tests tagged
# "slow"). Arguments go to Maven (e.g. `scripts/test.sh -o` to build offline).
#   Debian packages (only those missing are installed): maven + JDK 17 to build; sentencepiece (spm_train learns
#   the subword vocabulary); fontconfig + fonts-dejavu-core let JFreeChart draw PNG charts headless; Jupyter's
#   nbconvert, nbclient, ipykernel and nbformat execute notebooks/ headless (ComparisonNotebookTest).
#   A single-node Slurm cluster (scripts/slurm/start.sh: munge, MariaDB, slurmdbd, slurmctld, slurmd) for the
#   sweep tests, stopped again on exit.
# Installing and starting daemons needs root or sudo without a password; otherwise it stops with the command to
# run (exit 2).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

die() { echo "scripts/test.sh: error: $*" >&2; exit 2; }

if [ "$(id -u)" = 0 ]; then
  AS=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  AS=(sudo -n)
else
  AS=(none)
fi

PKGS="maven openjdk-17-jdk-headless sentencepiece fontconfig fonts-dejavu-core
      jupyter-nbconvert python3-nbclient python3-ipykernel jupyter-client python3-nbformat"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  [ "${AS[*]}" != none ] || die "missing Debian packages:$missing; install them with: sudo apt-get install -y --no-install-recommends$missing"
  echo "scripts/test.sh: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  "${AS[@]}" apt-get update -qq
  "${AS[@]}" apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

[ "${AS[*]}" != none ] || die "the sweep tests need a single-node Slurm cluster, started as root: run sudo scripts/slurm/start.sh, then mvn -B verify, then sudo scripts/slurm/stop.sh"
"${AS[@]}" scripts/slurm/start.sh
trap '"${AS[@]}" scripts/slurm/stop.sh' EXIT

mvn -B verify "$@"
