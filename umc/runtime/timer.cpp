// timer.cpp - kernel timers on the softirq event task (umc/timer.h).
//
// One sys_service task ("ksoftirqd") and one alarm on it, armed for the
// earliest pending timer.  Pending timers are kept by address in a map and
// in deadline order; nothing is kept for idle timers, so the kernel side's
// timer_list needs no destructor.  `running` names the timer whose callback
// is executing so that del_timer_sync can wait for exactly that one.
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <tuple>
#include <unordered_map>

#include "runtime.hpp"
#include "umc/time.h"
#include "umc/timer.h"

namespace umc {
namespace {

struct Pending {
	umc_timer_fn fn;
	uint64_t deadline;
	uint64_t seq;
};

using Key = std::tuple<uint64_t, uint64_t, void *>; // deadline, arming order, timer

struct Engine {
	std::mutex mu;
	std::condition_variable done; // a callback finished
	std::unordered_map<const void *, Pending> pending;
	std::set<Key> order;
	void *running = nullptr;
	uint64_t seq = 0;
	uint64_t armed_for = UINT64_MAX;
	sys_task_t *task = nullptr;
	sys_alarm_t *alarm = nullptr;
};

Engine *g_engine = nullptr;

Engine &engine()
{
	if (!g_engine)
		fatal(UMC_WHERE, "timers used before umc_runtime_init()");
	return *g_engine;
}

// Caller holds e.mu.
void arm_locked(Engine &e, uint64_t deadline)
{
	if (deadline < e.armed_for) {
		e.armed_for = deadline;
		sys().alarm_arm(e.alarm, deadline);
	}
}

// Caller holds e.mu.  True if the timer was pending.
bool remove_locked(Engine &e, const void *timer)
{
	auto it = e.pending.find(timer);
	if (it == e.pending.end())
		return false;
	e.order.erase(Key{it->second.deadline, it->second.seq, const_cast<void *>(timer)});
	e.pending.erase(it);
	return true;
}

void softirq(void *arg)
{
	auto &e = *static_cast<Engine *>(arg);
	std::unique_lock lk(e.mu);
	e.armed_for = UINT64_MAX;
	while (!e.order.empty()) {
		auto [deadline, seq, timer] = *e.order.begin();
		uint64_t now = sys().time_mono_ns();
		if (deadline > now) {
			arm_locked(e, deadline);
			break;
		}
		umc_timer_fn fn = e.pending[timer].fn;
		remove_locked(e, timer);
		e.running = timer;
		lk.unlock();
		fn(timer);
		lk.lock();
		e.running = nullptr;
		e.done.notify_all();
	}
}

} // namespace

int timers_init()
{
	auto *e = new Engine;
	const sys_service &s = sys();
	int err = s.task_create(&e->task, "ksoftirqd", nullptr, nullptr);
	if (err) {
		delete e;
		return err;
	}
	err = s.alarm_create(&e->alarm, e->task, softirq, e);
	if (err) {
		s.task_destroy(e->task);
		delete e;
		return err;
	}
	g_engine = e;
	return 0;
}

void timers_exit()
{
	Engine *e = g_engine;
	if (!e)
		return;
	{
		std::lock_guard lk(e->mu);
		if (!e->pending.empty())
			log(SYS_LOG_ERROR, "%zu timer(s) still pending at runtime exit; dropped", e->pending.size());
		e->pending.clear();
		e->order.clear();
	}
	sys().alarm_destroy(e->alarm);
	sys().task_destroy(e->task);
	g_engine = nullptr;
	delete e;
}

} // namespace umc

using namespace umc;

extern "C" int umc_timer_mod(void *timer, unsigned long expires, umc_timer_fn fn)
{
	Engine &e = engine();
	uint64_t deadline = umc_jiffies_to_mono_ns(expires);
	std::lock_guard lk(e.mu);
	bool was = remove_locked(e, timer);
	uint64_t seq = ++e.seq;
	e.pending[timer] = Pending{fn, deadline, seq};
	e.order.insert(Key{deadline, seq, timer});
	arm_locked(e, deadline);
	return was;
}

extern "C" bool umc_timer_pending(const void *timer)
{
	Engine &e = engine();
	std::lock_guard lk(e.mu);
	return e.pending.count(timer) != 0;
}

extern "C" int umc_timer_del(void *timer)
{
	Engine &e = engine();
	std::lock_guard lk(e.mu);
	return remove_locked(e, timer);
}

extern "C" int umc_timer_del_sync(void *timer)
{
	Engine &e = engine();
	std::unique_lock lk(e.mu);
	bool was = remove_locked(e, timer);
	// From the softirq thread the callback cannot be running elsewhere: it
	// is either us (own callback: do not wait) or nothing.
	if (sys().task_current() != e.task)
		e.done.wait(lk, [&] { return e.running != timer; });
	return was;
}

namespace umc {
// The softirq event task, for other runtime parts that need callbacks
// there (socket listen watches).
sys_task_t *softirq_task()
{
	return engine().task;
}
} // namespace umc
