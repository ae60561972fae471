#!/bin/sh
# compare.sh [SIZE_MB] [RUNTIME_S] - side-by-side fio figures for the bare
# FUSE passthrough and the same file served through fuse_nodes
# (umc-fuse-passthrough --fuse-nodes).  Needs root, fio, a built
# umc-fuse-passthrough (UMC_PASSTHROUGH=path, default: next to this build).
# UMC_UMCD=path/to/umcd adds a third layer: umcd serving a `ram` device.
# Prints one line per job and layer.  Cleans up on exit.
set -eu
SIZE_MB=${1:-1024}
RUNTIME=${2:-5}
BIN=${UMC_PASSTHROUGH:-$(dirname "$0")/../../build-fuse/tools/fuse_passthrough/umc-fuse-passthrough}
WORK=$(mktemp -d /tmp/umc-fuse-compare-XXXXXX)
BACKING=/dev/shm/umc-fuse-compare-$$.img
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	# Let each server unmount itself (bounded), then force what is left.
	for m in "$WORK/pt" "$WORK/fn" "$WORK/um"; do
		i=0
		while grep -q " $m " /proc/self/mountinfo && [ $i -lt 500 ]; do i=$((i + 1)); sleep 0.01; done
		umount -l "$m" 2>/dev/null || true
	done
	rm -rf "$WORK" "$BACKING"
}
trap cleanup EXIT INT TERM
truncate -s "${SIZE_MB}M" "$BACKING"
dd if=/dev/zero of="$BACKING" bs=1M count="$SIZE_MB" conv=notrunc status=none
mkdir -p "$WORK/pt" "$WORK/fn"

# Start one server in the foreground (in the background of this shell) and
# wait, bounded, until its mount appears.
start() { # mode dir
	if [ "$1" = pt ]; then "$BIN" "$BACKING" "$2" -f >/dev/null & else "$BIN" --fuse-nodes "$BACKING" "$2" -f >/dev/null & fi
	PIDS="$PIDS $!"
	i=0
	until grep -q " $2 " /proc/self/mountinfo; do
		i=$((i + 1)); [ $i -lt 500 ] || { echo "mount at $2 did not appear" >&2; exit 1; }
		sleep 0.01
	done
}
start pt "$WORK/pt"
start fn "$WORK/fn"
LAYERS="pt fn"
if [ -n "${UMC_UMCD:-}" ]; then
	printf '[umcd]\nfs_root = %s\n[device d0]\nbackend = ram\nsize = %sM\n' "$WORK/um" "$SIZE_MB" >"$WORK/um.conf"
	"$UMC_UMCD" -c "$WORK/um.conf" --log-file "$WORK/um.log" --pidfile "$WORK/um.pid"
	PIDS="$PIDS $(cat "$WORK/um.pid")"
	LAYERS="$LAYERS um"
	stat "$WORK/um/dev/d0" >/dev/null
fi
NAME=$(basename "$BACKING")
# fuse_nodes answers its first lookup only after FUSE_INIT; stat both files.
stat "$WORK/pt/$NAME" "$WORK/fn/dev/$NAME" >/dev/null

job() { # name file fio-args...
	name=$1; file=$2; shift 2
	fio --name=x --filename="$file" --allow_file_create=0 --direct=1 --time_based --runtime="$RUNTIME" \
	    --size="${SIZE_MB}M" --group_reporting --output-format=json --output="$WORK/out.json" "$@" >/dev/null
	python3 - "$name" "$WORK/out.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[2]))["jobs"][0]
r, w = j["read"], j["write"]
d = r if r["io_bytes"] else w
print(f"{sys.argv[1]:<34} {d['bw']/1024:10.0f} MiB/s {d['iops']:10.0f} IOPS  mean {d['clat_ns']['mean']/1000:8.1f} us")
PY
}
for layer in $LAYERS; do
	case $layer in
	pt) f="$WORK/pt/$NAME" ;;
	fn) f="$WORK/fn/dev/$NAME" ;;
	um) f="$WORK/um/dev/d0" ;;
	esac
	job "$layer seq write 1M QD8" "$f" --rw=write --bs=1M --ioengine=libaio --iodepth=8
	job "$layer seq read 1M QD8" "$f" --rw=read --bs=1M --ioengine=libaio --iodepth=8
	job "$layer rand write 4K QD32" "$f" --rw=randwrite --bs=4k --ioengine=libaio --iodepth=32
	job "$layer rand read 4K QD32" "$f" --rw=randread --bs=4k --ioengine=libaio --iodepth=32
	job "$layer write 4K QD1 psync" "$f" --rw=randwrite --bs=4k --ioengine=psync
done
