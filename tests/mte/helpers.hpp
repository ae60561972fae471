// helpers.hpp - the mte tests' fixture and synchronisation (tests/helpers
// has what every test uses).
// Waiting always has a generous deadline so that a broken contract fails the
// test instead of hanging it; nothing here sleeps to synchronise.
#pragma once

#include "helpers/helpers.hpp"
#include "mte/sys_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace t {

// A counting event: post() from any thread, wait_for_count() blocks until
// the count reaches n (or the deadline passes: returns false).
class Signal {
public:
	void post(int n = 1)
	{
		std::lock_guard lk(mu_);
		count_ += n;
		cv_.notify_all();
	}
	bool wait_for_count(int n, std::chrono::milliseconds deadline = kDeadline)
	{
		std::unique_lock lk(mu_);
		return cv_.wait_for(lk, deadline, [&] { return count_ >= n; });
	}
	bool wait(std::chrono::milliseconds deadline = kDeadline) { return wait_for_count(1, deadline); }
	int count()
	{
		std::lock_guard lk(mu_);
		return count_;
	}

private:
	std::mutex mu_{};
	std::condition_variable cv_;
	int count_ = 0;
};

// A callback that holds its task until released: lets a test pile up work
// on a task and then check the order in which it runs.
struct Gate {
	Signal entered{};
	Signal release{};
	static void cb(void *arg)
	{
		auto *g = static_cast<Gate *>(arg);
		g->entered.post();
		EXPECT_TRUE(g->release.wait()) << "gate never released";
	}
};

// A thread-safe log of integers recorded by callbacks.
class Record {
public:
	void add(int v)
	{
		std::lock_guard lk(mu_);
		items_.push_back(v);
	}
	std::vector<int> items()
	{
		std::lock_guard lk(mu_);
		return items_;
	}

private:
	std::mutex mu_{};
	std::vector<int> items_{};
};

// Opens mte for each test and checks at close that nothing leaked.
class MteTest : public ::testing::Test {
protected:
	void SetUp() override;
	void TearDown() override;

	// Block until everything posted to `task` so far at NORMAL priority has run.
	void flush(sys_task_t *task);
	// Create a task or fail the test.
	sys_task_t *make_task(const char *name, sys_call_cb wake_cb = nullptr, void *wake_arg = nullptr);

	const sys_service *s = nullptr;
	bool expect_no_leaks = true;
};

} // namespace t
