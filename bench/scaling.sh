#!/usr/bin/env bash
# bench/scaling.sh — CPU scaling of photoscrub on the ID-card workload.
#
#   bench/scaling.sh BINDIR [WORKDIR]
#
# BINDIR holds two static binaries (CGO_ENABLED=0 go build):
#   photoscrub   (go build -o BINDIR/photoscrub ./cmd/photoscrub)
#   genphotos    (go build -o BINDIR/genphotos ./pkg/testimg/genphotos)
# WORKDIR (default: a new directory under ${TMPDIR:-/tmp}) receives the
# generated photos and the outputs; it is removed at the end unless KEEP=1.
#
# It generates N ID-card JPEGs (default 4000; N=... to change), then runs
# `photoscrub scan --report` and `photoscrub scrub --out --report` (lossless)
# at --jobs in JOBS (default "1 2 4 8 16"), each ROUNDS times (default 1,
# best wall time kept), and prints one table: wall seconds, user and system
# CPU seconds, CPU microseconds per file, speedup over the first --jobs, and
# peak RSS where /usr/bin/time is available (bash's `time` otherwise). A
# `cp -r` + `sync` row gives the copy baseline. Plain bash, no network, no
# package installation; about 1-2 minutes on 16 cores.
set -uo pipefail

bindir=${1:-}
if [[ -z $bindir || ! -x $bindir/photoscrub || ! -x $bindir/genphotos ]]; then
	sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
	echo "scaling.sh: BINDIR must hold executable photoscrub and genphotos" >&2
	exit 2
fi
bindir=$(cd "$bindir" && pwd)
PS=$bindir/photoscrub
N=${N:-4000}
JOBS=${JOBS:-"1 2 4 8 16"}
ROUNDS=${ROUNDS:-1}
if [[ -n ${2:-} ]]; then
	work=$2
	mkdir -p "$work" || exit 2
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/photoscrub-scaling.XXXXXX") || exit 2
fi
work=$(cd "$work" && pwd)
cleanup() { if [[ ${KEEP:-0} == 1 ]]; then echo "scaling.sh: kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

TIME=""
[[ -x /usr/bin/time ]] && /usr/bin/time -f '%e' true >/dev/null 2>&1 && TIME=/usr/bin/time

# measure LABEL CMD... : runs CMD, sets wall user sys rss (KB, "-" when
# unknown) and ok (1 when the command exited 0).
measure() {
	local tf=$work/time.out
	shift
	if [[ -n $TIME ]]; then
		$TIME -o "$tf" -f '%e %U %S %M' "$@" >"$work/cmd.out" 2>&1
		ok=$?
		read -r wall user sys rss < <(tail -n 1 "$tf")
	else
		local TIMEFORMAT='%R %U %S'
		{ time "$@" >"$work/cmd.out" 2>&1; } 2>"$tf"
		ok=$?
		read -r wall user sys < <(tail -n 1 "$tf")
		rss=-
	fi
	if ((ok == 0)); then ok=1; else ok=0; fi
}

echo "scaling.sh: $(nproc 2>/dev/null || echo '?') CPUs; $(uname -sr); $("$PS" --version 2>/dev/null | head -n 1)" >&2
echo "scaling.sh: generating $N ID cards in $work/photos" >&2
gstart=$(date +%s)
# Generate in parallel: P processes, each N/P cards with its own seeds.
P=$(nproc 2>/dev/null || echo 1)
((P > 16)) && P=16
((P > N)) && P=$N
pids=()
for ((k = 0; k < P; k++)); do
	n=$((N / P + (k < N % P ? 1 : 0)))
	"$bindir/genphotos" -out "$work/photos/part-$k" -seed $((1 + k * 1000000)) -bench-idcards "$n" >"$work/gen-$k.out" 2>&1 &
	pids+=($!)
done
for k in "${!pids[@]}"; do
	if ! wait "${pids[$k]}"; then
		echo "scaling.sh: genphotos failed:" >&2
		cat "$work/gen-$k.out" >&2
		exit 1
	fi
done
src=$work/photos
files=$(find "$src" -type f | wc -l)
bytes=$(du -sk "$src" | cut -f1)
echo "scaling.sh: $files files, $((bytes / 1024)) MiB, generated in $(($(date +%s) - gstart)) s" >&2
sync

printf '\n%-28s %5s %8s %8s %8s %10s %8s %9s\n' "run ($files ID cards)" jobs wall_s user_s sys_s cpu_us/file speedup peak_rss
line() { # label jobs wall user sys rss base
	local cpu us sp
	cpu=$(awk -v u="$4" -v s="$5" 'BEGIN{printf "%.3f", u+s}')
	us=$(awk -v c="$cpu" -v n="$files" 'BEGIN{printf "%.0f", c*1e6/n}')
	sp=$(awk -v b="$7" -v w="$3" 'BEGIN{ if (b != "-" && w > 0) printf "%.2fx", b/w; else print "-" }')
	local r=$6
	[[ $r != - ]] && r="$((r / 1024)) MB"
	printf '%-28s %5s %8s %8s %8s %10s %8s %9s\n' "$1" "$2" "$3" "$4" "$5" "$us" "$sp" "$r"
}

# Baseline: copy, then copy and make durable.
rm -rf "$work/copy"
measure cp cp -r "$src" "$work/copy"
line "cp -r" - "$wall" "$user" "$sys" "$rss" -
rm -rf "$work/copy"
measure cp bash -c 'cp -r "$0" "$1" && sync' "$src" "$work/copy"
line "cp -r && sync" - "$wall" "$user" "$sys" "$rss" -
rm -rf "$work/copy"

failed=0
for mode in scan out; do
	base=""
	for j in $JOBS; do
		best=""
		for ((r = 0; r < ROUNDS; r++)); do
			rm -rf "$work/out" "$work/report.jsonl"
			if [[ $mode == scan ]]; then
				measure scan "$PS" scan --quiet --jobs "$j" --report "$work/report.jsonl" "$src"
			else
				measure out "$PS" scrub --quiet --jobs "$j" --report "$work/report.jsonl" --out "$work/out" "$src"
			fi
			# scan exits 1 when it finds metadata (it does, on purpose).
			if ((!ok)) && ! { [[ $mode == scan ]] && grep -q '"type":"summary"' "$work/report.jsonl" 2>/dev/null; }; then
				echo "scaling.sh: $mode --jobs $j failed:" >&2
				tail -n 5 "$work/cmd.out" >&2
				failed=1
				continue
			fi
			if [[ -z $best ]] || awk -v a="$wall" -v b="${best%% *}" 'BEGIN{exit !(a < b)}'; then
				best="$wall $user $sys $rss"
			fi
		done
		[[ -z $best ]] && continue
		read -r bw bu bs br <<<"$best"
		[[ -z $base ]] && base=$bw
		label="scan --report"
		[[ $mode == out ]] && label="scrub --out --report"
		line "$label" "$j" "$bw" "$bu" "$bs" "$br" "$base"
	done
done
rm -rf "$work/out"
exit $failed
