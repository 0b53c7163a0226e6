#!/usr/bin/env bash
# e2e_test.sh: the Slurm recipe end to end on a one-node cluster that this
# script starts itself (munged, slurmctld and slurmd on localhost, private
# config, sockets and spool under a temp dir): submit.sh runs the scan as an
# array job of 4 shards over a generated tree and chains merge.sbatch; the
# merged report must verify and hold exactly the records of an unsharded
# scan of the same tree (path, status, hashes, findings).
#
#   deploy/slurm/e2e_test.sh            (run from anywhere; builds photoscrub)
#   PHOTOSCRUB=/path/to/photoscrub deploy/slurm/e2e_test.sh
#
# Skips (exit 0, "SKIP: ..." on stderr) unless slurmctld, slurmd, sbatch,
# munged and python3 are installed (Debian: slurm-wlm munge) and it runs as
# root (slurmd starts jobs as their user). Exit 1 on failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

skip() { echo "SKIP: e2e_test.sh: $*" >&2; exit 0; }
fail() { echo "FAIL: e2e_test.sh: $*" >&2; dump; exit 1; }
for c in slurmctld slurmd sbatch squeue munged python3; do
	command -v "$c" >/dev/null 2>&1 || skip "$c not installed (apt-get install slurm-wlm munge)"
done
[ "$(id -u)" = 0 ] || skip "needs root to run slurmd"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/photoscrub-slurm.XXXXXX")
pids=()
dump() {
	for f in "$tmp"/log/*.log "$tmp"/work/*.out; do
		[ -f "$f" ] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }
	done
}
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	sleep 0.5
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	[ "${KEEP:-0}" = 1 ] && echo "kept $tmp" >&2 || rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$tmp"/{bin,log,spool/ctld,spool/d,munge,work,store,reports}
chmod 755 "$tmp/munge"

# --- binaries
if [ -n "${PHOTOSCRUB:-}" ]; then
	cp "$PHOTOSCRUB" "$tmp/bin/photoscrub"
else
	(cd "$root" && go build -o "$tmp/bin/photoscrub" ./cmd/photoscrub) || fail "cannot build photoscrub"
fi
(cd "$root" && go build -o "$tmp/bin/genphotos" ./pkg/testimg/genphotos) || fail "cannot build genphotos"
export PATH="$tmp/bin:$PATH"

# --- munge, on a private socket
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/munge.key"
sock=$tmp/munge/munge.sock
munged --force --key-file="$tmp/munge/munge.key" --socket="$sock" \
	--pid-file="$tmp/munge/munged.pid" --log-file="$tmp/log/munged.log" --seed-file="$tmp/munge/seed" ||
	fail "munged did not start"
for _ in $(seq 50); do [ -f "$tmp/munge/munged.pid" ] && break; sleep 0.1; done
pids+=("$(cat "$tmp/munge/munged.pid" 2>/dev/null)")

# --- Slurm: one node, this host, no cgroups, no accounting
host=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/ {print int($2 / 1024 * 0.8)}' /proc/meminfo)
port=$((20000 + RANDOM % 20000))
cat >"$tmp/slurm.conf" <<EOF
ClusterName=photoscrub-e2e
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
StateSaveLocation=$tmp/spool/ctld
SlurmdSpoolDir=$tmp/spool/d
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=e2e Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
EOF
: # no cgroup.conf: slurmd autodetects; nothing here uses cgroups
export SLURM_CONF=$tmp/slurm.conf
slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
for _ in $(seq 50); do [ -f "$tmp/slurmctld.pid" ] && break; sleep 0.1; done
pids+=("$(cat "$tmp/slurmctld.pid" 2>/dev/null)")
slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
for _ in $(seq 50); do [ -f "$tmp/slurmd.pid" ] && break; sleep 0.1; done
pids+=("$(cat "$tmp/slurmd.pid" 2>/dev/null)")
ok=0
for _ in $(seq 60); do
	if sinfo -h -N -o '%t' 2>/dev/null | grep -Eq '^(idle|mix|alloc)'; then ok=1; break; fi
	sleep 0.5
done
((ok)) || fail "the node never became idle: $(sinfo -N 2>&1)"

# --- a tree, sharded through the recipe
genphotos -out "$tmp/store" -bench-idcards 120 >/dev/null || fail "genphotos"
cd "$tmp/work" || fail "cd"
store=$tmp/store
# The recipe's job scripts ask for --cpus-per-task=2 and --mem=1G/4G: this
# one-node cluster may be smaller; sbatch takes the environment's overrides.
export SBATCH_MEM_PER_NODE=256M
out=$("$here/submit.sh" -n 4 -r e2e "$store" "$tmp/reports" 2>&1) || fail "submit.sh: $out"
echo "$out"
merge=$(echo "$out" | sed -n 's/.*merge job \([0-9]*\).*/\1/p')
[ -n "$merge" ] || fail "no merge job id in: $out"
done=0
for _ in $(seq 240); do
	if [ -z "$(squeue -h -o %i 2>/dev/null)" ]; then done=1; break; fi
	sleep 0.5
done
((done)) || fail "jobs still queued after 120 s: $(squeue 2>&1)"
merged=$tmp/reports/e2e-merged.jsonl
[ -s "$merged" ] || fail "no merged report"
for i in 0 1 2 3; do [ -s "$tmp/reports/e2e-shard-$i.jsonl" ] || fail "shard $i report missing"; done
photoscrub report verify "$merged" >/dev/null || fail "merged report does not verify"

# --- the same records as one unsharded scan
photoscrub scan --quiet --report "$tmp/whole.jsonl" "$store"
rc=$?
[ $rc = 0 ] || [ $rc = 1 ] || fail "unsharded scan exit $rc"
python3 - "$merged" "$tmp/whole.jsonl" <<'EOF' || fail "merged records differ from the unsharded scan"
import json, sys
def records(p):
    out = []
    for line in open(p):
        r = json.loads(line)
        if r.get("type") == "file":
            out.append(json.dumps({k: r.get(k) for k in ("root", "path", "status", "reason", "format", "sha256_before", "size_before", "findings")}, sort_keys=True))
    return sorted(out)
a, b = records(sys.argv[1]), records(sys.argv[2])
if a != b or not a:
    print(f"merged: {len(a)} records, unsharded: {len(b)}", file=sys.stderr)
    sys.exit(1)
print(f"merged report: {len(a)} records, identical to the unsharded scan")
EOF
echo "PASS: e2e_test.sh"
