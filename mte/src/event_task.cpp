// event_task.cpp - see event_task.hpp for the threading model.
//
// Mapping onto Boost.Asio
//   * The task thread runs io_context::run(); an idle task sleeps in the
//     reactor's epoll_wait, and asio::post() from any thread wakes it.
//   * Calls: our own two intrusive FIFOs (NORMAL, LOW).  A single "drain"
//     handler is posted when the queues become non-empty; it runs up to
//     kBatch callbacks, NORMAL first, then re-posts itself if work remains.
//   * Alarms: our own deadline heap; one timerfd holds the earliest deadline.
//     timerfd_settime() is thread-safe, so arming from any thread needs no
//     round trip through the task.  The timerfd is watched with async_wait.
//     An alarm armed for a deadline that has already passed skips the
//     timerfd: a "fire due alarms" handler is posted instead.
//   * fd watches: asio's epoll reactor is edge-triggered and async_wait()
//     does not check readiness when it starts, so the level-triggered
//     contract is built on top: before waiting, the task thread poll()s the
//     fd with a zero timeout and dispatches at once when it is ready.  Edges
//     the reactor sees while no wait is queued are harmless, because they
//     happen before that poll (the reactor only runs on this same thread,
//     between handlers).
#include "event_task.hpp"

#include "clock.hpp"
#include "log.hpp"
#include "test_hooks.hpp"

#include <boost/asio/post.hpp>

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <vector>

namespace mte {

std::atomic<void (*)(const void *)> test_hooks::before_idle_wait{nullptr};
std::atomic<void (*)(const void *)> test_hooks::after_shutdown_marked{nullptr};

namespace {

void call_hook(const std::atomic<void (*)(const void *)> &hook, const void *arg)
{
	if (auto fn = hook.load(std::memory_order_acquire))
		fn(arg);
}

thread_local EventTask *t_current_task = nullptr;

std::mutex g_tasks_mu;
std::unordered_set<EventTask *> *g_tasks = new std::unordered_set<EventTask *>; // never freed

constexpr uint32_t kRequestable = SYS_FD_IN | SYS_FD_OUT;

} // namespace

EventTask::EventTask(const char *name, sys_call_cb wake_cb, void *wake_arg)
    : name_(name ? name : "task"), wake_cb_(wake_cb), wake_arg_(wake_arg)
{
}

EventTask::~EventTask()
{
	// Normally destroy() has already torn everything down; this covers a
	// task whose creation failed half-way.  The descriptor goes before the
	// io_context it is registered with.
	timer_desc_.reset();
	work_.reset();
	io_.reset();
}

int EventTask::create(const char *name, sys_call_cb wake_cb, void *wake_arg, EventTask **out)
{
	if (!out)
		return -EINVAL;
	std::shared_ptr<EventTask> t;
	try {
		t.reset(new EventTask(name, wake_cb, wake_arg));
		// Hint 1: only the task thread runs this context (posting from
		// other threads stays safe).
		t->io_ = std::make_unique<boost::asio::io_context>(1);
		t->work_.emplace(t->io_->get_executor());
		int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
		if (tfd < 0)
			return -errno;
		try {
			t->timer_desc_.emplace(*t->io_, tfd); // owns and closes the timerfd
		} catch (...) {
			::close(tfd);
			throw;
		}
		t->timer_fd_ = tfd;
	} catch (const std::bad_alloc &) {
		return -ENOMEM;
	} catch (const boost::system::system_error &e) {
		return e.code().value() > 0 ? -e.code().value() : -EIO;
	}
	t->self_ = t;
	{
		std::lock_guard lk(g_tasks_mu);
		g_tasks->insert(t.get());
	}
	// Published before the thread starts: callbacks may use the handle.
	*out = t.get();
	int rc = HostThread::start(t->name_.c_str(), thread_main, t.get(), &t->thread_);
	if (rc != 0) {
		*out = nullptr;
		{
			std::lock_guard lk(g_tasks_mu);
			g_tasks->erase(t.get());
		}
		t->self_.reset();
		return rc;
	}
	return 0;
}

void *EventTask::thread_main(void *self)
{
	auto *t = static_cast<EventTask *>(self);
	t_current_task = t;
	t->start_timer_wait();
	try {
		t->io_->run();
	} catch (const std::exception &e) {
		log::fatal("mte/event_task", e.what());
	}
	t_current_task = nullptr;
	return nullptr;
}

EventTask *EventTask::current()
{
	return t_current_task;
}

void EventTask::destroy()
{
	if (on_own_thread())
		log::fatal("mte/task_destroy", "task_destroy called from the task's own thread");
	std::shared_ptr<EventTask> keep = self_; // we may drop the last outside reference below
	{
		std::lock_guard lk(mu_);
		if (shutdown_)
			return;
		shutdown_ = true;
		// Pending work is dropped, never run.
		for (CallQueue &q : queues_)
			while (CallNode *c = q.pop_front())
				if (c->oneshot)
					delete c;
		alarms_.clear([](HeapNode *) {});
	}
	call_hook(test_hooks::after_shutdown_marked, this);
	// A running callback finishes; run() returns before the next handler.
	io_->stop();
	thread_->join(nullptr);
	thread_ = nullptr;
	{
		std::lock_guard lk(mu_);
		// The thread is gone, so its descriptors may be handled from here.
		for (FdWatch *w : std::vector<FdWatch *>(watches_.begin(), watches_.end()))
			teardown_locked(w);
		running_ = nullptr;
		if (waiters_)
			idle_cv_.notify_all();
	}
	timer_desc_.reset();
	timer_fd_ = -1;
	work_.reset();
	// Destroys handlers that never ran (they may hold FdWatch references).
	io_.reset();
	{
		std::lock_guard lk(g_tasks_mu);
		g_tasks->erase(this);
	}
	self_.reset();
}

size_t EventTask::destroy_all()
{
	std::vector<EventTask *> tasks;
	{
		std::lock_guard lk(g_tasks_mu);
		tasks.assign(g_tasks->begin(), g_tasks->end());
	}
	for (EventTask *t : tasks)
		t->destroy();
	return tasks.size();
}

// Run one callback with the lock dropped, then account for it.  `obj` must
// not be dereferenced after fn() unless someone is waiting to cancel it
// (the callback may have freed its own object).
template <typename F> void EventTask::run_callback(std::unique_lock<std::mutex> &lk, Kind kind, const void *obj, F &&fn)
{
	running_ = obj;
	running_kind_ = kind;
	lk.unlock();
	fn();
	lk.lock();
	if (running_cancel_) {
		// A canceller on another thread keeps `obj` alive.  If the callback
		// re-queued its own object, undo that now: the canceller must find
		// it neither running nor pending, and we must not pick it up again
		// before it gets the lock.
		if (kind == Kind::call) {
			auto *c = static_cast<CallNode *>(const_cast<void *>(obj));
			if (c->queued)
				queues_[c->prio].unlink(c);
		} else if (kind == Kind::alarm) {
			auto *a = static_cast<Alarm *>(const_cast<void *>(obj));
			if (a->queued())
				alarms_.remove(a);
		}
	}
	running_ = nullptr;
	running_kind_ = Kind::none;
	running_cancel_ = false;
	if (waiters_)
		idle_cv_.notify_all();
}

void EventTask::wait_until_idle(std::unique_lock<std::mutex> &lk, const void *obj)
{
	// On the task thread the object is either idle or this is its own
	// callback: never wait (it would deadlock).
	if (on_own_thread())
		return;
	while (running_ == obj) {
		running_cancel_ = true;
		call_hook(test_hooks::before_idle_wait, obj);
		++waiters_;
		idle_cv_.wait(lk);
		--waiters_;
	}
}

// ---- calls -------------------------------------------------------------------

void EventTask::post_drain_locked()
{
	if (drain_posted_)
		return;
	drain_posted_ = true;
	boost::asio::post(*io_, [this] { drain_calls(); });
}

void EventTask::drain_calls()
{
	std::unique_lock lk(mu_);
	drain_posted_ = false;
	for (int n = 0; n < kBatch && !shutdown_; n++) {
		CallNode *c = queues_[SYS_PRIO_NORMAL].pop_front();
		if (!c)
			c = queues_[SYS_PRIO_LOW].pop_front();
		if (!c)
			break;
		sys_call_cb cb = c->cb;
		void *arg = c->arg;
		if (c->oneshot) {
			run_callback(lk, Kind::oneshot, c, [&] { cb(arg); });
			delete c; // task_post items belong to the task
		} else {
			run_callback(lk, Kind::call, c, [&] { cb(arg); });
		}
	}
	if (!shutdown_ && (!queues_[0].empty() || !queues_[1].empty()))
		post_drain_locked();
}

int EventTask::call_post(CallNode *c)
{
	std::lock_guard lk(mu_);
	if (shutdown_)
		return -ESHUTDOWN;
	if (c->queued)
		return 0;
	queues_[c->prio].push_back(c);
	post_drain_locked();
	return 1;
}

int EventTask::call_cancel(CallNode *c)
{
	std::unique_lock lk(mu_);
	int was = c->queued ? 1 : 0;
	if (was)
		queues_[c->prio].unlink(c);
	wait_until_idle(lk, c);
	return was;
}

int EventTask::post_oneshot(int prio, sys_call_cb cb, void *arg)
{
	auto *c = new (std::nothrow) CallNode;
	if (!c)
		return -ENOMEM;
	c->cb = cb;
	c->arg = arg;
	c->prio = prio;
	c->oneshot = true;
	std::lock_guard lk(mu_);
	if (shutdown_) {
		delete c;
		return -ESHUTDOWN;
	}
	queues_[prio].push_back(c);
	post_drain_locked();
	return 0;
}

// ---- wake ----------------------------------------------------------------------

void EventTask::wake()
{
	// Only the first wake since the last run posts a handler.
	if (wake_pending_.exchange(true, std::memory_order_acq_rel))
		return;
	std::lock_guard lk(mu_);
	if (!shutdown_)
		boost::asio::post(*io_, [this] { on_wake(); });
}

void EventTask::on_wake()
{
	// Cleared before the callback runs: a wake that arrives while it runs
	// posts one more run.
	wake_pending_.store(false, std::memory_order_release);
	std::unique_lock lk(mu_);
	if (shutdown_ || !wake_cb_)
		return;
	run_callback(lk, Kind::wake, &wake_cb_, [this] { wake_cb_(wake_arg_); });
}

// ---- alarms --------------------------------------------------------------------

void EventTask::program_timer_locked()
{
	HeapNode *top = alarms_.top();
	if (!top)
		return;
	// A timerfd value of 0 means "disarm": a deadline of 0 becomes 1 ns,
	// which is equally in the past.
	uint64_t deadline = top->deadline ? top->deadline : 1;
	// Only move the timer earlier.  When the earliest alarm went away or got
	// later, the timer fires early once and on_timer() re-programs it: that
	// saves a syscall on every cancel.
	if (deadline >= timer_programmed_)
		return;
	timer_programmed_ = deadline;
	itimerspec its{};
	its.it_value.tv_sec = time_t(deadline / 1'000'000'000u);
	its.it_value.tv_nsec = long(deadline % 1'000'000'000u);
	if (timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &its, nullptr) != 0)
		log::fatal("mte/alarm", "timerfd_settime failed");
}

void EventTask::start_timer_wait()
{
	timer_desc_->async_wait(boost::asio::posix::stream_descriptor::wait_read,
				[this](const boost::system::error_code &ec) { on_timer(ec); });
}

void EventTask::on_timer(const boost::system::error_code &ec)
{
	if (ec)
		return; // aborted: the task is going away
	uint64_t expirations;
	// Clear the readiness; EAGAIN (already re-programmed) is fine.
	[[maybe_unused]] ssize_t n = ::read(timer_fd_, &expirations, sizeof expirations);
	{
		std::lock_guard lk(mu_);
		timer_programmed_ = UINT64_MAX; // one-shot: it is no longer set
	}
	fire_due_alarms();
	start_timer_wait();
}

void EventTask::post_fire_due_locked()
{
	if (fire_due_posted_)
		return;
	fire_due_posted_ = true;
	boost::asio::post(*io_, [this] {
		{
			std::lock_guard lk(mu_);
			fire_due_posted_ = false;
		}
		fire_due_alarms();
	});
}

void EventTask::fire_due_alarms()
{
	std::unique_lock lk(mu_);
	const uint64_t now = mono_ns();
	for (int fired = 0; fired < kBatch && !shutdown_; fired++) {
		HeapNode *top = alarms_.top();
		if (!top || top->deadline > now)
			break;
		alarms_.pop();
		auto *a = static_cast<Alarm *>(top);
		sys_alarm_cb cb = a->cb;
		void *arg = a->arg;
		run_callback(lk, Kind::alarm, a, [&] { cb(arg); });
	}
	if (shutdown_)
		return;
	HeapNode *top = alarms_.top();
	if (top && top->deadline <= now)
		post_fire_due_locked(); // the batch ran out: continue after other work had a turn
	else
		program_timer_locked();
}

int EventTask::alarm_arm(Alarm *a, uint64_t deadline_ns)
{
	std::lock_guard lk(mu_);
	if (shutdown_)
		return -ESHUTDOWN;
	int was = a->queued() ? 1 : 0;
	if (was)
		alarms_.remove(a);
	alarms_.push(a, deadline_ns);
	if (alarms_.top() == a) {
		// Already due (the common "run this soon" case): skip the timerfd
		// round trip through the kernel and post straight to the task.
		if (deadline_ns <= mono_ns())
			post_fire_due_locked();
		else
			program_timer_locked();
	}
	return was;
}

int EventTask::alarm_cancel(Alarm *a)
{
	std::unique_lock lk(mu_);
	int was = a->queued() ? 1 : 0;
	if (was)
		alarms_.remove(a);
	wait_until_idle(lk, a);
	return was;
}

// ---- fd watches ----------------------------------------------------------------

int EventTask::watch_start(FdWatch *w)
{
	int dupfd = fcntl(w->fd, F_DUPFD_CLOEXEC, 0);
	if (dupfd < 0)
		return -errno;
	std::lock_guard lk(mu_);
	if (shutdown_) {
		::close(dupfd);
		return -ESHUTDOWN;
	}
	try {
		// Registering with the reactor is thread-safe; from here on only
		// the task thread touches the descriptor.
		w->desc.emplace(*io_, dupfd);
	} catch (const boost::system::system_error &e) {
		::close(dupfd);
		return e.code().value() > 0 ? -e.code().value() : -EIO;
	}
	watches_.insert(w);
	if (w->events)
		schedule_evaluate_locked(w);
	return 0;
}

int EventTask::watch_modify(FdWatch *w, uint32_t events)
{
	std::lock_guard lk(mu_);
	if (shutdown_)
		return -ESHUTDOWN;
	if (w->destroyed)
		return -EINVAL;
	w->events = events & kRequestable;
	if (w->events)
		schedule_evaluate_locked(w);
	return 0;
}

void EventTask::schedule_evaluate_locked(FdWatch *w)
{
	if (w->eval_posted || shutdown_ || w->destroyed)
		return;
	w->eval_posted = true;
	boost::asio::post(*io_, [this, sp = w->shared_from_this()] {
		{
			std::lock_guard lk(mu_);
			sp->eval_posted = false;
		}
		evaluate(sp);
	});
}

// Task thread: call back if the fd is ready now, else wait for the reactor.
// Every use of the descriptor happens under the task lock, so that
// fd_watch_destroy can take it out of the reactor from any thread without a
// round trip through the task (and without waiting for unrelated callbacks).
void EventTask::evaluate(const std::shared_ptr<FdWatch> &sp)
{
	FdWatch *w = sp.get();
	std::unique_lock lk(mu_);
	if (shutdown_ || w->destroyed || !w->events)
		return;
	const uint32_t events = w->events;

	// A zero-timeout poll of our dup: cheap, and it cannot block.
	pollfd p{w->desc->native_handle(), short(events), 0};
	int r;
	do
		r = ::poll(&p, 1, 0);
	while (r < 0 && errno == EINTR);
	if (r > 0) {
		uint32_t revents = uint32_t(p.revents) & (events | SYS_FD_ERR | SYS_FD_HUP);
		if (p.revents & POLLNVAL)
			revents |= SYS_FD_ERR;
		if (revents) {
			sys_fd_cb cb = w->cb;
			void *arg = w->arg;
			int fd = w->fd;
			run_callback(lk, Kind::watch, w, [&] { cb(arg, fd, revents); });
		}
		// Level-triggered: look again after other work had a turn (this
		// does nothing if the callback paused or removed the watch).
		schedule_evaluate_locked(w);
		return;
	}

	using sd = boost::asio::posix::stream_descriptor;
	auto on_ready = [this, sp](bool FdWatch::*outstanding) {
		return [this, sp, outstanding](const boost::system::error_code &ec) {
			{
				std::lock_guard lk2(mu_);
				(*sp).*outstanding = false;
			}
			if (ec == boost::asio::error::operation_aborted)
				return;
			if (ec) {
				log::logf(SYS_LOG_ERROR, "fd watch on fd {} of task {}: {}", sp->fd, name_,
					  ec.message());
				return;
			}
			evaluate(sp);
		};
	};
	if ((events & SYS_FD_IN) && !w->wait_in) {
		w->wait_in = true;
		w->desc->async_wait(sd::wait_read, on_ready(&FdWatch::wait_in));
	}
	if ((events & SYS_FD_OUT) && !w->wait_out) {
		w->wait_out = true;
		w->desc->async_wait(sd::wait_write, on_ready(&FdWatch::wait_out));
	}
}

// Take the descriptor out of the reactor and close our dup.  Any thread,
// with the lock held and the watch's callback not running.
void EventTask::teardown_locked(FdWatch *w)
{
	if (w->torn_down)
		return;
	if (w->desc) {
		// release(), not close(): close() would leave the epoll entry
		// behind, since the caller's fd keeps the open file alive.
		// Outstanding waits complete (later, on the task thread) with
		// operation_aborted; their handlers hold a reference to the watch.
		int fd = w->desc->release();
		if (fd >= 0)
			::close(fd);
		w->desc.reset();
	}
	watches_.erase(w);
	w->torn_down = true;
}

void EventTask::watch_destroy(FdWatch *w)
{
	std::unique_lock lk(mu_);
	// From here on evaluate() never calls back.  Only a callback already
	// running may still be in flight: wait for it (unless it is ours), as
	// alarm and call cancellation do.
	w->destroyed = true;
	wait_until_idle(lk, w);
	teardown_locked(w);
}

} // namespace mte
