// rcu.cpp - RCU on liburcu's memb flavor (umc/rcu.h).
//
// Readers: urcu_memb_read_lock/unlock on a registered thread.  Writers:
// urcu_memb_synchronize_rcu.  call_rcu and headless kvfree_rcu go to one
// runtime kthread ("rcu_cb") that takes the whole backlog, waits one grace
// period and then runs it, so callbacks run in queueing order.
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <new>
#include <vector>

#include <urcu/urcu-memb.h>

#include "runtime.hpp"
#include "task.hpp"
#include "umc/mem.h"
#include "umc/rcu.h"
#include "umc/task.h"

namespace umc {
namespace {

thread_local bool tl_registered = false;
thread_local int tl_depth = 0;

// TSan cannot see liburcu's grace periods; this address carries the
// "read section ended before synchronize_rcu returned" edge.
char g_tsan_gp;

struct Backlog {
	umc_rcu_head *head = nullptr;
	umc_rcu_head **tail = &head;
	std::vector<void *> frees;
	uint64_t queued = 0; // items ever queued
};

struct Rcu {
	std::mutex mu;
	std::condition_variable work;     // rcu_cb: backlog not empty / stop
	std::condition_variable progress; // barrier waiters
	Backlog backlog;
	uint64_t done = 0; // items ever completed
	bool stop = false;
	umc_task *thread = nullptr;
};

Rcu *g_rcu = nullptr;

int rcu_cb_main(void *arg)
{
	auto &r = *static_cast<Rcu *>(arg);
	std::unique_lock lk(r.mu);
	for (;;) {
		r.work.wait(lk, [&] { return r.stop || r.backlog.queued != r.done; });
		if (r.backlog.queued == r.done && r.stop)
			break;
		Backlog b;
		std::swap(b, r.backlog);
		b.tail = b.head ? b.tail : &b.head;
		r.backlog.tail = &r.backlog.head;
		r.backlog.queued = b.queued; // the counter stays cumulative
		lk.unlock();
		umc_synchronize_rcu();
		for (umc_rcu_head *h = b.head; h;) {
			umc_rcu_head *next = h->next; // func may free h
			h->func(h);
			h = next;
		}
		for (void *p : b.frees)
			umc_kfree(p);
		lk.lock();
		r.done = b.queued;
		r.progress.notify_all();
	}
	return 0;
}

} // namespace

void rcu_thread_online()
{
	if (!tl_registered) {
		urcu_memb_register_thread();
		tl_registered = true;
	}
}

void rcu_thread_offline()
{
	if (tl_registered) {
		if (tl_depth)
			fatal(UMC_WHERE, "thread ends inside an RCU read section");
		urcu_memb_unregister_thread();
		tl_registered = false;
	}
}

int rcu_init()
{
	auto *r = new Rcu;
	g_rcu = r;
	int err = 0;
	r->thread = umc_kthread_create(rcu_cb_main, r, "rcu_cb", &err);
	if (!r->thread) {
		g_rcu = nullptr;
		delete r;
		return err;
	}
	umc_task_wake(r->thread, UMC_TASK_NORMAL);
	return 0;
}

void rcu_exit()
{
	Rcu *r = g_rcu;
	if (!r)
		return;
	{
		std::lock_guard lk(r->mu);
		r->stop = true;
		r->work.notify_all();
	}
	umc_kthread_stop(r->thread); // it drains the backlog first
	g_rcu = nullptr;
	delete r;
}

} // namespace umc

using namespace umc;

extern "C" void umc_rcu_read_lock(void)
{
	if (!tl_registered)
		(void)umc_current(); // attaching registers the thread
	urcu_memb_read_lock();
	tl_depth++;
}

extern "C" void umc_rcu_read_unlock(void)
{
	if (tl_depth <= 0)
		fatal(UMC_WHERE, "rcu_read_unlock without rcu_read_lock");
	tl_depth--;
	tsan_release(&g_tsan_gp);
	urcu_memb_read_unlock();
}

extern "C" bool umc_rcu_read_lock_held(void)
{
	return tl_depth > 0;
}

extern "C" void umc_synchronize_rcu(void)
{
	if (tl_depth)
		fatal(UMC_WHERE, "synchronize_rcu inside an RCU read section");
	urcu_memb_synchronize_rcu();
	tsan_acquire(&g_tsan_gp);
}

extern "C" void umc_call_rcu(struct umc_rcu_head *head, void (*func)(struct umc_rcu_head *))
{
	Rcu &r = *g_rcu;
	head->func = func;
	head->next = nullptr;
	std::lock_guard lk(r.mu);
	*r.backlog.tail = head;
	r.backlog.tail = &head->next;
	r.backlog.queued++;
	r.work.notify_one();
}

extern "C" void umc_kvfree_rcu(void *ptr)
{
	if (!ptr)
		return;
	Rcu &r = *g_rcu;
	{
		std::lock_guard lk(r.mu);
		try {
			r.backlog.frees.push_back(ptr);
			r.backlog.queued++;
			r.work.notify_one();
			return;
		} catch (const std::bad_alloc &) {
		}
	}
	// No memory to remember it: do what the kernel does, wait here.
	umc_synchronize_rcu();
	umc_kfree(ptr);
}

extern "C" void umc_rcu_barrier(void)
{
	Rcu &r = *g_rcu;
	std::unique_lock lk(r.mu);
	uint64_t target = r.backlog.queued;
	r.progress.wait(lk, [&] { return r.done >= target; });
}
