// fuse_settings.hpp - the FUSE connection settings fuse_nodes uses, shared with
// tools/fuse_passthrough so benchmark comparisons run with identical settings.
// Why each value: docs/fuse-nodes.md (figures: docs/benchmarks.md).
#pragma once

#include <cstddef>

namespace umc::fuse::settings {

// 1 MiB requests: libfuse 3.14 sizes its receive buffer for 256 pages, and
// derives the kernel's max_pages from max_write, which also bounds direct_io
// reads.
inline constexpr unsigned kMaxWrite = 1u << 20;
inline constexpr unsigned kMaxRead = 1u << 20;
// The kernel's limit on background (async, e.g. aio/io_uring O_DIRECT)
// requests; the default 12 starves QD32.  Measured +10-15% at 64.
inline constexpr unsigned kMaxBackground = 64;
inline constexpr unsigned kCongestionThreshold = 48; // 3/4 of max_background, like the kernel's default ratio
// Worker threads: libfuse starts another worker whenever none is idle, up to
// this many.  Workers only block in unaligned (read-modify-write) writes and
// in a device's submit (fuse_nodes) or for pread/pwrite (passthrough), so
// this bounds the writes in flight in the passthrough.
inline constexpr unsigned kMaxThreads = 64;
// Idle workers kept instead of being torn down (thread churn costs more than
// the memory: ~1 MiB receive buffer each).
inline constexpr unsigned kMaxIdleThreads = 16;
// One /dev/fuse clone per worker (measured ~+5%, within noise, harmless).
inline constexpr bool kCloneFd = true;

} // namespace umc::fuse::settings
