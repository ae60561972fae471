// test_hooks.hpp - observation points for mte's own tests, so that they can
// order events ("the canceller is now blocked") without sleeping.  Each hook
// is called only on a slow path and costs one relaxed load when unset.
#pragma once

#include <atomic>

namespace mte::test_hooks {

// A cancel/destroy on another thread is about to block until `obj`'s
// callback has finished (obj is the sys_alarm_t/sys_call_t/sys_fd_watch_t).
extern std::atomic<void (*)(const void *obj)> before_idle_wait;
// task_destroy has marked the task shut down and is about to join its thread.
extern std::atomic<void (*)(const void *task)> after_shutdown_marked;

} // namespace mte::test_hooks
