#!/usr/bin/env bash
# Stops the daemons that scripts/slurm/start.sh started (found by the pid files under $MTC_SLURM_DIR,
# default /tmp/mtc-slurm, and checked by their program name), and removes the /etc/slurm/slurm.conf link
# if start.sh made it. Other Slurm or MariaDB processes on the machine are left alone. Keeps the state
# folder (configs, accounting database) so that the next start is fast; `--purge` deletes it too.
set -uo pipefail

DIR="${MTC_SLURM_DIR:-/tmp/mtc-slurm}"
log() { echo "slurm/stop.sh: $*" >&2; }

stop_one() { # stop_one NAME PROGRAM [PIDFILE]: TERM the pid in PIDFILE (default $DIR/run/NAME.pid) if it runs
  # PROGRAM, wait, KILL if needed
  local name=$1 prog=$2 pidfile="${3:-$DIR/run/$1.pid}" pid exe
  [ -s "$pidfile" ] || { rm -f "$pidfile"; return 0; }
  pid="$(cat "$pidfile")"
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
  if [ -z "$exe" ]; then
    rm -f "$pidfile"; return 0
  fi
  case "$(basename "$exe")" in "$prog" | "$prog"-wlm) ;; *)
    log "pid $pid in $pidfile is $exe, not $prog: left alone"
    rm -f "$pidfile"; return 0 ;;
  esac
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) did not stop in 10 s: killing it"
    kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$pidfile"
  log "stopped $name (pid $pid)"
}

stop_one slurmd slurmd
stop_one slurmctld slurmctld
stop_one slurmdbd slurmdbd
stop_one mariadbd mariadbd "$DIR/mysql/mariadbd.pid"
stop_one munged munged

if [ -s "$DIR/run/created-link" ]; then
  link="$(cat "$DIR/run/created-link")"
  [ -L "$link" ] && rm -f "$link"
  rm -f "$DIR/run/created-link"
fi
if [ "${1:-}" = "--purge" ]; then
  rm -rf "$DIR"
  log "removed $DIR"
fi
exit 0
