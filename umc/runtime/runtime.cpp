// runtime.cpp - boot and shutdown of the umc runtime, and the small host
// services of umc/runtime.h.
#include "runtime.hpp"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/random.h>
#include <unistd.h>

#include "umc/rcu.h"
#include "umc/runtime.h"
#include "umc/task.h"
#include "umc/time.h"

namespace umc {
namespace {

// Published with release once everything is up; read by every entry point.
std::atomic<const sys_service *> g_sys{nullptr};
unsigned int g_nr_cpus = 1;

} // namespace

const sys_service &sys()
{
	const sys_service *s = g_sys.load(std::memory_order_acquire);
	if (!s) {
		std::fputs("umc: runtime used before umc_runtime_init()\n", stderr);
		std::abort();
	}
	return *s;
}

bool running()
{
	return g_sys.load(std::memory_order_acquire) != nullptr;
}

void log(int level, const char *fmt, ...)
{
	const sys_service *s = g_sys.load(std::memory_order_acquire);
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t len = static_cast<size_t>(n) < sizeof buf ? static_cast<size_t>(n) : sizeof buf - 1;
	if (s)
		s->log_write(level, "umc", buf, len);
	else
		std::fprintf(stderr, "umc: %s\n", buf);
}

void fatal(const char *where, const char *msg)
{
	const sys_service *s = g_sys.load(std::memory_order_acquire);
	if (s)
		s->fatal(where, msg);
	std::fprintf(stderr, "umc: fatal at %s: %s\n", where, msg);
	std::abort();
}

} // namespace umc

using namespace umc;

extern "C" int umc_runtime_init(const struct sys_service *s, const struct umc_boot_params *params)
{
	if (!s)
		return -EINVAL;
	if (s->version != SYS_SERVICE_VERSION || s->size < sizeof(struct sys_service))
		return -EPROTO;
	const sys_service *expected = nullptr;
	if (!g_sys.compare_exchange_strong(expected, s))
		return -EALREADY;

	umc_boot_params p{};
	if (params)
		p = *params;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	g_nr_cpus = p.nr_cpus ? p.nr_cpus : (cpus > 0 ? static_cast<unsigned>(cpus) : 1u);
	time_init(p.set_initial_jiffies, p.initial_jiffies);

	int err = timers_init();
	if (err) {
		g_sys.store(nullptr);
		return err;
	}
	err = rcu_init();
	if (err) {
		timers_exit();
		g_sys.store(nullptr);
		return err;
	}
	(void)umc_current(); // the booting thread becomes a task
	err = workqueues_init();
	if (err) {
		rcu_exit();
		timers_exit();
		g_sys.store(nullptr);
		return err;
	}
	log(SYS_LOG_INFO, "runtime up: HZ=%d jiffies=%lu cpus=%u", 1000, umc_initial_jiffies(), g_nr_cpus);
	return 0;
}

extern "C" void umc_runtime_exit(void)
{
	if (!running())
		return;
	rcu_exit();        // runs every queued callback, stops rcu_cb
	workqueues_exit(); // reports leftovers
	timers_exit();     // reports pending timers, stops ksoftirqd
	tasks_exit();      // reaps exited kthreads, reports live ones
	log(SYS_LOG_INFO, "runtime down");
	g_sys.store(nullptr, std::memory_order_release);
}

extern "C" bool umc_runtime_running(void)
{
	return running();
}

extern "C" const struct sys_service *umc_sys_service(void)
{
	return &sys();
}

extern "C" unsigned int umc_nr_cpus(void)
{
	return g_nr_cpus;
}

extern "C" void umc_random_bytes(void *buf, size_t len)
{
	auto *p = static_cast<unsigned char *>(buf);
	while (len) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fatal(UMC_WHERE, "getrandom failed");
		}
		p += n;
		len -= static_cast<size_t>(n);
	}
}

extern "C" void umc_panic(const char *where, const char *msg)
{
	fatal(where, msg);
}

extern "C" void umc_dump_stack(void)
{
	if (running())
		sys().backtrace();
}
