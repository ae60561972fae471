// time.cpp - jiffies derived from CLOCK_MONOTONIC (umc/time.h).
//
// jiffies = initial + (now - boot) / 1 ms.  All arithmetic on jiffies is
// modulo 2^64 (unsigned long), so a boot just before the wrap behaves.
#include <atomic>

#include "runtime.hpp"
#include "umc/time.h"

namespace umc {

uint64_t timeout_deadline_ns(long timeo)
{
	uint64_t now = sys().time_mono_ns();
	if (timeo <= 0)
		return now;
	if (static_cast<uint64_t>(timeo) > (kFarFuture - now) / UMC_NSEC_PER_JIFFY)
		return kFarFuture;
	return now + static_cast<uint64_t>(timeo) * UMC_NSEC_PER_JIFFY;
}

namespace {
std::atomic<uint64_t> g_boot_ns{0};
std::atomic<unsigned long> g_initial{UMC_INITIAL_JIFFIES};
} // namespace

void time_init(bool set_initial, unsigned long initial)
{
	g_initial.store(set_initial ? initial : UMC_INITIAL_JIFFIES, std::memory_order_relaxed);
	g_boot_ns.store(sys().time_mono_ns(), std::memory_order_release);
}

} // namespace umc

using namespace umc;

extern "C" uint64_t umc_mono_ns(void)
{
	return sys().time_mono_ns();
}
extern "C" uint64_t umc_wall_ns(void)
{
	return sys().time_wall_ns();
}

extern "C" unsigned long umc_initial_jiffies(void)
{
	return g_initial.load(std::memory_order_relaxed);
}

extern "C" unsigned long umc_jiffies(void)
{
	uint64_t boot = g_boot_ns.load(std::memory_order_acquire);
	uint64_t elapsed = (sys().time_mono_ns() - boot) / UMC_NSEC_PER_JIFFY;
	return g_initial.load(std::memory_order_relaxed) + static_cast<unsigned long>(elapsed);
}

extern "C" uint64_t umc_jiffies_to_mono_ns(unsigned long j)
{
	uint64_t boot = g_boot_ns.load(std::memory_order_acquire);
	uint64_t now = sys().time_mono_ns();
	unsigned long elapsed = static_cast<unsigned long>((now - boot) / UMC_NSEC_PER_JIFFY);
	unsigned long jnow = g_initial.load(std::memory_order_relaxed) + elapsed;
	long ahead = static_cast<long>(j - jnow);
	if (ahead <= 0)
		return now;
	// Saturate: timeouts like MAX_JIFFY_OFFSET (~2^62 jiffies) must mean
	// "far in the future", not wrap around to "soon".
	uint64_t total = static_cast<uint64_t>(elapsed) + static_cast<uint64_t>(ahead);
	if (total > (kFarFuture - boot) / UMC_NSEC_PER_JIFFY)
		return kFarFuture;
	return boot + total * UMC_NSEC_PER_JIFFY;
}
