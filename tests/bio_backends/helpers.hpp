// helpers.hpp - the bio_backends tests' fixture: the mte table, requests
// that report to a Waiter, data patterns, page-cache state and the fault
// control file (tests/helpers has what every test uses).
#pragma once

#include "bio_backends/bio_backend.h"
#include "helpers/helpers.hpp"
#include "mte/sys_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace t {

// The process-wide mte table (opened by the test environment).
const sys_service *sys();

// Counts completions; wait() blocks on a condition variable (with a
// generous deadline that only a hang would reach).
class Waiter {
public:
	void expect(size_t n = 1)
	{
		std::lock_guard<std::mutex> g(m_);
		pending_ += n;
	}
	void done(int status)
	{
		std::lock_guard<std::mutex> g(m_);
		statuses_.push_back(status);
		pending_--;
		cv_.notify_all();
	}
	// True when everything expected completed before the deadline.
	bool wait(std::chrono::milliseconds limit = kDeadline)
	{
		std::unique_lock<std::mutex> g(m_);
		return cv_.wait_for(g, limit, [this] { return pending_ == 0; });
	}
	size_t completed()
	{
		std::lock_guard<std::mutex> g(m_);
		return statuses_.size();
	}
	std::vector<int> statuses()
	{
		std::lock_guard<std::mutex> g(m_);
		return statuses_;
	}

private:
	std::mutex m_;
	std::condition_variable cv_;
	size_t pending_ = 0;
	std::vector<int> statuses_;
};

// A request that reports to a Waiter.
struct Req {
	bio_request r{};
	Waiter *w = nullptr;
	std::atomic<int> status{1};
	std::atomic<uint64_t> done_ns{0};

	static void end_io(bio_request *r, int st)
	{
		auto *q = static_cast<Req *>(r->private_data);
		q->done_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
				     std::chrono::steady_clock::now().time_since_epoch())
				     .count();
		q->status = st;
		Waiter *w = q->w;
		w->done(st); // the Req may be freed once done() returns
	}
	void setup(Waiter *waiter, uint32_t op, uint32_t flags, uint64_t off, uint64_t len, const iovec *iov,
		   uint32_t cnt)
	{
		r = bio_request{};
		r.op = op;
		r.flags = flags;
		r.offset = off;
		r.length = len;
		r.iov = iov;
		r.iovcnt = cnt;
		r.end_io = end_io;
		r.private_data = this;
		w = waiter;
		status = 1;
	}
};

// Submit one request and wait for it; returns its status.
int sync_io(bio_device *dev, uint32_t op, uint32_t flags, uint64_t off, void *buf, uint64_t len);
int sync_iov(bio_device *dev, uint32_t op, uint32_t flags, uint64_t off, const iovec *iov, uint32_t cnt);

// Deterministic pattern for (seed, offset) so any block can be checked.
void fill_pattern(void *buf, size_t len, uint64_t seed, uint64_t off);
bool check_pattern(const void *buf, size_t len, uint64_t seed, uint64_t off);
bool all_zero(const void *buf, size_t len);

// Page-cache dirty state of the page holding `off` in `path`, read from
// /proc/self/pagemap + /proc/kpageflags (root): 1 dirty, 0 clean, -1 unknown.
int page_dirty(const std::string &path, uint64_t off);

// Atomically replace a fault control file and wait (inotify, no polling)
// until "<ctl>.state" reports `generation`.  Returns the state file's text.
std::string apply_control(const std::string &ctl, const std::string &text, uint64_t generation);
// Same, waiting until the state file starts with `want`.
std::string apply_control_expect(const std::string &ctl, const std::string &text, const std::string &want);

} // namespace t
