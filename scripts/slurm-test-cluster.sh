#!/usr/bin/env bash
# A real one-node Slurm cluster on this machine, for tests: `start` installs Debian's slurm-wlm (22.05) and munge
# when missing, writes a minimal slurm.conf for this host, starts munged, slurmctld and slurmd as root and waits
# until the node is idle; `stop` ends exactly the daemons `start` started (by their recorded pids).
#
#   scripts/slurm-test-cluster.sh start   # prints: export SLURM_CONF=…  (eval it, or source the env file)
#   scripts/slurm-test-cluster.sh stop
#
# State lives in $SLURM_TEST_DIR (default /tmp/ngd-slurm-test): slurm.conf, the munge key and socket, spool,
# state and log directories, and pids/. No cgroups (proctrack/linuxproc, task/none) and no accounting: job
# outcomes are read from squeue/scontrol while running and from the jobs' own log files afterwards.
set -euo pipefail

DIR=${SLURM_TEST_DIR:-/tmp/ngd-slurm-test}
PIDS=$DIR/pids
WAIT_SECONDS=${SLURM_TEST_WAIT:-60}

die() { echo "slurm-test-cluster: $*" >&2; exit 1; }

install_packages() {
    local missing=()
    for p in slurmctld slurmd slurm-client munge; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" = 0 ] || die "missing packages ${missing[*]}; run: sudo apt-get install -y ${missing[*]}"
    echo "slurm-test-cluster: installing ${missing[*]}" >&2
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    # The packages' own services are not wanted: this script starts the daemons itself.
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
}

# Real memory in MB that Slurm may hand out: MemTotal minus a margin for the system.
real_memory_mb() {
    local kb; kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
    local mb=$((kb / 1024)); local margin=$((mb / 10 > 512 ? mb / 10 : 512))
    echo $((mb > margin + 256 ? mb - margin : 256))
}

write_config() {
    local host; host=$(hostname -s)
    mkdir -p "$DIR"/{spool/ctld,spool/d,log,munge,pids}
    chmod 700 "$DIR/munge"
    cat > "$DIR/slurm.conf" <<EOF
# Written by scripts/slurm-test-cluster.sh: one node, no cgroups, no accounting.
ClusterName=ngdtest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$DIR/munge/munge.socket
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
SlurmctldPort=${SLURM_TEST_CTLD_PORT:-6817}
SlurmdPort=${SLURM_TEST_D_PORT:-6818}
StateSaveLocation=$DIR/spool/ctld
SlurmdSpoolDir=$DIR/spool/d
SlurmctldPidFile=$DIR/pids/slurmctld.pid
SlurmdPidFile=$DIR/pids/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
NodeName=$host CPUs=$(nproc) RealMemory=$(real_memory_mb) State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
    echo "export SLURM_CONF=$DIR/slurm.conf" > "$DIR/env"
}

start_munge() {
    local key=$DIR/munge/munge.key
    [ -f "$key" ] || { dd if=/dev/urandom bs=1 count=1024 of="$key" status=none; chmod 400 "$key"; }
    munged --force --key-file="$key" --socket="$DIR/munge/munge.socket" \
        --pid-file="$PIDS/munged.pid" --log-file="$DIR/log/munged.log" --seed-file="$DIR/munge/munge.seed"
}

wait_idle() {
    local deadline=$((SECONDS + WAIT_SECONDS)) state=""
    while [ $SECONDS -lt $deadline ]; do
        state=$(sinfo -h -N -o '%t' 2>/dev/null | head -1 || true)
        case "$state" in idle|mix) return 0 ;; esac
        sleep 1
    done
    die "the node did not become idle within ${WAIT_SECONDS}s (state: '${state:-no answer}'); see $DIR/log/"
}

start() {
    install_packages
    [ -f "$PIDS/slurmctld.pid" ] && kill -0 "$(cat "$PIDS/slurmctld.pid")" 2>/dev/null \
        && die "already running (pids in $PIDS); run '$0 stop' first"
    write_config
    export SLURM_CONF=$DIR/slurm.conf
    start_munge
    slurmctld -f "$SLURM_CONF" -i
    slurmd -f "$SLURM_CONF"
    wait_idle
    echo "slurm-test-cluster: node $(hostname -s) idle; partition debug; state in $DIR" >&2
    cat "$DIR/env"
}

stop_pid() {
    local name=$1 file=$PIDS/$1.pid
    [ -f "$file" ] || return 0
    local pid; pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$file"
    echo "slurm-test-cluster: stopped $name ($pid)" >&2
}

stop() {
    stop_pid slurmd
    stop_pid slurmctld
    stop_pid munged
    return 0
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
