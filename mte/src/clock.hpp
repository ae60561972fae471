// clock.hpp - the two host clocks mte exposes, in nanoseconds.
#pragma once

#include <cstdint>
#include <ctime>

namespace mte {

inline uint64_t clock_ns(clockid_t id) noexcept
{
	timespec ts;
	clock_gettime(id, &ts); // cannot fail for the two clocks used here
	return uint64_t(ts.tv_sec) * 1'000'000'000u + uint64_t(ts.tv_nsec);
}

// CLOCK_MONOTONIC: the time base of alarms (timerfd and steady_clock use it too).
inline uint64_t mono_ns() noexcept
{
	return clock_ns(CLOCK_MONOTONIC);
}
inline uint64_t wall_ns() noexcept
{
	return clock_ns(CLOCK_REALTIME);
}

} // namespace mte
