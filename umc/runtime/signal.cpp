// signal.cpp - emulated signals (umc/signal.h).
//
// A signal is a bit on the task.  Sending one also (a) wakes the task if it
// sleeps INTERRUPTIBLE and (b) makes the task's eventfd readable, so host
// waits that include that fd (sockets) return promptly.  `sig_mu` keeps the
// eventfd's counter at 1 exactly while some signal is pending.
#include <cerrno>
#include <cstdint>
#include <sys/eventfd.h>
#include <unistd.h>

#include "runtime.hpp"
#include "task.hpp"
#include "umc/signal.h"

namespace umc {
namespace {

bool valid(int sig)
{
	return sig >= 1 && sig <= 64;
}
uint64_t bit(int sig)
{
	return 1ull << (sig - 1);
}

void eventfd_set(int fd)
{
	uint64_t one = 1;
	ssize_t r;
	do
		r = write(fd, &one, sizeof one);
	while (r < 0 && errno == EINTR);
}

void eventfd_clear(int fd)
{
	uint64_t v;
	ssize_t r;
	do
		r = read(fd, &v, sizeof v);
	while (r < 0 && errno == EINTR);
}

int deliver(umc_task *t, int sig, bool force)
{
	if (!valid(sig))
		return -EINVAL;
	{
		std::lock_guard lk(t->sig_mu);
		if (!force && !(t->sig_allowed.load(std::memory_order_relaxed) & bit(sig)))
			return 0; // ignored: discarded, as the kernel does for kthreads
		uint64_t old = t->sig_pending.fetch_or(bit(sig), std::memory_order_seq_cst);
		if (!old && t->sig_fd >= 0)
			eventfd_set(t->sig_fd);
	}
	task_signal_wake(t);
	return 0;
}

} // namespace

void task_close_signal_fd(umc_task *t)
{
	if (t->sig_fd >= 0)
		close(t->sig_fd);
	t->sig_fd = -1;
}

} // namespace umc

using namespace umc;

extern "C" int umc_signal_send(struct umc_task *task, int sig)
{
	return deliver(task, sig, false);
}

extern "C" int umc_signal_force(struct umc_task *task, int sig)
{
	return deliver(task, sig, true);
}

extern "C" bool umc_signal_pending(const struct umc_task *task)
{
	return task->sig_pending.load(std::memory_order_seq_cst) != 0;
}

extern "C" uint64_t umc_signal_pending_set(const struct umc_task *task)
{
	return task->sig_pending.load(std::memory_order_seq_cst);
}

extern "C" void umc_signal_flush(struct umc_task *task)
{
	std::lock_guard lk(task->sig_mu);
	if (task->sig_pending.exchange(0, std::memory_order_seq_cst) && task->sig_fd >= 0)
		eventfd_clear(task->sig_fd);
}

extern "C" void umc_signal_allow(int sig)
{
	if (valid(sig))
		umc_current()->sig_allowed.fetch_or(bit(sig), std::memory_order_relaxed);
}

extern "C" void umc_signal_disallow(int sig)
{
	if (valid(sig))
		umc_current()->sig_allowed.fetch_and(~bit(sig), std::memory_order_relaxed);
}

extern "C" int umc_signal_fd(struct umc_task *task)
{
	std::lock_guard lk(task->sig_mu);
	if (task->sig_fd < 0) {
		int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (fd < 0)
			return -errno;
		task->sig_fd = fd;
		if (task->sig_pending.load(std::memory_order_seq_cst))
			eventfd_set(fd);
	}
	return task->sig_fd;
}
