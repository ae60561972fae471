// futex.hpp - the one host sleep primitive behind task sleeps and the
// wall's wait words: a futex on a 32-bit word with an absolute
// CLOCK_MONOTONIC deadline.  Never polls.
#pragma once

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <ctime>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace umc {

// Sleep while *word == expected.  deadline_ns: absolute CLOCK_MONOTONIC,
// 0 = none.  0 when woken/changed/spurious, -ETIMEDOUT on timeout.
inline int futex_wait(const void *word, uint32_t expected, uint64_t deadline_ns)
{
	struct timespec ts;
	struct timespec *tsp = nullptr;
	if (deadline_ns) {
		ts.tv_sec = static_cast<time_t>(deadline_ns / 1000000000ull);
		ts.tv_nsec = static_cast<long>(deadline_ns % 1000000000ull);
		tsp = &ts;
	}
	// FUTEX_WAIT_BITSET takes an absolute timeout on CLOCK_MONOTONIC.
	long r = syscall(SYS_futex, word, FUTEX_WAIT_BITSET_PRIVATE, expected, tsp, nullptr, FUTEX_BITSET_MATCH_ANY);
	if (r == -1 && errno == ETIMEDOUT)
		return -ETIMEDOUT;
	return 0;
}

inline void futex_wake(const void *word, int count)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, count, nullptr, nullptr, 0);
}

static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));
static_assert(std::atomic<uint32_t>::is_always_lock_free);

} // namespace umc
