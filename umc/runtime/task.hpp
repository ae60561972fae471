// task.hpp - the host part of a umc task (struct umc_task of the wall).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

#include <mte/sys_service.h>

#include "umc/task.h"

struct umc_task {
	// The state word is also the futex the task sleeps on: a waker changes
	// it to RUNNING and wakes the futex, so a wake between "set state" and
	// "sleep" is never lost.
	std::atomic<uint32_t> state{UMC_TASK_RUNNING};
	std::atomic<int> refs{1};
	int pid = 0;
	char comm[UMC_TASK_COMM_LEN] = {};
	bool kthread = false;
	std::atomic<uint64_t> caps{0};
	void *ktask = nullptr; // kernel side's task_struct, or nullptr

	// Signals: bit (sig-1).  `sig_mu` keeps the eventfd's readability equal
	// to "pending != 0".
	std::atomic<uint64_t> sig_pending{0};
	std::atomic<uint64_t> sig_allowed{0};
	std::mutex sig_mu;
	int sig_fd = -1;

	// kthread
	int (*fn)(void *) = nullptr;
	void *data = nullptr;
	std::atomic<bool> should_stop{false};
	std::atomic<uint32_t> exited{0}; // futex word: 1 once fn returned
	int result = 0;
	sys_thread_t *thread = nullptr;
};

namespace umc {

// The calling thread's task without attaching (nullptr if none).
umc_task *current_or_null();
// Sleep of the calling task until RUNNING (see umc_schedule); deadline 0 =
// none.  Returns true when the deadline passed.
bool task_sleep(umc_task *t, uint64_t deadline_ns);
// Called by signal.cpp when a signal becomes pending.
void task_signal_wake(umc_task *t);
void task_close_signal_fd(umc_task *t);
// A runtime wait is about to block the calling task: the kernel side's
// umc_task_hooks.before_sleep (it flushes the task's block plug).
void before_sleep();

} // namespace umc
