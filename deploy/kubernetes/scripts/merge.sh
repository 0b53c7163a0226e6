#!/bin/sh
# merge.sh: merge the shard reports of finished runs into one sealed report,
# verify it and render an HTML summary.
#
#   RUN set:    merge that run; every shard report must be there (exit 3 if not).
#   RUN unset:  merge every run in $REPORTS that has all its shards and no
#               merged report yet (the nightly reconciler); incomplete runs
#               are listed and left for the next pass.
#
# Environment: REPORTS (default /reports), SIGN_KEY (optional private key:
# signs the merged seal), PUBKEY (optional public key: every shard's
# signature is checked before merging, and the merged report after),
# FAIL_ON_PARTIAL (default 1: exit 3 when a merged run's seal says some files
# failed or are unsupported; 0: only print it), KEY_DIR.
#
# Exit: 0 merged (or nothing to do); 2 configuration problem; 3 a run could
# not be merged or verified, or (FAIL_ON_PARTIAL=1) a run has unprocessed
# files. Findings (seal exit code 1) are the purpose of an audit, not a failure.
set -u
REPORTS=${REPORTS:-/reports}
KEY_DIR=${KEY_DIR:-/run/photoscrub}
FAIL_ON_PARTIAL=${FAIL_ON_PARTIAL:-1}

signargs=""
if [ -n "${SIGN_KEY:-}" ]; then
	umask 077
	cp "$SIGN_KEY" "$KEY_DIR/report.key" && chmod 600 "$KEY_DIR/report.key" || exit 2
	signargs="--sign-key $KEY_DIR/report.key"
fi
pubargs=""
if [ -n "${PUBKEY:-}" ]; then
	pubargs="--pubkey $PUBKEY"
fi

status=0

# shard_count REPORT prints N from the header's "shard":"I/N".
shard_count() {
	head -n 1 "$1" | grep -o '"shard":"[0-9]*/[0-9]*"' | sed 's/.*\/\([0-9]*\)"/\1/'
}

merge_run() {
	run=$1
	out="$REPORTS/$run-merged.jsonl"
	if [ -e "$out" ]; then
		echo "$run: already merged ($out)"
		return 0
	fi
	n=$(shard_count "$REPORTS/$run-shard-0.jsonl")
	if [ -z "$n" ]; then
		echo "$run: $REPORTS/$run-shard-0.jsonl is missing or not a shard report" >&2
		return 3
	fi
	set --
	i=0
	while [ "$i" -lt "$n" ]; do
		f="$REPORTS/$run-shard-$i.jsonl"
		if [ ! -e "$f" ]; then
			echo "$run: shard $i/$n not finished yet ($f missing)"
			return 10
		fi
		set -- "$@" "$f"
		i=$((i + 1))
	done
	if [ -e "$REPORTS/$run-shard-$n.jsonl" ]; then
		echo "$run: more shard reports than the $n its shards name; refusing" >&2
		return 3
	fi
	# shellcheck disable=SC2086
	photoscrub report merge --out "$out" $pubargs $signargs \
		--operator "${OPERATOR:-kubernetes}" --purpose "${PURPOSE:-merge of $run}" "$@" || return 3
	# shellcheck disable=SC2086
	photoscrub report verify $pubargs "$out" || return 3
	photoscrub report summary "$out" || true
	photoscrub report html --out "$REPORTS/$run-merged.html" "$out" || true
	seal=$(tail -n 1 "$out" | grep -o '"exit_code":[0-9]*' | cut -d: -f2)
	echo "$run: merged $n shards into $out; run exit code $seal"
	case $seal in
	0 | 1) return 0 ;;
	*) [ "$FAIL_ON_PARTIAL" = 1 ] && return 3 || return 0 ;;
	esac
}

note() {
	rc=$1
	if [ "$rc" -eq 10 ]; then
		[ -n "${RUN:-}" ] && status=3 # an explicit run must be complete
	elif [ "$rc" -ne 0 ]; then
		status=3
	fi
}

if [ -n "${RUN:-}" ]; then
	merge_run "$RUN"
	note $?
else
	for first in "$REPORTS"/*-shard-0.jsonl; do
		[ -e "$first" ] || continue
		run=$(basename "$first" -shard-0.jsonl)
		merge_run "$run"
		note $?
	done
fi
rm -f "$KEY_DIR/report.key"
echo "merge: exit $status" >/dev/termination-log 2>/dev/null || true
exit $status
