#!/bin/sh
# shard.sh: run one photoscrub shard (one pod of an Indexed Job) and map
# photoscrub's exit codes onto what Kubernetes should do with the pod.
#
# Environment (set by the Job manifests):
#   RUN                    run name; the Job name (label batch.kubernetes.io/job-name)
#   SHARDS                 N, the Job's completions
#   JOB_COMPLETION_INDEX   I (0..N-1), set by Kubernetes for Indexed Jobs
#   VERB                   scan (default) or scrub
#   STORE                  the store mount (the PATH argument: keep it identical on every pod)
#   REPORTS                the shared reports directory
#   JOBS                   --jobs (match the CPU limit)
#   PHOTOSCRUB_ARGS        extra flags, word-split (e.g. "--in-place --max-file-size 67108864")
#   SIGN_KEY               optional: the Ed25519 private key file (Secret mount)
#   KEY_DIR                writable in-memory dir for the key copy (default /run/photoscrub)
#
# Exit codes of this script (see podFailurePolicy in the manifests):
#   0    shard done: photoscrub exited 0 (clean), 1 (findings) or 3 (some
#        files failed/unsupported: recorded in the sealed report; the merge
#        step reports it for the whole run). The report is renamed to
#        $REPORTS/$RUN-shard-$I.jsonl only then.
#   2    usage error: the Job is failed at once (FailJob), retrying cannot help
#   130  interrupted (SIGTERM on preemption/eviction/drain): retried, not counted (Ignore)
#   4 and anything else (OOM kill 137...): counted against backoffLimitPerIndex
set -u
: "${RUN:?RUN must be set}" "${SHARDS:?SHARDS must be set}" "${JOB_COMPLETION_INDEX:?not an Indexed Job}"
I=$JOB_COMPLETION_INDEX
N=$SHARDS
VERB=${VERB:-scan}
STORE=${STORE:-/store}
REPORTS=${REPORTS:-/reports}
JOBS=${JOBS:-2}
KEY_DIR=${KEY_DIR:-/run/photoscrub}

final="$REPORTS/$RUN-shard-$I.jsonl"
if [ -e "$final" ]; then
	# A retried pod of an index that already completed (rare): nothing to do.
	echo "photoscrub shard $I/$N of $RUN: already complete ($final)"
	exit 0
fi
mkdir -p "$REPORTS/attempts" || exit 4
# Every attempt writes its own report (photoscrub never overwrites one); the
# reports of failed attempts stay in attempts/ as evidence.
attempt="$REPORTS/attempts/$RUN-shard-$I.$(date -u +%Y%m%dT%H%M%SZ).${HOSTNAME:-pod}.jsonl"

set --
if [ -n "${SIGN_KEY:-}" ]; then
	# Secret volumes are root-owned and group-readable (fsGroup): photoscrub
	# refuses a group-readable private key, so copy it to a 0600 file in an
	# in-memory emptyDir owned by this user.
	umask 077
	cp "$SIGN_KEY" "$KEY_DIR/report.key" && chmod 600 "$KEY_DIR/report.key" || exit 2
	set -- --sign-key "$KEY_DIR/report.key"
fi

# PID 1 ignores SIGTERM unless it handles it: run photoscrub as a child and
# forward the signal once, so photoscrub can roll back and seal its report.
# shellcheck disable=SC2086 # PHOTOSCRUB_ARGS is split on purpose
photoscrub "$VERB" --shard "$I/$N" --jobs "$JOBS" --quiet --report "$attempt" \
	--operator "${OPERATOR:-kubernetes}" --purpose "${PURPOSE:-$RUN}" \
	"$@" ${PHOTOSCRUB_ARGS:-} "$STORE" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null; trap "" TERM INT' TERM INT
wait "$child"
rc=$?
# wait returns early (>128) when the trap ran: wait for photoscrub itself.
while [ "$rc" -gt 128 ] && kill -0 "$child" 2>/dev/null; do
	wait "$child"
	rc=$?
done
rm -f "$KEY_DIR/report.key"

msg="photoscrub $VERB shard $I/$N of $RUN: exit $rc"
echo "$msg"
echo "$msg" >/dev/termination-log 2>/dev/null || true
case $rc in
0 | 1 | 3)
	# Publish the report under its final name without ever replacing one.
	if ln "$attempt" "$final" 2>/dev/null; then
		rm -f "$attempt"
	elif [ ! -e "$final" ]; then
		echo "cannot publish $final" >&2
		exit 4
	fi
	exit 0
	;;
2) exit 2 ;;
130 | 143) exit 130 ;;
*) exit "$rc" ;;
esac
