#!/usr/bin/env bash
# A one-node SLURM cluster on this machine, for testing the job files in docs/cluster/slurm/.
#
#   tools/cluster/slurm-local.sh install  install the Debian packages if missing (needs network)
#   tools/cluster/slurm-local.sh start    install (Debian: slurmctld, slurmd, slurm-client, munge)
#                                         if missing, write the config, start munged, slurmctld,
#                                         slurmd and wait until the node is idle
#   tools/cluster/slurm-local.sh stop     cancel the jobs, stop the three daemons
#   tools/cluster/slurm-local.sh status   say whether it runs
#   tools/cluster/slurm-local.sh env      print `export SLURM_CONF=...` for sbatch/squeue/scontrol
#
# Everything lives in IB_SLURM_DIR (default /tmp/implicit-bias-slurm): slurm.conf, its own munge
# key and socket, state, logs and pid files. Nothing in /etc is written and no system daemon is
# touched. The controller and the node are addressed as 127.0.0.1 only, on ports IB_SLURM_PORT
# and IB_SLURM_PORT+1 (default 16817/16818, not SLURM's 6817/6818, so a real installation is
# never hit). `start` is idempotent: when the cluster already answers, it changes nothing.
# Needs root (the daemons run as root and jobs run as the submitting user).
set -euo pipefail

DIR=${IB_SLURM_DIR:-/tmp/implicit-bias-slurm}
PORT=${IB_SLURM_PORT:-16817}
CPUS=${IB_SLURM_CPUS:-4}
MEM_MB=${IB_SLURM_MEM_MB:-4096}
CONF="$DIR/slurm.conf"
export SLURM_CONF="$CONF"

say() { echo "slurm-local: $*" >&2; }
die() {
  say "$*"
  exit 1
}

# pid of a daemon from its pid file, only while that process is still the daemon we started
live_pid() {
  local file=$1 name=$2 pid
  [ -f "$file" ] || return 1
  pid=$(tr -dc 0-9 <"$file")
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$name" ] || return 1
  echo "$pid"
}

# wait up to $1 tenths of a second for a command to succeed
wait_for() {
  local tenths=$1
  shift
  for ((i = 0; i < tenths; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

node_idle() { [ "$(sinfo -h -N -o %T 2>/dev/null)" = "idle" ]; }

install_slurm() {
  local missing=()
  for b in munged mungekey slurmctld slurmd sbatch; do command -v "$b" >/dev/null || missing+=("$b"); done
  command -v ip >/dev/null || missing+=(ip)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "needs root to install SLURM (missing: ${missing[*]})"
  command -v apt-get >/dev/null || die "SLURM is missing (${missing[*]}) and apt-get is not available to install it"
  say "installing slurmctld slurmd slurm-client munge (missing: ${missing[*]})"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    slurmctld slurmd slurm-client munge iproute2 >/dev/null
}

# ProctrackType: pgid, not linuxproc. linuxproc cannot find processes whose name has a space,
# and npm names its process "npm exec implicit-bias ...", so a job started through npx could not
# be killed or requeued (seen with SLURM 22.05). cgroup needs a delegated cgroup tree, which
# containers rarely have.
write_config() {
  mkdir -p "$DIR"/{munge,ctld,slurmd,log}
  chmod 700 "$DIR/munge"
  [ -s "$DIR/munge/munge.key" ] || mungekey --create --keyfile="$DIR/munge/munge.key"
  chmod 600 "$DIR/munge/munge.key"
  : >"$DIR/plugstack.conf"
  cat >"$CONF" <<CONF
# written by tools/cluster/slurm-local.sh: one node on 127.0.0.1, everything under $DIR
ClusterName=ib-local
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
AuthType=auth/munge
AuthInfo=socket=$DIR/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$DIR/ctld
SlurmdSpoolDir=$DIR/slurmd
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
PlugStackConfig=$DIR/plugstack.conf
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/log/jobcomp.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SlurmdParameters=config_overrides
KillWait=2
MinJobAge=3600
NodeName=localhost NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
}

running() {
  live_pid "$DIR/munged.pid" munged >/dev/null &&
    live_pid "$DIR/slurmctld.pid" slurmctld >/dev/null &&
    live_pid "$DIR/slurmd.pid" slurmd >/dev/null &&
    scontrol ping >/dev/null 2>&1
}

start() {
  if [ -f "$CONF" ] && running; then
    say "already running ($CONF); nothing changed"
    return 0
  fi
  [ "$(id -u)" = 0 ] || die "needs root (the daemons run as root)"
  install_slurm
  stop_daemons quiet # leftovers of an earlier start that died half-way
  write_config
  munged --socket="$DIR/munge/munge.socket" --key-file="$DIR/munge/munge.key" \
    --pid-file="$DIR/munged.pid" --log-file="$DIR/log/munged.log" \
    --seed-file="$DIR/munge/munged.seed" --force </dev/null >>"$DIR/log/daemons.out" 2>&1
  wait_for 100 live_pid "$DIR/munged.pid" munged || die "munged did not start; see $DIR/log/munged.log"
  # -c: a fresh controller state (no jobs of an earlier cluster come back)
  # (the daemons' own output goes to a file: a caller reading our stdout/stderr would otherwise
  # wait for pipes the daemons hold open)
  slurmctld -c -f "$CONF" </dev/null >>"$DIR/log/daemons.out" 2>&1
  wait_for 300 scontrol ping || die "slurmctld does not answer; see $DIR/log/slurmctld.log"
  slurmd -f "$CONF" -N localhost </dev/null >>"$DIR/log/daemons.out" 2>&1
  wait_for 300 node_idle || {
    scontrol show node localhost >&2 || true
    die "the node did not become idle; see $DIR/log/slurmd.log"
  }
  say "running: one node (localhost, $CPUS CPUs) at 127.0.0.1:$PORT; export SLURM_CONF=$CONF"
}

stop_daemons() {
  local quiet=${1:-}
  for d in slurmd slurmctld munged; do
    local pid
    pid=$(live_pid "$DIR/$d.pid" "$d") || continue
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_for 100 bash -c "! kill -0 $pid"; then
      say "$d ($pid) ignored SIGTERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    [ -n "$quiet" ] || say "stopped $d ($pid)"
  done
  rm -f "$DIR"/{slurmd,slurmctld,munged}.pid
}

stop() {
  if [ -f "$CONF" ] && scontrol ping >/dev/null 2>&1; then
    local jobs
    jobs=$(squeue -h -o %i 2>/dev/null | sort -u | tr '\n' ' ')
    if [ -n "${jobs// /}" ]; then
      say "cancelling jobs: $jobs"
      # shellcheck disable=SC2086
      scancel $jobs 2>/dev/null || true
      wait_for 300 bash -c '[ -z "$(squeue -h -o %i)" ]' || say "jobs still listed after 30 s: $(squeue -h -o %i | tr '\n' ' ')"
    fi
  fi
  stop_daemons
  say "stopped"
}

case "${1:-}" in
  install) install_slurm ;;
  start) start ;;
  stop) stop ;;
  status)
    if [ -f "$CONF" ] && running; then
      say "running ($CONF)"
      sinfo
    else
      say "not running"
      exit 3
    fi
    ;;
  env) echo "export SLURM_CONF=$CONF" ;;
  *)
    echo "usage: $0 install|start|stop|status|env   (state in IB_SLURM_DIR, default /tmp/implicit-bias-slurm)" >&2
    exit 2
    ;;
esac
