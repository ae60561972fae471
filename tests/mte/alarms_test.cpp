// alarm_create / alarm_arm / alarm_cancel / alarm_destroy.
#include "helpers.hpp"

#include "test_hooks.hpp"

#include <algorithm>
#include <atomic>
#include <numeric>
#include <random>
#include <thread>

namespace t {
namespace {

class Alarms : public MteTest {};

struct Fired {
	const sys_service *s = nullptr;
	sys_task_t *task = nullptr;
	std::atomic<int> runs{0};
	std::atomic<uint64_t> at{0};
	std::atomic<bool> wrong_thread{false};
	Signal ran{};
	static void cb(void *a)
	{
		auto *f = static_cast<Fired *>(a);
		f->at = f->s->time_mono_ns();
		if (f->s->task_current() != f->task)
			f->wrong_thread = true;
		f->runs++;
		f->ran.post();
	}
};

TEST_F(Alarms, FiresOnTheTaskThreadNotBeforeItsDeadline)
{
	sys_task_t *task = make_task("alarms");
	Fired f{s, task};
	sys_alarm_t *alarm;
	ASSERT_EQ(s->alarm_create(&alarm, task, Fired::cb, &f), 0);
	uint64_t deadline = s->time_mono_ns() + 20'000'000; // 20 ms
	EXPECT_EQ(s->alarm_arm(alarm, deadline), 0);
	ASSERT_TRUE(f.ran.wait());
	EXPECT_GE(f.at.load(), deadline);
	EXPECT_FALSE(f.wrong_thread.load());
	EXPECT_EQ(s->alarm_cancel(alarm), 0); // fired: no longer pending
	s->alarm_destroy(alarm);
	s->task_destroy(task);
}

TEST_F(Alarms, PastDeadlinesFirePromptly)
{
	sys_task_t *task = make_task("alarms");
	Fired f{s, task};
	sys_alarm_t *alarm;
	ASSERT_EQ(s->alarm_create(&alarm, task, Fired::cb, &f), 0);
	EXPECT_EQ(s->alarm_arm(alarm, 0), 0);
	ASSERT_TRUE(f.ran.wait());
	EXPECT_EQ(s->alarm_arm(alarm, s->time_mono_ns() - 1'000'000'000), 0);
	ASSERT_TRUE(f.ran.wait_for_count(2));
	s->alarm_destroy(alarm);
	s->task_destroy(task);
}

TEST_F(Alarms, RearmingAPendingAlarmMovesIt)
{
	sys_task_t *task = make_task("alarms");
	Fired f{s, task};
	sys_alarm_t *alarm;
	ASSERT_EQ(s->alarm_create(&alarm, task, Fired::cb, &f), 0);
	const uint64_t hour = 3600ull * 1'000'000'000;
	EXPECT_EQ(s->alarm_arm(alarm, s->time_mono_ns() + hour), 0);
	EXPECT_EQ(s->alarm_arm(alarm, s->time_mono_ns() + 2 * hour), 1);
	EXPECT_EQ(s->alarm_arm(alarm, s->time_mono_ns()), 1); // moved earlier: fires now
	ASSERT_TRUE(f.ran.wait());
	flush(task);
	EXPECT_EQ(f.runs.load(), 1); // once, not once per arming
	// And later: moving a near alarm far away stops it firing soon.
	// (near: 200 ms, so the move surely comes before it even under a
	// sanitizer on a loaded machine)
	EXPECT_EQ(s->alarm_arm(alarm, s->time_mono_ns() + 200'000'000), 0);
	EXPECT_EQ(s->alarm_arm(alarm, s->time_mono_ns() + hour), 1);
	EXPECT_EQ(s->alarm_cancel(alarm), 1);
	s->alarm_destroy(alarm);
	s->task_destroy(task);
}

TEST_F(Alarms, AnAlarmMovedLaterDoesNotFireAtItsOldDeadline)
{
	// The timer is only ever moved earlier on arm: the early wake-up at the
	// old deadline must find nothing due and just re-program.
	sys_task_t *task = make_task("alarms");
	Fired moved{s, task}, sentinel{s, task};
	sys_alarm_t *a, *b;
	ASSERT_EQ(s->alarm_create(&a, task, Fired::cb, &moved), 0);
	ASSERT_EQ(s->alarm_create(&b, task, Fired::cb, &sentinel), 0);
	// The old deadline is far enough out that the move always comes first,
	// even under a sanitizer on a loaded machine (2 ms was not).
	const uint64_t now = s->time_mono_ns();
	ASSERT_EQ(s->alarm_arm(a, now + 200'000'000), 0);
	ASSERT_EQ(s->alarm_arm(a, now + 3600ull * 1'000'000'000), 1);
	ASSERT_EQ(s->alarm_arm(b, now + 400'000'000), 0);
	ASSERT_TRUE(sentinel.ran.wait());
	EXPECT_GE(sentinel.at.load(), now + 400'000'000);
	EXPECT_EQ(moved.runs.load(), 0);
	EXPECT_EQ(s->alarm_cancel(a), 1);
	s->alarm_destroy(a);
	s->alarm_destroy(b);
	s->task_destroy(task);
}

TEST_F(Alarms, CancelOfAPendingAlarmPreventsItsCallback)
{
	sys_task_t *task = make_task("alarms");
	Gate gate;
	ASSERT_EQ(s->task_post(task, SYS_PRIO_NORMAL, Gate::cb, &gate), 0);
	ASSERT_TRUE(gate.entered.wait());
	Fired f{s, task};
	sys_alarm_t *alarm;
	ASSERT_EQ(s->alarm_create(&alarm, task, Fired::cb, &f), 0);
	EXPECT_EQ(s->alarm_cancel(alarm), 0);
	ASSERT_EQ(s->alarm_arm(alarm, 0), 0); // due, but the task is held
	EXPECT_EQ(s->alarm_cancel(alarm), 1);
	EXPECT_EQ(s->alarm_cancel(alarm), 0);
	gate.release.post();
	// A later alarm fires after any earlier one would have.
	Fired sentinel{s, task};
	sys_alarm_t *sa;
	ASSERT_EQ(s->alarm_create(&sa, task, Fired::cb, &sentinel), 0);
	ASSERT_EQ(s->alarm_arm(sa, s->time_mono_ns() + 1'000'000), 0);
	ASSERT_TRUE(sentinel.ran.wait());
	EXPECT_EQ(f.runs.load(), 0);
	s->alarm_destroy(sa);
	s->alarm_destroy(alarm);
	s->task_destroy(task);
}

// 10,000 alarms armed in random order (with many equal deadlines) fire in
// deadline order, ties in arming order.
TEST_F(Alarms, TenThousandAlarmsFireInDeadlineThenArmingOrder)
{
	sys_task_t *task = make_task("alarms");
	constexpr int kAlarms = 10000;
	struct Slot {
		std::vector<int> *order;
		int id;
	};
	std::vector<int> order; // written on the task thread only
	order.reserve(kAlarms);
	std::vector<Slot> slots(kAlarms);
	std::vector<sys_alarm_t *> alarms(kAlarms);
	Signal all{};
	struct Last {
		std::vector<int> *order;
		Signal *all;
	} last{&order, &all};
	for (int i = 0; i < kAlarms; i++) {
		slots[i] = {&order, i};
		ASSERT_EQ(s->alarm_create(
				  &alarms[i], task,
				  [](void *a) {
					  auto *sl = static_cast<Slot *>(a);
					  sl->order->push_back(sl->id);
				  },
				  &slots[i]),
			  0);
	}
	// Hold the task while arming so that ordering is decided by the heap
	// alone, not by which alarms happened to be armed in time.
	Gate gate;
	ASSERT_EQ(s->task_post(task, SYS_PRIO_NORMAL, Gate::cb, &gate), 0);
	ASSERT_TRUE(gate.entered.wait());

	std::mt19937 rng(12345);
	std::vector<int> arm_order(kAlarms);
	std::iota(arm_order.begin(), arm_order.end(), 0);
	std::shuffle(arm_order.begin(), arm_order.end(), rng);
	const uint64_t base = s->time_mono_ns();
	std::vector<uint64_t> deadline(kAlarms);
	std::vector<int> arm_rank(kAlarms);
	std::uniform_int_distribution<int> bucket(0, 999); // ~10 alarms per deadline
	for (int rank = 0; rank < kAlarms; rank++) {
		int id = arm_order[rank];
		deadline[id] = base + uint64_t(bucket(rng)) * 1000; // within 1 ms
		arm_rank[id] = rank;
		ASSERT_EQ(s->alarm_arm(alarms[id], deadline[id]), 0);
	}
	sys_alarm_t *closing;
	ASSERT_EQ(s->alarm_create(
			  &closing, task,
			  [](void *a) {
				  auto *l = static_cast<Last *>(a);
				  l->all->post();
			  },
			  &last),
		  0);
	ASSERT_EQ(s->alarm_arm(closing, base + 1000 * 1000), 0); // after every bucket
	gate.release.post();
	ASSERT_TRUE(all.wait());

	ASSERT_EQ(order.size(), size_t(kAlarms));
	for (int i = 1; i < kAlarms; i++) {
		int a = order[i - 1], b = order[i];
		ASSERT_LE(deadline[a], deadline[b]) << "position " << i;
		if (deadline[a] == deadline[b]) {
			ASSERT_LT(arm_rank[a], arm_rank[b]) << "tie broken out of arming order at " << i;
		}
	}
	for (auto *a : alarms)
		s->alarm_destroy(a);
	s->alarm_destroy(closing);
	s->task_destroy(task);
}

// cancel racing a firing alarm: for each arming either cancel wins (returns
// 1, the callback never runs) or the callback wins (returns 0, and it has
// finished when cancel returns).  Never both, never neither.
TEST_F(Alarms, CancelRacingAFiringAlarm)
{
	sys_task_t *task = make_task("alarms");
	struct Ctx {
		std::atomic<int> started{0}, finished{0};
	} ctx;
	sys_alarm_t *alarm;
	ASSERT_EQ(s->alarm_create(
			  &alarm, task,
			  [](void *a) {
				  auto *c = static_cast<Ctx *>(a);
				  c->started++;
				  // A little work, so that cancel sometimes lands mid-callback.
				  volatile int x = 0;
				  for (int i = 0; i < 200; i++)
					  x = x + i;
				  c->finished++;
			  },
			  &ctx),
		  0);
	int cancelled = 0;
	const int kRounds = 3000;
	for (int i = 0; i < kRounds; i++) {
		// Alternate "due now" and "due in a few microseconds" to hit both
		// sides of the race.
		ASSERT_EQ(s->alarm_arm(alarm, s->time_mono_ns() + uint64_t(i % 4) * 2000), 0);
		int rc = s->alarm_cancel(alarm);
		ASSERT_TRUE(rc == 0 || rc == 1);
		ASSERT_EQ(ctx.started.load(), ctx.finished.load()) << "callback still running after alarm_cancel";
		cancelled += rc;
		ASSERT_EQ(ctx.finished.load(), i + 1 - cancelled) << "round " << i;
	}
	// Nothing cancelled may fire late: a later alarm has fired after all.
	Fired sentinel{s, task};
	sys_alarm_t *sa;
	ASSERT_EQ(s->alarm_create(&sa, task, Fired::cb, &sentinel), 0);
	ASSERT_EQ(s->alarm_arm(sa, s->time_mono_ns() + 1'000'000), 0);
	ASSERT_TRUE(sentinel.ran.wait());
	EXPECT_EQ(ctx.finished.load(), kRounds - cancelled);
	s->alarm_destroy(sa);
	s->alarm_destroy(alarm);
	s->task_destroy(task);
}

Signal *g_blocked;
void note_blocked(const void *)
{
	g_blocked->post();
}

TEST_F(Alarms, CancelFromAnotherThreadWaitsForTheRunningCallback)
{
	sys_task_t *task = make_task("alarms");
	struct Ctx {
		Signal entered{}, release{};
		std::atomic<bool> finished{false};
	} ctx;
	sys_alarm_t *alarm;
	ASSERT_EQ(s->alarm_create(
			  &alarm, task,
			  [](void *a) {
				  auto *c = static_cast<Ctx *>(a);
				  c->entered.post();
				  EXPECT_TRUE(c->release.wait());
				  c->finished = true;
			  },
			  &ctx),
		  0);
	ASSERT_EQ(s->alarm_arm(alarm, 0), 0);
	ASSERT_TRUE(ctx.entered.wait());
	Signal blocked{};
	g_blocked = &blocked;
	mte::test_hooks::before_idle_wait = note_blocked;
	bool finished_at_return = false;
	int rc = -1;
	std::thread destroyer([&] {
		rc = s->alarm_cancel(alarm);
		finished_at_return = ctx.finished.load();
		s->alarm_destroy(alarm); // idle now: frees at once
	});
	ASSERT_TRUE(blocked.wait());
	ctx.release.post();
	destroyer.join();
	mte::test_hooks::before_idle_wait = nullptr;
	EXPECT_EQ(rc, 0);
	EXPECT_TRUE(finished_at_return);
	s->task_destroy(task);
}

struct Periodic {
	const sys_service *s;
	sys_alarm_t *alarm = nullptr;
	int runs = 0, target = 0;
	std::vector<int> arm_rc{};
	int cancel_rc = -1;
	Signal done{};
	static void cb(void *a)
	{
		auto *p = static_cast<Periodic *>(a);
		if (++p->runs < p->target) {
			p->arm_rc.push_back(p->s->alarm_arm(p->alarm, p->s->time_mono_ns() + 10000));
			return;
		}
		// Re-arm far away and cancel again, from our own callback: no wait.
		p->s->alarm_arm(p->alarm, p->s->time_mono_ns() + 3600ull * 1'000'000'000);
		p->cancel_rc = p->s->alarm_cancel(p->alarm);
		p->done.post();
	}
};

TEST_F(Alarms, ArmAndCancelFromItsOwnCallback)
{
	sys_task_t *task = make_task("alarms");
	Periodic p{s};
	p.target = 50;
	ASSERT_EQ(s->alarm_create(&p.alarm, task, Periodic::cb, &p), 0);
	ASSERT_EQ(s->alarm_arm(p.alarm, 0), 0);
	ASSERT_TRUE(p.done.wait());
	flush(task);
	EXPECT_EQ(p.runs, 50);
	EXPECT_EQ(p.arm_rc, std::vector<int>(49, 0)); // not pending while its callback runs
	EXPECT_EQ(p.cancel_rc, 1);
	s->alarm_destroy(p.alarm);
	s->task_destroy(task);
}

TEST_F(Alarms, DestroyFromItsOwnCallback)
{
	sys_task_t *task = make_task("alarms");
	struct Ctx {
		const sys_service *s;
		sys_alarm_t *alarm = nullptr;
		Signal done{};
	} ctx{s};
	ASSERT_EQ(s->alarm_create(
			  &ctx.alarm, task,
			  [](void *a) {
				  auto *c = static_cast<Ctx *>(a);
				  c->s->alarm_destroy(c->alarm);
				  c->done.post();
			  },
			  &ctx),
		  0);
	ASSERT_EQ(s->alarm_arm(ctx.alarm, 0), 0);
	ASSERT_TRUE(ctx.done.wait());
	flush(task);
	s->task_destroy(task);
}

TEST_F(Alarms, ManyTasksFireIndependently)
{
	constexpr int kTasks = 8;
	std::vector<sys_task_t *> tasks{};
	std::vector<std::unique_ptr<Fired>> fired{};
	std::vector<sys_alarm_t *> alarms{};
	for (int i = 0; i < kTasks; i++) {
		tasks.push_back(make_task("alarms-n"));
		fired.push_back(std::make_unique<Fired>());
		fired.back()->s = s;
		fired.back()->task = tasks.back();
		sys_alarm_t *a;
		ASSERT_EQ(s->alarm_create(&a, tasks.back(), Fired::cb, fired.back().get()), 0);
		ASSERT_EQ(s->alarm_arm(a, s->time_mono_ns() + uint64_t(i) * 1'000'000), 0);
		alarms.push_back(a);
	}
	for (auto &f : fired) {
		ASSERT_TRUE(f->ran.wait());
		EXPECT_FALSE(f->wrong_thread.load());
	}
	for (auto *a : alarms)
		s->alarm_destroy(a);
	for (auto *t : tasks)
		s->task_destroy(t);
}

} // namespace
} // namespace t
