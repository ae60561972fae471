// task_create / task_destroy / task_current / task_wake, and shutdown with
// work pending.
#include "helpers.hpp"

#include "test_hooks.hpp"

#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

namespace t {
namespace {

class Tasks : public MteTest {};

TEST_F(Tasks, CurrentIsTheTaskOnItsThreadAndNullElsewhere)
{
	EXPECT_EQ(s->task_current(), nullptr);
	sys_task_t *task = make_task("cur-task-name");
	struct Ctx {
		const sys_service *s;
		sys_task_t *cur = nullptr;
		sys_thread_t *thread = nullptr;
		std::string name{};
		Signal done{};
	} ctx{s};
	ASSERT_EQ(s->task_post(
			  task, SYS_PRIO_NORMAL,
			  [](void *a) {
				  auto *c = static_cast<Ctx *>(a);
				  c->cur = c->s->task_current();
				  c->thread = c->s->thread_self();
				  if (c->thread)
					  c->name = c->s->thread_name(c->thread);
				  c->done.post();
			  },
			  &ctx),
		  0);
	ASSERT_TRUE(ctx.done.wait());
	EXPECT_EQ(ctx.cur, task);
	EXPECT_NE(ctx.thread, nullptr); // task threads are mte threads
	EXPECT_EQ(ctx.name, "cur-task-name");
	s->task_destroy(task);
}

struct WakeCount {
	std::atomic<int> runs{0};
	Signal ran{};
	Signal entered, release; // used when the first run should block
	bool block_first = false;
	static void cb(void *a)
	{
		auto *w = static_cast<WakeCount *>(a);
		int n = ++w->runs;
		if (n == 1 && w->block_first) {
			w->entered.post();
			EXPECT_TRUE(w->release.wait());
		}
		w->ran.post();
	}
};

TEST_F(Tasks, WakesBeforeTheCallbackStartsCoalesce)
{
	WakeCount wc;
	sys_task_t *task = make_task("wake", WakeCount::cb, &wc);
	Gate gate;
	ASSERT_EQ(s->task_post(task, SYS_PRIO_NORMAL, Gate::cb, &gate), 0);
	ASSERT_TRUE(gate.entered.wait());
	std::vector<std::thread> wakers{};
	for (int t = 0; t < 4; t++)
		wakers.emplace_back([&] {
			for (int i = 0; i < 250; i++)
				s->task_wake(task);
		});
	for (auto &t : wakers)
		t.join();
	gate.release.post();
	ASSERT_TRUE(wc.ran.wait());
	flush(task);
	EXPECT_EQ(wc.runs.load(), 1);
	s->task_destroy(task);
}

TEST_F(Tasks, AWakeWhileTheCallbackRunsCausesOneMoreRun)
{
	WakeCount wc;
	wc.block_first = true;
	sys_task_t *task = make_task("wake", WakeCount::cb, &wc);
	s->task_wake(task);
	ASSERT_TRUE(wc.entered.wait());
	for (int i = 0; i < 10; i++)
		s->task_wake(task);
	wc.release.post();
	ASSERT_TRUE(wc.ran.wait_for_count(2));
	flush(task);
	EXPECT_EQ(wc.runs.load(), 2);
	s->task_destroy(task);
}

TEST_F(Tasks, WakeFromItsOwnCallbackRunsAgain)
{
	struct Ctx {
		const sys_service *s;
		sys_task_t *task = nullptr;
		std::atomic<int> runs{0};
		Signal done{};
	} ctx{s};
	auto cb = [](void *a) {
		auto *c = static_cast<Ctx *>(a);
		if (++c->runs < 3)
			c->s->task_wake(c->task);
		else
			c->done.post();
	};
	// The callback uses the handle: task_create publishes it before the thread starts.
	ASSERT_EQ(s->task_create(&ctx.task, "wake", cb, &ctx), 0);
	s->task_wake(ctx.task);
	ASSERT_TRUE(ctx.done.wait());
	flush(ctx.task);
	EXPECT_EQ(ctx.runs.load(), 3);
	s->task_destroy(ctx.task);
}

TEST_F(Tasks, WakeFromAnotherTasksCallback)
{
	WakeCount wc;
	sys_task_t *target = make_task("target", WakeCount::cb, &wc);
	sys_task_t *other = make_task("other");
	struct Ctx {
		const sys_service *s;
		sys_task_t *target;
	} ctx{s, target};
	ASSERT_EQ(s->task_post(
			  other, SYS_PRIO_NORMAL,
			  [](void *a) {
				  auto *c = static_cast<Ctx *>(a);
				  c->s->task_wake(c->target);
			  },
			  &ctx),
		  0);
	ASSERT_TRUE(wc.ran.wait());
	s->task_destroy(other);
	s->task_destroy(target);
}

Signal *g_shutdown_marked;
void note_shutdown(const void *)
{
	g_shutdown_marked->post();
}

// task_destroy with work pending: nothing that has not started runs, the
// running callback finishes, and every handle becomes inert.
TEST_F(Tasks, DestroyWithWorkPendingDropsItWithoutRunningIt)
{
	std::atomic<int> ran{0};
	auto count = [](void *a) { static_cast<std::atomic<int> *>(a)->fetch_add(1); };
	WakeCount wc;
	sys_task_t *task = make_task("doomed", WakeCount::cb, &wc);
	int fds[2];
	ASSERT_EQ(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);

	Gate gate;
	ASSERT_EQ(s->task_post(task, SYS_PRIO_NORMAL, Gate::cb, &gate), 0);
	ASSERT_TRUE(gate.entered.wait());

	std::vector<sys_call_t *> calls{};
	for (int i = 0; i < 50; i++) {
		sys_call_t *c;
		ASSERT_EQ(s->call_create(&c, task, i % 2 ? SYS_PRIO_LOW : SYS_PRIO_NORMAL, count, &ran), 0);
		ASSERT_EQ(s->call_post(c), 1);
		calls.push_back(c);
		ASSERT_EQ(s->task_post(task, SYS_PRIO_LOW, count, &ran), 0);
	}
	std::vector<sys_alarm_t *> alarms{};
	for (int i = 0; i < 20; i++) {
		sys_alarm_t *a;
		ASSERT_EQ(s->alarm_create(&a, task, count, &ran), 0);
		ASSERT_EQ(s->alarm_arm(a, 0), 0); // due now
		alarms.push_back(a);
	}
	sys_fd_watch_t *w;
	ASSERT_EQ(s->fd_watch_create(
			  &w, task, fds[0], SYS_FD_IN,
			  [](void *a, int, uint32_t) { static_cast<std::atomic<int> *>(a)->fetch_add(1); }, &ran),
		  0);
	ASSERT_EQ(::write(fds[1], "x", 1), 1);
	s->task_wake(task);

	Signal marked{};
	g_shutdown_marked = &marked;
	mte::test_hooks::after_shutdown_marked = note_shutdown;
	std::thread destroyer([&] { s->task_destroy(task); });
	ASSERT_TRUE(marked.wait()); // shut down, but the gate callback still runs
	EXPECT_EQ(s->call_post(calls[0]), -ESHUTDOWN);
	gate.release.post();
	destroyer.join();
	mte::test_hooks::after_shutdown_marked = nullptr;

	EXPECT_EQ(ran.load(), 0);
	EXPECT_EQ(wc.runs.load(), 0);
	// Inert handles.
	EXPECT_EQ(s->call_post(calls[0]), -ESHUTDOWN);
	EXPECT_EQ(s->call_cancel(calls[0]), 0);
	EXPECT_EQ(s->alarm_arm(alarms[0], 0), -ESHUTDOWN);
	EXPECT_EQ(s->alarm_cancel(alarms[0]), 0);
	EXPECT_EQ(s->fd_watch_modify(w, SYS_FD_IN), -ESHUTDOWN);
	for (auto *c : calls)
		s->call_destroy(c);
	for (auto *a : alarms)
		s->alarm_destroy(a);
	s->fd_watch_destroy(w);
	::close(fds[0]);
	::close(fds[1]);
}

// Work of one kind cannot starve the others: an fd that stays ready (its
// callback never drains it) and a call that re-posts itself forever share
// the task with an alarm and a one-shot callback, which still run.  (Within
// calls, priority is strict: an endless NORMAL call would starve LOW ones,
// as the contract says, so the one-shot is NORMAL.)
TEST_F(Tasks, BusyWorkDoesNotStarveOtherCallbacks)
{
	sys_task_t *task = make_task("fair");
	int fds[2];
	ASSERT_EQ(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
	ASSERT_EQ(::write(fds[1], "x", 1), 1);
	std::atomic<int> fd_calls{0};
	sys_fd_watch_t *w;
	ASSERT_EQ(s->fd_watch_create(
			  &w, task, fds[0], SYS_FD_IN,
			  [](void *a, int, uint32_t) { static_cast<std::atomic<int> *>(a)->fetch_add(1); }, &fd_calls),
		  0);
	struct Spinner {
		const sys_service *s;
		sys_call_t *call = nullptr;
		std::atomic<int> runs{0};
	} spin{s};
	ASSERT_EQ(s->call_create(
			  &spin.call, task, SYS_PRIO_NORMAL,
			  [](void *a) {
				  auto *sp = static_cast<Spinner *>(a);
				  sp->runs++;
				  sp->s->call_post(sp->call);
			  },
			  &spin),
		  0);
	ASSERT_EQ(s->call_post(spin.call), 1);

	Signal alarm_ran, post_ran;
	sys_alarm_t *alarm;
	ASSERT_EQ(s->alarm_create(
			  &alarm, task, [](void *a) { static_cast<Signal *>(a)->post(); }, &alarm_ran),
		  0);
	ASSERT_EQ(s->alarm_arm(alarm, s->time_mono_ns() + 5'000'000), 0);
	ASSERT_EQ(s->task_post(
			  task, SYS_PRIO_NORMAL, [](void *a) { static_cast<Signal *>(a)->post(); }, &post_ran),
		  0);
	EXPECT_TRUE(alarm_ran.wait());
	EXPECT_TRUE(post_ran.wait());
	EXPECT_GT(fd_calls.load(), 1); // level-triggered, kept going
	EXPECT_GT(spin.runs.load(), 1);
	s->call_destroy(spin.call);
	s->fd_watch_destroy(w);
	s->alarm_destroy(alarm);
	::close(fds[0]);
	::close(fds[1]);
	s->task_destroy(task);
}

TEST_F(Tasks, TaskPostAfterDestroyOfAnotherTaskStillWorks)
{
	sys_task_t *a = make_task("a");
	sys_task_t *b = make_task("b");
	s->task_destroy(a);
	flush(b);
	s->task_destroy(b);
}

TEST_F(Tasks, ManyTasksComeAndGo)
{
	for (int round = 0; round < 20; round++) {
		std::vector<sys_task_t *> tasks{};
		for (int i = 0; i < 8; i++)
			tasks.push_back(make_task("churn"));
		for (auto *t : tasks)
			flush(t);
		for (auto *t : tasks)
			s->task_destroy(t);
	}
}

TEST_F(Tasks, IdleTaskDestroysPromptly)
{
	// An idle task sleeps in epoll; destroy must wake it, not wait for a timeout.
	sys_task_t *task = make_task("idle");
	uint64_t t0 = s->time_mono_ns();
	s->task_destroy(task);
	EXPECT_LT(s->time_mono_ns() - t0, 2'000'000'000u);
}

} // namespace
} // namespace t
