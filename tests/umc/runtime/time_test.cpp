// jiffies and HZ: start point, monotonicity, mapping to the clock.
#include <gtest/gtest.h>

#include "helpers.hpp"
#include "umc/task.h"
#include "umc/time.h"
#include <cerrno>

namespace {

TEST(Jiffies, StartNearThe32BitWrapLikeInitialJiffies)
{
	// The default boot puts the low 32 bits 300 s before their wrap.
	EXPECT_EQ(umc_initial_jiffies(), static_cast<unsigned long>(0xFFFFFFFFul - 300 * UMC_HZ + 1));
	unsigned long j = umc_jiffies();
	EXPECT_GE(j - umc_initial_jiffies(), 0ul);
	EXPECT_LT(j - umc_initial_jiffies(), 60ul * UMC_HZ); // this process booted recently
}

TEST(Jiffies, AdvanceAtHz)
{
	unsigned long j0 = umc_jiffies();
	uint64_t n0 = umc_mono_ns();
	umc_set_current_state(UMC_TASK_UNINTERRUPTIBLE);
	umc_schedule_timeout(25);
	unsigned long dj = umc_jiffies() - j0;
	uint64_t dms = (umc_mono_ns() - n0) / 1000000;
	EXPECT_GE(dj, 25ul);
	EXPECT_LE(dj, dms + 1); // HZ=1000: one jiffy per millisecond
}

TEST(Jiffies, JiffyToClockMapping)
{
	unsigned long now = umc_jiffies();
	uint64_t t = umc_mono_ns();
	// A past or current jiffy maps to "now or earlier".
	uint64_t past = umc_jiffies_to_mono_ns(now - 1000);
	EXPECT_LE(past, umc_mono_ns());
	// A future jiffy maps to the start of that millisecond.
	uint64_t f = umc_jiffies_to_mono_ns(now + 500);
	EXPECT_GE(f, t + 498 * UMC_NSEC_PER_JIFFY);
	EXPECT_LE(f, t + 501 * UMC_NSEC_PER_JIFFY);
}

TEST(Jiffies, HugeTimeoutsSaturateInsteadOfWrapping)
{
	const unsigned long max_jiffy_offset = (static_cast<unsigned long>(~0ul >> 1) >> 1) - 1;
	uint64_t now = umc_mono_ns();
	uint64_t far = umc_jiffies_to_mono_ns(umc_jiffies() + max_jiffy_offset);
	EXPECT_GT(far, now + 100ull * 365 * 24 * 3600 * 1000000000ull); // > 100 years away
	EXPECT_GT(umc_jiffies_to_mono_ns(umc_jiffies() + (~0ul >> 1)), now);
}

} // namespace

namespace {

TEST(Runtime, ExitAndBootAgainWithOtherJiffies)
{
	const sys_service *sys = umc_sys_service();
	EXPECT_EQ(umc_runtime_init(sys, nullptr), -EALREADY);
	umc_runtime_exit();
	EXPECT_FALSE(umc_runtime_running());
	umc_boot_params p{};
	p.set_initial_jiffies = true;
	p.initial_jiffies = 12345;
	ASSERT_EQ(umc_runtime_init(sys, &p), 0);
	EXPECT_EQ(umc_initial_jiffies(), 12345ul);
	EXPECT_LT(umc_jiffies() - 12345ul, 1000ul);
	EXPECT_NE(umc_current(), nullptr); // the booting thread is a task again
}

} // namespace
