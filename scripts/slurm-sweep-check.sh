#!/usr/bin/env bash
# The project's check that sharding works on a real scheduler: starts a private single-node Slurm cluster from
# Debian's slurm-wlm and munge (own config, key, sockets, ports and state under a temporary directory; nothing
# system-wide is changed), submits a 2-task job array that runs a tiny synthetic sweep with --shard I/2 into one
# directory per task, waits for it, merges the shards with `widerobust report`, and checks that every point of the
# study is in the merged table. Stops the daemons it started.
#   scripts/slurm-sweep-check.sh [WORKDIR]
# Needs root (slurmd runs jobs as their user and must start as root) and: apt-get install slurm-wlm munge
# Environment: MAVEN_OPTS / WIDEROBUST_MVN_OPTS are passed to the build and to the jobs, as for ./widerobust.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
for b in munged slurmctld slurmd sbatch sinfo; do
  command -v "$b" >/dev/null || { echo "slurm-sweep-check: needs $b (apt-get install slurm-wlm munge)" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "slurm-sweep-check: must run as root (slurmd starts as root)" >&2; exit 2; }
work="$(readlink -f "${1:-$(mktemp -d /tmp/widerobust-slurm.XXXXXX)}")"
mkdir -p "$work"/{state,spool,log}
chmod 755 "$work"
started=()
cleanup() {
  for pidfile in "${started[@]}"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
}
trap cleanup EXIT
t0=$(date +%s)

# munge: a private key, socket and daemon
mungekey --create --keyfile="$work/munge.key" --force >/dev/null 2>&1 \
  || dd if=/dev/urandom of="$work/munge.key" bs=1024 count=1 status=none
chmod 600 "$work/munge.key"
munged --force --socket="$work/munge.socket" --key-file="$work/munge.key" --pid-file="$work/munged.pid" \
  --log-file="$work/log/munged.log" --seed-file="$work/munge.seed"
started+=("$work/munged.pid")

# slurm: one node (this machine, all its cores), one partition, ports chosen to avoid a system Slurm
node="$(hostname -s)"
cpus="$(nproc)"
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
port=$(( 20000 + RANDOM % 20000 ))
cat > "$work/slurm.conf" <<CONF
ClusterName=widerobust-check
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge.socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=check Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"
slurmctld -f "$SLURM_CONF"
started+=("$work/slurmctld.pid")
slurmd -f "$SLURM_CONF"
started+=("$work/slurmd.pid")
for i in $(seq 1 60); do
  state="$(sinfo -h -o %T 2>/dev/null || true)"
  case "$state" in idle*|mixed*|allocated*) break ;; esac
  sleep 1
done
[ "${state:-}" = idle ] || { echo "slurm-sweep-check: node not idle ($state); logs in $work/log" >&2; exit 1; }
echo "slurm-sweep-check: cluster up ($node, $cpus CPUs) in $(( $(date +%s) - t0 )) s"

# build once, before the jobs, so the two tasks do not both run Maven
"$here/widerobust" --help >/dev/null

study="$work/study"
cat > "$work/job.sh" <<JOB
#!/usr/bin/env bash
#SBATCH --job-name=widerobust-sweep
#SBATCH --array=1-2
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --output=$work/log/task-%a.out
set -euo pipefail
exec "$here/widerobust" sweep --data synthetic:120 --arch mlp --widths 0.25,0.5 --lambdas 1,6 --epochs 1 \\
  --steps 2 --batch 40 --eval-limit 40 --eval-steps 3 --lipschitz-steps 2 --device cpu --threads 1 --quiet \\
  --shard "\$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT" --out "$study/shard-\$SLURM_ARRAY_TASK_ID"
JOB
t1=$(date +%s)
if ! sbatch --wait --parsable "$work/job.sh" > "$work/jobid"; then
  echo "slurm-sweep-check: the job array failed; task output:" >&2
  tail -n 30 "$work"/log/task-*.out >&2 || true
  exit 1
fi
echo "slurm-sweep-check: job array $(cat "$work/jobid") (2 tasks) finished in $(( $(date +%s) - t1 )) s"
"$here/widerobust" report --in "$study/shard-1" "$study/shard-2" --out "$study/report"
points=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["points"]))' "$study/report/results.json")
n1=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["points"]))' "$study/shard-1/results.json")
n2=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["points"]))' "$study/shard-2/results.json")
if [ "$points" != 4 ] || [ "$n1" = 0 ] || [ "$n2" = 0 ]; then
  echo "slurm-sweep-check: FAIL: merged $points points (shards: $n1 + $n2), expected 4 from both shards" >&2
  exit 1
fi
echo "slurm-sweep-check: OK: shards ran $n1 + $n2 points, merged 4 into $study/report/report.html" \
  "(total $(( $(date +%s) - t0 )) s)"
# the merged report in a real browser too, where Chromium is installed (it is not required for this check)
if command -v chromium >/dev/null; then
  "$here/scripts/check-report-browser.sh" "$study/report/report.html"
fi
