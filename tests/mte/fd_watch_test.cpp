// fd_watch_create / fd_watch_modify / fd_watch_destroy.
#include "helpers.hpp"

#include "test_hooks.hpp"

#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

namespace t {
namespace {

class FdWatch : public MteTest {};

struct Pipe {
	int r = -1, w = -1;
	Pipe()
	{
		int fds[2];
		EXPECT_EQ(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
		r = fds[0];
		w = fds[1];
	}
	~Pipe() { close_both(); }
	void close_both()
	{
		if (r >= 0)
			::close(r);
		if (w >= 0)
			::close(w);
		r = w = -1;
	}
	void put(const char *s) { ASSERT_EQ(::write(w, s, strlen(s)), ssize_t(strlen(s))); }
};

struct Seen {
	const sys_service *s = nullptr;
	sys_task_t *task = nullptr;
	std::mutex mu{};
	std::vector<uint32_t> revents{};
	std::string data{};
	std::atomic<bool> wrong_thread{false};
	Signal called{};
	bool read_all = true;
	static void cb(void *a, int fd, uint32_t revents)
	{
		auto *s = static_cast<Seen *>(a);
		if (s->s && s->s->task_current() != s->task)
			s->wrong_thread = true;
		char buf[64];
		ssize_t n = s->read_all ? ::read(fd, buf, sizeof buf) : 0;
		{
			std::lock_guard lk(s->mu);
			s->revents.push_back(revents);
			if (n > 0)
				s->data.append(buf, size_t(n));
		}
		s->called.post();
	}
};

TEST_F(FdWatch, ReadableFdCallsBackWithInOnTheTaskThread)
{
	sys_task_t *task = make_task("fds");
	Pipe p;
	Seen seen{s, task};
	sys_fd_watch_t *w;
	ASSERT_EQ(s->fd_watch_create(&w, task, p.r, SYS_FD_IN, Seen::cb, &seen), 0);
	p.put("hello");
	ASSERT_TRUE(seen.called.wait());
	{
		std::lock_guard lk(seen.mu);
		EXPECT_EQ(seen.data, "hello");
		EXPECT_TRUE(seen.revents[0] & SYS_FD_IN);
	}
	EXPECT_FALSE(seen.wrong_thread.load());
	p.put(" again");
	ASSERT_TRUE(seen.called.wait_for_count(2));
	s->fd_watch_destroy(w);
	std::lock_guard lk(seen.mu);
	EXPECT_EQ(seen.data, "hello again");
	s->task_destroy(task);
}

// Level-triggered: a callback that does not consume the data is called again
// and again until it does.
TEST_F(FdWatch, LevelTriggeredUntilDrained)
{
	sys_task_t *task = make_task("fds");
	Pipe p;
	struct Ctx {
		std::atomic<int> calls{0};
		Signal drained{};
	} ctx;
	sys_fd_watch_t *w;
	ASSERT_EQ(s->fd_watch_create(
			  &w, task, p.r, SYS_FD_IN,
			  [](void *a, int fd, uint32_t) {
				  auto *c = static_cast<Ctx *>(a);
				  if (++c->calls == 5) {
					  char b;
					  EXPECT_EQ(::read(fd, &b, 1), 1);
					  c->drained.post();
				  }
			  },
			  &ctx),
		  0);
	p.put("x");
	ASSERT_TRUE(ctx.drained.wait());
	flush(task);
	flush(task);
	EXPECT_EQ(ctx.calls.load(), 5);
	s->fd_watch_destroy(w);
	s->task_destroy(task);
}

TEST_F(FdWatch, AlreadyReadableFdIsReportedAtCreation)
{
	sys_task_t *task = make_task("fds");
	Pipe p;
	p.put("early");
	Seen seen{s, task};
	sys_fd_watch_t *w;
	ASSERT_EQ(s->fd_watch_create(&w, task, p.r, SYS_FD_IN, Seen::cb, &seen), 0);
	ASSERT_TRUE(seen.called.wait());
	s->fd_watch_destroy(w);
	s->task_destroy(task);
}

TEST_F(FdWatch, WritableAndPauseAndResume)
{
	sys_task_t *task = make_task("fds");
	Pipe p;
	struct Ctx {
		const sys_service *s;
		sys_fd_watch_t *w = nullptr;
		std::atomic<int> calls{0};
		std::atomic<uint32_t> last{0};
		Signal called{};
	} ctx{s};
	ASSERT_EQ(s->fd_watch_create(
			  &ctx.w, task, p.w, SYS_FD_OUT,
			  [](void *a, int, uint32_t rev) {
				  auto *c = static_cast<Ctx *>(a);
				  c->last = rev;
				  c->calls++;
				  // Pause from the callback: a writable pipe would
				  // otherwise call back forever.
				  EXPECT_EQ(c->s->fd_watch_modify(c->w, 0), 0);
				  c->called.post();
			  },
			  &ctx),
		  0);
	ASSERT_TRUE(ctx.called.wait());
	EXPECT_TRUE(ctx.last.load() & SYS_FD_OUT);
	flush(task);
	flush(task);
	EXPECT_EQ(ctx.calls.load(), 1);
	ASSERT_EQ(s->fd_watch_modify(ctx.w, SYS_FD_OUT), 0); // resume
	ASSERT_TRUE(ctx.called.wait_for_count(2));
	EXPECT_EQ(s->fd_watch_modify(ctx.w, 0x100), -EINVAL);
	s->fd_watch_destroy(ctx.w);
	s->task_destroy(task);
}

TEST_F(FdWatch, ModifyChangesTheInterestSet)
{
	sys_task_t *task = make_task("fds");
	Pipe p;
	Seen seen{s, task};
	sys_fd_watch_t *w;
	// Watch nothing, make it readable, then ask for IN.
	ASSERT_EQ(s->fd_watch_create(&w, task, p.r, 0, Seen::cb, &seen), 0);
	p.put("z");
	flush(task);
	EXPECT_EQ(seen.called.count(), 0);
	ASSERT_EQ(s->fd_watch_modify(w, SYS_FD_IN), 0);
	ASSERT_TRUE(seen.called.wait());
	s->fd_watch_destroy(w);
	s->task_destroy(task);
}

TEST_F(FdWatch, HangupIsReported)
{
	sys_task_t *task = make_task("fds");
	Pipe p;
	struct Ctx {
		const sys_service *s;
		sys_fd_watch_t *w = nullptr;
		std::atomic<uint32_t> rev{0};
		Signal called{};
	} ctx{s};
	ASSERT_EQ(s->fd_watch_create(
			  &ctx.w, task, p.r, SYS_FD_IN,
			  [](void *a, int, uint32_t rev) {
				  auto *c = static_cast<Ctx *>(a);
				  c->rev = rev;
				  c->s->fd_watch_modify(c->w, 0);
				  c->called.post();
			  },
			  &ctx),
		  0);
	::close(p.w);
	p.w = -1;
	ASSERT_TRUE(ctx.called.wait());
	EXPECT_TRUE(ctx.rev.load() & SYS_FD_HUP);
	s->fd_watch_destroy(ctx.w);
	s->task_destroy(task);
}

// Calls back once, then pauses itself (the unread data would keep it ready).
struct PauseOnce {
	const sys_service *s;
	sys_fd_watch_t *w = nullptr;
	Signal called{};
	static void cb(void *a, int, uint32_t)
	{
		auto *p = static_cast<PauseOnce *>(a);
		EXPECT_EQ(p->s->fd_watch_modify(p->w, 0), 0);
		p->called.post();
	}
};

TEST_F(FdWatch, TwoWatchesOnOneFd)
{
	sys_task_t *task = make_task("fds");
	Pipe p;
	PauseOnce a{s}, b{s};
	// Hold the task until both handles are known to the callbacks.
	Gate gate;
	ASSERT_EQ(s->task_post(task, SYS_PRIO_NORMAL, Gate::cb, &gate), 0);
	ASSERT_TRUE(gate.entered.wait());
	ASSERT_EQ(s->fd_watch_create(&a.w, task, p.r, SYS_FD_IN, PauseOnce::cb, &a), 0);
	ASSERT_EQ(s->fd_watch_create(&b.w, task, p.r, SYS_FD_IN, PauseOnce::cb, &b), 0);
	p.put("!");
	gate.release.post();
	ASSERT_TRUE(a.called.wait());
	ASSERT_TRUE(b.called.wait());
	s->fd_watch_destroy(a.w);
	s->fd_watch_destroy(b.w);
	s->task_destroy(task);
}

TEST_F(FdWatch, BadFdIsRefused)
{
	sys_task_t *task = make_task("fds");
	sys_fd_watch_t *w = nullptr;
	EXPECT_EQ(s->fd_watch_create(&w, task, 1000000, SYS_FD_IN, Seen::cb, nullptr), -EBADF);
	EXPECT_EQ(s->fd_watch_create(&w, task, 0, SYS_FD_ERR, Seen::cb, nullptr), -EINVAL);
	s->task_destroy(task);
}

// An fd removed while its readiness is pending: once fd_watch_destroy has
// returned, the callback never runs again -- many rounds, racing the task.
TEST_F(FdWatch, DestroyWhileEventPendingNeverCallsBackAfterwards)
{
	sys_task_t *task = make_task("fds");
	struct Ctx {
		std::atomic<bool> gone{false};
		std::atomic<int> late{0};
		std::atomic<int> calls{0};
	};
	for (int round = 0; round < 500; round++) {
		Pipe p;
		Ctx ctx;
		sys_fd_watch_t *w;
		ASSERT_EQ(s->fd_watch_create(
				  &w, task, p.r, SYS_FD_IN,
				  [](void *a, int, uint32_t) {
					  auto *c = static_cast<Ctx *>(a);
					  if (c->gone.load())
						  c->late++;
					  c->calls++;
					  // Never reads: stays ready, keeps calling back.
				  },
				  &ctx),
			  0);
		p.put("r");
		if (round % 2)
			flush(task); // sometimes let it spin first
		s->fd_watch_destroy(w);
		ctx.gone = true;
		p.close_both(); // allowed now
		flush(task);
		ASSERT_EQ(ctx.late.load(), 0) << "callback ran after fd_watch_destroy returned (round " << round << ")";
	}
	s->task_destroy(task);
}

Signal *g_blocked;
void note_blocked(const void *)
{
	g_blocked->post();
}

TEST_F(FdWatch, DestroyFromAnotherThreadWaitsForTheRunningCallback)
{
	sys_task_t *task = make_task("fds");
	Pipe p;
	struct Ctx {
		Signal entered{}, release{};
		std::atomic<bool> finished{false};
	} ctx;
	sys_fd_watch_t *w;
	ASSERT_EQ(s->fd_watch_create(
			  &w, task, p.r, SYS_FD_IN,
			  [](void *a, int fd, uint32_t) {
				  auto *c = static_cast<Ctx *>(a);
				  char b;
				  while (::read(fd, &b, 1) > 0) {
				  }
				  c->entered.post();
				  EXPECT_TRUE(c->release.wait());
				  c->finished = true;
			  },
			  &ctx),
		  0);
	p.put("x");
	ASSERT_TRUE(ctx.entered.wait());
	Signal blocked{};
	g_blocked = &blocked;
	mte::test_hooks::before_idle_wait = note_blocked;
	bool finished_at_return = false;
	std::thread destroyer([&] {
		s->fd_watch_destroy(w);
		finished_at_return = ctx.finished.load();
	});
	ASSERT_TRUE(blocked.wait());
	ctx.release.post();
	destroyer.join();
	mte::test_hooks::before_idle_wait = nullptr;
	EXPECT_TRUE(finished_at_return);
	s->task_destroy(task);
}

TEST_F(FdWatch, DestroyDoesNotWaitForOtherCallbacks)
{
	// Only the watch's own callback is waited for: removing a watch while
	// the task is busy with something else returns at once.
	sys_task_t *task = make_task("fds");
	Pipe p;
	Seen seen{s, task};
	sys_fd_watch_t *w;
	ASSERT_EQ(s->fd_watch_create(&w, task, p.r, SYS_FD_IN, Seen::cb, &seen), 0);
	Gate gate;
	ASSERT_EQ(s->task_post(task, SYS_PRIO_NORMAL, Gate::cb, &gate), 0);
	ASSERT_TRUE(gate.entered.wait());
	p.put("pending"); // readiness the held task has not seen yet
	Signal destroyed;
	std::thread destroyer([&] {
		s->fd_watch_destroy(w);
		destroyed.post();
	});
	bool returned = destroyed.wait();
	gate.release.post();
	destroyer.join();
	EXPECT_TRUE(returned) << "fd_watch_destroy waited for an unrelated callback";
	flush(task);
	EXPECT_EQ(seen.called.count(), 0);
	s->task_destroy(task);
}

TEST_F(FdWatch, DestroyFromItsOwnCallback)
{
	sys_task_t *task = make_task("fds");
	Pipe p;
	struct Ctx {
		const sys_service *s;
		sys_fd_watch_t *w = nullptr;
		std::atomic<int> calls{0};
		Signal done{};
	} ctx{s};
	// Hold the task so that ctx.w is set before the callback can run.
	Gate gate;
	ASSERT_EQ(s->task_post(task, SYS_PRIO_NORMAL, Gate::cb, &gate), 0);
	ASSERT_TRUE(gate.entered.wait());
	ASSERT_EQ(s->fd_watch_create(
			  &ctx.w, task, p.r, SYS_FD_IN,
			  [](void *a, int, uint32_t) {
				  auto *c = static_cast<Ctx *>(a);
				  c->calls++;
				  c->s->fd_watch_destroy(c->w); // returns at once; data stays unread
				  c->done.post();
			  },
			  &ctx),
		  0);
	p.put("y");
	gate.release.post();
	ASSERT_TRUE(ctx.done.wait());
	flush(task);
	flush(task);
	EXPECT_EQ(ctx.calls.load(), 1);
	s->task_destroy(task);
}

TEST_F(FdWatch, WatchOutlivesItsTaskAsAnInertHandle)
{
	sys_task_t *task = make_task("fds");
	Pipe p;
	Seen seen{s, task};
	sys_fd_watch_t *w;
	ASSERT_EQ(s->fd_watch_create(&w, task, p.r, SYS_FD_IN, Seen::cb, &seen), 0);
	s->task_destroy(task);
	EXPECT_EQ(s->fd_watch_modify(w, SYS_FD_IN), -ESHUTDOWN);
	p.put("late");
	s->fd_watch_destroy(w);
	EXPECT_EQ(seen.called.count(), 0);
}

} // namespace
} // namespace t
