// task.cpp - tasks, `current`, kthreads and sleeping (umc/task.h).
//
// A task's host part is struct umc_task (task.hpp); the kernel side's
// task_struct is a separately allocated "ktask" made by the registered
// hooks.  `current` is a thread_local pointer.  Threads umc did not create
// get a task on first use, dropped by a thread_local destructor when the
// thread ends, or at runtime exit if the thread is still alive then (an
// mte task thread that completed a bio, a libfuse worker): its allocator
// goes with the runtime.  Such a thread that calls in again gets a fresh
// task (tl_epoch).
#include "task.hpp"

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <pthread.h>
#include <string>
#include <unistd.h>
#include <unordered_map>
#include <vector>

#include "futex.hpp"
#include "runtime.hpp"
#include "umc/runtime.h"
#include "umc/time.h"

namespace umc {
namespace {

umc_task_hooks g_hooks{};
std::atomic<int> g_next_pid{1};
std::atomic<int> g_live_kthreads{0};

// kthreads whose fn returned and that nobody joined yet; joined on the next
// kthread_create, by kthread_stop, or at runtime exit.
std::mutex g_zombie_mu;
std::vector<umc_task *> g_zombies;
std::condition_variable g_zombie_added; // a kthread became a zombie

thread_local umc_task *tl_task = nullptr;
// The runtime session tl_task belongs to: a task of an earlier session was
// released by its runtime exit and is never used again.
std::atomic<uint64_t> g_epoch{1};
thread_local uint64_t tl_epoch = 0;

constexpr size_t kKtaskHeader = 64;

struct AttachGuard;
// The tasks of host threads that attached, by their thread's guard.  The
// task is put by whoever removes the entry, under the lock: the thread's
// guard when it ends, or tasks_exit for threads still alive then.
std::mutex g_attached_mu;
std::unordered_map<const AttachGuard *, umc_task *> g_attached;

// Drops an attached task when its thread ends.  Constructed on first use
// (attach touches it), so threads that never attach pay nothing.
struct AttachGuard {
	bool armed = false;
	~AttachGuard()
	{
		if (!armed)
			return;
		armed = false;
		// Only host threads attach: tl_task is this thread's attached task
		// (or one released at runtime exit: not to be touched).
		rcu_thread_offline();
		tl_task = nullptr;
		std::lock_guard lk(g_attached_mu);
		auto it = g_attached.find(this);
		if (it == g_attached.end())
			return; // released by the runtime's exit
		umc_task_put(it->second);
		g_attached.erase(it);
	}
};
thread_local AttachGuard tl_guard;

umc_task *task_make(const char *name, bool kthread)
{
	auto *t = new (std::nothrow) umc_task;
	if (!t)
		return nullptr;
	t->pid = g_next_pid.fetch_add(1, std::memory_order_relaxed);
	std::strncpy(t->comm, name ? name : "?", UMC_TASK_COMM_LEN - 1);
	t->kthread = kthread;
	// Kernel threads start with every signal ignored; attached threads
	// stand for user processes and take them all.
	t->sig_allowed.store(kthread ? 0 : ~0ull, std::memory_order_relaxed);
	t->caps.store(kthread || geteuid() == 0 ? ~0ull : 0, std::memory_order_relaxed);
	if (g_hooks.ktask_size) {
		// A cache line in front of the ktask holds the way back to us.
		auto *base = static_cast<char *>(
			sys().mem_zalloc(kKtaskHeader + g_hooks.ktask_size, kKtaskHeader, "umc:task_struct"));
		if (!base) {
			delete t;
			return nullptr;
		}
		*reinterpret_cast<umc_task **>(base) = t;
		t->ktask = base + kKtaskHeader;
	}
	return t;
}

void task_init_ktask(umc_task *t)
{
	if (t->ktask && g_hooks.ktask_init)
		g_hooks.ktask_init(t->ktask, t, t->comm, t->pid);
}

umc_task *attach()
{
	char name[UMC_TASK_COMM_LEN] = "host";
	const sys_service &s = sys();
	if (sys_thread_t *self = s.thread_self())
		std::strncpy(name, s.thread_name(self), sizeof name - 1);
	else
		pthread_getname_np(pthread_self(), name, sizeof name);
	umc_task *t = task_make(name, false);
	if (!t)
		fatal(UMC_WHERE, "out of memory attaching a task");
	tl_task = t;
	tl_epoch = g_epoch.load(std::memory_order_acquire);
	tl_guard.armed = true;
	{
		std::lock_guard lk(g_attached_mu);
		auto [it, fresh] = g_attached.try_emplace(&tl_guard, t);
		if (!fresh) {
			// A guard at this address whose destructor never ran (its
			// thread attached again while its thread-locals were being
			// destroyed): that task is done with.
			umc_task_put(it->second);
			it->second = t;
		}
	}
	task_init_ktask(t);
	rcu_thread_online();
	return t;
}

void reap(umc_task *t)
{
	void *res = nullptr;
	sys().thread_join(t->thread, &res);
	t->thread = nullptr;
	umc_task_put(t); // the thread's own reference
}

void reap_zombies()
{
	std::vector<umc_task *> z;
	{
		std::lock_guard lk(g_zombie_mu);
		z.swap(g_zombies);
	}
	for (umc_task *t : z)
		reap(t);
}

void *kthread_main(void *arg)
{
	auto *t = static_cast<umc_task *>(arg);
	tl_task = t;
	tl_epoch = g_epoch.load(std::memory_order_acquire);
	rcu_thread_online();
	// Created stopped: sleep until the first wake_up_process (or kthread_stop).
	task_sleep(t, 0);
	int ret = -EINTR;
	if (!t->should_stop.load(std::memory_order_acquire))
		ret = t->fn(t->data);
	t->result = ret;
	rcu_thread_offline();
	tl_task = nullptr;
	{
		std::lock_guard lk(g_zombie_mu);
		g_live_kthreads.fetch_sub(1, std::memory_order_relaxed);
		g_zombies.push_back(t);
	}
	g_zombie_added.notify_all();
	// After this store the task may be reaped at any moment: touch nothing
	// but the futex word (the reaper's join waits for us to return).
	t->exited.store(1, std::memory_order_release);
	futex_wake(&t->exited, INT32_MAX);
	return nullptr;
}

} // namespace

// tl_task, unless it is from an earlier runtime session.
inline umc_task *own_task()
{
	umc_task *t = tl_task;
	return t && tl_epoch == g_epoch.load(std::memory_order_acquire) ? t : nullptr;
}

umc_task *current_or_null()
{
	return own_task();
}

bool task_sleep(umc_task *t, uint64_t deadline_ns)
{
	for (;;) {
		uint32_t s = t->state.load(std::memory_order_seq_cst);
		if (s == UMC_TASK_RUNNING)
			return false;
		if ((s & UMC_TASK_INTERRUPTIBLE) && t->sig_pending.load(std::memory_order_seq_cst)) {
			t->state.store(UMC_TASK_RUNNING, std::memory_order_seq_cst);
			return false;
		}
		if (futex_wait(&t->state, s, deadline_ns) == -ETIMEDOUT) {
			t->state.store(UMC_TASK_RUNNING, std::memory_order_seq_cst);
			return true;
		}
	}
}

void task_signal_wake(umc_task *t)
{
	umc_task_wake(t, UMC_TASK_INTERRUPTIBLE);
}

void tasks_exit()
{
	// A kthread whose function is returning (it woke its waiter a moment
	// ago) gets a moment to finish, as a module's exit waits for the
	// threads it stops; one still running after that is reported.
	{
		std::unique_lock lk(g_zombie_mu);
		g_zombie_added.wait_for(lk, std::chrono::seconds(2), [] { return g_live_kthreads.load() == 0; });
	}
	reap_zombies();
	if (int n = g_live_kthreads.load())
		log(SYS_LOG_ERROR, "%d kernel thread(s) still running at runtime exit", n);
	// The booting thread's task goes with the runtime (it may boot again),
	// and so do those of host threads that are still alive: their
	// ktasks come from the runtime's allocator.  A thread that calls in
	// later gets a new task (the epoch changes).
	if (umc_task *t = own_task(); t && !t->kthread) {
		rcu_thread_offline();
		tl_task = nullptr;
	}
	std::string alive;
	size_t n = 0;
	{
		std::lock_guard lk(g_attached_mu);
		for (auto &[guard, t] : g_attached) {
			if (guard != &tl_guard && n++ < 8)
				alive += std::string(alive.empty() ? "" : ", ") + t->comm;
			umc_task_put(t);
		}
		g_attached.clear();
	}
	g_epoch.fetch_add(1, std::memory_order_release);
	if (n)
		log(SYS_LOG_DEBUG, "released the tasks of %zu host thread(s) still alive: %s", n, alive.c_str());
}

// The kernel side's sched_submit_work() (umc_task_hooks.before_sleep).
void before_sleep()
{
	if (g_hooks.before_sleep) {
		void *k = umc_current()->ktask;
		if (k)
			g_hooks.before_sleep(k);
	}
}

} // namespace umc

using namespace umc;

extern "C" void umc_task_set_hooks(const struct umc_task_hooks *hooks)
{
	g_hooks = hooks ? *hooks : umc_task_hooks{};
}

extern "C" struct umc_task *umc_current(void)
{
	umc_task *t = own_task();
	return t ? t : attach();
}

extern "C" void *umc_current_kernel(void)
{
	return umc_current()->ktask;
}

extern "C" void *umc_task_kernel(const struct umc_task *task)
{
	return task->ktask;
}

extern "C" struct umc_task *umc_task_from_kernel(const void *ktask)
{
	if (!ktask)
		return nullptr;
	return *reinterpret_cast<umc_task *const *>(static_cast<const char *>(ktask) - kKtaskHeader);
}

extern "C" void umc_task_get(struct umc_task *task)
{
	task->refs.fetch_add(1, std::memory_order_relaxed);
}

extern "C" void umc_task_put(struct umc_task *task)
{
	if (task->refs.fetch_sub(1, std::memory_order_acq_rel) != 1)
		return;
	if (task->ktask) {
		if (g_hooks.ktask_release)
			g_hooks.ktask_release(task->ktask);
		sys().mem_free(static_cast<char *>(task->ktask) - kKtaskHeader);
	}
	task_close_signal_fd(task);
	delete task;
}

extern "C" void umc_task_set_caps(struct umc_task *task, uint64_t caps)
{
	task->caps.store(caps);
}
extern "C" void umc_current_set_caps(uint64_t caps)
{
	umc_task_set_caps(umc_current(), caps);
}
extern "C" uint64_t umc_task_caps(const struct umc_task *task)
{
	return task->caps.load();
}
extern "C" bool umc_capable(int cap)
{
	return cap >= 0 && cap < 64 && (umc_current()->caps.load() >> cap) & 1;
}

extern "C" int umc_task_pid(const struct umc_task *task)
{
	return task->pid;
}
extern "C" const char *umc_task_comm(const struct umc_task *task)
{
	return task->comm;
}
extern "C" bool umc_task_is_kthread(const struct umc_task *task)
{
	return task->kthread;
}

extern "C" struct umc_task *umc_kthread_create(int (*fn)(void *), void *data, const char *name, int *err)
{
	reap_zombies();
	umc_task *t = task_make(name, true);
	if (!t) {
		if (err)
			*err = -ENOMEM;
		return nullptr;
	}
	t->fn = fn;
	t->data = data;
	// Stopped until woken, like a fresh kthread parked in kthread().
	t->state.store(UMC_TASK_UNINTERRUPTIBLE, std::memory_order_relaxed);
	task_init_ktask(t);
	g_live_kthreads.fetch_add(1, std::memory_order_relaxed);
	int r = sys().thread_create(&t->thread, t->comm, kthread_main, t);
	if (r) {
		g_live_kthreads.fetch_sub(1, std::memory_order_relaxed);
		umc_task_put(t);
		if (err)
			*err = r;
		return nullptr;
	}
	return t;
}

extern "C" int umc_kthread_stop(struct umc_task *t)
{
	if (t == own_task())
		fatal(UMC_WHERE, "kthread_stop on itself");
	umc_task_get(t);
	t->should_stop.store(true, std::memory_order_release);
	umc_task_wake(t, UMC_TASK_NORMAL);
	while (!t->exited.load(std::memory_order_acquire))
		futex_wait(&t->exited, 0, 0);
	int ret = t->result;
	// Join it now if nobody has yet (it is on the zombie list until reaped).
	bool mine = false;
	{
		std::lock_guard lk(g_zombie_mu);
		for (auto it = g_zombies.begin(); it != g_zombies.end(); ++it)
			if (*it == t) {
				g_zombies.erase(it);
				mine = true;
				break;
			}
	}
	if (mine)
		reap(t);
	umc_task_put(t);
	return ret;
}

extern "C" bool umc_kthread_should_stop(void)
{
	umc_task *t = own_task();
	return t && t->kthread && t->should_stop.load(std::memory_order_acquire);
}

extern "C" void umc_set_current_state(unsigned int state)
{
	umc_current()->state.store(state, std::memory_order_seq_cst);
}

extern "C" unsigned int umc_task_state(const struct umc_task *task)
{
	return task->state.load(std::memory_order_acquire);
}

extern "C" void umc_schedule(void)
{
	task_sleep(umc_current(), 0);
}

extern "C" long umc_schedule_timeout(long timeout)
{
	umc_task *t = umc_current();
	if (timeout == UMC_MAX_SCHEDULE_TIMEOUT) {
		task_sleep(t, 0);
		return timeout;
	}
	if (timeout < 0) {
		log(SYS_LOG_ERROR, "schedule_timeout: wrong timeout value %lx", static_cast<unsigned long>(timeout));
		umc_dump_stack();
		t->state.store(UMC_TASK_RUNNING);
		return 0;
	}
	unsigned long expire = umc_jiffies() + static_cast<unsigned long>(timeout);
	if (task_sleep(t, umc_jiffies_to_mono_ns(expire)))
		return 0;
	long left = static_cast<long>(expire - umc_jiffies());
	return left < 0 ? 0 : left;
}

extern "C" bool umc_task_wake(struct umc_task *t, unsigned int mask)
{
	uint32_t s = t->state.load(std::memory_order_seq_cst);
	while (s & mask) {
		if (t->state.compare_exchange_weak(s, UMC_TASK_RUNNING, std::memory_order_seq_cst)) {
			futex_wake(&t->state, INT32_MAX);
			return true;
		}
	}
	return false;
}

extern "C" int umc_wait_word(uint32_t *word, uint32_t expected, uint64_t deadline_ns)
{
	return futex_wait(word, expected, deadline_ns);
}

extern "C" void umc_wake_word(uint32_t *word, int count)
{
	futex_wake(word, count);
}
