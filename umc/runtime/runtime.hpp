// runtime.hpp - internals shared by the umc runtime's C++ files.  Never
// included by kernel-side C; the wall (umc/wall/umc/*.h) is the only
// interface they share.
#pragma once

#include <mte/sys_service.h>

#include <cstdarg>
#include <cstdint>

namespace umc {

// The sys_service table; aborts when the runtime is not running (a call
// into umc before umc_runtime_init is a programming error).
const sys_service &sys();
bool running();

// Log through sys_service with component "umc".
void log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
[[noreturn]] void fatal(const char *where, const char *msg);

// A CLOCK_MONOTONIC time that is never reached (~146 years): what saturated
// jiffy conversions return.
constexpr uint64_t kFarFuture = uint64_t{1} << 62;
// now + timeo jiffies, saturating at kFarFuture (timeo <= 0: now).
uint64_t timeout_deadline_ns(long timeo);

// Subsystem bring-up/tear-down, called in this order by runtime.cpp.
void time_init(bool set_initial, unsigned long initial_jiffies);
int timers_init();
void timers_exit();
int rcu_init();
void rcu_exit();
void tasks_exit();      // reap zombies, report live kthreads
int workqueues_init();  // system_wq
void workqueues_exit(); // destroy system_wq, report leftover workqueues

// RCU registration of the calling thread (task attach/detach, kthreads).
void rcu_thread_online();
void rcu_thread_offline();

// Thread sanitizer annotations (no-ops otherwise).
#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void *addr);
extern "C" void __tsan_release(void *addr);
inline void tsan_acquire(void *a)
{
	__tsan_acquire(a);
}
inline void tsan_release(void *a)
{
	__tsan_release(a);
}
#else
inline void tsan_acquire(void *) {}
inline void tsan_release(void *) {}
#endif

} // namespace umc

#define UMC_WHERE_STR2(x) #x
#define UMC_WHERE_STR(x)  UMC_WHERE_STR2(x)
#define UMC_WHERE         __FILE__ ":" UMC_WHERE_STR(__LINE__)
