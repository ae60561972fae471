// Emulated signals: delivery rules, interruptible vs uninterruptible
// sleeps, flush, the signal fd, and a blocking socket receive.
#include <atomic>
#include <gtest/gtest.h>
#include <poll.h>
#include <thread>

#include "helpers.hpp"
#include "umc/signal.h"
#include "umc/task.h"
#include "umc/time.h"

namespace {

constexpr int SIGHUP_ = 1, SIGXCPU_ = 24;

void wait_for_state(umc_task *t, unsigned state)
{
	while (umc_task_state(t) != state)
		std::this_thread::yield();
}

bool fd_readable(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};
	return poll(&p, 1, 0) == 1;
}

TEST(Signal, KthreadIgnoresUntilAllowed)
{
	struct S {
		std::atomic<int> phase{0};
		bool pending_before = true, pending_after = false;
	} s;
	int err;
	umc_task *t = umc_kthread_create(
		[](void *a) {
			auto *s = static_cast<S *>(a);
			// Phase 1: ignored signals are discarded.
			umc_set_current_state(UMC_TASK_INTERRUPTIBLE);
			s->phase = 1;
			umc_schedule(); // woken by the test, not by the ignored signal
			s->pending_before = umc_signal_pending(umc_current());
			umc_signal_allow(SIGHUP_);
			umc_set_current_state(UMC_TASK_INTERRUPTIBLE);
			s->phase = 2;
			umc_schedule(); // woken by SIGHUP
			s->pending_after = umc_signal_pending(umc_current());
			return 0;
		},
		&s, "sigtest", &err);
	ASSERT_NE(t, nullptr);
	umc_task_wake(t, UMC_TASK_NORMAL);
	while (s.phase != 1)
		std::this_thread::yield();
	wait_for_state(t, UMC_TASK_INTERRUPTIBLE);
	EXPECT_EQ(umc_signal_send(t, SIGHUP_), 0);
	EXPECT_FALSE(umc_signal_pending(t));                  // dropped: not allowed yet
	EXPECT_EQ(umc_task_state(t), UMC_TASK_INTERRUPTIBLE); // and did not wake it
	umc_task_wake(t, UMC_TASK_NORMAL);
	while (s.phase != 2)
		std::this_thread::yield();
	wait_for_state(t, UMC_TASK_INTERRUPTIBLE);
	EXPECT_EQ(umc_signal_send(t, SIGHUP_), 0);
	EXPECT_EQ(umc_kthread_stop(t), 0);
	EXPECT_FALSE(s.pending_before);
	EXPECT_TRUE(s.pending_after);
}

TEST(Signal, ForceDeliversToIgnoringKthread)
{
	int err;
	umc_task *t = umc_kthread_create(
		[](void *) {
			umc_set_current_state(UMC_TASK_INTERRUPTIBLE);
			umc_schedule();
			return umc_signal_pending(umc_current()) ? 1 : 0;
		},
		nullptr, "forced", &err);
	ASSERT_NE(t, nullptr);
	umc_task_wake(t, UMC_TASK_NORMAL);
	wait_for_state(t, UMC_TASK_INTERRUPTIBLE);
	EXPECT_EQ(umc_signal_force(t, SIGXCPU_), 0);
	EXPECT_EQ(umc_kthread_stop(t), 1);
}

TEST(Signal, PendingSignalMakesInterruptibleScheduleReturnAtOnce)
{
	umc_task *me = umc_current(); // attached task: accepts signals
	EXPECT_EQ(umc_signal_send(me, SIGHUP_), 0);
	EXPECT_TRUE(umc_signal_pending(me));
	umc_set_current_state(UMC_TASK_INTERRUPTIBLE);
	long left = umc_schedule_timeout(60 * UMC_HZ);
	EXPECT_GT(left, 59 * UMC_HZ);        // returned without sleeping
	EXPECT_TRUE(umc_signal_pending(me)); // still pending until flushed
	umc_signal_flush(me);
	EXPECT_FALSE(umc_signal_pending(me));
}

TEST(Signal, UninterruptibleSleepIgnoresSignal)
{
	umc_task *me = umc_current();
	std::thread sender([&] {
		wait_for_state(me, UMC_TASK_UNINTERRUPTIBLE);
		umc_signal_send(me, SIGHUP_);
	});
	umc_set_current_state(UMC_TASK_UNINTERRUPTIBLE);
	uint64_t t0 = t::now_ms();
	EXPECT_EQ(umc_schedule_timeout(100), 0); // slept the full timeout
	EXPECT_GE(t::now_ms() - t0, 99u);
	sender.join();
	EXPECT_TRUE(umc_signal_pending(me));
	umc_signal_flush(me);
}

TEST(Signal, SignalWakesSleeperAndFlushClears)
{
	int err;
	umc_task *t = umc_kthread_create(
		[](void *) {
			umc_signal_allow(SIGHUP_);
			int wakes = 0;
			// Each signal ends one interruptible sleep; flush re-arms.
			while (wakes < 3) {
				umc_set_current_state(UMC_TASK_INTERRUPTIBLE);
				umc_schedule();
				if (umc_signal_pending(umc_current())) {
					wakes++;
					umc_signal_flush(umc_current());
				}
			}
			return wakes;
		},
		nullptr, "flusher", &err);
	ASSERT_NE(t, nullptr);
	umc_task_get(t);
	umc_task_wake(t, UMC_TASK_NORMAL);
	for (int i = 0; i < 3; i++) {
		// Wait until it sleeps with nothing pending, then signal.
		while (!(umc_task_state(t) == UMC_TASK_INTERRUPTIBLE && !umc_signal_pending(t)))
			std::this_thread::yield();
		umc_signal_send(t, SIGHUP_);
	}
	EXPECT_EQ(umc_kthread_stop(t), 3);
	umc_task_put(t);
}

TEST(Signal, SignalFdReadableExactlyWhilePending)
{
	umc_task *me = umc_current();
	int fd = umc_signal_fd(me);
	ASSERT_GE(fd, 0);
	EXPECT_FALSE(fd_readable(fd));
	umc_signal_send(me, SIGHUP_);
	umc_signal_send(me, SIGXCPU_);
	EXPECT_TRUE(fd_readable(fd));
	EXPECT_EQ(umc_signal_pending_set(me), (1ull << (SIGHUP_ - 1)) | (1ull << (SIGXCPU_ - 1)));
	umc_signal_flush(me);
	EXPECT_FALSE(fd_readable(fd));
	EXPECT_EQ(umc_signal_send(me, 0), -EINVAL);
	EXPECT_EQ(umc_signal_send(me, 65), -EINVAL);
}

// The DRBD case: the receiver thread blocks in a receive from a silent
// peer; _drbd_thread_stop sends SIGHUP; the receive must return promptly.
TEST(Signal, BlockingSocketReceiveReturnsPromptlyOnSignal)
{
	t::Pair p;
	t::connect_pair(p);
	struct R {
		umc_sock *sock;
		long ret = 0;
		uint64_t returned_ms = 0;
	} r{p.server};
	int err;
	umc_task *t = umc_kthread_create(
		[](void *a) {
			auto *r = static_cast<R *>(a);
			umc_signal_allow(SIGHUP_);
			char buf[64];
			umc_iov iov = {buf, sizeof buf};
			r->ret = umc_sock_recv(r->sock, &iov, 1, MSG_WAITALL | MSG_NOSIGNAL, UMC_SOCK_TIMEO_INFINITE);
			r->returned_ms = t::now_ms();
			return 0;
		},
		&r, "drbd_r_test", &err);
	ASSERT_NE(t, nullptr);
	umc_task_get(t);
	umc_task_wake(t, UMC_TASK_NORMAL);
	wait_for_state(t, UMC_TASK_INTERRUPTIBLE); // blocked in the receive
	uint64_t sent_ms = t::now_ms();
	ASSERT_EQ(umc_signal_send(t, SIGHUP_), 0);
	EXPECT_EQ(umc_kthread_stop(t), 0);
	umc_task_put(t);
	EXPECT_EQ(r.ret, -512); // -ERESTARTSYS: infinite timeout, nothing read
	EXPECT_LT(r.returned_ms - sent_ms, 100u);
}

} // namespace
