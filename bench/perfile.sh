#!/usr/bin/env bash
# perfile.sh MODE JOBS LIST IN OUT — run a one-file-at-a-time baseline tool
# over the files named (relative to IN) in LIST, split into JOBS parallel
# shards. Used by bench/run under /usr/bin/time; its exit status is non-zero
# when any invocation failed.
#
#   jpegtran     jpegtran -copy none -outfile OUT/f IN/f   (one process a file)
#   djpeg-cjpeg  djpeg IN/f | cjpeg -quality 92 > OUT/f    (two processes a file)
#   heif-convert heif-convert -q 92 IN/f OUT/f.jpg         (HEIC/AVIF to JPEG)
#   dwebp-cwebp  dwebp -ppm IN/f | cwebp -q 85 > OUT/f     (WebP re-encode)
#   heif-avif    heif-convert IN/f OUT/f.png, heif-enc -A  (AVIF re-encode)
#   exiv2        exiv2 rm IN/f...                          (in place, 64 files a process)
#   mogrify      mogrify -strip IN/f...                    (in place, 64 files a process)
set -uo pipefail
mode=$1 jobs=$2 list=$3 in=$4 out=$5

[[ $out == - ]] || mkdir -p "$out"

shard() { awk -v n="$jobs" -v k="$1" '(NR - 1) % n == k' "$list"; }

work() {
	local rc=0 f
	case $mode in
	jpegtran)
		while IFS= read -r f; do
			jpegtran -copy none -outfile "$out/$f" "$in/$f" || rc=1
		done
		;;
	djpeg-cjpeg)
		while IFS= read -r f; do
			djpeg "$in/$f" | cjpeg -quality 92 >"$out/$f" || rc=1
		done
		;;
	heif-convert)
		while IFS= read -r f; do
			heif-convert -q 92 "$in/$f" "$out/${f%.*}.jpg" >/dev/null || rc=1
		done
		;;
	dwebp-cwebp)
		while IFS= read -r f; do
			dwebp -quiet -ppm "$in/$f" -o - | cwebp -quiet -q 85 -o "$out/$f" -- - || rc=1
		done
		;;
	heif-avif)
		while IFS= read -r f; do
			heif-convert "$in/$f" "$out/${f%.*}.png" >/dev/null &&
				heif-enc -A -q 80 -o "$out/$f" "$out/${f%.*}.png" >/dev/null || rc=1
			rm -f "$out/${f%.*}.png"
		done
		;;
	exiv2)
		(cd "$in" && xargs -d '\n' -n 64 exiv2 rm) || rc=1
		;;
	mogrify)
		(cd "$in" && xargs -d '\n' -n 64 mogrify -strip) || rc=1
		;;
	*)
		echo "perfile.sh: unknown mode $mode" >&2
		return 2
		;;
	esac
	return $rc
}

pids=()
for ((k = 0; k < jobs; k++)); do
	work < <(shard "$k") &
	pids+=($!)
done
status=0
for p in "${pids[@]}"; do
	wait "$p" || status=1
done
exit $status
