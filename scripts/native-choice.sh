#!/usr/bin/env bash
# Which native code a JVM of mtcompress loads: the ND4J build (a classifier of nd4j-native, picked by JavaCPP's
# platform extension) and OpenBLAS's kernel type (OPENBLAS_CORETYPE), chosen from the CPU's flags.
# ./mtc sources this file and calls mtc_native_choice; run directly it prints the choice, which is how
# NativeChoiceTest checks it against fake cpuinfo files:
#   scripts/native-choice.sh [CPUINFO]        (default /proc/cpuinfo)
#
# Choices (MTC_NATIVE overrides the automatic one; docs/speed.md has the measurements behind them):
#   generic  nd4j-native linux-x86_64 (any x86-64); OpenBLAS detects its own kernels
#   onednn   nd4j-native linux-x86_64-onednn: ND4J's oneDNN kernels, which pick their instruction set at run
#            time; chosen where the CPU has avx2 and fma. Where it also has the AVX-512 subsets OpenBLAS's
#            SkylakeX kernels need (avx512f, avx512bw, avx512vl, avx512dq, avx512cd), OPENBLAS_CORETYPE=SKYLAKEX:
#            the bundled OpenBLAS 0.3.19 does not know newer processors (Zen 4) and falls back to AVX2 kernels.
# A choice whose CPU flags are missing is refused. OPENBLAS_CORETYPE already set in the environment is kept as it
# is: older OpenBLAS builds miscompute or crash on some processors, and whoever set it may know that.
#
# Sets: MTC_NATIVE_NAME, MTC_ND4J_EXTENSION (JavaCPP's org.bytedeco.javacpp.platform.extension: "" = generic),
# MTC_OPENBLAS_CORETYPE (empty: OpenBLAS detects), MTC_NATIVE_SOURCE (auto, MTC_NATIVE), MTC_NATIVE_ERROR.

MTC_NATIVE_CHOICES="generic onednn"

# mtc_cpu_has CPUINFO FLAG...: true when the first "flags" line of CPUINFO lists every FLAG
mtc_cpu_has() {
  local cpuinfo="$1" flags
  shift
  flags=" $(grep -m1 '^flags' "$cpuinfo" 2>/dev/null | cut -d: -f2-) "
  local f
  for f in "$@"; do
    case "$flags" in *" $f "*) ;; *) return 1 ;; esac
  done
}

# mtc_native_choice [CPUINFO]: sets the variables above; returns 2 (with MTC_NATIVE_ERROR) for a bad MTC_NATIVE
mtc_native_choice() {
  local cpuinfo="${1:-/proc/cpuinfo}"
  local avx2="avx2 fma" avx512="avx512f avx512bw avx512vl avx512dq avx512cd"
  local wanted="${MTC_NATIVE:-auto}"
  MTC_NATIVE_ERROR=""
  MTC_NATIVE_SOURCE="MTC_NATIVE"
  if [ "$wanted" = auto ]; then
    MTC_NATIVE_SOURCE="auto"
    # shellcheck disable=SC2086
    if mtc_cpu_has "$cpuinfo" $avx2; then wanted=onednn; else wanted=generic; fi
  fi
  case " $MTC_NATIVE_CHOICES " in
    *" $wanted "*) ;;
    *) MTC_NATIVE_ERROR="MTC_NATIVE=$wanted is not a native choice (known: auto $MTC_NATIVE_CHOICES)"; return 2 ;;
  esac
  # shellcheck disable=SC2086
  if [ "$wanted" = onednn ] && ! mtc_cpu_has "$cpuinfo" $avx2; then
    MTC_NATIVE_ERROR="MTC_NATIVE=$wanted needs the CPU flags $avx2; $cpuinfo lacks some of them"
    return 2
  fi
  MTC_NATIVE_NAME="$wanted"
  MTC_OPENBLAS_CORETYPE=""
  if [ "$wanted" = generic ]; then
    MTC_ND4J_EXTENSION=""
  else
    MTC_ND4J_EXTENSION="-$wanted"
    # shellcheck disable=SC2086
    if mtc_cpu_has "$cpuinfo" $avx512; then MTC_OPENBLAS_CORETYPE=SKYLAKEX; fi
  fi
}

# mtc_native_export: exports OPENBLAS_CORETYPE unless the environment set it, and MTC_NATIVE_CHOICE, a one-line
# summary that MachineInfo records in `mtc env` and every run's provenance
mtc_native_export() {
  local blas
  if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
    blas="openblas=$OPENBLAS_CORETYPE (from the environment)"
  elif [ -n "$MTC_OPENBLAS_CORETYPE" ]; then
    export OPENBLAS_CORETYPE="$MTC_OPENBLAS_CORETYPE"
    blas="openblas=$OPENBLAS_CORETYPE"
  else
    blas="openblas=detected by OpenBLAS"
  fi
  export MTC_NATIVE_CHOICE="$MTC_NATIVE_NAME ($MTC_NATIVE_SOURCE): nd4j=linux-x86_64$MTC_ND4J_EXTENSION $blas"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  if ! mtc_native_choice "${1:-/proc/cpuinfo}"; then
    echo "error: $MTC_NATIVE_ERROR" >&2
    exit 2
  fi
  mtc_native_export
  echo "name=$MTC_NATIVE_NAME"
  echo "source=$MTC_NATIVE_SOURCE"
  echo "nd4j_extension=$MTC_ND4J_EXTENSION"
  echo "openblas_coretype=${OPENBLAS_CORETYPE:-}"
  echo "summary=$MTC_NATIVE_CHOICE"
fi
