#!/usr/bin/env bash
# Benchmarks, measured side by side in one run; writes docs/benchmarks.md.
# Called by `tools/umc bench` with the build dir.  Figures are never asserted.
#
# Block I/O: the same fio jobs on
#   backing   a 1 GiB file on tmpfs, directly (the backing store)
#   fuse-pt   that file through umc-fuse-passthrough (the bare FUSE ceiling)
#   umcd-ram  umcd's ram backend through dev/<name>
#   umcd-uring umcd's uring backend on the tmpfs file through dev/<name>
#   backing-ext4, fuse-pt-ext4, umcd-uring-ext4  the same three on a 1 GiB
#             file on the real disk (ext4, under /tmp)
#   fuse-pt-ext4-direct  the passthrough with O_DIRECT on that file: like
#             umcd's uring (direct=1), it bypasses the page cache
#   nbdfuse   nbdkit's memory plugin through nbdfuse (the usual alternative)
#   drbd-ram, drbd-uring  DRBD 8.4.11 hosted by umcd, standalone Primary, on
#             umcd's ram / uring backend (dev/drbdN, driven by drbd-utils)
# Replication: two umcd nodes (ram backends) with one resource over
# 127.0.0.1; the write jobs (seq 1 MiB QD8, rand 4 KiB QD32, 4 KiB QD1) on
# the Primary's dev/drbdN:
#   net       references: umc-netbench, loopback TCP stream MiB/s and 4 KiB
#             ping-pong round trip
#   resync    the initial resync of the fresh pair (primary --force to
#             UpToDate/UpToDate) at a fixed resync-rate, and its backend
#             reference (seq write on the SyncTarget's disk before DRBD)
#   rep-c     protocol C, connected
#   rep-a     protocol A (disconnect, connect with the conf rewritten)
#   rep-standalone  the Primary disconnected, after it has seen its peer
#             (all five jobs: the standalone-against-backend target)
# Memory:
#   mem       two umcd nodes, `uring` backends on sparse 1 GiB tmpfs files (so
#             no backend data is in their RSS), one resource connected and
#             idle: VmRSS of each; then again after the seq and rand write
#             jobs on the Primary, and the peak (VmHWM)
# UMC_BENCH_RUNTIME (seconds per job, default 5) and UMC_BENCH_ONLY
# (space-separated target names) narrow a run.
set -euo pipefail
build=$1
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/lib/common.sh"
runtime=${UMC_BENCH_RUNTIME:-5}
only=${UMC_BENCH_ONLY:-"backing fuse-pt umcd-ram umcd-uring backing-ext4 fuse-pt-ext4 fuse-pt-ext4-direct umcd-uring-ext4 nbdfuse drbd-ram drbd-uring net resync rep-c rep-a rep-standalone mem"}
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

# fio_jobs TARGET FILE [JOB...]: the jobs (default: all five), JSON results in
# $work/fio-TARGET-JOB.json.  A JOB is NAME:RW:BS:QD.
all_jobs=(seqwrite:write:1M:8 seqread:read:1M:8 randwrite:randwrite:4k:32 randread:randread:4k:32
          qd1write:randwrite:4k:1)
write_jobs=(seqwrite:write:1M:8 randwrite:randwrite:4k:32 qd1write:randwrite:4k:1)
fio_jobs() {
  local target=$1 file=$2 job jobs
  shift 2
  jobs=("$@")
  [ ${#jobs[@]} -gt 0 ] || jobs=("${all_jobs[@]}")
  local common=(--filename="$file" --allow_file_create=0 --direct=1 --ioengine=libaio --size=${size_mb}M
                --time_based --runtime="$runtime" --ramp_time=1 --group_reporting --output-format=json)
  umc_log "fio on $target"
  for job in "${jobs[@]}"; do
    IFS=: read -r name rw bs qd <<<"$job"
    fio --name="$name" --rw="$rw" --bs="$bs" --iodepth="$qd" "${common[@]}" \
        --output="$work/fio-$target-$name.json" >/dev/null
  done
}

want() { case " $only " in *" $1 "*) return 0 ;; esac; return 1; }

mkdir -p "$work/tmpfs"
# backing.img, drbd-backing.img and the two sparse mem files, all written
mount -t tmpfs -o size=$((size_mb * 5 + 1024))M tmpfs "$work/tmpfs"
mounts+=("$work/tmpfs")
backing="$work/tmpfs/backing.img"
dd if=/dev/zero of="$backing" bs=1M count=$size_mb status=none

want backing && fio_jobs backing "$backing"

# passthrough TARGET FILE DIR [--direct]: umc-fuse-passthrough serves FILE
# at DIR/<its name>; the jobs run on it as TARGET.
passthrough() {
  local target=$1 file=$2 dir=$3; shift 3
  mkdir -p "$dir"
  "$build/tools/fuse_passthrough/umc-fuse-passthrough" "$@" "$file" "$dir" -f >/dev/null 2>&1 &
  pids+=($!); mounts+=("$dir")
  wait_file "$dir/${file##*/}"
  fio_jobs "$target" "$dir/${file##*/}"
}
want fuse-pt && passthrough fuse-pt "$backing" "$work/pt"

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

# The same on the real disk: /tmp is ext4 here (the report says what it was).
if want backing-ext4 || want fuse-pt-ext4 || want fuse-pt-ext4-direct || want umcd-uring-ext4; then
  mkdir -p "$work/ext4"
  backing_ext4="$work/ext4/backing.img"
  dd if=/dev/zero of="$backing_ext4" bs=1M count=$size_mb oflag=direct status=none
  findmnt -n -o FSTYPE,SOURCE --target "$backing_ext4" >"$work/ext4.fs"
  want backing-ext4 && fio_jobs backing-ext4 "$backing_ext4"
  want fuse-pt-ext4 && passthrough fuse-pt-ext4 "$backing_ext4" "$work/pt-ext4"
  want fuse-pt-ext4-direct && passthrough fuse-pt-ext4-direct "$backing_ext4" "$work/pt-ext4d" --direct
  if want umcd-uring-ext4; then
    start_umcd umcd-uring-ext4 "backend = uring" "path = $backing_ext4"
    fio_jobs umcd-uring-ext4 "$work/umcd-uring-ext4/dev/d0"
  fi
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
  # Right after up the connection may be in a transient state (DRBD says
  # -18, retry after the next state change): as an administrator would.
  local try
  for try in 1 2 3 4 5 6 7 8 9 10; do
    "${adm[@]}" disconnect "bench$minor" 2>/dev/null && break
    [ "$try" = 10 ] && umc_die "bench: drbdadm disconnect on $name"
    sleep 0.2
  done
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

# Replication.  Node rep0 (minor 223) becomes the Primary, rep1 (minor 224)
# its peer; ports are free loopback ports.  Every ram page is written once
# (dd) before anything is measured, so no job pays first-touch page faults.
rep_node=rep rep_minor=223 rep_res=benchrep
rep_conf="$work/rep.drbd.conf"
resync_rate=4000M   # resync-rate's maximum is 4194304k
# DRBD 8.4 issues at most max-buffers/2 resync requests of 4 KiB per 100 ms
# cycle (drbd_rs_number_requests): its default 2048 caps any resync at
# 40 MiB/s whatever the rate.  131072 is its maximum (2.5 GiB/s).
max_buffers=131072
rep_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# rep_write_conf PROTOCOL: the one drbd.conf both nodes use.
rep_write_conf() {
  local i
  {
    printf 'global { usage-count no; }\nresource %s {\n' "$rep_res"
    printf '  net { protocol %s; max-buffers %s; }\n' "$1" "$max_buffers"
    printf '  disk { c-plan-ahead 0; resync-rate %s; }\n' "$resync_rate"
    for i in 0 1; do
      printf '  on bench-%s%s {\n    device /dev/drbd%s minor %s;\n' "$rep_node" "$i" $((rep_minor + i)) $((rep_minor + i))
      printf '    disk %s/%s%s/dev/d0;\n    meta-disk internal;\n' "$work" "$rep_node" "$i"
      printf '    address 127.0.0.1:%s;\n  }\n' "${rep_ports[i]}"
    done
    printf '}\n'
  } >"$rep_conf"
}
# rep_adm I ARGS...: drbd-utils as node I (UMC_FS_ROOT selects it, the
# preload its `on` section and state_dir), output in $work/rep-adm.out.
rep_adm() {
  local i=$1; shift
  UMC_FS_ROOT="$work/$rep_node$i" UMC_PRELOAD_LIB="$build/tools/preload/libumc-preload.so" \
    timeout 60 "$top/tools/umc" drbdadm -c "$rep_conf" "$@" </dev/null >"$work/rep-adm.out" 2>&1
}
rep_must() {
  rep_adm "$@" || { cat "$work/rep-adm.out" >&2; umc_die "bench: drbdadm ${*:2} on node $rep_node$1 failed"; }
}
# rep_wait I PATTERN [SECONDS]: node I's /proc/drbd (its FUSE file, cheap to
# poll) matches PATTERN (grep -E).
rep_wait() {
  local i=$1 pat=$2 secs=${3:-60} t
  for ((t = 0; t < secs * 50; t++)); do
    grep -Eq -- "$pat" "$work/$rep_node$i/proc/drbd" 2>/dev/null && return 0
    sleep 0.02
  done
  cat "$work/$rep_node$i/proc/drbd" >&2 2>/dev/null
  umc_die "bench: node $rep_node$i: no '$pat' in /proc/drbd after $secs s"
}
# rep_connected PROTOCOL: both nodes Connected, UpToDate/UpToDate, with
# PROTOCOL (the letter in /proc/drbd's state line).
rep_connected() {
  rep_wait 0 "cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate $1 " 120
  rep_wait 1 "cs:Connected ro:Secondary/Primary ds:UpToDate/UpToDate $1 " 60
}
now() { date +%s.%N; }

if want net; then
  umc_log "umc-netbench: loopback TCP stream and 4 KiB ping-pong, ${runtime} s each"
  "$build/tools/netbench/umc-netbench" --seconds "$runtime" --json "$work/net.json"
fi

if want resync || want rep-c || want rep-a || want rep-standalone; then
  umc_log "replication: two umcd nodes on 127.0.0.1"
  rep_start=$SECONDS
  rep_ports=("$(rep_port)" "$(rep_port)")
  while [ "${rep_ports[1]}" = "${rep_ports[0]}" ]; do rep_ports[1]=$(rep_port); done
  for i in 0 1; do
    start_umcd "rep$i" "backend = ram" "size = $((size_mb + 64))M"
    dd if=/dev/zero of="$work/rep$i/dev/d0" bs=1M count=$((size_mb + 64)) oflag=direct conv=notrunc status=none
    drbd_confs+=("$work/rep$i|$rep_conf")
  done
  # The backend reference of the resync: the SyncTarget's disk, before DRBD.
  want resync && fio_jobs rep-backend "$work/rep1/dev/d0" seqwrite:write:1M:8
  rep_write_conf C
  for i in 0 1; do
    rep_must "$i" create-md --force "$rep_res"
    rep_must "$i" up "$rep_res"
  done
  rep_wait 0 "cs:Connected ro:Secondary/Secondary ds:Inconsistent/Inconsistent"
  rep_wait 1 "cs:Connected ro:Secondary/Secondary ds:Inconsistent/Inconsistent"
  # The initial resync: the whole device, from primary --force until the
  # Primary sees UpToDate/UpToDate.
  rep_bytes=$(stat -c %s "$work/rep0/dev/drbd223")
  t0=$(now)
  rep_must 0 primary --force "$rep_res"
  rep_wait 0 "ds:UpToDate/UpToDate" 600
  t1=$(now)
  if want resync; then
    printf '{"bytes": %s, "seconds": %s, "resync_rate": "%s"}\n' "$rep_bytes" \
      "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" "$resync_rate" >"$work/resync.json"
    umc_log "initial resync: $rep_bytes bytes in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
  fi
  rep_connected C
  want rep-c && fio_jobs rep-c "$work/rep0/dev/drbd223" "${write_jobs[@]}"
  if want rep-a; then
    # 8.4 refuses a protocol change on a live connection: disconnect, and
    # connect with the resource rewritten (both ends must agree).
    rep_write_conf A
    for i in 0 1; do rep_must "$i" disconnect "$rep_res"; done
    for i in 1 0; do rep_must "$i" connect "$rep_res"; done
    rep_connected A
    fio_jobs rep-a "$work/rep0/dev/drbd223" "${write_jobs[@]}"
  fi
  if want rep-standalone; then
    for i in 0 1; do rep_must "$i" disconnect "$rep_res"; done
    rep_wait 0 "cs:StandAlone ro:Primary/Unknown ds:UpToDate/DUnknown"
    # Having seen its peer, DRBD keeps the peer's 1 MiB; its log says so.
    mbs=$(grep -o 'max BIO size = [0-9]*' "$work/rep0.log" | tail -n 1 || true)
    [ "$mbs" = "max BIO size = 1048576" ] || umc_log "warning: standalone Primary: '${mbs:-no max BIO size}' in its log"
    fio_jobs rep-standalone "$work/rep0/dev/drbd223"
  fi
  umc_log "replication: $((SECONDS - rep_start)) s"
fi

# Memory: an idle pair with one 1 GiB resource connected.  The backends are
# `uring` on sparse tmpfs files, which umcd reads and writes but never maps:
# the page cache holding the data is not in the daemon's RSS.  The initial
# sync is skipped (new-current-uuid --clear-bitmap, as DRBD documents for
# fresh disks), so nothing but the connection is live.
if want mem; then
  umc_log "memory: an idle connected pair"
  rep_node=mem rep_minor=225 rep_res=benchmem rep_conf="$work/mem.drbd.conf"
  rep_ports=("$(rep_port)" "$(rep_port)")
  while [ "${rep_ports[1]}" = "${rep_ports[0]}" ]; do rep_ports[1]=$(rep_port); done
  for i in 0 1; do
    truncate -s $((size_mb + 64))M "$work/tmpfs/mem$i.img"
    start_umcd "mem$i" "backend = uring" "path = $work/tmpfs/mem$i.img"
    drbd_confs+=("$work/mem$i|$rep_conf")
  done
  rep_write_conf C
  for i in 0 1; do
    rep_must "$i" create-md --force benchmem
    rep_must "$i" up benchmem
  done
  rep_wait 0 "cs:Connected ro:Secondary/Secondary ds:Inconsistent/Inconsistent"
  rep_must 0 -- --clear-bitmap new-current-uuid benchmem
  rep_wait 0 "cs:Connected ro:Secondary/Secondary ds:UpToDate/UpToDate"
  rep_wait 1 "cs:Connected ro:Secondary/Secondary ds:UpToDate/UpToDate"
  rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$(cat "$work/mem$1.pid")/status"; }
  idle_rss=("$(rss 0)" "$(rss 1)")
  # Then a write load through DRBD (its page pool and the sockets' buffers
  # come into use), and the RSS after it.
  rep_must 0 primary benchmem
  fio_jobs mem "$work/mem0/dev/drbd225" seqwrite:write:1M:8 randwrite:randwrite:4k:32
  {
    printf '{"resource_mib": %s, "nodes": [' "$size_mb"
    for i in 0 1; do
      pid=$(cat "$work/mem$i.pid")
      printf '%s{"rss_kib": %s, "after_io_kib": %s, "hwm_kib": %s, "threads": %s}' "$([ $i = 0 ] || echo ,)" \
        "${idle_rss[i]}" "$(rss "$i")" "$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")" \
        "$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")"
    done
    printf ']}\n'
  } >"$work/mem.json"
  umc_log "memory: $(cat "$work/mem.json")"
fi

umc_log "mte: alarm and cross-thread callback latency"
"$build/mte/mte_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_format=json --benchmark_out="$work/mte.json" --benchmark_out_format=json >/dev/null

report_args=()
[ -f "$work/net.json" ] && report_args+=(--net "$work/net.json")
[ -f "$work/resync.json" ] && report_args+=(--resync "$work/resync.json")
[ -f "$work/mem.json" ] && report_args+=(--mem "$work/mem.json")
[ -f "$work/ext4.fs" ] && report_args+=(--ext4-fs "$(cat "$work/ext4.fs")")
python3 "$top/tools/lib/bench_report.py" --out "$top/docs/benchmarks.md" --mte "$work/mte.json" \
  --fio-dir "$work" --fio-runtime "$runtime" ${report_args[@]+"${report_args[@]}"}
umc_log "wrote docs/benchmarks.md"
