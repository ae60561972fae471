// Boots with jiffies 150 ms before the 64-bit wrap of unsigned long (the
// 32-bit wrap is covered by the default boot, 300 s before it) and arms
// timers across the wrap.
#include <atomic>
#include <gtest/gtest.h>

#include "helpers.hpp"
#include "umc/task.h"
#include "umc/time.h"
#include "umc/timer.h"

extern "C" void umc_test_boot_params(struct umc_boot_params *p)
{
	p->set_initial_jiffies = true;
	p->initial_jiffies = ~0ul - 150 * UMC_HZ / 1000 + 1; // wraps 150 ms after boot
}

namespace {

struct Timer {
	std::atomic<uint32_t> fired{0};
	unsigned long fired_at = 0;
};

void on_fire(void *p)
{
	auto *t = static_cast<Timer *>(p);
	t->fired_at = umc_jiffies();
	t->fired = 1;
	umc_wake_word(reinterpret_cast<uint32_t *>(&t->fired), INT32_MAX);
}

bool time_after_eq(unsigned long a, unsigned long b)
{
	return static_cast<long>(a - b) >= 0;
}

TEST(JiffiesWrap, TimerArmedBeforeWrapFiresAfterItOnTime)
{
	unsigned long now = umc_jiffies();
	if (now < ~0ul - 200ul)
		GTEST_SKIP() << "wrap already passed (run each test in its own process, as ctest does)";
	uint64_t t0 = t::now_ms();
	unsigned long expires = now + 300; // past the wrap: a small number
	ASSERT_LT(expires, now);           // (it did wrap arithmetically)
	Timer t;
	umc_timer_mod(&t, expires, on_fire);
	while (!t.fired.load())
		umc_wait_word(reinterpret_cast<uint32_t *>(&t.fired), 0, 0);
	EXPECT_GE(t::now_ms() - t0, 299u);  // neither early...
	EXPECT_LT(t::now_ms() - t0, 2000u); // ...nor lost
	EXPECT_TRUE(time_after_eq(t.fired_at, expires));
	EXPECT_LT(t.fired_at, 1000ul); // jiffies wrapped through 0
}

TEST(JiffiesWrap, ScheduleTimeoutAcrossWrap)
{
	unsigned long before = umc_jiffies();
	if (before < ~0ul - 200ul)
		GTEST_SKIP() << "wrap already passed (run each test in its own process, as ctest does)";
	umc_set_current_state(UMC_TASK_UNINTERRUPTIBLE);
	EXPECT_EQ(umc_schedule_timeout(250), 0);
	unsigned long after = umc_jiffies();
	EXPECT_TRUE(time_after_eq(after, before + 250));
	EXPECT_LT(after, before); // numerically wrapped
}

TEST(JiffiesWrap, PastTimerAcrossWrapFiresPromptly)
{
	// expires a little before "now" where now is just past... or before the
	// wrap: either way time_before(expires, now) must mean "fire now".
	Timer t;
	uint64_t t0 = t::now_ms();
	umc_timer_mod(&t, umc_jiffies() - 10, on_fire);
	while (!t.fired.load())
		umc_wait_word(reinterpret_cast<uint32_t *>(&t.fired), 0, 0);
	EXPECT_LT(t::now_ms() - t0, 1000u);
}

} // namespace
