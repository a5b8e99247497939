#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine for the sweep tests (and for trying sweeps by hand):
# munge, MariaDB, slurmdbd (so that sacct works), slurmctld and slurmd, configured for localhost from
# `hostname`. Installs the Debian packages when they are missing. Everything it writes (configs, state,
# logs, pid files, database) lives under $MTC_SLURM_DIR (default /tmp/mtc-slurm); the only file outside is
# the link /etc/slurm/slurm.conf -> $MTC_SLURM_DIR/etc/slurm.conf, made only when /etc/slurm/slurm.conf does
# not exist, so that sinfo/sbatch work without SLURM_CONF. Idempotent: when the cluster already answers it
# does nothing. scripts/slurm/stop.sh stops exactly the daemons started here. Needs root.
set -euo pipefail

DIR="${MTC_SLURM_DIR:-/tmp/mtc-slurm}"
HOST="$(hostname -s)"
DB_PORT="${MTC_SLURM_DB_PORT:-3317}"
CLUSTER=mtc
CONF="$DIR/etc/slurm.conf"
export SLURM_CONF="$CONF"

log() { echo "slurm/start.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (it installs packages and starts daemons)"

alive() { # alive PIDFILE: the pid in PIDFILE is a running process
  [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...: retry COMMAND (5 s each) until it succeeds
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  local run=(timeout 5)
  [ "$(type -t "$1")" != function ] || run=()  # shell functions bound their own commands
  until "${run[@]}" "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || die "$what did not come up within ${limit}s (logs in $DIR/log, $DIR/mysql, $DIR/munge)"
    sleep 0.2
  done
}

# ---- 1. packages -------------------------------------------------------------------------------------------
need=()
command -v munged >/dev/null || need+=(munge)
command -v slurmctld >/dev/null || need+=(slurmctld)
command -v slurmd >/dev/null || need+=(slurmd)
command -v sbatch >/dev/null || need+=(slurm-client)
command -v slurmdbd >/dev/null || need+=(slurmdbd)
command -v mariadbd >/dev/null || need+=(mariadb-server)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "${need[@]}" >"/tmp/mtc-slurm-apt.log" 2>&1; then
    apt-get update -q >>"/tmp/mtc-slurm-apt.log" 2>&1
    apt-get install -y -q --no-install-recommends "${need[@]}" >>"/tmp/mtc-slurm-apt.log" 2>&1 \
      || die "apt-get install ${need[*]} failed, see /tmp/mtc-slurm-apt.log"
  fi
fi

# ---- 2. already running? -----------------------------------------------------------------------------------
if alive "$DIR/mysql/mariadbd.pid" && alive "$DIR/run/slurmdbd.pid" \
   && alive "$DIR/run/slurmctld.pid" && alive "$DIR/run/slurmd.pid" && sinfo -h >/dev/null 2>&1; then
  log "already running (SLURM_CONF=$CONF)"
  exit 0
fi
if ls "$DIR/run/"*.pid "$DIR/mysql/"*.pid >/dev/null 2>&1; then
  log "some daemons from an earlier start are still running or left pid files: stopping them first"
  "$(dirname "$0")/stop.sh"
fi

mkdir -p "$DIR/etc" "$DIR/spool/ctld" "$DIR/spool/d" "$DIR/log" "$DIR/run" "$DIR/munge" "$DIR/mysql"
chmod 755 "$DIR"

# ---- 3. munge (Slurm's clients only find munged at its default socket) ------------------------------------
MUNGE_SOCKET=/run/munge/munge.socket.2
if munge -n -S "$MUNGE_SOCKET" 2>/dev/null | unmunge -S "$MUNGE_SOCKET" >/dev/null 2>&1; then
  log "using the munged that already answers at $MUNGE_SOCKET (not started here, so stop.sh leaves it)"
else
  mkdir -p /run/munge
  chown munge:munge /run/munge "$DIR/munge"
  chmod 755 /run/munge
  chmod 700 "$DIR/munge"
  if [ ! -s "$DIR/munge/munge.key" ]; then
    dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 status=none
    chown munge:munge "$DIR/munge/munge.key"
    chmod 400 "$DIR/munge/munge.key"
  fi
  touch "$DIR/run/munged.pid" && chown munge:munge "$DIR/run/munged.pid"
  runuser -u munge -- /usr/sbin/munged --force --key-file="$DIR/munge/munge.key" --socket="$MUNGE_SOCKET" \
    --pid-file="$DIR/run/munged.pid" --log-file="$DIR/munge/munged.log" --seed-file="$DIR/munge/munged.seed"
  wait_for 10 munged munge -S "$MUNGE_SOCKET" -n
fi

# ---- 4. MariaDB (own data folder, TCP on 127.0.0.1:$DB_PORT only) ------------------------------------------
chown mysql:mysql "$DIR/mysql"
if [ ! -d "$DIR/mysql/data/mysql" ]; then
  mariadb-install-db --no-defaults --user=mysql --datadir="$DIR/mysql/data" --skip-test-db \
    --auth-root-authentication-method=socket >"$DIR/log/mariadb-install.log" 2>&1 \
    || die "mariadb-install-db failed, see $DIR/log/mariadb-install.log"
fi
setsid /usr/sbin/mariadbd --no-defaults --user=mysql --datadir="$DIR/mysql/data" \
  --socket="$DIR/mysql/mysqld.sock" --port="$DB_PORT" --bind-address=127.0.0.1 \
  --pid-file="$DIR/mysql/mariadbd.pid" --log-error="$DIR/mysql/mariadbd.log" \
  --innodb-buffer-pool-size=64M --innodb-lock-wait-timeout=900 </dev/null >/dev/null 2>&1 &
wait_for 60 mariadbd test -S "$DIR/mysql/mysqld.sock"
wait_for 60 mariadbd mariadb --no-defaults -S "$DIR/mysql/mysqld.sock" -u root -e 'select 1'
DB_PASS_FILE="$DIR/etc/.dbpass"
[ -s "$DB_PASS_FILE" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$DB_PASS_FILE")
DB_PASS="$(cat "$DB_PASS_FILE")"
mariadb --no-defaults -S "$DIR/mysql/mysqld.sock" -u root <<SQL
CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY '$DB_PASS';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';
FLUSH PRIVILEGES;
SQL

# ---- 5. configs --------------------------------------------------------------------------------------------
CPUS="$(nproc)"
MEM_MB="$(slurmd -C 2>/dev/null | tr ' ' '\n' | sed -n 's/^RealMemory=//p')"
[ -n "$MEM_MB" ] || MEM_MB="$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)"
cat >"$CONF" <<CONF
# Written by scripts/slurm/start.sh: a single-node cluster on $HOST for the mtcompress sweep tests.
ClusterName=$CLUSTER
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$DIR/spool/ctld
SlurmdSpoolDir=$DIR/spool/d
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=6819
JobAcctGatherType=jobacct_gather/linux
JobCompType=jobcomp/none
MinJobAge=300
SchedulerParameters=sched_interval=2
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
(umask 077; cat >"$DIR/etc/slurmdbd.conf" <<DBD
# Written by scripts/slurm/start.sh
AuthType=auth/munge
DbdHost=$HOST
DbdAddr=127.0.0.1
DbdPort=6819
SlurmUser=root
PidFile=$DIR/run/slurmdbd.pid
LogFile=$DIR/log/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$DB_PORT
StorageUser=slurm
StoragePass=$DB_PASS
StorageLoc=slurm_acct_db
DBD
)
chmod 644 "$CONF"

# clients without SLURM_CONF (sinfo, sbatch from the tests) read /etc/slurm/slurm.conf
if [ ! -e /etc/slurm/slurm.conf ] && [ ! -L /etc/slurm/slurm.conf ]; then
  mkdir -p /etc/slurm
  ln -s "$CONF" /etc/slurm/slurm.conf
  echo /etc/slurm/slurm.conf >"$DIR/run/created-link"
elif [ "$(readlink -f /etc/slurm/slurm.conf)" != "$(readlink -f "$CONF")" ]; then
  log "warning: /etc/slurm/slurm.conf belongs to another cluster; use SLURM_CONF=$CONF with sinfo/sbatch"
fi

# ---- 6. daemons --------------------------------------------------------------------------------------------
slurmdbd
wait_for 60 slurmdbd sacctmgr -n list cluster
if ! sacctmgr -n -P list cluster format=cluster | grep -qx "$CLUSTER"; then
  sacctmgr -i add cluster "$CLUSTER" >/dev/null
fi
slurmctld
wait_for 60 slurmctld scontrol ping
slurmd
node_idle() { timeout 5 sinfo -h -n "$HOST" -o '%T' | grep -Eq '^(idle|mixed|allocated)'; }
wait_for 60 "slurmd (node $HOST idle)" node_idle
log "running: cluster $CLUSTER, node $HOST ($CPUS CPUs, ${MEM_MB} MB), SLURM_CONF=$CONF"
