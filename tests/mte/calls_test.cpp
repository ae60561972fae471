// call_create / call_post / call_cancel / call_destroy / task_post.
#include "helpers.hpp"

#include "test_hooks.hpp"

#include <atomic>
#include <cerrno>
#include <map>
#include <thread>

namespace t {
namespace {

class Calls : public MteTest {};

struct Counter {
	const sys_service *s = nullptr;
	sys_task_t *task = nullptr;
	std::atomic<int> runs{0};
	std::atomic<bool> wrong_thread{false};
	Signal ran{};
	static void cb(void *a)
	{
		auto *c = static_cast<Counter *>(a);
		if (c->s && c->s->task_current() != c->task)
			c->wrong_thread = true;
		c->runs++;
		c->ran.post();
	}
};

TEST_F(Calls, PostedCallRunsOnceOnTheTaskThread)
{
	sys_task_t *task = make_task("calls");
	Counter c{s, task};
	sys_call_t *call;
	ASSERT_EQ(s->call_create(&call, task, SYS_PRIO_NORMAL, Counter::cb, &c), 0);
	EXPECT_EQ(s->call_post(call), 1);
	ASSERT_TRUE(c.ran.wait());
	flush(task);
	EXPECT_EQ(c.runs.load(), 1);
	EXPECT_FALSE(c.wrong_thread.load());
	// Runs again when posted again.
	EXPECT_EQ(s->call_post(call), 1);
	ASSERT_TRUE(c.ran.wait_for_count(2));
	s->call_destroy(call);
	s->task_destroy(task);
}

TEST_F(Calls, PostingAQueuedCallDoesNotQueueItTwice)
{
	sys_task_t *task = make_task("calls");
	Gate gate;
	ASSERT_EQ(s->task_post(task, SYS_PRIO_NORMAL, Gate::cb, &gate), 0);
	ASSERT_TRUE(gate.entered.wait());
	Counter c;
	sys_call_t *call;
	ASSERT_EQ(s->call_create(&call, task, SYS_PRIO_NORMAL, Counter::cb, &c), 0);
	EXPECT_EQ(s->call_post(call), 1);
	EXPECT_EQ(s->call_post(call), 0);
	EXPECT_EQ(s->call_post(call), 0);
	gate.release.post();
	flush(task);
	EXPECT_EQ(c.runs.load(), 1);
	s->call_destroy(call);
	s->task_destroy(task);
}

TEST_F(Calls, InvalidArgumentsAreRefused)
{
	sys_task_t *task = make_task("calls");
	sys_call_t *call = nullptr;
	EXPECT_EQ(s->call_create(&call, task, 7, Counter::cb, nullptr), -EINVAL);
	EXPECT_EQ(s->call_create(&call, task, SYS_PRIO_NORMAL, nullptr, nullptr), -EINVAL);
	EXPECT_EQ(s->task_post(task, -1, Counter::cb, nullptr), -EINVAL);
	s->task_destroy(task);
}

struct Reposter {
	const sys_service *s;
	sys_call_t *call = nullptr;
	int runs = 0;
	int target = 0;
	std::vector<int> post_results{};
	Signal done{};
	static void cb(void *a)
	{
		auto *r = static_cast<Reposter *>(a);
		if (++r->runs < r->target)
			r->post_results.push_back(r->s->call_post(r->call));
		else
			r->done.post();
	}
};

TEST_F(Calls, CallRepostedFromItsOwnCallbackRunsOnceMore)
{
	sys_task_t *task = make_task("calls");
	Reposter r{s};
	r.target = 100;
	ASSERT_EQ(s->call_create(&r.call, task, SYS_PRIO_LOW, Reposter::cb, &r), 0);
	ASSERT_EQ(s->call_post(r.call), 1);
	ASSERT_TRUE(r.done.wait());
	flush(task);
	s->call_destroy(r.call);
	EXPECT_EQ(r.runs, 100);
	EXPECT_EQ(r.post_results, std::vector<int>(99, 1));
	s->task_destroy(task);
}

struct Ordered {
	Record *rec;
	int id;
	static void cb(void *a)
	{
		auto *o = static_cast<Ordered *>(a);
		o->rec->add(o->id);
	}
};

TEST_F(Calls, NormalRunsBeforeLowAndEachIsFifo)
{
	sys_task_t *task = make_task("calls");
	Gate gate;
	ASSERT_EQ(s->task_post(task, SYS_PRIO_NORMAL, Gate::cb, &gate), 0);
	ASSERT_TRUE(gate.entered.wait());
	Record rec;
	std::vector<Ordered> items{};
	items.reserve(40);
	std::vector<sys_call_t *> calls{};
	// Interleave: L100 N0 L101 N1 ... ; half via call objects, half via task_post.
	for (int i = 0; i < 20; i++) {
		items.push_back({&rec, 100 + i});
		items.push_back({&rec, i});
	}
	for (size_t i = 0; i < items.size(); i++) {
		int prio = items[i].id >= 100 ? SYS_PRIO_LOW : SYS_PRIO_NORMAL;
		if (i % 4 < 2) {
			sys_call_t *c;
			ASSERT_EQ(s->call_create(&c, task, prio, Ordered::cb, &items[i]), 0);
			ASSERT_EQ(s->call_post(c), 1);
			calls.push_back(c);
		} else {
			ASSERT_EQ(s->task_post(task, prio, Ordered::cb, &items[i]), 0);
		}
	}
	gate.release.post();
	// A LOW sentinel runs after all of them.
	Signal done{};
	ASSERT_EQ(s->task_post(
			  task, SYS_PRIO_LOW, [](void *a) { static_cast<Signal *>(a)->post(); }, &done),
		  0);
	ASSERT_TRUE(done.wait());
	std::vector<int> expect{};
	for (int i = 0; i < 20; i++)
		expect.push_back(i);
	for (int i = 0; i < 20; i++)
		expect.push_back(100 + i);
	EXPECT_EQ(rec.items(), expect);
	for (auto *c : calls)
		s->call_destroy(c);
	s->task_destroy(task);
}

// Callbacks posted from many threads: every one runs, each poster's
// callbacks run in its posting order, and NORMAL ones pending together with
// LOW ones all run first.
TEST_F(Calls, PostsFromManyThreadsAllRunFifoPerPosterNormalBeforeLow)
{
	sys_task_t *task = make_task("calls");
	Gate gate;
	ASSERT_EQ(s->task_post(task, SYS_PRIO_NORMAL, Gate::cb, &gate), 0);
	ASSERT_TRUE(gate.entered.wait());

	constexpr int kPosters = 4, kEach = 2000;
	struct Item {
		Record *rec;
		int code; // poster * 1e6 + seq; LOW items have seq >= 500000
	};
	Record rec;
	std::vector<std::vector<Item>> items(kPosters);
	std::vector<std::thread> posters{};
	for (int p = 0; p < kPosters; p++) {
		items[p].resize(kEach);
		posters.emplace_back([&, p] {
			for (int i = 0; i < kEach; i++) {
				bool low = i % 3 == 0;
				items[p][i] = {&rec, p * 1000000 + (low ? 500000 : 0) + i};
				int rc = s->task_post(
					task, low ? SYS_PRIO_LOW : SYS_PRIO_NORMAL,
					[](void *a) {
						auto *it = static_cast<Item *>(a);
						it->rec->add(it->code);
					},
					&items[p][i]);
				EXPECT_EQ(rc, 0);
			}
		});
	}
	for (auto &t : posters)
		t.join();
	gate.release.post();
	Signal done{};
	ASSERT_EQ(s->task_post(
			  task, SYS_PRIO_LOW, [](void *a) { static_cast<Signal *>(a)->post(); }, &done),
		  0);
	ASSERT_TRUE(done.wait());

	std::vector<int> got = rec.items();
	ASSERT_EQ(got.size(), size_t(kPosters * kEach));
	bool seen_low = false;
	std::map<int, int> last_normal, last_low;
	for (int code : got) {
		int poster = code / 1000000, rest = code % 1000000;
		bool low = rest >= 500000;
		int seq = low ? rest - 500000 : rest;
		if (low)
			seen_low = true;
		else
			ASSERT_FALSE(seen_low) << "a NORMAL callback ran after a LOW one";
		auto &last = low ? last_low : last_normal;
		auto it = last.find(poster);
		if (it != last.end()) {
			ASSERT_LT(it->second, seq) << "poster " << poster << " out of order";
		}
		last[poster] = seq;
	}
	s->task_destroy(task);
}

TEST_F(Calls, CancelUnqueuesAPendingCall)
{
	sys_task_t *task = make_task("calls");
	Gate gate;
	ASSERT_EQ(s->task_post(task, SYS_PRIO_NORMAL, Gate::cb, &gate), 0);
	ASSERT_TRUE(gate.entered.wait());
	Counter c;
	sys_call_t *call;
	ASSERT_EQ(s->call_create(&call, task, SYS_PRIO_NORMAL, Counter::cb, &c), 0);
	EXPECT_EQ(s->call_cancel(call), 0); // not queued
	ASSERT_EQ(s->call_post(call), 1);
	EXPECT_EQ(s->call_cancel(call), 1);
	EXPECT_EQ(s->call_cancel(call), 0);
	gate.release.post();
	flush(task);
	EXPECT_EQ(c.runs.load(), 0);
	// Still usable after a cancel.
	ASSERT_EQ(s->call_post(call), 1);
	ASSERT_TRUE(c.ran.wait());
	s->call_destroy(call);
	s->task_destroy(task);
}

// Hook plumbing: tell the test when a canceller on another thread blocks.
Signal *g_blocked;
void note_blocked(const void *)
{
	g_blocked->post();
}

struct Blocking {
	Signal entered{}, release{};
	std::atomic<bool> finished{false};
	static void cb(void *a)
	{
		auto *b = static_cast<Blocking *>(a);
		b->entered.post();
		EXPECT_TRUE(b->release.wait());
		b->finished = true;
	}
};

TEST_F(Calls, CancelFromAnotherThreadWaitsForTheRunningCallback)
{
	sys_task_t *task = make_task("calls");
	Blocking b;
	sys_call_t *call;
	ASSERT_EQ(s->call_create(&call, task, SYS_PRIO_NORMAL, Blocking::cb, &b), 0);
	ASSERT_EQ(s->call_post(call), 1);
	ASSERT_TRUE(b.entered.wait());

	Signal blocked{};
	g_blocked = &blocked;
	mte::test_hooks::before_idle_wait = note_blocked;
	int rc = -1;
	bool finished_at_return = false;
	std::thread canceller([&] {
		rc = s->call_cancel(call);
		finished_at_return = b.finished.load();
	});
	ASSERT_TRUE(blocked.wait()); // the canceller is inside call_cancel, waiting
	b.release.post();
	canceller.join();
	mte::test_hooks::before_idle_wait = nullptr;
	EXPECT_EQ(rc, 0);
	EXPECT_TRUE(finished_at_return);
	s->call_destroy(call);
	s->task_destroy(task);
}

// A call that keeps re-posting itself is still stopped by call_cancel: on
// return it is neither running nor queued.
struct Perpetual {
	const sys_service *s;
	sys_call_t *call;
	std::atomic<int> runs{0};
	Signal running{};
	static void cb(void *a)
	{
		auto *p = static_cast<Perpetual *>(a);
		p->runs++;
		p->running.post();
		p->s->call_post(p->call);
	}
};

TEST_F(Calls, CancelStopsASelfRepostingCall)
{
	sys_task_t *task = make_task("calls");
	Perpetual p{s, nullptr};
	ASSERT_EQ(s->call_create(&p.call, task, SYS_PRIO_NORMAL, Perpetual::cb, &p), 0);
	ASSERT_EQ(s->call_post(p.call), 1);
	ASSERT_TRUE(p.running.wait_for_count(10));
	s->call_cancel(p.call);
	int runs = p.runs.load();
	flush(task);
	flush(task);
	EXPECT_EQ(p.runs.load(), runs);
	s->call_destroy(p.call);
	s->task_destroy(task);
}

struct SelfCancel {
	const sys_service *s;
	sys_call_t *call = nullptr;
	int post_rc = 0, cancel_rc = -1, runs = 0;
	Signal done{};
	static void cb(void *a)
	{
		auto *c = static_cast<SelfCancel *>(a);
		c->runs++;
		c->post_rc = c->s->call_post(c->call);     // queued again ...
		c->cancel_rc = c->s->call_cancel(c->call); // ... and unqueued, without waiting for ourselves
		c->done.post();
	}
};

TEST_F(Calls, CancelFromItsOwnCallbackReturnsWithoutWaiting)
{
	sys_task_t *task = make_task("calls");
	SelfCancel c{s};
	ASSERT_EQ(s->call_create(&c.call, task, SYS_PRIO_NORMAL, SelfCancel::cb, &c), 0);
	ASSERT_EQ(s->call_post(c.call), 1);
	ASSERT_TRUE(c.done.wait());
	flush(task);
	EXPECT_EQ(c.runs, 1);
	EXPECT_EQ(c.post_rc, 1);
	EXPECT_EQ(c.cancel_rc, 1);
	s->call_destroy(c.call);
	s->task_destroy(task);
}

struct SelfDestroy {
	const sys_service *s;
	sys_call_t *call = nullptr;
	Signal done{};
	static void cb(void *a)
	{
		auto *c = static_cast<SelfDestroy *>(a);
		c->s->call_destroy(c->call);
		c->call = nullptr;
		c->done.post();
	}
};

TEST_F(Calls, DestroyFromItsOwnCallback)
{
	sys_task_t *task = make_task("calls");
	SelfDestroy c{s};
	ASSERT_EQ(s->call_create(&c.call, task, SYS_PRIO_NORMAL, SelfDestroy::cb, &c), 0);
	ASSERT_EQ(s->call_post(c.call), 1);
	ASSERT_TRUE(c.done.wait());
	flush(task);
	EXPECT_EQ(c.call, nullptr);
	s->task_destroy(task);
}

TEST_F(Calls, CancelRacingExecutionNeverLeavesItRunning)
{
	// Many rounds of post-then-cancel from another thread: cancel either
	// unqueues it (returns 1: it must not run) or finds it run/running
	// (returns 0: it has finished by the time cancel returns).
	sys_task_t *task = make_task("calls");
	struct Ctx {
		std::atomic<int> started{0}, finished{0};
	} ctx;
	sys_call_t *call;
	ASSERT_EQ(s->call_create(
			  &call, task, SYS_PRIO_NORMAL,
			  [](void *a) {
				  auto *c = static_cast<Ctx *>(a);
				  c->started++;
				  c->finished++;
			  },
			  &ctx),
		  0);
	int unqueued = 0;
	const int kRounds = 3000;
	for (int i = 0; i < kRounds; i++) {
		ASSERT_EQ(s->call_post(call), 1);
		int rc = s->call_cancel(call);
		ASSERT_EQ(ctx.started.load(), ctx.finished.load()) << "callback still running after cancel";
		unqueued += rc;
		ASSERT_EQ(ctx.finished.load(), i + 1 - unqueued);
	}
	flush(task);
	EXPECT_EQ(ctx.finished.load(), kRounds - unqueued);
	s->call_destroy(call);
	s->task_destroy(task);
}

} // namespace
} // namespace t
