// event_task.hpp - an event task (sys_task_t): one host thread running one
// Boost.Asio io_context, plus the objects that live on a task: scheduled
// calls (sys_call_t), one-shot alarms (sys_alarm_t) and fd watches
// (sys_fd_watch_t).
//
// Threading model
//   * All callbacks of a task run on its thread, one at a time.  The task
//     lock `mu_` guards every piece of shared state (queues, the alarm heap,
//     watch flags, and the identity of the callback that is running).  No
//     callback ever runs with the lock held.
//   * Cancel and destroy from another thread wait on `idle_cv_` until the
//     object's callback is no longer running (and only then: never for other
//     callbacks); from the task thread they never wait (either it is the
//     object's own callback or the object is idle).
//   * Objects on a task hold a shared_ptr to it, so after task_destroy they
//     stay valid (inert) handles until their owners destroy them.
#pragma once

#include "call_queue.hpp"
#include "deadline_heap.hpp"
#include "host_thread.hpp"
#include "mte/sys_service.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>

namespace mte {

class EventTask;

// A re-postable scheduled callback.
struct Call : CallNode {
	std::shared_ptr<EventTask> task;
};

// A re-armable one-shot alarm at an absolute CLOCK_MONOTONIC deadline.
struct Alarm : HeapNode {
	std::shared_ptr<EventTask> task;
	sys_alarm_cb cb = nullptr;
	void *arg = nullptr;
};

// Readiness interest in one fd.  Shared-owned: asio completion handlers keep
// it alive until they have run (or been destroyed with the io_context), so a
// removal never leaves a handler pointing at freed memory.
struct FdWatch : std::enable_shared_from_this<FdWatch> {
	std::shared_ptr<EventTask> task;
	std::shared_ptr<FdWatch> owner_ref; // the caller's reference, dropped by destroy
	int fd = -1;                        // the caller's fd (reported to cb, never closed)
	sys_fd_cb cb = nullptr;
	void *arg = nullptr;

	// All guarded by the task lock (the descriptor too: asio objects are
	// not thread-safe, and destroy may come from any thread).
	uint32_t events = 0;      // SYS_FD_IN | SYS_FD_OUT
	bool destroyed = false;   // fd_watch_destroy has started: never call cb again
	bool torn_down = false;   // our descriptor is out of the reactor and closed
	bool eval_posted = false; // an evaluate() is queued on the task
	bool wait_in = false;     // an async_wait(wait_read) is outstanding
	bool wait_out = false;    // an async_wait(wait_write) is outstanding
	// Wraps a dup of `fd`: several watches may share one fd, and the
	// caller's fd is never touched.
	std::optional<boost::asio::posix::stream_descriptor> desc;
};

class EventTask : public std::enable_shared_from_this<EventTask> {
public:
	static int create(const char *name, sys_call_cb wake_cb, void *wake_arg, EventTask **out);
	// task_destroy: drop pending work, finish the running callback, join.
	void destroy();
	~EventTask();
	// The task whose thread is calling, or nullptr.
	static EventTask *current();
	// task_destroy on every task still alive (sys_service_close); returns how many.
	static size_t destroy_all();

	void wake();
	const std::string &name() const { return name_; }

	int call_post(CallNode *call);
	int call_cancel(CallNode *call);
	int post_oneshot(int prio, sys_call_cb cb, void *arg);

	int alarm_arm(Alarm *alarm, uint64_t deadline_ns);
	int alarm_cancel(Alarm *alarm);

	int watch_start(FdWatch *watch);
	int watch_modify(FdWatch *watch, uint32_t events);
	void watch_destroy(FdWatch *watch);

private:
	// What the running callback belongs to (for cancel-while-running).
	enum class Kind { none, call, oneshot, alarm, watch, wake };
	// At most this many callbacks per asio handler, so calls, alarms and fds
	// take turns instead of one kind starving the others.
	static constexpr int kBatch = 64;

	EventTask(const char *name, sys_call_cb wake_cb, void *wake_arg);
	static void *thread_main(void *self);

	template <typename F> void run_callback(std::unique_lock<std::mutex> &lk, Kind kind, const void *obj, F &&fn);
	void wait_until_idle(std::unique_lock<std::mutex> &lk, const void *obj);
	bool on_own_thread() const { return current() == this; }

	void post_drain_locked();
	void drain_calls();
	void on_wake();

	void program_timer_locked();
	void start_timer_wait();
	void on_timer(const boost::system::error_code &ec);
	void post_fire_due_locked();
	void fire_due_alarms();

	void schedule_evaluate_locked(FdWatch *watch);
	void evaluate(const std::shared_ptr<FdWatch> &watch);
	void teardown_locked(FdWatch *watch);

	const std::string name_;
	const sys_call_cb wake_cb_;
	void *const wake_arg_;
	std::shared_ptr<EventTask> self_; // the task handle's reference

	std::unique_ptr<boost::asio::io_context> io_;
	std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
	int timer_fd_ = -1; // timerfd (CLOCK_MONOTONIC) for the earliest alarm
	std::optional<boost::asio::posix::stream_descriptor> timer_desc_;
	HostThread *thread_ = nullptr;

	std::mutex mu_;
	std::condition_variable idle_cv_;
	unsigned waiters_ = 0; // threads blocked on idle_cv_
	bool shutdown_ = false;
	CallQueue queues_[2]; // SYS_PRIO_NORMAL, SYS_PRIO_LOW
	bool drain_posted_ = false;
	DeadlineHeap alarms_;
	uint64_t timer_programmed_ = UINT64_MAX; // deadline the timerfd is set to
	bool fire_due_posted_ = false;           // a fire_due_alarms() is queued
	std::unordered_set<FdWatch *> watches_;
	const void *running_ = nullptr; // object whose callback runs now
	Kind running_kind_ = Kind::none;
	bool running_cancel_ = false; // someone waits to cancel the running object
	std::atomic<bool> wake_pending_{false};
};

} // namespace mte
