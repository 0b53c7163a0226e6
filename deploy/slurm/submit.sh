#!/bin/bash
# submit.sh: submit a sharded photoscrub run as a Slurm job array and chain
# the merge after it.
#
#   deploy/slurm/submit.sh [-n SHARDS] [-p PARALLEL] [-r RUN] [-k SIGN_KEY] [-K PUBKEY] \
#       [-- PHOTOSCRUB FLAGS...] STORE REPORTS
#
#   -n  number of shards (default 16); -p  at most this many at once (%p)
#   -r  run name (default audit-<UTC time>)
#   -k  private key to sign shard and merged reports; -K public key to check them
#   PHOTOSCRUB FLAGS go to every shard, e.g. -- --in-place --backup-dir /srv/backup
#       (with --in-place, VERB becomes scrub)
#
# Prints the run name and both job ids. The merge waits for every array task
# to end (afterany): exit codes 1 (findings) and 3 of a shard are not
# failures; its own exit says whether the run is complete.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=16
par=""
run="audit-$(date -u +%Y%m%dT%H%M%SZ)"
sign=""
pub=""
while getopts "n:p:r:k:K:" o; do
	case $o in
	n) n=$OPTARG ;;
	p) par="%$OPTARG" ;;
	r) run=$OPTARG ;;
	k) sign=$(realpath "$OPTARG") ;;
	K) pub=$(realpath "$OPTARG") ;;
	*) sed -n '2,16p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
# getopts consumed "--": what is left is [PHOTOSCRUB FLAGS...] STORE REPORTS.
if [ $# -lt 2 ]; then
	sed -n '2,16p' "$0" >&2
	exit 2
fi
extra=()
verb=scan
while [ $# -gt 2 ]; do
	case $1 in --in-place | --out | --out=*) verb=scrub ;; esac
	extra+=("$1")
	shift
done
store=$1
reports=$(realpath "$2")
if ! [[ $n =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ]; then
	echo "submit.sh: -n takes a positive number of shards" >&2
	exit 2
fi
for a in "${extra[@]}"; do
	case $a in *[[:space:],]*)
		echo "submit.sh: flag values with spaces or commas cannot pass through sbatch --export; set PHOTOSCRUB_ARGS yourself" >&2
		exit 2 ;;
	esac
done
mkdir -p "$reports"
# Same STORE spelling on every node: it is the root the shard hash is taken
# under (relative paths), and the root recorded in every report header.
exports="ALL,RUN=$run,SHARDS=$n,STORE=$store,REPORTS=$reports,VERB=$verb,SIGN_KEY=$sign,PUBKEY=$pub,PHOTOSCRUB_ARGS=${extra[*]:-}"

array=$(sbatch --parsable --array="0-$((n - 1))$par" --export="$exports" "$here/scan-array.sbatch")
array=${array%%;*} # --parsable prints "jobid[;cluster]"
merge=$(sbatch --parsable --dependency="afterany:$array" --kill-on-invalid-dep=yes \
	--export="$exports" "$here/merge.sbatch")
merge=${merge%%;*}
echo "run $run: $n shards in array job $array, merge job $merge"
echo "reports: $reports/$run-shard-*.jsonl, merged: $reports/$run-merged.jsonl"
