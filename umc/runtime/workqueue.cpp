// workqueue.cpp - workqueues on umc kthreads (umc/workqueue.h).
//
// One global lock guards all workqueue bookkeeping (DRBD's queues are few
// and light).  A work item is known to the runtime only while it is
// pending or running; after its function started the runtime never touches
// the item's memory, because work functions may free it.  Every queued
// instance gets a sequence number per workqueue; `live` holds the numbers
// not yet finished, which makes flush_workqueue/flush_work exact.
#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <list>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime.hpp"
#include "task.hpp"
#include "umc/task.h"
#include "umc/workqueue.h"

struct umc_workqueue {
	std::string name;
	bool ordered = false;
	bool stopping = false;
	std::deque<std::pair<void *, uint64_t>> queue; // work, seq
	std::set<uint64_t> live;                       // queued or running seqs
	uint64_t next_seq = 1;
	std::condition_variable more; // workers: something queued / stopping
	std::vector<umc_task *> workers;
};

namespace umc {
namespace {

struct WorkState {
	umc_workqueue *wq = nullptr; // where it is pending
	uint64_t pending_seq = 0;    // 0: not pending
	umc_work_fn fn = nullptr;
	umc_workqueue *running_wq = nullptr;
	uint64_t running_seq = 0; // 0: not running
	umc_task *runner = nullptr;
};

std::mutex g_mu;
std::condition_variable g_finished; // some instance finished or was cancelled
std::unordered_map<const void *, WorkState> g_works;
std::list<umc_workqueue *> g_wqs;

void forget_if_idle(const void *work)
{
	auto it = g_works.find(work);
	if (it != g_works.end() && !it->second.pending_seq && !it->second.running_seq)
		g_works.erase(it);
}

int worker_main(void *arg)
{
	auto *wq = static_cast<umc_workqueue *>(arg);
	umc_task *self = umc_current();
	std::unique_lock lk(g_mu);
	for (;;) {
		// The first queued item that is not running elsewhere (a work item
		// never runs concurrently with itself).
		auto it = std::find_if(wq->queue.begin(), wq->queue.end(),
				       [](auto &q) { return g_works[q.first].running_seq == 0; });
		if (it == wq->queue.end()) {
			if (wq->stopping && wq->queue.empty())
				break;
			wq->more.wait(lk);
			continue;
		}
		auto [work, seq] = *it;
		wq->queue.erase(it);
		WorkState &ws = g_works[work];
		ws.pending_seq = 0;
		ws.running_wq = wq;
		ws.running_seq = seq;
		ws.runner = self;
		umc_work_fn fn = ws.fn;
		lk.unlock();
		fn(work);
		lk.lock();
		// `work` may be freed (or even reused and queued again) by now; only
		// the bookkeeping keyed by its address is touched.
		WorkState &after = g_works[work];
		after.running_seq = 0;
		after.running_wq = nullptr;
		after.runner = nullptr;
		forget_if_idle(work);
		wq->live.erase(seq);
		g_finished.notify_all();
		if (!wq->queue.empty())
			wq->more.notify_one();
	}
	return 0;
}

// Caller holds g_mu.  Unqueue a pending instance; true if there was one.
bool unqueue_locked(const void *work)
{
	auto it = g_works.find(work);
	if (it == g_works.end() || !it->second.pending_seq)
		return false;
	WorkState &ws = it->second;
	auto &q = ws.wq->queue;
	q.erase(std::find(q.begin(), q.end(), std::pair<void *, uint64_t>{const_cast<void *>(work), ws.pending_seq}));
	ws.wq->live.erase(ws.pending_seq);
	ws.pending_seq = 0;
	ws.wq = nullptr;
	forget_if_idle(work);
	g_finished.notify_all();
	return true;
}

} // namespace

umc_workqueue *g_system_wq;

int workqueues_init()
{
	g_system_wq = umc_wq_create("events", 0, 2);
	return g_system_wq ? 0 : -ENOMEM;
}

void workqueues_exit()
{
	umc_wq_destroy(g_system_wq);
	g_system_wq = nullptr;
	std::lock_guard lk(g_mu);
	for (umc_workqueue *wq : g_wqs)
		log(SYS_LOG_ERROR, "workqueue %s not destroyed at runtime exit", wq->name.c_str());
}

} // namespace umc

using namespace umc;

extern "C" struct umc_workqueue *umc_wq_create(const char *name, unsigned int flags, int max_active)
{
	auto *wq = new (std::nothrow) umc_workqueue;
	if (!wq)
		return nullptr;
	wq->name = name ? name : "wq";
	wq->ordered = (flags & UMC_WQ_ORDERED) || max_active == 1;
	int n = wq->ordered ? 1 : (max_active > 0 ? std::min(max_active, 4) : 4);
	std::string tname = "kworker/" + wq->name;
	tname.resize(std::min<size_t>(tname.size(), UMC_TASK_COMM_LEN - 1));
	for (int i = 0; i < n; i++) {
		int err = 0;
		umc_task *t = umc_kthread_create(worker_main, wq, tname.c_str(), &err);
		if (!t)
			break;
		umc_task_get(t); // kept until destroy's kthread_stop
		wq->workers.push_back(t);
	}
	if (wq->workers.empty()) {
		delete wq;
		return nullptr;
	}
	{
		std::lock_guard lk(g_mu);
		g_wqs.push_back(wq);
	}
	for (umc_task *t : wq->workers)
		umc_task_wake(t, UMC_TASK_NORMAL);
	return wq;
}

extern "C" struct umc_workqueue *umc_wq_system(void)
{
	return g_system_wq;
}

extern "C" void umc_wq_destroy(struct umc_workqueue *wq)
{
	if (!wq)
		return;
	{
		// Drain first: everything queued, including what the items queue
		// meanwhile.  (Stopping a worker that was woken but has not run
		// yet would skip its function, so the workers must see an empty
		// queue before they are stopped.)
		std::unique_lock lk(g_mu);
		g_finished.wait(lk, [&] { return wq->live.empty(); });
		wq->stopping = true;
		wq->more.notify_all();
	}
	for (umc_task *t : wq->workers) {
		umc_kthread_stop(t);
		umc_task_put(t);
	}
	std::lock_guard lk(g_mu);
	g_wqs.remove(wq);
	delete wq;
}

extern "C" bool umc_wq_queue(struct umc_workqueue *wq, void *work, umc_work_fn fn)
{
	std::lock_guard lk(g_mu);
	WorkState &ws = g_works[work];
	if (ws.pending_seq)
		return false;
	uint64_t seq = wq->next_seq++;
	ws.wq = wq;
	ws.fn = fn;
	ws.pending_seq = seq;
	wq->queue.emplace_back(work, seq);
	wq->live.insert(seq);
	wq->more.notify_one();
	return true;
}

extern "C" void umc_wq_flush(struct umc_workqueue *wq)
{
	std::unique_lock lk(g_mu);
	uint64_t target = wq->next_seq - 1;
	g_finished.wait(lk, [&] { return wq->live.empty() || *wq->live.begin() > target; });
}

extern "C" bool umc_work_pending(const void *work)
{
	std::lock_guard lk(g_mu);
	auto it = g_works.find(work);
	return it != g_works.end() && it->second.pending_seq;
}

extern "C" bool umc_work_cancel(void *work)
{
	std::lock_guard lk(g_mu);
	return unqueue_locked(work);
}

extern "C" bool umc_work_cancel_sync(void *work)
{
	umc_task *self = current_or_null();
	std::unique_lock lk(g_mu);
	bool was = unqueue_locked(work);
	// Until neither pending nor running (it may queue itself again while
	// it runs; that instance is cancelled too).
	for (;;) {
		auto it = g_works.find(work);
		if (it == g_works.end())
			break;
		if (it->second.pending_seq) {
			unqueue_locked(work);
			continue;
		}
		if (!it->second.running_seq || it->second.runner == self)
			break;
		g_finished.wait(lk);
	}
	return was;
}

extern "C" bool umc_work_flush(void *work)
{
	std::unique_lock lk(g_mu);
	auto it = g_works.find(work);
	if (it == g_works.end())
		return false;
	umc_workqueue *wq;
	uint64_t seq;
	if (it->second.pending_seq) {
		wq = it->second.wq;
		seq = it->second.pending_seq;
	} else {
		if (it->second.runner == current_or_null())
			return false;
		wq = it->second.running_wq;
		seq = it->second.running_seq;
	}
	g_finished.wait(lk, [&] { return !wq->live.count(seq); });
	return true;
}
