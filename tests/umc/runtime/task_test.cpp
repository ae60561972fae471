// Tasks, current, kthreads and the sleep/wake protocol against the
// kernel's guarantees.
#include <atomic>
#include <cstring>
#include <gtest/gtest.h>
#include <pthread.h>
#include <set>
#include <thread>
#include <unistd.h>

#include "helpers.hpp"
#include <mte/sys_service.h>
#include "umc/task.h"
#include "umc/time.h"

namespace {

// Spin (yielding) until the task is asleep in `state`: used only to know
// that a sleeper reached schedule(), never as a timing assumption.
void wait_for_state(umc_task *t, unsigned state)
{
	while (umc_task_state(t) != state)
		std::this_thread::yield();
}

struct StopLoop {
	std::atomic<int> iterations{0};
	umc_task *self = nullptr;
};

int stop_loop(void *arg)
{
	auto *s = static_cast<StopLoop *>(arg);
	s->self = umc_current();
	while (!umc_kthread_should_stop()) {
		s->iterations++;
		umc_set_current_state(UMC_TASK_INTERRUPTIBLE);
		if (!umc_kthread_should_stop())
			umc_schedule();
		umc_set_current_state(UMC_TASK_RUNNING);
	}
	return 42;
}

TEST(Kthread, CreatedStoppedNeverRunsWithoutWake)
{
	std::atomic<bool> ran{false};
	int err = 0;
	umc_task *t = umc_kthread_create(
		[](void *a) {
			static_cast<std::atomic<bool> *>(a)->store(true);
			return 7;
		},
		&ran, "never", &err);
	ASSERT_NE(t, nullptr);
	EXPECT_EQ(umc_task_state(t), UMC_TASK_UNINTERRUPTIBLE);
	EXPECT_TRUE(umc_task_is_kthread(t));
	EXPECT_EQ(umc_kthread_stop(t), -EINTR); // kthread() returns -EINTR
	EXPECT_FALSE(ran.load());
}

TEST(Kthread, WakeStartsItAndStopReturnsResult)
{
	StopLoop s;
	int err = 0;
	umc_task *t = umc_kthread_create(stop_loop, &s, "looper", &err);
	ASSERT_NE(t, nullptr);
	EXPECT_STREQ(umc_task_comm(t), "looper");
	EXPECT_TRUE(umc_task_wake(t, UMC_TASK_NORMAL));
	wait_for_state(t, UMC_TASK_INTERRUPTIBLE);
	EXPECT_EQ(s.self, t); // current inside the kthread is its task
	EXPECT_EQ(umc_kthread_stop(t), 42);
	EXPECT_GE(s.iterations.load(), 1);
}

TEST(Kthread, ExitsOnItsOwnAndIsReaped)
{
	std::atomic<uint32_t> done{0};
	int err = 0;
	for (int i = 0; i < 8; i++) {
		umc_task *t = umc_kthread_create(
			[](void *a) {
				auto *d = static_cast<std::atomic<uint32_t> *>(a);
				d->fetch_add(1);
				umc_wake_word(reinterpret_cast<uint32_t *>(d), INT32_MAX);
				return 0;
			},
			&done, "oneshot", &err);
		ASSERT_NE(t, nullptr);
		umc_task_wake(t, UMC_TASK_NORMAL);
	}
	for (uint32_t v; (v = done.load()) != 8;)
		umc_wait_word(reinterpret_cast<uint32_t *>(&done), v, 0);
	// The runtime joins them (next create / exit); nothing to do here.
}

TEST(Current, AttachedLazilyPerThreadWithUniquePids)
{
	umc_task *main_task = umc_current();
	ASSERT_NE(main_task, nullptr);
	EXPECT_EQ(umc_current(), main_task);
	EXPECT_FALSE(umc_task_is_kthread(main_task));
	umc_task *other = nullptr;
	int other_pid = 0;
	std::string other_comm;
	std::thread th([&] {
		pthread_setname_np(pthread_self(), "fuse-worker");
		other = umc_current();
		other_pid = umc_task_pid(other);
		other_comm = umc_task_comm(other);
		EXPECT_EQ(umc_current(), other);
	});
	th.join();
	EXPECT_NE(other, main_task);
	EXPECT_NE(other_pid, umc_task_pid(main_task));
	EXPECT_GT(other_pid, 0);
	EXPECT_EQ(other_comm, "fuse-worker");
}

struct FakeTaskStruct {
	umc_task *task;
	char comm[16];
	int pid;
	void *plug;
};
std::atomic<int> g_released{0};

TEST(Current, KernelTaskStructMadeByHooks)
{
	umc_task_hooks h{};
	h.ktask_size = sizeof(FakeTaskStruct);
	h.ktask_init = [](void *k, umc_task *t, const char *comm, int pid) {
		auto *f = static_cast<FakeTaskStruct *>(k);
		f->task = t;
		std::strncpy(f->comm, comm, sizeof f->comm - 1);
		f->pid = pid;
	};
	h.ktask_release = [](void *) { g_released++; };
	umc_task_set_hooks(&h);
	struct Seen {
		void *current_kernel = nullptr;
		umc_task *current = nullptr;
	} seen;
	int err = 0;
	umc_task *t = umc_kthread_create(
		[](void *a) {
			auto *s = static_cast<Seen *>(a);
			s->current_kernel = umc_current_kernel();
			s->current = umc_current();
			while (!umc_kthread_should_stop()) {
				umc_set_current_state(UMC_TASK_INTERRUPTIBLE);
				if (!umc_kthread_should_stop())
					umc_schedule();
				umc_set_current_state(UMC_TASK_RUNNING);
			}
			return 0;
		},
		&seen, "drbd_w_r0", &err);
	ASSERT_NE(t, nullptr);
	umc_task_get(t);
	auto *k = static_cast<FakeTaskStruct *>(umc_task_kernel(t));
	ASSERT_NE(k, nullptr);
	EXPECT_EQ(k->task, t);
	EXPECT_STREQ(k->comm, "drbd_w_r0");
	EXPECT_EQ(k->pid, umc_task_pid(t));
	EXPECT_EQ(k->plug, nullptr); // zero-filled
	EXPECT_EQ(umc_task_from_kernel(k), t);
	umc_task_wake(t, UMC_TASK_NORMAL);
	wait_for_state(t, UMC_TASK_INTERRUPTIBLE); // it ran and went to sleep
	EXPECT_EQ(umc_kthread_stop(t), 0);
	EXPECT_EQ(seen.current_kernel, k);
	EXPECT_EQ(seen.current, t);
	EXPECT_EQ(g_released.load(), 0); // we still hold a reference
	umc_task_put(t);
	EXPECT_EQ(g_released.load(), 1);
	umc_task_set_hooks(nullptr);
}

// A host thread that attached and is still alive when the runtime exits
// (an mte task thread that completed a bio, say) loses its task there: its
// ktask comes from the runtime's allocator, and umcd's leak report named it
// ("umc:task_struct").  If it calls in again, it gets a new task.
std::atomic<int> g_alive_host_released{0};

TEST(Current, HostThreadAliveAtRuntimeExitLosesItsTaskThere)
{
	umc_task_hooks h{};
	h.ktask_size = sizeof(FakeTaskStruct);
	h.ktask_init = [](void *k, umc_task *t, const char *comm, int pid) {
		auto *f = static_cast<FakeTaskStruct *>(k);
		f->task = t;
		std::strncpy(f->comm, comm, sizeof f->comm - 1);
		f->pid = pid;
	};
	h.ktask_release = [](void *k) {
		if (!std::strcmp(static_cast<FakeTaskStruct *>(k)->comm, "alive-host"))
			g_alive_host_released++;
	};
	umc_task_set_hooks(&h);
	std::atomic<int> step{0};
	int pid1 = 0, pid2 = 0;
	std::thread host([&] {
		pthread_setname_np(pthread_self(), "alive-host");
		pid1 = umc_task_pid(umc_current());
		step = 1;
		while (step.load() != 2)
			std::this_thread::yield();
		pid2 = umc_task_pid(umc_current());
	});
	while (step.load() != 1)
		std::this_thread::yield();
	umc_runtime_exit();
	EXPECT_EQ(g_alive_host_released.load(), 1) << "the live thread's task outlived the runtime";
	umc_boot_params bp{};
	ASSERT_EQ(umc_runtime_init(sys_service_get(), &bp), 0);
	step = 2;
	host.join();
	EXPECT_NE(pid2, pid1) << "the thread kept the task of the runtime that exited";
	EXPECT_EQ(g_alive_host_released.load(), 2) << "the new task was not dropped when its thread ended";
	umc_task_set_hooks(nullptr);
}

TEST(Sched, WakeBeforeScheduleIsNotLost)
{
	umc_task *me = umc_current();
	umc_set_current_state(UMC_TASK_UNINTERRUPTIBLE);
	std::thread waker([&] { EXPECT_TRUE(umc_task_wake(me, UMC_TASK_NORMAL)); });
	waker.join();
	EXPECT_EQ(umc_task_state(me), UMC_TASK_RUNNING);
	umc_schedule(); // must return at once: the wake already happened
	EXPECT_EQ(umc_task_state(me), UMC_TASK_RUNNING);
}

TEST(Sched, WakeOnRunningTaskReportsFalse)
{
	umc_task *me = umc_current();
	EXPECT_FALSE(umc_task_wake(me, UMC_TASK_NORMAL));
	umc_set_current_state(UMC_TASK_UNINTERRUPTIBLE);
	EXPECT_FALSE(umc_task_wake(me, UMC_TASK_INTERRUPTIBLE)); // mask excludes it
	EXPECT_TRUE(umc_task_wake(me, UMC_TASK_NORMAL));
}

TEST(Sched, ScheduleTimeoutExpires)
{
	umc_set_current_state(UMC_TASK_UNINTERRUPTIBLE);
	unsigned long j0 = umc_jiffies();
	uint64_t t0 = t::now_ms();
	EXPECT_EQ(umc_schedule_timeout(30), 0);
	EXPECT_GE(t::now_ms() - t0, 29u);
	EXPECT_GE(static_cast<long>(umc_jiffies() - j0), 30);
	EXPECT_EQ(umc_task_state(umc_current()), UMC_TASK_RUNNING);
}

TEST(Sched, ScheduleTimeoutWokenEarlyReturnsRemaining)
{
	umc_task *me = umc_current();
	std::thread waker([&] {
		wait_for_state(me, UMC_TASK_INTERRUPTIBLE);
		umc_task_wake(me, UMC_TASK_NORMAL);
	});
	umc_set_current_state(UMC_TASK_INTERRUPTIBLE);
	long left = umc_schedule_timeout(60 * UMC_HZ);
	waker.join();
	EXPECT_GT(left, 50 * UMC_HZ);
	EXPECT_LE(left, 60 * UMC_HZ);
}

TEST(Sched, NegativeTimeoutReturnsZeroAtOnce)
{
	umc_set_current_state(UMC_TASK_INTERRUPTIBLE);
	EXPECT_EQ(umc_schedule_timeout(-5), 0);
	EXPECT_EQ(umc_task_state(umc_current()), UMC_TASK_RUNNING);
}

TEST(Sched, ManyWakersOneSleeperNoLostWakeups)
{
	// The classic producer/consumer with a condition and the
	// set-state/check/schedule protocol; a lost wakeup hangs the test.
	std::atomic<int> produced{0};
	umc_task *consumer = umc_current();
	constexpr int kItems = 20000;
	std::thread producer([&] {
		for (int i = 0; i < kItems; i++) {
			produced.fetch_add(1);
			umc_task_wake(consumer, UMC_TASK_NORMAL);
		}
	});
	int seen = 0;
	while (seen < kItems) {
		umc_set_current_state(UMC_TASK_UNINTERRUPTIBLE);
		int p = produced.load();
		if (p == seen) {
			umc_schedule();
			continue;
		}
		umc_set_current_state(UMC_TASK_RUNNING);
		seen = p;
	}
	umc_set_current_state(UMC_TASK_RUNNING);
	producer.join();
	EXPECT_EQ(seen, kItems);
}

TEST(WaitWord, TimesOutAndWakes)
{
	uint32_t w = 0;
	uint64_t deadline = umc_mono_ns() + 20 * 1000000ull;
	EXPECT_EQ(umc_wait_word(&w, 0, deadline), -ETIMEDOUT);
	EXPECT_GE(umc_mono_ns(), deadline);
	EXPECT_EQ(umc_wait_word(&w, 1, 0), 0); // value differs: returns at once
}

} // namespace

namespace {

TEST(Caps, KthreadsHaveAllAttachedFollowEuidAndCanNarrow)
{
	constexpr int CAP_NET_ADMIN = 12, CAP_SYS_ADMIN = 21;
	bool root = geteuid() == 0;
	EXPECT_EQ(umc_capable(CAP_NET_ADMIN), root);
	umc_task *me = umc_current();
	uint64_t saved = umc_task_caps(me);
	umc_task_set_caps(me, 1ull << CAP_SYS_ADMIN); // impersonate a client
	EXPECT_FALSE(umc_capable(CAP_NET_ADMIN));
	EXPECT_TRUE(umc_capable(CAP_SYS_ADMIN));
	umc_task_set_caps(me, saved);
	std::atomic<int> k{-1};
	int err;
	umc_task *t = umc_kthread_create(
		[](void *a) {
			static_cast<std::atomic<int> *>(a)->store(umc_capable(12) ? 1 : 0);
			return 0;
		},
		&k, "capk", &err);
	ASSERT_NE(t, nullptr);
	umc_task_get(t);
	umc_task_wake(t, UMC_TASK_NORMAL);
	while (k.load() < 0)
		std::this_thread::yield();
	EXPECT_EQ(k.load(), 1);
	umc_kthread_stop(t);
	umc_task_put(t);
}

} // namespace
