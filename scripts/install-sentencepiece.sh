#!/usr/bin/env bash
# Installs Debian's sentencepiece (spm_train learns the subword vocabulary) when this process may: as root, or with
# sudo that needs no password. `./mtc` runs it when a vocabulary has to be learned and spm_train is missing.
# Exit codes: 0 installed (or already there); 3 not allowed to install here (no root, no password-less sudo, no
# apt-get, or MTC_NO_INSTALL=1); 1 the installation failed. Output: one line announcing the installation on
# stderr, nothing else (the caller names the command to run when it exits non-zero); apt-get's own output goes to
# $MTC_INSTALL_LOG (default: a temporary file).
set -uo pipefail

command -v spm_train >/dev/null 2>&1 && exit 0
[ "${MTC_NO_INSTALL:-0}" = 1 ] && exit 3
command -v apt-get >/dev/null 2>&1 || exit 3
if [ "$(id -u)" = 0 ]; then
  AS=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  AS=(sudo -n)
else
  exit 3
fi

LOG="${MTC_INSTALL_LOG:-$(mktemp "${TMPDIR:-/tmp}/mtc-install-sentencepiece.XXXXXX.log")}"
echo "mtc: spm_train is missing: installing Debian's sentencepiece (${AS[*]:+${AS[*]} }apt-get install -y --no-install-recommends sentencepiece) ..." >&2
export DEBIAN_FRONTEND=noninteractive
if "${AS[@]}" apt-get install -y -qq --no-install-recommends sentencepiece >"$LOG" 2>&1 \
   || { "${AS[@]}" apt-get update -qq >>"$LOG" 2>&1 \
        && "${AS[@]}" apt-get install -y -qq --no-install-recommends sentencepiece >>"$LOG" 2>&1; }; then
  command -v spm_train >/dev/null 2>&1 && { [ -n "${MTC_INSTALL_LOG:-}" ] || rm -f "$LOG"; exit 0; }
fi
exit 1
