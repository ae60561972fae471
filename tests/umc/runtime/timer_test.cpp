// Kernel timer semantics: expiry not before `expires`, mod on a pending
// timer moves it, del/del_sync return values, del_sync waits for a running
// callback, callbacks may re-arm themselves.
#include <atomic>
#include <gtest/gtest.h>
#include <thread>
#include <vector>

#include "helpers.hpp"
#include "umc/task.h"
#include "umc/time.h"
#include "umc/timer.h"

namespace {

// The kernel side's timer_list stand-in.
struct Timer {
	unsigned long expires = 0;
	std::atomic<int> fired{0};
	std::atomic<uint32_t> fired_word{0};
	unsigned long fired_at = 0;
	umc_task *waiter = nullptr;
};

void on_fire(void *p)
{
	auto *t = static_cast<Timer *>(p);
	t->fired_at = umc_jiffies();
	t->fired++;
	t->fired_word.store(1);
	umc_wake_word(reinterpret_cast<uint32_t *>(&t->fired_word), INT32_MAX);
}

void wait_fired(Timer &t)
{
	while (!t.fired_word.load())
		umc_wait_word(reinterpret_cast<uint32_t *>(&t.fired_word), 0, 0);
}

TEST(Timer, FiresNotBeforeExpires)
{
	Timer t;
	t.expires = umc_jiffies() + 20;
	EXPECT_EQ(umc_timer_mod(&t, t.expires, on_fire), 0);
	EXPECT_TRUE(umc_timer_pending(&t));
	wait_fired(t);
	EXPECT_EQ(t.fired.load(), 1);
	EXPECT_GE(static_cast<long>(t.fired_at - t.expires), 0); // time_after_eq
	EXPECT_FALSE(umc_timer_pending(&t));
	EXPECT_EQ(umc_timer_del(&t), 0);
}

TEST(Timer, PastExpiryFiresPromptly)
{
	Timer t;
	umc_timer_mod(&t, umc_jiffies() - 100000, on_fire);
	wait_fired(t);
	EXPECT_EQ(t.fired.load(), 1);
}

TEST(Timer, ModOnPendingMovesIt)
{
	Timer late, early;
	unsigned long now = umc_jiffies();
	EXPECT_EQ(umc_timer_mod(&late, now + 60 * UMC_HZ, on_fire), 0);
	EXPECT_EQ(umc_timer_mod(&late, now + 60 * UMC_HZ, on_fire), 1); // was pending
	// Move it much earlier; it must fire at the new time.
	EXPECT_EQ(umc_timer_mod(&late, now + 10, on_fire), 1);
	wait_fired(late);
	EXPECT_GE(static_cast<long>(late.fired_at - (now + 10)), 0);
	// Move a pending timer later: it must not fire at the old time.
	now = umc_jiffies();
	EXPECT_EQ(umc_timer_mod(&early, now + 5, on_fire), 0);
	EXPECT_EQ(umc_timer_mod(&early, now + 60 * UMC_HZ, on_fire), 1);
	Timer probe; // fires after the old deadline of `early` has passed
	umc_timer_mod(&probe, now + 30, on_fire);
	wait_fired(probe);
	EXPECT_EQ(early.fired.load(), 0);
	EXPECT_EQ(umc_timer_del(&early), 1);
	EXPECT_EQ(umc_timer_del(&early), 0);
}

TEST(Timer, SameDeadlineFiresInArmingOrder)
{
	static std::atomic<int> order{0};
	struct T {
		int seq = -1;
		std::atomic<uint32_t> done{0};
	} a, b;
	unsigned long when = umc_jiffies() + 5;
	auto fn = [](void *p) {
		auto *t = static_cast<T *>(p);
		t->seq = order++;
		t->done = 1;
		umc_wake_word(reinterpret_cast<uint32_t *>(&t->done), 1);
	};
	umc_timer_mod(&a, when, fn);
	umc_timer_mod(&b, when, fn);
	while (!b.done.load())
		umc_wait_word(reinterpret_cast<uint32_t *>(&b.done), 0, 0);
	while (!a.done.load())
		umc_wait_word(reinterpret_cast<uint32_t *>(&a.done), 0, 0);
	EXPECT_LT(a.seq, b.seq);
}

struct Slow {
	std::atomic<uint32_t> entered{0};
	std::atomic<uint32_t> release{0};
	std::atomic<bool> finished{false};
};

TEST(Timer, DelSyncWaitsForRunningCallback)
{
	Slow s;
	umc_timer_mod(&s, umc_jiffies(), [](void *p) {
		auto *s = static_cast<Slow *>(p);
		s->entered = 1;
		umc_wake_word(reinterpret_cast<uint32_t *>(&s->entered), INT32_MAX);
		while (!s->release.load())
			umc_wait_word(reinterpret_cast<uint32_t *>(&s->release), 0, 0);
		s->finished = true;
	});
	while (!s.entered.load())
		umc_wait_word(reinterpret_cast<uint32_t *>(&s.entered), 0, 0);
	std::atomic<bool> del_returned{false};
	std::thread releaser([&] {
		// del_timer_sync must not return while the callback runs: release
		// it only after checking that del_sync is still blocked.
		EXPECT_FALSE(del_returned.load());
		s.release = 1;
		umc_wake_word(reinterpret_cast<uint32_t *>(&s.release), INT32_MAX);
	});
	EXPECT_EQ(umc_timer_del_sync(&s), 0); // not pending, but running
	del_returned = true;
	EXPECT_TRUE(s.finished.load());
	releaser.join();
}

TEST(Timer, DelSyncFromOwnCallbackDoesNotDeadlock)
{
	struct R {
		std::atomic<uint32_t> done{0};
		int del_ret = -1;
	} r;
	umc_timer_mod(&r, umc_jiffies(), [](void *p) {
		auto *r = static_cast<R *>(p);
		umc_timer_mod(p, umc_jiffies() + 60 * UMC_HZ, [](void *) {});
		r->del_ret = umc_timer_del_sync(p); // own callback: returns at once
		r->done = 1;
		umc_wake_word(reinterpret_cast<uint32_t *>(&r->done), 1);
	});
	while (!r.done.load())
		umc_wait_word(reinterpret_cast<uint32_t *>(&r.done), 0, 0);
	EXPECT_EQ(r.del_ret, 1);
	EXPECT_FALSE(umc_timer_pending(&r));
	umc_timer_del_sync(&r); // make sure the callback has left
}

TEST(Timer, SelfRearmingTimerPeriodic)
{
	struct P {
		std::atomic<int> n{0};
		std::atomic<uint32_t> done{0};
		unsigned long last = 0;
	} p;
	static umc_timer_fn fn = [](void *a) {
		auto *p = static_cast<P *>(a);
		unsigned long now = umc_jiffies();
		if (p->last) {
			EXPECT_GE(static_cast<long>(now - p->last), 2);
		}
		p->last = now;
		if (++p->n < 5)
			umc_timer_mod(a, now + 2, fn); // mod_timer from its own callback
		else {
			p->done = 1;
			umc_wake_word(reinterpret_cast<uint32_t *>(&p->done), 1);
		}
	};
	umc_timer_mod(&p, umc_jiffies() + 2, fn);
	while (!p.done.load())
		umc_wait_word(reinterpret_cast<uint32_t *>(&p.done), 0, 0);
	EXPECT_EQ(p.n.load(), 5);
	EXPECT_FALSE(umc_timer_pending(&p));
}

TEST(Timer, NoCallbackAfterDelSyncUnderConcurrency)
{
	// Each thread owns one timer and races mod_timer/del_timer/del_timer_sync
	// against the softirq task.  After del_timer_sync returns, the callback
	// must neither be running nor run later (until the next mod_timer).
	struct Owned {
		std::atomic<bool> armed_ok{false};
		std::atomic<int> inside{0};
		std::atomic<int> violations{0};
		std::atomic<int> fired{0};
	};
	constexpr int kThreads = 4, kRounds = 400;
	std::vector<Owned> timers(kThreads);
	auto cb = [](void *p) {
		auto *o = static_cast<Owned *>(p);
		o->inside++;
		if (!o->armed_ok.load())
			o->violations++;
		o->fired++;
		o->inside--;
	};
	std::vector<std::thread> th;
	for (int t = 0; t < kThreads; t++)
		th.emplace_back([&, t] {
			Owned &o = timers[t];
			for (int i = 0; i < kRounds; i++) {
				o.armed_ok = true;
				umc_timer_mod(&o, umc_jiffies() + (i % 3 == 0 ? 0 : 1), cb);
				if (i % 5 == 0)
					umc_timer_mod(&o, umc_jiffies(), cb); // move while pending
				if (i % 4 == 0) {
					// Let this one fire (it is due): the race then is
					// del_sync against a running or finished callback.
					int f = o.fired.load();
					umc_timer_mod(&o, umc_jiffies() - 1, cb);
					while (o.fired.load() == f)
						std::this_thread::yield();
				} else if (i % 2) {
					std::this_thread::yield();
				}
				umc_timer_del_sync(&o);
				if (o.inside.load())
					o.violations++;
				o.armed_ok = false;
			}
		});
	for (auto &x : th)
		x.join();
	int fired = 0;
	for (auto &o : timers) {
		EXPECT_EQ(o.violations.load(), 0);
		EXPECT_FALSE(umc_timer_pending(&o));
		fired += o.fired.load();
	}
	EXPECT_GE(fired, kThreads * kRounds / 4); // every fourth round fired
}

} // namespace
