#!/usr/bin/env bash
# Benchmarks, measured side by side in one run; writes docs/benchmarks.md.
# Called by `tools/umc bench` with the build dir.  Figures are never asserted.
#
# Block I/O: the same fio jobs on
#   backing   a 1 GiB file on tmpfs, directly (the backing store)
#   fuse-pt   that file through umc-fuse-passthrough (the bare FUSE ceiling)
#   umcd-ram  umcd's ram backend through dev/<name>
#   umcd-uring umcd's uring backend on the tmpfs file through dev/<name>
#   nbdfuse   nbdkit's memory plugin through nbdfuse (the usual alternative)
#   drbd-ram, drbd-uring  DRBD 8.4.11 hosted by umcd, standalone Primary, on
#             umcd's ram / uring backend (dev/drbdN, driven by drbd-utils)
# UMC_BENCH_RUNTIME (seconds per job, default 5) and UMC_BENCH_ONLY
# (space-separated target names) narrow a run.
set -euo pipefail
build=$1
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/lib/common.sh"
runtime=${UMC_BENCH_RUNTIME:-5}
only=${UMC_BENCH_ONLY:-"backing fuse-pt umcd-ram umcd-uring nbdfuse drbd-ram drbd-uring"}
size_mb=1024

work=$(mktemp -d /tmp/umc-bench.XXXXXX)
pids=()
mounts=()
drbd_confs=()
cleanup() {
  set +e
  for c in "${drbd_confs[@]}"; do
    UMC_FS_ROOT=${c%%|*} UMC_PRELOAD_LIB=$build/tools/preload/libumc-preload.so \
      "$top/tools/umc" drbdadm -c "${c#*|}" down all >/dev/null 2>&1
  done
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 0.1; done; done
  for ((i=${#mounts[@]}-1; i>=0; i--)); do findmnt -n "${mounts[$i]}" >/dev/null && umount -l "${mounts[$i]}"; done
  rm -rf "$work"
}
trap cleanup EXIT

# wait_mount FILE: a server's file appears (bounded).
wait_file() {
  local i
  for ((i = 0; i < 1000; i++)); do [ -e "$1" ] && return 0; sleep 0.01; done
  umc_die "bench: $1 did not appear"
}

# fio_jobs TARGET FILE: the five jobs, JSON results in $work/fio-TARGET-JOB.json.
fio_jobs() {
  local target=$1 file=$2 job
  local common=(--filename="$file" --allow_file_create=0 --direct=1 --ioengine=libaio --size=${size_mb}M
                --time_based --runtime="$runtime" --ramp_time=1 --group_reporting --output-format=json)
  umc_log "fio on $target"
  for job in seqwrite:write:1M:8 seqread:read:1M:8 randwrite:randwrite:4k:32 randread:randread:4k:32 \
             qd1write:randwrite:4k:1; do
    IFS=: read -r name rw bs qd <<<"$job"
    fio --name="$name" --rw="$rw" --bs="$bs" --iodepth="$qd" "${common[@]}" \
        --output="$work/fio-$target-$name.json" >/dev/null
  done
}

want() { case " $only " in *" $1 "*) return 0 ;; esac; return 1; }

mkdir -p "$work/tmpfs"
mount -t tmpfs -o size=$((size_mb * 3 + 512))M tmpfs "$work/tmpfs"
mounts+=("$work/tmpfs")
backing="$work/tmpfs/backing.img"
dd if=/dev/zero of="$backing" bs=1M count=$size_mb status=none

want backing && fio_jobs backing "$backing"

if want fuse-pt; then
  mkdir -p "$work/pt"
  "$build/tools/fuse_passthrough/umc-fuse-passthrough" "$backing" "$work/pt" -f >/dev/null 2>&1 &
  pids+=($!); mounts+=("$work/pt")
  wait_file "$work/pt/backing.img"
  fio_jobs fuse-pt "$work/pt/backing.img"
fi

# start_umcd NAME OPTIONS...: a umcd serving $work/NAME, device d0 with
# OPTIONS; node bench-NAME with its own state_dir (one umcd per state_dir).
start_umcd() {
  local name=$1 root="$work/$1"; shift
  { printf '[umcd]\nfs_root = %s\nnode_name = bench-%s\nstate_dir = %s\n[device d0]\n' \
      "$root" "$name" "$work/$name.state"
    printf '%s\n' "$@"; } >"$work/$name.conf"
  "$build/tools/umcd/umcd" -c "$work/$name.conf" --log-file "$work/$name.log" --pidfile "$work/$name.pid"
  pids+=("$(cat "$work/$name.pid")"); mounts+=("$root")
}
if want umcd-ram; then
  start_umcd umcd-ram "backend = ram" "size = ${size_mb}M"
  fio_jobs umcd-ram "$work/umcd-ram/dev/d0"
fi
if want umcd-uring; then
  start_umcd umcd-uring "backend = uring" "path = $backing"
  fio_jobs umcd-uring "$work/umcd-uring/dev/d0"
fi

# DRBD standalone Primary on a backend: the backing disk is 64 MiB larger
# than the fio file so the meta-data fits behind it.
start_drbd() { # name minor backend options...
  local name=$1 minor=$2 root="$work/$1"; shift 2
  start_umcd "$name" "$@"
  cat >"$work/$name.drbd.conf" <<CONF
global { usage-count no; }
resource bench$minor {
  device /dev/drbd$minor;
  disk $root/dev/d0;
  meta-disk internal;
  on bench-$name { address 127.0.0.1:$((7900 + minor)); }
  on bench-peer { address 127.0.0.1:$((7950 + minor)); }
}
CONF
  drbd_confs+=("$root|$work/$name.drbd.conf")
  local adm=(env UMC_FS_ROOT="$root" UMC_PRELOAD_LIB="$build/tools/preload/libumc-preload.so"
             "$top/tools/umc" drbdadm -c "$work/$name.drbd.conf")
  "${adm[@]}" create-md --force "bench$minor" >/dev/null 2>&1 </dev/null || umc_die "bench: create-md on $name"
  "${adm[@]}" up "bench$minor" || umc_die "bench: drbdadm up on $name"
  "${adm[@]}" disconnect "bench$minor" || umc_die "bench: drbdadm disconnect on $name"
  "${adm[@]}" primary --force "bench$minor" || umc_die "bench: drbdadm primary on $name"
}
if want drbd-ram; then
  start_drbd drbd-ram 221 "backend = ram" "size = $((size_mb + 64))M"
  fio_jobs drbd-ram "$work/drbd-ram/dev/drbd221"
fi
if want drbd-uring; then
  truncate -s $((size_mb + 64))M "$work/tmpfs/drbd-backing.img"
  start_drbd drbd-uring 222 "backend = uring" "path = $work/tmpfs/drbd-backing.img"
  fio_jobs drbd-uring "$work/drbd-uring/dev/drbd222"
fi

if want nbdfuse; then
  mkdir -p "$work/nbd"
  nbdfuse "$work/nbd" --command nbdkit -s --exit-with-parent memory ${size_mb}M >/dev/null 2>&1 &
  pids+=($!); mounts+=("$work/nbd")
  wait_file "$work/nbd/nbd"
  fio_jobs nbdfuse "$work/nbd/nbd"
fi

umc_log "mte: alarm and cross-thread callback latency"
"$build/mte/mte_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_format=json --benchmark_out="$work/mte.json" --benchmark_out_format=json >/dev/null

python3 "$top/tools/lib/bench_report.py" --out "$top/docs/benchmarks.md" --mte "$work/mte.json" \
  --fio-dir "$work" --fio-runtime "$runtime"
umc_log "wrote docs/benchmarks.md"
